"""Catalogue search, the same for every channel (app API, website, RPC).

Each template has search terms (urban.search.term): the accent-folded words
of its name, brand/creator, universe and long description per language, and
its codes (template code, variant codes, EANs) compacted, rebuilt at once
when a template, its translations, variants, identifiers, creator or
universe change. A query's words are matched against the vocabulary (the
distinct words of a language, a few thousand, cached per process) in
Python: same word or same Snowball stem (FR/NL/EN: plurals), word prefix,
compound ending (NL "kaars" in "geurkaars"), one edit for words of 5+
letters (typos). The matching terms are then read by plain SQL equality, so
PostgreSQL (tests, production) and SQLite (the demo) give the same results.

Ranking: exact code/EAN > every word in the name > in the name, brand or
universe > anywhere (description); then exact words before prefixes before
typos. PostgreSQL keeps its unaccent/pg_trgm indexes (setup_search_support)
for the back office's text searches."""
import bisect
import logging
import re
import unicodedata

import snowballstemmer
from sql import Column, Literal
from sql.aggregate import Max
from sql.conditionals import Case
from sql.operators import And
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.cache import Cache
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)

NORM = 'urban_search_norm'
TRANSLATED = ("'product.template,name'", "'product.template,description_long'")
# Accents folded by the fallback function when the unaccent extension
# cannot be installed on PostgreSQL.
_FROM = 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿ'
_TO = 'aaaaaaceeeeiiiinooooouuuuyy'
INDEXES = [
    ('urban_search_template_name_trgm', 'product_template', 'name', ''),
    ('urban_search_template_description_trgm', 'product_template',
        'description_long', ''),
    ('urban_search_creator_name_trgm', 'urban_creator', 'name', ''),
    ('urban_search_translation_trgm', 'ir_translation', 'value',
        "WHERE type = 'model' AND name IN (%s)" % ', '.join(TRANSLATED)),
    ]
TEXT_MAX = 200
LIMIT_MAX = 100
# per database name: whether pg_trgm is usable
_trigram = {}


def normalize(text):
    "Lowercase without accents: 'Céramique' → 'ceramique'"
    if text is None:
        return None
    text = unicodedata.normalize('NFKD', text)
    return ''.join(
        c for c in text if not unicodedata.combining(c)).lower()


def tokenize(text):
    return re.findall(r'\w+', normalize(text or ''))


def _savepoint(cursor, query):
    "Run query; on failure undo only it and return False"
    cursor.execute('SAVEPOINT urban_search')
    try:
        cursor.execute(query)
    except Exception as exception:
        cursor.execute('ROLLBACK TO SAVEPOINT urban_search')
        logger.warning("catalogue search: %s failed: %s", query, exception)
        return False
    cursor.execute('RELEASE SAVEPOINT urban_search')
    return True


def _extensions(cursor):
    cursor.execute(
        'SELECT e.extname, n.nspname FROM pg_extension AS e '
        'JOIN pg_namespace AS n ON n.oid = e.extnamespace '
        "WHERE e.extname IN ('unaccent', 'pg_trgm')")
    return dict(cursor.fetchall())


def setup_search_support(tables=None):
    """Install unaccent and pg_trgm when allowed, the immutable normalising
    function and the GIN trigram indexes of the tables (all when None)."""
    transaction = Transaction()
    if backend.name != 'postgresql':
        return
    cursor = transaction.connection.cursor()
    extensions = _extensions(cursor)
    for name in ('unaccent', 'pg_trgm'):
        if name not in extensions:
            _savepoint(cursor, 'CREATE EXTENSION IF NOT EXISTS %s' % name)
    extensions = _extensions(cursor)
    if 'unaccent' in extensions:
        # Schema-qualified: index expressions are rebuilt by pg_restore with
        # an empty search_path.
        schema = extensions['unaccent']
        body = "lower(%s.unaccent('%s.unaccent'::regdictionary, $1))" % (
            schema, schema)
    else:
        body = "translate(lower($1), '%s', '%s')" % (_FROM, _TO)
    cursor.execute(
        'CREATE OR REPLACE FUNCTION %s(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE '
        'AS $$ SELECT %s $$' % (NORM, body))
    if 'pg_trgm' not in extensions:
        logger.warning("catalogue search: pg_trgm missing, no trigram index")
        return
    ops = '%s.gin_trgm_ops' % extensions['pg_trgm']
    for name, table, column, where in INDEXES:
        if tables is None or table in tables:
            cursor.execute(
                'CREATE INDEX IF NOT EXISTS %s ON %s USING gin '
                '(%s(%s) %s) %s' % (name, table, NORM, column, ops, where))
    _trigram.pop(transaction.database.name, None)


