"""E-mails of the pro channel in French, Dutch and English, sent with
trytond.sendmail when the transaction commits."""
from email.message import EmailMessage

from jinja2 import Environment

from trytond.config import config
from trytond.sendmail import send_message_transactional

ENV = Environment(autoescape=False)
LANGUAGES = ('fr', 'nl', 'en')

TEXTS = {
    'received': {
        'fr': ("Urban Therapy Pro : demande reçue",
            "Bonjour {{ contact }},\n\nNous avons bien reçu la demande de "
            "compte pro de {{ company }}. Notre équipe l'examine et vous "
            "répond par e-mail.\n\nUrban Therapy\n"),
        'nl': ("Urban Therapy Pro: aanvraag ontvangen",
            "Hallo {{ contact }},\n\nWe hebben de aanvraag voor een "
            "pro-account van {{ company }} goed ontvangen. Ons team bekijkt "
            "ze en antwoordt je per e-mail.\n\nUrban Therapy\n"),
        'en': ("Urban Therapy Pro: application received",
            "Hello {{ contact }},\n\nWe received the pro account "
            "application of {{ company }}. Our team reviews it and will "
            "answer you by e-mail.\n\nUrban Therapy\n"),
        },
    'exists': {
        'fr': ("Urban Therapy Pro : votre adresse e-mail",
            "Bonjour {{ contact }},\n\nUne demande de compte pro a été "
            "envoyée avec cette adresse e-mail, mais elle a déjà un compte "
            "ou une demande en cours : nous n'en avons pas créé d'autre. "
            "Connectez-vous ici : {{ url }}\nMot de passe oublié ? Écrivez-"
            "nous.\n\nCe n'était pas vous ? Ignorez cet e-mail.\n\n"
            "Urban Therapy\n"),
        'nl': ("Urban Therapy Pro: je e-mailadres",
            "Hallo {{ contact }},\n\nEr werd een aanvraag voor een "
            "pro-account verstuurd met dit e-mailadres, maar het heeft al een "
            "account of een lopende aanvraag: we maakten geen nieuwe aan. "
            "Meld je hier aan: {{ url }}\nWachtwoord vergeten? Schrijf "
            "ons.\n\nWas jij dit niet? Negeer deze e-mail.\n\n"
            "Urban Therapy\n"),
        'en': ("Urban Therapy Pro: your e-mail address",
            "Hello {{ contact }},\n\nA pro account application was sent "
            "with this e-mail address, but it already has an account or an "
            "application under review: we did not open another one. Log in "
            "here: {{ url }}\nForgot your password? Write to us.\n\nNot "
            "you? Ignore this e-mail.\n\nUrban Therapy\n"),
        },
    'approved': {
        'fr': ("Urban Therapy Pro : votre compte est ouvert",
            "Bonjour {{ contact }},\n\nLe compte pro de {{ company }} est "
            "approuvé. Connectez-vous avec votre adresse e-mail et le mot "
            "de passe choisi : {{ url }}\n\nUrban Therapy\n"),
        'nl': ("Urban Therapy Pro: je account is geopend",
            "Hallo {{ contact }},\n\nHet pro-account van {{ company }} is "
            "goedgekeurd. Meld je aan met je e-mailadres en het gekozen "
            "wachtwoord: {{ url }}\n\nUrban Therapy\n"),
        'en': ("Urban Therapy Pro: your account is open",
            "Hello {{ contact }},\n\nThe pro account of {{ company }} is "
            "approved. Log in with your e-mail address and the password "
            "you chose: {{ url }}\n\nUrban Therapy\n"),
        },
    'refused': {
        'fr': ("Urban Therapy Pro : votre demande",
            "Bonjour {{ contact }},\n\nNous ne pouvons pas ouvrir de compte "
            "pro pour {{ company }}.\n{% if reason %}Motif : {{ reason }}\n"
            "{% endif %}\nUrban Therapy\n"),
        'nl': ("Urban Therapy Pro: je aanvraag",
            "Hallo {{ contact }},\n\nWe kunnen geen pro-account openen voor "
            "{{ company }}.\n{% if reason %}Reden: {{ reason }}\n"
            "{% endif %}\nUrban Therapy\n"),
        'en': ("Urban Therapy Pro: your application",
            "Hello {{ contact }},\n\nWe cannot open a pro account for "
            "{{ company }}.\n{% if reason %}Reason: {{ reason }}\n"
            "{% endif %}\nUrban Therapy\n"),
        },
    'buyer_added': {
        'fr': ("Urban Therapy Pro : nouvel acheteur pour {{ company }}",
            "Bonjour,\n\n{{ contact }} ({{ buyer }}) a été ajouté(e) comme "
            "acheteur du compte pro de {{ company }} : cette personne peut "
            "passer des commandes sur facture au nom de la société et voir "
            "ses commandes et factures.\nSi vous ne la connaissez pas, "
            "répondez-nous sans attendre.\n\nUrban Therapy\n"),
        'nl': ("Urban Therapy Pro: nieuwe koper voor {{ company }}",
            "Hallo,\n\n{{ contact }} ({{ buyer }}) is toegevoegd als koper "
            "van het pro-account van {{ company }}: deze persoon kan op "
            "factuur bestellen in naam van het bedrijf en de bestellingen "
            "en facturen inkijken.\nKen je deze persoon niet, antwoord ons "
            "dan meteen.\n\nUrban Therapy\n"),
        'en': ("Urban Therapy Pro: new buyer for {{ company }}",
            "Hello,\n\n{{ contact }} ({{ buyer }}) was added as a buyer of "
            "the pro account of {{ company }}: this person can order on "
            "invoice in the company's name and see its orders and "
            "invoices.\nIf you do not know this person, reply to us at "
            "once.\n\nUrban Therapy\n"),
        },
    'order': {
        'fr': ("Urban Therapy Pro : commande {{ number }} confirmée",
            "Bonjour,\n\nMerci pour la commande {{ number }} de "
            "{{ company }} : {{ untaxed }} HTVA ({{ total }} TVAC).\n"
            "{% for l in lines %}- {{ l }}\n{% endfor %}"
            "{% if shop %}Retrait à {{ shop }}.{% else %}Livraison à "
            "l'adresse de la société.{% endif %}\n"
            "{% if invoice %}Paiement sur facture à 30 jours.{% endif %}"
            "{% if card %}Payée en ligne (carte ou Bancontact).{% endif %}\n"
            "\nUrban Therapy\n"),
        'nl': ("Urban Therapy Pro: bestelling {{ number }} bevestigd",
            "Hallo,\n\nBedankt voor bestelling {{ number }} van "
            "{{ company }}: {{ untaxed }} excl. btw ({{ total }} incl. "
            "btw).\n{% for l in lines %}- {{ l }}\n{% endfor %}"
            "{% if shop %}Afhalen in {{ shop }}.{% else %}Levering op het "
            "adres van het bedrijf.{% endif %}\n"
            "{% if invoice %}Betaling op factuur binnen 30 dagen.{% endif %}"
            "{% if card %}Online betaald (kaart of Bancontact).{% endif %}"
            "\n\nUrban Therapy\n"),
        'en': ("Urban Therapy Pro: order {{ number }} confirmed",
            "Hello,\n\nThank you for order {{ number }} of {{ company }}: "
            "{{ untaxed }} excl. VAT ({{ total }} incl. VAT).\n"
            "{% for l in lines %}- {{ l }}\n{% endfor %}"
            "{% if shop %}Pickup at {{ shop }}.{% else %}Delivery to the "
            "company's address.{% endif %}\n"
            "{% if invoice %}Payment on 30-day invoice.{% endif %}"
            "{% if card %}Paid online (card or Bancontact).{% endif %}\n"
            "\nUrban Therapy\n"),
        },
    }


def render(kind, lang, values):
    lang = lang if lang in LANGUAGES else 'fr'
    subject, body = TEXTS[kind][lang]
    return (ENV.from_string(subject).render(**values),
        ENV.from_string(body).render(**values))


def message(to, kind, lang, values):
    """(to, subject, body, sender) of the e-mail kind, for urban.mail's
    send_later"""
    subject, body = render(kind, lang, values)
    return (to, subject, body,
        config.get('email', 'from', default='pro@localhost'))


def send(to, kind, lang, values):
    "Send the e-mail kind to the address to (when the transaction commits)"
    if not to:
        return None
    subject, body = render(kind, lang, values)
    message = EmailMessage()
    message['From'] = config.get('email', 'from', default='pro@localhost')
    message['To'] = to
    message['Subject'] = subject
    message.set_content(body)
    send_message_transactional(message)
    return message
