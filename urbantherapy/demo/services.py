"""The outside services of `make demo`, emulated on 127.0.0.1: Stripe
(localstripe, with its webhook to our server), Mollie (with its hosted
checkout page), Sendcloud (carriers, prices, service points near any
Belgian postal code), Expo push, an SMTP outbox and a Lightspeed X-Series
till with an outlet in every shop.

`environment()` gives trytond the settings that point at them, the same
settings production gives with the real services' URLs and keys; the hub
page (http://127.0.0.1:<port + 1>/) shows what the demo sent (e-mails as
sent, push messages) and rings up till sales."""
import datetime as dt
import html
import secrets

from urbantherapy.emulators import ankorstore as fake_ankorstore
from urbantherapy.emulators.expo import FakeExpo
from urbantherapy.emulators.localstripe import LocalStripe, free_port
from urbantherapy.emulators.mollie import FakeMollie
from urbantherapy.emulators.outbox import Outbox, body
from urbantherapy.emulators.pos import FakeLightspeedX
from urbantherapy.emulators.sendcloud import FakeSendcloud
from urbantherapy.emulators.server import FakeServer

TILL_CONNECTOR = 'lightspeed_x'


class DemoServices:

    def __init__(self, site_url, hub_port=0):
        "site_url: where the demo's trytond answers"
        self.site_url = site_url.rstrip('/')
        self.hub_port = hub_port
        self.till_port = free_port()
        self.till_catalog = None
        self.stripe_webhook_secret = 'whsec_demo_' + secrets.token_hex(16)
        self.mollie_key = 'test_demo' + secrets.token_hex(8)
        self.sendcloud_keys = ('demo_public', secrets.token_hex(12))
        self.till_secret = secrets.token_hex(24)
        self.till_token = secrets.token_hex(24)
        self.till_sales = []
        self.ankorstore_port = free_port()
        self.ankorstore_variants = None

    @property
    def ankorstore_url(self):
        return 'http://127.0.0.1:%s' % self.ankorstore_port

    @property
    def till_url(self):
        return 'http://127.0.0.1:%s' % self.till_port

    def start(self, till=None, ankorstore=None):
        """Start the emulators; till: the demo till's catalogue (see
        urbantherapy.demo.till), None for no till; ankorstore: the
        variants the demo brand sells on Ankorstore (see
        urbantherapy.demo.ankorstore), None for no Ankorstore"""
        self.till_catalog = till
        self.ankorstore = None
        if ankorstore:
            from .ankorstore import seed_orders
            self.ankorstore = fake_ankorstore.FakeAnkorstore(
                port=self.ankorstore_port, variants=ankorstore).start()
            seed_orders(self.ankorstore)
        self.stripe = LocalStripe().start()
        self.stripe.register_webhook('urban',
            self.site_url + '/webhooks/stripe', self.stripe_webhook_secret)
        self.mollie = FakeMollie(api_key=self.mollie_key).start()
        self.sendcloud = FakeSendcloud(*self.sendcloud_keys,
            anywhere=True).start()
        self.expo = FakeExpo().start()
        self.outbox = Outbox().start()
        self.till = None
        if self.till_catalog:
            self.till = FakeLightspeedX(catalog_map=self.till_catalog,
                port=self.till_port)
            self.till.token = self.till_token
        self.hub = Hub(self, port=self.hub_port).start()
        return self

    def stop(self):
        for service in ('hub', 'ankorstore', 'till', 'outbox', 'expo',
                'sendcloud', 'mollie', 'stripe'):
            running = getattr(self, service, None)
            if running is not None:
                running.stop()

    # a service is real when one of its keys is in the environment
    REAL = {
        'stripe': ('TRYTOND_URBAN__STRIPE_SECRET_KEY', 'STRIPE_SECRET_KEY'),
        'mollie': ('TRYTOND_URBAN__MOLLIE_API_KEY', 'MOLLIE_API_KEY'),
        'sendcloud': ('TRYTOND_URBAN__SENDCLOUD_SECRET_KEY',
            'SENDCLOUD_SECRET_KEY'),
        'expo': ('TRYTOND_URBAN__EXPO_ACCESS_TOKEN',
            'TRYTOND_URBAN__EXPO_PUSH_URL'),
        'email': ('TRYTOND_EMAIL__URI',),
        'ankorstore': ('TRYTOND_URBAN_ANKORSTORE__CLIENT_SECRET',
            'ANKORSTORE_CLIENT_SECRET'),
        }

    def environment(self, environ=None):
        """trytond's settings (TRYTOND_<SECTION>__<OPTION>) for the
        emulated services, leaving out those environ configures for real"""
        environ = environ or {}
        settings = {
            'stripe': {
                'stripe_api_base': self.stripe.url,
                'stripe_secret_key': 'sk_test_demo',
                'stripe_publishable_key': 'pk_test_demo',
                'stripe_webhook_secret': self.stripe_webhook_secret,
                'stripe_js_url': self.stripe.url + '/js.stripe.com/v3/',
                },
            'mollie': {
                'mollie_api_base': self.mollie.url,
                'mollie_api_key': self.mollie_key,
                },
            'sendcloud': {
                'sendcloud_api_url': self.sendcloud.url + '/api/v2',
                'sendcloud_servicepoints_url': self.sendcloud.url + '/api/v2',
                'sendcloud_public_key': self.sendcloud_keys[0],
                'sendcloud_secret_key': self.sendcloud_keys[1],
                },
            'expo': {
                'expo_push_url': self.expo.url + '/--/api/v2/push/send',
                },
            }
        env = {}
        for service, values in settings.items():
            if not any(environ.get(k) for k in self.REAL[service]):
                env.update(('TRYTOND_URBAN__%s' % k.upper(), v)
                    for k, v in values.items())
        if self.ankorstore and not any(
                environ.get(k) for k in self.REAL['ankorstore']):
            # the demo brand's secrets, from the configuration
            env['TRYTOND_URBAN_ANKORSTORE__CLIENT_SECRET'] = \
                fake_ankorstore.CLIENT_SECRET
            env['TRYTOND_URBAN_ANKORSTORE__WEBHOOK_SECRET'] = \
                fake_ankorstore.WEBHOOK_SECRET
        if not any(environ.get(k) for k in self.REAL['email']):
            env['TRYTOND_EMAIL__URI'] = self.outbox.uri
        return env

    @property
    def hub_url(self):
        return self.hub.url

    # -- the demo till ------------------------------------------------------
    def ring_up(self, shop_code, sku, quantity):
        """Sell quantity of sku in the shop's till: the till's stock drops
        and it sends the signed sale webhook to our server, as a
        Lightspeed X-Series till does; returns (sale, webhook status)"""
        catalog = self.till_catalog
        outlet = next(s['lightspeed_x_outlet_id'] for s in catalog['shops']
            if s['shop'] == shop_code)
        row = next(p for p in catalog['products'] if p['sku'] == sku)
        number = '%s-%s' % (shop_code, dt.datetime.now().strftime(
                '%H%M%S%f'))
        sale = self.till.sell(outlet, [(row, quantity)], number)
        status = self.till.webhook(
            self.site_url + '/webhooks/pos/%s' % TILL_CONNECTOR,
            self.till_secret, sale)
        self.till_sales.append((sale, status))
        return sale, status


