"""Conformance of wafflectl with real Django 5.2 + django-waffle 5.0.0 (run by run.sh).

Shows three things (issue 5):
  * decisions agree: a store built with wafflectl, read by real django-waffle, gives for every
    (flag, user) pair and every switch the answer `wafflectl eval --json` gives;
  * Django sees direct writes: `wafflectl --db db.sqlite3 flag/switch/sample/user/group ...` on a
    migrated Django project is what `manage.py waffle_flag -l` etc. print;
  * fixtures round-trip: dumpdata -> wafflectl import -> wafflectl export -> loaddata into a
    fresh database -> dumpdata gives the same objects.

With --backend mysql or postgres the same checks run on the test server's database
($WAFFLECTL_TEST_MYSQL_URL / $WAFFLECTL_TEST_PG_URL; a missing one fails the run), through
wafflectl's `--db URL` and Django's drivers: each case starts from that database reset to the
state migrate leaves (conformance/databases/server.py), and the run leaves it so. The raw rows
case is SQLite's alone (rows only SQLite's untyped columns can hold).

Every check prints one line; the last line is `N passed, N failed`; the exit status is 1 when
anything failed.
"""
import argparse
import json
import os
import sqlite3
import sys

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(HERE, "project")
PY = sys.executable
# Cases that need SQLite files: rows written past Django's column types.
SQLITE_ONLY = ["raw rows read as django reads them",
               "init on a partly migrated project lets migrate finish"]


