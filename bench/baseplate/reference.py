#!/usr/bin/env python3
"""Real baseplate 1.5.5 over a file of user ids: Experiments.variant() per user, as a service runs it.

Usage: reference.py FILE KEY USERS_FILE NOW [BUDGET_SECONDS]    (run with the baseplate venv)

Every user is one request: a new Experiments object (so bucketing-event dedup is per user) that
shares one parsed-experiment cache, with inputs user_id=<id>, logged_in=True and the clock
frozen at NOW (conformance/baseplate/oracle.py). Prints one JSON object: users evaluated,
seconds spent in the loop, variant counts (null as "None"), events logged, and whether the run
stopped early: if the first 20,000 users show that the whole file would take longer than
BUDGET_SECONDS (default 60), only as many users as fit in the budget are evaluated and the
per-user time is meant to be extrapolated.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "conformance", "baseplate"))

from oracle import BulkClient  # noqa: E402

PROBE = 20_000


class CountingLogger:
    """An event logger that only counts (keeping 1M events would distort the memory figure)."""

    def __init__(self):
        self.count = 0

    def log(self, **_kwargs):
        self.count += 1


def main():
    path, key, users_path, now = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    budget = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
    with open(path, encoding="utf-8") as f:
        client = BulkClient(json.load(f), now)
    client.recorder = CountingLogger()
    with open(users_path, encoding="utf-8") as f:
        total = sum(1 for line in f if line.strip())
    limit = total
    counts = {}
    done = 0
    start = time.perf_counter()
    with open(users_path, encoding="utf-8") as f:
        for line in f:
            uid = line.strip()
            if not uid:
                continue
            v = client.variant(key, {"user_id": uid, "logged_in": True})
            name = "None" if v is None else str(v)
            counts[name] = counts.get(name, 0) + 1
            done += 1
            if done == PROBE and total > PROBE:
                per_user = (time.perf_counter() - start) / done
                if per_user * total > budget:
                    limit = max(PROBE, int(budget / per_user))
            if done >= limit:
                break
    seconds = time.perf_counter() - start
    json.dump({"users": done, "total": total, "seconds": seconds, "counts": counts,
               "events": client.recorder.count, "partial": done < total}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
