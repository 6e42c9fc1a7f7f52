"""What to propose beside a product, in a cart and to a customer.

Built from the line facts of every channel (fact.py): two products are
related when the same customers bought both in the last year (a till sale
without a known customer counts as its own basket). The score is the
Jaccard index of their buyers (bought together / bought either), so a best
seller bought with everything does not crowd out what goes with the
product. The 24 best of each product are kept in one narrow table, rebuilt
by a daily cron job (a few seconds on a year of orders) and on activation.

Proposals (`propose`) are products published on the channel, available in
the customer's shop (or online when none is chosen), not among the seeds
and not what the customer already bought (consumables aside). Too few
related products (a new product, a new shop) are completed by the best
sellers of the seeds' universes over 90 days (of every universe when
there is no seed: a new customer), then by new arrivals."""
import datetime as dt

from sql import Literal
from sql.conditionals import Coalesce

from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

KEPT = 24
HISTORY_DAYS = 365
BEST_SELLER_DAYS = 90


class Recommendation(ModelSQL):
    "Product Recommendation"
    __name__ = 'urban.analytics.recommendation'

    # plain integers: a cache of the facts, rebuilt whole
    template = fields.Integer("Product")
    other = fields.Integer("Proposed Product")
    score = fields.Float("Score")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__ = set()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.template, Index.Range()),
                (t.score, Index.Range())))

    @classmethod
    def __register__(cls, module):
        table_h = cls.__table_handler__(module)
        created = not table_h.table_exist(cls._table)
        super().__register__(module)
        if created:
            cls.rebuild()

    @classmethod
    def rebuild(cls):
        "Recompute every product's related products from the line facts"
        pool = Pool()
        LineFact = pool.get('urban.analytics.line.fact')
        Product = pool.get('product.product')
        cursor = Transaction().connection.cursor()
        since = dt.date.today() - dt.timedelta(days=HISTORY_DAYS)
        cursor.execute('DELETE FROM "%s"' % cls._table)
        # one statement, the same on PostgreSQL and SQLite (no sqrt)
        # (the strings are indented as the SQL nests, hence noqa: E131)
        cursor.execute(
            'WITH baskets AS ('
                'SELECT DISTINCT CASE WHEN l.party IS NULL '  # noqa: E131
                    'THEN -l.order_ ELSE l.party END AS who, '  # noqa: E131
                    'p.template AS template '
                'FROM "%(line)s" AS l '
                'JOIN "%(product)s" AS p ON p.id = l.product '
                'WHERE l.is_return = %(false)s AND l.quantity > 0 '
                    'AND l.date >= %(param)s), '
            'sizes AS (SELECT template, COUNT(*) AS n FROM baskets '
                'GROUP BY template), '
            'pairs AS (SELECT a.template AS template, b.template AS other, '
                    'COUNT(*) AS together '
                'FROM baskets AS a JOIN baskets AS b '
                    'ON a.who = b.who AND a.template <> b.template '
                'GROUP BY a.template, b.template), '
            'scored AS (SELECT pairs.template, pairs.other, '
                    'pairs.together * 1.0 '
                    '/ (sa.n + sb.n - pairs.together) AS score '
                'FROM pairs '
                'JOIN sizes AS sa ON sa.template = pairs.template '
                'JOIN sizes AS sb ON sb.template = pairs.other), '
            'ranked AS (SELECT template, other, score, ROW_NUMBER() OVER ('
                    'PARTITION BY template ORDER BY score DESC, other) '
                    'AS position FROM scored) '
            'INSERT INTO "%(table)s" (template, other, score) '
            'SELECT template, other, score FROM ranked '
            'WHERE position <= %(kept)s' % {
                'line': LineFact._table, 'product': Product._table,
                'table': cls._table, 'kept': KEPT,
                'false': 'FALSE' if backend_is_postgresql() else '0',
                'param': Transaction().database.flavor.param},
            (since,))

    @classmethod
    def related(cls, template_ids, limit=48):
        "[template id] related to template_ids, best first"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        scores = {}
        for sub_ids in grouped_slice(template_ids):
            cursor.execute(*table.select(table.other, table.score,
                    where=reduce_ids(table.template, sub_ids)))
            for other, score in cursor:
                scores[other] = scores.get(other, 0) + score
        return sorted(scores, key=lambda o: (-scores[o], o))[:limit]

    @classmethod
    def propose(cls, seeds, channel='web', party=None, shop=None, limit=8):
        """[product.template] to propose beside the templates seeds (ids)
        on channel: published, available in shop (a warehouse; online when
        None), neither a seed nor what party already bought (consumables
        aside); completed by the seeds' universes' best sellers, then new
        arrivals"""
        pool = Pool()
        Template = pool.get('product.template')
        seeds = [int(s) for s in seeds]
        excluded = set(seeds) | set(bought_by(party))
        candidates = [t for t in cls.related(seeds) if t not in excluded]
        universes = {t.universe.id for t in Template.browse(seeds)
            if getattr(t, 'universe', None)}
        candidates += [t for t in best_sellers(universes)
            if t not in excluded and t not in candidates]
        proposed = []
        for sub_ids in grouped_slice(candidates, 100):
            sub_ids = list(sub_ids)
            found = {t.id: t for t in Template.search(
                    Template.published_in(channel)
                    + [('id', 'in', sub_ids)])}
            kept = [found[i] for i in sub_ids if i in found]
            proposed += available(kept, shop)
            if len(proposed) >= limit:
                return proposed[:limit]
        if len(proposed) < limit:
            # new arrivals of the channel
            newest = Template.search(Template.published_in(channel)
                + [('id', 'not in', list(excluded | {
                                t.id for t in proposed}))],
                order=[('create_date', 'DESC'), ('id', 'DESC')],
                limit=limit * 3)
            proposed += available(newest, shop)
        return proposed[:limit]


