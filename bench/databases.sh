#!/usr/bin/env bash
# Benchmark (issue 10): the same commands on SQLite, MariaDB and PostgreSQL, side by side in one
# run, on a database holding 10,000 flags (as bench/flags.sh), each a Django project's database
# migrated by the conformance project (Django 5.2, django-waffle 5.0.0, the edX models, Django
# admin), so that every write also writes Django admin's LogEntry (actor `admin`):
#
#   * `flag on NAME` / `flag off NAME` alternating, each run timed on its own, process start,
#     connection and TLS negotiation included: median and p90 of RUNS runs; the backends take
#     turns sample by sample (round-robin), so that the machine's load weighs on each alike;
#   * `manage.py waffle_flag NAME --everyone` / `--deactivate` of the conformance project on the
#     same database (the Python reference; median of DJANGO_RUNS runs), as a ratio;
#   * `flag list --json`, `export`, `diff` (of the export: no changes), and `bucket --users-file`
#     with USERS users on a course-aware experiment (median of BULK_RUNS runs each);
#   * with BENCH_SERVERS set, the statements each of those commands sends to each
#     server (MariaDB's general log, PostgreSQL's log_statement=all), once on a store holding a
#     single flag and 1,000 users and once with 10,000 flags and USERS users: bulk reads must
#     issue a fixed number of statements, whatever the number of rows or users.
#
# Usage:
#   WAFFLECTL_TEST_MYSQL_URL=mysql://USER:PW@HOST:PORT/DB \
#   WAFFLECTL_TEST_PG_URL=postgres://USER:PW@HOST:PORT/DB \
#   [BENCH_SERVERS=DIR] bench/databases.sh [RUNS]
#
# RUNS defaults to 60 (toggles per backend); USERS (100000), BULK_RUNS (5) and DJANGO_RUNS (6)
# come from the environment. The two URLs are those .ci/servers.sh's start_mariadb and
# start_postgres export (a missing one fails the run). Use THROWAWAY databases: the run replaces
# every toggle and user in them (`import --prune`), and refuses to start when a database holds
# a flag or user whose name is not one of the benchmark's own (bench.*, admin, staffN, userN).
#
# BENCH_SERVERS is the folder .ci/servers.sh made (`$servers`): the statement counts need
# the servers' administrators, reached there (MariaDB's root over $servers/mariadb/sock, and
# PostgreSQL's superuser over the socket in $servers/postgres, as the `postgres` account when
# run as root); the run turns MariaDB's general log (log_output=TABLE) on, and log_statement=all
# for the URL's role only, and both off again at the end. Without it the counts are skipped.
#
# The Django project runs in the virtual environment conformance/databases/run.sh uses
# ($DATABASES_VENV, default .venv-databases; made from PyPI when missing). This script migrates
# the project into both servers itself (as that suite does), so it runs on fresh servers too.
# Needs python3.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
for v in WAFFLECTL_TEST_MYSQL_URL WAFFLECTL_TEST_PG_URL; do
    if [ -z "${!v:-}" ]; then
        echo "bench/databases.sh: \$$v is not set: the URL of a throwaway database on a test server" >&2
        echo "(source .ci/servers.sh and run start_mariadb and start_postgres, which export both)" >&2
        exit 2
    fi
done
runs="${1:-60}"
users_n="${USERS:-100000}"
bulk_runs="${BULK_RUNS:-5}"
django_runs="${DJANGO_RUNS:-6}"
srv="${BENCH_SERVERS:-}"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_setup "$users_n"
# shellcheck source=conformance/databases/venv.sh
. "$root/conformance/databases/venv.sh"
databases_venv || { echo "bench/databases.sh: $venv_error" >&2; exit 1; }
py="$venv/bin/python"
project="$root/conformance/project"

sqlite="$work/site.db"
backends=(sqlite mariadb postgres)
declare -A url=([sqlite]="$sqlite" [mariadb]="$WAFFLECTL_TEST_MYSQL_URL" [postgres]="$WAFFLECTL_TEST_PG_URL")
export WAFFLECTL_ACTOR=admin
unset WAFFLECTL_DB WAFFLECTL_CACHE WAFFLECTL_DB_PASSWORD

w() { local b="$1"; shift; "$bin" --db "${url[$b]}" "$@"; }
manage() {
    local b="$1"; shift
    (cd "$project" && CONFORMANCE_DB="${url[$b]}" DJANGO_SETTINGS_MODULE=settings_live LIVE_CACHE="" \
        PYTHONPATH="$root/conformance/live:$project" "$py" manage.py "$@")
}

