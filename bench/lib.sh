# Sourced by the benchmark scripts under bench/*/: what they all do to set up a run.
#
# `bench_setup [USERS]` (with $root set to the repository root) sets $n to USERS (default
# 1000000), $small to a tenth of it, $bin to $WAFFLECTL_BIN (default the release binary) and
# $work to a scratch folder removed when the script exits; it builds the release binary unless
# SKIP_BUILD=1, and fails when $bin is not an executable. It puts bench/ on PYTHONPATH for the
# reports' shared code (report.py).
#
# `measure OUT COMMAND...` runs COMMAND with stdout to OUT and prints "wall_s user_s sys_s
# peak_rss_kib" (from /usr/bin/time when present; otherwise the wall time for both and the peak
# RSS polled from /proc). Needs $work (a scratch folder).

bench_setup() {
    n="${1:-1000000}"
    small=$(( n / 10 ))
    bin="${WAFFLECTL_BIN:-$root/target/release/wafflectl}"
    work="$(mktemp -d)"
    export PYTHONPATH="$root/bench${PYTHONPATH:+:$PYTHONPATH}"
    trap 'rm -rf "$work"' EXIT
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        (cd "$root" && cargo build --release --quiet)
    fi
    [ -x "$bin" ] || { echo "no wafflectl binary at $bin (build it, or unset SKIP_BUILD)" >&2; exit 1; }
}

measure() {
    local out="$1"; shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$out"
        tail -n 1 "$work/time.txt"  # after "Command exited with non-zero status N", if any
    else
        local t0 t1
        t0=$(python3 -c 'import time; print(time.time())')
        "$@" > "$out" &
        local pid=$! peak=0 rss
        while kill -0 "$pid" 2>/dev/null; do
            rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
            [ "${rss:-0}" -gt "$peak" ] && peak=$rss
            sleep 0.01
        done
        wait "$pid"
        t1=$(python3 -c 'import time; print(time.time())')
        # No CPU times without /usr/bin/time: report the wall time for both.
        local wall
        wall=$(python3 -c "print(round($t1 - $t0, 3))")
        echo "$wall $wall 0 $peak"
    fi
}
