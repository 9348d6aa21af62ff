# Sourced by conformance/annotations/run.sh: makes sure the virtual environment $ANNOTATIONS_VENV
# (default .venv-annotations at the repository root) has Open edX's code-annotations 2.3.2 (its
# command line imports Django, so Django 5.2 too) from PyPI. Needs $root.
# annotations_venv sets $venv; on failure it returns 1 with the reason in $venv_error.

# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
venv="${ANNOTATIONS_VENV:-$root/.venv-annotations}"
case "$venv" in /*) ;; *) venv="$root/$venv" ;; esac

annotations_venv() {
    make_venv annotations "$venv" '
import importlib.metadata as m, sys
import django, yaml
from code_annotations.cli import entry_point
sys.exit(0 if m.version("code-annotations") == "2.3.2" else 1)' 'code-annotations==2.3.2' 'django>=5.2,<5.3'
}