def has_trigram():
    transaction = Transaction()
    name = transaction.database.name
    if backend.name != 'postgresql':
        return False
    if name not in _trigram:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        _trigram[name] = bool(cursor.fetchone())
    return _trigram[name]


# -- search terms -----------------------------------------------------------
STEMMERS = {'fr': 'french', 'nl': 'dutch', 'en': 'english'}
# weight of a term's field: name > brand, universe > description
WEIGHTS = {'name': 3, 'brand': 2, 'universe': 2, 'description': 1}
CODE = 'code'
# the language of the codes: the same in every language
ANY = '*'
SORTED = '*sorted'
TERM_MAX = 60
# words a query word may expand to (prefixes of short words)
EXPANSION_MAX = 300
SUGGESTIONS_MAX = 8
EXACT, PREFIX, TYPO = 3, 2, 1
_vocabulary = Cache('urban_catalog.search_vocabulary', context=False)
# per language: [(id, name, folded words)] of the universes
_universes = Cache('urban_catalog.search_universes', context=False)
_stemmers = {}


def stem(word, language):
    "Snowball stem of a folded word in language (the word when unknown)"
    name = STEMMERS.get((language or '')[:2])
    if not name:
        return word
    if name not in _stemmers:
        _stemmers[name] = snowballstemmer.stemmer(name)
    return _stemmers[name].stemWord(word)


def compact(text):
    "A code as searched: folded letters and digits only ('CER-VAS-002')"
    return re.sub(r'[\W_]+', '', normalize(text or ''))


def one_edit(a, b):
    "Whether a and b differ by at most one insertion, deletion, substitution "
    "or transposition of adjacent letters"
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return (a[i + 1:] == b[i + 1:]
            or (i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i]
                and a[i + 2:] == b[i + 2:]))
    return a[i:] == b[i + 1:]


def expand(word, vocabulary, language, prefix=True):
    """{vocabulary word: quality} of the words a query word matches: same
    word or stem (EXACT), prefix or compound ending (PREFIX), one edit for
    words of 5+ letters (TYPO)"""
    root = stem(word, language)
    found = {}
    typo = len(word) >= 5
    prefix = prefix and len(word) >= 2
    ending = len(root) >= 4
    for term, term_root in vocabulary.items():
        if term == word or term_root == root:
            found[term] = EXACT
        elif prefix and term.startswith(word):
            found[term] = PREFIX
        elif ending and (term.endswith(word) or term.endswith(root)
                or term.startswith(root)):
            found[term] = PREFIX
        elif typo and abs(len(term) - len(word)) <= 1 and (
                one_edit(term, word)
                or (len(root) >= 4 and one_edit(term_root, root))):
            found[term] = TYPO
    if len(found) > EXPANSION_MAX:
        found = dict(sorted(found.items(),
                key=lambda i: (-i[1], len(i[0]), i[0]))[:EXPANSION_MAX])
    return found


def languages():
    "Codes of the languages the terms are kept in"
    pool = Pool()
    Lang = pool.get('ir.lang')
    Configuration = pool.get('ir.configuration')
    Translation = pool.get('ir.translation')
    codes = {l.code for l in Lang.search([('translatable', '=', True)])}
    codes.add(Configuration.get_language())
    # and those the names are written in, translatable or not yet
    translation = Translation.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*translation.select(translation.lang, distinct=True,
            where=(translation.type == 'model')
            & (translation.name == 'product.template,name')))
    codes.update(l for l, in cursor if l)
    return sorted(codes)


