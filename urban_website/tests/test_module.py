from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanWebsiteTestCase(ModuleTestCase):
    "Test urban_website module"
    module = 'urban_website'


del ModuleTestCase
