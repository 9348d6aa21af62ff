#!/usr/bin/env bash
# Conformance of `wafflectl sql` with the engine: the SQL it prints, run in DuckDB, PostgreSQL
# and MariaDB on the same random ids, gives row for row what `wafflectl bucket --users-file`
# (sql bucket) and `wafflectl variant --users-file` (sql variant, variant.py) give
# (docs/warehouse.md).
#
#   conformance/warehouse/run.sh [--bin PATH] [--seed N] [--cases N] [--variant-cases N]
#                                [--rows N] [--quick] [--dialects duckdb,postgres,mysql]
#
# Needs $WAFFLECTL_TEST_PG_URL and $WAFFLECTL_TEST_MYSQL_URL (.ci/servers.sh starts both on
# loopback); a missing one fails the run, it never skips. Creates (or reuses) the virtual
# environment $WAREHOUSE_VENV (default .venv-warehouse) with duckdb, psycopg and PyMySQL. The
# first case of each command takes 1,000,000 random ids (--rows), the others 20,000 each; the seed
# is fresh each run and printed. PostgreSQL's sql variant needs pgcrypto (.ci/servers.sh creates
# it). The last line is "N passed, N failed".
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/warehouse/venv.sh
. "$root/conformance/warehouse/venv.sh"
run_suite warehouse "$@"
