# E-mails sent by the queue instead of the request: where a request must
# cost the same whatever the answer (no account enumeration: register,
# password reset, pro application), its e-mail is stored here and sent by
# the queue worker (`[queue] worker = True` in production), so neither the
# SMTP exchange nor its absence shows in the answer's time. A message is
# deleted once handed to the SMTP server.
from email.message import EmailMessage

from trytond.config import config
from trytond.model import ModelSQL, fields
from trytond.sendmail import send_message_transactional


class Mail(ModelSQL):
    "Queued E-mail"
    __name__ = 'urban.mail'

    to = fields.Char("To", required=True)
    subject = fields.Char("Subject", required=True)
    body = fields.Text("Body", required=True)
    sender = fields.Char("From")

    @classmethod
    def send_later(cls, messages):
        """Queue messages [(to, subject, body, sender or None), ...] as one
        task of the queue; nothing is sent by the request itself"""
        mails = cls.create([{
                    'to': to, 'subject': subject, 'body': body,
                    'sender': sender,
                    } for to, subject, body, sender in messages if to])
        if mails:
            cls.__queue__.send(mails)
        return mails

    @classmethod
    def send(cls, mails):
        "Hand mails to the SMTP server (when the task commits)"
        for mail in mails:
            message = EmailMessage()
            message['From'] = mail.sender or config.get(
                'email', 'from', default='shop@localhost')
            message['To'] = mail.to
            message['Subject'] = mail.subject
            message.set_content(mail.body)
            send_message_transactional(message)
        cls.delete(mails)
