#!/usr/bin/env bash
# Benchmark: `wafflectl experiment ids` (and `next-id`) on a store with many
# experiments_experimentdata rows (default 1,000,000), indexed as Django creates them.
#
# Usage: bench/experiment_ids.sh [ROWS] [RUNS]
#   WAFFLECTL=path/to/wafflectl   use this binary instead of building target/release/wafflectl
#   KEEP=1                        keep the temporary store and print its path
#
# The rows are written with plain SQL (the sqlite3 CLI, else python3's sqlite3): 1,000 users,
# 1,000 experiment IDs (0, 3, 6, ... 2997) and one key per (user, ID) pair, plus a few
# key-values and definitions, so the answer has every kind of source.
set -euo pipefail

ROWS=${1:-1000000}
RUNS=${2:-5}
cd "$(dirname "$0")/.."

if [[ -z "${WAFFLECTL:-}" ]]; then
    cargo build --release --quiet
    WAFFLECTL=$PWD/target/release/wafflectl
fi

dir=$(mktemp -d)
if [[ -z "${KEEP:-}" ]]; then
    trap 'rm -rf "$dir"' EXIT
fi
db=$dir/bench.db
export WAFFLECTL_DB=$db WAFFLECTL_ACTOR=bench

"$WAFFLECTL" -q init
"$WAFFLECTL" -q experiment create bench.upsell --buckets 3 --id 3
"$WAFFLECTL" -q experiment create bench.holdback --id 20000
"$WAFFLECTL" -q experiment kv set 3 enrollment_start 2020-01-01
"$WAFFLECTL" -q experiment kv set 31000 owner optimizely

users=1000
ids=1000
if (( ROWS > users * ids )); then
    echo "at most $((users * ids)) rows (unique user, ID, key)" >&2
    exit 2
fi
sql="
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $users)
INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
SELECT '!', NULL, 0, 'user' || i, '', '', 0, 1, '2026-01-01 00:00:00', '' FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS - 1)
INSERT INTO experiments_experimentdata (created, modified, experiment_id, key, value, user_id)
SELECT '2026-01-01 00:00:00', '2026-01-01 00:00:00', (i % $ids) * 3, 'seen', '1',
       (SELECT min(id) FROM auth_user) + i / $ids FROM n;
COMMIT;
"
start=$(date +%s.%N)
if command -v sqlite3 >/dev/null; then
    sqlite3 "$db" "$sql"
else
    python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.isolation_level = None; c.executescript(sys.argv[2])' "$db" "$sql"
fi
fill=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
count=$(sqlite3 "$db" "SELECT count(*) FROM experiments_experimentdata" 2>/dev/null ||
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM experiments_experimentdata").fetchone()[0])' "$db")
printf 'store: %s experimentdata rows (filled in %.1f s), %s\n' "$count" "$fill" "$(du -h "$db" | cut -f1)"

time_ms() {
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 1000000))
}

report() {
    local label=$1
    shift
    local times=()
    for _ in $(seq "$RUNS"); do
        times+=("$(time_ms "$@")")
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    printf '%-28s min %4d ms  median %4d ms  max %4d ms  (%d runs)\n' "$label" \
        "$(echo "$sorted" | head -1)" "$(echo "$sorted" | sed -n "$(((RUNS + 1) / 2))p")" \
        "$(echo "$sorted" | tail -1)" "$RUNS"
}

report "experiment ids --json" "$WAFFLECTL" experiment ids --json
report "experiment ids (table)" "$WAFFLECTL" experiment ids
report "experiment next-id" "$WAFFLECTL" experiment next-id
echo "IDs reported: $("$WAFFLECTL" experiment ids --format plain | wc -l)"
if [[ -n "${KEEP:-}" ]]; then
    echo "store kept at $db"
fi
