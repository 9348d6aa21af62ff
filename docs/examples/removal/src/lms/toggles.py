"""Course experience toggles (the example tree of docs/removal.md)."""
from edx_toggles.toggles import LegacyWaffleFlagNamespace
from openedx.core.djangoapps.waffle_utils import CourseWaffleFlag, ExperimentWaffleFlag

WAFFLE_FLAG_NAMESPACE = LegacyWaffleFlagNamespace(name='course_experience')
# .. toggle_name: course_experience.relative_dates
# .. toggle_implementation: CourseWaffleFlag
# .. toggle_default: False
# .. toggle_description: Shows relative dates.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2020-02-10
# .. toggle_target_removal_date: 2020-10-01
RELATIVE_DATES = CourseWaffleFlag(
    WAFFLE_FLAG_NAMESPACE, 'relative_dates', __name__
)
UPSELL = ExperimentWaffleFlag(WAFFLE_FLAG_NAMESPACE, 'upsell', __name__, num_buckets=3)
CALENDAR_SYNC = CourseWaffleFlag(WAFFLE_FLAG_NAMESPACE, 'calendar_sync', __name__)