class Suite(harness.Checks):
    def __init__(self, binary, verbose, backend="sqlite"):
        super().__init__(binary, verbose, "conformance")
        self.backend = backend
        self.server = None
        if backend != "sqlite":
            url = harness.server_url(backend)
            self.server = harness.Server(self, url, self.django_env(url))

    # -- running things ------------------------------------------------------------------

    def w(self, db, *args, check=True, stdin=None):
        """wafflectl --db DB ARGS..."""
        env = dict(os.environ, NO_COLOR="1", WAFFLECTL_ACTOR="conformance")
        env.pop("WAFFLECTL_DB", None)
        env.pop("WAFFLECTL_NOW", None)
        return self.run([self.bin, "--db", db, *args], env=env, check=check, stdin=stdin)

    def django_env(self, db):
        if self.backend == "sqlite":
            return dict(os.environ, CONFORMANCE_DB=db, DJANGO_SETTINGS_MODULE="wproj.settings",
                        PYTHONPATH=PROJECT)
        # A server's database is migrated with Django admin too (conformance/databases), so
        # Django runs with the project's settings plus admin (settings_live without a cache).
        return dict(os.environ, CONFORMANCE_DB=db, DJANGO_SETTINGS_MODULE="settings_live",
                    PYTHONPATH=os.pathsep.join([os.path.join(HERE, "live"), PROJECT]), LIVE_CACHE="")

    def manage(self, db, *args, check=True):
        return self.run([PY, os.path.join(PROJECT, "manage.py"), *args], env=self.django_env(db),
                        check=check, cwd=PROJECT)

    def oracle(self, db, cmd, payload=None):
        p = self.run([PY, os.path.join(HERE, "oracle.py"), cmd], env=self.django_env(db),
                     stdin=None if payload is None else json.dumps(payload))
        return json.loads(p.stdout) if p.stdout.strip() else None

    def django_db(self, name):
        """A freshly migrated Django database: a new SQLite file NAME, or the server's database
        as migrate leaves it (the one before it is gone: a case uses one at a time)."""
        if self.server:
            return self.server.reset()
        db = os.path.join(self.tmp, name)
        self.manage(db, "migrate", "--run-syncdb", "-v", "0")
        return db

    def store(self, name):
        """Where `wafflectl init` makes a new, empty store: a SQLite file NAME not there yet, or
        the server's database as migrate leaves it (wafflectl's tables go there)."""
        if self.server:
            return self.server.reset()
        return os.path.join(self.tmp, name)

    def schema(self, db):
        """Every table (and index) of db with its definition."""
        if self.server:
            return json.loads(self.run([PY, harness.Server.SCRIPT, "schema"], env=self.django_env(db),
                                       cwd=PROJECT).stdout)
        c = sqlite3.connect(db)
        try:
            return dict(c.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
        finally:
            c.close()


# --------------------------------------------------------------------------------------------
# init on a Django database
# --------------------------------------------------------------------------------------------

def test_init_adds_only_missing_tables(s):
    db = s.django_db("init.sqlite3")
    before = s.schema(db)
    s.w(db, "init")
    after = s.schema(db)
    changed = [n for n in before if after.get(n) != before[n]]
    s.check("init leaves every table and index of the Django database as it was", not changed,
            f"changed: {changed}")
    added = sorted(n for n in after if n not in before)
    s.check("init adds wafflectl's own tables", "wafflectl_audit" in added and "wafflectl_meta" in added,
            f"added: {added}")
    s.check("init adds no Django table that migrate had created",
            all(n.startswith("wafflectl_") or n.startswith("student_courseenrollment")
                or n.startswith("sqlite_") for n in added), f"added: {added}")
    p = s.manage(db, "migrate", "--check", check=False)
    s.check("Django still finds no pending migration after init", p.returncode == 0, p.stdout + p.stderr)
    again = s.w(db, "init").stderr
    s.check("a second init changes nothing", s.schema(db) == after, again)


def journal_mode(db):
    c = sqlite3.connect(db)
    try:
        return c.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        c.close()


def test_init_on_a_partly_migrated_project_lets_migrate_finish(s):
    # `manage.py migrate auth` only: django-waffle's tables are the site's to create. init must
    # refuse and create nothing, so that the site's own migrate still succeeds afterwards.
    db = os.path.join(s.tmp, "partly.sqlite3")
    s.manage(db, "migrate", "auth", "-v", "0")
    before = s.schema(db)
    p = s.w(db, "init", check=False)
    s.check("init on a project migrated only partly exits 1", p.returncode == 1, p.stderr)
    s.check("init names the missing django-waffle tables and says to migrate",
            "waffle_flag" in p.stderr and "manage.py migrate" in p.stderr, p.stderr)
    s.check("init on a project migrated only partly creates nothing", s.schema(db) == before,
            str(sorted(set(s.schema(db)) - set(before))))
    m = s.manage(db, "migrate", "--run-syncdb", "-v", "0", check=False)
    s.check("the site's migrate succeeds after init", m.returncode == 0, m.stdout + m.stderr)
    mode = journal_mode(db)
    s.check("Django leaves its rollback journal", mode == "delete", mode)
    s.w(db, "init")
    s.w(db, "flag", "create", "partly.flag", "--everyone", "on")
    s.check("init and a write leave the site's journal mode as it was", journal_mode(db) == mode,
            journal_mode(db))
    p = s.manage(db, "migrate", "--check", check=False)
    s.check("Django finds no pending migration after init", p.returncode == 0, p.stdout + p.stderr)
    flags = s.manage(db, "waffle_flag", "-l").stdout
    s.check("Django reads the flag written after init", "partly.flag" in flags, flags)


# --------------------------------------------------------------------------------------------
# Decisions agree
# --------------------------------------------------------------------------------------------

USERS = {
    # name: wafflectl user add options
    "alice": ["--group", "beta"],
    "bob": [],
    "carol": ["--group", "beta", "--group", "gamma"],
    "dave": [],
    "staff1": ["--staff"],
    "root": ["--superuser"],
    "boss": ["--staff", "--superuser", "--group", "gamma"],
    "idle": ["--inactive"],
}

FLAGS = {
    # name: wafflectl flag create options
    "d.on": ["--everyone", "on"],
    "d.off": ["--everyone", "off"],
    "d.off_listed": ["--everyone", "off", "--add-user", "alice", "--staff"],
    "d.on_nobody": ["--everyone", "on", "--no-superusers"],
    "d.unset": [],
    "d.staff": ["--staff"],
    "d.superusers": ["--superusers"],
    "d.authenticated": ["--authenticated"],
    "d.users": ["--add-user", "alice", "--add-user", "dave"],
    "d.groups": ["--add-group", "beta"],
    "d.gamma_or_bob": ["--add-group", "gamma", "--add-user", "bob"],
    "d.languages": ["--languages", "de, fr"],
    "d.lang_or_staff": ["--languages", "pt-br", "--staff"],
    "d.percent0": ["--percent", "0"],
    "d.testing": ["--testing", "--superusers"],
    "d.rollout_staff": ["--rollout", "--staff"],
    "d.everything": ["--staff", "--superusers", "--authenticated", "--add-group", "beta"],
}


def test_decisions_agree(s):
    db = s.django_db("decisions.sqlite3")
    s.w(db, "init")
    for g in ["beta", "gamma", "unused"]:
        s.w(db, "group", "add", g)
    for u, opts in USERS.items():
        s.w(db, "user", "add", u, *opts)
    for f, opts in FLAGS.items():
        s.w(db, "flag", "create", f, *opts)
    s.w(db, "switch", "create", "sw.on", "--on")
    s.w(db, "switch", "create", "sw.off", "--off")
    s.w(db, "switch", "create", "sw.flipped", "--off")
    s.w(db, "switch", "on", "sw.flipped")
    s.w(db, "sample", "create", "sm.zero", "0")
    s.w(db, "sample", "create", "sm.all", "100")

    queries = []
    for f in FLAGS:
        for u in [*USERS, None]:
            queries.append({"kind": "flag", "name": f, "user": u, "language": None})
        for lang in ["de", "fr", "pt-br", "en"]:
            queries.append({"kind": "flag", "name": f, "user": "bob", "language": lang})
    django_answers = s.oracle(db, "eval", queries)
    compared = 0
    for q, want in zip(queries, django_answers):
        args = ["eval", q["name"], "--json"]
        args += ["--user", q["user"]] if q["user"] else ["--anonymous"]
        if q["language"]:
            args += ["--language", q["language"]]
        label = f"flag {q['name']} for {q['user'] or 'anonymous'}" + (
            f" (language {q['language']})" if q["language"] else "")
        p = s.w(db, *args, check=False)
        if p.returncode != 0:
            s.check(label, False, f"wafflectl {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
            continue
        got = json.loads(p.stdout)
        if got.get("active") is None:
            s.check(label + ": eval gives a decision", False, f"eval says random: {got}")
            continue
        compared += 1
        s.check(label, got["active"] == want,
                f"django-waffle: {want}, wafflectl eval: {got['active']} ({json.dumps(got.get('steps'))})")
    s.check(f"at least 50 (flag, user) pairs compared (got {compared})", compared >= 50)
    s.check("the pairs cover both answers", True in django_answers and False in django_answers,
            str(django_answers))

    switches = ["sw.on", "sw.off", "sw.flipped"]
    answers = s.oracle(db, "eval", [{"kind": "switch", "name": n} for n in switches])
    for n, want in zip(switches, answers):
        p = s.w(db, "eval", n, "--json", check=False)
        got = json.loads(p.stdout).get("active") if p.returncode == 0 else f"exit {p.returncode}: {p.stderr.strip()}"
        s.check(f"switch {n}", got == want, f"django-waffle: {want}, wafflectl eval: {got}")

    for n, prob, want in [("sm.all", 1, True), ("sm.zero", 0, False)]:
        answers = s.oracle(db, "eval", [{"kind": "sample", "name": n}] * 20)
        p = s.w(db, "eval", n, "--json", check=False)
        got = json.loads(p.stdout) if p.returncode == 0 else {}
        s.check(f"sample {n}: django-waffle says {want} on every call", all(a == want for a in answers),
                f"answers: {answers}")
        s.check(f"sample {n}: wafflectl eval gives probability {prob}",
                got.get("probability") == prob, f"eval: {got or p.stderr.strip()}")


# --------------------------------------------------------------------------------------------
# Django sees direct writes
# --------------------------------------------------------------------------------------------

def parse_flag_list(text):
    """`manage.py waffle_flag -l` → {name: {FIELD: value}}."""
    flags, cur = {}, None
    for line in text.splitlines():
        if ": " not in line:
            continue
        k, v = line.split(": ", 1)
        if k == "NAME":
            cur = flags.setdefault(v, {})
        elif cur is not None:
            cur[k] = v
    return flags


def parse_pairs(text):
    """`Switches:` / `Samples:` lists → {name: value}."""
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def test_django_sees_direct_writes(s):
    db = s.django_db("direct.sqlite3")
    s.w(db, "init")
    s.w(db, "group", "add", "beta")
    s.w(db, "user", "add", "alice", "--group", "beta")
    s.w(db, "user", "add", "bob", "--staff", "--email", "bob@example.com")
    s.w(db, "flag", "create", "direct.flag")
    flags = parse_flag_list(s.manage(db, "waffle_flag", "-l").stdout)
    s.check("flag create: listed by waffle_flag -l", "direct.flag" in flags, str(flags))
    f = flags.get("direct.flag", {})
    s.check("flag create: EVERYONE None, PERCENT None, SUPERUSERS False",
            (f.get("EVERYONE"), f.get("PERCENT"), f.get("SUPERUSERS")) == ("None", "None", "False"), str(f))

    s.w(db, "flag", "on", "direct.flag")
    f = parse_flag_list(s.manage(db, "waffle_flag", "-l").stdout).get("direct.flag", {})
    s.check("flag on: EVERYONE True", f.get("EVERYONE") == "True", str(f))

    s.w(db, "flag", "set", "direct.flag", "--everyone", "unset", "--percent", "12.5", "--staff",
        "--add-user", "alice", "--add-user", "bob", "--add-group", "beta", "--rollout")
    f = parse_flag_list(s.manage(db, "waffle_flag", "-l").stdout).get("direct.flag", {})
    want = {"EVERYONE": "None", "PERCENT": "12.5", "STAFF": "True", "ROLLOUT": "True",
            "GROUPS": "['beta']"}
    s.check("flag set: waffle_flag -l shows every field", all(f.get(k) == v for k, v in want.items()),
            f"want {want}, got {f}")
    s.check("flag set: users listed", sorted(eval(f.get("USERS", "[]"))) == ["alice", "bob"], str(f))

    s.w(db, "flag", "off", "direct.flag")
    f = parse_flag_list(s.manage(db, "waffle_flag", "-l").stdout).get("direct.flag", {})
    s.check("flag off: EVERYONE False", f.get("EVERYONE") == "False", str(f))
    answers = s.oracle(db, "eval", [{"kind": "flag", "name": "direct.flag", "user": "bob"}])
    s.check("flag off: flag_is_active is False even for a listed staff user", answers == [False], str(answers))

    s.w(db, "--yes", "flag", "delete", "direct.flag")
    flags = parse_flag_list(s.manage(db, "waffle_flag", "-l").stdout)
    s.check("flag delete: gone from waffle_flag -l", "direct.flag" not in flags, str(flags))

    s.w(db, "switch", "create", "direct.switch", "--off")
    sw = parse_pairs(s.manage(db, "waffle_switch", "-l").stdout)
    s.check("switch create --off: waffle_switch -l says off", sw.get("direct.switch") == "off", str(sw))
    s.w(db, "switch", "on", "direct.switch")
    sw = parse_pairs(s.manage(db, "waffle_switch", "-l").stdout)
    s.check("switch on: waffle_switch -l says on", sw.get("direct.switch") == "on", str(sw))

    s.w(db, "sample", "create", "direct.sample", "33")
    s.w(db, "sample", "set", "direct.sample", "12.5")
    sm = parse_pairs(s.manage(db, "waffle_sample", "-l").stdout)
    s.check("sample set: waffle_sample -l says 12.5%", sm.get("direct.sample") == "12.5%", str(sm))

    users = s.oracle(db, "users")
    s.check("user add: Django sees alice in beta, with an unusable password",
            users.get("alice", {}).get("groups") == ["beta"]
            and users.get("alice", {}).get("usable_password") is False, str(users.get("alice")))
    s.check("user add --staff --email: Django sees them",
            users.get("bob", {}).get("is_staff") is True
            and users.get("bob", {}).get("email") == "bob@example.com", str(users.get("bob")))

    # Django's own writes are read back by wafflectl.
    s.manage(db, "waffle_flag", "django.made", "--create", "--everyone", "--percent", "47")
    p = s.w(db, "flag", "show", "django.made", "--json", check=False)
    got = json.loads(p.stdout) if p.returncode == 0 else {}
    s.check("a flag written by manage.py waffle_flag is read by wafflectl",
            got.get("everyone") is True and got.get("percent") == 47.0, p.stdout + p.stderr)


# --------------------------------------------------------------------------------------------
# Fixtures round-trip
# --------------------------------------------------------------------------------------------

MODELS = ["waffle", "auth.user", "auth.group", "waffle_utils", "experiments"]


def canonical(objects):
    """Objects without pks, M2M lists sorted, as sorted JSON strings.

    A time whose microseconds are 1 to 999 dumps as '...:55.000Z' (Django's encoder writes
    milliseconds whenever the microseconds are not zero), loads back with none and then dumps as
    '...:55Z': Django's own dumpdata -> loaddata -> dumpdata changes it so. Both spellings name
    the same instant at the fixture's precision, so they compare equal here."""
    out = []
    for o in objects:
        fields = dict(o["fields"])
        for k, v in fields.items():
            if isinstance(v, list):
                fields[k] = sorted(v, key=json.dumps)
            elif isinstance(v, str) and v.endswith(".000Z") and len(v) == 24 and v[10] == "T":
                fields[k] = v[:-5] + "Z"
        out.append(json.dumps({"model": o["model"], "fields": fields}, sort_keys=True))
    return sorted(out)


def load_fixture(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_fixtures_round_trip(s):
    a = s.django_db("fixture-a.sqlite3")
    s.oracle(a, "seed")
    dumps = {}
    for name, opts in {
        "natural": ["--natural-foreign", "--natural-primary", "--indent", "2"],
        "pks": [],
        "pks-indented": ["--indent", "4"],
        "jsonl": ["--format", "jsonl", "--natural-foreign"],
    }.items():
        path = os.path.join(s.tmp, f"dump-{name}.json")
        s.manage(a, "dumpdata", *MODELS, *opts, "-o", path)
        dumps[name] = path
    original = canonical(load_fixture(dumps["natural"]))
    s.check("the seeded database has objects of every model",
            len({json.loads(o)["model"] for o in original}) == 9, str({json.loads(o)["model"] for o in original}))
    # What the source database answers, asked now: on a server the stores below replace it.
    flags = ["new_dashboard", "course_experience.relative_dates", "legacy.off", "i18n.banner"]
    people = ["alice", "bob", "carol", "root", "gone", None]
    queries = [{"kind": "flag", "name": f, "user": u, "language": lang}
               for f in flags for u in people for lang in [None, "de"]]
    answers = s.oracle(a, "eval", queries)

    native = {}
    # natural last: its store is the one the checks below go on with.
    for name in ["pks", "pks-indented", "jsonl", "natural"]:
        w = s.store(f"w-{name}.db")
        s.w(w, "init")
        p = s.w(w, "import", "--format", "django", dumps[name], check=False)
        s.check(f"wafflectl imports dumpdata output ({name})", p.returncode == 0, p.stderr.strip())
        native[name] = s.w(w, "export").stdout
    s.check("every dumpdata layout (natural keys, pks, indented, JSON lines) imports to the same store",
            all(v == native["natural"] for v in native.values()),
            "native exports differ: " + ", ".join(k for k, v in native.items() if v != native["natural"]))

    p = s.w(w, "import", "--format", "django", dumps["natural"])
    s.check("importing the same dump twice changes nothing", "unchanged" in p.stderr, p.stderr.strip())
    exported = os.path.join(s.tmp, "exported.json")
    s.w(w, "export", "--format", "django", "-o", exported)

    # The use case end to end: a production dump imported into a local store answers questions
    # about its real users as the production database does.
    decided = 0
    for q, want in zip(queries, answers):
        args = ["eval", q["name"], "--json"] + (["--user", q["user"]] if q["user"] else ["--anonymous"])
        args += ["--language", q["language"]] if q["language"] else []
        p = s.w(w, *args, check=False)
        got = json.loads(p.stdout).get("active") if p.returncode == 0 else p.stderr.strip()
        if got is None:
            continue  # a percent roll: random in django-waffle too
        decided += 1
        s.check(f"imported dump: eval {q['name']} for {q['user'] or 'anonymous'}"
                + (f" ({q['language']})" if q["language"] else "") + " agrees with the source database",
                got == want, f"django-waffle: {want}, wafflectl: {got}")
    s.check(f"imported dump: most pairs are decided (got {decided} of {len(queries)})",
            decided >= len(queries) // 2)

    b = s.django_db("fixture-b.sqlite3")
    p = s.manage(b, "loaddata", exported, check=False)
    s.check("manage.py loaddata accepts wafflectl's fixture", p.returncode == 0, p.stdout + p.stderr)
    again = os.path.join(s.tmp, "dump-b.json")
    s.manage(b, "dumpdata", *MODELS, "--natural-foreign", "--natural-primary", "--indent", "2", "-o", again)
    reloaded = canonical(load_fixture(again))
    missing = [o for o in original if o not in reloaded]
    extra = [o for o in reloaded if o not in original]
    s.check("dumpdata -> import -> export -> loaddata -> dumpdata gives the same objects",
            not missing and not extra,
            f"missing after the round trip: {missing[:3]}\n        extra: {extra[:3]}")
    ours = canonical(load_fixture(exported))
    s.check("wafflectl's export holds exactly the objects dumpdata wrote", ours == original,
            f"differences: {sorted(set(ours) ^ set(original))[:3]}")
    with open(exported, encoding="utf-8") as f:
        ours_text = f.read()
    with open(again, encoding="utf-8") as f:
        theirs_text = f.read()
    def texts(t):
        body = t.strip().removeprefix("[").removesuffix("]").strip()
        return sorted(o.removesuffix("\n}") for o in body.split("\n},\n"))
    diff = sorted(set(texts(ours_text)) ^ set(texts(theirs_text)))
    s.check("each object of wafflectl's export is byte-identical to dumpdata --natural-foreign "
            "--natural-primary --indent 2 of the reloaded database", not diff,
            "differing objects:\n" + "\n".join(diff[:4]))

    users = s.oracle(b, "users")
    s.check("passwords survive the round trip (alice can still log in)",
            users.get("alice", {}).get("usable_password") is True
            and users.get("carol", {}).get("usable_password") is False, str(users))


# --------------------------------------------------------------------------------------------
# raw rows (issue 11 item 4): rows written by hand, read as Django's ORM reads them
# --------------------------------------------------------------------------------------------

RAW_FLAG = "raw.flag"
# (key, [(change_date, enabled as an SQL literal, choice), ...]) inserted in this order.
RAW_COURSE_ROWS = [
    # equal change_date: edX's query returns the lowest id on SQLite
    ("course-v1:raw+tie+1", [("2020-01-01 00:00:00", "1", "on"), ("2020-01-01 00:00:00", "1", "off"),
                             ("2020-01-01 00:00:00", "0", "off")]),
    ("course-v1:raw+tie+2", [("2020-01-01 00:00:00", "0", "on"), ("2020-01-01 00:00:00", "1", "off")]),
    # text comparison: a `T` sorts after a space, an offset is not applied
    ("course-v1:raw+T+1", [("2020-01-01 00:00:01", "1", "on"), ("2020-01-01T00:00:00", "1", "off")]),
    ("course-v1:raw+off+1", [("2020-01-01 06:00:00", "1", "off"), ("2020-01-01 10:00:00+05:00", "1", "on")]),
    ("course-v1:raw+Z+1", [("2020-01-01 00:00:00", "1", "off"), ("2020-01-01 00:00:00Z", "1", "on")]),
    ("course-v1:raw+frac+1", [("2020-01-01 00:00:00.5", "1", "off"), ("2020-01-01 00:00:00.500000", "1", "on")]),
] + [
    # enabled values other than 0/1
    (f"course-v1:raw+en+{i}", [("2020-01-01 00:00:00", lit, "on")])
    for i, lit in enumerate(["1", "'1'", "' 1'", "x'31'", "2", "-1", "0.5", "1.5", "'true'", "'True'",
                             "'t'", "'yes'", "'on'", "''", "x''", "x'00'", "0", "'0'"])
]
# change_date text in the forms Django's parse_datetime reads (and some it does not)
RAW_DATES = ["2020-03-05 10:00:00", "2020-03-05 10:00:00.5", "2020-03-05T10:00:00.123456",
             "2020-03-05", "20200305", "2020-03-05T10", "2020-03-05 10:00", "2020-03-05T1000",
             "20200305T100000", "2020-03-05T10:00:00,5", "2020-03-05T10:00:00.1234567",
             "2020-03-05T10:00:00+05:00", "2020-03-05T10:00:00-0130", "2020-03-05T10:00:00+05",
             "2020-03-05 10:00:00Z", "2020-03-05 10:00:00 +05:00", "2020-3-5 10:00",
             "2020-3-5 9:7:6.5 -02", "2020-03-05x10:00", "2020-03-05 10:00:00.1234567 Z",
             "not a date", "2020-13-01 00:00:00", "2020-02-30", "March 5 2020",
             # fromisoformat's ISO week dates (Python 3.11), with times and zones
             "2020-W10-4", "2020W104", "2020-W10", "2020W10", "2020-W10-4T10:00", "2020W104T10:00:00",
             "2020-W10-4 10:00:00+05:00", "2020W104T1000", "2020-W53-1", "2021-W53-1", "2020-W01-1",
             "2020-W00-1", "2020-W10-0", "2020-W10-8", "2020-w10-4", "2020-W1-4", "2020W10-4", "2020-W104",
             "2020-W10-4T10", "2020W10T10:00", "2020-W10T10:00", "0001-W01-1", "9999-W52-7", "0000-W01-1",
             "2020-W10-4T10:00:00.5Z", "2020-W10-04", "2020W1041000", "2020W104100000", "2020-W10-4T24:00",
             "2020-W10-4T", "2019-W01-1",
             # any one character separates date and time (non-ASCII too); the rest is ASCII
             "2020-03-05\u00e910:00", "2020-03-05\u20ac10:00", "20200305\U0001F600T10:00", "2020-W10-4\u00e910",
             "2020-03-05\u00e9", "2020-03-05 10:00\u00e9", "0000-01-01 00:00:00",
             # Django's pattern with Unicode decimal digits (and Python's whitespace, `$`)
             "\uff12\uff10\uff12\uff10-\uff10\uff13-\uff10\uff15 \uff11\uff10:\uff10\uff10",
             "\u0662\u0660\u0662\u0660-\u0663-\u0665 \u0661\u0660:\u0660\u0660:\u0660\u0665.\u0665",
             "2020-03-05 10:00:00.\u0661\u0662 +\u0660\u0665:\u0663\u0660", "\u096820-03-05T10:00 Z",
             "2020-03-05 10:00\n", "2020-03-05 10:00Z\n", "2020-03-05 10:00Z\n\n", "2020-03-05 10:00 \x1c",
             "2020-03-05 10:00\u3000-0130", "2020-03-05 10:00 +05:", "2020-03-05 10:00 +0530",
             "\uff12\uff10\uff12\uff10-\uff11\uff13-\uff10\uff15 10:00", "2020-3-5 10:00:00.1234567890123"]
# Rows written by hand, past wafflectl and Django: the SQL literals of a row's odd columns go in
# its statement, its name and the rest are parameters (`more`: those of `?` literals).
def raw_flag(name, everyone="NULL", percent="NULL", authenticated="0", more=()):
    return ("INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated,"
            f" languages, rollout, note, created, modified) VALUES (?, {everyone}, {percent}, 0, 0, 0,"
            f" {authenticated}, '', 0, '', '2020-01-01 00:00:00', '2020-01-01 00:00:00')", (name, *more))


def raw_sample(name, percent):
    return (f"INSERT INTO waffle_sample (name, percent, note, created, modified) VALUES (?, {percent}, '',"
            " '2020-01-01 00:00:00', '2020-01-01 00:00:00')", (name,))


def raw_course_override(date, key, choice="on", enabled="1"):
    return ("INSERT INTO waffle_utils_waffleflagcourseoverridemodel (change_date, enabled, waffle_flag,"
            f" course_id, override_choice, note, changed_by_id) VALUES (?, {enabled}, ?, ?, ?, '', NULL)",
            (date, RAW_FLAG, key, choice))


def write_raw(db, rows):
    """Runs each (statement, parameters) of rows on db in one transaction."""
    c = sqlite3.connect(db)
    try:
        for sql, params in rows:
            c.execute(sql, params)
        c.commit()
    finally:
        c.close()


# waffle_flag booleans by hand: (everyone, authenticated) SQL literals
RAW_FLAGS = [("NULL", "1"), ("2", "1"), ("'true'", "1"), ("''", "1"), ("x'31'", "0"), ("NULL", "2"),
             ("NULL", "'t'"), ("1", "0"), ("'1'", "0")]


def test_raw_rows_read_as_django_reads_them(s):
    db = s.django_db("raw.sqlite3")
    s.w(db, "init")
    s.w(db, "user", "add", "u")
    s.w(db, "flag", "create", RAW_FLAG, "--everyone", "off")
    write_raw(db, [raw_course_override(date, key, choice, enabled)
                   for key, rows in RAW_COURSE_ROWS for date, enabled, choice in rows]
              + [raw_flag(f"raw.bool{i}", everyone=everyone, authenticated=auth)
                 for i, (everyone, auth) in enumerate(RAW_FLAGS)])

    keys = [k for k, _ in RAW_COURSE_ROWS]
    django = s.oracle(db, "overrides", [{"scope": "course", "flag": RAW_FLAG, "key": k} for k in keys])
    listed = {r["course_id"]: r for r in json.loads(s.w(db, "--json", "override", "list", RAW_FLAG).stdout)}
    for key, d in zip(keys, django):
        w = listed.get(key)
        in_force = d["choice"] in ("on", "off")
        same_row = (w is None) if not in_force else (
            w is not None and w["id"] == d["id"] and w["choice"] == d["choice"]
            and w["changed"] == d["change_date"])
        s.check(f"override list shows the row edX's query returns for {key}", same_row,
                f"django {d}, wafflectl {w}")
        ev = json.loads(s.w(db, "--json", "eval", RAW_FLAG, "--user", "u", "--course", key).stdout)
        s.check(f"eval of the override of {key} is edX's ({d['choice']}, enabled {d.get('enabled_repr')})",
                ev["active"] == (d["choice"] == "on"), f"django {d}, wafflectl {ev['active']}")
        # `--buckets 2`: bucket checks the flag as an (unregistered) experiment's main flag.
        b = json.loads(s.w(db, "--json", "bucket", RAW_FLAG, "--user", "u", "--course", key,
                           "--buckets", "2").stdout)
        s.check(f"bucket's main flag for {key} is edX's",
                (b["stage"] != "main_flag_off") == (d["choice"] == "on"), f"django {d}, wafflectl {b}")

    # change_date forms: the instant shown is the one Django reads (text it cannot read as stored)
    db2 = s.django_db("raw-dates.sqlite3")
    s.w(db2, "init")
    write_raw(db2, [raw_course_override(date, f"course-v1:raw+date+{i}") for i, date in enumerate(RAW_DATES)])
    django = s.oracle(db2, "overrides", [{"scope": "course", "flag": RAW_FLAG, "key": f"course-v1:raw+date+{i}"}
                                         for i in range(len(RAW_DATES))])
    listed = {r["course_id"]: r for r in json.loads(s.w(db2, "--json", "override", "list", RAW_FLAG).stdout)}
    for i, (date, d) in enumerate(zip(RAW_DATES, django)):
        w = listed.get(f"course-v1:raw+date+{i}", {})
        want = d.get("change_date") or date  # unreadable to Django: wafflectl shows the text
        s.check(f"change_date {date!r} reads as Django reads it ({d.get('change_date') or d.get('error')})",
                w.get("changed") == want, f"django {d}, wafflectl {w.get('changed')}")

    # decimals: a REAL percent reads rounded as Django rounds it (15 digits, then half to even)
    reals = [12.25, 12.35, 0.05, 0.15, 33.333, 99.94, 7, 12.5]
    write_raw(db, [raw_flag(f"raw.pct{i}", percent="?", more=(p,)) for i, p in enumerate(reals)])
    want = s.oracle(db, "percents", [f"raw.pct{i}" for i in range(len(reals))])
    for i, (p, d) in enumerate(zip(reals, want)):
        got = json.loads(s.w(db, "--json", "flag", "show", f"raw.pct{i}").stdout)["percent"]
        s.check(f"a stored percent {p!r} reads as Django reads it ({d})",
                got is not None and f"{got:.1f}" == d, f"django {d}, wafflectl {got}")

    # percents Django cannot read: every read of the row raises, so the LMS fails
    bad = ["100", "-100", "99.95", "-99.96", "999", "1e308", "9223372036854775807", "'abc'", "''",
           "x'3235'", "x''", "'NaN'", "99.94", "-1", "'25'", "' 25'", "'1e1'"]
    write_raw(db, [raw_flag(f"raw.bad{i}", percent=lit) for i, lit in enumerate(bad)])
    want = s.oracle(db, "percents", [f"raw.bad{i}" for i in range(len(bad))])
    for i, (lit, d) in enumerate(zip(bad, want)):
        shown = json.loads(s.w(db, "--json", "flag", "show", f"raw.bad{i}").stdout)
        raises = d.startswith("error")
        ok = ("percent_unreadable" in shown) == raises
        if not raises:
            ok = ok and shown["percent"] is not None and f"{shown['percent']:.1f}" == d
        s.check(f"a stored percent {lit} is {'unreadable' if raises else 'read'} as Django reads it ({d})",
                ok, f"django {d}, wafflectl {shown.get('percent_unreadable') or shown.get('percent')}")
        if raises:
            ev = json.loads(s.w(db, "--json", "eval", f"raw.bad{i}", "--user", "u").stdout)
            s.check(f"eval of a flag with percent {lit}: the LMS fails", ev["active"] is None
                    and "server error" in ev.get("server_error", ""), str(ev))
            b = s.w(db, "bucket", f"raw.bad{i}", "--user", "u", "--buckets", "2", check=False)
            s.check(f"bucket with a main flag percent {lit}: exit 1 naming the flag",
                    b.returncode == 1 and f"raw.bad{i}" in b.stderr, b.stderr)

    sbad = ["1000", "999", "150", "-999.9", "99.96", "1e20", "'abc'", "x'3130'", "100", "'25'"]
    write_raw(db, [raw_sample(f"raw.sbad{i}", lit) for i, lit in enumerate(sbad)])
    want = s.oracle(db, "sample_percents", [f"raw.sbad{i}" for i in range(len(sbad))])
    for i, (lit, d) in enumerate(zip(sbad, want)):
        shown = json.loads(s.w(db, "--json", "sample", "show", f"raw.sbad{i}").stdout)
        raises = d.startswith("error")
        ok = ("percent_unreadable" in shown) == raises and (raises or f"{shown['percent']:.1f}" == d)
        s.check(f"a stored sample percent {lit} is {'unreadable' if raises else 'read'} as Django reads it ({d})",
                ok, f"django {d}, wafflectl {shown.get('percent_unreadable') or shown.get('percent')}")
        if raises:
            ev = json.loads(s.w(db, "--json", "eval", f"raw.sbad{i}").stdout)
            s.check(f"eval of a sample with percent {lit}: the LMS fails", ev["active"] is None
                    and "server error" in ev.get("server_error", ""), str(ev))

    names = [f"raw.bool{i}" for i in range(len(RAW_FLAGS))]
    answers = s.oracle(db, "eval", [{"kind": "flag", "name": n, "user": "u"} for n in names])
    for n, lit, want in zip(names, RAW_FLAGS, answers):
        ev = json.loads(s.w(db, "--json", "eval", n, "--user", "u").stdout)
        s.check(f"eval of a flag stored with everyone={lit[0]}, authenticated={lit[1]} is django-waffle's",
                ev["active"] == want, f"django {want}, wafflectl {ev['active']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="the wafflectl binary")
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    ap.add_argument("-k", help="run only tests whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--backend", choices=harness.BACKENDS, default="sqlite",
                    help="where the Django databases are: SQLite files (default), or the test "
                         "server's database ($WAFFLECTL_TEST_MYSQL_URL, $WAFFLECTL_TEST_PG_URL)")
    args = ap.parse_args()
    try:
        s = Suite(os.path.abspath(args.bin), args.verbose, args.backend)
    except RuntimeError as e:
        print(f"conformance: {e}\n0 passed, 1 failed")
        sys.exit(1)
    tests = harness.named_tests(globals(), args.k)
    if s.server:
        print(f"backend {args.backend}: {harness.shown(s.server.url)}")
        for name, _ in tests:
            if name in SQLITE_ONLY:
                print(f"not run on {args.backend}: {name} (SQLite files only)")
        tests = harness.on_server([(n, t) for n, t in tests if n not in SQLITE_ONLY])
    harness.run_tests(s, tests, keep=args.keep)


if __name__ == "__main__":
    main()
