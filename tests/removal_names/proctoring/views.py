import waffle

from proctoring.constants import (
    PING_FAILURE_PASSTHROUGH_TEMPLATE,
    REDS_API_REDIRECT,
)


def attempt_error(attempt):
    backend = attempt['proctored_exam']['backend']
    waffle_name = PING_FAILURE_PASSTHROUGH_TEMPLATE.format(backend)
    return waffle.switch_is_active(waffle_name)


def redirect(request):
    return waffle.switch_is_active(REDS_API_REDIRECT)
