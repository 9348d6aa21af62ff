# Sourced by conformance/baseplate/run.sh and bench/baseplate/run.sh: makes sure the virtual
# environment $BASEPLATE_VENV (default .venv-baseplate at the repository root) has
# baseplate==1.5.5 (with its dependencies) and setuptools from PyPI. Needs $root.
# baseplate_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

venv="${BASEPLATE_VENV:-$root/.venv-baseplate}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac
python="${PYTHON:-python3}"
venv_error=""

baseplate_venv() {
    local want='
import importlib.metadata as m, sys
import setuptools  # baseplate/__init__ needs pkg_resources
from baseplate.lib.experiments import Experiments
sys.exit(0 if m.version("baseplate") == "1.5.5" else 1)'
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$want" 2>/dev/null; then
        return 0
    fi
    # On a fresh Debian/Ubuntu machine (CI) python3 or its venv module may be missing: install
    # them when we can (root with apt-get), else say what is missing.
    local can_apt=0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then can_apt=1; fi
    if ! command -v "$python" >/dev/null 2>&1 && [ "$can_apt" = 1 ]; then
        echo "baseplate venv: installing python3" >&2
        apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null \
            || { venv_error="cannot install python3 with apt-get"; return 1; }
    fi
    command -v "$python" >/dev/null 2>&1 || { venv_error="no $python to create $venv with"; return 1; }
    echo "baseplate venv: creating $venv (baseplate 1.5.5 from PyPI)" >&2
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        if [ "$can_apt" = 1 ]; then
            echo "baseplate venv: installing python3-venv" >&2
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null \
                || { venv_error="cannot install python3-venv with apt-get"; return 1; }
        fi
        "$python" -m venv "$venv" \
            || { venv_error="cannot create the virtual environment $venv (is python3-venv installed?)"; return 1; }
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'baseplate==1.5.5' setuptools \
        || { venv_error="cannot install baseplate==1.5.5 and setuptools from PyPI into $venv"; return 1; }
    "$venv/bin/python" -c "$want" \
        || { venv_error="$venv does not give an importable baseplate 1.5.5"; return 1; }
}
