# Staff answer a conversation from the back office: the Answer button opens
# this wizard (the message, up to three photos), which posts the message as
# the current user and tells the customer (Conversation.staff_answer).
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard


class AnswerStart(ModelView):
    "Answer the Customer"
    __name__ = 'urban.service.answer.start'
    __string__ = "Answer the Customer"

    conversation = fields.Many2One('urban.service.conversation',
        "Conversation", readonly=True)
    body = fields.Text("Answer", required=True)
    photo1 = fields.Binary("Photo 1")
    photo2 = fields.Binary("Photo 2")
    photo3 = fields.Binary("Photo 3")


class Answer(Wizard):
    "Answer the Customer"
    __name__ = 'urban.service.answer'
    start = StateView('urban.service.answer.start',
        'urban_service.answer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Send", 'send', 'tryton-ok', default=True),
            ])
    send = StateTransition()

    def default_start(self, fields):
        return {'conversation': self.record.id if self.record else None}

    def transition_send(self):
        Conversation = Pool().get('urban.service.conversation')
        conversation = Conversation(self.record.id)
        photos = [('photo-%s' % i, getattr(self.start, 'photo%s' % i))
            for i in (1, 2, 3) if getattr(self.start, 'photo%s' % i)]
        # the access rules of the user apply: another shop's conversation
        # can neither be read nor answered
        with check_access():
            conversation.staff_answer(self.start.body, photos)
        return 'end'
