#!/usr/bin/env bash
# Assignment of IDS ids (default 10,000,000) to an edX experiment's buckets inside DuckDB,
# PostgreSQL and MariaDB with the SQL `wafflectl sql bucket` prints, timed beside
# `wafflectl bucket --users-file` on the same ids (docs/warehouse.md).
#
#   bench/warehouse.sh [IDS]
#
# Builds the release binary unless SKIP_BUILD=1 ($WAFFLECTL_BIN picks another). Needs
# $WAFFLECTL_TEST_PG_URL and $WAFFLECTL_TEST_MYSQL_URL (.ci/servers.sh) and the virtual
# environment of conformance/warehouse. Loading the ids into each engine is not timed; the
# engine's time is `CREATE TABLE … AS SELECT id, <expression> AS bucket FROM ids`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
# shellcheck source=conformance/warehouse/venv.sh
. "$root/conformance/warehouse/venv.sh"
bench_setup "${1:-10000000}"
warehouse_venv || { echo "bench/warehouse: $venv_error" >&2; exit 1; }
course=course-v1:edX+DemoX+Demo_Course
w() { "$bin" --db "$work/w.db" -q "$@"; }
w init
w experiment create bench.upsell --buckets 10 --course-aware
w flag set bench.upsell --everyone on
w user add qa_staff --staff
w experiment whitelist add bench.upsell 1 --staff
"$venv/bin/python" -c "
import random, sys
r = random.Random(1)
with open(sys.argv[1], 'w') as f:
    for _ in range(int(sys.argv[2])):
        f.write('u%x\n' % r.getrandbits(48))" "$work/ids.txt" "$n"
echo "$n ids; experiment bench.upsell: 10 buckets, course-aware, staff whitelisted into bucket 1"
read -r wall user sys rss < <(measure "$work/out.tsv" "$bin" --db "$work/w.db" bucket bench.upsell \
    --users-file "$work/ids.txt" --course "$course")
echo "wafflectl bucket --users-file: ${wall}s wall (${user}s user, ${sys}s sys, ${rss} KiB peak)"
for d in duckdb postgres mysql; do
    w --json sql bucket bench.upsell --dialect "$d" --course "$course" > "$work/$d.json"
done
"$venv/bin/python" "$root/bench/warehouse.py" "$work" "$work/ids.txt"
