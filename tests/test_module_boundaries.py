"""Module boundaries (ARCHITECTURE.md): domain modules never need a channel
module, and a channel never needs another channel. "Need" is read where it
is declared (tryton.cfg depends and extras_depend) and where it is used
(Python imports of the module's code, tests aside)."""
import ast
import configparser
import unittest

from urbantherapy.testing import ROOT, URBAN_MODULES

CHANNELS = {'urban_mobile_api', 'urban_website', 'urban_ankorstore'}
DOMAIN = set(URBAN_MODULES) - CHANNELS

# Known crossings, each with the reason it is still there. The test fails
# when one is no longer needed, so the list only shrinks.
KNOWN = {}


def declared(module):
    "Our modules that module's tryton.cfg depends on (hard or extra)"
    parser = configparser.ConfigParser()
    parser.read(ROOT / module / 'tryton.cfg')
    names = set()
    for option in ('depends', 'extras_depend'):
        names.update(parser.get('tryton', option, fallback='').split())
    return {n for n in names if n in URBAN_MODULES}


def imported(module):
    "Our modules that module's code (tests aside) imports"
    names = set()
    for path in (ROOT / module).rglob('*.py'):
        if 'tests' in path.relative_to(ROOT / module).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                candidates = [node.module or '']
            else:
                continue
            names.update(c.split('.')[0] for c in candidates)
    return {n for n in names if n in URBAN_MODULES} - {module}


def crossings():
    "(module, needed) pairs that break the rules"
    found = set()
    for module in URBAN_MODULES:
        for needed in declared(module) | imported(module):
            if needed in CHANNELS and (module in DOMAIN
                    or module in CHANNELS):
                found.add((module, needed))
    return found


class ModuleBoundariesTestCase(unittest.TestCase):

    def test_every_module_is_classified(self):
        "a new module must say whether it is a domain or a channel"
        on_disk = {p.parent.name for p in ROOT.glob('urban_*/tryton.cfg')}
        self.assertEqual(on_disk, set(URBAN_MODULES))

    def test_no_domain_module_needs_a_channel(self):
        self.assertEqual({(m, n) for m, n in crossings() if m in DOMAIN},
            set())

    def test_no_channel_needs_another_channel(self):
        unexpected = {(m, n) for m, n in crossings()
            if m in CHANNELS} - set(KNOWN)
        self.assertEqual(unexpected, set())

    def test_known_crossings_are_still_needed(self):
        "a crossing removed must leave the list too"
        self.assertEqual(set(KNOWN) - crossings(), set())

    def test_checkout_is_a_domain_module(self):
        "the cart, checkout and payments serve the app and the site alike"
        self.assertIn('urban_checkout', DOMAIN)
        self.assertIn('urban_checkout', declared('urban_website'))
        self.assertIn('urban_checkout', imported('urban_website'))
        self.assertIn('urban_checkout', declared('urban_mobile_api'))

    def test_reading_finds_a_crossing(self):
        "the readers see a dependency where the rule is enforced"
        self.assertIn('urban_stock', declared('urban_loyalty'))
        self.assertIn('urban_catalog', imported('urban_website'))
