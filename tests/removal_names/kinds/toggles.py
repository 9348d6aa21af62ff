"""Kinds: a name kept as a switch but read as a flag, and Django settings (not waffle toggles)."""
from edx_toggles.toggles import SettingDictToggle, WaffleFlag

READ_AS_FLAG = WaffleFlag('kinds.stored_as_switch', __name__)

ENABLE_X = SettingDictToggle("FEATURES", "ENABLE_X", default=False, module_name=__name__)

# .. toggle_name: FEATURES['ENABLE_Y']
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: a Django setting, whatever the implementation says
# .. toggle_use_cases: open_edx
def enable_y(settings):
    return settings.FEATURES.get('ENABLE_Y', False)
