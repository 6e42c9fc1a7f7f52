"""The Peppol delivery of customer invoices at a glance: the state of the
invoice's last sending (edocument_peppol's documents, whose status the
access point's polling updates, see peppol.py) as a column of the
invoices in the back office; the pro portal shows the same."""
from trytond.model import fields
from trytond.pool import PoolMeta

SENDING = {'draft', 'submitted', 'processing'}


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    peppol_state = fields.Function(fields.Selection([
                (None, ""),
                ('sending', "Being Sent"),
                ('succeeded', "Delivered"),
                ('failed', "Refused"),
                ('cancelled', "Cancelled"),
                ], "Peppol Delivery",
            help="The delivery of the invoice's last Peppol sending, as "
            "the access point reports it."),
        'get_peppol_state')

    @property
    def peppol_last(self):
        "The invoice's last outgoing Peppol document (retries replace it)"
        documents = [d for d in self.peppol
            if d.direction == 'out' and d.state != 'retried']
        return max(documents, key=lambda d: d.id) if documents else None

    def get_peppol_state(self, name):
        document = self.peppol_last
        if not document:
            return None
        return 'sending' if document.state in SENDING else document.state
