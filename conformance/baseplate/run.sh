#!/usr/bin/env bash
# Conformance of wafflectl's baseplate commands with real baseplate 1.5.5 (spec baseplate.md).
#
#   conformance/baseplate/run.sh [--bin PATH] [--seed N] [--cases N] [-v] [-k NAME] [--keep]
#
# Creates (or reuses) the virtual environment $BASEPLATE_VENV (default .venv-baseplate at the
# repository root) with baseplate==1.5.5 and setuptools from PyPI, then runs
# conformance/baseplate/suite.py against the binary --bin (default $WAFFLECTL_BIN, else
# target/debug/wafflectl; nothing is built here). The last line is "N passed, N failed".
# Fails loudly when anything cannot be set up: it never skips.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/baseplate/venv.sh
. "$root/conformance/baseplate/venv.sh"
run_suite baseplate "$@"
