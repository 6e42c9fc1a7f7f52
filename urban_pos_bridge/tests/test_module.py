from urbantherapy.testing import UrbanModuleTestCase as ModuleTestCase


class UrbanPosBridgeTestCase(ModuleTestCase):
    "Test urban_pos_bridge module"
    module = 'urban_pos_bridge'


del ModuleTestCase
