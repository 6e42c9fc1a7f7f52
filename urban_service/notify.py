"""What the customer is told when the shop answers: an e-mail in their
language (French, Dutch or English), queued through urban.mail so that it
leaves after the commit, by the queue worker. The push to the app is the
app's (urban_mobile_api extends Conversation.notify_answer)."""
from jinja2 import Environment

from trytond.pool import Pool

ENV = Environment(autoescape=False)
LANGUAGES = ('fr', 'nl', 'en')

SUBJECTS = {
    'fr': "Urban Therapy : {{ shop }} a répondu à votre message",
    'nl': "Urban Therapy: {{ shop }} heeft je bericht beantwoord",
    'en': "Urban Therapy: {{ shop }} answered your message",
    }
BODIES = {
    'fr': "Bonjour {{ name }},\n\n{{ shop }} a répondu à votre message "
    "« {{ title }} » :\n\n{{ body }}\n\nRetrouvez la conversation et "
    "répondez dans l'app ou sur {{ url }}\n",
    'nl': "Hallo {{ name }},\n\n{{ shop }} heeft je bericht "
    "\"{{ title }}\" beantwoord:\n\n{{ body }}\n\nBekijk het gesprek en "
    "antwoord in de app of op {{ url }}\n",
    'en': "Hello {{ name }},\n\n{{ shop }} answered your message "
    "\"{{ title }}\":\n\n{{ body }}\n\nSee the conversation and answer in "
    "the app or at {{ url }}\n",
    }
# the push's title and text (urban_mobile_api)
PUSH_TITLES = {
    'fr': "{{ shop }} vous a répondu",
    'nl': "{{ shop }} heeft geantwoord",
    'en': "{{ shop }} answered you",
    }


def language(party):
    lang = party.lang.code[:2] if party and party.lang else None
    return lang if lang in LANGUAGES else 'fr'


def thread_url(conversation, lang):
    from urban_catalog.site import site_url
    prefix = '' if lang == 'fr' else '/' + lang
    return '%s%s/account/messages/%s' % (site_url(), prefix, conversation.id)


def values(conversation, message, lang):
    return {
        'name': conversation.party.name or '',
        'shop': conversation.shop.name,
        'title': conversation.title,
        'body': message.body,
        'url': thread_url(conversation, lang),
        }


def render(lang, values):
    return (ENV.from_string(SUBJECTS[lang]).render(**values),
        ENV.from_string(BODIES[lang]).render(**values))


def push_texts(conversation, message):
    "{lang: (title, body)} of the push telling the shop answered"
    texts = {}
    for lang in LANGUAGES:
        title = ENV.from_string(PUSH_TITLES[lang]).render(
            shop=conversation.shop.name)
        body = message.body if len(message.body) <= 140 else (
            message.body[:139] + '…')
        texts[lang] = (title, body)
    return texts


def customer_email(party):
    "The customer's e-mail: of their account, else of the party"
    WebUser = Pool().get('web.user')
    users = WebUser.search([('party', '=', party.id), ('email', '!=', None)],
        order=[('id', 'ASC')], limit=1)
    if users:
        return users[0].email
    return party.email


def send_answer_email(conversation, message):
    "Queue the e-mail telling the customer the shop answered"
    Mail = Pool().get('urban.mail')
    email = customer_email(conversation.party)
    if not email:
        return []
    lang = language(conversation.party)
    subject, body = render(lang, values(conversation, message, lang))
    return Mail.send_later([(email, subject, body, None)])
