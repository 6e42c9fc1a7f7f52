"""What the customer is told about an app order, in French, Dutch or
English: e-mails (order confirmation, ready for pickup, shipped, expired
uncollected) sent with trytond.sendmail after the commit, and push
notifications (ready for pickup, shipped, expired) queued to Expo
(push.py)."""
from email.message import EmailMessage

from jinja2 import Environment

from trytond.config import config
from trytond.pool import Pool
from trytond.sendmail import send_message_transactional

ENV = Environment(autoescape=False)

SUBJECTS = {
    'confirmation': {
        'fr': "Urban Therapy : commande {{ number }} confirmée",
        'nl': "Urban Therapy: bestelling {{ number }} bevestigd",
        'en': "Urban Therapy: order {{ number }} confirmed",
        },
    'ready': {
        'fr': "Votre commande {{ number }} vous attend à {{ shop }}",
        'nl': "Je bestelling {{ number }} ligt klaar in {{ shop }}",
        'en': "Your order {{ number }} is ready at {{ shop }}",
        },
    'shipped': {
        'fr': "Votre commande {{ number }} est en route",
        'nl': "Je bestelling {{ number }} is onderweg",
        'en': "Your order {{ number }} is on its way",
        },
    'expired': {
        'fr': "Votre commande {{ number }} n'a pas été retirée",
        'nl': "Je bestelling {{ number }} werd niet afgehaald",
        'en': "Your order {{ number }} was not collected",
        },
    }

BODIES = {
    'confirmation': {
        'fr': "Merci ! Nous avons bien reçu le paiement de votre commande "
        "{{ number }} ({{ total }}).\n{% if shop %}Retrait à {{ shop }} : "
        "nous vous prévenons dès qu'elle est prête.{% else %}Nous vous "
        "prévenons dès son expédition.{% endif %}\n",
        'nl': "Bedankt! We ontvingen de betaling van je bestelling "
        "{{ number }} ({{ total }}).\n{% if shop %}Afhalen in {{ shop }}: "
        "we laten je weten zodra ze klaarligt.{% else %}We laten je weten "
        "zodra ze verzonden is.{% endif %}\n",
        'en': "Thank you! We received the payment of your order "
        "{{ number }} ({{ total }}).\n{% if shop %}Pickup at {{ shop }}: "
        "we will tell you as soon as it is ready.{% else %}We will tell "
        "you as soon as it ships.{% endif %}\n",
        },
    'ready': {
        'fr': "Votre commande {{ number }} est prête. Venez la retirer à "
        "{{ shop }} avec ce numéro.\n",
        'nl': "Je bestelling {{ number }} ligt klaar. Haal ze af in "
        "{{ shop }} met dit nummer.\n",
        'en': "Your order {{ number }} is ready. Collect it at {{ shop }} "
        "with this number.\n",
        },
    'shipped': {
        'fr': "Votre commande {{ number }} a été expédiée.{% if tracking %}"
        " Suivi : {{ tracking }}{% endif %}\n",
        'nl': "Je bestelling {{ number }} is verzonden.{% if tracking %}"
        " Volgen: {{ tracking }}{% endif %}\n",
        'en': "Your order {{ number }} has shipped.{% if tracking %}"
        " Tracking: {{ tracking }}{% endif %}\n",
        },
    'expired': {
        'fr': "Votre commande {{ number }} n'a pas été retirée à {{ shop }} "
        "dans le délai prévu : elle est annulée et ses articles sont "
        "remis en vente.\n{% if refunded %}Nous avons remboursé "
        "{{ refunded }} sur le moyen de paiement utilisé ; le montant "
        "apparaît sur votre compte d'ici quelques jours.\n{% elif refunding "
        "%}Le remboursement de {{ refunding }} sur le moyen de paiement "
        "utilisé est en cours.\n{% endif %}",
        'nl': "Je bestelling {{ number }} werd niet op tijd afgehaald in "
        "{{ shop }}: ze is geannuleerd en de artikelen zijn opnieuw te "
        "koop.\n{% if refunded %}We hebben {{ refunded }} terugbetaald via "
        "het betaalmiddel dat je gebruikte; het bedrag staat binnen enkele "
        "dagen op je rekening.\n{% elif refunding %}De terugbetaling van "
        "{{ refunding }} via het betaalmiddel dat je gebruikte is "
        "onderweg.\n{% endif %}",
        'en': "Your order {{ number }} was not collected at {{ shop }} in "
        "time: it is cancelled and its items are back on sale.\n"
        "{% if refunded %}We refunded {{ refunded }} to the payment method "
        "you used; it shows on your account within a few days.\n"
        "{% elif refunding %}The refund of {{ refunding }} to the payment "
        "method you used is under way.\n{% endif %}",
        },
    }


def language(sale):
    lang = None
    if sale.party and sale.party.lang:
        lang = sale.party.lang.code[:2]
    return lang if lang in {'fr', 'nl', 'en'} else 'fr'


def _values(sale, tracking=None, extra=None):
    return {
        'number': sale.number or sale.id,
        'shop': sale.warehouse.name if sale.click_collect else None,
        'total': '%s %s' % (sale.total_amount, sale.currency.code),
        'tracking': tracking,
        **(extra or {}),
        }


def render(kind, lang, values):
    return (ENV.from_string(SUBJECTS[kind][lang]).render(**values),
        ENV.from_string(BODIES[kind][lang]).render(**values))


def send_email(sale, kind, tracking=None, extra=None):
    """E-mail the order's customer (sent when the transaction commits);
    extra: more values for the texts"""
    email = (sale.api_user.email if sale.api_user else None) or (
        sale.party.email if sale.party else None)
    if not email:
        return None
    subject, body = render(kind, language(sale),
        _values(sale, tracking, extra))
    message = EmailMessage()
    message['From'] = config.get('email', 'from', default='shop@localhost')
    message['To'] = email
    message['Subject'] = subject
    message.set_content(body)
    send_message_transactional(message)
    return message


def push(sale, kind, tracking=None, extra=None):
    "Push to the customer's devices following the orders topic"
    if not sale.api_user:
        return []
    Message = Pool().get('urban.api.push.message')
    values = _values(sale, tracking, extra)
    texts = {lang: render(kind, lang, values) for lang in ('fr', 'nl', 'en')}
    return Message.notify(sale.api_user, 'orders', texts,
        data={'order_id': sale.id, 'status': kind})
