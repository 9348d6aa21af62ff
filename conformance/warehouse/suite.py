"""Conformance of `wafflectl sql bucket` with `wafflectl bucket --users-file`, and of `wafflectl
sql variant` with `wafflectl variant --users-file` (variant.py), row for row, in DuckDB,
PostgreSQL and MariaDB (see conformance/warehouse/run.sh).

Each case is a random experiment in a fresh store (names with quotes, backslashes and non-ASCII
letters, 1 to 20 buckets, course-aware or not, main flag criteria, whitelisted users, groups and
staff, course overrides, enrollment windows with stored enrollments), a table of random ids (and,
for course-aware cases, sometimes a course column), wafflectl's answer for every id, and each
dialect's answer from the printed SQL. The first mismatch fails the run with the id and both
answers. The seed is fresh each run and printed (--seed repeats one).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse

import duckdb
import psycopg
import pymysql

NOW = "2026-03-01T12:00:00"
# The table of sql bucket's cases.
BUCKET_COLUMNS = ("username", "course_id")
# How the ids file writes a NULL course.
NULL = "\\N"
COURSES = ["course-v1:edX+DemoX+Demo_Course", "course-v1:Org_X+C-1+2026", "x/y/333"]
NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-'\\\"éüß汉"
USER_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_@.+-éüß汉"


class Mismatch(Exception):
    pass


def rstr(r, chars, lo, hi):
    return "".join(r.choice(chars) for _ in range(r.randint(lo, hi)))


class Wafflectl:
    def __init__(self, binary, db):
        self.binary, self.db = binary, db

    def __call__(self, *args, stdin=None):
        env = dict(os.environ, WAFFLECTL_NOW=NOW)
        p = subprocess.run([self.binary, "--db", self.db, "-q", *args], env=env,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"wafflectl {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
        return p.stdout


def make_case(r, w):
    """A random experiment in the store; returns what the checks need."""
    w("init")
    name = "ex." + rstr(r, NAME_CHARS, 1, 12)
    buckets = r.randint(1, 20)
    aware = r.random() < 0.6
    exp_id = r.choice([None, r.randint(1, 10_000)])
    create = ["experiment", "create", name, "--buckets", str(buckets)]
    if exp_id is not None:
        create += ["--id", str(exp_id)]
    create.append("--course-aware" if aware else "--no-course-aware")
    w(*create)
    groups = ["g'" + rstr(r, NAME_CHARS, 1, 5) for _ in range(2)]
    for g in groups:
        w("group", "add", g)
    users = sorted({"s" + rstr(r, USER_CHARS, 0, 14) for _ in range(40)})
    for u in users:
        args = ["user", "add", u]
        if r.random() < 0.2:
            args.append("--staff")
        if r.random() < 0.1:
            args.append("--superuser")
        for g in groups:
            if r.random() < 0.25:
                args += ["--group", g]
        w(*args)
    # Column mode: the course varies by row, so no overrides and no window.
    column = aware and r.random() < 0.4
    course = None if column else r.choice(COURSES + [None])
    main = r.choice(["on", "on", "on", "off", "staff", "group", "users", "authenticated", "percent"])
    flag = ["flag", "set", name]
    assume = []
    if main in ("on", "off"):
        flag += ["--everyone", main]
    else:
        flag += ["--everyone", "unset"]
        if main == "staff":
            flag.append("--staff")
        elif main == "group":
            flag += ["--add-group", groups[0]]
        elif main == "users":
            for u in r.sample(users, 10):
                flag += ["--add-user", u]
        elif main == "authenticated":
            flag.append("--authenticated")
        else:
            flag += ["--percent", "50"]
            assume = ["--assume-percent", r.choice(["in", "out"])]
    w(*flag)
    for _ in range(r.randint(0, 4)):
        b = str(r.randrange(buckets))
        kind = r.choice(["user", "group", "staff", "course"] if not column else ["user", "group", "staff"])
        entry = ["experiment", "whitelist", "add", name, b]
        if kind == "user":
            entry += ["--user", r.choice(users)]
        elif kind == "group":
            entry += ["--group", r.choice(groups)]
        elif kind == "staff":
            entry.append("--staff")
        else:
            entry += ["--course", r.choice(COURSES)]
        w(*entry)
    if exp_id is not None and not column and r.random() < 0.6:
        start = r.choice(["2026-01-01", "2025-06-01T00:00:00", "2026-02-15", ""])
        end = r.choice(["2026-06-01", "2026-02-20", ""])
        if start:
            w("experiment", "kv", "set", str(exp_id), "enrollment_start", start)
        if end:
            w("experiment", "kv", "set", str(exp_id), "enrollment_end", end)
        for u in r.sample(users, 15):
            at = r.choice(["2025-01-01", "2026-01-20", "2026-02-18", "2026-02-25T10:00:00"])
            w("user", "enroll", u, course or COURSES[0], "--at", at)
    return {"name": name, "buckets": buckets, "aware": aware, "exp_id": exp_id,
            "course": course, "column": column, "main": main, "assume": assume, "users": users}


def write_ids(r, path, n, users, column):
    """n random ids (a few of them the store's users), with a course per row in column mode."""
    courses = COURSES + [None]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            x = r.random()
            if x < 0.03:
                u = r.choice(users)
            elif x < 0.06:
                u = rstr(r, USER_CHARS + "'\\\"", 1, 20)
            else:
                u = f"u{r.getrandbits(48):x}"
            c = r.choice(courses) if column else None
            f.write(u + "\t" + (NULL if c is None else c) + "\n")


def expected(w, case, path, tmp):
    """wafflectl's answer per (course, id), from bucket --users-file."""
    rows = [line.rstrip("\n").split("\t") for line in open(path, encoding="utf-8")]
    courses = sorted({c for _, c in rows}, key=str) if case["column"] else [None]
    out = {}
    for c in courses:
        ids = os.path.join(tmp, "ids.txt")
        with open(ids, "w", encoding="utf-8") as f:
            for u, rc in rows:
                if not case["column"] or rc == c:
                    f.write(u + "\n")
        course = c if case["column"] else case["course"]
        args = ["bucket", case["name"], "--users-file", ids, *case["assume"]]
        if course is not None and course != "\\N":
            args += ["--course", course]
        for line in w(*args).splitlines():
            u, b = line.rsplit("\t", 1)
            out[(c if case["column"] else None, u)] = int(b)
    return rows, out


def sql_for(w, case, dialect):
    args = ["--json", "sql", "bucket", case["name"], "--dialect", dialect, *case["assume"]]
    if case["column"]:
        args += ["--course-column", "course_id"]
    elif case["course"] is not None:
        args += ["--course", case["course"]]
    return json.loads(w(*args))


def run_duckdb(sql, path, cols=BUCKET_COLUMNS):
    con = duckdb.connect()
    spec = ", ".join(f"'{c}': 'VARCHAR'" for c in cols)
    con.execute(
        "CREATE TABLE t AS SELECT * FROM read_csv(?, delim='\t', header=false, quote='', escape='', "
        f"nullstr='\\N', columns={{{spec}}})", [path])
    for s in sql["setup"]:
        con.execute(s)
    return con.execute(f"SELECT {', '.join(cols)}, {sql['expression']} FROM t").fetchall()


def run_postgres(sql, path, cols=BUCKET_COLUMNS):
    with psycopg.connect(os.environ["WAFFLECTL_TEST_PG_URL"], autocommit=True) as con:
        schema = f"wafflectl_warehouse_{os.getpid()}"
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        con.execute(f"CREATE SCHEMA {schema}")
        try:
            con.execute(f"SET search_path TO {schema}, public")
            con.execute(f"CREATE TABLE t ({', '.join(c + ' text' for c in cols)})")
            with con.cursor().copy(f"COPY t ({', '.join(cols)}) FROM STDIN") as cp:
                for line in open(path, encoding="utf-8"):
                    vals = line.rstrip("\n").split("\t")
                    cp.write_row([vals[0]] + [None if v == "\\N" else v for v in vals[1:]])
            for s in sql["setup"]:
                if s.startswith("CREATE EXTENSION"):
                    con.execute("SET search_path TO public")
                    con.execute(s)
                    con.execute(f"SET search_path TO {schema}, public")
                else:
                    con.execute(s)
            return con.execute(f"SELECT {', '.join(cols)}, {sql['expression']} FROM t").fetchall()
        finally:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def run_mysql(sql, path, cols=BUCKET_COLUMNS):
    u = urllib.parse.urlparse(os.environ["WAFFLECTL_TEST_MYSQL_URL"])
    con = pymysql.connect(host=u.hostname, port=u.port or 3306, user=urllib.parse.unquote(u.username),
                          password=urllib.parse.unquote(u.password or ""), database=u.path.lstrip("/"),
                          local_infile=True, charset="utf8mb4", autocommit=True)
    try:
        cur = con.cursor()
        # The table's default collation is case- and pad-insensitive: the SQL must not rely on it.
        cur.execute(f"CREATE TEMPORARY TABLE t ({', '.join(c + ' VARCHAR(300)' for c in cols)}) "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
        rest = [f"@c{i}" for i in range(1, len(cols))]
        sets = ", ".join(f"{c} = NULLIF(@c{i}, '\\\\N')" for i, c in enumerate(cols) if i)
        cur.execute("LOAD DATA LOCAL INFILE %s INTO TABLE t CHARACTER SET utf8mb4 "
                    "FIELDS TERMINATED BY '\\t' ESCAPED BY '' LINES TERMINATED BY '\\n' "
                    f"({', '.join([cols[0]] + rest)}) SET {sets}", (path,))
        for s in sql["setup"]:
            cur.execute(s)
        cur.execute(f"SELECT {', '.join(cols)}, {sql['expression']} FROM t")
        return cur.fetchall()
    finally:
        con.close()


RUNNERS = {"duckdb": run_duckdb, "postgres": run_postgres, "mysql": run_mysql}


def compare(dialect, case, rows, want, got):
    if len(got) != len(rows):
        raise Mismatch(f"{dialect}: {len(got)} rows back for {len(rows)} ids")
    for u, c, b in got:
        key = ((c if c is not None else "\\N") if case["column"] else None, u)
        if key not in want:
            raise Mismatch(f"{dialect}: id {u!r} (course {c!r}) came back but wafflectl never bucketed it")
        if b is None or int(b) != want[key]:
            raise Mismatch(f"{dialect}: id {u!r} (course {c!r}): wafflectl bucket {want[key]}, SQL {b!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--cases", type=int, default=12)
    ap.add_argument("--rows", type=int, default=1_000_000, help="ids in the first case")
    ap.add_argument("--small", type=int, default=20_000, help="ids in every other case")
    ap.add_argument("--variant-cases", type=int, default=8,
                    help="sql variant cases (the first with --rows ids, the others --small)")
    ap.add_argument("--quick", action="store_true", help="--rows 20000 --cases 4 --variant-cases 3")
    ap.add_argument("--dialects", default="duckdb,postgres,mysql")
    a = ap.parse_args()
    if a.quick:
        a.rows, a.cases, a.variant_cases = 20_000, 4, 3
    dialects = a.dialects.split(",")
    for d in dialects:
        if d not in RUNNERS:
            sys.exit(f"unknown dialect {d}")
    for v in ("WAFFLECTL_TEST_PG_URL", "WAFFLECTL_TEST_MYSQL_URL"):
        if ("postgres" if "PG" in v else "mysql") in dialects and not os.environ.get(v):
            print(f"conformance/warehouse: {v} is not set", file=sys.stderr)
            print("0 passed, 1 failed")
            sys.exit(1)
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"seed {seed} (repeat with --seed {seed})")
    r = random.Random(seed)
    passed = failed = 0
    for i in range(a.cases):
        n = a.rows if i == 0 else a.small
        with tempfile.TemporaryDirectory() as tmp:
            w = Wafflectl(a.bin, os.path.join(tmp, "w.db"))
            try:
                case = make_case(r, w)
                path = os.path.join(tmp, "users.tsv")
                write_ids(r, path, n, case["users"], case["column"])
                t0 = time.time()
                rows, want = expected(w, case, path, tmp)
                times = [f"wafflectl {time.time() - t0:.1f}s"]
                for d in dialects:
                    sql = sql_for(w, case, d)
                    t0 = time.time()
                    got = RUNNERS[d](sql, path)
                    times.append(f"{d} {time.time() - t0:.1f}s")
                    compare(d, case, rows, want, got)
                spread = {}
                for b in want.values():
                    spread[b] = spread.get(b, 0) + 1
                passed += 1
                shown = {k: case[k] for k in ("name", "buckets", "aware", "exp_id", "course", "column", "main")}
                print(f"case {i}: {n} ids, {len(spread)} distinct buckets, same in {', '.join(dialects)} "
                      f"({'; '.join(times)}): {json.dumps(shown, ensure_ascii=False)}")
            except Mismatch as e:
                failed += 1
                print(f"case {i} FAILED: {e}\n  case: {json.dumps(case, ensure_ascii=False)[:2000]}")
                break
            except Exception as e:  # noqa: BLE001 - any failure to set up or run is a failure
                failed += 1
                print(f"case {i} FAILED: {type(e).__name__}: {e}")
                break
    for i in range(a.variant_cases if not failed else 0):
        n = a.rows if i == 0 else a.small
        with tempfile.TemporaryDirectory() as tmp:
            w = Wafflectl(a.bin, os.path.join(tmp, "w.db"))
            case = None
            try:
                t0 = time.time()
                case, shown = variant.run_case(r, w, tmp, n, dialects, RUNNERS, live=i == 0)
                passed += 1
                print(f"variant case {i}: {n} rows, same in {', '.join(dialects)} "
                      f"({time.time() - t0:.1f}s): {shown}")
            except Exception as e:  # noqa: BLE001 - any failure to set up or run is a failure
                failed += 1
                shown = json.dumps(case, ensure_ascii=False)[:2000] if case else "(not made)"
                print(f"variant case {i} FAILED: {type(e).__name__}: {e}\n  case: {shown}")
                break
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    # variant.py imports this module by name: one module object, not a second __main__ copy.
    sys.modules.setdefault("suite", sys.modules[__name__])
    import variant  # noqa: E402

    main()
