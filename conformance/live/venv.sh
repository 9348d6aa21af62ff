# Sourced by conformance/live/run.sh: makes sure the virtual environment $LIVE_VENV (default
# .venv-live at the repository root) has Django 5.2, django-waffle 5.0.0 and the clients of
# Django's Redis and memcached cache backends (redis, pymemcache) from PyPI. Needs $root.
# live_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${LIVE_VENV:-$root/.venv-live}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

live_venv() {
    make_venv live "$venv" '
import importlib.metadata as m, sys
import redis, pymemcache
d, w = m.version("django"), m.version("django-waffle")
sys.exit(0 if d.startswith("5.2.") and w == "5.0.0" else 1)' \
        'django>=5.2,<5.3' 'django-waffle==5.0.0' 'redis>=5,<7' 'pymemcache>=4,<5'
}
