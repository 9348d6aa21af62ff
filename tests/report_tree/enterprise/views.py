import waffle


def dashboard(request):
    if waffle.flag_is_active(request, 'enterprise.read_as_flag'):
        return 1
    return 0
