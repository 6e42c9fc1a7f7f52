"""Customer service per shop (urban_service): conversations opened in the
context's period, how many the shop answered, how many wait for it, and
the first response time (average and longest, in hours)."""
import datetime as dt

from sql import As, Literal
from sql.aggregate import Avg, Count, Max

from trytond.model import fields
from trytond.pool import Pool

from . import facts
from .kpi import _Report, _ratio


class ServiceResponse(_Report):
    "Customer Service per Shop"
    __name__ = 'urban.analytics.service_response'
    __string__ = "Customer Service per Shop"

    shop = fields.Many2One('stock.location', "Shop")
    conversations = fields.Integer("Conversations")
    answered = fields.Integer("Answered")
    waiting = fields.Integer("Waiting for the Shop")
    first_response_hours = fields.Numeric("First Response (hours)",
        digits=(16, 1),
        help="Average time from the customer's first message to the "
        "shop's first answer.")
    longest_first_response_hours = fields.Numeric(
        "Longest First Response (hours)", digits=(16, 1))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('shop', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Conversation = Pool().get('urban.service.conversation')
        conversation = Conversation.__table__()
        from_date, to_date, _, shop, _ = facts.period()
        where = Literal(True)
        if from_date:
            where &= conversation.create_date >= dt.datetime.combine(
                from_date, dt.time.min)
        if to_date:
            where &= conversation.create_date < dt.datetime.combine(
                to_date + dt.timedelta(days=1), dt.time.min)
        if shop:
            where &= conversation.shop == shop
        seconds = conversation.first_response_seconds
        return conversation.select(
            As(conversation.shop, 'id'), conversation.shop,
            As(Count(Literal(1)), 'conversations'),
            As(Count(conversation.first_response_at), 'answered'),
            As(Count(Literal(1), filter_=conversation.state == 'open'),
                'waiting'),
            As(_ratio(Avg(seconds), Literal(3600), 1),
                'first_response_hours'),
            As(_ratio(Max(seconds), Literal(3600), 1),
                'longest_first_response_hours'),
            where=where,
            group_by=[conversation.shop])
