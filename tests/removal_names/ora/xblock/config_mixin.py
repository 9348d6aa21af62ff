"""As ora2's ConfigMixin: the toggle's name is an argument of a helper, only known at run time."""
from edx_toggles.toggles import WaffleFlag, WaffleSwitch

WAFFLE_NAMESPACE = 'openresponseassessment'
MFE_VIEWS = 'mfe_views'
TEAM_SUBMISSIONS = 'team_submissions'


class ConfigMixin:
    @staticmethod
    def _waffle_switch(switch_name):
        return WaffleSwitch(f"{WAFFLE_NAMESPACE}.{switch_name}", module_name=__name__)

    @staticmethod
    def _waffle_flag(flag_name):
        return WaffleFlag(f"{WAFFLE_NAMESPACE}.{flag_name}", module_name=__name__)

    def is_feature_enabled(self, flag):
        return self._waffle_switch(flag).is_enabled() or self._waffle_flag(flag).is_enabled()

    def mfe_views_enabled(self):
        return self.is_feature_enabled(MFE_VIEWS)
