"""A long-running Django process, as a site's worker is: it reads commands on stdin, one a line,
and answers each with one JSON line. Values come through django-waffle's cache.
  flag NAME      -> {"active": bool}   waffle.flag_is_active for an anonymous request
  switch NAME    -> {"active": bool}
  users NAME     -> {"ids": [...]}     the flag's cached user ids
"""
import json
import sys

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.test import RequestFactory  # noqa: E402
import waffle  # noqa: E402
from waffle.models import Flag  # noqa: E402

factory = RequestFactory()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    cmd, _, name = line.strip().partition(" ")
    if cmd == "flag":
        request = factory.get("/")
        request.user = AnonymousUser()
        out = {"active": bool(waffle.flag_is_active(request, name))}
    elif cmd == "switch":
        out = {"active": bool(waffle.switch_is_active(name))}
    elif cmd == "users":
        out = {"ids": sorted(Flag.get(name)._get_user_ids())}
    else:
        out = {"error": f"unknown command {cmd!r}"}
    print(json.dumps(out), flush=True)
