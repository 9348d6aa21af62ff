"""Random baseplate experiment configs and `variant()` inputs, for the conformance suite.

    gen.py [--seed N] [--cases N]    prints {"file": {...}, "cases": [...]} as JSON

A case is {"key": K, "inputs": {...}, "now": EPOCH}; the file maps keys to configs. Most keys
have their own config; some cases reuse an earlier key with other inputs, some configs carry a
"name" different from their key, and a few keys are not in the file at all.

The generator aims at the corners of spec baseplate.md: all six types (and unknown, missing,
odd-cased ones), windows that start or stop exactly at "now", `expires`, odd `enabled` and
`global_override` values, invalid ids/versions/variant sets, every targeting operator with
odd-cased names and fields (and invalid trees), r2 targeting/overrides with
`__case_sensitive__` and `newer_than`, simple override lists in every shape, odd seeds and
bucket values (ints, floats, bools, null, lists, "", unicode), colliding input names.
Numbers stay within 64 bits, floats finite, input names free of "=" and ":".
"""
import argparse
import datetime
import json
import random
import sys

SIMPLE_TYPES = ["single_variant", "multi_variant", "feature_rollout", "range_variant"]
LEGACY_TYPES = ["r2", "feature_flag"]
TYPES = SIMPLE_TYPES + LEGACY_TYPES
OPERATORS = ["ALL", "ANY", "NOT", "OVERRIDE", "EQ", "GT", "GE", "LT", "LE", "NE"]
RESERVED = {"self", "experiment_name", "user", "bucketing_event_override", "name"}

VARIANT_NAMES = ["a", "b", "c", "control", "treat", "variant_1", "variant_2", "on", "x", "y",
                 "Active", "é-variant"]

# Input fields and the values they tend to take: trees, targeting and inputs all draw from
# these, so that targeting matches a fair share of the time.
FIELDS = {
    "logged_in": [True, False, 1, 0, None, "true", 1.0],
    "country": ["US", "us", "DE", "FR", "USA", "", "Ü", "de"],
    "build": [99, 100, 100.0, 150, -1, 2 ** 40, 1.5, "100", None, True],
    "is_employee": [True, False, 0, "yes"],
    "user_roles": [["admin"], ["Admin", "beta"], [], "admin", ["gold"], ["x", 1]],
    "subreddit": ["WTF", "wtf", "pics", "Pics"],
    "url_features": [["x", "force_b"], "FORCE_B", ["nope"], []],
    "user_name": ["Gary", "gARY", "bob", "ALL_UPPERCASE"],
    "score": [5, 4, 6, 5.0, True, False, "7", None, [1, 2], -2.5, 0],
    "user_created": [1000, 2000, 0, None, 1.6e9, 1_700_000_000],
    "content_id": ["t3_1", "t3_2", "t3_abc", 7, ""],
    "device_id": ["d1", "D1", "dévice"],
    "app_name": ["ios", "android"],
    "é_field": ["ü", "é", 1],
}


