"""Texts the customer reads, in French, Dutch and English, and the e-mail
sender (trytond.sendmail, sent when the transaction commits)."""
from email.message import EmailMessage

from jinja2 import Environment

from trytond.config import config
from trytond.sendmail import send_message_transactional

LANGUAGES = ('fr', 'nl', 'en')
ENV = Environment(autoescape=False)

TEXTS = {
    'review': {
        'subject': {
            'fr': "Votre visite à {{ shop }} vous a plu ?",
            'nl': "Was je bezoek aan {{ shop }} fijn?",
            'en': "Did you enjoy your visit to {{ shop }}?",
            },
        'body': {
            'fr': "Bonjour {{ name }},\n\nMerci pour votre passage hier "
            "chez Urban Therapy {{ shop }}. Un avis Google nous aide "
            "beaucoup : {{ url }}\n\nVous ne souhaitez plus ces messages ? "
            "Désactivez « Demandes d'avis » dans l'app ou répondez à cet "
            "e-mail.\n",
            'nl': "Hallo {{ name }},\n\nBedankt voor je bezoek gisteren aan "
            "Urban Therapy {{ shop }}. Een Google-review helpt ons enorm: "
            "{{ url }}\n\nWil je deze berichten niet meer? Zet "
            "\"Vragen om een review\" uit in de app of antwoord op deze "
            "e-mail.\n",
            'en': "Hello {{ name }},\n\nThank you for visiting Urban "
            "Therapy {{ shop }} yesterday. A Google review helps us a lot: "
            "{{ url }}\n\nDon't want these messages? Turn off \"Review "
            "requests\" in the app or reply to this e-mail.\n",
            },
        'push': {
            'fr': "Un avis sur {{ shop }} ? Ça nous aide beaucoup.",
            'nl': "Een review over {{ shop }}? Dat helpt ons enorm.",
            'en': "A review of {{ shop }}? It helps us a lot.",
            },
        },
    'cart': {
        'subject': {
            'fr': "Votre panier vous attend",
            'nl': "Je winkelmandje wacht op je",
            'en': "Your cart is waiting",
            },
        'push': {
            'fr': "{{ count }} article(s) dans votre panier : on vous les "
            "garde encore un peu.",
            'nl': "{{ count }} artikel(s) in je winkelmandje: we houden ze "
            "nog even voor je.",
            'en': "{{ count }} item(s) in your cart: we are keeping them "
            "for you a little longer.",
            },
        },
    }


def language(party):
    code = (party.lang.code if party and party.lang else '') or ''
    code = code[:2]
    return code if code in LANGUAGES else 'fr'


def render(kind, part, lang, **values):
    return ENV.from_string(TEXTS[kind][part][lang]).render(**values)


def texts(kind, part, **values):
    "{lang: text} of a message part in every language"
    return {lang: render(kind, part, lang, **values) for lang in LANGUAGES}


def send_email(to, subject, body):
    message = EmailMessage()
    message['From'] = config.get('email', 'from', default='shop@localhost')
    message['To'] = to
    message['Subject'] = subject
    message.set_content(body)
    send_message_transactional(message)
    return message
