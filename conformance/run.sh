#!/usr/bin/env bash
# Conformance of wafflectl with real Django 5.2 and django-waffle 5.0.0 (see docs/interop.md).
#
#   conformance/run.sh [-v] [-k NAME] [--keep]
#
# Creates (or reuses) the virtual environment $CONFORMANCE_VENV (default .venv-conformance at
# the repository root) with Django and django-waffle from PyPI, uses the binary $WAFFLECTL_BIN
# (default target/debug/wafflectl, built when missing) and runs conformance/suite.py, whose last
# line is "N passed, N failed". Fails loudly when anything cannot be set up: it never skips.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=conformance/lib.sh
. "$root/conformance/lib.sh"
suite=conformance
venv="${CONFORMANCE_VENV:-$root/.venv-conformance}"
bin="${WAFFLECTL_BIN:-$root/target/debug/wafflectl}"

if [ ! -x "$bin" ]; then
    echo "conformance: building $bin" >&2
    (cd "$root" && cargo build --quiet) || fail "cannot build wafflectl"
    [ -x "$bin" ] || fail "no binary at $bin (set WAFFLECTL_BIN)"
fi

make_django_venv conformance "$venv" '' || fail "$venv_error"

exec "$venv/bin/python" "$root/conformance/suite.py" --bin "$bin" "$@"
