#!/usr/bin/env bash
# Benchmark (issue 2): a store with 10,000 flags; time `flag on NAME` end to end (process start
# included) and `flag list --json`. Usage: bench/flags.sh [N_FLAGS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
cargo build --release -q
BIN=target/release/wafflectl
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
DB=$TMP/bench.db
$BIN --db "$DB" init -q
python3 - "$DB" "$N" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.executemany(
    "INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)"
    " VALUES (?, NULL, '25.0', 0, 0, 0, 0, '', 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    ((f"bench.flag_{i:06d}",) for i in range(n)))
c.commit()
PY
# Time RUNS invocations in one loop (no subshell per sample), report the mean per invocation.
mean_ms() {
  local runs=$1; shift
  local s e
  s=$(date +%s%N)
  for _ in $(seq 1 "$runs"); do "$@" >/dev/null 2>&1; done
  e=$(date +%s%N)
  awk -v ns=$(( e - s )) -v n="$runs" 'BEGIN { printf "%.2f", ns / n / 1e6 }'
}
$BIN --db "$DB" flag show bench.flag_005000 >/dev/null   # first open checkpoints the bulk insert
echo "flags in store:                  $N"
echo "wafflectl --version (baseline):  $(mean_ms 20 $BIN --version) ms   (process start only)"
echo "flag on NAME:                    $(mean_ms 20 $BIN --db "$DB" flag on bench.flag_005000) ms"
echo "flag off NAME:                   $(mean_ms 20 $BIN --db "$DB" flag off bench.flag_005000) ms"
echo "flag show NAME:                  $(mean_ms 20 $BIN --db "$DB" flag show bench.flag_005000) ms"
echo "flag list --json:                $(mean_ms 5 $BIN --db "$DB" flag list --json) ms"
