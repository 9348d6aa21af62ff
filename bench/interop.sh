#!/usr/bin/env bash
# Times export and import of a large store: 100,000 flags, 10,000 users, 100,000 override rows.
# Needs python3, bc and /usr/bin/time.
#
#   bench/interop.sh            # builds the release binary, then runs
#   WAFFLECTL_BIN=path bench/interop.sh
#
# The store is made by importing a generated native file (python3 writes it). Prints one line
# per step with the wall-clock time; docs/interop.md records the figures.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${WAFFLECTL_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$root" && cargo build --release --quiet)
    bin="$root/target/release/wafflectl"
fi
FLAGS="${FLAGS:-100000}" USERS="${USERS:-10000}" OVERRIDES="${OVERRIDES:-100000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

python3 - "$FLAGS" "$USERS" "$OVERRIDES" > big.json <<'PY'
import json, sys
flags, users, overrides = (int(a) for a in sys.argv[1:4])
t = "2026-01-02T03:04:05.000000Z"
doc = {"version": 1, "groups": ["g%d" % i for i in range(100)]}
doc["users"] = [{"username": "user%05d" % i, "email": "user%05d@example.com" % i,
                 "is_staff": i % 50 == 0, "groups": ["g%d" % (i % 100)] if i % 3 == 0 else [],
                 "date_joined": t} for i in range(users)]
doc["flags"] = [{"name": "ns%03d.flag%06d" % (i % 1000, i), "everyone": [None, True, False][i % 3],
                 "percent": (i % 1000) / 10 if i % 7 == 0 else None, "staff": i % 2 == 0,
                 "users": ["user%05d" % ((i * 7 + k) % users) for k in range(3)] if i % 10 == 0 else [],
                 "groups": ["g%d" % (i % 100)] if i % 20 == 0 else [],
                 "created": t, "modified": t} for i in range(flags)]
doc["overrides"] = [{"flag": "ns%03d.flag%06d" % (i % 1000, i % flags),
                     "course": "course-v1:Org%d+C%d+R%d" % (i % 10, i % 500, i % 3),
                     "choice": "on" if i % 2 else "off", "enabled": True,
                     "changed_by": "user%05d" % (i % users) if i % 4 == 0 else None,
                     "change_date": "2026-01-%02dT00:00:%02d.%06dZ" % (1 + i % 28, i % 60, i)}
                    for i in range(overrides)]
json.dump(doc, sys.stdout)
PY

# Wall-clock and CPU (user + system) seconds of one step: on a busy machine the CPU time is the
# steadier figure.
t() { # label, command...
    local label="$1"; shift
    /usr/bin/time -f '%e %U %S' -o "$work/time.txt" "$@" >/dev/null 2>&1 \
        || { echo "$label: failed" >&2; exit 1; }
    # shellcheck disable=SC2046
    set -- $(tail -1 "$work/time.txt")
    printf '%-45s %6.2f s wall %6.2f s cpu\n' "$label" "$1" "$(echo "$2 + $3" | bc)"
}

export WAFFLECTL_ACTOR=bench
"$bin" --db a.db init -q
t "import native (into an empty store)" "$bin" --db a.db -q import big.json
t "export native" "$bin" --db a.db export -o a.json
t "export django fixture" "$bin" --db a.db --format django export -o a-fixture.json
t "diff native (no changes)" "$bin" --db a.db -q diff a.json
t "import native again (nothing to change)" "$bin" --db a.db -q import a.json
"$bin" --db b.db init -q
t "import django fixture (into an empty store)" "$bin" --db b.db -q --format django import a-fixture.json
"$bin" --db c.db init -q
"$bin" --db c.db -q import a.json
"$bin" --db c.db export -o c.json
cmp -s a.json c.json && echo "round trip: export -> import -> export is byte-identical" \
    || { echo "round trip: exports differ" >&2; exit 1; }
ls -l a.json a-fixture.json a.db | awk '{printf "%-16s %10d bytes\n", $9, $5}'
