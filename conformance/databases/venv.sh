# Sourced by conformance/databases/run.sh: makes sure the virtual environment $DATABASES_VENV
# (default .venv-databases at the repository root) has Django 5.2, django-waffle 5.0.0 and the
# drivers Django documents for MariaDB (mysqlclient, built against the distribution's
# libmariadb-dev) and PostgreSQL (psycopg 3) from PyPI, and the clients of Django's Redis and
# memcached cache backends (redis, pymemcache): the conformance and live suites run on the servers
# with it too. Needs $root. databases_venv sets $venv; on failure it returns 1 with the reason in
# $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${DATABASES_VENV:-$root/.venv-databases}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

databases_venv() {
    make_django_venv databases "$venv" 'import MySQLdb, psycopg, redis, pymemcache' \
        'mysqlclient>=2.2.1,<3' 'psycopg[binary]>=3.1,<4' 'redis>=5,<7' 'pymemcache>=4,<5'
}