def backend_is_postgresql():
    return Transaction().database.flavor.paramstyle == 'format'


def bought_by(party):
    "Templates party bought in the last year that it will not buy again"
    if not party:
        return []
    pool = Pool()
    LineFact = pool.get('urban.analytics.line.fact')
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    line, product = LineFact.__table__(), Product.__table__()
    template = Template.__table__()
    cursor = Transaction().connection.cursor()
    since = dt.date.today() - dt.timedelta(days=HISTORY_DAYS)
    cursor.execute(*line.join(product, condition=product.id == line.product
            ).join(template, condition=template.id == product.template
            ).select(product.template,
            where=(line.party == int(party)) & (line.quantity > 0)
            & (line.date >= since)
            & (Coalesce(template.consumable, False) == False),  # noqa: E712
            group_by=[product.template]))
    return [t for t, in cursor]


def best_sellers(universes, limit=48):
    """[template id] of the universes (all when none) sold most in units
    over 90 days"""
    pool = Pool()
    LineFact = pool.get('urban.analytics.line.fact')
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    line, product = LineFact.__table__(), Product.__table__()
    template = Template.__table__()
    from sql.aggregate import Sum
    cursor = Transaction().connection.cursor()
    since = dt.date.today() - dt.timedelta(days=BEST_SELLER_DAYS)
    sold = Sum(line.quantity)
    cursor.execute(*line.join(product, condition=product.id == line.product
            ).join(template, condition=template.id == product.template
            ).select(product.template,
            where=(reduce_ids(template.universe, list(universes))
                if universes else Literal(True))
            & (line.date >= since) & (line.quantity > 0),
            group_by=[product.template], order_by=[sold.desc], limit=limit))
    return [t for t, in cursor]


def available(templates, shop=None):
    """templates that have a variant to sell in shop (a warehouse id), or
    online when shop is None"""
    from urban_stock import availability
    variants = [p.id for t in templates for p in t.products if p.active]
    if not variants:
        return []
    stock = availability.for_products(variants,
        [int(shop)] if shop else None)
    if shop:
        def has(p):
            return stock.get((p.id, int(shop)), 0) > 0
    else:
        def has(p):
            return stock.totals.get(p.id, 0) > 0
    return [t for t in templates
        if any(has(p) for p in t.products if p.active)]


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('urban.analytics.recommendation|rebuild',
                "Rebuild Product Recommendations"))