class SearchTerm(ModelSQL):
    "Catalogue search term"
    __name__ = 'urban.search.term'

    template = fields.Many2One('product.template', "Template", required=True,
        ondelete='CASCADE')
    language = fields.Char("Language", required=True)
    field = fields.Char("Field", required=True)
    word = fields.Char("Word", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.language, Index.Equality()),
                    (t.word, Index.Equality())),
                Index(t, (t.template, Index.Equality())),
                })

    @classmethod
    def vocabulary(cls, language):
        "{word: stem} of the words of language (ANY: the codes)"
        words = _vocabulary.get(language)
        if words is None:
            table = cls.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*table.select(table.word,
                    where=table.language == language, group_by=[table.word]))
            words = {w: stem(w, language) for w, in cursor}
            _vocabulary.set(language, words)
        return words

    @classmethod
    def sorted_codes(cls):
        codes = _vocabulary.get(SORTED)
        if codes is None:
            codes = sorted(cls.vocabulary(ANY))
            _vocabulary.set(SORTED, codes)
        return codes

    @classmethod
    def words(cls, template, language):
        "[(field, word)] of a template read in language"
        texts = [('name', template.name),
            ('brand', template.creator.name if template.creator else None),
            ('universe',
                template.universe.name if template.universe else None),
            ('description', template.description_long)]
        result = set()
        for field, text in texts:
            for word in tokenize(text):
                if len(word) <= TERM_MAX:
                    result.add((field, word))
        return result

    @classmethod
    def codes(cls, template):
        codes = {template.code}
        for product in template.products:
            codes.add(product.code)
            codes.update(i.code for i in product.identifiers)
        return {c for c in map(compact, filter(None, codes))
            if c and len(c) <= TERM_MAX}

    @classmethod
    def rebuild(cls, template_ids=None):
        "Rebuild the terms of the templates (all when None)"
        pool = Pool()
        Template = pool.get('product.template')
        transaction = Transaction()
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        if template_ids is None:
            cursor.execute(*table.delete())
            with transaction.set_context(active_test=False):
                template_ids = [t.id for t in Template.search([], order=[])]
        codes = languages()
        columns = [table.template, table.language, table.field, table.word,
            table.create_uid, table.create_date]
        for sub_ids in grouped_slice(template_ids, 500):
            sub_ids = list(sub_ids)
            cursor.execute(*table.delete(
                    where=reduce_ids(table.template, sub_ids)))
            rows = []
            # read what is stored now and leave nothing cached: a rebuild
            # runs inside create, copy or a translation's write, before the
            # translations are all written, and the transaction's record
            # cache is shared by every read in the same language
            forget_cached(Template, sub_ids)
            with transaction.set_context(active_test=False):
                for template in Template.browse(sub_ids):
                    for code in cls.codes(template):
                        rows.append((template.id, ANY, CODE, code))
                for language in codes:
                    with transaction.set_context(language=language):
                        for template in Template.browse(sub_ids):
                            rows.extend((template.id, language, f, w)
                                for f, w in cls.words(template, language))
            forget_cached(Template, sub_ids)
            for sub_rows in grouped_slice(rows, 1000):
                values = [r + (transaction.user, CurrentTimestamp())
                    for r in sub_rows]
                if values:
                    cursor.execute(*table.insert(columns, values))
        _vocabulary.clear()

    @classmethod
    def fill(cls):
        """Build the terms of the templates that have none (after an update
        that created the table, or rows loaded behind the ORM)"""
        pool = Pool()
        Template = pool.get('product.template')
        table = cls.__table__()
        template = Template.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*template.select(template.id,
                where=~template.id.in_(table.select(table.template))))
        ids = [i for i, in cursor]
        if ids:
            cls.rebuild(ids)
        return len(ids)

    @classmethod
    def match(cls, text, language, channel=None, name_only=False,
            limit=None):
        """[(template id, rank key)] of the active templates matching text,
        best first (the first limit); every word must match"""
        transaction = Transaction()
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        tokens = tokenize(text)
        if not tokens:
            return []
        vocabulary = cls.vocabulary(language)
        expansions = [expand(t, vocabulary, language,
                prefix=len(t) >= 3 or i == len(tokens) - 1)
            for i, t in enumerate(tokens)]
        scores = {}

        def where(extra):
            condition = extra
            if channel:
                condition &= table.template.in_(_channel_templates(channel))
            return condition

        # codes and EANs: the whole text, exactly or as a prefix
        key = compact(text)
        codes = {}
        if len(key) >= 3 and not name_only:
            if key in cls.vocabulary(ANY):
                codes[key] = 2
            elif len(key) >= 4:
                # the codes starting with key, by bisection of the sorted
                # codes (tens of thousands on a large catalogue)
                ordered = cls.sorted_codes()
                i = bisect.bisect_left(ordered, key)
                while (i < len(ordered) and ordered[i].startswith(key)
                        and len(codes) < EXPANSION_MAX):
                    codes[ordered[i]] = 1
                    i += 1
        if codes:
            for sub in grouped_slice(list(codes), 500):
                sub = list(sub)
                cursor.execute(*table.select(table.template, table.word,
                        where=where((table.language == ANY)
                            & table.word.in_(sub))))
                for template, word in cursor:
                    rank = (5 if codes[word] == 2 else 4, 0, 0)
                    scores[template] = max(scores.get(template, rank), rank)
        Template = Pool().get('product.template')
        template = Template.__table__()
        ranked = []
        if scores:
            # the codes' templates first (a few)
            active = set()
            for sub in grouped_slice(list(scores), 1000):
                cursor.execute(*template.select(template.id,
                        where=reduce_ids(template.id, list(sub))
                        & (template.active == Literal(True))))
                active.update(i for i, in cursor)
            ranked = sorted(((i, scores[i]) for i in active),
                key=lambda r: (tuple(-x for x in r[1]), r[0]))
        if not all(expansions) or (limit is not None and len(ranked) >= limit):
            return ranked[:limit]
        # one row per template matching every word, ranked and limited by
        # the database: per word, the best weight * 10 + quality of its
        # terms (a common word matches thousands of templates)
        weight = Case(*[(table.field == f, w)
                for f, w in WEIGHTS.items()], else_=1)
        columns, having, words = [], [], set()
        for expansion in expansions:
            whens = []
            for quality in (EXACT, PREFIX, TYPO):
                group = sorted(w for w, q in expansion.items() if q == quality)
                if group:
                    whens.append((table.word.in_(group),
                            weight * 10 + quality))
                words.update(group)
            column = Max(Case(*whens, else_=0))
            columns.append(column)
            having.append(column > 0)
        condition = (table.language == language) & table.word.in_(
            sorted(words))
        if name_only:
            condition &= table.field == 'name'
        if scores:
            condition &= ~table.template.in_(list(scores))
        matches = table.join(template,
            condition=(template.id == table.template)
            & (template.active == Literal(True))).select(
            table.template.as_('template'),
            *[c.as_('s%s' % i) for i, c in enumerate(columns)],
            where=where(condition), group_by=[table.template],
            having=And(having))
        columns = [Column(matches, 's%s' % i) for i in range(len(columns))]
        tiers = [c / 10 for c in columns]
        tier = tiers[0]
        for other in tiers[1:]:
            tier = Case((other < tier, other), else_=tier)
        quality = sum((c - (c / 10) * 10 for c in columns[1:]),
            columns[0] - (columns[0] / 10) * 10)
        weights = sum(tiers[1:], tiers[0])
        query = matches.select(matches.template, tier, quality, weights,
            order_by=[tier.desc, quality.desc, weights.desc,
                matches.template.asc])
        if limit is not None:
            query.limit = limit - len(ranked)
        cursor.execute(*query)
        ranked.extend((t, (tr, q, w)) for t, tr, q, w in cursor)
        return ranked


