"""The back office as its users meet it: Tryton's web client (sao) in
headless Chromium, logged in through its login form (the session cookie, no
header), on the demo business. For the manager, Gent's shop staff and the
B2B manager, every menu entry of our modules that the role sees opens, and
so does the form behind the first row of each list; a page error, an error
dialog or a "Processing" that lasts more than 5 s fails the walk.

`make test` walks the demo business on PostgreSQL. The same walk runs on
the SQLite demo database that `make demo` built (var/db/urban.sqlite):

    URBAN_WALK_EXISTING=1 DB_NAME=urban TRYTOND_URBAN__DATABASE=urban \
    TRYTOND_CONFIG=$PWD/config/demo.conf TRYTOND_DATABASE__PATH=$PWD/var/db \
    TRYTOND_WEB__ROOT=$PWD/var/www \
    .venv/bin/pytest --noconftest -p no:cacheprovider \
        tests/test_backoffice_browser.py
"""
import os
import re
import unittest

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from urbantherapy.demo import data
from urbantherapy.testing import URBAN_MODULES, activate_demo

from . import sao
from .website_server import LocalServer

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')
# walk a database that exists already (the SQLite demo), never dropped
EXISTING = bool(os.environ.get('URBAN_WALK_EXISTING'))
PATIENCE = sao.PATIENCE
ROLES = ['manager', 'staff.gnt', 'b2b']


def urban_menus(login):
    """The menu entries with an action that our modules define and the
    user sees (the menu's groups), as (id, complete name)"""
    with Transaction().start(DB_NAME, 0, readonly=True):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        Menu = pool.get('ir.ui.menu')
        ids = [r.db_id for r in ModelData.search([
                    ('module', 'in', URBAN_MODULES),
                    ('model', '=', 'ir.ui.menu'),
                    ])]
        user_id, = [u.id for u in User.search([('login', '=', login)])]
    with Transaction().start(DB_NAME, user_id, readonly=True,
            context={'_check_access': True}):
        menus = Menu.search([('id', 'in', ids)])
        return [{'id': m.id, 'complete_name': m.complete_name}
            for m in menus if m.action]


class BackOfficeBrowserTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        from playwright.sync_api import sync_playwright
        if not EXISTING:
            activate_demo()
        cls.server = LocalServer().__enter__()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(
            executable_path=CHROMIUM, args=['--no-sandbox'])

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        cls.server.__exit__(None, None, None)
        if not EXISTING:
            drop_db()

    def setUp(self):
        self.context = self.browser.new_context(
            viewport={'width': 1280, 'height': 900}, locale='fr-BE')
        self.page = self.context.new_page()
        self.page.set_default_timeout(PATIENCE * 1000)
        self.errors = []
        self.page.on('pageerror', lambda e: self.errors.append(str(e)))

    def tearDown(self):
        self.context.close()

    def login(self, login, password=data.DEMO_PASSWORD):
        "Through sao's login and password dialogs, as a person would"
        sao.login(self.page, self.server.url, login, password)
        self.assertEqual(self.errors, [])
        cookies = {c['name']: c for c in self.context.cookies()}
        self.assertIn('tryton_session', cookies)
        self.assertEqual(cookies['tryton_session']['path'],
            '/admin/' + DB_NAME)
        # start from no tab (sao.login waited for the login actions')
        self.close_tabs()

    def settle(self, what):
        "Wait until sao is idle; fail on an error or a lasting Processing"
        try:
            sao.settle(self.page, what)
        except sao.SaoFailure as failure:
            self.fail(str(failure))
        self.assertEqual(self.errors, [], what)

    def open_menu(self, menu):
        "Open the menu entry; True when it opened a tab"
        page = self.page
        tabs = page.evaluate('() => Sao.Tab.tabs.length')
        page.evaluate('''(id) => Sao.Action.exec_keyword('tree_open',
            {model: 'ir.ui.menu', id: id}, null, false)''', menu['id'])
        self.settle(menu['complete_name'])
        wizard = page.locator('.wizard-dialog:visible')
        if wizard.count():
            # a wizard opens as a dialog: it drew its first step, leave it
            # by its Cancel button (the wizard's end state)
            wizard.first.locator('.modal-footer button').filter(
                has_text=re.compile('Cancel|Annuler|Annuleren')).click()
            page.wait_for_selector('.wizard-dialog', state='detached')
            self.settle(menu['complete_name'] + ' → cancel')
            return False
        return page.evaluate('() => Sao.Tab.tabs.length') > tabs

    def open_first_row(self, menu):
        "Double-click the first row of the current list, if any"
        page = self.page
        view = page.evaluate('''() => {
            const tab = Sao.Tab.tabs.get_current();
            const screen = tab && tab.screen;
            return screen ? [screen.current_view.view_type,
                screen.group.length] : null;
            }''')
        if not view or view[0] != 'tree' or not view[1]:
            return False
        row = page.locator(
            '#tabcontent .tab-pane.active .treeview tbody tr').first
        row.locator('td').nth(1).dblclick()
        self.settle(menu['complete_name'] + ' → first row')
        return True

    def close_tabs(self):
        self.page.evaluate('''() => {
            for (const tab of Sao.Tab.tabs.slice()) {
                tab.close(); }}''')
        # sao closes a tab asynchronously (it first asks the form whether
        # it may): wait for it rather than for a fixed delay; a form left
        # modified asks before closing and keeps its tab, which fails here
        try:
            self.page.wait_for_function(
                '() => Sao.Tab.tabs.length === 0', timeout=PATIENCE * 1000)
        except PlaywrightTimeout:
            self.fail('tabs left open: %s' % self.page.evaluate(
                '() => Sao.Tab.tabs.map(t => t.name)'))

    def walk(self, login):
        self.login(login)
        menus = urban_menus(login)
        self.assertTrue(menus, login)
        opened, rows = [], 0
        for menu in menus:
            if self.open_menu(menu):
                opened.append(menu['complete_name'])
                rows += self.open_first_row(menu)
            self.close_tabs()
        return menus, opened, rows

    def test_manager(self):
        menus, opened, rows = self.walk('manager')
        self.assertGreater(len(opened), 20)
        self.assertGreater(rows, 5)

    def test_shop_staff(self):
        menus, opened, rows = self.walk('staff.gnt')
        self.assertGreater(len(opened), 3)
        names = ' '.join(opened)
        self.assertNotIn('Pro Applications', names)

    def test_b2b_manager(self):
        menus, opened, rows = self.walk('b2b')
        self.assertGreater(len(opened), 2)
