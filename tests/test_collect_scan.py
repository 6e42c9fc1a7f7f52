"""Gent's staff find the shop's home at login, then prepare a click &
collect order (paid in the app, with localstripe as Stripe) by scanning
its articles, at the counter's tablet size (1024×768) in the web client
(sao, headless Chromium), in Dutch: a code that is not in the order is
refused with a message, each right one counts, and the order can be set
ready for pickup only once every article is scanned (the server checks it
too). Receiving a return counts the articles scanned the same way."""
import os
import pathlib

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from urbantherapy.demo import data
from urbantherapy.emulators.localstripe import LocalStripe

from . import sao
from .fakes.harness import ApiTestCase, committed, set_config
from .paid_orders import paid_click_collect, staff_steps
from .website_server import LocalServer

CHROMIUM = os.environ.get('URBAN_CHROMIUM', '/usr/bin/chromium')
ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / (
    'test-artifacts/scan')


def run_wizard(login, sale_id, button, scanned=None):
    """Run the wizard on sale_id as login (with access checks) up to
    button, with the start view's lines scanned as given ({EAN: count}),
    as the client would send them"""
    with Transaction().start(DB_NAME, 0, readonly=True):
        User = Pool().get('res.user')
        user, = User.search([('login', '=', login)])
        user_id, company = user.id, user.company.id
    with Transaction().start(DB_NAME, user_id, context={
                'company': company, '_check_access': True}) as transaction:
        pool = Pool()
        Wizard = pool.get('urban.stock.collect.prepare', type='wizard')
        Sale = pool.get('sale.sale')
        context = {'active_model': 'sale.sale', 'active_id': sale_id,
            'active_ids': [sale_id]}
        with Transaction().set_context(**context):
            session_id, _, _ = Wizard.create()
            start = Wizard.execute(session_id, {}, 'start')
            values = start['view']['defaults']
            for line in values['lines']:
                product = pool.get('product.product')(line['product'])
                codes = {i.code for i in product.identifiers}
                line['scanned'] = sum(n for code, n in (scanned or {}).items()
                    if code in codes)
            Wizard.execute(session_id, {'start': values}, button)
        transaction.commit()
        return Sale(sale_id).collect_state


