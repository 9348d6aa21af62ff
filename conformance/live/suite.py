"""The site sees wafflectl's writes at once, and Django admin's history shows them (issue 10,
items 5 and 6), against real servers (run by run.sh):

  * cache: a long-running Django process whose cache is Redis (RedisCache) or memcached
    (PyMemcacheCache) reads flags and a switch, so django-waffle caches them; `wafflectl ...
    --cache URL` changes them and the same process's next read sees the new values. A change
    made without --cache stays invisible to it (the control that proves the check can fail),
    and `wafflectl doctor --cache URL` reports that stale value.
  * admin history: after `wafflectl flag on X --actor admin`, Django's
    `LogEntry.objects.filter(object_repr="X")` has the entries, and `get_change_message()` of
    the change lists the changed field.

The servers' addresses come from $WAFFLECTL_TEST_REDIS and $WAFFLECTL_TEST_MEMCACHED
(HOST:PORT); a missing one is a failure, never a skip. The site's database is a SQLite file, or
with --backend mysql or postgres the test server's database ($WAFFLECTL_TEST_MYSQL_URL /
$WAFFLECTL_TEST_PG_URL, a missing one fails too), reset before each case to the state migrate
leaves (conformance/databases/server.py) and left so at the end. Every check prints one line
(failures always, passes with -v); the last line is `N passed, N failed`.
"""
import json
import os
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(os.path.dirname(HERE), "project")
PY = sys.executable
sys.path.append(os.path.dirname(HERE))

import harness  # noqa: E402


class Suite(harness.Checks):
    def __init__(self, binary, verbose, backend="sqlite"):
        super().__init__(binary, verbose, "live")
        self.server = None
        if backend != "sqlite":
            url = harness.server_url(backend)
            self.server = harness.Server(self, url, self.django_env(url))

    def w(self, db, *args, actor="admin", check=True):
        """wafflectl --db DB --actor ACTOR ARGS..."""
        env = dict(os.environ, NO_COLOR="1")
        for k in ("WAFFLECTL_DB", "WAFFLECTL_NOW", "WAFFLECTL_CACHE", "WAFFLECTL_ACTOR"):
            env.pop(k, None)
        return self.run([self.bin, "--db", db, "--actor", actor, *args], env=env, check=check)

    def django_env(self, db, cache="", prefix="", version="1"):
        return dict(os.environ, CONFORMANCE_DB=db, DJANGO_SETTINGS_MODULE="settings_live",
                    PYTHONPATH=os.pathsep.join([HERE, PROJECT]), LIVE_CACHE=cache,
                    LIVE_KEY_PREFIX=prefix, LIVE_VERSION=version)

    def django(self, db, code, **cache):
        """Runs Python code with Django set up; returns its stdout parsed as JSON."""
        src = "import django, json\ndjango.setup()\n" + code
        p = self.run([PY, "-c", src], env=self.django_env(db, **cache), cwd=PROJECT)
        return json.loads(p.stdout)

    def site_db(self, name):
        """A migrated Django database (with admin) with a superuser `admin`, and wafflectl's
        tables: a new SQLite file NAME, or the server's database (reset: the one before it is
        gone)."""
        if self.server:
            db = self.server.reset()
        else:
            db = os.path.join(self.tmp, name)
            self.run([PY, os.path.join(PROJECT, "manage.py"), "migrate", "--run-syncdb", "-v", "0"],
                     env=self.django_env(db), cwd=PROJECT)
        self.django(db, "from django.contrib.auth.models import User\n"
                        "User.objects.create_superuser('admin', 'admin@example.org', 'pw')\n"
                        "print(json.dumps(True))")
        self.w(db, "init")
        return db


class Worker:
    """worker.py: one long-running Django process with the site's cache."""

    def __init__(self, suite, db, **cache):
        self.p = subprocess.Popen([PY, os.path.join(HERE, "worker.py")], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  env=suite.django_env(db, **cache), cwd=PROJECT)
        ready = self.p.stdout.readline()
        if not ready:
            raise RuntimeError(f"worker did not start: {self.p.stderr.read()}")

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        answer = self.p.stdout.readline()
        if not answer:
            raise RuntimeError(f"worker died: {self.p.stderr.read()}")
        return json.loads(answer)

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=10)


def server(var):
    addr = os.environ.get(var, "")
    if not addr:
        raise RuntimeError(f"${var} is not set (HOST:PORT of the server; .ci/run starts one)")
    return addr


