from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanLoyaltyTestCase(ModuleTestCase):
    "Test urban_loyalty module"
    module = 'urban_loyalty'


del ModuleTestCase
