"""Cases of `wafflectl sql variant` against `wafflectl variant --users-file`, row for row (run by
suite.py, see conformance/warehouse/run.sh).

Each case is a random baseplate experiment of a simple type (single_variant, multi_variant,
feature_rollout, range_variant) imported into a fresh store: random names and variant names
(quotes, backslashes, non-ASCII), random sizes and ranges, 1 to 2^59 buckets, seeds (id, name,
shuffle_version, bucket_seed), enable/start/stop windows around the clock, sometimes a
global_override or another bucketing input, and random targeting trees and overrides (EQ with
value/values, NE, ALL, ANY, NOT, OVERRIDE) over two columns, an input no column holds and the
bucketing input. The table holds random ids and the two columns' texts (or NULL); wafflectl's
answer comes from `variant --users-file` run once per combination of the two columns, each given
as a text input (none when NULL).
"""

import json
import os
import time

from suite import Mismatch, rstr

# 2026-03-01T12:00:00Z, suite.NOW.
NOW_TS = 1_772_366_400
FIELDS = ("user_id", "country", "plan")
COUNTRIES = ["DE", "FR", "US", "de", "é'\\", None]
PLANS = ["free", "pro", "Pro", None]
ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-'\\\"éüß汉"
VARIANT_CHARS = "abcdefghijklmnopqrstuvwxyz_-'\\\"é汉 "
KNOWN_IDS = ["t2_1", "t2_2", "t2_é'", "x\\y"]


def fraction(r):
    return round(r.random(), r.choice([1, 2, 3, 6]))


def variants(r, kind, n):
    def name():
        return rstr(r, VARIANT_CHARS, 1, 8)
    if kind == "single_variant":
        a = fraction(r) * 0.5
        b = fraction(r) * (1 - a) * 0.999
        return [{"name": name(), "size": a}, {"name": name(), "size": b}]
    if kind == "feature_rollout":
        return [{"name": name(), "size": fraction(r)}]
    if kind == "multi_variant":
        k = r.randint(3, 5)
        return [{"name": name(), "size": round(r.random() / k, 4)} for _ in range(k)]
    out = []
    for _ in range(r.randint(1, 3)):
        start = round(r.random() * 0.6, 3)
        width = round(r.random() * 0.3, 3)
        out.append({"name": name(), "range_start": start, "range_end": round(start + width, 3)})
    return out


def leaf(r, bucket_val):
    field = r.choice(["country", "plan", "Country", "logged_in", bucket_val])
    domain = {"country": COUNTRIES, "plan": PLANS, "logged_in": ["true", None]}.get(
        field.lower(), KNOWN_IDS + [None])
    pool = domain + [5, True]
    op = r.choice(["eq", "eq", "values", "ne", "override"])
    if op == "override":
        return {"OVERRIDE": r.random() < 0.5}
    if op == "values":
        return {"EQ": {"field": field, "values": r.sample(pool, r.randint(1, 3))}}
    return {op.upper(): {"field": field, "value": r.choice(pool)}}


def tree(r, bucket_val, depth=0):
    x = r.random()
    if depth >= 2 or x < 0.4:
        return leaf(r, bucket_val)
    if x < 0.6:
        return {"NOT": tree(r, bucket_val, depth + 1)}
    return {r.choice(["ALL", "ANY"]): [tree(r, bucket_val, depth + 1) for _ in range(r.randint(0, 3))]}