def _channel_templates(code):
    pool = Pool()
    Relation = pool.get('product.template-urban.channel')
    Channel = pool.get('urban.channel')
    relation = Relation.__table__()
    channel = Channel.__table__()
    return relation.join(channel,
        condition=relation.channel == channel.id).select(relation.template,
        where=(channel.code == code) & (channel.active == Literal(True)))


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('urban.search.term|fill', "Fill Catalogue Search Terms"))


def forget_cached(Model, ids):
    "Drop the records of ids from the transaction's caches of every context"
    for cache in Transaction().cache.values():
        if Model.__name__ in cache:
            records = cache[Model.__name__]
            for id_ in ids:
                records.pop(id_, None)


def _rebuild(template_ids):
    template_ids = [i for i in set(template_ids) if i is not None and i >= 0]
    if template_ids and not Transaction().context.get('_urban_search_defer'):
        Pool().get('urban.search.term').rebuild(template_ids)


def _templates_of(field, ids):
    if not ids:
        return []
    Template = Pool().get('product.template')
    template = Template.__table__()
    cursor = Transaction().connection.cursor()
    result = []
    for sub in grouped_slice(ids):
        cursor.execute(*template.select(template.id,
                where=reduce_ids(getattr(template, field), list(sub))))
        result.extend(i for i, in cursor)
    return result


