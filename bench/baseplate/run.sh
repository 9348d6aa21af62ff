#!/usr/bin/env bash
# Bulk variant benchmark: `wafflectl variant KEY --file F --users-file U` (release build, its
# default value<TAB>variant output written to a file) against
# real baseplate 1.5.5 calling Experiments.variant() for the same user ids on the same
# experiments.json (reference.py), for a multi_variant experiment targeted on logged_in and an
# r2 experiment; plus peak memory of wafflectl at USERS/10 vs USERS users (it must not grow),
# a check that both give identical variant counts, and the end-to-end time of one
# `wafflectl variant KEY --file F user_id=t2_1` (median of 20). wafflectl runs with --jobs 1 and
# with every core (the default, the same output checked byte for byte), on the widest
# instructions the CPU has (named on the first line, from `wafflectl doctor`).
#
# Usage: bench/baseplate/run.sh [USERS]     (default 1000000; SKIP_BUILD=1 to reuse the binary;
#        WAFFLECTL_BIN=path to use another binary; PY_BUDGET=seconds the python side may take
#        before it stops and extrapolates, default 60; BASEPLATE_VENV as in conformance/baseplate)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_setup "$@"
now=1750000000
# shellcheck source=conformance/baseplate/venv.sh
. "$root/conformance/baseplate/venv.sh"
baseplate_venv || { echo "$venv_error" >&2; exit 1; }
py="$venv/bin/python"

# Two realistic experiments: a multi_variant one (20/20/20 %) for logged-in users with an
# employee override, and an r2 one (10 % + 10 %, logged-in users, a user_name override).
cat > "$work/experiments.json" <<'JSON'
{"bench_mv": {"id": 4242, "name": "bench_mv", "owner": "bench", "type": "multi_variant", "version": "3",
  "enabled": true, "start_ts": 1700000000, "stop_ts": 1800000000,
  "experiment": {"variants": [{"name": "control", "size": 0.2}, {"name": "treat_a", "size": 0.2},
                              {"name": "treat_b", "size": 0.2}],
                 "experiment_version": 3, "shuffle_version": 1, "bucket_val": "user_id", "log_bucketing": true,
                 "targeting": {"ALL": [{"EQ": {"field": "logged_in", "value": true}},
                                       {"NOT": {"EQ": {"field": "country", "values": ["XX"]}}}]},
                 "overrides": [{"treat_a": {"EQ": {"field": "is_employee", "value": true}}}]}},
 "bench_r2": {"id": 4243, "name": "bench_r2", "owner": "bench", "type": "r2", "version": "1",
  "start_ts": 1700000000, "stop_ts": 1800000000,
  "experiment": {"variants": {"control_1": 10, "control_2": 10, "enabled": 10},
                 "targeting": {"logged_in": [true]}, "overrides": {"user_name": {"gary": "enabled"}}}}}
JSON

"$py" - "$n" "$work/users.txt" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(2026)
with open(path, "w") as f:
    for _ in range(n):
        f.write("t2_%x\n" % rng.randrange(1 << 40))
PY
head -n "$small" "$work/users.txt" > "$work/users_small.txt"

ok=1
cores=$(nproc 2>/dev/null || echo 1)
"$bin" --db "$work/doctor.db" -q init
echo "hashing: $("$bin" --db "$work/doctor.db" doctor | sed -n 's/^bulk hashing *ok *//p'); $cores cores"
for key in bench_mv bench_r2; do
    read -r rw ru rs rm < <(measure "$work/$key.rust.tsv" "$bin" variant "$key" --file "$work/experiments.json" \
        --users-file "$work/users.txt" --now "$now" 'logged_in:=true' --jobs 1)
    read -r aw au as am < <(measure "$work/$key.rust_all.tsv" "$bin" variant "$key" --file "$work/experiments.json" \
        --users-file "$work/users.txt" --now "$now" 'logged_in:=true' --jobs "$cores")
    cmp -s "$work/$key.rust.tsv" "$work/$key.rust_all.tsv" || { echo "--jobs $cores changed the output of $key"; ok=0; }
    read -r pw pu ps pm < <(measure "$work/$key.python.json" "$py" "$here/reference.py" \
        "$work/experiments.json" "$key" "$work/users.txt" "$now" "${PY_BUDGET:-60}")
    read -r sw su ss sm < <(measure "$work/$key.rust_small.tsv" "$bin" variant "$key" --file "$work/experiments.json" \
        --users-file "$work/users_small.txt" --now "$now" 'logged_in:=true')
    "$py" - "$key" "$n" "$small" "$rw" "$ru" "$rs" "$rm" "$pw" "$pu" "$ps" "$pm" "$sm" \
        "$work/$key.rust.tsv" "$work/$key.python.json" "$aw" "$au" "$as" "$am" "$cores" <<'PY' || ok=0
