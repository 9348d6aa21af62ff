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

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/inputs/venv.sh
. "$root/conformance/inputs/venv.sh"
export TZ=UTC
run_suite inputs "$@"
