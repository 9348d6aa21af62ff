//! The command line and `import` accept exactly the same values: random names, keys,
//! organisations, usernames and numbers (edge and hostile ones among them: empty, 255/256
//! characters, control characters, Unicode, `+`, `/`, `.`, whitespace, huge and negative
//! numbers) are each given to the real binary twice, typed on the command line and written in
//! a file that `import` reads. Both accept and store the same thing, or both refuse (exit 2,
//! one `error:` line, the store untouched).
//!
//! A new seed each run, printed when a check fails; `RULES_SEED=N` replays one.

use crate::common;

use std::collections::BTreeSet;

use common::Env;
use serde_json::{Value, json};

/// xorshift64*: small, seeded, enough to pick values.
struct Rng(u64);

impl Rng {
    fn seeded() -> (Rng, u64) {
        let seed = match std::env::var("RULES_SEED") {
            Ok(s) => s.parse().expect("RULES_SEED is a number"),
            Err(_) => {
                let t = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1);
                t ^ u64::from(std::process::id()).rotate_left(32)
            }
        };
        (Rng(seed | 1), seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Pieces names are made of: the characters the rules are about, and ordinary ones.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "7",
    "_",
    "-",
    ".",
    "+",
    "/",
    "~",
    "%",
    ":",
    " ",
    "\t",
    "\n",
    "\u{1}",
    "\u{7f}",
    "é",
    "ß",
    "\u{3000}",
    "\u{85}",
    "用",
    "😀",
    "edX",
    "ns.",
    "course-v1:",
    "exp",
];

/// A random name: mostly pieces, sometimes an exact edge length, sometimes namespaced.
fn name(rng: &mut Rng) -> String {
    let lengths = [0usize, 1, 99, 100, 101, 137, 149, 150, 151, 254, 255, 256];
    match rng.below(6) {
        0 => {
            let n = *rng.pick(&lengths);
            let c = *rng.pick(&["a", "é", "用"]);
            c.repeat(n)
        }
        1 => {
            let n = *rng.pick(&lengths);
            format!("ns.{}", "b".repeat(n.saturating_sub(3)))
        }
        _ => {
            let k = 1 + rng.below(10);
            (0..k).map(|_| *rng.pick(PIECES)).collect()
        }
    }
}

/// `n` distinct names (a repeat would be refused by the command line as "already exists").
fn names(rng: &mut Rng, n: usize, extra: &[&str]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for e in extra {
        if seen.insert(e.to_string()) {
            out.push(e.to_string());
        }
    }
    while out.len() < n + extra.len() {
        let v = name(rng);
        if seen.insert(v.clone()) {
            out.push(v);
        }
    }
    out
}

/// Whole numbers around every range the rules have.
fn numbers(rng: &mut Rng, n: usize) -> Vec<i64> {
    let edges = [
        -1,
        0,
        1,
        2,
        32767,
        32768,
        4_294_967_294,
        4_294_967_295,
        4_294_967_296,
        i64::MAX,
        i64::MIN,
        -4_294_967_295,
    ];
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let v = match rng.below(3) {
            0 => *rng.pick(&edges),
            1 => (rng.next() % 70_000) as i64 - 1000,
            _ => rng.next() as i64,
        };
        if seen.insert(v) {
            out.push(v);
        }
    }
    out
}

/// Percents as text, good and bad.
fn percents(rng: &mut Rng, n: usize) -> Vec<String> {
    let fixed = [
        "0",
        "99.9",
        "100",
        "100.0",
        "100.1",
        "12.5",
        "12.50",
        "-1",
        "-0",
        "1e2",
        " 5 ",
        "abc",
        "",
        "5.",
        ".5",
        "007",
        "99.95",
        "0.0",
        "1234567890123456789012",
        "50.5",
        "+5",
        "٣",
    ];
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let v = if rng.below(2) == 0 {
            rng.pick(&fixed).to_string()
        } else {
            let whole = rng.below(120);
            match rng.below(3) {
                0 => whole.to_string(),
                1 => format!("{whole}.{}", rng.below(10)),
                _ => format!("{whole}.{:02}", rng.below(100)),
            }
        };
        if seen.insert(v.clone()) {
            out.push(v);
        }
    }
    out
}

