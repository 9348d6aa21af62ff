"""What the benchmarks' reports share (bench/lib.sh puts this folder on PYTHONPATH): rates, and
the table of wall and CPU time, throughput and peak memory, one row per program."""


def rate(users, secs):
    return users / secs if secs > 0 else float("inf")


def header(width):
    print(f"{'':{width}}{'wall s':>9}{'cpu s':>9}{'users/s (wall)':>17}{'users/s/core (cpu)':>21}{'peak RSS':>11}")


def row(label, width, users, wall, cpu, rss_kib):
    print(f"{label:{width}}{wall:9.3f}{cpu:9.3f}{rate(users, wall):17,.0f}{rate(users, cpu):21,.0f}"
          f"{rss_kib/1024:9.1f} MiB")


def ratio(users, rust_wall, rust_cpu, python_wall, python_cpu):
    print(f"ratio wafflectl / python: {rate(users, rust_wall) / rate(users, python_wall):.1f}x (wall), "
          f"{rate(users, rust_cpu) / rate(users, python_cpu):.1f}x (cpu)")
