"""The app's side of customer service: when a shop answers, the customer's
devices get a push (topic orders, in the device's language) besides the
e-mail urban_service sends. The rules stay in urban_service."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Conversation(metaclass=PoolMeta):
    __name__ = 'urban.service.conversation'

    def notify_answer(self, message):
        super().notify_answer(message)
        with without_check_access():
            self.push_answer(message)

    def push_answer(self, message):
        "Queue a push to the app accounts of the conversation's customer"
        from urban_service import notify
        pool = Pool()
        WebUser = pool.get('web.user')
        Message = pool.get('urban.api.push.message')
        texts = notify.push_texts(self, message)
        messages = []
        for user in WebUser.search([('party', '=', self.party.id)]):
            messages.extend(Message.notify(user, 'orders', texts,
                    data={'conversation_id': self.id,
                        'type': 'service_answer'}))
        return messages