# --- the three databases: Django's tables (migrate), wafflectl's (init), then the benchmark's rows
echo "preparing: migrate the conformance project, wafflectl init, refuse a database in use" >&2
for b in "${backends[@]}"; do
    manage "$b" migrate --noinput -v 0
    manage "$b" migrate --run-syncdb --noinput -v 0
    w "$b" -q init
    w "$b" export -o "$work/before-$b.json" 2>/dev/null
    python3 - "$work/before-$b.json" "$b" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
mine = re.compile(r"bench\..*|admin|staff\d+|user\d+\Z")
foreign = [f["name"] for f in doc.get("flags", []) if not mine.match(f["name"])]
foreign += [u["username"] for u in doc.get("users", []) if not mine.match(u["username"])]
if foreign:
    sys.exit(f"bench/databases.sh: the {sys.argv[2]} database holds rows that are not the benchmark's"
             f" ({', '.join(foreign[:5])}...): point it at a throwaway database")
PY
done

# A native file: `admin` (who the admin log entries name), 20 staff users, NFLAGS flags (at 25%,
# as bench/flags.sh makes them).
native() { # NFLAGS NUSERS > file
    python3 - "$1" "$2" <<'PY'
import json, sys
flags, users = int(sys.argv[1]), int(sys.argv[2])
t = "2026-01-01T00:00:00.000000Z"
def user(name, staff=False, su=False):
    return {"username": name, "email": name + "@example.com", "first_name": "", "last_name": "",
            "is_staff": staff, "is_superuser": su, "is_active": True, "groups": [],
            "date_joined": t, "last_login": None}
doc = {"version": 1, "groups": [],
       "users": [user("admin", True, True)] + [user("staff%02d" % i, True) for i in range(20)]
                + [user("user%06d" % i) for i in range(users)],
       "flags": [{"name": "bench.flag_%06d" % i, "everyone": None, "percent": 25.0,
                  "testing": False, "superusers": False, "staff": False, "authenticated": False,
                  "languages": "", "rollout": False, "note": "", "users": [], "groups": [],
                  "created": t, "modified": t} for i in range(flags)],
       # Empty sections: `import --prune` of the small file clears an earlier run's experiment.
       "overrides": [], "experiments": [], "key_values": []}
json.dump(doc, sys.stdout)
PY
}
seq -f 'user%06.0f' 0 $(( users_n - 1 )) > "$work/users-big.txt"
head -n 1000 "$work/users-big.txt" > "$work/users-small.txt"
native 1 0 > "$work/small.json"
native 10000 0 > "$work/big.json"
course="course-v1:edX+Bench+2026"
experiment() { # BACKEND: a course-aware experiment as bench/bucket/run.sh makes it
    w "$1" -q experiment create bench.exp --buckets 2 --id 4711
    w "$1" -q flag on bench.exp
    w "$1" -q experiment whitelist add bench.exp 1 --staff
    w "$1" -q experiment kv set 4711 enrollment_start 2024-01-01
    w "$1" -q override set bench.exp --course "$course" on
}

