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
venv="${CONFORMANCE_VENV:-$root/.venv-conformance}"
python="${PYTHON:-python3}"
bin="${WAFFLECTL_BIN:-$root/target/debug/wafflectl}"

fail() {
    echo "conformance: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

if [ ! -x "$bin" ]; then
    echo "conformance: building $bin" >&2
    (cd "$root" && cargo build --quiet) || fail "cannot build wafflectl"
    [ -x "$bin" ] || fail "no binary at $bin (set WAFFLECTL_BIN)"
fi

want_versions='
import importlib.metadata as m, sys
d, w = m.version("django"), m.version("django-waffle")
sys.exit(0 if d.startswith("5.2.") and w == "5.0.0" else 1)'
# On a fresh Debian/Ubuntu machine (CI), python3 or its venv module may be missing: install them
# when we can (root with apt-get), else say what is missing.
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
if ! command -v "$python" >/dev/null 2>&1 && can_apt; then
    echo "conformance: installing python3" >&2
    apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null \
        || fail "cannot install python3 with apt-get"
fi

if ! [ -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "$want_versions" 2>/dev/null; then
    echo "conformance: creating $venv (Django 5.2, django-waffle 5.0.0 from PyPI)" >&2
    command -v "$python" >/dev/null || fail "no $python to create the virtual environment with"
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        if can_apt; then
            echo "conformance: installing python3-venv" >&2
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null \
                || fail "cannot install python3-venv with apt-get"
        fi
        "$python" -m venv "$venv" || fail "cannot create the virtual environment $venv (is python3-venv installed?)"
    fi
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        'django>=5.2,<5.3' 'django-waffle==5.0.0' \
        || fail "cannot install Django 5.2 and django-waffle 5.0.0 from PyPI into $venv"
    "$venv/bin/python" -c "$want_versions" || fail "the virtual environment has the wrong versions"
fi

exec "$venv/bin/python" "$root/conformance/suite.py" --bin "$bin" "$@"
