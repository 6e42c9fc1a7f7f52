"""Indexes the KPI queries need on the facts of every channel."""
from trytond.model import Index
from trytond.pool import PoolMeta


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.sale_date, Index.Range()),
                    where=t.state.in_(['confirmed', 'processing', 'done'])),
                Index(t, (t.party, Index.Range()),
                    where=t.state.in_(['confirmed', 'processing', 'done'])),
                })


class PosSale(metaclass=PoolMeta):
    __name__ = 'urban.pos.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.date, Index.Range())),
                Index(t, (t.party, Index.Range())),
                })


class PosSaleLine(metaclass=PoolMeta):
    __name__ = 'urban.pos.sale.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.sale, Index.Range())),
                })
