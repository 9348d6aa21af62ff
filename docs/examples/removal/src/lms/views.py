"""Views of the example tree of docs/removal.md."""
from django.shortcuts import render
from waffle import flag_is_active


def home(request):
    context = {}
    # The new sidebar is rolling out to a share of learners.
    context["show_sidebar"] = False
    if request.user.is_authenticated:
        context["user"] = request.user
    if flag_is_active(request, 'learner_home.new_sidebar'):
        context["show_sidebar"] = True
    return render(request, "home.html", context)
