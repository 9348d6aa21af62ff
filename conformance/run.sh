#!/usr/bin/env bash
# Conformance of wafflectl with real Django 5.2 and django-waffle 5.0.0 (see docs/interop.md).
#
#   conformance/run.sh [--backend sqlite|mysql|postgres] [-v] [-k NAME] [--keep]
#
# --backend picks where the Django databases are: SQLite files (the default), or the MariaDB or
# PostgreSQL test server whose URL is in $WAFFLECTL_TEST_MYSQL_URL / $WAFFLECTL_TEST_PG_URL (a
# missing one fails the run; its database is left migrated and empty). Creates (or reuses) the
# virtual environment with Django and django-waffle from PyPI: $CONFORMANCE_VENV (default
# .venv-conformance at the repository root) for SQLite, the databases suite's one (with the
# servers' drivers, conformance/databases/venv.sh) for a server. Uses the binary $WAFFLECTL_BIN
# (default target/debug/wafflectl, built when missing) and runs conformance/suite.py, whose last
# line is "N passed, N failed". Fails loudly when anything cannot be set up: it never skips.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
suite=conformance
bin="${WAFFLECTL_BIN:-$root/target/debug/wafflectl}"

backend=sqlite
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --backend) [ $# -ge 2 ] || fail "--backend needs sqlite, mysql or postgres"; backend="$2"; shift 2 ;;
        --backend=*) backend="${1#--backend=}"; shift ;;
        *) args+=("$1"); shift ;;
    esac
done
suite="conformance ($backend)"
case "$backend" in
    sqlite) ;;
    mysql) [ -n "${WAFFLECTL_TEST_MYSQL_URL:-}" ] || fail "WAFFLECTL_TEST_MYSQL_URL is not set (the URL of a MariaDB server)" ;;
    postgres) [ -n "${WAFFLECTL_TEST_PG_URL:-}" ] || fail "WAFFLECTL_TEST_PG_URL is not set (the URL of a PostgreSQL server)" ;;
    *) fail "unknown backend '$backend' (sqlite, mysql or postgres)" ;;
esac

if [ ! -x "$bin" ]; then
    echo "conformance: building $bin" >&2
    (cd "$root" && cargo build --quiet) || fail "cannot build wafflectl"
    [ -x "$bin" ] || fail "no binary at $bin (set WAFFLECTL_BIN)"
fi

if [ "$backend" = sqlite ]; then
    venv="${CONFORMANCE_VENV:-$root/.venv-conformance}"
    make_django_venv conformance "$venv" '' || fail "$venv_error"
else
    # shellcheck source=conformance/databases/venv.sh
    . "$root/conformance/databases/venv.sh"
    databases_venv || fail "$venv_error"
fi

exec "$venv/bin/python" "$root/conformance/suite.py" --bin "$bin" --backend "$backend" "${args[@]+"${args[@]}"}"