class Creator(metaclass=PoolMeta):
    __name__ = 'urban.creator'

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        setup_search_support(tables={'urban_creator'})

    @classmethod
    def on_modification(cls, mode, creators, field_names=None):
        super().on_modification(mode, creators, field_names=field_names)
        if mode == 'write' and (not field_names or 'name' in field_names):
            _rebuild(_templates_of('creator', [c.id for c in creators]))


class Category(metaclass=PoolMeta):
    __name__ = 'product.category'

    @classmethod
    def on_modification(cls, mode, categories, field_names=None):
        super().on_modification(mode, categories, field_names=field_names)
        _universes.clear()
        if mode == 'write' and (not field_names or 'name' in field_names):
            _rebuild(_templates_of('universe', [c.id for c in categories]))


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def on_modification(cls, mode, products, field_names=None):
        super().on_modification(mode, products, field_names=field_names)
        if mode != 'delete':
            _rebuild([p.template.id for p in products])

    @classmethod
    def on_delete(cls, products):
        templates = [p.template.id for p in products]
        return super().on_delete(products) + [lambda: _rebuild(templates)]


class Identifier(metaclass=PoolMeta):
    __name__ = 'product.identifier'

    @classmethod
    def on_modification(cls, mode, identifiers, field_names=None):
        super().on_modification(mode, identifiers, field_names=field_names)
        if mode != 'delete':
            _rebuild([i.product.template.id for i in identifiers])

    @classmethod
    def on_delete(cls, identifiers):
        templates = [i.product.template.id for i in identifiers]
        return super().on_delete(identifiers) + [lambda: _rebuild(templates)]


