"""Orders dashboard: every order of every channel by shop and status, today
and this week; and the problems staff must look at (failed payments, late
click & collect orders, POS sync errors, customers waiting for an
answer)."""
import datetime as dt

from sql import As, Cast, Literal, Null, Union
from sql.conditionals import Case, Coalesce
from sql.operators import Concat

from trytond.config import config
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

from . import facts

STATES = [
    ('quotation', "Awaiting Payment"),
    ('confirmed', "Confirmed"),
    ('processing', "Processing"),
    ('done', "Done"),
    ('cancelled', "Cancelled"),
    ]
COLLECT_STATES = [
    (None, ""),
    ('to_prepare', "To Prepare"),
    ('prepared', "Prepared"),
    ('ready', "Ready for Pickup"),
    ('collected', "Collected"),
    ('expired', "Expired"),
    ]


# the models of the orders, named as Tryton names them in the user's language
ORIGINS = ['sale.sale', 'urban.pos.sale', 'sale.point.sale']


def readable(selection):
    "The (model, name) of selection whose records the user may read"
    ModelAccess = Pool().get('ir.model.access')
    return [(model, name) for model, name in selection
        if ModelAccess.check(model, 'read', raise_exception=False)]


def _payment_model():
    """The customer payments' model, when the module that takes payments
    (the app's checkout) is activated; the dashboard works without it"""
    try:
        return Pool().get('urban.api.payment')
    except KeyError:
        return None


class Order(ModelSQL, ModelView):
    "Order (all channels)"
    __name__ = 'urban.analytics.order'

    date = fields.Date("Date")
    channel = fields.Selection(facts.CHANNELS, "Channel")
    channel_string = channel.translated('channel')
    # the charts show a field's value: the channel's name, translated
    channel_name = fields.Function(fields.Char("Channel"), 'get_channel_name')
    shop = fields.Many2One('stock.location', "Shop")
    party = fields.Many2One('party.party', "Customer")
    company = fields.Many2One('company.company', "Company")
    amount = fields.Numeric("Amount (tax excl.)", digits=(16, 2))
    state = fields.Selection(STATES, "Status")
    collect_state = fields.Selection(COLLECT_STATES, "Pickup")
    is_return = fields.Boolean("Return")
    today = fields.Boolean("Today")
    this_week = fields.Boolean("This Week")
    origin = fields.Function(fields.Reference("Order",
            selection='get_origin_models'), 'get_origin')
    count = fields.Integer("Count")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__ = set()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Date = pool.get('ir.date')
        sale = Sale.__table__()
        # the company's today and the Monday of its week, as parameters:
        # dates compare the same on PostgreSQL and SQLite (ISO strings)
        today = Date.today()
        monday = today - dt.timedelta(days=today.weekday())
        orders = facts.orders_query(filters=(None,) * 5,
            states=facts.SALE_DASHBOARD_STATES)
        collect = Case(
            (sale.click_collect & (sale.collect_state == Null)
                & sale.state.in_(['confirmed', 'processing']), 'to_prepare'),
            else_=sale.collect_state)
        # the key's record id on the key's side: the sale's primary key
        # index serves the join (the keys of till sales are not sales)
        return orders.join(sale, 'LEFT',
            condition=(sale.id == orders.id / 4)
            & (orders.channel != 'till')).select(
            orders.id, orders.date, orders.channel, orders.shop,
            orders.party, Coalesce(orders.company, sale.company).as_(
                'company'),
            orders.amount, orders.state, As(collect, 'collect_state'),
            orders.is_return,
            As(orders.date == today, 'today'),
            As((orders.date >= monday)
                & (orders.date < monday + dt.timedelta(days=7)),
                'this_week'),
            As(Literal(1), 'count'))

    def get_channel_name(self, name):
        return self.channel_string

    @classmethod
    def get_origin_models(cls):
        """The kinds of order the user may read: Tryton drops a reference
        column from the view when one of its models is unreadable (the
        manager does not read the native till's sales, unused here)"""
        Model = Pool().get('ir.model')
        return readable([(m, Model.get_name(m)) for m in ORIGINS])

    def get_origin(self, name):
        model, id_ = facts.origin(self.id)
        return '%s,%s' % (model, id_)

    def get_rec_name(self, name):
        origin = self.origin
        return origin.rec_name if origin else str(self.id)

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', "If(Eval('state') == 'cancelled', "
                "'muted', '')"),
            ]


PROBLEMS = [
    ('payment_failed', "Payment Failed"),
    ('collect_late', "Click & Collect Late"),
    ('pos_sync', "POS Sync Error"),
    ('pos_push', "POS Stock Push Error"),
    ('service_unanswered', "Customer Waiting for an Answer"),
    ]


