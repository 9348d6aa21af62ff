from waffle import flag_is_active, switch_is_active

from . import toggles
from .toggles import SHOW_BANNER

SAME_FILE = 'app.same_file'


def banner(request):
    if flag_is_active(request, SHOW_BANNER):
        return 'banner'
    if switch_is_active(toggles.SWITCH_NAME):
        return 'off'
    return flag_is_active(request, SAME_FILE)


class Page:
    FLAG_NAME = 'app.class_attr'

    def get(self, request):
        return flag_is_active(request, self.FLAG_NAME)
