#!/usr/bin/env bash
# Differential test of typed and stored inputs against the libraries edx-platform uses:
# python-dateutil 2.9.0 (enrollment dates, >= 5,000 generated strings, typed and stored) and
# edx-opaque-keys with edx-ccx-keys (course keys, >= 2,000 generated keys). Fresh random cases
# every run; the seed is printed and --seed replays it.
#
#   conformance/inputs/run.sh [--bin PATH] [--seed N] [--dates N] [--keys N] [-v]
#
# Creates (or reuses) the virtual environment $INPUTS_VENV (default .venv-inputs at the
# repository root), then runs conformance/inputs/suite.py against the binary --bin (default
# $WAFFLECTL_BIN, else target/debug/wafflectl; nothing is built here). The last line is
# "N passed, N failed". Fails loudly when anything cannot be set up: it never skips.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=conformance/inputs/venv.sh
. "$here/venv.sh"

fail() {
    echo "conformance/inputs: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

inputs_venv || fail "$venv_error"

args=("$@")
has_bin=0
for a in "${args[@]+"${args[@]}"}"; do [ "$a" = --bin ] && has_bin=1; done
if [ "$has_bin" = 0 ]; then
    args=(--bin "${WAFFLECTL_BIN:-$root/target/debug/wafflectl}" "${args[@]+"${args[@]}"}")
fi
bin=""
prev=""
for a in "${args[@]}"; do [ "$prev" = --bin ] && bin="$a"; prev="$a"; done
[ -x "$bin" ] || fail "no wafflectl binary at $bin (build it with cargo build)"
export TZ=UTC
exec "$venv/bin/python" "$here/suite.py" "${args[@]}"