/// What one check is about, for failure messages.
struct Ctx {
    seed: u64,
    what: &'static str,
}

impl Ctx {
    fn fail(&self, value: &str, why: &str) -> ! {
        panic!(
            "{} {value:?}: {why}\n(replay with RULES_SEED={})",
            self.what, self.seed
        )
    }
}

/// Values with their place in the list (names made from the place stay apart).
type Items<'a> = [(usize, &'a str)];

/// One value's path through both doors: `cli(i, v)` is the command line that types it (run on
/// one store, value after value), `file(items)` an import file holding the accepted ones (or
/// one refused one), `stored` what the store then holds.
struct Door<'a> {
    cli: &'a dyn Fn(usize, &str) -> Vec<String>,
    file: &'a dyn Fn(&Items<'_>) -> String,
    format: &'a str,
    stored: &'a dyn Fn(&Env) -> BTreeSet<String>,
}

/// Runs every value through both doors and compares. Returns the values the command line
/// accepted.
fn both_doors(ctx: &Ctx, values: &[String], door: &Door<'_>) -> Vec<String> {
    let typed = Env::new();
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let run = typed.run(&(door.cli)(i, v));
        match run.code {
            0 => accepted.push((i, v.as_str())),
            2 => refused.push((i, v.as_str())),
            c => ctx.fail(v, &format!("the command line exited {c}: {}", run.stderr)),
        }
    }
    // The accepted ones, in one file: import takes them all and stores what the command
    // line stored.
    let imported = Env::new();
    if !accepted.is_empty() {
        imported.write("all.json", &(door.file)(&accepted));
        let run = imported.run(&["import", "all.json", "--format", door.format, "--yes"]);
        if run.code != 0 {
            ctx.fail(
                &format!("{:?}", accepted.iter().map(|a| a.1).collect::<Vec<_>>()),
                &format!(
                    "the command line accepted these, import refused (exit {}): {}",
                    run.code, run.stderr
                ),
            );
        }
    }
    let (a, b) = ((door.stored)(&typed), (door.stored)(&imported));
    if a != b {
        ctx.fail(
            "(all accepted)",
            &format!("the command line stored {a:?}, import stored {b:?}"),
        );
    }
    // Each refused one alone: import refuses it too, in one line, and writes nothing.
    for &(i, v) in &refused {
        imported.write("one.json", &(door.file)(&[(i, v)]));
        let before = imported.bytes();
        let run = imported.run(&["import", "one.json", "--format", door.format, "--yes"]);
        if run.code != 2 {
            ctx.fail(
                v,
                &format!(
                    "the command line refused it, import exited {}: {}{}",
                    run.code, run.stdout, run.stderr
                ),
            );
        }
        let lines: Vec<&str> = run.stderr.lines().collect();
        if lines.is_empty()
            || !lines[0].starts_with("error: ")
            || lines.len() > 2
            || (lines.len() == 2 && !lines[1].starts_with("hint: "))
        {
            ctx.fail(
                v,
                &format!("import's refusal is not one line: {:?}", run.stderr),
            );
        }
        if imported.bytes() != before {
            ctx.fail(v, "import refused it but changed the store");
        }
    }
    accepted.into_iter().map(|a| a.1.to_string()).collect()
}

fn column(env: &Env, sql: &str) -> BTreeSet<String> {
    env.all::<String>(sql).into_iter().collect()
}

