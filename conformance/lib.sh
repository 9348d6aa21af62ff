# Sourced by the conformance suites' run.sh and venv.sh files: what they all do to set up a run.
#
# `make_venv LABEL DIR CHECK PACKAGE...` makes sure the virtual environment DIR runs the Python
# code CHECK (exit 0 = the right packages are there), else (re)creates it and pip-installs
# PACKAGE... from PyPI. On a fresh Debian/Ubuntu machine (CI) python3 or its venv module may be
# missing: they are installed when we can (root with apt-get). On failure it returns 1 with the
# reason in $venv_error. $PYTHON picks the interpreter (default python3).
#
# `make_django_venv LABEL DIR IMPORTS PACKAGE...` is make_venv for Django 5.2 and django-waffle
# 5.0.0 plus PACKAGE..., checked by also importing IMPORTS (Python lines, may be empty).
#
# `fail MESSAGE` reports a run that could not be set up: MESSAGE on stderr after $suite (the
# suite's name), then the suite's last line "0 passed, 1 failed", and exit 1 (never a skip).
#
# `split_bin ARG...` sets $bin to the PATH of `--bin PATH` among ARG... (default $WAFFLECTL_BIN,
# else target/debug/wafflectl under $root; nothing is built) and the array $args to the other
# arguments; it fails when $bin is not an executable.
#
# `run_suite NAME ARG...` runs conformance/NAME/suite.py with ARG... in the virtual environment
# NAME_venv (from conformance/NAME/venv.sh, sourced first) makes, against split_bin's binary.

fail() {
    echo "${suite:-conformance}: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

split_bin() {
    bin="${WAFFLECTL_BIN:-$root/target/debug/wafflectl}"
    args=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --bin) [ $# -ge 2 ] || fail "--bin needs a path"; bin="$2"; shift 2 ;;
            *) args+=("$1"); shift ;;
        esac
    done
    [ -x "$bin" ] || fail "no wafflectl binary at $bin (build it with cargo build)"
}

run_suite() {
    local name="$1"
    shift
    suite="conformance/$name"
    split_bin "$@"
    "${name}_venv" || fail "$venv_error"
    exec "$venv/bin/python" "$root/conformance/$name/suite.py" --bin "$bin" "${args[@]+"${args[@]}"}"
}

make_venv() {
    local label="$1" dir="$2" check="$3"
    shift 3
    local python="${PYTHON:-python3}"
    venv_error=""
    if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "$check" 2>/dev/null; then
        return 0
    fi
    local can_apt=0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then can_apt=1; fi
    if ! command -v "$python" >/dev/null 2>&1 && [ "$can_apt" = 1 ]; then
        echo "$label venv: installing python3" >&2
        apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null \
            || { venv_error="cannot install python3 with apt-get"; return 1; }
    fi
    command -v "$python" >/dev/null 2>&1 || { venv_error="no $python to create $dir with"; return 1; }
    echo "$label venv: creating $dir ($* from PyPI)" >&2
    rm -rf "$dir"
    if ! "$python" -m venv "$dir" >/dev/null 2>&1; then
        rm -rf "$dir"
        if [ "$can_apt" = 1 ]; then
            echo "$label venv: installing python3-venv" >&2
            apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null \
                || { venv_error="cannot install python3-venv with apt-get"; return 1; }
        fi
        "$python" -m venv "$dir" \
            || { venv_error="cannot create the virtual environment $dir (is python3-venv installed?)"; return 1; }
    fi
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
        || { venv_error="cannot install $* from PyPI into $dir"; return 1; }
    "$dir/bin/python" -c "$check" \
        || { venv_error="$dir does not give importable $*"; return 1; }
}

make_django_venv() {
    local label="$1" dir="$2" imports="$3"
    shift 3
    make_venv "$label" "$dir" "
import importlib.metadata as m, sys
$imports
d, w = m.version('django'), m.version('django-waffle')
sys.exit(0 if d.startswith('5.2.') and w == '5.0.0' else 1)" \
        'django>=5.2,<5.3' 'django-waffle==5.0.0' "$@"
}
