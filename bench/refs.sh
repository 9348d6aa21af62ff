#!/usr/bin/env bash
# Benchmark (issue 13): `wafflectl refs` against ripgrep on the same generated tree in the same
# run: 20,000 files (about 500 MB) naming 2,000 toggles, every toggle a flag of the store, searched
# with `rg --fixed-strings --file NAMES`. Both write their results to a file (ripgrep stops early
# when it writes to /dev/null). Prints the median of RUNS warm runs of each and the ratio.
# Usage: bench/refs.sh [FILES] [MB] [RUNS]      (install ripgrep: apt-get install -y ripgrep)
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-20000}
MB=${2:-500}
RUNS=${3:-5}
command -v rg >/dev/null || { echo "ripgrep (rg) is needed: apt-get install -y ripgrep" >&2; exit 2; }
cargo build --release -q
BIN=$PWD/target/release/wafflectl
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
DB=$TMP/bench.db
$BIN --db "$DB" init -q
python3 - "$DB" "$TMP/tree" "$TMP/NAMES" "$FILES" "$MB" <<'PY'
import os, random, sqlite3, sys
db, root, names_file, files, mb = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rnd = random.Random(13)
names = [f"team_{i % 40:02d}.feature_{i:04d}" for i in range(2000)]
c = sqlite3.connect(db)
c.executemany(
    "INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)"
    " VALUES (?, NULL, '25.0', 0, 0, 0, 0, '', 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
    ((n,) for n in names))
c.commit()
with open(names_file, "w") as f:
    f.write("\n".join(names) + "\n")
words = ["request", "course_key", "user", "self", "return", "import", "from", "def", "class", "if",
         "else", "for", "in", "None", "True", "False", "settings", "waffle", "flag", "team", "feature",
         "context", "render", "template", "response", "json", "data", "value", "result", "items"]
def code_line():
    n = rnd.randint(2, 12)
    return "    " * rnd.randint(0, 3) + " ".join(rnd.choice(words) for _ in range(n)) + "\n"
pool = [code_line() for _ in range(5000)]
def ref_line():
    name = rnd.choice(names)
    form = rnd.randint(0, 5)
    if form == 0: return f"    if flag_is_active(request, '{name}'):\n"
    if form == 1: return f"FLAG = WaffleFlag('{name}', __name__)\n"
    if form == 2: return f"    # {name} is rolled out\n"
    if form == 3: return f"{{% flag \"{name}\" %}}\n"
    if form == 4: return f"    x = '{name}_v2'  # a longer name that must not match\n"
    return f"    return settings.FEATURES.get('{name}')\n"
per_file = mb * 1024 * 1024 // files
for i in range(files):
    d = os.path.join(root, f"pkg_{i // 100:03d}")
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    parts, size = [], 0
    target = rnd.randint(per_file // 2, per_file * 3 // 2)
    while size < target:
        l = ref_line() if rnd.random() < 0.002 else rnd.choice(pool)
        parts.append(l); size += len(l)
    with open(os.path.join(d, f"module_{i:05d}.py"), "w") as f:
        f.write("".join(parts))
PY
echo "tree: $(find "$TMP/tree" -type f | wc -l) files, $(du -sm "$TMP/tree" | cut -f1) MB; 2000 toggle names; $(nproc) cores"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
run_rg() { rg --fixed-strings --file "$TMP/NAMES" "$TMP/tree" > "$TMP/rg.out" || true; }
run_wf() { $BIN --db "$DB" refs "$TMP/tree" --json > "$TMP/wf.out"; }
run_rg; run_wf   # warm the page cache
rg_times=(); wf_times=()
for _ in $(seq 1 "$RUNS"); do
  s=$(now_ms); run_rg; e=$(now_ms); rg_times+=($(( e - s )))
  s=$(now_ms); run_wf; e=$(now_ms); wf_times+=($(( e - s )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
rg_ms=$(median "${rg_times[@]}"); wf_ms=$(median "${wf_times[@]}")
echo "rg --fixed-strings --file NAMES:  ${rg_ms} ms (median of $RUNS; runs: ${rg_times[*]}), $(wc -l < "$TMP/rg.out") matching lines"
echo "wafflectl refs --json:            ${wf_ms} ms (median of $RUNS; runs: ${wf_times[*]}), $(grep -c '"line"' "$TMP/wf.out") references"
awk -v a="$wf_ms" -v b="$rg_ms" 'BEGIN { printf "ratio wafflectl / rg:             %.2f (target <= 1.5)\n", a / b }'
