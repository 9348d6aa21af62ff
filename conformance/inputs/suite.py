"""Differential test of what wafflectl makes of typed and stored inputs against the real
libraries edx-platform uses: python-dateutil 2.9.0 (enrollment dates) and edx-opaque-keys with
edx-ccx-keys (course keys). Fresh random cases every run (the seed is printed; --seed replays).

    python suite.py --bin target/debug/wafflectl [--seed N] [--dates N] [--keys N] [-v]

Dates, for each generated string S:
  stored: wafflectl reads S as edX does: dateutil.parser.parse(S) with the zone dropped, the same
          failure (ValueError, or OverflowError, which the LMS does not catch) and the same offset;
  typed:  what `kv set` stores for S, read back by the real dateutil, is the instant S means
          (its offset converted to UTC), and S is refused exactly when dateutil refuses it (or
          the offset cannot be converted).
Keys, for each generated string K: wafflectl accepts K exactly when CourseKey.from_string(K)
does, and stores str(key).
The last line is "N passed, N failed"; exit 1 on any disagreement."""

import argparse
import datetime
import decimal
import json
import os
import random
import subprocess
import sys
import tempfile
import warnings

from dateutil import parser as du
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

warnings.simplefilter("ignore")
UTC = datetime.timezone.utc


def fmt(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S.%f") if d.year >= 1000 else "%04d%s" % (
        d.year, d.strftime("-%m-%dT%H:%M:%S.%f"))


def dateutil_reads(s):
    """(naive text, offset seconds or None, None) or (None, None, 'value'|'overflow'|'other')."""
    try:
        d = du.parse(s)
    except (OverflowError, decimal.InvalidOperation):
        # Neither is caught by edX: the LMS fails with a server error. wafflectl calls both
        # "overflow".
        return None, None, "overflow"
    except ValueError:
        return None, None, "value"
    except Exception as e:  # noqa: BLE001 - reported as a disagreement
        return None, None, "other:%s" % type(e).__name__
    off = None
    if d.tzinfo is not None:
        try:
            off = d.utcoffset()
        except ValueError:
            off = getattr(d.tzinfo, "_offset", None)
        if off is not None:
            off = int(off.total_seconds())
    return fmt(d.replace(tzinfo=None)), off, None


def expected_instant(naive, off):
    """The instant S means: its wall time minus its offset, or None when that cannot be."""
    d = datetime.datetime.strptime(naive, "%Y-%m-%dT%H:%M:%S.%f") if naive[4] == "-" else None
    if d is None:
        return None
    if off is None:
        return d
    if abs(off) >= 86400:
        return None
    try:
        return d - datetime.timedelta(seconds=off)
    except OverflowError:
        return None


def run_bin(bin_, kind, cases):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c) + "\n")
        path = f.name
    env = dict(os.environ)
    env.pop("WAFFLECTL_NOW", None)
    env["TZ"] = "UTC"
    try:
        p = subprocess.run([bin_, "conformance-inputs", kind, path], capture_output=True,
                           env=env, timeout=600)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise SystemExit("wafflectl conformance-inputs %s failed (exit %d): %s" % (
            kind, p.returncode, p.stderr.decode(errors="replace")))
    out = [json.loads(line) for line in p.stdout.decode().splitlines()]
    if len(out) != len(cases):
        raise SystemExit("wafflectl answered %d of %d cases" % (len(out), len(cases)))
    return out


def check_dates(bin_, cases, verbose):
    got = run_bin(bin_, "dates", cases)
    fails = []
    for s, w in zip(cases, got):
        naive, off, err = dateutil_reads(s)
        # stored
        if err:
            if w["error"] != err:
                fails.append(("stored", s, "dateutil %s" % err, "wafflectl %s" % (w["error"] or w["read"])))
        elif w["error"] or w["read"] != naive or w["offset"] != off:
            fails.append(("stored", s, "dateutil %s offset %s" % (naive, off),
                          "wafflectl %s offset %s" % (w["error"] or w["read"], w["offset"])))
        # typed
        want = None if err else expected_instant(naive, off)
        if err:
            if w["typed_error"] != err:
                fails.append(("typed", s, "dateutil %s: refused" % err,
                              "wafflectl %s" % (w["typed_error"] or w["stored"])))
            continue
        if want is None:
            if w["typed_error"] is None:
                fails.append(("typed", s, "cannot be converted to UTC", "stored %s" % w["stored"]))
            continue
        if w["typed_error"] is not None:
            fails.append(("typed", s, "means %s" % fmt(want), "wafflectl refused (%s)" % w["typed_error"]))
            continue
        rn, roff, rerr = dateutil_reads(w["stored"])
        if rerr or roff is not None or rn != fmt(want) or w["instant"] != fmt(want):
            fails.append(("typed", s, "means %s" % fmt(want),
                          "stored %r, which dateutil reads as %s" % (w["stored"], rerr or rn)))
    return fails


def opaque_reads(k):
    try:
        return str(CourseKey.from_string(k))
    except InvalidKeyError:
        return None
    except Exception as e:  # noqa: BLE001
        return "other:%s" % type(e).__name__


def check_keys(bin_, cases, verbose):
    got = run_bin(bin_, "keys", cases)
    fails = []
    for k, w in zip(cases, got):
        want = opaque_reads(k)
        have = w["canonical"] if w["ok"] else None
        if want != have:
            fails.append(("key", k, "opaque-keys %s" % (want or "InvalidKeyError"),
                          "wafflectl %s" % (have or "refused")))
    return fails


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--dates", type=int, default=6000)
    ap.add_argument("--keys", type=int, default=2500)
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(2 ** 32)
    print("seed %d (replay with --seed %d)" % (seed, seed))
    r = random.Random(seed)
    dates = [gen.date(r) for _ in range(a.dates)]
    keys = [gen.key(r) for _ in range(a.keys)]
    passed = failed = 0
    for name, cases, check in (("dates", dates, check_dates), ("keys", keys, check_keys)):
        fails = check(a.bin, cases, a.v)
        n = len(cases) * (2 if name == "dates" else 1)
        print("%s: %d cases, %d comparisons, %d disagreements" % (name, len(cases), n, len(fails)))
        for f in fails[: (len(fails) if a.v else 40)]:
            print("  %s %r: %s; %s" % f)
        passed += n - len(fails)
        failed += len(fails)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
