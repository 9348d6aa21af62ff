#!/usr/bin/env bash
# The production databases of issue 10: the conformance project (Django 5.2, django-waffle 5.0.0,
# the edX override and experiment models, Django admin) migrated into a MariaDB and a PostgreSQL
# server, with checks that Django owns its tables there, reads and writes them, and that the
# read-only user cannot write (see docs/databases.md).
#
#   conformance/databases/run.sh [--bin PATH] [-v]
#
# Needs the servers' URLs in $WAFFLECTL_TEST_MYSQL_URL and $WAFFLECTL_TEST_PG_URL, and their
# read-only users' in $WAFFLECTL_TEST_MYSQL_RO_URL and $WAFFLECTL_TEST_PG_RO_URL (.ci/run starts
# both servers on loopback). A missing one fails the run: it never skips. Creates (or reuses) the
# virtual environment $DATABASES_VENV (default .venv-databases at the repository root). The last
# line is "N passed, N failed"; the databases stay migrated for the tests that follow.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/databases/venv.sh
. "$root/conformance/databases/venv.sh"
suite=conformance/databases
for v in WAFFLECTL_TEST_MYSQL_URL WAFFLECTL_TEST_PG_URL WAFFLECTL_TEST_MYSQL_RO_URL WAFFLECTL_TEST_PG_RO_URL; do
    [ -n "${!v:-}" ] || fail "$v is not set (the URL of a test database server)"
done
run_suite databases "$@"
