"""Real Django + django-waffle, driven by the conformance suite (one process per call).

    CONFORMANCE_DB=path python oracle.py eval   < queries.json   # decisions, as JSON
    CONFORMANCE_DB=path python oracle.py seed                    # fill a fresh database
    CONFORMANCE_DB=path python oracle.py users                   # users and groups, as JSON
    CONFORMANCE_DB=path python oracle.py overrides < keys.json   # edX's override_value, as JSON

Queries: [{"kind": "flag", "name": ..., "user": "alice" | null, "language": "de" | null},
          {"kind": "switch", "name": ...}, {"kind": "sample", "name": ...}].
A flag query builds a request the way spec django-waffle §0 does (RequestFactory, request.user,
request.LANGUAGE_CODE) and asks waffle.flag_is_active; "user": null means AnonymousUser.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "project"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wproj.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser, Group, User  # noqa: E402
from django.test import RequestFactory  # noqa: E402

import waffle  # noqa: E402


def evaluate(queries):
    out = []
    factory = RequestFactory()
    for q in queries:
        if q["kind"] == "switch":
            out.append(waffle.switch_is_active(q["name"]))
        elif q["kind"] == "sample":
            out.append(waffle.sample_is_active(q["name"]))
        else:
            req = factory.get("/")
            req.user = User.objects.get(username=q["user"]) if q.get("user") else AnonymousUser()
            if q.get("language"):
                req.LANGUAGE_CODE = q["language"]
            out.append(waffle.flag_is_active(req, q["name"]))
    return out


def seed():
    """A database with every kind of object the fixture round trip covers."""
    from datetime import datetime, timezone as tz

    from experiments.models import ExperimentData, ExperimentKeyValue
    from waffle.models import Flag, Sample, Switch
    from waffle_utils.models import WaffleFlagCourseOverrideModel, WaffleFlagOrgOverrideModel

    beta = Group.objects.create(name="beta")
    staffers = Group.objects.create(name="staffers")
    Group.objects.create(name="empty")
    alice = User.objects.create_user("alice", "alice@example.com", "pw-alice", first_name="Alice")
    alice.groups.add(beta)
    bob = User.objects.create_user("bob", "", "pw-bob", last_name="Builder")
    bob.groups.add(beta, staffers)
    User.objects.create_user("carol")  # unusable password
    root = User.objects.create_superuser("root", "root@example.com", "pw-root")
    root.last_login = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=tz.utc)
    root.save()
    User.objects.create_user("gone", is_active=False, is_staff=True)

    f = Flag.objects.create(name="new_dashboard", percent="25.0", rollout=True, note="rollout")
    f.users.add(alice, bob)
    f.groups.add(beta)
    Flag.objects.create(name="course_experience.relative_dates", everyone=True, superusers=False)
    Flag.objects.create(name="legacy.off", everyone=False, note="multi\nline \"quoted\" ü")
    g = Flag.objects.create(name="i18n.banner", languages="de,fr", staff=True, authenticated=True,
                            testing=True, percent="12.5")
    g.groups.add(staffers)
    Switch.objects.create(name="maintenance", active=True)
    Switch.objects.create(name="dark_mode", active=False, note="n")
    Sample.objects.create(name="ab_test", percent="33.0")
    Sample.objects.create(name="always", percent=100)
    Sample.objects.create(name="never", percent=0)

    c = WaffleFlagCourseOverrideModel.objects.create(
        waffle_flag="new_dashboard", course_id="course-v1:edX+DemoX+Demo_Course",
        override_choice="on", enabled=True, changed_by=root, note="pilot")
    WaffleFlagCourseOverrideModel.objects.create(
        waffle_flag="new_dashboard", course_id="course-v1:edX+DemoX+Demo_Course",
        override_choice="on", enabled=False, changed_by=None)
    WaffleFlagCourseOverrideModel.objects.create(
        waffle_flag="new_dashboard", course_id="edX/Old/2012", override_choice="off", enabled=True)
    WaffleFlagOrgOverrideModel.objects.create(
        waffle_flag="new_dashboard", org="MITx", override_choice="off", enabled=True, changed_by=alice)
    assert c.change_date is not None
    ExperimentKeyValue.objects.create(experiment_id=17, key="enrollment_start", value="2020-03-05T00:00:00")
    ExperimentKeyValue.objects.create(experiment_id=17, key="enrollment_end", value="2021-03-05")
    ExperimentData.objects.create(user=alice, experiment_id=17, key="seen", value="true")
    ExperimentData.objects.create(user=bob, experiment_id=18, key="choice", value="{\"a\": 1}")


def users():
    return {
        u.username: {
            "is_staff": u.is_staff,
            "is_superuser": u.is_superuser,
            "is_active": u.is_active,
            "email": u.email,
            "groups": sorted(g.name for g in u.groups.all()),
            "usable_password": u.has_usable_password(),
        }
        for u in User.objects.all()
    }


def overrides(queries):
    """edX's `override_value(flag, key)` (WU/models.py) for [{"scope": "course"|"org", "flag",
    "key"}]: the first row of `order_by('-change_date')`, its choice when `enabled` is truthy.
    Also what the ORM hands over: the row's id, `enabled` and `change_date` (in UTC)."""
    from datetime import timezone as tz

    from waffle_utils.models import WaffleFlagCourseOverrideModel, WaffleFlagOrgOverrideModel

    out = []
    for q in queries:
        if q["scope"] == "course":
            rows = WaffleFlagCourseOverrideModel.objects.filter(waffle_flag=q["flag"], course_id=q["key"])
        else:
            rows = WaffleFlagOrgOverrideModel.objects.filter(waffle_flag=q["flag"], org=q["key"])
        try:
            o = rows.order_by("-change_date").first()
        except Exception as e:  # what the LMS would raise on this row
            out.append({"id": None, "choice": "unset", "error": f"{type(e).__name__}: {e}"})
            continue
        if o is None:
            out.append({"id": None, "choice": "unset"})
            continue
        out.append({
            "id": o.id,
            "enabled": o.enabled if o.enabled is None else bool(o.enabled),
            "enabled_repr": repr(o.enabled),
            "choice": o.override_choice if o.enabled else "unset",
            "change_date": None if o.change_date is None
            # %Y has no leading zeros on glibc (year 1 is "1"): the year by hand
            else "%04d" % o.change_date.astimezone(tz.utc).year
            + o.change_date.astimezone(tz.utc).strftime("-%m-%dT%H:%M:%S.%fZ"),
        })
    return out


def percents(names, model="flag"):
    """Flag.percent (or Sample.percent) as the ORM reads it (str of the Decimal), or the error
    reading it raises."""
    from waffle.models import Flag, Sample

    out = []
    for n in names:
        try:
            out.append(str((Sample if model == "sample" else Flag).objects.get(name=n).percent))
        except Exception as e:
            out.append(f"error: {type(e).__name__}")
    return out


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "eval":
        json.dump(evaluate(json.load(sys.stdin)), sys.stdout)
    elif cmd == "seed":
        seed()
    elif cmd == "users":
        json.dump(users(), sys.stdout)
    elif cmd == "percents":
        json.dump(percents(json.load(sys.stdin)), sys.stdout)
    elif cmd == "sample_percents":
        json.dump(percents(json.load(sys.stdin), "sample"), sys.stdout)
    elif cmd == "overrides":
        json.dump(overrides(json.load(sys.stdin)), sys.stdout)
    else:
        sys.exit(f"unknown command {cmd}")
