from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanB2bTestCase(ModuleTestCase):
    "Test urban_b2b module"
    module = 'urban_b2b'


del ModuleTestCase
