from unittest import mock

from trytond.tests.test_tryton import with_transaction

from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanShippingTestCase(ModuleTestCase):
    "Test urban_shipping module"
    module = 'urban_shipping'

    @with_transaction()
    def test_configured_api_url_and_keys(self):
        "The Sendcloud base URL and keys come from the configuration"
        import trytond.config as config
        from trytond.modules.stock_package_shipping_sendcloud import (
            carrier as sendcloud)
        from trytond.pool import Pool

        from urban_shipping import carrier
        Credential = Pool().get('carrier.credential.sendcloud')
        credential = Credential(public_key='stored', secret_key='stored')
        values = {}

        def get(section, option, default=None):
            return values.get((section, option), default)

        with mock.patch.object(config, 'get', get), \
                mock.patch.dict('os.environ', clear=False) as environ:
            environ.pop('SENDCLOUD_PUBLIC_KEY', None)
            environ.pop('SENDCLOUD_SECRET_KEY', None)
            self.assertEqual(carrier.api_url(),
                'https://panel.sendcloud.sc/api/v2/')
            self.assertEqual(credential.auth, ('stored', 'stored'))

            environ['SENDCLOUD_PUBLIC_KEY'] = 'pub_env'
            environ['SENDCLOUD_SECRET_KEY'] = 'sec_env'
            self.assertEqual(credential.auth, ('pub_env', 'sec_env'))

            values.update({
                    ('urban', 'sendcloud_api_url'): 'http://127.0.0.1:1/v2',
                    ('urban', 'sendcloud_public_key'): 'pub',
                    ('urban', 'sendcloud_secret_key'): 'sec',
                    })
            self.assertEqual(credential.auth, ('pub', 'sec'))
            carrier._use_configured_url()
            self.assertEqual(
                sendcloud.SENDCLOUD_API_URL, 'http://127.0.0.1:1/v2/')
        carrier._use_configured_url()


del ModuleTestCase
