"""
Waffle toggles of the fixture (a copy of edx-enterprise's style).
"""
from edx_toggles.toggles import WaffleFlag

ENTERPRISE_NAMESPACE = 'enterprise'

# .. toggle_name: enterprise.TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Enables top-down assignment
#   for every enterprise customer.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2023-09-15
# .. toggle_target_removal_date: 2024-09-15
TOP_DOWN_ASSIGNMENT_REAL_TIME_LCM = WaffleFlag(
    f'{ENTERPRISE_NAMESPACE}.top_down_assignment_real_time_lcm',
    __name__,
)

# .. toggle_name: enterprise.learner_bff
# .. toggle_implementation: WaffleFlag
# .. toggle_default: False
# .. toggle_description: Learner BFF.
# .. toggle_use_cases: temporary
# .. toggle_creation_date: 2024-01-31
LEARNER_BFF = WaffleFlag(f'{ENTERPRISE_NAMESPACE}.learner_bff', __name__)

# .. toggle_name: enterprise.kill_switch
# .. toggle_implementation: WaffleSwitch
# .. toggle_default: True
# .. toggle_description: Stops everything.
# .. toggle_use_cases: circuit_breaker
# .. toggle_creation_date: 2022-01-01
KILL = WaffleSwitch('enterprise.kill_switch', __name__)
