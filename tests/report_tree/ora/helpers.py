from edx_toggles.toggles import WaffleFlag

WAFFLE_NAMESPACE = 'ora_ns'


def _waffle_flag(flag_name):
    return WaffleFlag(f"{WAFFLE_NAMESPACE}.{flag_name}", module_name=__name__)
