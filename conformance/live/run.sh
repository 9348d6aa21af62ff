#!/usr/bin/env bash
# wafflectl with a live site: the django-waffle cache invalidated after writes (Redis and
# memcached) and the Django admin history of every change (issue 10, items 5 and 6), with real
# Django 5.2 + django-waffle 5.0.0 (see docs/databases.md).
#
#   conformance/live/run.sh [--backend sqlite|mysql|postgres] [--bin PATH] [-v]
#
# Needs a Redis server and a memcached server: their HOST:PORT in $WAFFLECTL_TEST_REDIS and
# $WAFFLECTL_TEST_MEMCACHED (.ci/run starts both on loopback). A missing one fails the run: it
# never skips. --backend picks the site's database: a SQLite file (the default), or the MariaDB or
# PostgreSQL test server's database ($WAFFLECTL_TEST_MYSQL_URL / $WAFFLECTL_TEST_PG_URL, a missing
# one fails too; it is left migrated and empty). Creates (or reuses) the virtual environment
# $LIVE_VENV (default .venv-live at the repository root), or for a server the databases suite's
# one (with the servers' drivers, conformance/databases/venv.sh), then runs
# conformance/live/suite.py against --bin (default $WAFFLECTL_BIN, else target/debug/wafflectl;
# nothing is built here). The last line is "N passed, N failed".
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
backend=sqlite
for ((i = 1; i <= $#; i++)); do
    case "${!i}" in
        --backend) if [ "$i" -lt $# ]; then j=$((i + 1)); backend="${!j}"; fi ;;
        --backend=*) backend="${!i#--backend=}" ;;
    esac
done
case "$backend" in
    mysql | postgres)
        # shellcheck source=conformance/databases/venv.sh
        . "$root/conformance/databases/venv.sh"
        live_venv() { databases_venv; } ;;
    *)
        # shellcheck source=conformance/live/venv.sh
        . "$root/conformance/live/venv.sh" ;;
esac
suite="conformance/live ($backend)"
[ -n "${WAFFLECTL_TEST_REDIS:-}" ] || fail "WAFFLECTL_TEST_REDIS is not set (HOST:PORT of a Redis server)"
[ -n "${WAFFLECTL_TEST_MEMCACHED:-}" ] || fail "WAFFLECTL_TEST_MEMCACHED is not set (HOST:PORT of a memcached server)"
case "$backend" in
    sqlite) ;;
    mysql) [ -n "${WAFFLECTL_TEST_MYSQL_URL:-}" ] || fail "WAFFLECTL_TEST_MYSQL_URL is not set (the URL of a MariaDB server)" ;;
    postgres) [ -n "${WAFFLECTL_TEST_PG_URL:-}" ] || fail "WAFFLECTL_TEST_PG_URL is not set (the URL of a PostgreSQL server)" ;;
    *) fail "unknown backend '$backend' (sqlite, mysql or postgres)" ;;
esac
run_suite live "$@"
