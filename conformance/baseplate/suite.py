"""Conformance of `wafflectl variant` and its baseplate store with real baseplate 1.5.5 (run by run.sh).

Checks, with fresh random cases every run (the seed is printed; `--seed N` replays a run):
  * the oracle itself reproduces spec baseplate.md §6.2 and §6.4 (real baseplate, frozen clock);
  * random cases: for --cases (config, inputs) pairs in one experiments.json, `wafflectl variant
    KEY --file F --json --now NOW NAME:=JSON ...` gives the variant, the bucketing event and the
    escaping exception that baseplate's Experiments.variant() gives;
  * store round trip: experiments authored with `wafflectl experiment create/set`, exported with
    `export --format baseplate`, mean what was authored (the oracle on the export equals the
    oracle on the intended config) and `variant --users-file` from the store agrees with the
    oracle on the export for 1,000 users each;
  * import -> export -> import -> export is byte-stable, and the exported file evaluates exactly
    as the imported one.

Every check prints a line when it fails (-v: passes too); the last line is `N passed, N failed`;
the exit status is 1 when anything failed.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.dirname(HERE))

import harness  # noqa: E402

import gen  # noqa: E402
import oracle  # noqa: E402
import spec_data  # noqa: E402

CONTRACT_KEYS = {"experiment", "variant", "bucket", "event", "raises", "reason", "steps"}
FULL_REPORTS = 20  # mismatches printed with their config and inputs


class CliError(Exception):
    """A wafflectl command that could not do its job: reported as one failure, no traceback."""


class Suite(harness.Checks):
    def __init__(self, binary, verbose, seed, cases):
        super().__init__(binary, verbose, "baseplate")
        self.seed = seed
        self.case_count = cases
        self.generated = None  # (file dict, path, cases, oracle results) from the random cases
        self._cli = None

    def path(self, name):
        return os.path.join(self.tmp, name)

    # -- wafflectl -----------------------------------------------------------------------

    def env(self):
        env = dict(os.environ, NO_COLOR="1", WAFFLECTL_ACTOR="conformance")
        env.pop("WAFFLECTL_DB", None)
        env.pop("WAFFLECTL_NOW", None)
        return env

    def run(self, args, stdin=None, timeout=120):
        """wafflectl ARGS (no check of the exit status)."""
        try:
            return subprocess.run([self.bin, *args], input=stdin, capture_output=True, text=True,
                                  env=self.env(), timeout=timeout)
        except OSError as e:
            raise CliError(f"cannot run {self.bin}: {e}")
        except subprocess.TimeoutExpired:
            raise CliError(f"wafflectl {' '.join(args)} did not finish within {timeout} s")

    def w(self, *args, stdin=None):
        """wafflectl ARGS, which must succeed."""
        p = self.run(list(args), stdin=stdin)
        if p.returncode != 0:
            raise CliError(f"wafflectl {' '.join(quote(a) for a in args)} exited {p.returncode}\n"
                           f"stderr: {p.stderr.strip()[:2000]}")
        return p

    def cli_ready(self, what):
        """True when the binary exists and has the commands the tests need; otherwise one
        failure line for `what` (the test), and False."""
        if self._cli is None:
            if not (os.path.isfile(self.bin) and os.access(self.bin, os.X_OK)):
                self._cli = (f"no wafflectl binary at {self.bin}: build it (cargo build) or pass --bin")
            else:
                p = self.run(["variant", "--help"], timeout=30)
                self._cli = "" if p.returncode == 0 else (
                    f"{self.bin} has no working `variant` command (`variant --help` exited "
                    f"{p.returncode}: {(p.stderr or p.stdout).strip()[:300]})")
        return self.check(f"{what}: wafflectl is available", not self._cli, self._cli)


def quote(arg):
    if arg and all(c.isalnum() or c in "-_./=:,@" for c in arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"


def same_json(a, b):
    """JSON equality that keeps bool, int and float apart (Python's == would not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return a == b


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


def variant_args(key, file, now, inputs):
    args = ["variant", key, "--file", file, "--json", "--now", str(now)]
    return args + [f"{name}:={dumps(value)}" for name, value in inputs.items()]


# --------------------------------------------------------------------------------------------
# The oracle is real baseplate: check it against the spec's observed vectors first
# --------------------------------------------------------------------------------------------

def test_oracle_reproduces_spec(s):
    from baseplate.lib.experiments.providers import parse_experiment

    data = spec_data.example_file()
    wrong = []
    for key, user, bucket, variant, events in spec_data.grid():
        got = oracle.evaluate(data, key, {"user_id": user, "logged_in": True}, spec_data.T)
        oracle.CLOCK.now = spec_data.T
        got_bucket = parse_experiment(data[key])._calculate_bucket(user)
        if (got["variant"], got["events"], got["raises"], got_bucket) != (variant, events, None, bucket):
            wrong.append(f"{key} {user}: want {bucket}->{variant} ({events} events), "
                         f"got {got_bucket}->{got}")
    s.check(f"oracle: spec §6.2 grid ({len(spec_data.grid())} bucket/variant/event cells)", not wrong,
            "\n".join(wrong[:10]))
    wrong = []
    for key, inputs, variant, events in spec_data.VECTORS:
        got = oracle.evaluate(data, key, inputs, spec_data.T)
        if (got["variant"], got["events"], got["raises"]) != (variant, events, None):
            wrong.append(f"{key} {dumps(inputs)}: want {variant!r} ({events} events), got {got}")
    s.check(f"oracle: spec §6.2 vectors ({len(spec_data.VECTORS)})", not wrong, "\n".join(wrong))
    users = [f"t2_{i}" for i in range(10000)]
    for key, want in spec_data.DISTRIBUTIONS.items():
        counts = {}
        for v in oracle.bulk(data, key, users, {"logged_in": True}, spec_data.T):
            counts[str(v)] = counts.get(str(v), 0) + 1
        s.check(f"oracle: spec §6.4 distribution of {key}", counts == want, f"want {want}, got {counts}")

    # A few §6.3 edge cases, on the spec's base configs (clock at T).
    T = spec_data.T
    simple = {"id": 1, "name": "e", "type": "single_variant", "start_ts": 0, "stop_ts": 4102444800,
              "experiment": {"variants": [{"name": "a", "size": 0.5}, {"name": "b", "size": 0.5}],
                             "experiment_version": 1, "shuffle_version": 0}}
    r2 = {"id": 1, "name": "e", "type": "r2", "start_ts": 0, "stop_ts": 4102444800,
          "experiment": {"variants": {"a": 50, "b": 50}, "targeting": {"logged_in": [True]}}}

    def edge(label, base, change, inputs, want_variant, want_raises=None):
        cfg = json.loads(json.dumps(base))
        change(cfg)
        got = oracle.evaluate({"e": cfg}, "e", inputs, T)
        s.check(f"oracle: spec §6.3 {label}", (got["variant"], got["raises"]) == (want_variant, want_raises),
                f"want {want_variant!r}/{want_raises}, got {got}")

    u, ur = {"user_id": "t2_1"}, {"user_id": "t2_1", "logged_in": True}
    edge("simple start_ts = now", simple, lambda c: c.update(start_ts=T), u, "a")
    edge("simple stop_ts = now", simple, lambda c: c.update(stop_ts=T), u, None)
    edge("r2 stop_ts = now", r2, lambda c: c.update(stop_ts=T), ur, "b")
    edge("r2 stop_ts = now - 1", r2, lambda c: c.update(stop_ts=T - 1), ur, None)
    edge('simple enabled "false"', simple, lambda c: c.update(enabled="false"), u, "a")
    edge("simple enabled 0", simple, lambda c: c.update(enabled=0), u, None)
    true_bucket = int(hashlib.sha1(b"True.e.0t2_1").hexdigest(), 16) % 1000  # seed of §3.2
    edge("id true is valid (seed True.e.0)", simple, lambda c: c.update(id=True), u,
         "a" if true_bucket < 500 else "b")
    edge("id 1.0 is invalid", simple, lambda c: c.update(id=1.0), u, None)
    edge("GT on a missing input raises TypeError", simple,
         lambda c: c["experiment"].update(targeting={"GT": {"field": "build", "value": 5}}), u, None, "TypeError")
    edge("override to a name that is not a variant", simple,
         lambda c: c["experiment"].update(overrides=[{"zz": {"OVERRIDE": True}}]), u, "zz")
    edge("targeting {} targets nobody", simple, lambda c: c["experiment"].update(targeting={}), u, None)
    edge("global_override null", simple, lambda c: c.update(global_override=None), u, None)
    edge("r2 __case_sensitive__ (US vs us)", r2, lambda c: c["experiment"].update(
        targeting={"country": ["US"], "__case_sensitive__": ["country"]}),
        {"user_id": "t2_1", "country": "us"}, None)


# --------------------------------------------------------------------------------------------
# (a) random (config, inputs) pairs
# --------------------------------------------------------------------------------------------

CHUNK = 50


def generate(s):
    """The run's random experiments.json and cases, with baseplate's answers (made once)."""
    if s.generated is None:
        file, cases = gen.Generator(s.seed).cases(s.case_count)
        path = s.path("experiments.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(file, f, ensure_ascii=False, indent=1)
        s.generated = (file, path, cases, oracle.evaluate_cases(file, cases))
    return s.generated


def test_random_cases(s):
    file, path, cases, want = generate(s)

    # The generator must keep exercising what matters (independent of wafflectl).
    by_type = {}
    for c, w in zip(cases, want):
        t = str((file.get(c["key"]) or {}).get("type")).lower()
        if w["variant"] is not None:
            by_type[t] = by_type.get(t, 0) + 1
    thin = [t for t in gen.TYPES if by_type.get(t, 0) < s.case_count // 200]
    s.check(f"random cases: every type yields variants (by type: {by_type})", not thin, f"too few: {thin}")
    s.check("random cases: some log events, some raise, some keys are missing, some keys differ from names",
            sum(w["events"] > 0 for w in want) >= s.case_count // 50
            and sum(w["raises"] is not None for w in want) >= s.case_count // 500
            and any(c["key"] not in file for c in cases)
            and any(isinstance(v, dict) and v.get("name") not in (None, k) for k, v in file.items()))

    if not s.cli_ready(f"random cases ({len(cases)})"):
        return

    # wafflectl reads each case's experiment from a file of CHUNK cases (the same configs under
    # the same keys as in the whole file): a process per case then parses a small file, not
    # thousands of experiments.
    chunk_paths = []
    for start in range(0, len(cases), CHUNK):
        chunk = {c["key"]: file[c["key"]] for c in cases[start:start + CHUNK] if c["key"] in file}
        chunk_path = s.path(f"experiments-{start // CHUNK}.json")
        with open(chunk_path, "w", encoding="utf-8") as f:
            json.dump(chunk, f, ensure_ascii=False, indent=1)
        chunk_paths.append(chunk_path)
    index = {id(c): i for i, c in enumerate(cases)}

    def ask(case):
        args = variant_args(case["key"], chunk_paths[index[id(case)] // CHUNK], case["now"], case["inputs"])
        try:
            p = s.run(args, timeout=60)
        except CliError as e:
            return args, None, str(e)
        if p.returncode != 0:
            return args, None, f"exit {p.returncode}: {p.stderr.strip()[:500]}"
        try:
            got = json.loads(p.stdout)
        except ValueError:
            return args, None, f"stdout is not one JSON object: {p.stdout[:500]!r}"
        if not isinstance(got, dict):
            return args, None, f"stdout is not a JSON object: {p.stdout[:500]!r}"
        return args, got, None

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(ask, cases))

    counts = {"variant": 0, "event": 0, "raises": 0, "error": 0, "contract": 0}
    shown = 0
    for case, w, (args, got, error) in zip(cases, want, answers):
        label = f"random case {case['key']} {dumps(case['inputs'])} at {case['now']}"
        if error is None:
            missing = CONTRACT_KEYS - set(got)
            diffs = []
            if not same_json(got.get("variant"), w["variant"]):
                diffs.append("variant")
            if got.get("event") is not (w["events"] > 0):
                diffs.append("event")
            if got.get("raises") != w["raises"]:
                diffs.append("raises")
            if missing:
                diffs.append("contract")
        else:
            diffs = ["error"]
        for d in diffs:
            counts[d] += 1
        if not diffs:
            s.check(label, True)
            continue
        oracle_says = {"variant": w["variant"], "event": w["events"] > 0, "raises": w["raises"]}
        if shown < FULL_REPORTS:
            shown += 1
            detail = (f"differs in: {', '.join(diffs)}\n"
                      f"baseplate: {dumps(oracle_says)}\n"
                      f"wafflectl: {error or dumps(got)}\n"
                      + (f"missing keys: {sorted(CONTRACT_KEYS - set(got))}\n" if got is not None
                         and CONTRACT_KEYS - set(got) else "")
                      + f"config: {dumps(file.get(case['key'], '(key not in the file)'))}\n"
                      f"command: wafflectl {' '.join(quote(a) for a in args)}")
        else:
            detail = (f"differs in {', '.join(diffs)}: baseplate {dumps(oracle_says)}, "
                      f"wafflectl {error or dumps({k: got.get(k) for k in ('variant', 'event', 'raises')})}")
        s.check(label, False, detail)
    bad = sum(counts.values())
    s.check(f"random cases: all {len(cases)} agree (seed {s.seed})", bad == 0,
            f"mismatches: {counts['variant']} variant, {counts['event']} event, {counts['raises']} raises, "
            f"{counts['contract']} missing contract keys, {counts['error']} errors; "
            f"replay with --seed {s.seed} --cases {s.case_count} --keep (keeps the experiments.json)")


# --------------------------------------------------------------------------------------------
# (b) experiments authored in a store, exported, evaluated
# --------------------------------------------------------------------------------------------

NOW = 1_750_000_000
START, STOP = NOW - 30 * 86400, NOW + 365 * 86400
TREE_LOGGED_IN = '{"EQ":{"field":"logged_in","value":true}}'


def authored():
    """(key, create args, later `experiment set` args or None, intended config, input sets)."""
    window = ["--start", str(START), "--stop", str(STOP)]

    def top(key, t, id_, owner="conformance", **extra):
        c = {"id": id_, "name": key, "owner": owner, "type": t, "start_ts": START, "stop_ts": STOP}
        c.update(extra)
        return c

    li, lo = {"logged_in": True}, {"logged_in": False}
    return [
        ("bp_sv", ["--type", "single_variant", "--id", "101", "--owner", "alice", "--variant", "control=0.1",
                   "--variant", "treat=0.2", "--shuffle-version", "0", "--experiment-version", "1"], None,
         top("bp_sv", "single_variant", 101, owner="alice", experiment={
             "variants": [{"name": "control", "size": 0.1}, {"name": "treat", "size": 0.2}],
             "experiment_version": 1, "shuffle_version": 0}), [li]),
        ("bp_mv", ["--type", "multi_variant", "--id", "102", "--variant", "a=0.2", "--variant", "b=0.3",
                   "--variant", "c=0.15", "--target", TREE_LOGGED_IN, "--shuffle-version", "1",
                   "--experiment-version", "3"], None,
         top("bp_mv", "multi_variant", 102, experiment={
             "variants": [{"name": "a", "size": 0.2}, {"name": "b", "size": 0.3}, {"name": "c", "size": 0.15}],
             "experiment_version": 3, "shuffle_version": 1, "targeting": json.loads(TREE_LOGGED_IN)}), [li, lo]),
        ("bp_fr", ["--type", "feature_rollout", "--id", "103", "--variant", "on=0.35", "--bucket-seed", "fr-seed",
                   "--experiment-version", "1"], None,
         top("bp_fr", "feature_rollout", 103, experiment={
             "variants": [{"name": "on", "size": 0.35}], "experiment_version": 1, "bucket_seed": "fr-seed"}), [li]),
        ("bp_rv", ["--type", "range_variant", "--id", "104", "--variant", "x=0..0.25", "--variant", "y=0.5..0.75",
                   "--variant", "x=0.9..1.0", "--shuffle-version", "2", "--experiment-version", "1"], None,
         top("bp_rv", "range_variant", 104, experiment={
             "variants": [{"name": "x", "range_start": 0, "range_end": 0.25},
                          {"name": "y", "range_start": 0.5, "range_end": 0.75},
                          {"name": "x", "range_start": 0.9, "range_end": 1.0}],
             "experiment_version": 1, "shuffle_version": 2}), [li]),
        ("bp_r2", ["--type", "r2", "--id", "105", "--variant", "control_1=10", "--variant", "control_2=10",
                   "--target", '{"logged_in":[true]}'], None,
         top("bp_r2", "r2", 105, experiment={"variants": {"control_1": 10, "control_2": 10},
                                             "targeting": {"logged_in": [True]}}), [li, lo]),
        ("bp_r2_country", ["--type", "r2", "--id", "106", "--variant", "a=30", "--variant", "b=60",
                           "--variant", "c=5", "--target", "country=US,CA", "--override", "user_name:Gary=c",
                           "--seed", "r2-seed"], None,
         top("bp_r2_country", "r2", 106, experiment={
             "variants": {"a": 30, "b": 60, "c": 5}, "targeting": {"country": ["US", "CA"]},
             "overrides": {"user_name": {"Gary": "c"}}, "seed": "r2-seed"}),
         [{"logged_in": True, "country": "us"}, {"logged_in": True, "country": "DE"},
          {"logged_in": True, "country": "CA", "user_name": "gary"}]),
        ("bp_ff", ["--type", "feature_flag", "--id", "107", "--variant", "active=30",
                   "--target", '{"logged_in":[true,false]}', "--seed", "ffseed"], None,
         top("bp_ff", "feature_flag", 107, experiment={"variants": {"active": 30},
                                                       "targeting": {"logged_in": [True, False]}, "seed": "ffseed"}),
         [li]),
        ("bp_sv_win", ["--type", "single_variant", "--id", "108", "--variant", "a=0.5", "--variant", "b=0.5",
                       "--shuffle-version", "0", "--experiment-version", "1", "--no-log-bucketing"],
         ["--stop", str(NOW)],  # stop == now: a simple experiment is then off
         dict(top("bp_sv_win", "single_variant", 108, experiment={
             "variants": [{"name": "a", "size": 0.5}, {"name": "b", "size": 0.5}],
             "experiment_version": 1, "shuffle_version": 0, "log_bucketing": False}), stop_ts=NOW), [li]),
        ("bp_mv_nb", ["--type", "multi_variant", "--id", "109", "--variant", "a=0.25", "--variant", "b=0.25",
                      "--variant", "c=0.25", "--num-buckets", "100", "--experiment-version", "2",
                      "--shuffle-version", "0"],
         ["--shuffle-version", "7"],
         top("bp_mv_nb", "multi_variant", 109, experiment={
             "variants": [{"name": "a", "size": 0.25}, {"name": "b", "size": 0.25}, {"name": "c", "size": 0.25}],
             "experiment_version": 2, "shuffle_version": 7, "num_buckets": 100}), [li]),
        ("bp_go", ["--type", "single_variant", "--id", "110", "--variant", "a=0.5", "--variant", "b=0.5",
                   "--experiment-version", "1", "--shuffle-version", "0", "--disabled", "--global-override", "gvar"],
         None,
         top("bp_go", "single_variant", 110, enabled=False, global_override="gvar", experiment={
             "variants": [{"name": "a", "size": 0.5}, {"name": "b", "size": 0.5}],
             "experiment_version": 1, "shuffle_version": 0}), [li]),
        ("bp_ov", ["--type", "single_variant", "--id", "111", "--variant", "treat=0.1", "--variant", "control=0.1",
                   "--override", 'treat={"EQ":{"field":"is_employee","value":true}}', "--target", TREE_LOGGED_IN,
                   "--experiment-version", "1", "--shuffle-version", "0"], None,
         top("bp_ov", "single_variant", 111, experiment={
             "variants": [{"name": "treat", "size": 0.1}, {"name": "control", "size": 0.1}],
             "experiment_version": 1, "shuffle_version": 0, "targeting": json.loads(TREE_LOGGED_IN),
             "overrides": [{"treat": {"EQ": {"field": "is_employee", "value": True}}}]}),
         [li, {"logged_in": True, "is_employee": True}, {"logged_in": False, "is_employee": True}]),
        ("bp_ff_off", ["--type", "feature_flag", "--id", "112", "--variant", "active=50",
                       "--target", '{"logged_in":[true]}', "--enabled"], ["--disabled"],
         top("bp_ff_off", "feature_flag", 112, enabled=False, experiment={
             "variants": {"active": 50}, "targeting": {"logged_in": [True]}}), [li]),
    ], window


def test_store_round_trip(s):
    experiments, window = authored()
    if not s.cli_ready(f"store round trip ({len(experiments)} experiments)"):
        return
    db = s.path("store.db")
    exported = s.path("store-export.json")
    s.w("--db", db, "init")
    for key, create, later, _, _ in experiments:
        args = list(create)
        if "--start" not in args:
            args += window
        s.w("--db", db, "experiment", "create", key, *args)
    for key, _, later, _, _ in experiments:
        if later:
            s.w("--db", db, "experiment", "set", key, *later)
    s.w("--db", db, "export", "--format", "baseplate", "-o", exported)
    try:
        with open(exported, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        s.check("store round trip: the export is a JSON file", False, str(e))
        return
    keys = [e[0] for e in experiments]
    s.check("store round trip: the export holds exactly the authored experiments",
            isinstance(data, dict) and sorted(data) == sorted(keys), f"keys: {sorted(data) if isinstance(data, dict) else data!r}")
    if not isinstance(data, dict):
        return
    intended_file = {e[0]: e[3] for e in experiments}
    rng = random.Random(s.seed ^ 0x5EED)
    for key, create, later, intended, input_sets in experiments:
        if key not in data:
            continue
        cfg = data[key]
        s.check(f"store round trip: {key} exported with its id and type",
                isinstance(cfg, dict) and same_json(cfg.get("id"), intended["id"])
                and str(cfg.get("type")).lower() == intended["type"],
                f"exported: {dumps(cfg)}")
        users = [f"t2_{rng.randrange(10 ** 9):x}" for _ in range(1000)]
        for fixed in input_sets:
            what = f"{key} with {dumps(fixed)}"
            from_export = oracle.bulk(data, key, users, fixed, NOW)
            from_intent = oracle.bulk(intended_file, key, users, fixed, NOW)
            diff = [i for i in range(len(users)) if not same_json(from_export[i], from_intent[i])]
            s.check(f"store round trip: the export of {what} means what was authored (baseplate on both)",
                    not diff, (f"{len(diff)} of 1000 users differ, e.g. {users[diff[0]]}: export "
                               f"{from_export[diff[0]]!r}, intended {from_intent[diff[0]]!r}\n"
                               f"exported: {dumps(cfg)}\nintended: {dumps(intended)}") if diff else "")
            args = ["--db", db, "variant", key, "--users-file", "-", "--json", "--now", str(NOW)]
            args += [f"{n}:={dumps(v)}" for n, v in fixed.items()]
            p = s.run(args, stdin="".join(u + "\n" for u in users))
            if p.returncode != 0:
                s.check(f"store round trip: wafflectl variant --users-file for {what}", False,
                        f"wafflectl {' '.join(quote(a) for a in args)} exited {p.returncode}: {p.stderr.strip()[:500]}")
                continue
            try:
                rows = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
            except ValueError as e:
                s.check(f"store round trip: wafflectl variant --users-file for {what} prints JSON lines", False,
                        f"{e}: {p.stdout[:300]!r}")
                continue
            shape = len(rows) == len(users) and all(isinstance(r, dict) and "value" in r and "variant" in r
                                                    and str(r["value"]) == u for r, u in zip(rows, users))
            if not s.check(f"store round trip: {what}: one JSON line with value and variant per user, in order",
                           shape, f"{len(rows)} lines for {len(users)} users; first: {p.stdout[:300]!r}"):
                continue
            diff = [i for i, r in enumerate(rows) if not same_json(r["variant"], from_export[i])]
            s.check(f"store round trip: {what}: wafflectl from the store = baseplate on the export (1000 users)",
                    not diff, (f"{len(diff)} users differ, e.g. {users[diff[0]]}: wafflectl "
                               f"{rows[diff[0]]['variant']!r}, baseplate {from_export[diff[0]]!r}") if diff else "")


# --------------------------------------------------------------------------------------------
# (c) import -> export -> import -> export
# --------------------------------------------------------------------------------------------

def round_trip(s, name, source):
    """Imports `source` into a fresh store, exports it, imports that into another fresh store and
    exports again: (export 1 path, export 2 path)."""
    f2, f3 = s.path(f"{name}-export1.json"), s.path(f"{name}-export2.json")
    db2, db3 = s.path(f"{name}-2.db"), s.path(f"{name}-3.db")
    s.w("--db", db2, "init")
    s.w("--db", db2, "import", "--format", "baseplate", source)
    s.w("--db", db2, "export", "--format", "baseplate", "-o", f2)
    s.w("--db", db3, "init")
    s.w("--db", db3, "import", "--format", "baseplate", f2)
    s.w("--db", db3, "export", "--format", "baseplate", "-o", f3)
    return f2, f3


def compare_exported(s, name, source_data, exported_path, cases):
    with open(exported_path, "rb") as f:
        raw = f.read()
    try:
        exported = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        s.check(f"{name}: the export is JSON", False, str(e))
        return
    s.check(f"{name}: the export has the same keys", set(exported) == set(source_data),
            f"only in the source: {sorted(set(source_data) - set(exported))[:10]}; "
            f"only in the export: {sorted(set(exported) - set(source_data))[:10]}")
    want = oracle.evaluate_cases(source_data, cases)
    got = oracle.evaluate_cases(exported, cases)
    diff = [i for i in range(len(cases)) if not (same_json(want[i]["variant"], got[i]["variant"])
                                                 and want[i]["events"] == got[i]["events"]
                                                 and want[i]["raises"] == got[i]["raises"])]
    detail = ""
    for i in diff[:5]:
        key = cases[i]["key"]
        detail += (f"{key} {dumps(cases[i]['inputs'])} at {cases[i]['now']}: source {want[i]}, export {got[i]}\n"
                   f"  source config: {dumps(source_data.get(key))}\n  exported: {dumps(exported.get(key))}\n")
    s.check(f"{name}: baseplate evaluates the export exactly as the source ({len(cases)} cases)", not diff,
            f"{len(diff)} cases differ\n{detail}")


def experiment_id(config):
    """The experiment ID wafflectl files an experiment under: a JSON integer `id` (not a bool,
    not a float), as in its store; any other value holds no ID."""
    v = config.get("id") if isinstance(config, dict) else None
    if isinstance(v, int) and not isinstance(v, bool) and -2 ** 63 <= v < 2 ** 63:
        return v
    return None


def with_unique_ids(data):
    """A copy of DATA in which each experiment that shares its ID with an earlier one gets an
    unused one, and the keys that were renumbered (wafflectl refuses to import shared IDs)."""
    out, used, moved = {}, set(), []
    taken = {experiment_id(c) for c in data.values()} - {None}
    fresh = 10 ** 7
    for key, config in data.items():
        i = experiment_id(config)
        if i is not None and i in used:
            while fresh in taken:
                fresh += 1
            config = dict(config, id=fresh)
            taken.add(fresh)
            moved.append(key)
            i = fresh
        if i is not None:
            used.add(i)
        out[key] = config
    return out, moved


def test_import_export_stable(s):
    gen_file, gen_path, gen_cases, _ = generate(s)
    example = spec_data.example_file()
    example_path = s.path("spec-example.json")
    with open(example_path, "w", encoding="utf-8") as f:
        json.dump(example, f, indent=2)
    # One ID space: a file with two experiments under one ID is refused, and nothing is written.
    for short, path, data in [("spec", example_path, example), ("generated", gen_path, gen_file)]:
        unique, moved = with_unique_ids(data)
        if moved:
            db = s.path(f"{short}-shared-ids.db")
            s.w("--db", db, "init")
            p = s.run(["--db", db, "import", "--format", "baseplate", path])
            listed = s.run(["--db", db, "--json", "experiment", "list"])
            s.check(f"import of the {short} file refuses experiments that share an ID (exit 2, nothing written)",
                    p.returncode == 2 and "share experiment ID" in p.stderr
                    and listed.returncode == 0 and json.loads(listed.stdout or "null") == [],
                    f"exit {p.returncode}: {p.stderr.strip()[:500]}; list: {listed.stdout.strip()[:300]}")
        if short == "spec":
            example = unique
            example_path = s.path("spec-example-unique-ids.json")
            target = example_path
        else:
            gen_file = unique
            gen_path = s.path("experiments-unique-ids.json")
            target = gen_path
        with open(target, "w", encoding="utf-8") as f:
            json.dump(unique, f, ensure_ascii=False, indent=1)
    example_cases = [{"key": k, "inputs": {"user_id": u, "logged_in": True}, "now": spec_data.T}
                     for k, u, _, _, _ in spec_data.grid()]
    example_cases += [{"key": k, "inputs": i, "now": spec_data.T} for k, i, _, _ in spec_data.VECTORS]
    for short, name, path, data, cases in [
            ("spec", "spec §2.8 file", example_path, example, example_cases),
            ("generated", f"generated file ({len(gen_file)} experiments)", gen_path, gen_file, gen_cases)]:
        if not s.cli_ready(f"import/export of the {name}"):
            return
        try:
            f2, f3 = round_trip(s, short, path)
        except CliError as e:
            s.check(f"import/export of the {name}", False, str(e))
            continue
        with open(f2, "rb") as a, open(f3, "rb") as b:
            first, second = a.read(), b.read()
        detail = ""
        if first != second:
            at = next((i for i in range(min(len(first), len(second))) if first[i] != second[i]),
                      min(len(first), len(second)))
            detail = (f"sizes {len(first)} and {len(second)}; first difference at byte {at}:\n"
                      f"export 1: {first[max(0, at - 80):at + 80]!r}\nexport 2: {second[max(0, at - 80):at + 80]!r}")
        s.check(f"import/export of the {name}: export -> import -> export is byte-identical", first == second, detail)
        compare_exported(s, f"import/export of the {name}", data, f2, cases)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "target", "debug", "wafflectl"),
                    help="the wafflectl binary (default target/debug/wafflectl)")
    ap.add_argument("--seed", type=int, help="replay the random cases of an earlier run")
    ap.add_argument("--cases", type=int, default=5000, help="number of random cases (default 5000)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    ap.add_argument("-k", help="run only tests whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    print(f"seed {seed} (replay with --seed {seed})")
    s = Suite(os.path.abspath(args.bin), args.verbose, seed, args.cases)
    harness.run_tests(s, harness.named_tests(globals(), args.k), keep=args.keep, brief=CliError)


if __name__ == "__main__":
    main()
