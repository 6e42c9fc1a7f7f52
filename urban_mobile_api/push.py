"""Push notifications to the app through Expo's push service.

`urban.api.push.device`: an Expo push token of a web user (platform,
language, topics). `urban.api.push.message`: one notification to one
device, sent by a queued job (`__queue__.send`) through Expo's HTTP API
(POST <base>/--/api/v2/push/send; `[urban] expo_push_url`, default
https://exp.host, optional access token `[urban] expo_access_token` or env
EXPO_ACCESS_TOKEN). Expo's answer is kept on the message; a device Expo
says is not registered any more is deactivated.
"""
import os

import requests

from trytond.config import config
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool

TOPICS = ('orders', 'promotions', 'new_arrivals')
TIMEOUT = 10
EXPO_BATCH = 100


def expo_url():
    return config.get('urban', 'expo_push_url',
        default='https://exp.host').rstrip('/') + '/--/api/v2/push/send'


class PushDevice(DeactivableMixin, ModelSQL, ModelView):
    "App Push Device"
    __name__ = 'urban.api.push.device'

    user = fields.Many2One('web.user', "User", required=True,
        ondelete='CASCADE')
    token = fields.Char("Expo Push Token", required=True, strip=False,
        loading='lazy')
    platform = fields.Selection([
            ('ios', "iOS"),
            ('android', "Android"),
            ('web', "Web"),
            ], "Platform", required=True)
    language = fields.Char("Language", required=True)
    topics = fields.MultiSelection([
            ('orders', "Orders"),
            ('promotions', "Promotions"),
            ('new_arrivals', "New Arrivals"),
            ], "Topics")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('token_unique', Unique(t, t.token),
                'urban_mobile_api.msg_push_token_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.user, Index.Range())))

    @classmethod
    def default_language(cls):
        return 'fr'

    @classmethod
    def register(cls, user, token, platform, language, topics):
        "Create or move the device of token to user"
        devices = cls.search([('token', '=', token),
                ('active', 'in', [True, False])], limit=1)
        values = {
            'user': user.id, 'platform': platform, 'language': language,
            'topics': sorted(set(topics)), 'active': True,
            }
        Owner = Pool().get('urban.api.push.device.owner')
        if devices:
            cls.write(devices, values)
            device = devices[0]
        else:
            device, = cls.create([dict(values, token=token)])
        if not Owner.search([('token', '=', token),
                    ('user', '=', user.id)], limit=1):
            Owner.create([{'token': token, 'user': user.id}])
        return device


class PushDeviceOwner(ModelSQL):
    """App Push Device Owner

    Every web user who registered a push token, kept when the token moves
    to another user (same phone, another account) or is unregistered: the
    referral abuse check compares them."""
    __name__ = 'urban.api.push.device.owner'

    token = fields.Char("Expo Push Token", required=True, strip=False)
    user = fields.Many2One('web.user', "User", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.user, Index.Range())))


class PushMessage(ModelSQL, ModelView):
    "App Push Message"
    __name__ = 'urban.api.push.message'

    device = fields.Many2One('urban.api.push.device', "Device",
        required=True, ondelete='CASCADE', readonly=True)
    topic = fields.Char("Topic", readonly=True)
    title = fields.Char("Title", required=True, readonly=True)
    body = fields.Text("Body", readonly=True)
    data = fields.Dict(None, "Data", readonly=True)
    state = fields.Selection([
            ('queued', "Queued"),
            ('sent', "Sent"),
            ('failed', "Failed"),
            ], "State", required=True, readonly=True)
    ticket = fields.Char("Expo Ticket", readonly=True)
    error = fields.Char("Error", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('create_date', 'DESC'))

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def notify(cls, user, topic, texts, data=None):
        """Queue texts {lang: (title, body)} to the user's devices that
        follow topic; returns the messages"""
        Device = Pool().get('urban.api.push.device')
        devices = [d for d in Device.search([('user', '=', user.id)])
            if topic in (d.topics or ())]
        messages = []
        for device in devices:
            title, body = texts.get(device.language) or texts['en']
            messages.append(cls(device=device, topic=topic, title=title,
                    body=body, data=data or {}))
        if messages:
            cls.save(messages)
            cls.__queue__.send(messages)
        return messages

    @classmethod
    def send(cls, messages):
        "Queued job: send messages to Expo in one request"
        Device = Pool().get('urban.api.push.device')
        messages = [m for m in messages if m.state == 'queued']
        if not messages:
            return
        headers = {'Accept': 'application/json',
            'Content-Type': 'application/json'}
        token = (config.get('urban', 'expo_access_token', default=None)
            or os.environ.get('EXPO_ACCESS_TOKEN'))
        if token:
            headers['Authorization'] = 'Bearer %s' % token
        tickets = []
        # Expo takes at most 100 messages per request
        for start in range(0, len(messages), EXPO_BATCH):
            payload = [{
                    'to': m.device.token, 'title': m.title, 'body': m.body,
                    'data': dict(m.data or {}), 'sound': 'default',
                    } for m in messages[start:start + EXPO_BATCH]]
            response = requests.post(expo_url(), json=payload,
                headers=headers, timeout=TIMEOUT)
            response.raise_for_status()   # the queue retries the job later
            tickets.extend(response.json().get('data', []))
        gone = []
        for message, ticket in zip(messages, tickets):
            if ticket.get('status') == 'ok':
                message.state = 'sent'
                message.ticket = ticket.get('id')
            else:
                message.state = 'failed'
                details = ticket.get('details') or {}
                message.error = (details.get('error')
                    or ticket.get('message') or 'error')[:200]
                if details.get('error') == 'DeviceNotRegistered':
                    gone.append(message.device)
        cls.save(messages)
        if gone:
            Device.write(gone, {'active': False})