class CollectScanTestCase(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stripe = LocalStripe().start()
        set_config(stripe_api_base=cls.stripe.url)

    @classmethod
    def tearDownClass(cls):
        cls.stripe.stop()
        super().tearDownClass()

    def order_to_prepare(self, quantity=2):
        """(sale id, number, [(EAN, quantity)]) of a paid click & collect
        order of quantity units to prepare in Gent"""
        client = self.client()
        _, auth = self.new_user()
        product, _, _ = self.in_stock(shop_code='GNT', minimum=quantity)
        order, _ = paid_click_collect(self, client, auth, product, 'GNT',
            quantity)

        staff_steps(order['id'])

        def facts():
            sale = Pool().get('sale.sale')(order['id'])
            articles = [(next(i.code for i in l.product.identifiers
                            if i.type == 'ean'), int(l.quantity))
                for l in sale.lines if l.type == 'line' and l.product]
            return sale.id, sale.number, articles
        return committed(facts)

    def test_ready_only_once_all_scanned(self):
        """The server refuses an order not fully scanned, whatever the
        client sends; fully scanned, it is prepared and ready"""
        from urban_stock.scan import ScanError
        sale_id, _, articles = self.order_to_prepare()
        partly = {e: n - 1 for e, n in articles}
        with self.assertRaises(ScanError):
            run_wizard('staff.gnt', sale_id, 'ready', partly)
        self.assertEqual(run_wizard('staff.gnt', sale_id, 'ready',
                dict(articles)), 'ready')

    def test_return_counted_by_scanning(self):
        """Receiving a return: each scan of an article is one more to
        return, up to what may be returned; another code is refused"""
        from urban_stock.scan import ScanError
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            Identifier = pool.get('product.identifier')
            Start = pool.get('urban.stock.receive_return.start')
            first, second = Identifier.search([('type', '=', 'ean')],
                limit=2, order=[('id', 'ASC')])
            record = Start(order='SO-TEST', lines=[
                    {'product': first.product.id, 'returnable': 2,
                        'quantity': 0},
                    {'product': second.product.id, 'returnable': 1,
                        'quantity': 0}])
            for code in [first.code, ' %s ' % second.code, first.code]:
                record.on_scan_code(code)
            self.assertEqual([l.quantity for l in record.lines], [2, 1])
            for code in [first.code, '4006381333931']:
                with self.assertRaises(ScanError) as refused:
                    record.on_scan_code(code)
                self.assertIn('SO-TEST', refused.exception.message)
            self.assertEqual([l.quantity for l in record.lines], [2, 1])

    def test_scanning_at_the_counter(self):
        "In sao at 1024×768, in Dutch: wrong code refused, then all scanned"
        from playwright.sync_api import expect, sync_playwright
        sale_id, number, articles = self.order_to_prepare()
        with LocalServer() as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=['--no-sandbox'])
            page = browser.new_context(
                viewport={'width': 1024, 'height': 768}).new_page()
            errors = []
            page.on('pageerror', lambda e: errors.append(str(e)))
            sao.login(page, server.url, 'staff.gnt', data.DEMO_PASSWORD)
            # the shop's home opens at login: the order waits to be
            # prepared, among the shop's work of the day
            board = page.locator('#tabcontent .tab-pane.active .board')
            board.wait_for()
            collect = board.locator('.board-action').filter(
                has_text='Voor te bereiden').first
            expect(collect.locator('.treeview tbody tr').filter(
                    has_text=number)).to_have_count(1)
            for title in ['Te ontvangen retouren', 'Transfers']:
                expect(board.locator('.board-action').filter(
                        has_text=title).first).to_be_visible()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / 'shop-home.png'))
            sao.open_menu(page, 'urban_stock.menu_collect_to_prepare')
            # a sale's form takes more than sao's 3 s on a busy CI machine
            # (the menu walk holds every form to 5 s on the demo)
            sao.open_row(page, number, patience=30)
            # the wizard's dialog stays over the form until it ends
            sao.active_tab(page).get_by_role('button',
                name='Klaarmaken door te scannen', exact=True).click()
            wizard = page.locator('.modal:visible').filter(
                has_text='Gescand')
            wizard.wait_for()
            ready = wizard.get_by_role('button', name='Klaar om af te halen')
            expect(ready).to_be_disabled()

            def scanner():
                wizard.get_by_role('button', name='Scannen').click()
                box = page.get_by_placeholder('Barcode')
                box.wait_for()
                return box
            # a wrong article: refused, with the order named
            box = scanner()
            box.fill('0000000000000')
            box.press('Enter')
            warning = page.locator('.modal.warning-dialog:visible')
            expect(warning).to_contain_text('0000000000000')
            expect(warning).to_contain_text(number)
            warning.get_by_role('button', name='OK').click()
            # the right ones, as the scanner types them (code and Enter)
            box = scanner()
            for ean, quantity in articles:
                for _ in range(quantity):
                    box.fill(ean)
                    box.press('Enter')
                    page.wait_for_function('() => jQuery.active == 0')
            page.locator('.modal.code-scanner:visible').get_by_role(
                'button', name='Sluiten').click()
            expect(page.locator('.modal.code-scanner')).to_be_hidden()
            expect(ready).to_be_enabled()
            page.screenshot(path=str(ARTIFACTS / 'scanned.png'))
            ready.click()
            sao.settle(page, 'ready for pickup', patience=30)
            browser.close()
        with Transaction().start(DB_NAME, 0, readonly=True):
            self.assertEqual(Pool().get('sale.sale')(sale_id).collect_state,
                'ready')
        self.assertEqual(errors, [])
