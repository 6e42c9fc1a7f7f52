"""An SMTP server on 127.0.0.1 that keeps every message instead of
delivering it (aiosmtpd): the demo's trytond sends its e-mails there
(`[email] uri = smtp://127.0.0.1:<port>`), through the same
trytond.sendmail path as production, and a person reads them on the demo
services' page."""
import email
import email.policy
import itertools
import threading

from aiosmtpd.controller import Controller

from .localstripe import free_port


class Outbox:

    def __init__(self, port=0, limit=500):
        self.messages = []
        self.limit = limit
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname='127.0.0.1',
            port=port or free_port())

    @property
    def uri(self):
        return 'smtp://127.0.0.1:%s' % self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content,
            policy=email.policy.default)
        with self._lock:
            self.messages.append({
                    'id': next(self._ids),
                    'from': envelope.mail_from,
                    'to': list(envelope.rcpt_tos),
                    'message': message,
                    })
            del self.messages[:-self.limit]
        return '250 Message accepted for delivery'

    def get(self, message_id):
        with self._lock:
            return next((m for m in self.messages if m['id'] == message_id),
                None)

    def latest(self):
        "The messages, newest first"
        with self._lock:
            return list(reversed(self.messages))


def body(message, subtype):
    "The text/<subtype> part of message, decoded, or None"
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else None
