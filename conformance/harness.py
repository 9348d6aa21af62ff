"""What the conformance suites share: counted checks, a scratch folder, commands that must
succeed, and the loop that runs the tests and prints the last line `N passed, N failed`."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback


HERE = os.path.dirname(os.path.abspath(__file__))
# The servers a suite may run on besides SQLite files, and the variable holding each one's URL.
SERVER_URLS = {"mysql": "WAFFLECTL_TEST_MYSQL_URL", "postgres": "WAFFLECTL_TEST_PG_URL"}
BACKENDS = ["sqlite", *SERVER_URLS]


def server_url(backend):
    """The URL of the test server of backend (a key of SERVER_URLS); a missing one raises: a
    suite never skips a backend."""
    url = os.environ.get(SERVER_URLS[backend], "")
    if not url:
        raise RuntimeError(f"${SERVER_URLS[backend]} is not set (the URL of a {backend} server; "
                           ".ci/servers.sh starts one)")
    return url


def shown(url):
    """url without its password."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)


class Server:
    """The one database of a test server, which a suite's cases share one after another:
    migrated once, reset before each case (conformance/databases/server.py), and left empty."""

    SCRIPT = os.path.join(HERE, "databases", "server.py")

    def __init__(self, checks, url, env):
        self.s, self.url, self.env = checks, url, env

    def call(self, cmd):
        p = self.s.run([sys.executable, self.SCRIPT, cmd], env=self.env, cwd=os.path.join(HERE, "project"))
        return json.loads(p.stdout) if p.stdout.strip() else None

    def reset(self):
        self.call("reset")
        return self.url

    def migrate(self):
        self.call("migrate")
        self.check_reset("migrated, with no rows but migrate's own")

    def leave_empty(self):
        self.check_reset("left migrated and empty")

    def check_reset(self, what):
        self.reset()
        left = {t: n for t, n in self.call("rows").items() if n}
        self.s.check(f"{shown(self.url)}: {what}", not left, f"rows left: {left}")


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
            raise RuntimeError(  # a server URL's password is not shown
                f"{shown(' '.join(args))} exited {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}"
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


def main(make, tests, brief=(), backends=False):
    """A suite's command line, `--bin PATH [-v]`: runs tests (see run_tests) on
    make(absolute PATH, verbose). With backends, also `[--backend sqlite|mysql|postgres]`: then
    make(PATH, verbose, BACKEND), and on a server the tests run between migrating its database
    and leaving it empty (make's `server`, a Server)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("-v", action="store_true")
    if backends:
        ap.add_argument("--backend", choices=BACKENDS, default="sqlite")
    a = ap.parse_args()
    if not backends:
        return run_tests(make(os.path.abspath(a.bin), a.v), tests, brief=brief)
    try:
        s = make(os.path.abspath(a.bin), a.v, a.backend)
    except RuntimeError as e:  # no server URL
        print(f"{e}\n0 passed, 1 failed")
        sys.exit(1)
    if s.server:
        print(f"backend {a.backend}: {shown(s.server.url)}")
        tests = on_server(tests)
    run_tests(s, tests, brief=brief)


def on_server(tests):
    """tests between migrating the server's database and checking it is left empty."""
    return ([("migrate the server's database", lambda s: s.server.migrate())] + list(tests)
            + [("leave the server's database empty", lambda s: s.server.leave_empty())])
