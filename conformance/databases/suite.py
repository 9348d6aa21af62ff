"""Django's side of the production databases of issue 10, against real servers (run by run.sh):
the conformance project, with Django admin, is migrated into the MariaDB server of
$WAFFLECTL_TEST_MYSQL_URL and the PostgreSQL server of $WAFFLECTL_TEST_PG_URL, and on each:

  * every Django table wafflectl reads or writes is there once Django has migrated (wafflectl
    creates none of them on these backends), with the column types wafflectl must write;
  * django-waffle's own management commands write and read a flag through the ORM;
  * the read-only user ($WAFFLECTL_TEST_*_RO_URL) reads but cannot write: the server refuses.

The databases stay migrated (and empty of the rows written here) for the tests that follow.
Every check prints one line (failures always, passes with -v); the last line is
`N passed, N failed`.
"""
import json
import os
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
CONFORMANCE = os.path.dirname(HERE)
PROJECT = os.path.join(CONFORMANCE, "project")
PY = sys.executable
sys.path.append(CONFORMANCE)

import harness  # noqa: E402

# The Django tables wafflectl's commands read or write (design.md, spec edx §3.1, §4.1).
DJANGO_TABLES = [
    "auth_group", "auth_user", "auth_user_groups",
    "django_admin_log", "django_content_type",
    "experiments_experimentdata", "experiments_experimentkeyvalue",
    "waffle_flag", "waffle_flag_groups", "waffle_flag_users", "waffle_sample", "waffle_switch",
    "waffle_utils_waffleflagcourseoverridemodel", "waffle_utils_waffleflagorgoverridemodel",
    "student_courseenrollment",
]

# Prints {column: type} of waffle_flag, as each server names its types.
COLUMN_TYPES = """
mysql = "SELECT column_name, column_type FROM information_schema.columns" \\
        " WHERE table_schema = DATABASE() AND table_name = 'waffle_flag'"
postgresql = "SELECT column_name, CASE WHEN data_type = 'numeric'" \\
             " THEN format('numeric(%s,%s)', numeric_precision, numeric_scale) ELSE data_type END" \\
             " FROM information_schema.columns WHERE table_name = 'waffle_flag'"
with connection.cursor() as c:
    c.execute(mysql if connection.vendor == "mysql" else postgresql)
    print(json.dumps(dict(c.fetchall())))
"""


class Suite(harness.Checks):
    def __init__(self, binary, verbose):
        super().__init__(binary, verbose, "databases")

    def env(self, url):
        # settings_live: the conformance project plus Django admin; no LIVE_CACHE, no cache.
        return dict(os.environ, CONFORMANCE_DB=url, DJANGO_SETTINGS_MODULE="settings_live",
                    PYTHONPATH=os.pathsep.join([os.path.join(CONFORMANCE, "live"), PROJECT]),
                    LIVE_CACHE="")

    def manage(self, url, *args, check=True):
        return self.run([PY, os.path.join(PROJECT, "manage.py"), *args],
                        env=self.env(url), cwd=PROJECT, check=check)

    def django(self, url, code):
        """Runs Python code with Django set up; returns its stdout parsed as JSON."""
        src = "import django, json\ndjango.setup()\nfrom django.db import connection\n" + code
        return json.loads(self.run([PY, "-c", src], env=self.env(url), cwd=PROJECT).stdout)


def test_backend(s, var):
    url, ro = os.environ[var], os.environ[var.replace("_URL", "_RO_URL")]
    # The edX apps have no migrations, and --run-syncdb creates their tables before it migrates
    # the others: their foreign keys to auth_user need auth's tables first, on a real server.
    s.manage(url, "migrate", "--noinput", "-v", "0")
    s.manage(url, "migrate", "--run-syncdb", "--noinput", "-v", "0")
    vendor, tables = s.django(url, "print(json.dumps([connection.vendor,"
                                   " connection.introspection.table_names()]))")
    missing = [t for t in DJANGO_TABLES if t not in tables]
    s.check(f"{vendor}: Django's migrations create every table wafflectl uses", not missing,
            f"missing: {missing}")

    # The column types wafflectl must write as Django writes them (issue 10 item 3): booleans,
    # decimals, and datetimes with microseconds (MariaDB) or with a time zone (PostgreSQL).
    types = s.django(url, COLUMN_TYPES)
    want = ({"everyone": "tinyint(1)", "percent": "decimal(3,1)", "created": "datetime(6)"}
            if vendor == "mysql" else
            {"everyone": "boolean", "percent": "numeric(3,1)",
             "created": "timestamp with time zone"})
    got = {k: types.get(k) for k in want}
    s.check(f"{vendor}: waffle_flag's boolean, decimal and datetime columns are as Django makes them",
            got == want, f"{got}")

    name = "ci_" + uuid.uuid4().hex[:8]
    s.manage(url, "waffle_flag", name, "--create", "--everyone", "--percent", "47")
    listed = s.manage(url, "waffle_flag", "-l").stdout
    row = s.django(url, "from waffle.models import Flag\n"
                        f"f = Flag.objects.get(name={name!r})\n"
                        "print(json.dumps([f.everyone, str(f.percent)]))")
    s.check(f"{vendor}: django-waffle writes and lists a flag through the ORM",
            name in listed and row == [True, "47.0"], f"{row} {listed}")

    ro_listed = s.manage(ro, "waffle_flag", "-l", check=False)
    s.check(f"{vendor}: the read-only user reads the flags",
            ro_listed.returncode == 0 and name in ro_listed.stdout, ro_listed.stderr[-500:])
    p = s.manage(ro, "waffle_switch", name, "on", "--create", check=False)
    s.check(f"{vendor}: the read-only user cannot write (the server refuses)",
            p.returncode != 0 and "denied" in p.stderr.lower(), f"{p.returncode} {p.stderr[-500:]}")

    s.manage(url, "waffle_delete", "--flags", name)
    left = s.django(url, "from waffle.models import Flag, Switch\n"
                         f"print(json.dumps(Flag.objects.filter(name={name!r}).count()"
                         f" + Switch.objects.filter(name={name!r}).count()))")
    s.check(f"{vendor}: the rows written here are gone again", left == 0, str(left))


if __name__ == "__main__":
    harness.main(Suite, [("MariaDB", lambda s: test_backend(s, "WAFFLECTL_TEST_MYSQL_URL")),
                         ("PostgreSQL", lambda s: test_backend(s, "WAFFLECTL_TEST_PG_URL"))],
                 brief=(RuntimeError,))