/// A native file whose list `key` holds `one(place, value)` for each item.
fn native(key: &str, items: &Items<'_>, one: impl Fn(usize, &str) -> Value) -> String {
    let mut doc = json!({"version": 1});
    doc[key] = items.iter().map(|&(i, v)| one(i, v)).collect();
    doc.to_string()
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A rule checked through a command line that takes the value last and a native list.
struct Simple {
    what: &'static str,
    /// Values always tried (the ones the two doors used to disagree on; the edX name of 137
    /// characters among them).
    extra: &'static [&'static str],
    cli: fn(&str) -> Vec<String>,
    list: &'static str,
    item: fn(&str) -> Value,
    sql: &'static str,
}

const SIMPLE: &[Simple] = &[
    Simple {
        what: "edX experiment name",
        extra: &[
            "kW5CDS41WDWjVMQ",
            "a.b",
            ".ab",
            "ab.",
            "ns.abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd",
        ],
        cli: |v| args(&["experiment", "create", "--buckets", "3", "--", v]),
        list: "experiments",
        item: |v| json!({"name": v, "num_buckets": 3}),
        sql: "SELECT name FROM wafflectl_experiment",
    },
    Simple {
        what: "organisation",
        extra: &["edX", "edX+DemoX", "a/b", "a b"],
        cli: |v| args(&["override", "set", &format!("--org={v}"), "--", "f", "on"]),
        list: "overrides",
        item: |v| json!({"flag": "f", "org": v, "choice": "on"}),
        sql: "SELECT org FROM waffle_utils_waffleflagorgoverridemodel",
    },
    Simple {
        what: "key-value key",
        extra: &["owner", " ", "a\u{1}b"],
        cli: |v| args(&["experiment", "kv", "set", "--", "5", v, "x"]),
        list: "key_values",
        item: |v| json!({"experiment_id": 5, "key": v, "value": "x"}),
        sql: "SELECT key FROM experiments_experimentkeyvalue",
    },
    Simple {
        what: "username",
        extra: &["alice", "a\u{1}b", "a b"],
        cli: |v| args(&["user", "add", "--", v]),
        list: "users",
        item: |v| json!({"username": v}),
        sql: "SELECT username FROM auth_user",
    },
    Simple {
        what: "flag name",
        extra: &[],
        cli: |v| args(&["flag", "create", "--", v]),
        list: "flags",
        item: |v| json!({"name": v}),
        sql: "SELECT name FROM waffle_flag",
    },
];

