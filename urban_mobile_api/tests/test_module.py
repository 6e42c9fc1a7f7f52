from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanMobileApiTestCase(ModuleTestCase):
    "Test urban_mobile_api module"
    module = 'urban_mobile_api'


del ModuleTestCase