def test_cache(s, kind):
    if kind == "redis":
        addr = server("WAFFLECTL_TEST_REDIS")
        # A database other than 0, a KEY_PREFIX and a VERSION: the keys must match all three.
        url, cache = f"redis://{addr}/2", dict(prefix="site", version="3")
        settings = dict(cache=f"redis://{addr}/2", **cache)
    else:
        addr = server("WAFFLECTL_TEST_MEMCACHED")
        url, cache = f"memcached://{addr}", dict(prefix="", version="1")
        settings = dict(cache=f"memcached://{addr}", **cache)
    opts = ["--cache", url, "--cache-key-prefix", cache["prefix"], "--cache-version", cache["version"]]
    db = s.site_db(f"{kind}.sqlite3")
    # Names unique to this run: the servers may hold keys of earlier runs.
    run = uuid.uuid4().hex[:8]
    control, flag, switch = f"live.control_{run}", f"live.flag_{run}", f"live.switch_{run}"
    s.w(db, "flag", "create", control)
    s.w(db, "flag", "create", flag)
    s.w(db, "switch", "create", switch, "--off")
    worker = Worker(s, db, **settings)
    try:
        first = [worker.ask(f"flag {control}"), worker.ask(f"flag {flag}"),
                 worker.ask(f"switch {switch}"), worker.ask(f"users {flag}")]
        s.check(f"{kind}: the site reads the flags, switch and users as created (and caches them)",
                first == [{"active": False}, {"active": False}, {"active": False}, {"ids": []}],
                str(first))

        s.w(db, "flag", "on", control)
        got = worker.ask(f"flag {control}")
        s.check(f"{kind}: without --cache the running site still sees the old value (control)",
                got == {"active": False}, str(got))

        doctor = s.w(db, *opts, "doctor", "--json", check=False)
        found = {f["check"]: f for f in json.loads(doctor.stdout)} if doctor.stdout.strip() else {}
        stale = found.get("cached values that disagree with the store", {})
        s.check(f"{kind}: doctor --cache reports the stale flag",
                stale.get("level") == "warning" and f"flag {control} (everyone: cached null, store true)"
                in stale.get("detail", ""), doctor.stdout + doctor.stderr)
        s.check(f"{kind}: doctor --cache reports nothing else stale",
                flag not in stale.get("detail", "") and switch not in stale.get("detail", ""),
                stale.get("detail", ""))

        p = s.w(db, *opts, "flag", "on", flag)
        s.check(f"{kind}: wafflectl says it deleted the keys", "cache: deleted 4 keys" in p.stderr,
                p.stderr)
        got = worker.ask(f"flag {flag}")
        s.check(f"{kind}: with --cache the same running site sees the flag on at once",
                got == {"active": True}, str(got))

        s.w(db, *opts, "switch", "on", switch)
        got = worker.ask(f"switch {switch}")
        s.check(f"{kind}: with --cache the same running site sees the switch on at once",
                got == {"active": True}, str(got))

        s.w(db, *opts, "flag", "set", flag, "--add-user", "admin")
        admin_id = s.django(db, "from django.contrib.auth.models import User\n"
                                "print(json.dumps(User.objects.get(username='admin').pk))")
        got = worker.ask(f"users {flag}")
        s.check(f"{kind}: with --cache the running site sees the flag's new user list",
                got == {"ids": [admin_id]}, str(got))

        s.w(db, *opts, "flag", "delete", flag, "--yes")
        got = worker.ask(f"flag {flag}")
        s.check(f"{kind}: with --cache the running site sees a deleted flag as missing (off)",
                got == {"active": False}, str(got))
    finally:
        worker.close()


def test_admin_history(s):
    db = s.site_db("admin.sqlite3")
    s.w(db, "flag", "create", "X")
    s.w(db, "flag", "on", "X")
    s.w(db, "flag", "set", "X", "--percent", "12.5", "--note", "rollout", "--add-user", "admin")
    entries = s.django(db, """
from django.contrib.admin.models import LogEntry
from waffle.models import Flag
pk = str(Flag.objects.get(name="X").pk)
print(json.dumps([
    [e.action_flag, e.object_id == pk, f"{e.content_type.app_label}.{e.content_type.model}",
     e.user.username, e.get_change_message()]
    for e in LogEntry.objects.filter(object_repr="X").order_by("id")
]))""")
    want = [
        [1, True, "waffle.flag", "admin", "Added."],
        [2, True, "waffle.flag", "admin", "Changed Everyone."],
        [2, True, "waffle.flag", "admin", "Changed Percent, Note and Users."],
    ]
    s.check("admin history: LogEntry rows for create, on and set, as Django admin shows them",
            entries == want, json.dumps(entries))

    s.w(db, "switch", "create", "S")
    s.w(db, "override", "set", "X", "--course", "course-v1:edX+DemoX+Demo", "on")
    s.w(db, "flag", "delete", "X", "--yes")
    rows = s.django(db, """
from django.contrib.admin.models import LogEntry
print(json.dumps([[e.action_flag, e.content_type.model, e.object_repr, e.change_message]
                  for e in LogEntry.objects.order_by("id")][3:]))""")
    s.check("admin history: a switch, a course override and a deletion",
            [r[:2] for r in rows] == [[1, "switch"], [1, "waffleflagcourseoverridemodel"], [3, "flag"]]
            and rows[2][2:] == ["X", ""], json.dumps(rows))

    p = s.w(db, "switch", "on", "S", actor="nobody")
    count = s.django(db, "from django.contrib.admin.models import LogEntry\n"
                         "print(json.dumps(LogEntry.objects.count()))")
    s.check("admin history: an actor with no auth_user writes no entry and says so",
            count == 6 and "no Django admin history written" in p.stderr, f"{count} {p.stderr}")
    s.w(db, "switch", "off", "S", "--no-admin-log")
    count = s.django(db, "from django.contrib.admin.models import LogEntry\n"
                         "print(json.dumps(LogEntry.objects.count()))")
    s.check("admin history: --no-admin-log writes no entry", count == 6, str(count))


if __name__ == "__main__":
    harness.main(Suite, [("cache (Redis)", lambda s: test_cache(s, "redis")),
                         ("cache (memcached)", lambda s: test_cache(s, "memcached")),
                         ("admin history", test_admin_history)], backends=True)
