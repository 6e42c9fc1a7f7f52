"""Fake Expo push service: POST /--/api/v2/push/send with a list of
messages answers {"data": [tickets]} as Expo documents; tokens listed in
`unregistered` get a DeviceNotRegistered error ticket.

Every payload is checked against Expo's message format (a push token in
`to`, string title and body, a JSON object `data` under 4 KiB, known keys
only, at most 100 messages per request): a bad one is answered 400 like
Expo does and kept in `invalid`, so tests can assert it stays empty."""
import itertools
import json

from .server import FakeServer

KEYS = {'to', 'title', 'subtitle', 'body', 'data', 'sound', 'ttl',
    'expiration', 'priority', 'badge', 'channelId', 'categoryId',
    'mutableContent', '_contentAvailable'}
MAX_DATA = 4096
MAX_MESSAGES = 100


def payload_errors(message):
    "What is wrong with one message of a push request"
    errors = []
    if not isinstance(message, dict):
        return ['message is not an object']
    unknown = set(message) - KEYS
    if unknown:
        errors.append('unknown keys %s' % sorted(unknown))
    if not str(message.get('to', '')).startswith(
            ('ExponentPushToken[', 'ExpoPushToken[')):
        errors.append('"to" is not a push token')
    for key in ('title', 'body'):
        if not isinstance(message.get(key), str) or not message[key]:
            errors.append('"%s" must be a non-empty string' % key)
    data = message.get('data', {})
    if not isinstance(data, dict):
        errors.append('"data" must be an object')
    elif len(json.dumps(data).encode()) > MAX_DATA:
        errors.append('"data" larger than 4 KiB')
    if message.get('sound') not in (None, 'default'):
        errors.append('"sound" must be "default" or null')
    return errors


class FakeExpo(FakeServer):

    def __init__(self):
        super().__init__()
        self.messages = []
        self.invalid = []
        self.unregistered = set()
        self._ids = itertools.count(1)

    def handle(self, method, path, query, body, headers):
        if method != 'POST' or path != '/--/api/v2/push/send':
            return 404, {'errors': [{'code': 'NOT_FOUND'}]}
        messages = body if isinstance(body, list) else [body]
        if len(messages) > MAX_MESSAGES:
            self.invalid.append(('too many messages', len(messages)))
            return 400, {'errors': [{'code': 'PUSH_TOO_MANY_NOTIFICATIONS',
                            'message': 'at most 100 messages'}]}
        for message in messages:
            errors = payload_errors(message)
            if errors:
                self.invalid.append((message, errors))
                return 400, {'errors': [{'code': 'VALIDATION_ERROR',
                                'message': '; '.join(errors)}]}
        tickets = []
        for message in messages:
            self.messages.append(message)
            if message['to'] in self.unregistered:
                tickets.append({'status': 'error',
                        'message': 'not a registered push notification '
                        'recipient',
                        'details': {'error': 'DeviceNotRegistered'}})
            else:
                tickets.append({'status': 'ok',
                        'id': 'ticket-%d' % next(self._ids)})
        return 200, {'data': tickets}
