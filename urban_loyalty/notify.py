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
    'account_exists': {
        'subject': {
            'fr': "Vous avez déjà un compte Urban Therapy",
            'nl': "Je hebt al een Urban Therapy-account",
            'en': "You already have an Urban Therapy account",
            },
        'body': {
            'fr': "Bonjour,\n\nQuelqu'un, sans doute vous, a voulu créer un "
            "compte Urban Therapy avec cette adresse e-mail. Elle a déjà un "
            "compte : connectez-vous dans l'app, ou choisissez « Mot de "
            "passe oublié ? » si vous ne le connaissez plus.\n\nCe n'était "
            "pas vous ? Ignorez cet e-mail : rien n'a changé.\n",
            'nl': "Hallo,\n\nIemand, waarschijnlijk jij, wilde een Urban "
            "Therapy-account aanmaken met dit e-mailadres. Er bestaat al een "
            "account: meld je aan in de app, of kies \"Wachtwoord "
            "vergeten?\" als je het niet meer weet.\n\nWas jij dit niet? "
            "Negeer deze e-mail: er is niets veranderd.\n",
            'en': "Hello,\n\nSomeone, probably you, tried to create an Urban "
            "Therapy account with this e-mail address. It already has an "
            "account: log in in the app, or choose \"Forgot password?\" if "
            "you no longer know it.\n\nNot you? Ignore this e-mail: nothing "
            "changed.\n",
            },
        },
    'reset_unknown': {
        'subject': {
            'fr': "Votre demande de mot de passe Urban Therapy",
            'nl': "Je wachtwoordaanvraag bij Urban Therapy",
            'en': "Your Urban Therapy password request",
            },
        'body': {
            'fr': "Bonjour,\n\nQuelqu'un a demandé un nouveau mot de passe "
            "Urban Therapy pour cette adresse e-mail, mais elle n'a pas de "
            "compte. Vous pouvez en créer un dans l'app.\n\nCe n'était pas "
            "vous ? Ignorez cet e-mail.\n",
            'nl': "Hallo,\n\nIemand vroeg een nieuw Urban Therapy-wachtwoord "
            "aan voor dit e-mailadres, maar er bestaat geen account mee. Je "
            "kunt er een aanmaken in de app.\n\nWas jij dit niet? Negeer "
            "deze e-mail.\n",
            'en': "Hello,\n\nSomeone asked for a new Urban Therapy password "
            "for this e-mail address, but it has no account. You can create "
            "one in the app.\n\nNot you? Ignore this e-mail.\n",
            },
        },
    'newsletter_confirm': {
        'subject': {
            'fr': "Confirmez votre inscription à la newsletter Urban Therapy",
            'nl': "Bevestig je inschrijving op de nieuwsbrief van Urban "
            "Therapy",
            'en': "Confirm your Urban Therapy newsletter subscription",
            },
        'body': {
            'fr': "Bonjour,\n\nPour recevoir la newsletter Urban Therapy, "
            "confirmez votre inscription en ouvrant ce lien :\n{{ url }}\n\n"
            "Vous avez accepté : « {{ wording }} »\n\nCe n'était pas vous ? "
            "Ignorez cet e-mail : sans confirmation, vous ne recevrez "
            "rien.\n",
            'nl': "Hallo,\n\nOm de nieuwsbrief van Urban Therapy te "
            "ontvangen, bevestig je je inschrijving met deze link:\n"
            "{{ url }}\n\nJe ging akkoord met: \"{{ wording }}\"\n\nWas jij "
            "dit niet? Negeer deze e-mail: zonder bevestiging ontvang je "
            "niets.\n",
            'en': "Hello,\n\nTo receive the Urban Therapy newsletter, confirm "
            "your subscription by opening this link:\n{{ url }}\n\nYou agreed "
            "to: \"{{ wording }}\"\n\nNot you? Ignore this e-mail: without "
            "confirmation you will receive nothing.\n",
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
