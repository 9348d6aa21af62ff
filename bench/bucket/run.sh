#!/usr/bin/env bash
# Bulk bucketing benchmark: wafflectl `bucket --users-file` (release build) against a small
# Python reference of edX's algorithm (reference.py, hashlib) on the same 1,000,000 usernames,
# plus peak memory of wafflectl for 100,000 vs 1,000,000 users (it must not grow).
#
# Usage: bench/bucket/run.sh [USERS]        (default 1000000; SKIP_BUILD=1 to reuse the binary;
#        WAFFLECTL_BIN=path to use another binary)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_setup "$@"
command -v python3 >/dev/null || { echo "python3 is needed for the reference" >&2; exit 1; }

name=bench.experiment
course=course-v1:edX+DemoX+Demo_Course
db="$work/bench.db"
w() { "$bin" --db "$db" -q "$@"; }

# A realistic experiment: 2 buckets, course-aware, an experiment ID with an enrollment
# window, the main flag on, staff whitelisted into bucket 1 (so every user is also checked
# against the staff list). None of the generated users is staff, so all of them are hashed.
w init
w user add ops --staff
w experiment create "$name" --buckets 2 --id 7
w flag on "$name"
w experiment whitelist add "$name" 1 --staff
w experiment kv set 7 enrollment_start 2020-01-01

python3 - "$n" "$work/users.txt" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(2026)
alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_"
with open(path, "w") as f:
    for i in range(n):
        f.write("learner%07d_%s\n" % (i, "".join(rng.choice(alphabet) for _ in range(5))))
PY
head -n "$small" "$work/users.txt" > "$work/users_small.txt"

read -r rw ru rs rm < <(measure "$work/rust.tsv" "$bin" --db "$db" bucket "$name" --users-file "$work/users.txt" --course "$course")
read -r pw pu ps pm < <(measure "$work/python.tsv" python3 "$here/reference.py" "$name.$course" 2 "$work/users.txt")
read -r sw su ss sm < <(measure "$work/rust_small.tsv" "$bin" --db "$db" bucket "$name" --users-file "$work/users_small.txt" --course "$course")

if cmp -s "$work/rust.tsv" "$work/python.tsv"; then same=yes; else same=NO; fi

python3 - "$n" "$small" "$rw" "$ru" "$rs" "$rm" "$pw" "$pu" "$ps" "$pm" "$sm" "$same" <<'PY'
import sys
from report import header, ratio, row
n, small = int(sys.argv[1]), int(sys.argv[2])
rw, ru, rs, rm, pw, pu, ps, pm, sm = map(float, sys.argv[3:12])
same = sys.argv[12]
rcpu, pcpu = ru + rs, pu + ps
print(f"users: {n:,} (course-aware, main flag on, staff whitelist, enrollment window)")
header(24)
row("wafflectl (release)", 24, n, rw, rcpu, rm)
row("python reference", 24, n, pw, pcpu, pm)
ratio(n, rw, rcpu, pw, pcpu)
print(f"outputs identical: {same}")
print(f"wafflectl peak RSS: {sm/1024:.1f} MiB for {small:,} users, {rm/1024:.1f} MiB for {n:,} users")
PY
[ "$same" = yes ]