class Problem(ModelSQL, ModelView):
    """Order Problem

    Failed app payments of orders not paid since, click & collect orders
    not prepared within `[urban] collect_prepare_hours` (24) of the order
    or ready but not collected within `[urban] collect_pickup_days` (7),
    POS events blocked or in error, stock pushes in error and customer
    service conversations waiting for the shop's answer for longer than
    the sale configuration's delay (urban_service)."""
    __name__ = 'urban.analytics.problem'

    kind = fields.Selection(PROBLEMS, "Problem")
    since = fields.DateTime("Since")
    shop = fields.Many2One('stock.location', "Shop")
    sale = fields.Many2One('sale.sale', "Order")
    origin = fields.Reference("Record", selection='get_origins')
    description = fields.Char("Description")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__ = set()
        cls._order = [('since', 'ASC'), ('id', 'ASC')]

    @classmethod
    def get_origins(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        names = ['sale.sale', 'urban.pos.event', 'urban.pos.stock_level',
            'urban.service.conversation']
        if _payment_model():
            names.insert(1, _payment_model().__name__)
        return [(None, '')] + readable([(n, Model.get_name(n))
                for n in names])

    @classmethod
    def _payment_failed_query(cls, Sale, Payment, row):
        "Orders whose payment failed and that nothing paid since"
        sale, payment, paid = (Sale.__table__(), Payment.__table__(),
            Payment.__table__())
        return payment.join(sale, condition=payment.sale == sale.id
            ).select(*row(payment.id * 8 + 1, 'payment_failed',
                Coalesce(payment.write_date, payment.create_date),
                sale.warehouse, sale.id,
                Concat(Payment.__name__ + ',', payment.id),
                Concat(Concat(payment.provider, ' '),
                    Coalesce(payment.reference, ''))),
            where=(payment.state == 'failed')
            & sale.state.in_(['draft', 'quotation'])
            & ~payment.sale.in_(paid.select(paid.sale,
                    where=paid.state == 'paid')))

    @classmethod
    def table_query(cls):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Payment = _payment_model()
        Event = pool.get('urban.pos.event')
        Level = pool.get('urban.pos.stock_level')
        Outlet = pool.get('urban.pos.outlet')
        now = dt.datetime.now()
        prepare = config.getfloat('urban', 'collect_prepare_hours',
            default=24)
        pickup = config.getfloat('urban', 'collect_pickup_days', default=7)

        def row(id_, kind, since, shop, sale, origin, description):
            return [As(id_, 'id'), As(Literal(kind), 'kind'),
                As(since, 'since'), As(shop, 'shop'), As(sale, 'sale'),
                As(origin, 'origin'), As(description, 'description')]

        queries = []
        if Payment:
            queries.append(cls._payment_failed_query(Sale, Payment, row))

        sale = Sale.__table__()
        confirmed = Coalesce(sale.write_date, sale.create_date)
        late_prepare = ((sale.collect_state == Null)
            & (confirmed < now - dt.timedelta(hours=prepare)))
        late_pickup = ((sale.collect_state == 'ready')
            & (sale.collect_ready_at < now - dt.timedelta(days=pickup)))
        queries.append(sale.select(*row(sale.id * 8 + 2, 'collect_late',
                    Case((sale.collect_state == 'ready',
                        sale.collect_ready_at), else_=confirmed),
                    sale.warehouse, sale.id,
                    Concat('sale.sale,', sale.id),
                    Case((sale.collect_state == 'ready',
                        'ready, not collected'),
                        else_='not prepared')),
                where=sale.click_collect
                & sale.state.in_(['confirmed', 'processing'])
                & (late_prepare | late_pickup)))

        event = Event.__table__()
        queries.append(event.select(*row(event.id * 8 + 3, 'pos_sync',
                    event.received_at, Cast(Literal(None), 'INTEGER'),
                    Cast(Literal(None), 'INTEGER'),
                    Concat('urban.pos.event,', event.id),
                    Coalesce(event.message, event.state)),
                where=event.state.in_(['blocked', 'error'])))

        level, outlet = Level.__table__(), Outlet.__table__()
        queries.append(level.join(outlet,
                condition=level.outlet == outlet.id).select(
                *row(level.id * 8 + 4, 'pos_push',
                    Coalesce(level.dirty_since, level.write_date,
                        level.create_date),
                    outlet.shop, Cast(Literal(None), 'INTEGER'),
                    Concat('urban.pos.stock_level,', level.id),
                    Coalesce(level.last_error, level.state)),
                where=level.state == 'error'))

        queries.append(cls._service_unanswered_query(row, now))
        return Union(*queries, all_=True)

    @classmethod
    def _service_unanswered_query(cls, row, now):
        "Conversations waiting for the shop for longer than the delay"
        pool = Pool()
        Conversation = pool.get('urban.service.conversation')
        Configuration = pool.get('sale.configuration')
        from urban_service.configuration import UNANSWERED_HOURS
        hours = (Configuration(1).service_unanswered_hours
            or UNANSWERED_HOURS)
        conversation = Conversation.__table__()
        return conversation.select(*row(conversation.id * 8 + 5,
                'service_unanswered', conversation.waiting_since,
                conversation.shop, conversation.sale,
                Concat('urban.service.conversation,', conversation.id),
                conversation.title),
            where=(conversation.state == 'open')
            & (conversation.waiting_since
                < now - dt.timedelta(hours=hours)))
