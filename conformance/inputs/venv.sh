# Sourced by conformance/inputs/run.sh: makes sure the virtual environment $INPUTS_VENV (default
# .venv-inputs at the repository root) has python-dateutil==2.9.0, edx-opaque-keys==3.0.0 and
# edx-ccx-keys==2.0.2 from PyPI: the versions edx-platform's requirements/edx/base.txt pins
# (dateutil as 2.9.0.post0, the same code). Needs $root.
# inputs_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

venv="${INPUTS_VENV:-$root/.venv-inputs}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac
python="${PYTHON:-python3}"
venv_error=""

inputs_venv() {
    local want='
import importlib.metadata as m, sys
import dateutil.parser
from opaque_keys.edx.keys import CourseKey
CourseKey.from_string("ccx-v1:a+b+c+ccx@1")  # edx-ccx-keys is registered
sys.exit(0 if (m.version("python-dateutil"), m.version("edx-opaque-keys"), m.version("edx-ccx-keys"))
         == ("2.9.0", "3.0.0", "2.0.2") else 1)'
    if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$want" 2>/dev/null; then
        return 0
    fi
    local can_apt=0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then can_apt=1; fi
    if ! command -v "$python" >/dev/null 2>&1 && [ "$can_apt" = 1 ]; then
        echo "inputs venv: installing python3" >&2
        apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null \
            || { venv_error="cannot install python3 with apt-get"; return 1; }
    fi
    command -v "$python" >/dev/null 2>&1 || { venv_error="no $python to create $venv with"; return 1; }
    echo "inputs venv: creating $venv (python-dateutil 2.9.0, edx-opaque-keys 3.0.0, edx-ccx-keys 2.0.2 from PyPI)" >&2
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        if [ "$can_apt" = 1 ]; then
            echo "inputs venv: installing python3-venv" >&2
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null \
                || { venv_error="cannot install python3-venv with apt-get"; return 1; }
        fi
        "$python" -m venv "$venv" \
            || { venv_error="cannot create the virtual environment $venv (is python3-venv installed?)"; return 1; }
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        'python-dateutil==2.9.0' 'edx-opaque-keys==3.0.0' 'edx-ccx-keys==2.0.2' \
        || { venv_error="cannot install python-dateutil==2.9.0, edx-opaque-keys==3.0.0 and edx-ccx-keys==2.0.2 from PyPI into $venv"; return 1; }
    "$venv/bin/python" -c "$want" \
        || { venv_error="$venv does not give python-dateutil 2.9.0, edx-opaque-keys 3.0.0 and edx-ccx-keys 2.0.2"; return 1; }
}
