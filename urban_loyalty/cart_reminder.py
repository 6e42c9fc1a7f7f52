# Abandoned cart reminder: a customer who agreed to reminders and left a cart
# (a draft sale with lines) untouched for the configured number of hours is
# reminded once per cart, through the channel that owns the cart (the app
# pushes it). A cart idle for more than a week is left alone.
import datetime as dt

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool

from . import notify
from .configuration import get_config

MAX_AGE = dt.timedelta(days=7)


class CartReminder(ModelSQL, ModelView):
    "Cart Reminder"
    __name__ = 'urban.loyalty.cart_reminder'

    sale = fields.Many2One('sale.sale', "Cart", required=True,
        readonly=True, ondelete='CASCADE')
    party = fields.Many2One('party.party', "Customer", required=True,
        readonly=True, ondelete='CASCADE')
    sent_at = fields.DateTime("Sent At", required=True, readonly=True)
    channel = fields.Char("Channel", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('sale_unique', Unique(t, t.sale),
                'urban_loyalty.msg_cart_reminder_unique'),
            ]
        cls._order.insert(0, ('sent_at', 'DESC'))

    @classmethod
    def _cart_domain(cls):
        "Domain of the carts that can be reminded; channels extend it"
        return [
            ('state', '=', 'draft'),
            ('party.cart_reminders', '=', True),
            ('party.active', '=', True),
            ]

    @staticmethod
    def last_activity(sale):
        dates = [sale.write_date or sale.create_date]
        for line in sale.lines:
            dates.append(line.write_date or line.create_date)
        return max(d for d in dates if d)

    @classmethod
    def send_due(cls, now=None):
        "Cron: remind the carts idle for the configured number of hours"
        Sale = Pool().get('sale.sale')
        now = now or dt.datetime.now()
        delay = dt.timedelta(hours=get_config().cart_reminder_delay or 0)
        reminded = {r.sale.id for r in cls.search([
                    ('sale.state', '=', 'draft')])}
        reminders = []
        for sale in Sale.search(cls._cart_domain() + [
                    ('create_date', '>=', now - MAX_AGE - delay)]):
            if sale.id in reminded:
                continue
            lines = [l for l in sale.lines if l.type == 'line']
            if not lines:
                continue
            idle = now - cls.last_activity(sale)
            if idle < delay or idle > MAX_AGE + delay:
                continue
            reminder = cls(sale=sale, party=sale.party, sent_at=now)
            reminder.channel = reminder.deliver(
                sum(int(l.quantity or 0) for l in lines))
            if reminder.channel:
                reminder.save()
                reminders.append(reminder)
        return reminders

    def deliver(self, count):
        """Remind the customer; the channel used, None when no channel can.
        The app's push channel implements it."""
        return None

    def texts(self, count):
        subjects = notify.texts('cart', 'subject')
        bodies = notify.texts('cart', 'push', count=count)
        return {lang: (subjects[lang], bodies[lang]) for lang in bodies}
