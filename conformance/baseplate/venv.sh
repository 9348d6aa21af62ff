# Sourced by conformance/baseplate/run.sh and bench/baseplate/run.sh: makes sure the virtual
# environment $BASEPLATE_VENV (default .venv-baseplate at the repository root) has
# baseplate==1.5.5 (with its dependencies) and setuptools from PyPI. Needs $root.
# baseplate_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${BASEPLATE_VENV:-$root/.venv-baseplate}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

baseplate_venv() {
    make_venv baseplate "$venv" '
import importlib.metadata as m, sys
import setuptools  # baseplate/__init__ needs pkg_resources
from baseplate.lib.experiments import Experiments
sys.exit(0 if m.version("baseplate") == "1.5.5" else 1)' 'baseplate==1.5.5' setuptools
}
