#!/usr/bin/env bash
# Conformance of `wafflectl sql` with the engine: the SQL it prints, run in DuckDB, PostgreSQL
# and MariaDB on the same random ids, gives row for row what `wafflectl bucket --users-file`
# gives (docs/warehouse.md).
#
#   conformance/warehouse/run.sh [--bin PATH] [--seed N] [--cases N] [--rows N] [--quick]
#                                [--dialects duckdb,postgres,mysql]
#
# Needs $WAFFLECTL_TEST_PG_URL and $WAFFLECTL_TEST_MYSQL_URL (.ci/servers.sh starts both on
# loopback); a missing one fails the run, it never skips. Creates (or reuses) the virtual
# environment $WAREHOUSE_VENV (default .venv-warehouse) with duckdb, psycopg and PyMySQL. The
# first case buckets 1,000,000 random ids (--rows), the others 20,000 each; the seed is fresh each
# run and printed. The last line is "N passed, N failed".
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/warehouse/venv.sh
. "$root/conformance/warehouse/venv.sh"
run_suite warehouse "$@"
