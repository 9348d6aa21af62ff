#!/usr/bin/env bash
# wafflectl with a live site: the django-waffle cache invalidated after writes (Redis and
# memcached) and the Django admin history of every change (issue 10, items 5 and 6), with real
# Django 5.2 + django-waffle 5.0.0 (see docs/databases.md).
#
#   conformance/live/run.sh [--bin PATH] [-v]
#
# Needs a Redis server and a memcached server: their HOST:PORT in $WAFFLECTL_TEST_REDIS and
# $WAFFLECTL_TEST_MEMCACHED (.ci/run starts both on loopback). A missing one fails the run: it
# never skips. Creates (or reuses) the virtual environment $LIVE_VENV (default .venv-live at the
# repository root), then runs conformance/live/suite.py against --bin (default $WAFFLECTL_BIN,
# else target/debug/wafflectl; nothing is built here). The last line is "N passed, N failed".
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/live/venv.sh
. "$root/conformance/live/venv.sh"
suite=conformance/live
[ -n "${WAFFLECTL_TEST_REDIS:-}" ] || fail "WAFFLECTL_TEST_REDIS is not set (HOST:PORT of a Redis server)"
[ -n "${WAFFLECTL_TEST_MEMCACHED:-}" ] || fail "WAFFLECTL_TEST_MEMCACHED is not set (HOST:PORT of a memcached server)"
run_suite live "$@"
