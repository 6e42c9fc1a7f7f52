"""The FR/NL catalogues of our modules load in Tryton: the tests activate
in English only, so a malformed entry would only break `make demo` (and a
production update) when the languages are loaded."""
import pathlib

import polib
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob('urban_*/locale/*.po'))
# the kinds ir.translation imports (trytond/ir/translation.py)
KINDS = {'field', 'help', 'model', 'selection', 'view', 'wizard_button',
    'report'}


@pytest.mark.parametrize('path', CATALOGUES,
    ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_catalogue_entries(path):
    entries = polib.pofile(str(path))
    assert len(entries), path
    seen = set()
    for entry in entries:
        # Tryton splits the context in three: kind, name, record id
        kind, name, res_id = entry.msgctxt.split(':')
        assert kind in KINDS, entry.msgctxt
        assert name, entry.msgctxt
        # only records (model:...) have an id: an XML id of the module
        assert kind == 'model' or not res_id, entry.msgctxt
        if kind == 'model':
            model, attribute = name.split(',')
            # a model's own name is its "string" (Tryton 8); records are
            # named by the XML id of this module
            assert res_id or attribute == 'string', entry.msgctxt
            assert '.' not in res_id, entry.msgctxt
        key = (entry.msgctxt, entry.msgid)
        assert key not in seen, 'duplicate %s' % (key,)
        seen.add(key)
        assert entry.msgstr.strip() or entry.obsolete or 'fuzzy' in entry.flags, (
            'empty translation of %s' % (key,))


def test_every_module_has_fr_and_nl():
    "Every module with models has both catalogues"
    modules = sorted(p.parent.name for p in ROOT.glob('urban_*/tryton.cfg')
        if '[register]' in p.read_text())
    missing = [(m, lang) for m in modules for lang in ('fr', 'nl')
        if not (ROOT / m / 'locale' / ('%s.po' % lang)).exists()]
    assert not missing, missing


def _website_texts():
    "(where, English text) of every interface text of the website"
    import ast
    import re
    texts = []
    for path in sorted((ROOT / 'urban_website' / 'templates').rglob('*.html')):
        for match in re.finditer(r'''_\(\s*(["'])(.*?)\1''',
                path.read_text()):
            texts.append((path.name, match.group(2)))
    for path in sorted((ROOT / 'urban_website').glob('pro*.py')):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call)
                    and getattr(node.func, 'id', None) == '_'
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)):
                texts.append((path.name, node.args[1].value))
    from urban_website import pro
    texts.extend(('pro.py', t) for t in pro.PEPPOL_LABELS.values())
    return texts


def test_website_texts_in_fr_and_nl():
    "Every text of the site's templates and of the pro portal is translated"
    from urban_website import i18n
    texts = _website_texts()
    assert len(texts) > 100
    missing = [(where, text) for where, text in texts
        if text not in i18n.CATALOG
        or not all(t.strip() for t in i18n.CATALOG[text])]
    assert not missing, missing
