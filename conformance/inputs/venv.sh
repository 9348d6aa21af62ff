# Sourced by conformance/inputs/run.sh: makes sure the virtual environment $INPUTS_VENV (default
# .venv-inputs at the repository root) has python-dateutil==2.9.0, edx-opaque-keys==3.0.0 and
# edx-ccx-keys==2.0.2 from PyPI: the versions edx-platform's requirements/edx/base.txt pins
# (dateutil as 2.9.0.post0, the same code). Needs $root.
# inputs_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${INPUTS_VENV:-$root/.venv-inputs}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

inputs_venv() {
    make_venv inputs "$venv" '
import importlib.metadata as m, sys
import dateutil.parser
from opaque_keys.edx.keys import CourseKey
CourseKey.from_string("ccx-v1:a+b+c+ccx@1")  # edx-ccx-keys is registered
sys.exit(0 if (m.version("python-dateutil"), m.version("edx-opaque-keys"), m.version("edx-ccx-keys"))
         == ("2.9.0", "3.0.0", "2.0.2") else 1)' \
        'python-dateutil==2.9.0' 'edx-opaque-keys==3.0.0' 'edx-ccx-keys==2.0.2'
}