class Translation(metaclass=PoolMeta):
    __name__ = 'ir.translation'

    @classmethod
    def on_modification(cls, mode, translations, field_names=None):
        super().on_modification(mode, translations, field_names=field_names)
        if mode != 'delete':
            _rebuild(cls._search_templates(translations))

    @classmethod
    def on_delete(cls, translations):
        templates = cls._search_templates(translations)
        return super().on_delete(translations) + [
            lambda: _rebuild(templates)]

    @classmethod
    def _search_templates(cls, translations):
        templates, creators, categories = [], [], []
        for translation in translations:
            if translation.type != 'model' or not translation.name:
                continue
            if translation.name in {'product.template,name',
                    'product.template,description_long'}:
                templates.append(translation.res_id)
            elif translation.name == 'urban.creator,name':
                creators.append(translation.res_id)
            elif translation.name == 'product.category,name':
                categories.append(translation.res_id)
                _universes.clear()
        return (templates + _templates_of('creator', creators)
            + _templates_of('universe', categories))


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'search_catalog': RPC(readonly=True),
                'search_suggestions': RPC(readonly=True),
                })

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        setup_search_support(tables={'product_template', 'ir_translation'})

    @classmethod
    def on_modification(cls, mode, templates, field_names=None):
        super().on_modification(mode, templates, field_names=field_names)
        if mode != 'delete':
            _rebuild([t.id for t in templates])

    @classmethod
    def _search_arguments(cls, text, language, channel):
        pool = Pool()
        Lang = pool.get('ir.lang')
        Channel = pool.get('urban.channel')
        if text and len(text) > TEXT_MAX:
            raise UserError(gettext(
                    'urban_catalog.msg_search_text_too_long', max=TEXT_MAX))
        if language is None:
            language = Transaction().language
        elif not Lang.search([('code', '=', language)], limit=1):
            raise UserError(gettext(
                    'urban_catalog.msg_search_language', language=language))
        if channel is not None and not Channel.search(
                [('code', '=', channel)], limit=1):
            raise UserError(gettext(
                    'urban_catalog.msg_search_channel', channel=channel))
        if language not in languages():
            language = pool.get('ir.configuration').get_language()
        return language

    @classmethod
    def search_catalog(cls, text, language=None, limit=20, offset=0,
            channel=None):
        """Ids of the active products matching text, best first.

        Every word of text must match (accents and case ignored, same stem,
        a prefix or one edit away for words of 5+ letters) the name, the
        brand/creator, the universe or the long description read in
        language (default: the context language), or text is a product or
        variant code or an EAN. channel (a code such as 'web') keeps only
        the products published there.
        Ranking: code/EAN, all words in the name, in the name, brand or
        universe, anywhere; then exact words before prefixes and typos."""
        if (not isinstance(limit, int) or not 0 < limit <= LIMIT_MAX
                or not isinstance(offset, int) or offset < 0):
            raise UserError(gettext('urban_catalog.msg_search_paging',
                    max=LIMIT_MAX, limit=limit, offset=offset))
        language = cls._search_arguments(text, language, channel)
        Term = Pool().get('urban.search.term')
        ranked = Term.match(text, language, channel=channel,
            limit=offset + limit)
        return [i for i, _ in ranked[offset:offset + limit]]

    @classmethod
    def search_suggestions(cls, text, language=None, limit=SUGGESTIONS_MAX,
            channel=None):
        """Up to limit suggestions for what a customer is typing (2+
        letters): the universes and product names matching text read in
        language, as [{'kind': 'universe'|'product', 'id', 'name'}]"""
        pool = Pool()
        Category = pool.get('product.category')
        Term = pool.get('urban.search.term')
        if not isinstance(limit, int) or not 0 < limit <= SUGGESTIONS_MAX:
            raise UserError(gettext('urban_catalog.msg_search_paging',
                    max=SUGGESTIONS_MAX, limit=limit, offset=0))
        language = cls._search_arguments(text, language, channel)
        tokens = tokenize(text)
        if not tokens or len(''.join(tokens)) < 2:
            return []
        result = []
        with Transaction().set_context(language=language):
            universes = _universes.get(language)
            if universes is None:
                universes = [(u.id, u.name, tokenize(u.name))
                    for u in Category.search([('universe', '=', True)],
                        order=[('universe_sequence', 'ASC NULLS LAST'),
                            ('id', 'ASC')])]
                _universes.set(language, universes)
            for universe_id, name, words in universes:
                if all(any(w.startswith(t) for w in words)
                        for t in tokens):
                    result.append({'kind': 'universe', 'id': universe_id,
                            'name': name})
            ranked = Term.match(text, language, channel=channel,
                name_only=True, limit=limit - len(result))
            names = {t.id: t.name for t in cls.browse([i for i, _ in ranked])}
            for template_id, _ in ranked:
                result.append({'kind': 'product', 'id': template_id,
                        'name': names[template_id]})
        return result[:limit]
