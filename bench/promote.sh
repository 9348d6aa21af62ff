#!/usr/bin/env bash
# Benchmark (promote): `promote 'bench.*' --from MARIADB --to POSTGRES --create-users` of FLAGS
# flags (default 10,000), each naming 3 of USERS users (default 2,000), between two servers on
# loopback, timed beside moving the same content as a file: `export` from MariaDB, then `import`
# of that file into PostgreSQL. Both start from the same state: MariaDB holds the flags and
# users, PostgreSQL holds none of them (so promote creates the 2,000 users with --create-users,
# as import creates them from the file). Then a second promote, which finds everything unchanged
# and writes nothing. Prints seconds (wall, process start and connecting included) and the ratio.
#
# Usage:
#   WAFFLECTL_TEST_MYSQL_URL=mysql://USER:PW@HOST:PORT/DB \
#   WAFFLECTL_TEST_PG_URL=postgres://USER:PW@HOST:PORT/DB \
#   bench/promote.sh [FLAGS]
#
# USERS comes from the environment. The two URLs are those .ci/servers.sh's start_mariadb and
# start_postgres export, databases Django's migrations have filled (as .ci/run leaves them).
# Use THROWAWAY databases: the run replaces every flag, user and group in them (`import
# --prune`), and refuses to start when a database holds a flag or user that is not one of the
# benchmark's own (bench.*, benchuser*). SKIP_BUILD=1 / WAFFLECTL_BIN as in bench/lib.sh.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
for v in WAFFLECTL_TEST_MYSQL_URL WAFFLECTL_TEST_PG_URL; do
    if [ -z "${!v:-}" ]; then
        echo "bench/promote.sh: \$$v is not set: the URL of a throwaway database on a test server" >&2
        echo "(source .ci/servers.sh and run start_mariadb and start_postgres, which export both)" >&2
        exit 2
    fi
done
flags_n="${1:-10000}"
users_n="${USERS:-2000}"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_setup "$users_n"
a="$WAFFLECTL_TEST_MYSQL_URL"
b="$WAFFLECTL_TEST_PG_URL"
w() { "$bin" --actor bench --no-admin-log "$@"; }

echo "preparing: wafflectl init, refuse a database in use, $flags_n flags naming $users_n users" >&2
for db in "$a" "$b"; do
    w --db "$db" -q init 2>/dev/null || true
    w --db "$db" export -o "$work/before.json" 2>/dev/null
    python3 - "$work/before.json" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
mine = re.compile(r"bench\..*|benchuser\d+\Z")
foreign = [f["name"] for f in doc.get("flags", []) if not mine.match(f["name"])]
foreign += [u["username"] for u in doc.get("users", []) if not mine.match(u["username"])]
if foreign:
    sys.exit(f"bench/promote.sh: a database holds rows that are not the benchmark's"
             f" ({', '.join(foreign[:5])}...): point it at a throwaway database")
PY
done

python3 - "$flags_n" "$users_n" "$work/source.json" "$work/empty.json" <<'PY'
import json, random, sys
flags, users = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(21)
names = ["benchuser%05d" % i for i in range(users)]
doc = {
    "version": 1,
    "groups": [],
    "users": [{"username": u} for u in names],
    "flags": [{"name": "bench.flag_%06d" % i, "everyone": None, "percent": 25.0,
               "users": sorted(rng.sample(names, 3))} for i in range(flags)],
    "overrides": [],
}
json.dump(doc, open(sys.argv[3], "w"))
json.dump({"version": 1, "groups": [], "users": [], "flags": [], "overrides": []},
          open(sys.argv[4], "w"))
PY
w --db "$a" -q import --prune --yes "$work/source.json"

empty_target() { w --db "$b" -q import --prune --yes "$work/empty.json"; }
# wall seconds of one wafflectl run (a function cannot be timed by /usr/bin/time); a failed run
# fails the benchmark
secs() {
    local t
    t="$(measure /dev/null "$bin" --actor bench --no-admin-log "$@")"
    grep -q "exited with non-zero" "$work/time.txt" 2>/dev/null \
        && { echo "bench/promote.sh: wafflectl $1 failed" >&2; exit 1; }
    echo "$t" | awk '{print $1}'
}

empty_target
promote=$(secs promote 'bench.*' --from "$a" --to "$b" --create-users -q)
w compare "$a" "$b" --kind flag --exit-code -q \
    || { echo "bench/promote.sh: after promote, the two databases differ" >&2; exit 1; }
again=$(secs promote 'bench.*' --from "$a" --to "$b" -q)

empty_target
export_s=$(secs --db "$a" export -o "$work/export.json")
import_s=$(secs --db "$b" import -q "$work/export.json")
w compare "$a" "$b" --kind flag --exit-code -q \
    || { echo "bench/promote.sh: after import, the two databases differ" >&2; exit 1; }

python3 - "$flags_n" "$users_n" "$promote" "$again" "$export_s" "$import_s" <<'PY'
import sys
flags, users = sys.argv[1], sys.argv[2]
promote, again, export, imp = map(float, sys.argv[3:])
moved = export + imp
print(f"{flags} flags naming {users} users, MariaDB -> PostgreSQL on loopback (wall seconds):")
print(f"  promote --create-users      {promote:7.2f} s   (target: < 5 s)")
print(f"  promote again (unchanged)   {again:7.2f} s")
print(f"  export + import             {moved:7.2f} s   (export {export:.2f} s, import {imp:.2f} s)")
print(f"  promote / (export + import) {promote / moved:7.2f}x")
print(f"  promote / import            {promote / imp:7.2f}x")
PY
