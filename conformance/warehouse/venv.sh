# Sourced by conformance/warehouse/run.sh and bench/warehouse.sh: makes sure the virtual
# environment $WAREHOUSE_VENV (default .venv-warehouse at the repository root) has duckdb,
# psycopg (PostgreSQL) and PyMySQL (MariaDB) from PyPI, pinned. Needs $root.
# warehouse_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${WAREHOUSE_VENV:-$root/.venv-warehouse}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

warehouse_venv() {
    make_venv warehouse "$venv" '
import importlib.metadata as m, sys
import duckdb, psycopg, pymysql
sys.exit(0 if (m.version("duckdb"), m.version("psycopg"), m.version("PyMySQL"))
         == ("2.0.0", "3.3.9", "1.2.4") else 1)' \
        'duckdb==2.0.0' 'psycopg[binary]==3.3.9' 'PyMySQL==1.2.4'
}
