"""Shared set-up of the /api/v1 tests: the demo database, a werkzeug client
over the platform middleware, e-mails captured at trytond.sendmail's SMTP
connection, low login rate limits."""
import json
import re
import unittest
from unittest import mock

from trytond.config import config
from trytond.tests.test_tryton import drop_db
from trytond.wsgi import app
from werkzeug.test import Client
from werkzeug.wrappers import Response

from urbantherapy.testing import activate_demo
from urbantherapy.wsgi import PlatformMiddleware


def load_translations(module, languages=('fr', 'nl')):
    """The demo template is activated in English: load a Tryton module's
    fr/nl translations (trytond-admin -l fr nl does it for the demo)"""
    from trytond.pool import Pool
    from trytond.modules import get_module_info
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    directory = get_module_info(module)['directory']
    with Transaction().start(DB_NAME, 0) as transaction:
        Translation = Pool().get('ir.translation')
        for lang in languages:
            Translation.translation_import(lang, module,
                ['%s/locale/%s.po' % (directory, lang)])
        transaction.commit()


class FakeSMTP:
    "What trytond.sendmail sends: kept in `sent` instead of an SMTP server"
    uri = 'smtp://fake'

    def __init__(self):
        self.sent = []

    def send_message(self, msg, from_addr=None, to_addrs=None):
        self.sent.append(msg)
        return {}

    def quit(self):
        pass

    close = quit

    def texts(self, to):
        result = []
        for msg in self.sent:
            if msg['To'] != to:
                continue
            for part in msg.walk():
                if part.get_content_maintype() == 'text':
                    result.append((msg['Subject'],
                            part.get_payload(decode=True).decode()))
        return result

    def token(self, to):
        for _, text in reversed(self.texts(to)):
            match = re.search(r'token=([0-9a-f]+)', text)
            if match:
                return match.group(1)


class ApiTestCase(unittest.TestCase):
    CONFIG = {
        ('session', 'max_attempt'): '1',
        ('web', 'email_validation_url'):
            'https://app.urban-therapy.be/verify-email',
        ('web', 'reset_password_url'):
            'https://app.urban-therapy.be/reset-password',
        ('email', 'from'): 'hello@urban-therapy.be',
        # tests change data between reads: no micro-cache unless a test
        # turns it on (test_api_catalog.test_micro_cache)
        ('urban', 'api_cache_ttl'): '0',
        }

    @classmethod
    def setUpClass(cls):
        activate_demo()
        load_translations('web_user')
        cls._saved = {}
        for (section, option), value in cls.CONFIG.items():
            if not config.has_section(section):
                config.add_section(section)
            cls._saved[section, option] = config.get(section, option)
            config.set(section, option, value)
        cls.smtp = FakeSMTP()
        cls._patch = mock.patch('trytond.sendmail.get_smtp_server',
            return_value=cls.smtp)
        cls._patch.start()

    @classmethod
    def tearDownClass(cls):
        cls._patch.stop()
        for (section, option), value in cls._saved.items():
            if value is None:
                config._config.remove_option(section, option)
                config._cache_clear()
            else:
                config.set(section, option, value)
        drop_db()

    def client(self):
        return Client(PlatformMiddleware(app), Response)

    def json(self, response):
        return json.loads(response.data)

    def assertProblem(self, response, status, code=None):
        self.assertEqual(response.status_code, status, response.data)
        self.assertEqual(response.mimetype, 'application/problem+json')
        body = self.json(response)
        self.assertEqual(body['status'], status)
        if code:
            self.assertEqual(body['code'], code)
        return body
