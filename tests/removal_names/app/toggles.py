"""Names built from constants with +, %, .format() and class attributes."""
from edx_toggles.toggles import WaffleFlag

NS = 'app'  # the namespace (a comment after a constant)
SHOW_BANNER = NS + '.show_banner'
SWITCH_NAME = '%s.%s' % (NS, 'kill_switch')
FORMATTED = WaffleFlag('{}.{}'.format(NS, 'formatted'), __name__)
