"""Sendcloud credentials of Tryton's stock_package_shipping_sendcloud, with
the API base URL and the keys taken from the configuration or the
environment, never from the repository or the demo data:

- `[urban] sendcloud_api_url` (default https://panel.sendcloud.sc/api/v2),
  the same option as the checkout's delivery prices (urban_checkout), so tests
  point both at the fake Sendcloud;
- `[urban] sendcloud_public_key` / `sendcloud_secret_key` or the
  environment (SENDCLOUD_PUBLIC_KEY, SENDCLOUD_SECRET_KEY); the keys stored
  on the credential record are used only when neither is set.
"""
import os

import trytond.config as config
from trytond.modules.stock_package_shipping_sendcloud import (
    carrier as sendcloud)
from trytond.pool import PoolMeta

DEFAULT_API_URL = 'https://panel.sendcloud.sc/api/v2'


def api_url():
    "Base URL of Sendcloud's panel API, with a trailing slash"
    return (config.get('urban', 'sendcloud_api_url')
        or DEFAULT_API_URL).rstrip('/') + '/'


def configured_keys():
    "(public, secret) from the configuration or the environment, or None"
    public = (config.get('urban', 'sendcloud_public_key', default=None)
        or os.environ.get('SENDCLOUD_PUBLIC_KEY'))
    secret = (config.get('urban', 'sendcloud_secret_key', default=None)
        or os.environ.get('SENDCLOUD_SECRET_KEY'))
    if public and secret:
        return public, secret


def _use_configured_url():
    # Tryton's module reads this constant at each call; every process of
    # a deployment has one configuration, so setting it is idempotent
    sendcloud.SENDCLOUD_API_URL = api_url()


class CredentialSendcloud(metaclass=PoolMeta):
    __name__ = 'carrier.credential.sendcloud'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # read by the administrators only (security.xml)
        cls.public_key.loading = 'lazy'
        cls.secret_key.loading = 'lazy'

    @property
    def auth(self):
        return configured_keys() or super().auth

    @property
    def addresses_sender(self):
        _use_configured_url()
        return super().addresses_sender

    def get_shipping_methods(self, *args, **kwargs):
        _use_configured_url()
        return super().get_shipping_methods(*args, **kwargs)

    def get_parcel(self, id):
        _use_configured_url()
        return super().get_parcel(id)

    def create_parcels(self, parcels):
        _use_configured_url()
        return super().create_parcels(parcels)
