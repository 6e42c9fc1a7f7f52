# GDPR erasure: when a customer is erased (party.erase, which the app's
# "close my account" runs), the words and photos of their conversations
# go too; the conversations stay, emptied, for the shops' figures.
from trytond.pool import Pool, PoolMeta


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Message = pool.get('urban.service.message')
        Attachment = pool.get('urban.service.attachment')
        to_erase = super().to_erase(party_id)
        to_erase.extend([
                (Conversation, [('party', '=', party_id)], True,
                    ['title'], ['****']),
                (Message, [('conversation.party', '=', party_id)], True,
                    ['body'], ['****']),
                (Attachment, [('message.conversation.party', '=', party_id)],
                    True, ['name', 'data', 'size'], ['****', b'', 0]),
                ])
        return to_erase
