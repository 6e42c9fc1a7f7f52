from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanAnalyticsTestCase(ModuleTestCase):
    "Test urban_analytics module"
    module = 'urban_analytics'


del ModuleTestCase