def make_case(r, w, tmp, live=False):
    """A random experiment imported into the store (inside its window, enabled and without a
    global override when `live`); returns what the checks need."""
    w("init")
    kind = r.choice(["single_variant", "multi_variant", "feature_rollout", "range_variant"])
    n = r.choice([1000, 1000, r.randint(1, 20), r.randint(1, 2**31), r.randint(2**31, 2**47),
                  r.randint(2**47, 2**59)])
    bucket_val = r.choice(["user_id", "user_id", "device_id"])
    exp = {"variants": variants(r, kind, n), "experiment_version": r.randint(1, 9), "num_buckets": n}
    if r.random() < 0.7:
        exp["shuffle_version"] = r.randint(0, 3)
    if r.random() < 0.2:
        exp["bucket_seed"] = rstr(r, ID_CHARS, 1, 10)
    if bucket_val != "user_id":
        exp["bucket_val"] = bucket_val
    if r.random() < 0.6:
        exp["targeting"] = tree(r, bucket_val)
    if r.random() < 0.5:
        exp["overrides"] = [{r.choice(["forced", "ov'é", "", "x"]): tree(r, bucket_val)}
                            for _ in range(r.randint(1, 3))]
    name = "ex." + rstr(r, ID_CHARS, 1, 10)
    day = 86_400
    config = {"id": r.randint(1, 10_000), "name": name, "owner": "o", "type": kind, "version": "1",
              "start_ts": NOW_TS + r.choice([-300 * day, -day, 0, day]),
              "stop_ts": NOW_TS + r.choice([300 * day, 300 * day, day, 0, -day]),
              "experiment": exp}
    if live:
        config["start_ts"], config["stop_ts"] = NOW_TS - day, NOW_TS + day
    elif r.random() < 0.1:
        config["enabled"] = False
    if not live and r.random() < 0.05:
        config["global_override"] = r.choice(["forced'é", 7, None])
    key = "k" + rstr(r, ID_CHARS, 0, 12)
    path = os.path.join(tmp, "experiments.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({key: config}, f, ensure_ascii=False)
    w("import", path)
    return {"key": key, "bucket_val": bucket_val, "config": config}


def write_rows(r, path, n):
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(n):
            x = r.random()
            if x < 0.02:
                u = r.choice(KNOWN_IDS)
            elif x < 0.05:
                u = rstr(r, ID_CHARS, 1, 20)
            else:
                u = f"t2_{r.getrandbits(40):x}"
            c, p = r.choice(COUNTRIES), r.choice(PLANS)
            f.write("\t".join([u, "\\N" if c is None else c, "\\N" if p is None else p]) + "\n")


def expected(w, case, path, tmp):
    """wafflectl's variant per row (id, country, plan), from variant --users-file per column pair."""
    groups = {}
    for line in open(path, encoding="utf-8"):
        u, c, p = line.rstrip("\n").split("\t")
        groups.setdefault((c, p), []).append(u)
    out = {}
    for (c, p), ids in groups.items():
        ids_path = os.path.join(tmp, "ids.txt")
        with open(ids_path, "w", encoding="utf-8") as f:
            f.write("\n".join(ids) + "\n")
        inputs = [f"{k}:={json.dumps(v, ensure_ascii=False)}"
                  for k, v in (("country", c), ("plan", p)) if v != "\\N"]
        for line in w("variant", case["key"], "--users-file", ids_path, "--now", str(NOW_TS),
                      "--jobs", "2", *inputs).splitlines():
            u, v = line.split("\t", 1)
            out[(u, c, p)] = v
    return out


def sql_for(w, case, dialect):
    args = ["--json", "sql", "variant", case["key"], "--dialect", dialect, "--now", str(NOW_TS),
            "--column", "country=country", "--column", "plan=plan"]
    if case["bucket_val"] != "user_id":
        args += ["--column", f"{case['bucket_val']}=user_id"]
    return json.loads(w(*args))


def compare(dialect, want, got):
    """SQL NULL is the empty variant wafflectl prints for none."""
    for u, c, p, v in got:
        key = (u, "\\N" if c is None else c, "\\N" if p is None else p)
        if key not in want:
            raise Mismatch(f"{dialect}: row {key!r} came back but wafflectl never answered it")
        if ("" if v is None else v) != want[key]:
            raise Mismatch(f"{dialect}: row {key!r}: wafflectl {want[key]!r}, SQL {v!r}")


def run_case(r, w, tmp, n, dialects, runners, live=False):
    case = make_case(r, w, tmp, live)
    path = os.path.join(tmp, "rows.tsv")
    write_rows(r, path, n)
    t0 = time.time()
    want = expected(w, case, path, tmp)
    times = [f"wafflectl {time.time() - t0:.1f}s"]
    for d in dialects:
        sql = sql_for(w, case, d)
        t0 = time.time()
        got = runners[d](sql, path, FIELDS)
        times.append(f"{d} {time.time() - t0:.1f}s")
        if len(got) != n:
            raise Mismatch(f"{d}: {len(got)} rows back for {n} rows")
        compare(d, want, got)
    spread = {}
    for v in want.values():
        spread[v] = spread.get(v, 0) + 1
    shown = {k: case["config"][k] for k in ("type", "start_ts", "stop_ts")}
    shown["num_buckets"] = case["config"]["experiment"]["num_buckets"]
    return case, f"{'; '.join(times)}; {len(spread)} distinct variants: {json.dumps(shown)}"