STYLE = ('<style>body{font-family:system-ui,sans-serif;max-width:60rem;'
    'margin:2rem auto;padding:0 1rem;color:#333}table{border-collapse:'
    'collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;'
    'text-align:left;vertical-align:top}code{background:#f4f1ec;padding:'
    '0 .2rem}</style>')


def page(title, content):
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width">'
        '<title>%s · Urban Therapy demo</title>%s</head><body>'
        '<p><a href="/">Demo services</a></p><h1>%s</h1>%s</body></html>' % (
            html.escape(title), STYLE, html.escape(title), content)
        ).encode()


HTML = 'text/html; charset=utf-8'


class Hub(FakeServer):
    "The demo services' pages for a person: outbox, push messages, till"

    def __init__(self, services, port=0):
        super().__init__(port=port)
        self.services = services

    def handle(self, method, path, query, body_, headers):
        services = self.services
        if path == '/':
            return 200, self.index(), HTML
        if path == '/outbox':
            return 200, self.outbox(), HTML
        if path.startswith('/outbox/') and path[8:].isdigit():
            message = services.outbox.get(int(path[8:]))
            if message:
                return 200, self.mail(message), HTML
        if path == '/push':
            return 200, self.push(), HTML
        if path == '/till' and services.till:
            if method == 'POST':
                return self.sell(body_ or {})
            return 200, self.till(query.get('sold')), HTML
        return 404, page("Not found", ''), HTML

    def index(self):
        s = self.services
        site = html.escape(s.site_url)
        return page("Demo services", '''
<p>Everything the demo at <a href="{site}">{site}</a> would send to an
outside service stays here.</p>
<ul>
<li><a href="/outbox">E-mail outbox</a>: {mails} messages, as sent
(FR/NL/EN)</li>
<li><a href="/push">Push notifications</a>: {pushes} sent to the app</li>
<li><a href="/till">Demo till</a>: ring up a sale in a shop (Lightspeed
X-Series emulator, signed webhook)</li>
</ul>
<h2>Paying</h2>
<ul>
<li>Stripe (localstripe at <code>{stripe}</code>): card
<code>4242 4242 4242 4242</code>, any future date, any CVC; 3-D Secure card
<code>4000 0027 6000 3184</code>; declined
<code>4000 0000 0000 0002</code>.</li>
<li>Mollie (emulator at <code>{mollie}</code>): its test checkout page
lets you pay, fail or cancel.</li>
<li>Sendcloud (emulator at <code>{sendcloud}</code>): bpost, DHL, Mondial
Relay with their prices; relay points near any Belgian postal code.</li>
</ul>'''.format(site=site, mails=len(s.outbox.messages),
                pushes=len(s.expo.messages),
                stripe=html.escape(s.stripe.url),
                mollie=html.escape(s.mollie.url),
                sendcloud=html.escape(s.sendcloud.url)))

    def outbox(self):
        rows = ''.join(
            '<tr><td>%s</td><td>%s</td><td><a href="/outbox/%d">%s</a></td>'
            '</tr>' % (html.escape(str(m['message']['Date'] or '')),
                html.escape(', '.join(m['to'])), m['id'],
                html.escape(str(m['message']['Subject'] or '(no subject)')))
            for m in self.services.outbox.latest())
        return page("E-mail outbox", '<table><tr><th>Date</th><th>To</th>'
            '<th>Subject</th></tr>%s</table>' % rows
            if rows else '<p>No e-mail sent yet.</p>')

    def mail(self, message):
        msg = message['message']
        rich = body(msg, 'html')
        text = body(msg, 'plain')
        content = ('<p><strong>From</strong> %s<br><strong>To</strong> %s'
            '<br><strong>Subject</strong> %s</p>' % (
                html.escape(str(msg['From'])), html.escape(str(msg['To'])),
                html.escape(str(msg['Subject']))))
        if rich:
            # the message's own HTML, isolated from this page
            content += ('<iframe sandbox srcdoc="%s" style="width:100%%;'
                'height:40rem;border:1px solid #ddd"></iframe>'
                % html.escape(rich))
        if text:
            content += '<pre style="white-space:pre-wrap">%s</pre>' % (
                html.escape(text))
        return page(str(msg['Subject'] or 'E-mail'), content)

    def push(self):
        rows = ''.join(
            '<tr><td><code>%s</code></td><td>%s</td><td>%s</td>'
            '<td><code>%s</code></td></tr>' % (
                html.escape(str(m.get('to'))),
                html.escape(str(m.get('title'))),
                html.escape(str(m.get('body'))),
                html.escape(str(m.get('data') or '')))
            for m in reversed(self.services.expo.messages))
        return page("Push notifications", '<table><tr><th>Device</th>'
            '<th>Title</th><th>Message</th><th>Data</th></tr>%s</table>'
            % rows if rows else '<p>No push message sent yet.</p>')

    def till(self, sold=None):
        catalog = self.services.till_catalog
        shops = ''.join('<option value="%s">%s</option>' % (
                html.escape(s['shop']), html.escape(s['name']))
            for s in catalog['shops'])
        products = ''.join('<option value="%s">%s · %s · € %s</option>' % (
                html.escape(p['sku']), html.escape(p['sku']),
                html.escape(p['name']), html.escape(str(p['price'])))
            for p in catalog['products'])
        done = ''
        for sale, status in reversed(self.services.till_sales[-10:]):
            line = sale['line_items'][0]
            done += '<li>%s: %s × %s (%s) · webhook answered %s</li>' % (
                html.escape(sale['invoice_number']), line['quantity'],
                html.escape(line['name']), html.escape(line['sku']), status)
        return page("Demo till", '''
<p>A sale rung up here leaves the till's stock and reaches the platform
through the signed webhook a Lightspeed X-Series till sends; the shop's
availability in the app and the sale in the back office follow within
seconds.</p>
<form method="post">
<p><label>Shop <select name="shop">{shops}</select></label></p>
<p><label>Product <select name="sku">{products}</select></label></p>
<p><label>Quantity <input name="quantity" type="number" min="1" max="20"
value="1"></label></p>
<p><button>Ring up</button></p></form>
<h2>Sales rung up</h2><ul>{done}</ul>'''.format(shops=shops,
                products=products, done=done or '<li>none yet</li>'))

    def sell(self, form):
        catalog = self.services.till_catalog
        shop = form.get('shop')
        sku = form.get('sku')
        quantity = form.get('quantity') or '1'
        if (shop not in {s['shop'] for s in catalog['shops']}
                or sku not in {p['sku'] for p in catalog['products']}
                or not quantity.isdigit() or not 1 <= int(quantity) <= 20):
            return 400, page("Bad sale", '<p>Choose a shop, a product and '
                'a quantity from 1 to 20.</p>'), HTML
        self.services.ring_up(shop, sku, int(quantity))
        return 303, b'', HTML, {'Location': '/till?sold=1'}
