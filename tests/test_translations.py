"""The FR/NL catalogues of our modules load in Tryton (the tests activate
in English only, so a malformed entry would only break `make demo` and a
production update, when the languages are loaded) and are complete: every
string Tryton registers for our modules is translated in both."""
import pathlib
import unittest

import polib
import pytest
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.testing import URBAN_MODULES, activate_module

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
        assert (entry.msgstr.strip() or entry.obsolete
            or 'fuzzy' in entry.flags), 'empty translation of %s' % (key,)


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
    for path in sorted([*(ROOT / 'urban_website').glob('pro*.py'),
                *(ROOT / 'urban_website').glob('shop_*.py')]):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call)
                    and getattr(node.func, 'id', None) == '_'
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)):
                texts.append((path.name, node.args[1].value))
    for path in [ROOT / 'urban_website' / 'account.py']:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call)
                    and getattr(node.func, 'attr', None) == 'gettext'
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)):
                texts.append((path.name, node.args[1].value))
    from urban_website import (
        pro, shop_account, shop_cart, shop_checkout, shop_messages)
    texts.extend(('pro.py', t) for t in pro.PEPPOL_LABELS.values())
    texts.extend(('shop_cart.py', t) for t in shop_cart.MESSAGES.values())
    texts.extend(('shop_checkout.py', t)
        for t in shop_checkout.MESSAGES.values())
    texts.extend(('shop_checkout.py', t)
        for t in shop_checkout.COUNTRY_NAMES.values())
    texts.extend(('shop_account.py', t)
        for t in shop_account.STEPS.values())
    texts.extend(('shop_account.py', t)
        for t in shop_account.RETURN_REFUSALS.values())
    texts.extend(('shop_messages.py', t)
        for t in [*shop_messages.SUBJECTS.values(),
            *shop_messages.STATES.values()])
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


class CatalogueCompletenessTestCase(unittest.TestCase):
    """Every string our modules register in Tryton (model and field names,
    helps, selections, view texts, menus, actions, buttons, messages,
    reports) has a French and a Dutch translation in the module's catalogue,
    under the context Tryton exports it with."""

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(URBAN_MODULES)
        cls.registered = {}
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Translation = pool.get('ir.translation')
            # what the "Set Translations" wizard does: register the strings
            # of views and reports beside those of the models and the data
            TranslationSet = pool.get('ir.translation.set', type='wizard')
            session_id, _, _ = TranslationSet.create()
            TranslationSet.execute(session_id, {}, 'set_')
            TranslationSet.delete(session_id)
            # the "Export Translations" wizard in the source language: the
            # entries a catalogue of the module must have
            for module in URBAN_MODULES:
                content = Translation.translation_export('en', module)
                cls.registered[module] = {
                    (e.msgctxt, e.msgid)
                    for e in polib.pofile(content.decode())
                    } if content else set()
            transaction.rollback()

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def catalogue(self, module, lang):
        path = ROOT / module / 'locale' / ('%s.po' % lang)
        if not path.exists():
            return {}
        return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))
            if not e.obsolete}

    def assert_complete(self, lang):
        missing = []
        for module in URBAN_MODULES:
            catalogue = self.catalogue(module, lang)
            for key in sorted(self.registered[module]):
                entry = catalogue.get(key)
                if (entry is None or not entry.msgstr.strip()
                        or 'fuzzy' in entry.flags):
                    missing.append('%s/locale/%s.po: %s %r'
                        % (module, lang, *key))
        self.assertFalse(missing, '%s strings without a translation:\n%s'
            % (len(missing), '\n'.join(missing)))

    def test_registered_strings(self):
        "The export finds the strings of every kind"
        kinds = {ctxt.split(':')[0]
            for strings in self.registered.values() for ctxt, _ in strings}
        self.assertLessEqual(
            {'model', 'field', 'help', 'selection', 'view'}, kinds)
        self.assertIn(('model:ir.ui.menu,name:menu_catalog', 'Catalogue'),
            self.registered['urban_catalog'])

    def test_french_complete(self):
        "Every string of our modules is translated in French"
        self.assert_complete('fr')

    def test_dutch_complete(self):
        "Every string of our modules is translated in Dutch"
        self.assert_complete('nl')

    def test_no_stale_entries(self):
        """No catalogue keeps an entry Tryton no longer registers (a renamed
        string whose new text would be missing, a context Tryton ignores)"""
        stale = []
        for module in URBAN_MODULES:
            for lang in ('fr', 'nl'):
                for key in sorted(self.catalogue(module, lang)):
                    if key not in self.registered[module]:
                        stale.append('%s/locale/%s.po: %s %r'
                            % (module, lang, *key))
        self.assertFalse(stale, '%s stale entries:\n%s'
            % (len(stale), '\n'.join(stale)))
