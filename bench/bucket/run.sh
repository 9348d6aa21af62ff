#!/usr/bin/env bash
# Bulk bucketing benchmark: wafflectl `bucket --users-file` (release build) against a small
# Python reference of edX's algorithm (reference.py, hashlib) on the same 1,000,000 usernames,
# plus peak memory of wafflectl for 100,000 vs 1,000,000 users (it must not grow). wafflectl
# runs with --jobs 1 and with every core (the default), course-aware and not, on the widest
# instructions the CPU has (named on the first line, from `wafflectl doctor`) and, for
# comparison, with WAFFLECTL_SIMD=avx2 when the widest is AVX-512.
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

cores=$(nproc 2>/dev/null || echo 1)
isa=$(w doctor | sed -n 's/^bulk hashing *ok *//p')
bulk=("$bin" --db "$db" bucket "$name" --users-file)
read -r rw ru rs rm < <(measure "$work/rust.tsv" "${bulk[@]}" "$work/users.txt" --course "$course" --jobs 1)
read -r aw au as am < <(measure "$work/rust_all.tsv" "${bulk[@]}" "$work/users.txt" --course "$course" --jobs "$cores")
read -r uw uu us um < <(measure "$work/rust_unaware.tsv" "${bulk[@]}" "$work/users.txt" --jobs 1)
read -r vw vu vs vm < <(measure "$work/rust_unaware_all.tsv" "${bulk[@]}" "$work/users.txt" --jobs "$cores")
if [ "${isa%%:*}" = avx512 ]; then
    read -r xw xu xs xm < <(measure "$work/rust_avx2.tsv" env WAFFLECTL_SIMD=avx2 "${bulk[@]}" "$work/users.txt" --course "$course" --jobs 1)
    read -r yw yu ys ym < <(measure "$work/rust_avx2_unaware.tsv" env WAFFLECTL_SIMD=avx2 "${bulk[@]}" "$work/users.txt" --jobs 1)
else
    xw=0 xu=0 xs=0 xm=0 yw=0 yu=0 ys=0 ym=0
fi
read -r pw pu ps pm < <(measure "$work/python.tsv" python3 "$here/reference.py" "$name.$course" 2 "$work/users.txt")
read -r sw su ss sm < <(measure "$work/rust_small.tsv" "${bulk[@]}" "$work/users_small.txt" --course "$course")

same=yes
cmp -s "$work/rust.tsv" "$work/python.tsv" || same=NO
cmp -s "$work/rust.tsv" "$work/rust_all.tsv" || same=NO
cmp -s "$work/rust_unaware.tsv" "$work/rust_unaware_all.tsv" || same=NO
if [ "${isa%%:*}" = avx512 ]; then
    cmp -s "$work/rust.tsv" "$work/rust_avx2.tsv" || same=NO
    cmp -s "$work/rust_unaware.tsv" "$work/rust_avx2_unaware.tsv" || same=NO
fi

python3 - "$n" "$small" "$rw" "$ru" "$rs" "$rm" "$pw" "$pu" "$ps" "$pm" "$sm" "$same" \
    "$aw" "$au" "$as" "$am" "$uw" "$uu" "$us" "$um" "$vw" "$vu" "$vs" "$vm" \
    "$xw" "$xu" "$xs" "$xm" "$yw" "$yu" "$ys" "$ym" "$cores" "$isa" <<'PY'
import sys
from report import header, ratio, row
n, small = int(sys.argv[1]), int(sys.argv[2])
rw, ru, rs, rm, pw, pu, ps, pm, sm = map(float, sys.argv[3:12])
same = sys.argv[12]
aw, au, as_, am, uw, uu, us, um, vw, vu, vs, vm, xw, xu, xs, xm, yw, yu, ys, ym = map(float, sys.argv[13:33])
cores, isa = sys.argv[33], sys.argv[34]
rcpu, pcpu = ru + rs, pu + ps
print(f"users: {n:,} (course-aware, main flag on, staff whitelist, enrollment window)")
print(f"hashing: {isa}; {cores} cores")
header(34)
row("wafflectl --jobs 1", 34, n, rw, rcpu, rm)
row(f"wafflectl --jobs {cores}", 34, n, aw, au + as_, am)
row("wafflectl --jobs 1, no course", 34, n, uw, uu + us, um)
row(f"wafflectl --jobs {cores}, no course", 34, n, vw, vu + vs, vm)
if xw > 0:
    row("wafflectl --jobs 1 (avx2)", 34, n, xw, xu + xs, xm)
    row("wafflectl --jobs 1, no course (avx2)", 34, n, yw, yu + ys, ym)
row("python reference", 34, n, pw, pcpu, pm)
ratio(n, rw, rcpu, pw, pcpu)
print(f"--jobs {cores} / --jobs 1: {rw / aw:.2f}x (wall), course-aware; {uw / vw:.2f}x (wall), no course")
print(f"outputs identical (python, every --jobs, every instruction set): {same}")
print(f"wafflectl peak RSS: {sm/1024:.1f} MiB for {small:,} users, {am/1024:.1f} MiB for {n:,} users (--jobs {cores})")
PY
[ "$same" = yes ]
