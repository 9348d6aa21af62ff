"""Toggles of the app, declared the ways edx-platform has declared them over the years."""
from edx_toggles.toggles import LegacyWaffleFlagNamespace, WaffleFlag, WaffleSwitch
from openedx.core.djangoapps.waffle_utils import CourseWaffleFlag, ExperimentWaffleFlag

# The older namespace form, spread over two lines.
WAFFLE_FLAG_NAMESPACE = LegacyWaffleFlagNamespace(
    name='course_experience'
)

# .. toggle_name: course_experience.relative_dates
# .. toggle_implementation: CourseWaffleFlag
# .. toggle_default: False
# .. toggle_description: Shows relative dates.
#   The description goes on.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2020-02-10
# .. toggle_target_removal_date: 2020-04-10
RELATIVE_DATES_FLAG = CourseWaffleFlag(
    WAFFLE_FLAG_NAMESPACE, 'relative_dates', __name__
)

UPSELL_EXPERIMENT = ExperimentWaffleFlag(WAFFLE_FLAG_NAMESPACE, "upsell", __name__, num_buckets=3)

# The current form: the full name, once as a literal and once from a constant.
LEARNER_HOME = 'learner_home'
# .. toggle_name: learner_home.mfe
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2024-01-01
NEW_HOME_FLAG = WaffleFlag(f'{LEARNER_HOME}.mfe', __name__)

# .. toggle_name: maintenance.banner
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: False
# .. toggle_use_cases: open_edx
BANNER_SWITCH = WaffleSwitch("maintenance.banner", __name__)

# Declared in code, never configured: its default (off) applies.
# .. toggle_name: learner_home.code_only
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_use_cases: temporary
# .. toggle_target_removal_date: 2099-01-01
CODE_ONLY_FLAG = WaffleFlag('learner_home.code_only', __name__)
