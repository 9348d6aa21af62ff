# Sourced by conformance/live/run.sh: makes sure the virtual environment $LIVE_VENV (default
# .venv-live at the repository root) has Django 5.2, django-waffle 5.0.0 and the clients of
# Django's Redis and memcached cache backends (redis, pymemcache) from PyPI. Needs $root.
# live_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${LIVE_VENV:-$root/.venv-live}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

live_venv() {
    make_django_venv live "$venv" 'import redis, pymemcache' 'redis>=5,<7' 'pymemcache>=4,<5'
}
