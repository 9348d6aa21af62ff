"""What the conformance suites share: counted checks, a scratch folder, commands that must
succeed, and the loop that runs the tests and prints the last line `N passed, N failed`."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import traceback


class Checks:
    """Counts the checks of one run (failures always printed, passes with verbose) and owns its
    scratch folder."""

    def __init__(self, binary, verbose, name):
        self.bin = binary
        self.verbose = verbose
        self.passed = 0
        self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix=f"wafflectl-{name}-")

    def check(self, label, ok, detail=""):
        if ok:
            self.passed += 1
            if self.verbose:
                print(f"ok      {label}")
        else:
            self.failed += 1
            print(f"FAIL    {label}" + (("\n        " + detail.replace("\n", "\n        ")) if detail else ""))
        return ok

    def run(self, args, env=None, stdin=None, check=True, cwd=None):
        """ARGS as a process; with check, one that exits non-zero raises with its output."""
        p = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env, cwd=cwd)
        if check and p.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} exited {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}"
            )
        return p


def run_tests(s, tests, keep=False, brief=()):
    """Runs each (name, function of s) of tests under a `== name` line, then prints `N passed, N
    failed` and exits (1 when anything failed or nothing passed). A test that raises is one
    failure: with its message for an exception of the types in brief, else with its traceback.
    The scratch folder is removed at the end unless keep."""
    try:
        for name, test in tests:
            print(f"== {name}")
            try:
                test(s)
            except brief as e:
                s.check(f"{name} ran to the end", False, str(e))
            except Exception:
                s.check(f"{name} ran to the end", False, traceback.format_exc())
    finally:
        if keep:
            print(f"kept {s.tmp}")
        else:
            shutil.rmtree(s.tmp, ignore_errors=True)
    print(f"{s.passed} passed, {s.failed} failed")
    sys.exit(1 if s.failed or not s.passed else 0)


def named_tests(scope, only=None):
    """The functions test_NAME of scope (a module's globals()) as (NAME with spaces, function),
    only those whose function name contains only when given."""
    return [(k[5:].replace("_", " "), v) for k, v in scope.items()
            if k.startswith("test_") and callable(v) and (not only or only in k)]


def main(make, tests, brief=()):
    """A suite's command line, `--bin PATH [-v]`: runs tests (see run_tests) on
    make(absolute PATH, verbose)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    run_tests(make(os.path.abspath(a.bin), a.v), tests, brief=brief)