import json, sys
from report import header, rate, ratio, row
key, n, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rw, ru, rs, rm, pw, pu, ps, pm, sm = map(float, sys.argv[4:13])
rust_path, python_path = sys.argv[13], sys.argv[14]
aw, au, as_, am = map(float, sys.argv[15:19])
cores = sys.argv[19]
ref = json.load(open(python_path))
py_users = ref["users"]
counts, lines = {}, 0
with open(rust_path, encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            continue
        lines += 1
        if lines <= py_users:
            # value<TAB>variant, the variant empty for None
            v = line.rstrip("\n").partition("\t")[2]
            name = "None" if v == "" else v
            counts[name] = counts.get(name, 0) + 1
rcpu, pcpu = ru + rs, pu + ps
print(f"== {key}: {n:,} users (inputs user_id, logged_in=true)")
header(26)
row("wafflectl --jobs 1", 26, n, rw, rcpu, rm)
row(f"wafflectl --jobs {cores}", 26, n, aw, au + as_, am)
if ref["partial"]:
    per_user = ref["seconds"] / py_users
    print(f"{'baseplate 1.5.5 (python)':26}{pw:9.3f}{pcpu:9.3f}{rate(py_users, ref['seconds']):17,.0f}"
          f"{'':21}{pm/1024:9.1f} MiB")
    print(f"  python evaluated only {py_users:,} of {n:,} users (the whole file would take longer than its budget): "
          f"{per_user * 1e6:.2f} us/user, extrapolated {per_user * n:.1f} s for {n:,}")
    py_rate = rate(py_users, ref["seconds"])
    print(f"ratio wafflectl / python: {rate(n, rw) / py_rate:.1f}x (wall; python extrapolated from its loop)")
else:
    row("baseplate 1.5.5 (python)", 26, n, pw, pcpu, pm)
    print(f"  (python loop alone: {ref['seconds']:.3f} s, {ref['seconds'] / n * 1e6:.2f} us/user; "
          f"{ref['events']:,} bucketing events)")
    ratio(n, rw, rcpu, pw, pcpu)
same = lines == n and counts == ref["counts"]
print(f"variant counts over the first {py_users:,} users: baseplate {json.dumps(ref['counts'], sort_keys=True)}")
print(f"                                     wafflectl {json.dumps(counts, sort_keys=True)}"
      f" ({lines:,} lines for {n:,} users)")
print(f"identical: {'yes' if same else 'NO'}")
print(f"--jobs {cores} / --jobs 1: {rw / aw:.2f}x (wall)")
print(f"wafflectl peak RSS: {sm/1024:.1f} MiB for {small:,} users, {am/1024:.1f} MiB for {n:,} users (--jobs {cores})")
sys.exit(0 if same else 1)
PY
done

# One lookup end to end (process start, file read, answer), median of 20.
"$py" - "$bin" "$work/experiments.json" <<'PY' || ok=0
import statistics, subprocess, sys, time
bin_, path = sys.argv[1], sys.argv[2]
for key in ["bench_mv", "bench_r2"]:
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        p = subprocess.run([bin_, "variant", key, "--file", path, "user_id=t2_1"], capture_output=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            print(f"wafflectl variant {key} --file F user_id=t2_1 exited {p.returncode}: {p.stderr.decode()[:300]}")
            sys.exit(1)
    print(f"single `wafflectl variant {key} --file F user_id=t2_1`: median {statistics.median(times) * 1000:.2f} ms "
          f"(min {min(times) * 1000:.2f}, max {max(times) * 1000:.2f}) over 20 runs")
PY
[ "$ok" = 1 ]