def case_vary(rng, s):
    """s, or s with its letters in another case."""
    r = rng.random()
    if r < 0.55:
        return s
    if r < 0.7:
        return s.upper()
    if r < 0.8:
        return s.lower()
    if r < 0.9:
        return s.title()
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in s)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        # A run-wide midnight (UTC) so that `expires` dates can land exactly on "now".
        self.midnight = 86400 * self.rng.randrange(18000, 20000)
        self.mentions = []  # (field, value) pairs the config under construction looks at
        self.oddness = 1.0

    # -- small pieces --------------------------------------------------------------------

    def chance(self, p):
        return self.rng.random() < p

    def odd(self, p):
        """chance(p) for a deliberately odd or invalid choice, scaled by this config's oddness
        (a third of the configs have none, so that the valid paths are well covered too)."""
        return self.rng.random() < p * self.oddness

    def pick(self, seq):
        return self.rng.choice(seq)

    def now(self):
        if self.chance(0.1):
            return self.midnight
        return self.midnight + self.rng.randrange(1, 86400)

    def fraction(self):
        r = self.rng.random()
        if r < 0.5:
            return self.pick([0.1, 0.2, 0.25, 0.3, 0.333, 0.5, 0.7, 0.001, 0.0, 1.0, 0.29, 0.57, 0.15])
        if r < 0.9:
            return round(self.rng.random(), 3)
        return self.rng.random()

    def field_value(self, field):
        return self.pick(FIELDS.get(field, [1, "x", True, None]))

    def any_value(self):
        field = self.pick(list(FIELDS))
        return self.field_value(field)

    def bucket_value(self):
        r = self.rng.random()
        if r < 0.8:
            return f"t2_{self.rng.randrange(0, 100000)}"
        return self.pick([
            "", "t2_é", "用户", 0, 1, 123, -7, 2 ** 63 - 1, -2 ** 63, 1.5, 100.0, 1e16, 1e-07, -0.0,
            True, False, None, ["a", 1], [], "T2_ABC", " t2_1 ",
        ])

    # -- targeting trees (simple experiments) --------------------------------------------

    def tree(self, depth=3):
        r = self.rng.random()
        if self.odd(0.04):
            return self.invalid_tree()
        op = self.pick(OPERATORS if depth > 0 else ["OVERRIDE", "EQ", "EQ", "GT", "GE", "LT", "LE", "NE"])
        name = case_vary(self.rng, op)
        if op in ("ALL", "ANY"):
            if self.chance(0.03):
                return {name: self.tree(depth - 1)}  # not a list: invalid
            return {name: [self.tree(depth - 1) for _ in range(self.rng.randrange(0, 4))]}
        if op == "NOT":
            if self.chance(0.04):
                return {name: self.pick([[self.tree(depth - 1)], {"EQ": {"field": "a", "value": 1}, "OVERRIDE": True}, "x"])}
            return {name: self.tree(depth - 1)}
        if op == "OVERRIDE":
            return {name: self.pick([True, True, True, False, 1, "x", {}, None, "true"])}
        field = self.pick(list(FIELDS) + ["user_id", "missing_field"])
        shown = case_vary(self.rng, field)
        if op == "EQ":
            return {name: self.eq_arg(field, shown)}
        return {name: self.comparison_arg(field, shown)}

    def eq_arg(self, field, shown):
        def val():
            v = self.field_value(field) if self.chance(0.85) else self.any_value()
            self.mentions.append((field, v))
            return v
        r = self.rng.random()
        if r < 0.45:
            return {"field": shown, "value": val()}
        if r < 0.8:
            return {"field": shown, "values": [val() for _ in range(self.rng.randrange(1, 4))]}
        if r < 0.85:
            s = self.pick(["USA", "usde", "t2_1t2_2"])
            self.mentions.append((field, s[:2]))
            return {"field": shown, "values": s}  # a string: substring test
        if r < 0.88:
            return {"field": shown, "values": [], "value": val()}  # falsy values: value is used
        if r < 0.9:
            return {"field": shown, "values": self.pick([5, True, {"US": 1}])}
        # invalid shapes
        return self.pick([
            {"field": shown, "values": []},
            {"field": shown},
            {"field": shown, "value": 1, "values": [1]},
            {"value": 1, "values": [1]},
            {"field": 5, "value": 1},
            {"field": None, "value": 1},
            [shown, 1],
        ])

    def comparison_arg(self, field, shown):
        r = self.rng.random()
        if r < 0.85:
            if self.chance(0.7):
                v = self.pick([0, 1, 5, 100, 99.5, -1, 1_600_000_000, True, 2 ** 40])
            else:
                v = self.field_value(field) if self.chance(0.6) else self.pick([None, "m", [1, 3], "7"])
            self.mentions.append((field, v))
            return {"field": shown, "value": v}
        return self.pick([
            {"field": shown},
            {"field": shown, "values": [1]},
            {"field": shown, "value": 1, "x": 2},
            {"field": 3, "value": 1},
            "field",
        ])

    def invalid_tree(self):
        return self.pick([
            {},
            {"XOR": []},
            {"EQ": {"field": "a", "value": 1}, "OVERRIDE": True},
            [{"OVERRIDE": True}],
            "OVERRIDE",
            None,
            {"eq ": {"field": "a", "value": 1}},
        ])

    # -- simple experiments --------------------------------------------------------------

    def simple_variants(self, t, n):
        names = lambda k: [self.pick(VARIANT_NAMES) if self.chance(0.3) else f"v{i}" for i in range(k)]  # noqa: E731
        if self.odd(0.03):
            return self.pick([None, [], "abc", [{"name": "a", "size": 0.1}, "b"]])
        if t == "single_variant":
            count = 2 if not self.odd(0.08) else self.pick([1, 3])
            sizes = self.sizes(count, 1.0)
        elif t == "multi_variant":
            count = self.rng.randrange(3, 6) if not self.odd(0.08) else 2
            sizes = self.sizes(count, 1.0)
        elif t == "feature_rollout":
            count = 1 if not self.odd(0.07) else 2
            sizes = [self.fraction() if not self.odd(0.08) else self.pick([1.05, -0.1, 1.0000001, None])
                     for _ in range(count)]
        else:
            return self.ranges(names)
        out = []
        for name, size in zip(names(count), sizes):
            entry = {"name": name, "size": size}
            if self.odd(0.02):
                del entry["name"]
            if self.odd(0.02):
                del entry["size"]
            out.append(entry)
        return out

    def sizes(self, count, total):
        """Sizes that usually fit within `total`, sometimes not, sometimes null/negative."""
        if self.odd(0.1):
            return [self.fraction() for _ in range(count)]  # often over 100 %
        sizes = []
        left = total
        for _ in range(count):
            s = round(self.rng.uniform(0, left / max(1, count - len(sizes) - 0.5)), self.pick([1, 2, 3, 6]))
            s = min(s, left)
            sizes.append(s)
            left -= s
        if self.odd(0.04):
            sizes[self.rng.randrange(count)] = self.pick([None, -0.1, 0.5000001])
        return sizes

    def ranges(self, names):
        count = self.rng.randrange(1, 5)
        out = []
        for name in names(count):
            start = self.pick([0.0, 0.1, 0.25, 0.5, 0.75, 0.9, round(self.rng.random(), 3), 0])
            width = self.pick([0.0, 0.1, 0.25, 0.05, 0.333, round(self.rng.random() / count, 3), 1.0])
            entry = {"name": name, "range_start": start, "range_end": round(start + width, 6)}
            if self.odd(0.03):
                del entry[self.pick(["range_start", "range_end", "name"])]
            out.append(entry)
        return out

    def overrides_list(self, variant_names):
        r = self.rng.random()
        if r < 0.06:
            return self.pick([None, [], {"a": {"OVERRIDE": True}}, "a"])
        out = []
        for _ in range(self.rng.randrange(1, 4)):
            q = self.rng.random()
            target = (self.pick(variant_names) if variant_names and q < 0.6
                      else self.pick(["zz", "", "forced", "a"]))
            if self.chance(0.06):
                out.append(self.pick([{}, "x", {target: {"OVERRIDE": True}, "other": {"OVERRIDE": True}}]))
            else:
                out.append({target: self.tree(2)})
        return out

    def simple_experiment(self, t):
        exp = {}
        variants = self.simple_variants(t, 1000)
        if not self.odd(0.02):
            exp["variants"] = variants
        names = [v.get("name") for v in variants if isinstance(v, dict) and isinstance(v.get("name"), str)] \
            if isinstance(variants, list) else []
        if not self.odd(0.07):
            exp["experiment_version"] = self.rng.randrange(1, 10)
        elif self.chance(0.8):
            exp["experiment_version"] = self.pick([0, None, "2", True, -1])
        if self.chance(0.7):
            exp["shuffle_version"] = self.pick([0, 1, 2, 3, 0, None, "s", 12])
        if self.chance(0.25):
            exp["bucket_seed"] = self.pick(["", "my-seed", "sëed", None, "0"])
        if self.chance(0.35):
            exp["bucket_val"] = self.pick(["user_id", "user_id", "content_id", "Content_Id", "USER_ID", "device_id"])
        if self.chance(0.15):
            exp["num_buckets"] = self.pick([1000, 100, 10, 1, 1037, 10000, 7])
        if self.chance(0.2):
            exp["log_bucketing"] = self.pick([True, False, 0, "false", None])
        r = self.rng.random()
        if r < 0.45:
            exp["targeting"] = self.tree()
        elif r < 0.45 + 0.07 * self.oddness:
            exp["targeting"] = self.pick([None, {}, False, []])
        if self.chance(0.35):
            exp["overrides"] = self.overrides_list(names)
        return exp

    # -- r2 / feature_flag ---------------------------------------------------------------

    def percentage(self):
        return self.pick([0, 5, 10, 30, 33.3, 50, 60, 100, 0.7, 1.5, 15.6, 25, 49, 51,
                          round(self.rng.uniform(0, 100), self.pick([0, 1, 2]))])

    def legacy_experiment(self, t):
        exp = {}
        if t == "feature_flag":
            r = self.rng.random()
            if not self.odd(0.1):
                variants = {"active": self.percentage()}
            else:
                variants = self.pick([{}, {"active": 10, "b": 10}, {"Active": 10}, None])
        else:
            if not self.odd(0.03):
                names = self.rng.sample(VARIANT_NAMES, self.rng.randrange(1, 5))
                variants = {n: self.percentage() for n in names}
            else:
                variants = self.pick([{}, None])
        if not self.odd(0.02):
            exp["variants"] = variants
        names = list(variants) if isinstance(variants, dict) else []
        r = self.rng.random()
        if r < 0.8:
            targeting = {}
            for _ in range(self.rng.randrange(1, 4)):
                field = self.pick(list(FIELDS))
                shown = case_vary(self.rng, field)
                values = [self.field_value(field) for _ in range(self.rng.randrange(0, 4))]
                values = [case_vary(self.rng, v) if isinstance(v, str) else v for v in values]
                self.mentions.extend((field, v) for v in values)
                targeting[shown] = values if not self.odd(0.04) else self.pick(["US", True])
            if self.chance(0.2):
                targeting["__case_sensitive__"] = [case_vary(self.rng, self.pick(list(FIELDS)))
                                                   for _ in range(self.rng.randrange(1, 3))]
            exp["targeting"] = targeting
        elif r < 0.9:
            exp["targeting"] = self.pick([{}, None])
        if self.chance(0.35):
            overrides = {}
            for _ in range(self.rng.randrange(1, 3)):
                field = self.pick(["user_name", "url_features", "subreddit", "user_roles", "country", "logged_in"])
                mapping = {}
                for _ in range(self.rng.randrange(1, 4)):
                    value = self.field_value(field)
                    if isinstance(value, list):
                        value = self.pick(value) if value else "x"
                    value = case_vary(self.rng, value if isinstance(value, str) else json.dumps(value))
                    self.mentions.append((field, value))
                    mapping[value] = self.pick(names) if names and self.chance(0.7) else self.pick(["zzz", "a", ""])
                overrides[case_vary(self.rng, field)] = mapping if not self.odd(0.03) else ["x"]
            if self.chance(0.25):
                overrides["__case_sensitive__"] = [case_vary(self.rng, self.pick(list(FIELDS)))]
            exp["overrides"] = overrides
        if self.chance(0.2):
            exp["bucket_val"] = self.pick(["user_id", "content_id", "Content_Id", "device_id"])
        if self.chance(0.25):
            exp["seed"] = self.pick(["", "seed", "test-seed", None, "sëed"])
        if self.chance(0.15):
            exp["newer_than"] = self.pick([1000, 1500, 0, 1_650_000_000, 1.6e9])
        return exp

    # -- whole configs -------------------------------------------------------------------

    def window(self, config, now):
        r = self.rng.random() * (0.55 + 0.45 * self.oddness)
        past = now - self.rng.randrange(1, 10 ** 8)
        future = now + self.rng.randrange(1, 10 ** 8)
        if r < 0.55:
            config["start_ts"], config["stop_ts"] = past, future
        elif r < 0.62:
            config["start_ts"], config["stop_ts"] = now, future
        elif r < 0.69:
            config["start_ts"], config["stop_ts"] = past, now
        elif r < 0.73:
            config["start_ts"], config["stop_ts"] = now + 1, future
        elif r < 0.77:
            config["start_ts"], config["stop_ts"] = past, now - 1
        elif r < 0.8:
            config["start_ts"], config["stop_ts"] = now - 0.5, now + 0.5
        elif r < 0.83:
            config["start_ts"], config["stop_ts"] = float(past), float(now)
        elif r < 0.95:
            day = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()
            expires = self.pick([day, day + datetime.timedelta(days=1), day - datetime.timedelta(days=1),
                                 datetime.date(2100, 1, 1), datetime.date(2019, 1, 1)])
            config["expires"] = expires.strftime("%Y-%m-%d") if self.chance(0.97) else "2100/01/01"
            if self.chance(0.2):
                config[self.pick(["start_ts", "stop_ts"])] = past
            elif self.chance(0.1):
                config["start_ts"], config["stop_ts"] = past, future  # expires ignored
        elif r < 0.98:
            config["start_ts"] = past  # no stop, no expires: invalid
        # else: neither: invalid

    def config(self, key, now):
        rng = self.rng
        self.mentions = []
        self.oddness = self.pick([0.0, 0.5, 1.0])
        c = {}
        if not self.odd(0.1):
            c["id"] = rng.randrange(0, 10 ** 6)
        elif self.chance(0.8):
            c["id"] = self.pick(["1", 1.0, True, False, 0, -5, 2 ** 62, None])
        if not self.odd(0.1):
            c["name"] = key
        elif self.chance(0.7):
            c["name"] = self.pick(["other_name", "", "exp_é", key.upper(), "test"])
        c["owner"] = "o"
        if self.chance(0.9):
            c["version"] = self.pick(["1", "2", 3])
        if not self.odd(0.1):
            t = self.pick(TYPES)
            c["type"] = case_vary(rng, t) if self.chance(0.2) else t
        elif self.chance(0.8):
            t = None
            c["type"] = self.pick(["dynamic_config", "bogus", "", None, "r3", "single-variant"])
        else:
            t = None  # no type at all (or not a string, rarely)
            if self.chance(0.3):
                c["type"] = 5
        self.window(c, now)
        if self.odd(0.25):
            c["enabled"] = self.pick([True, False, 0, 1, "false", "", None, "yes"])
        if t in SIMPLE_TYPES:
            exp = self.simple_experiment(t)
        elif t in LEGACY_TYPES:
            exp = self.legacy_experiment(t)
        else:
            exp = self.simple_experiment(self.pick(SIMPLE_TYPES)) if self.chance(0.5) else {}
        if not self.odd(0.03):
            c["experiment"] = exp
        if self.odd(0.07):
            c["global_override"] = self.pick(["gvar", "control", None, 0, 1.5, True, "", ["a"], {"k": 1}, "a"])
        return c

    def inputs(self, config):
        """Inputs that usually carry the bucket value and the fields the config looks at."""
        rng = self.rng
        exp = config.get("experiment") if isinstance(config, dict) else None
        bucket_val = exp.get("bucket_val", "user_id") if isinstance(exp, dict) else "user_id"
        if not isinstance(bucket_val, str):
            bucket_val = "user_id"
        inputs = {}

        def put(name, value):
            if name.lower() in RESERVED or name in RESERVED or not name or "=" in name or ":" in name:
                return
            inputs[name] = value

        if self.chance(0.9):
            put(case_vary(rng, bucket_val.lower()) if self.chance(0.8) else bucket_val, self.bucket_value())
        if bucket_val.lower() != "user_id" and self.chance(0.5):
            put("user_id", self.bucket_value())
        if self.chance(0.7):
            put("logged_in", self.field_value("logged_in"))
        for field, value in rng.sample(self.mentions, len(self.mentions)):
            if field in inputs and self.chance(0.7):
                continue  # keep the first value given to a field, most of the time
            name = field if self.chance(0.85) else case_vary(rng, field)
            if self.chance(0.8):
                put(name, value)
            else:
                put(name, self.field_value(field))
        for _ in range(rng.randrange(0, 3)):
            field = self.pick(list(FIELDS))
            put(field if self.chance(0.8) else case_vary(rng, field), self.field_value(field))
        if self.chance(0.05):  # a case-insensitive collision: the later one wins in lower-cased views
            put(case_vary(rng, "user_id").upper(), self.bucket_value())
        return inputs

    def cases(self, count):
        """(file, cases): a dict of configs and a list of cases."""
        file = {}
        cases = []
        keys = []
        for i in range(count):
            now = self.now()
            if keys and self.chance(0.12):
                key = self.pick(keys)  # another look at an earlier experiment
                self.mentions = []
                self.collect_mentions(file[key])
                cases.append({"key": key, "inputs": self.inputs(file[key]), "now": now})
                continue
            key = f"exp_{i:05d}" if self.chance(0.95) else f"Exp_{i:05d}_ü"
            if self.chance(0.01):
                cases.append({"key": key + "_missing", "inputs": self.inputs({}), "now": now})
                continue
            config = self.config(key, now)
            file[key] = config
            keys.append(key)
            cases.append({"key": key, "inputs": self.inputs(config), "now": now})
        return file, cases

    def collect_mentions(self, node):
        """Field/value pairs of an existing config (for another case on it)."""
        if isinstance(node, dict):
            if "field" in node and isinstance(node.get("field"), str):
                for v in ([node["value"]] if "value" in node else []) + (
                        node["values"] if isinstance(node.get("values"), list) else []):
                    self.mentions.append((node["field"].lower(), v))
            for k, v in node.items():
                if k == "targeting" and isinstance(v, dict) and all(isinstance(x, list) for x in v.values()):
                    for f, vals in v.items():
                        self.mentions.extend((f.lower(), x) for x in vals)
                self.collect_mentions(v)
        elif isinstance(node, list):
            for x in node:
                self.collect_mentions(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--cases", type=int, default=20)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2 ** 32)
    print(f"seed {seed}", file=sys.stderr)
    file, cases = Generator(seed).cases(args.cases)
    json.dump({"file": file, "cases": cases}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
