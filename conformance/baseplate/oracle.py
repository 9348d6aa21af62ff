"""Real baseplate 1.5.5 experiments, as a reference for `wafflectl variant` (spec baseplate.md §0).

Used as a library by suite.py and bench/baseplate/reference.py, or from the command line:

    oracle.py cases FILE < cases.json
        cases.json: [{"key": K, "inputs": {...}, "now": EPOCH}, ...]
        prints a JSON list, one {"variant": V, "events": N, "raises": NAME|null} per case
    oracle.py bulk FILE KEY --users-file PATH|- --now EPOCH [NAME:=JSON | NAME=STRING ...]
        prints one JSON line {"value": USER_ID, "variant": V} per non-empty line of the users file

Every case gets a fresh `Experiments` object (so the per-request bucketing dedup never carries
over) and its own copy of the experiment's config; events are counted with a recording event
logger; an exception escaping `Experiments.variant()` is reported by its class name. The clock
baseplate reads (`time.time()` in providers/__init__.py and providers/simple_experiment.py) is
replaced by a frozen one, set to each case's "now".
"""
import copy
import json
import logging
import sys
import warnings

logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")

from baseplate.lib.experiments import Experiments  # noqa: E402
from baseplate.lib.experiments import providers as _providers  # noqa: E402
from baseplate.lib.experiments.providers import simple_experiment as _simple  # noqa: E402

# Parameter names of Experiments.variant() itself: as inputs they would not reach the experiment.
RESERVED_INPUTS = frozenset({"self", "experiment_name", "user", "bucketing_event_override", "name"})


class FrozenClock:
    """Stands in for the `time` module inside baseplate's providers: only .time() is used."""

    def __init__(self):
        self.now = 0.0

    def time(self):
        return self.now


CLOCK = FrozenClock()
_providers.time = CLOCK
_simple.time = CLOCK


class RecordingLogger:
    """An EventLogger that keeps what it is asked to log."""

    def __init__(self):
        self.events = []

    def log(self, **kwargs):
        self.events.append(kwargs)


def evaluate(config_file, key, inputs, now):
    """One `Experiments.variant(key, **inputs)` call on a fresh client at time `now`.

    config_file is the parsed experiments.json (top-level key -> config). Returns
    {"variant": value or None, "events": count, "raises": exception class name or None}.
    """
    bad = RESERVED_INPUTS.intersection(inputs)
    if bad:
        raise ValueError(f"input names {sorted(bad)} are parameters of Experiments.variant()")
    CLOCK.now = now
    # Only the asked key matters to the client; a private copy keeps cases independent even if
    # baseplate mutated a config while parsing it.
    data = {key: copy.deepcopy(config_file[key])} if key in config_file else {}
    recorder = RecordingLogger()
    client = Experiments(config_watcher=None, server_span=None, context_name="oracle",
                         cfg_data=data, global_cache={}, event_logger=recorder)
    try:
        variant = client.variant(key, **inputs)
        raises = None
    except Exception as exc:  # what escapes variant() is part of the behaviour under test
        variant = None
        raises = type(exc).__name__
    return {"variant": variant, "events": len(recorder.events), "raises": raises}


def evaluate_cases(config_file, cases):
    return [evaluate(config_file, c["key"], c["inputs"], c["now"]) for c in cases]


class BulkClient:
    """Many users against one experiment, the way a service runs: the parsed experiment is
    cached (one global cache, like ExperimentsContextFactory) and every user is a new request
    (a new Experiments object, so dedup is per user)."""

    def __init__(self, config_file, now):
        CLOCK.now = now
        self.now = now
        self.data = config_file
        self.cache = {}
        self.recorder = RecordingLogger()

    def variant(self, key, inputs):
        CLOCK.now = self.now
        client = Experiments(config_watcher=None, server_span=None, context_name="oracle",
                             cfg_data=self.data, global_cache=self.cache,
                             event_logger=self.recorder)
        return client.variant(key, **inputs)


def bulk(config_file, key, user_ids, fixed_inputs, now, bucket_input="user_id"):
    """Variant of `key` for every user id, with the same other inputs: a list of values."""
    runner = BulkClient(config_file, now)
    out = []
    for uid in user_ids:
        inputs = dict(fixed_inputs)
        inputs[bucket_input] = uid
        out.append(runner.variant(key, inputs))
    return out


def parse_input(arg):
    """NAME:=JSON (raw JSON value) or NAME=STRING, as the wafflectl command line takes them."""
    if ":=" in arg:
        name, raw = arg.split(":=", 1)
        return name, json.loads(raw)
    if "=" in arg:
        name, raw = arg.split("=", 1)
        return name, raw
    raise SystemExit(f"oracle: input {arg!r} is neither NAME:=JSON nor NAME=STRING")


def read_users(path):
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    with stream:
        return [line.strip() for line in stream if line.strip()]


def main(argv):
    if len(argv) >= 2 and argv[0] == "cases":
        with open(argv[1], encoding="utf-8") as f:
            config_file = json.load(f)
        json.dump(evaluate_cases(config_file, json.load(sys.stdin)), sys.stdout)
        print()
        return 0
    if len(argv) >= 3 and argv[0] == "bulk":
        path, key, rest = argv[1], argv[2], argv[3:]
        users, now, inputs = None, None, {}
        i = 0
        while i < len(rest):
            if rest[i] == "--users-file":
                users, i = rest[i + 1], i + 2
            elif rest[i] == "--now":
                now, i = float(rest[i + 1]), i + 2
            else:
                name, value = parse_input(rest[i])
                inputs[name] = value
                i += 1
        if users is None or now is None:
            raise SystemExit("oracle: bulk needs --users-file and --now")
        with open(path, encoding="utf-8") as f:
            config_file = json.load(f)
        ids = read_users(users)
        out = sys.stdout
        for uid, variant in zip(ids, bulk(config_file, key, ids, inputs, now)):
            out.write(json.dumps({"value": uid, "variant": variant}) + "\n")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
