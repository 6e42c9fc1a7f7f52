"""The demo's settings as `make demo` passes them to trytond."""
import os
import pathlib
import shlex
import subprocess
import sys
import unittest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def demo_environment(*make_args):
    "The environment `make demo` serves with (its server's command line)"
    output = subprocess.run(['make', '-n', *make_args, 'demo'], cwd=ROOT,
        capture_output=True, text=True, check=True).stdout
    line, = [l for l in output.splitlines()
        if 'urbantherapy.demo.serve' in l]
    env = {}
    for word in shlex.split(line):
        if word == 'exec':
            break
        name, value = word.split('=', 1)
        env[name] = value
    return env


def shop_qr_url(env):
    "The URL that urban_loyalty prints in Ghent's QR codes under env"
    code = ("from types import SimpleNamespace\n"
        "from urban_loyalty.qr_print import shop_url\n"
        "print(shop_url(SimpleNamespace(shop_code='GNT')))\n")
    environ = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_')}
    environ.update(env, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, '-c', code], cwd=ROOT,
        env=environ, capture_output=True, text=True,
        check=True).stdout.strip()


class DemoSettingsTestCase(unittest.TestCase):

    def test_qr_codes_follow_the_demo_port(self):
        "Shop QR codes printed from the demo point to the port it serves on"
        env = demo_environment('PORT=8080')
        self.assertEqual(env['TRYTOND_URBAN__SITE_URL'],
            'http://127.0.0.1:8080')
        self.assertEqual(shop_qr_url(env),
            'http://127.0.0.1:8080/app?shop=GNT')

    def test_site_url_of_a_public_demo(self):
        env = demo_environment('SITE_URL=https://demo.urbantherapy.be')
        self.assertEqual(shop_qr_url(env),
            'https://demo.urbantherapy.be/app?shop=GNT')

    def test_site_url_defaults_to_the_address_served(self):
        "Without a site URL, links follow the address trytond listens on"
        env = {'TRYTOND_WEB__LISTEN': '127.0.0.1:8100'}
        self.assertEqual(shop_qr_url(env),
            'http://127.0.0.1:8100/app?shop=GNT')
        env = {'TRYTOND_WEB__LISTEN': '0.0.0.0:8200'}
        self.assertEqual(shop_qr_url(env),
            'http://127.0.0.1:8200/app?shop=GNT')

    def test_demo_serves_through_its_services(self):
        "make demo starts the emulated services beside trytond"
        env = demo_environment('PORT=8300')
        self.assertEqual(env['TRYTOND_WEB__LISTEN'], '127.0.0.1:8300')
        production = (ROOT / 'config' / 'production.conf').read_text()
        for setting in ['stripe_api_base', 'mollie_api_base',
                'sendcloud_api_url', 'expo_push_url', 'demo']:
            self.assertNotIn(setting, production)
