"""Helpers for our Tryton test cases.

Every `urban_*` module test activates the same full set of our modules, so
the activated database is built once and then restored from Tryton's
DB_CACHE template for each module (instead of one cold activation per
module's own dependency set).
"""
from trytond.tests.test_tryton import (
    ModuleTestCase, _DBTestCase, activate_module, drop_db)

URBAN_MODULES = [
    'urban_catalog',
    'urban_stock',
    'urban_b2b',
    'urban_loyalty',
    'urban_pos_bridge',
    'urban_mobile_api',
    'urban_website',
    ]


class UrbanModuleTestCase(ModuleTestCase):
    "Tryton's module checks, on a database with all our modules activated"

    @classmethod
    def setUpClass(cls):
        super(_DBTestCase, cls).setUpClass()
        drop_db()
        activate_module(URBAN_MODULES + list(cls.extras or []))


del ModuleTestCase