#[test]
fn command_line_and_import_accept_the_same_values() {
    let (mut rng, seed) = Rng::seeded();
    eprintln!("RULES_SEED={seed}");

    // Values typed as a command line's last argument, or given as one item of a native
    // file's list; a column of the store tells what each kept.
    let mut usernames = (Vec::new(), Vec::new());
    for s in SIMPLE {
        let ctx = Ctx { seed, what: s.what };
        let values = names(&mut rng, 20, s.extra);
        let accepted = both_doors(
            &ctx,
            &values,
            &Door {
                cli: &|_, v| (s.cli)(v),
                file: &|items| native(s.list, items, |_, v| (s.item)(v)),
                format: "native",
                stored: &|env| column(env, s.sql),
            },
        );
        if s.what == "username" {
            usernames = (values, accepted);
        }
    }

    // Bulk bucketing skips exactly the usernames `user add` refuses.
    let ctx = Ctx {
        seed,
        what: "username",
    };
    let (values, accepted) = usernames;
    // A line is one name when it has no line break and no surrounding blanks to trim.
    let lines: Vec<&String> = values
        .iter()
        .filter(|v| !v.is_empty() && v.trim() == v.as_str() && !v.contains(['\n', '\r']))
        .collect();
    let input: String = lines.iter().map(|v| format!("{v}\n")).collect();
    let env = Env::new();
    let run = env.run_with_input("bucket t.x --buckets 2 --users-file -", &input);
    if run.code != 0 {
        ctx.fail(
            &input,
            &format!("bulk bucketing exited {}: {}", run.code, run.stderr),
        );
    }
    let bucketed: BTreeSet<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.rsplit_once('\t').map(|p| p.0))
        .collect();
    let want: BTreeSet<&str> = lines
        .iter()
        .map(|v| v.as_str())
        .filter(|v| accepted.iter().any(|a| a == v))
        .collect();
    if bucketed != want {
        ctx.fail(
            &input,
            &format!("bulk bucketed {bucketed:?}, user add accepts {want:?}"),
        );
    }

    // Baseplate experiment keys (no namespace: real files use `r2_test`).
    let ctx = Ctx {
        seed,
        what: "baseplate experiment key",
    };
    let values = names(&mut rng, 14, &["r2_test", &"k".repeat(137)]);
    let config = |i: usize, key: &str| {
        json!({"id": 100 + i, "name": key, "owner": "o", "type": "r2", "version": "1",
               "start_ts": 0, "stop_ts": 4102444800u64, "enabled": true,
               "experiment": {"variants": {"treat": 10, "control": 10}}})
    };
    both_doors(
        &ctx,
        &values,
        &Door {
            cli: &|i, v| {
                let id = (100 + i).to_string();
                args(&[
                    "experiment",
                    "create",
                    "--type",
                    "r2",
                    "--id",
                    &id,
                    "--owner",
                    "o",
                    "--variant",
                    "treat=10",
                    "--variant",
                    "control=10",
                    "--",
                    v,
                ])
            },
            file: &|items| {
                let mut doc = serde_json::Map::new();
                for &(i, v) in items {
                    doc.insert(v.to_string(), config(i, v));
                }
                Value::Object(doc).to_string()
            },
            format: "baseplate",
            stored: &|env| column(env, "SELECT key FROM wafflectl_baseplate"),
        },
    );

    // Bucket counts and experiment IDs, as JSON numbers in the file.
    for (what, option, field) in [
        ("bucket count", "--buckets", "num_buckets"),
        ("experiment ID", "--id", "experiment_id"),
    ] {
        let ctx = Ctx { seed, what };
        let values: Vec<String> = numbers(&mut rng, 14).iter().map(i64::to_string).collect();
        both_doors(
            &ctx,
            &values,
            &Door {
                cli: &|i, v| {
                    args(&[
                        "experiment",
                        "create",
                        &format!("{option}={v}"),
                        "--",
                        &format!("e.n{i}"),
                    ])
                },
                file: &|items| {
                    native("experiments", items, |i, v| {
                        let mut e = json!({"name": format!("e.n{i}")});
                        e[field] = json!(v.parse::<i64>().unwrap());
                        e
                    })
                },
                format: "native",
                stored: &|env| {
                    column(
                        env,
                        "SELECT name || ' ' || num_buckets || ' ' || ifnull(experiment_id, '-') FROM wafflectl_experiment",
                    )
                },
            },
        );
    }

    // Percents of flags and samples, as text in the file.
    for (what, kind) in [("flag percent", "flags"), ("sample percent", "samples")] {
        let ctx = Ctx { seed, what };
        let values = percents(&mut rng, 16);
        let table = if kind == "flags" {
            "waffle_flag"
        } else {
            "waffle_sample"
        };
        let sql = format!(
            "SELECT name || ' ' || ifnull(CAST(round(percent * 10) AS INTEGER), '-') FROM {table}"
        );
        both_doors(
            &ctx,
            &values,
            &Door {
                cli: &|i, v| {
                    let name = format!("p{i}");
                    if kind == "flags" {
                        args(&["flag", "create", &format!("--percent={v}"), "--", &name])
                    } else {
                        args(&["sample", "create", "--", &name, v])
                    }
                },
                file: &|items| {
                    native(
                        kind,
                        items,
                        |i, v| json!({"name": format!("p{i}"), "percent": v}),
                    )
                },
                format: "native",
                stored: &|env| column(env, &sql),
            },
        );
    }
}
