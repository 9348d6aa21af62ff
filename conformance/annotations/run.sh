#!/usr/bin/env bash
# Conformance of `wafflectl report` and `stale --refs` with real Open edX code and Open edX's own
# annotation tool (code-annotations 2.3.2, its feature_toggle_annotations.yaml).
#
#   conformance/annotations/run.sh [--bin PATH] [-v] [-k NAME] [--keep]
#
# Creates (or reuses) the virtual environment $ANNOTATIONS_VENV (default .venv-annotations at the
# repository root) with code-annotations==2.3.2 and Django from PyPI, downloads the pinned sdists
# of a few Open edX packages from PyPI (pip download --no-deps --no-binary :all:, kept in
# $ANNOTATIONS_VENV/sdists), then runs conformance/annotations/suite.py against the binary --bin
# (default $WAFFLECTL_BIN, else target/debug/wafflectl; nothing is built here). The last line is
# "N passed, N failed". Fails loudly when anything cannot be set up: it never skips.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=conformance/annotations/venv.sh
. "$root/conformance/annotations/venv.sh"
run_suite annotations "$@"
