"""Conformance of `wafflectl report` and `stale --refs` with real Open edX code (run by run.sh).

For each pinned Open edX package below, its sdist from PyPI is unpacked (code nobody here wrote),
then:
  * Open edX's own annotation tool, `code_annotations static_find_annotations` (code-annotations
    2.3.2) with the feature_toggle_annotations.yaml it ships, and `wafflectl report --json` must
    find the same annotation groups (file, line, toggle_name) with the same toggle_implementation
    values, and the tool's linting must give the same errors; the same again with the tool's
    JavaScript extension added for *.js files;
  * every toggle the package declares or builds is loaded into a fresh store, settled (a flag
    `--everyone on`, a switch `--on`), and `wafflectl stale --refs PKG --days 0 --json` must offer
    no `flag delete`/`switch delete` step for any of them: not in the list of toggles no file
    names, and not in any removal plan.
    "Declares" is what the package's annotations name (as the declaration they document resolves
    it); "builds" is the hand-checked list BUILT below, names the code makes at run time or from
    constants of other modules, read from these pinned versions.

Every check prints a line when it fails (-v: passes too); the last line is `N passed, N failed`;
the exit status is 1 when anything failed.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(os.path.dirname(HERE))

import harness  # noqa: E402
import yaml  # noqa: E402

PACKAGES = [
    ("edx-enterprise", "8.18.0"),
    ("ora2", "7.1.1"),
    ("edx-proctoring", "6.1.4"),
    ("edx-completion", "5.0.0"),
    ("edx-when", "4.1.0"),
    ("edx-name-affirmation", "3.0.2"),
    ("lti-consumer-xblock", "11.4.4"),
]

_ORA = ["all_files_urls", "team_submissions", "user_state_upload_data", "rubric_reuse",
        "enhanced_staff_grader", "mfe_views", "selectable_learner_waiting_review",
        "peer_configurable_grading"]
# Names the code builds (hand-checked in the pinned versions): (name, flag|switch).
BUILT = {
    # ConfigMixin.is_feature_enabled(X) reads CourseWaffleFlag, WaffleSwitch and WaffleFlag
    # f"{WAFFLE_NAMESPACE}.{X}" inside helpers taking the name as an argument.
    "ora2": [(f"openresponseassessment.{x}", k) for x in _ORA for k in ("flag", "switch")],
    "edx-proctoring": [
        # PING_FAILURE_PASSTHROUGH_TEMPLATE.format(backend): the backend comes from the exam row
        ("edx_proctoring.proctortrack_ping_failure_passthrough", "switch"),
        # switch_is_active(CONSTANT), the constant in edx_proctoring/constants.py
        ("edx_proctoring.reds_api_redirect", "switch"),
        ("edx_proctoring.onboarding_profile_instructor_dashboard_api", "switch"),
    ],
    "edx-enterprise": [("local_currency", "switch")],
    "lti-consumer-xblock": [
        (f"lti_consumer.{x}", "flag") for x in (
            "enable_external_config_filter", "enable_external_user_id_1p1_launches",
            "enable_database_config", "enable_external_multiple_launch_urls")
    ],
    "edx-completion": [("completion.enable_completion_tracking", "switch")],
}
FLAG_IMPLEMENTATIONS = {"WaffleFlag", "CourseWaffleFlag", "ExperimentWaffleFlag"}
SWITCH_IMPLEMENTATIONS = {"WaffleSwitch"}
NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")
SHOWN = 15  # differences printed per check


class SetupError(Exception):
    """Something the suite needs could not be made: one failure, no traceback."""


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def sdist_dir():
    d = os.environ.get("ANNOTATIONS_SDISTS") or os.path.join(sys.prefix, "sdists")
    os.makedirs(d, exist_ok=True)
    return d


def sdist(name, version):
    """The sdist of name==version, downloaded from PyPI once."""
    d = sdist_dir()

    def cached():
        for f in os.listdir(d):
            if f.endswith(".tar.gz") and canonical(f[:-7]) == canonical(f"{name}-{version}"):
                return os.path.join(d, f)
        return None

    if not cached():
        p = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet",
                            "--disable-pip-version-check", "--no-deps", "--no-binary", ":all:",
                            "--dest", d, f"{name}=={version}"], capture_output=True, text=True)
        if p.returncode != 0 or not cached():
            raise SetupError(f"cannot download the sdist of {name}=={version} from PyPI:\n"
                             f"{p.stderr.strip()[-2000:]}")
    return cached()


def unpack(path, into):
    with tarfile.open(path) as t:
        if hasattr(tarfile, "data_filter"):
            t.extractall(into, filter="data")
        else:  # Python < 3.12 without the backported filter
            t.extractall(into)
    tops = [os.path.join(into, e) for e in os.listdir(into)]
    if len(tops) != 1 or not os.path.isdir(tops[0]):
        raise SetupError(f"{path} does not unpack into one folder")
    return tops[0]


def feature_toggle_yaml():
    import code_annotations
    p = os.path.join(os.path.dirname(code_annotations.__file__), "contrib", "config",
                     "feature_toggle_annotations.yaml")
    if not os.path.exists(p):
        raise SetupError(f"code-annotations has no {p}")
    return p


def diff_lines(a, b, what_a, what_b):
    out = []
    for x in sorted(a - b, key=str)[:SHOWN]:
        out.append(f"only {what_a}: {x}")
    for x in sorted(b - a, key=str)[:SHOWN]:
        out.append(f"only {what_b}: {x}")
    return "\n".join(out)


class Suite(harness.Checks):
    def __init__(self, binary, verbose):
        super().__init__(binary, verbose, "annotations")
        self.tool = os.path.join(os.path.dirname(sys.executable), "code_annotations")
        self.configs = {}

    def env(self, db):
        env = dict(os.environ, NO_COLOR="1", WAFFLECTL_ACTOR="conformance", WAFFLECTL_DB=db)
        env.pop("WAFFLECTL_NOW", None)
        return env

    def w(self, db, args, cwd=None):
        p = subprocess.run([self.bin, *args], capture_output=True, text=True, env=self.env(db),
                           cwd=cwd, timeout=300)
        if p.returncode != 0:
            raise SetupError(f"wafflectl {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
        return p.stdout

    def config(self, javascript):
        """The shipped configuration, or it with the tool's JavaScript extension for *.js."""
        if javascript not in self.configs:
            src = feature_toggle_yaml()
            if not javascript:
                self.configs[javascript] = src
            else:
                with open(src) as f:
                    c = yaml.safe_load(f)
                c["extensions"]["javascript"] = ["js"]
                p = os.path.join(self.tmp, "feature_toggle_annotations_js.yaml")
                with open(p, "w") as f:
                    yaml.safe_dump(c, f)
                self.configs[javascript] = p
        return self.configs[javascript]

    def tool_groups(self, src, javascript):
        """code_annotations' groups: {(path, line): {token: data}} and its linting errors."""
        out = os.path.join(self.tmp, f"report-{os.path.basename(src)}-{int(javascript)}")
        shutil.rmtree(out, ignore_errors=True)
        cmd = [self.tool, "static_find_annotations", "--config_file", self.config(javascript),
               "--source_path", src, "--report_path", out]
        p = subprocess.run(cmd + ["--no_lint"], capture_output=True, text=True, cwd=self.tmp)
        reports = glob.glob(os.path.join(out, "*.yaml"))
        if p.returncode != 0 or len(reports) != 1:
            raise SetupError(f"code_annotations failed on {src}:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
        with open(reports[0]) as f:
            raw = yaml.safe_load(f) or {}
        groups = {}
        for path, annotations in raw.items():
            for a in annotations:
                g = groups.setdefault((path, a["line_number"]), {})
                g.setdefault(a["annotation_token"][3:-1], a["annotation_data"])
        lint = subprocess.run(cmd + ["--lint", "--no_report"], capture_output=True, text=True,
                              cwd=self.tmp)
        errors = set()
        for line in lint.stdout.splitlines():
            m = re.match(r"^(.+)::(\d+): (.*)$", line)
            if m:
                errors.add((m.group(1), int(m.group(2)), m.group(3)))
        return groups, errors

    def check_package(self, name, version):
        src = unpack(sdist(name, version), os.path.join(self.tmp, name))
        db = os.path.join(self.tmp, f"{name}.db")
        self.w(db, ["init"])
        rep = json.loads(self.w(db, ["report", ".", "--json"], cwd=src))
        mine = rep["annotations"]
        for javascript in (False, True):
            label = f"{name} {version}" + (" (with *.js)" if javascript else "")
            groups, errors = self.tool_groups(src, javascript)
            ours = [a for a in mine if javascript or a["path"].endswith(".py")]
            theirs_named = {(p, l, g["toggle_name"]) for (p, l), g in groups.items()
                            if g.get("toggle_name")}
            ours_named = {(a["path"], a["line"], a["name"]) for a in ours if a["name"]}
            self.check(f"{label}: the same annotated toggles as code_annotations "
                       f"({len(theirs_named)})", theirs_named == ours_named,
                       diff_lines(theirs_named, ours_named, "code_annotations", "wafflectl"))
            theirs_impl = {(p, l, tuple(g.get("toggle_implementation") or []))
                           for (p, l), g in groups.items()}
            ours_impl = {(a["path"], a["line"], tuple(a["implementation"])) for a in ours}
            # the tool keeps empty choice values (""); wafflectl's list leaves them out
            theirs_impl = {(p, l, tuple(v for v in i if v)) for p, l, i in theirs_impl}
            self.check(f"{label}: the same toggle_implementation per annotation",
                       theirs_impl == ours_impl,
                       diff_lines(theirs_impl, ours_impl, "code_annotations", "wafflectl"))
            ours_errors = {(a["path"], a["line"], e) for a in ours for e in a["errors"]}
            self.check(f"{label}: the same linting errors as code_annotations ({len(errors)})",
                       errors == ours_errors,
                       diff_lines(errors, ours_errors, "code_annotations", "wafflectl"))
        self.check_no_deletion(name, src, mine)

    def check_no_deletion(self, name, src, annotations):
        declared = set()
        for a in annotations:
            impl = set(a["implementation"])
            kind = ("flag" if impl & FLAG_IMPLEMENTATIONS else
                    "switch" if impl & SWITCH_IMPLEMENTATIONS else None)
            toggle = a["documents"] or a["name"]
            if kind and toggle:
                declared.add((toggle, kind))
        declared |= set(BUILT.get(name, []))
        # ora2 annotates settings (FEATURES['ENABLE_ORA_RUBRIC_REUSE']) as WaffleFlag: no store
        # can hold such a name, so there is nothing to load for them
        odd = sorted(n for n, _ in declared if not NAME.match(n))
        if odd:
            print(f"note    {name}: annotated as waffle toggles, but not toggle names: {odd}")
        declared = {(n, k) for n, k in declared if NAME.match(n)}
        db = os.path.join(self.tmp, f"{name}-stale.db")
        self.w(db, ["init"])
        for toggle, kind in sorted(declared):
            if kind == "flag":
                self.w(db, ["flag", "create", toggle, "--everyone", "on"])
            else:
                self.w(db, ["switch", "create", toggle, "--on"])
        rep = json.loads(self.w(db, ["stale", "--refs", src, "--days", "0", "--json"]))
        names = {n for n, _ in declared}
        wrong = []
        for u in rep["refs"]["unreferenced"]:
            if u["name"] in names:
                wrong.append(f"{u['name']}: no scanned file names it, next: {u['next']}")
        for f in rep["stale"]:
            deletes = [c for c in f["next"] if re.search(r"\b(flag|switch) delete\b", c)]
            if f["name"] in names and deletes:
                wrong.append(f"{f['name']}: {deletes} while the code reads it")
        unsettled = sorted(names - {f["name"] for f in rep["stale"]})
        self.check(f"{name}: every declared toggle is in the store and settled ({len(names)})",
                   not unsettled, f"not listed by stale: {unsettled[:SHOWN]}")
        self.check(f"{name}: stale --refs offers no deletion of a toggle the code declares or builds "
                   f"({len(names)})", not wrong, "\n".join(wrong[:SHOWN]))


def make_test(name, version):
    def test(s):
        try:
            s.check_package(name, version)
        except SetupError as e:
            s.check(f"{name} {version}: set up and ran", False, str(e))
    return test


TESTS = [(f"{n} {v}", make_test(n, v)) for n, v in PACKAGES]


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "target", "debug", "wafflectl"))
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    ap.add_argument("-k", help="run only packages whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    tests = [(n, t) for n, t in TESTS if not a.k or a.k in n]
    s = Suite(os.path.abspath(a.bin), a.verbose)
    harness.run_tests(s, tests, keep=a.keep, brief=SetupError)


if __name__ == "__main__":
    main()
