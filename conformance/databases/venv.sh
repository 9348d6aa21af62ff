# Sourced by conformance/databases/run.sh: makes sure the virtual environment $DATABASES_VENV
# (default .venv-databases at the repository root) has Django 5.2, django-waffle 5.0.0 and the
# drivers Django documents for MariaDB (mysqlclient, built against the distribution's
# libmariadb-dev) and PostgreSQL (psycopg 3) from PyPI. Needs $root. databases_venv sets $venv;
# on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${DATABASES_VENV:-$root/.venv-databases}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

databases_venv() {
    make_django_venv databases "$venv" 'import MySQLdb, psycopg' \
        'mysqlclient>=2.2.1,<3' 'psycopg[binary]>=3.1,<4'
}