# --- statement counts (optional): the servers' own logs, read as their administrators
mysql_sock="$srv/mariadb/sock"
pg_dir="$srv/postgres"
pg_port="${WAFFLECTL_TEST_PG_URL##*@*:}"; pg_port="${pg_port%%/*}"
pg_role="${WAFFLECTL_TEST_PG_URL#postgres://}"; pg_role="${pg_role%%[:@]*}"
my_user="${WAFFLECTL_TEST_MYSQL_URL#mysql://}"; my_user="${my_user%%[:@]*}"
my_root() { mariadb --no-defaults --socket="$mysql_sock" -uroot -N -B -e "$1"; }
pg_super() {
    local as=()
    [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
    "${as[@]}" psql -q -X -v ON_ERROR_STOP=1 -h "$pg_dir" -p "$pg_port" -U postgres -d postgres -c "$1" >/dev/null
}
counting=0
if [ -n "$srv" ]; then
    if [ ! -S "$mysql_sock" ] || [ ! -f "$pg_dir/server.log" ]; then
        echo "bench/databases.sh: $srv is not a folder .ci/servers.sh made (no mariadb/sock or postgres/server.log)" >&2
        exit 1
    fi
    counting=1
    my_root "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1"
    pg_super "ALTER ROLE \"$pg_role\" SET log_statement = 'all'"
    trap 'my_root "SET GLOBAL general_log = 0; TRUNCATE mysql.general_log" || true;
          pg_super "ALTER ROLE \"$pg_role\" RESET log_statement" || true; rm -rf "$work"' EXIT
fi
# count BACKEND LABEL COMMAND...: runs COMMAND once and records "statements (detail)" it sent.
declare -A counts
count() {
    local b="$1" label="$2"; shift 2
    if [ "$counting" != 1 ] || [ "$b" = sqlite ]; then
        "$@" >/dev/null 2>&1 || { echo "bench/databases.sh: $label failed on $b" >&2; exit 1; }
        return 0
    fi
    local off
    if [ "$b" = mariadb ]; then
        my_root "TRUNCATE mysql.general_log"
    else
        off=$(stat -c %s "$pg_dir/server.log")
    fi
    "$@" >/dev/null 2>&1 || { echo "bench/databases.sh: $label failed on $b" >&2; exit 1; }
    if [ "$b" = mariadb ]; then
        # Statements are Query and Execute; Prepare happens once per distinct statement
        # (the client caches them for the connection), Connect/Quit are the session itself.
        counts[$b,$label]=$(my_root "SELECT command_type, COUNT(*) FROM mysql.general_log
            WHERE user_host LIKE '${my_user}[%' GROUP BY command_type" | python3 -c '
import sys
c = dict(l.rstrip("\n").split("\t") for l in sys.stdin if l.strip())
q, e, p = (int(c.get(k, 0)) for k in ("Query", "Execute", "Prepare"))
print(f"{q + e} ({q} query + {e} execute; {p} prepare)")')
    else
        sleep 0.2   # the log is written by the server process; let it land
        counts[$b,$label]=$(tail -c +"$((off + 1))" "$pg_dir/server.log" | python3 -c '
import re, sys
simple = execute = 0
for l in sys.stdin:
    if re.search(r"LOG:  statement: ", l): simple += 1
    elif re.search(r"LOG:  execute [^:]*: ", l): execute += 1
print(f"{simple + execute} ({simple} simple + {execute} extended)")')
    fi
}

# count_reads BACKEND SIZE STEM USERS: counts the reading commands on the store as it is: SIZE
# names the store in the labels, STEM its files ($work/STEM-BACKEND.json, $work/users-STEM.txt),
# USERS the users file's length.
count_reads() {
    local b="$1" size="$2" stem="$3" users="$4"
    count "$b" "flag list --json ($size)" w "$b" flag list --json
    count "$b" "export ($size)" w "$b" export
    count "$b" "diff ($size)" w "$b" diff "$work/$stem-$b.json"
    count "$b" "bucket --users-file ($users)" w "$b" bucket bench.exp --users-file "$work/users-$stem.txt" --course "$course"
}

echo "counting statements on a small store (1 flag, 1,000 users in the file)" >&2
for b in "${backends[@]}"; do
    w "$b" -q import --prune --yes "$work/small.json"
    experiment "$b"
    w "$b" -q export -o "$work/small-$b.json"
    count "$b" "flag on" w "$b" -q flag on bench.flag_000000
    count_reads "$b" small small 1,000
done

echo "importing 10,000 flags into each database" >&2
declare -A import_s
for b in "${backends[@]}"; do
    s=$(date +%s%N)
    w "$b" -q import "$work/big.json"
    import_s[$b]=$(( ($(date +%s%N) - s) / 1000000 ))
    w "$b" -q export -o "$work/big-$b.json"
    w "$b" -q flag off bench.flag_005000
    count "$b" "flag on (10k flags)" w "$b" -q flag on bench.flag_005000
    count "$b" "flag off (10k flags)" w "$b" -q flag off bench.flag_005000
    count_reads "$b" 10k big "$users_n"
done
if [ "$counting" = 1 ]; then
    my_root "SET GLOBAL general_log = 0; TRUNCATE mysql.general_log"
    pg_super "ALTER ROLE \"$pg_role\" RESET log_statement"
fi

# --- timings: every command of every backend in one run, interleaved backend by backend
echo "timing, round-robin ($runs toggles per backend, $bulk_runs runs of each bulk command, $django_runs Django runs)" >&2
timings="$work/timings.tsv"
python3 - "$runs" "$bulk_runs" "$django_runs" "$bin" "$timings" "$work" "$course" "$py" "$project" "$root" \
    "${url[sqlite]}" "${url[mariadb]}" "${url[postgres]}" <<'PY'
import os, subprocess, sys, time
runs, bulk, djruns = (int(a) for a in sys.argv[1:4])
binary, out, work, course, py, project, root = sys.argv[4:11]
urls = dict(zip(["sqlite", "mariadb", "postgres"], sys.argv[11:14]))
env = dict(os.environ, WAFFLECTL_ACTOR="admin")
djenv = dict(env, DJANGO_SETTINGS_MODULE="settings_live", LIVE_CACHE="",
             PYTHONPATH=os.pathsep.join([os.path.join(root, "conformance", "live"), project]))
results = []

def once(cmd, e=env, cwd=None):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=e, cwd=cwd, check=True)
    return (time.perf_counter() - t) * 1000

def record(b, what, samples):
    s = sorted(samples)
    med = s[len(s) // 2] if len(s) % 2 else (s[len(s) // 2 - 1] + s[len(s) // 2]) / 2
    p90 = s[min(len(s) - 1, int(round(0.9 * (len(s) - 1))))]
    results.append((b, what, med, p90, len(s)))

record("-", "process start (--version)", [once([binary, "--version"]) for _ in range(runs)])
# Round-robin: sample i of every backend runs before sample i + 1 of any, so that a change in
# the machine's load during the run weighs on the three columns alike.
def rounds(what, n, cmd, e=None, cwd=None):
    samples = {b: [] for b in urls}
    for i in range(n):
        for b, u in urls.items():
            samples[b].append(once(cmd(i, b, u), *(() if e is None else (e(u), cwd))))
    for b in urls:
        record(b, what, samples[b])
w = lambda u, *a: [binary, "--db", u, *a]
for u in urls.values():
    once(w(u, "flag", "show", "bench.flag_005000"))  # warm the page cache / the server's buffers
rounds("flag on/off", runs, lambda i, b, u: w(u, "-q", "flag", "on" if i % 2 == 0 else "off", "bench.flag_005000"))
rounds("flag show", runs // 2, lambda i, b, u: w(u, "flag", "show", "bench.flag_005000"))
rounds("flag list --json", bulk, lambda i, b, u: w(u, "flag", "list", "--json"))
rounds("export", bulk, lambda i, b, u: w(u, "export"))
rounds("diff", bulk, lambda i, b, u: w(u, "diff", os.path.join(work, f"big-{b}.json")))
rounds("bucket --users-file", bulk, lambda i, b, u: w(u, "bucket", "bench.exp", "--users-file",
                                                     os.path.join(work, "users-big.txt"), "--course", course))
rounds("manage.py waffle_flag", djruns,
       lambda i, b, u: [py, "manage.py", "waffle_flag", "bench.flag_005000",
                        "--everyone" if i % 2 == 0 else "--deactivate"],
       lambda u: dict(djenv, CONFORMANCE_DB=u), project)
with open(out, "w") as f:
    for r in results:
        f.write("\t".join(str(x) for x in r) + "\n")
PY

# --- the report
echo
echo "wafflectl on SQLite (a file), MariaDB and PostgreSQL (loopback), one run; $(nproc) cores"
echo "store: 10,000 flags, Django admin's tables (a LogEntry per change, actor admin)"
python3 - "$timings" "$users_n" "${import_s[sqlite]}" "${import_s[mariadb]}" "${import_s[postgres]}" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
t = {(b, w): (float(m), float(p), int(n)) for b, w, m, p, n in rows}
users = int(sys.argv[2])
imports = dict(zip(["sqlite", "mariadb", "postgres"], (int(a) for a in sys.argv[3:6])))
bs = ["sqlite", "mariadb", "postgres"]
print(f"process start alone (--version): median {t['-', 'process start (--version)'][0]:.1f} ms")
print(f"{'command (median ms; p90)':44}{'SQLite':>16}{'MariaDB':>16}{'PostgreSQL':>16}")
labels = [("flag on/off", "flag on / flag off NAME, alternating"), ("flag show", "flag show NAME"),
          ("manage.py waffle_flag", "manage.py waffle_flag NAME --everyone"),
          ("flag list --json", "flag list --json"), ("export", "export (native)"),
          ("diff", "diff (the export: no changes)"),
          ("bucket --users-file", f"bucket --users-file, {users:,} users")]
for key, label in labels:
    cells = []
    for b in bs:
        m, p, n = t[b, key]
        cells.append(f"{m:7.1f}; {p:6.1f}" if key in ("flag on/off", "flag show") else f"{m:14.1f}")
    print(f"{label:44}" + "".join(f"{c:>16}" for c in cells))
print(f"{'import of the 10,000 flags (once)':44}" + "".join(f"{imports[b]:16.0f}" for b in bs))
print()
print("ratios (median over median, same run):")
for b in ["mariadb", "postgres"]:
    print(f"  flag on/off, {b} / SQLite: {t[b, 'flag on/off'][0] / t['sqlite', 'flag on/off'][0]:.2f}x")
for b in bs:
    print(f"  manage.py waffle_flag / wafflectl flag on/off, {b}: "
          f"{t[b, 'manage.py waffle_flag'][0] / t[b, 'flag on/off'][0]:.0f}x")
PY
if [ "$counting" = 1 ]; then
    echo
    echo "statements sent to each server per command (general log / log_statement=all)"
    printf '%-36s %-44s %s\n' command MariaDB PostgreSQL
    for label in "flag on" "flag on (10k flags)" "flag off (10k flags)" \
        "flag list --json (small)" "flag list --json (10k)" "export (small)" "export (10k)" \
        "diff (small)" "diff (10k)" "bucket --users-file (1,000)" "bucket --users-file ($users_n)"; do
        printf '%-36s %-44s %s\n' "$label" "${counts[mariadb,$label]}" "${counts[postgres,$label]}"
    done
fi
