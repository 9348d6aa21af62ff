from waffle import flag_is_active, sample_is_active, switch_is_active
from waffle.decorators import waffle_flag, waffle_switch


@waffle_flag('!views.beta')
def beta_view(request):
    if flag_is_active(request, "views.dashboard"):
        return "new"
    if switch_is_active('views.kill_switch'):
        return "off"
    if sample_is_active(
        'views.sampled'
    ):
        return "sampled"
    return "old"


@waffle_switch("views.api")
def api_view(request):
    # foo.bar was retired in 2024; this comment still names it
    return "ok"
