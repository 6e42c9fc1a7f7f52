from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanCheckoutTestCase(ModuleTestCase):
    "Test urban_checkout module"
    module = 'urban_checkout'


del ModuleTestCase
