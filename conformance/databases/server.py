"""What the conformance and live suites do to a test server's database (MariaDB or PostgreSQL)
through Django, with $CONFORMANCE_DB its URL and $DJANGO_SETTINGS_MODULE the suite's settings:

    python server.py migrate   # migrates the conformance project (as conformance/databases does)
    python server.py reset     # back to the state migrate leaves (see reset)
    python server.py rows      # {table: row count} of every table reset empties, as JSON
    python server.py schema    # every table's columns and constraints, as JSON

The server holds one database, so a suite's cases run one after another on it, each from reset.
"""
import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection  # noqa: E402

# The rows migrate itself writes (the applied migrations, the content types and permissions of
# the installed models): reset keeps them, as a freshly migrated database has them.
MIGRATE_ROWS = {"django_migrations", "django_content_type", "auth_permission"}


def migrate():
    # The edX apps have no migrations, and --run-syncdb creates their tables before it migrates
    # the others: their foreign keys to auth_user need auth's tables first, on a real server.
    call_command("migrate", "--noinput", verbosity=0)
    call_command("migrate", "--run-syncdb", "--noinput", verbosity=0)


def emptied(tables):
    return [t for t in tables if t not in MIGRATE_ROWS and not t.startswith("wafflectl_")]


def reset():
    """Drops wafflectl's own tables (`wafflectl init` makes them again) and deletes every row
    of every other table but migrate's own, with the ids starting at 1 again: the database as
    migrate leaves it."""
    tables = connection.introspection.table_names()
    ours = [t for t in tables if t.startswith("wafflectl_")]
    qn = connection.ops.quote_name
    with connection.cursor() as c:
        if ours:
            if connection.vendor == "mysql":
                c.execute("SET FOREIGN_KEY_CHECKS = 0")
                c.execute("DROP TABLE " + ", ".join(qn(t) for t in ours))
                c.execute("SET FOREIGN_KEY_CHECKS = 1")
            else:
                c.execute("DROP TABLE " + ", ".join(qn(t) for t in ours) + " CASCADE")
    sql = connection.ops.sql_flush(no_style(), emptied(tables), reset_sequences=True, allow_cascade=True)
    connection.ops.execute_sql_flush(sql)


def rows():
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as c:
        for t in emptied(connection.introspection.table_names()):
            c.execute(f"SELECT COUNT(*) FROM {qn(t)}")
            out[t] = c.fetchone()[0]
    return out


def schema():
    """{table: {"columns": [...], "constraints": {...}}} as Django's introspection reads them."""
    out = {}
    with connection.cursor() as c:
        for t in connection.introspection.table_names(c):
            out[t] = {
                "columns": [list(col) for col in connection.introspection.get_table_description(c, t)],
                "constraints": connection.introspection.get_constraints(c, t),
            }
    return out


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "migrate":
        migrate()
    elif cmd == "reset":
        reset()
    elif cmd == "rows":
        json.dump(rows(), sys.stdout)
    elif cmd == "schema":
        json.dump(schema(), sys.stdout, default=str, sort_keys=True)
    else:
        sys.exit(f"unknown command {cmd}")
