# Catalogue search: names, descriptions and brand in the customer's language,
# accent-insensitive and ranked. PostgreSQL: unaccent + pg_trgm with GIN
# trigram indexes; SQLite: the same query on a normalising SQL function
# defined in Python, without fuzzy matching.
import logging
import re
import unicodedata

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
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


class Creator(metaclass=PoolMeta):
    __name__ = 'urban.creator'

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        setup_search_support(tables={'urban_creator'})


class Template(metaclass=PoolMeta):
    __name__ = 'product.template'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__rpc__.update({
                'search_catalog': RPC(readonly=True),
                })

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        setup_search_support(tables={'product_template', 'ir_translation'})

    @classmethod
    def search_catalog(cls, text, language=None, limit=20, offset=0,
            channel=None):
        """Ids of the active products matching text, best first.

        Every word of text must appear (accents and case ignored) in the
        name, the long description or the brand/creator name read in
        language (default: the context language, falling back to the
        untranslated value). On PostgreSQL a misspelt text also finds close
        names (trigram word similarity). channel (a code such as 'web')
        keeps only the products published there.
        Ranking: name starts with text, all words in the name, name
        similarity, words in the brand, words in the description."""
        pool = Pool()
        Lang = pool.get('ir.lang')
        Channel = pool.get('urban.channel')
        transaction = Transaction()
        if text and len(text) > TEXT_MAX:
            raise UserError(gettext(
                    'urban_catalog.msg_search_text_too_long', max=TEXT_MAX))
        if (not isinstance(limit, int) or not 0 < limit <= LIMIT_MAX
                or not isinstance(offset, int) or offset < 0):
            raise UserError(gettext('urban_catalog.msg_search_paging',
                    max=LIMIT_MAX, limit=limit, offset=offset))
        if language is None:
            language = transaction.language
        elif not Lang.search([('code', '=', language)], limit=1):
            raise UserError(gettext(
                    'urban_catalog.msg_search_language', language=language))
        if channel is not None and not Channel.search(
                [('code', '=', channel)], limit=1):
            raise UserError(gettext(
                    'urban_catalog.msg_search_channel', channel=channel))
        tokens = tokenize(text)
        if not tokens:
            return []
        fuzzy = has_trigram()
        if backend.name == 'sqlite':
            transaction.connection.create_function(
                NORM, 1, normalize, deterministic=True)
            param = '?'
        else:
            param = '%s'
        query = ' '.join(tokens)
        # the longest word drives the index lookup of candidates
        key = '%' + max(tokens, key=len) + '%'
        pct = '%%' if param == '%s' else '%'

        def contains(column):
            conditions = ['{column} LIKE {p}'.format(column=column, p=param)
                for _ in tokens]
            return '(%s)' % ' AND '.join(conditions)
        token_params = ['%' + t + '%' for t in tokens]

        def translation(field):
            # MAX, not ORDER BY id LIMIT 1: PostgreSQL would walk the
            # primary key backwards for each product (minutes on 20k).
            return ('(SELECT MAX(tr.value) FROM ir_translation AS tr '
                "WHERE tr.res_id = t.id AND tr.name = 'product.template,{f}' "
                "AND tr.type = 'model' AND tr.lang = {p} "
                "AND tr.fuzzy = {false} AND tr.value != '')"
                ).format(f=field, p=param,
                    false='false' if param == '%s' else '0')

        params = []
        candidates = [
            ("SELECT res_id FROM ir_translation WHERE type = 'model' "
                "AND name IN ({names}) AND {n}(value) LIKE {p}"),
            'SELECT id FROM product_template WHERE {n}(name) LIKE {p}',
            ('SELECT id FROM product_template '
                'WHERE {n}(description_long) LIKE {p}'),
            ('SELECT t2.id FROM product_template AS t2 '
                'JOIN urban_creator AS c2 ON c2.id = t2.creator '
                'WHERE {n}(c2.name) LIKE {p}'),
            ]
        params.extend([key] * len(candidates))
        if fuzzy:
            candidates += [
                ("SELECT res_id FROM ir_translation WHERE type = 'model' "
                    "AND name IN ({names}) AND {p} <{pct} {n}(value)"),
                'SELECT id FROM product_template WHERE {p} <{pct} {n}(name)',
                ]
            params.extend([query] * 2)
        candidates = ' UNION '.join(candidates).format(
            n=NORM, p=param, pct=pct, names=', '.join(TRANSLATED))

        doc = (
            'SELECT t.id AS id, '
            '{n}(COALESCE({tname}, t.name)) AS name, '
            "{n}(COALESCE({tdesc}, t.description_long, '')) AS descr, "
            "{n}(COALESCE(c.name, '')) AS brand "
            'FROM product_template AS t '
            'LEFT JOIN urban_creator AS c ON c.id = t.creator '
            'WHERE t.active = {true} AND t.id IN ({candidates})').format(
                n=NORM, tname=translation('name'),
                tdesc=translation('description_long'),
                true='true' if param == '%s' else '1',
                candidates=candidates)
        params = [language, language] + params
        if channel:
            doc += (' AND t.id IN (SELECT r.template '
                'FROM "product_template-urban_channel" AS r '
                'JOIN urban_channel AS ch ON ch.id = r.channel '
                'WHERE ch.code = {p} AND ch.active = {true})').format(
                    p=param, true='true' if param == '%s' else '1')
            params.append(channel)

        match = ' OR '.join([
                contains("(d.name || ' ' || d.brand || ' ' || d.descr)")]
            + (['{p} <{pct} d.name'.format(p=param, pct=pct)]
                if fuzzy else []))
        match_params = token_params + ([query] if fuzzy else [])
        score = [
            ('CASE WHEN d.name LIKE {p} THEN 4 ELSE 0 END', [query + '%']),
            ('CASE WHEN %s THEN 3 ELSE 0 END' % contains('d.name'),
                token_params),
            ('CASE WHEN %s THEN 2 ELSE 0 END' % contains('d.brand'),
                token_params),
            ('CASE WHEN %s THEN 1 ELSE 0 END' % contains('d.descr'),
                token_params),
            ]
        if fuzzy:
            score.append(('2 * word_similarity({p}, d.name)', [query]))
        score_sql = ' + '.join(s for s, _ in score).format(p=param)
        score_params = [p for _, ps in score for p in ps]

        sql = ('SELECT d.id, {score} AS score FROM ({doc}) AS d '
            'WHERE {match} ORDER BY score DESC, d.name, d.id').format(
                score=score_sql, doc=doc, match=match)
        params = score_params + params + match_params
        sql += ' LIMIT %s OFFSET %s' % (int(limit), int(offset))
        cursor = transaction.connection.cursor()
        cursor.execute(sql, params)
        return [id_ for id_, _ in cursor]
