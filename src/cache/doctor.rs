//! `doctor --cache`: reads the django-waffle keys of every flag, switch and sample (those in the
//! store, and those the audit log knows were deleted) from the site's cache, decodes the pickled
//! values and reports the ones that disagree with the store: the values a running site serves
//! until they expire.

use std::collections::{BTreeSet, HashMap};

use super::pickle::{self, Decoded, Val};
use super::{Cache, Conn, KeySettings};
use crate::engine::waffle::percent_text;
use crate::error::Result;
use crate::store::Store;
use crate::store::admin_log::{audited_names, flag_member_ids};
use crate::store::toggles::{django_tenths, list_flags, list_samples, list_switches};
use crate::types::CacheProtocol as Protocol;

/// How bad a finding of `doctor` is.
#[derive(Debug, serde::Serialize, PartialEq, Eq, Clone, Copy, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Level {
    Ok,
    Warning,
    Error,
}

/// One finding of `doctor`: the store's (made in `commands/doctor.rs`) and the cache's (here).
#[derive(Debug, serde::Serialize)]
pub struct Finding {
    pub(crate) check: String,
    pub(crate) level: Level,
    pub(crate) detail: String,
}

/// The fields of a flag django-waffle decides with, as the store has them.
#[derive(Debug, Clone, PartialEq)]
struct FlagState {
    everyone: Option<bool>,
    percent: Option<i32>,
    testing: bool,
    superusers: bool,
    staff: bool,
    authenticated: bool,
    languages: String,
    rollout: bool,
}

/// What the store says a key should hold.
enum Want {
    /// No such object: only `'-'` (known missing) is right.
    Missing,
    Flag(FlagState),
    Switch(bool),
    Sample(i32),
    Ids(BTreeSet<i64>),
    All(BTreeSet<String>),
}

/// A value as the cache returned it.
enum Got {
    Text(String),
    Pickle(Decoded),
    Other(String),
}

/// A cached percent in tenths, rounded as Django reads the column (half to even).
fn tenths(text: &str) -> Option<i32> {
    text.trim().parse::<f64>().ok().and_then(django_tenths)
}

fn show_percent(t: Option<i32>) -> String {
    t.map(percent_text).unwrap_or_else(|| "null".into())
}

/// Reads a model instance's fields out of its pickle.
fn field(d: &Decoded, state: &HashMap<String, usize>, name: &str) -> Option<Val> {
    state.get(name).map(|i| d.get(*i).clone())
}

fn bool_field(d: &Decoded, state: &HashMap<String, usize>, name: &str) -> Option<Option<bool>> {
    match field(d, state, name)? {
        Val::Bool(b) => Some(Some(b)),
        Val::None => Some(None),
        _ => None,
    }
}

fn percent_field(d: &Decoded, state: &HashMap<String, usize>) -> Option<Option<i32>> {
    let i = *state.get("percent")?;
    match d.get(i) {
        Val::None => Some(None),
        Val::Int(n) => i32::try_from(*n)
            .ok()
            .and_then(|n| n.checked_mul(10))
            .map(Some),
        Val::Float(f) => django_tenths(*f).map(Some),
        _ => d.first_arg(i).and_then(|a| d.str(a)).map(tenths),
    }
}

fn flag_state(d: &Decoded, obj: usize) -> Option<FlagState> {
    let s = d.state(obj);
    let b = |n: &str| bool_field(d, &s, n).flatten();
    Some(FlagState {
        everyone: bool_field(d, &s, "everyone")?,
        percent: percent_field(d, &s)?,
        testing: b("testing")?,
        superusers: b("superusers")?,
        staff: b("staff")?,
        authenticated: b("authenticated")?,
        languages: match field(d, &s, "languages")? {
            Val::Str(t) => t,
            _ => return None,
        },
        rollout: b("rollout")?,
    })
}

fn flag_diff(cached: &FlagState, store: &FlagState) -> String {
    fn ob(b: Option<bool>) -> String {
        b.map(|b| b.to_string()).unwrap_or_else(|| "null".into())
    }
    type Show = fn(&FlagState) -> String;
    let fields: [(&str, Show); 8] = [
        ("everyone", |f| ob(f.everyone)),
        ("percent", |f| show_percent(f.percent)),
        ("testing", |f| f.testing.to_string()),
        ("superusers", |f| f.superusers.to_string()),
        ("staff", |f| f.staff.to_string()),
        ("authenticated", |f| f.authenticated.to_string()),
        ("languages", |f| format!("{:?}", f.languages)),
        ("rollout", |f| f.rollout.to_string()),
    ];
    let mut out = Vec::new();
    for (name, show) in fields {
        let (c, s) = (show(cached), show(store));
        if c != s {
            out.push(format!("{name}: cached {c}, store {s}"));
        }
    }
    out.join(", ")
}

/// `None` when the cached value agrees with `want`; else what disagrees. `Err` when the value
/// could not be read.
fn compare(got: &Got, want: &Want) -> std::result::Result<Option<String>, String> {
    let d = match got {
        Got::Text(t) if t == "-" => {
            return Ok(match want {
                Want::Missing => None,
                Want::Ids(s) if s.is_empty() => None,
                Want::All(s) if s.is_empty() => None,
                Want::Ids(_) | Want::All(_) => Some("cached as empty, the store has some".into()),
                _ => Some("cached as missing, the store has it".into()),
            });
        }
        Got::Text(t) => return Err(format!("unexpected text {t:?}")),
        Got::Other(why) => return Err(why.clone()),
        Got::Pickle(d) => d,
    };
    if let Some(t) = d.str(d.top) {
        return compare(&Got::Text(t.to_string()), want);
    }
    let top = d.top;
    match want {
        Want::Missing => Ok(Some("cached as existing, the store has none".into())),
        Want::Flag(s) => {
            let c = flag_state(d, top).ok_or("not a pickled flag")?;
            let diff = flag_diff(&c, s);
            Ok((!diff.is_empty()).then_some(diff))
        }
        Want::Switch(active) => {
            let st = d.state(top);
            match bool_field(d, &st, "active") {
                Some(Some(c)) if c == *active => Ok(None),
                Some(Some(c)) => Ok(Some(format!("active: cached {c}, store {active}"))),
                _ => Err("not a pickled switch".into()),
            }
        }
        Want::Sample(p) => {
            let st = d.state(top);
            match percent_field(d, &st) {
                Some(Some(c)) if c == *p => Ok(None),
                Some(c) => Ok(Some(format!(
                    "percent: cached {}, store {}",
                    show_percent(c),
                    show_percent(Some(*p))
                ))),
                None => Err("not a pickled sample".into()),
            }
        }
        Want::Ids(ids) => {
            let c: BTreeSet<i64> = d.ints(top).ok_or("not a set of ids")?.into_iter().collect();
            Ok((c != *ids).then(|| format!("cached ids {c:?}, store {ids:?}")))
        }
        Want::All(names) => {
            let items = d.list(top).ok_or("not a list of objects")?;
            let mut c = BTreeSet::new();
            for i in items {
                match d.state(*i).get("name").and_then(|n| d.str(*n)) {
                    Some(n) => c.insert(n.to_string()),
                    None => return Err("not a list of objects".into()),
                };
            }
            Ok((c != *names).then(|| {
                let gone: Vec<&String> = c.difference(names).collect();
                let new: Vec<&String> = names.difference(&c).collect();
                format!("cached list lacks {new:?} and has {gone:?}")
            }))
        }
    }
}

fn got_from_redis(v: Vec<u8>) -> Got {
    // Django's RedisSerializer stores an int as its digits and anything else pickled.
    if v.first() == Some(&0x80) {
        match pickle::decode(&v) {
            Ok(d) => Got::Pickle(d),
            Err(e) => Got::Other(e),
        }
    } else {
        Got::Other(format!(
            "unexpected value {:?}",
            String::from_utf8_lossy(&v)
        ))
    }
}

fn got_from_memcached(item: super::memcached::Item) -> Got {
    // pymemcache's pickle_serde flags: 0 bytes, 1 pickle, 2 int, 16 text.
    match item.flags {
        16 => Got::Text(String::from_utf8_lossy(&item.data).into_owned()),
        1 => match pickle::decode(&item.data) {
            Ok(d) => Got::Pickle(d),
            Err(e) => Got::Other(e),
        },
        f => Got::Other(format!("unexpected value (flags {f})")),
    }
}

/// What each key should hold: (what it is, the key before Django's prefix and version, the
/// value).
struct Wants<'k> {
    keys: &'k KeySettings,
    list: Vec<(String, String, Want)>,
}

impl Wants<'_> {
    /// The key of object `kind` `name`, or of its `part` (its users or groups).
    fn object(&mut self, kind: &str, name: &str, part: Option<&str>, want: Want) {
        let (what, key) = match part {
            None => (format!("{kind} {name}"), format!("{kind}:{name}")),
            Some(p) => (format!("{kind} {name} {p}"), format!("{kind}:{name}:{p}")),
        };
        self.list.push((what, self.keys.keyfmt(&key), want));
    }
    /// The key listing every name of a kind (`flags:all`).
    fn all(&mut self, kinds: &str, names: BTreeSet<String>) {
        self.list.push((
            format!("all {kinds}"),
            format!("{kinds}:all"),
            Want::All(names),
        ));
    }
}

pub fn findings(cache: &Cache, store: &Store) -> Result<Vec<Finding>> {
    let snap = store.snapshot()?;
    let k = &cache.keys;
    let mut wants = Wants {
        keys: k,
        list: Vec::new(),
    };
    let flags = list_flags(&snap, None)?;
    let members = flag_member_ids(&snap)?;
    for f in &flags {
        wants.object(
            "flag",
            &f.name,
            None,
            Want::Flag(FlagState {
                everyone: f.everyone,
                percent: f.percent.map(|p| p.0),
                testing: f.testing,
                superusers: f.superusers,
                staff: f.staff,
                authenticated: f.authenticated,
                languages: f.languages.clone(),
                rollout: f.rollout,
            }),
        );
        let (users, groups) = members.get(&f.name).cloned().unwrap_or_default();
        wants.object(
            "flag",
            &f.name,
            Some("users"),
            Want::Ids(users.into_iter().collect()),
        );
        wants.object(
            "flag",
            &f.name,
            Some("groups"),
            Want::Ids(groups.into_iter().collect()),
        );
    }
    wants.all("flags", flags.iter().map(|f| f.name.clone()).collect());
    let switches = list_switches(&snap)?;
    for s in &switches {
        wants.object("switch", &s.name, None, Want::Switch(s.active));
    }
    wants.all(
        "switches",
        switches.iter().map(|s| s.name.clone()).collect(),
    );
    let samples = list_samples(&snap)?;
    for s in &samples {
        wants.object("sample", &s.name, None, Want::Sample(s.percent.0));
    }
    wants.all("samples", samples.iter().map(|s| s.name.clone()).collect());
    // Objects the audit log knows and the store no longer has.
    for kind in ["flag", "switch", "sample"] {
        let present: BTreeSet<String> = wants
            .list
            .iter()
            .filter_map(|(what, _, _)| what.strip_prefix(&format!("{kind} ")).map(String::from))
            .collect();
        for name in audited_names(&snap, kind)? {
            if !present.contains(&name) {
                wants.list.push((
                    format!("{kind} {name} (deleted)"),
                    k.keyfmt(&format!("{kind}:{name}")),
                    Want::Missing,
                ));
            }
        }
    }
    let wants = wants.list;
    drop(snap);
    let keys: Vec<String> = wants.iter().map(|(_, key, _)| k.django_key(key)).collect();
    let fetched: std::io::Result<Vec<Option<Got>>> = cache.server.connect().and_then(|c| match c {
        Conn::Redis(mut r) => {
            let mut out = Vec::with_capacity(keys.len());
            for chunk in keys.chunks(500) {
                out.extend(r.get(chunk)?.into_iter().map(|v| v.map(got_from_redis)));
            }
            Ok(out)
        }
        Conn::Memcached(mut m) => Ok(m
            .get(&keys)?
            .into_iter()
            .map(|v| v.map(got_from_memcached))
            .collect()),
    });
    let server = &cache.server;
    let got = match fetched {
        Ok(g) => g,
        Err(e) => {
            return Ok(vec![Finding {
                check: "site cache".into(),
                level: Level::Error,
                detail: format!("cannot read {server}: {e}"),
            }]);
        }
    };
    let cached = got.iter().filter(|g| g.is_some()).count();
    let mut stale = Vec::new();
    let mut unread = Vec::new();
    for ((what, _, want), (g, key)) in wants.iter().zip(got.iter().zip(&keys)) {
        let Some(g) = g else { continue };
        match compare(g, want) {
            Ok(None) => {}
            Ok(Some(diff)) => stale.push(format!("{what} ({diff}) [{key}]")),
            Err(why) => unread.push(format!("{what}: {why}, may be stale [{key}]")),
        }
    }
    let kind = match server.protocol {
        Protocol::Redis => "Redis",
        Protocol::Memcached => "memcached",
    };
    let mut out = vec![Finding {
        check: "site cache".into(),
        level: Level::Ok,
        detail: format!(
            "{kind} at {server}: {} keys looked up, {cached} cached",
            keys.len()
        ),
    }];
    out.push(if stale.is_empty() {
        Finding {
            check: "cached values that disagree with the store".into(),
            level: Level::Ok,
            detail: "none".into(),
        }
    } else {
        Finding {
            check: "cached values that disagree with the store".into(),
            level: Level::Warning,
            detail: format!(
                "the site serves these until they expire (any write with --cache deletes its \
                 keys): {}",
                stale.join("; ")
            ),
        }
    });
    if !unread.is_empty() {
        out.push(Finding {
            check: "cached values not understood".into(),
            level: Level::Warning,
            detail: unread.join("; "),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cached percent is rounded as the store's reader rounds the column (half to even), not
    /// half away from zero: 12.25 is 12.2 in both, 12.35 is 12.4.
    #[test]
    fn cached_percents_round_as_django_reads_the_column() {
        assert_eq!(tenths("12.25"), Some(122));
        assert_eq!(tenths("12.35"), Some(124));
        assert_eq!(tenths(" 25.0 "), Some(250));
        assert_eq!(show_percent(tenths("-0.5")), "-0.5");
        assert_eq!(show_percent(None), "null");
    }

    #[test]
    fn flag_diff_names_each_field_that_differs_as_django_shows_it() {
        let store = FlagState {
            everyone: None,
            percent: Some(255),
            testing: false,
            superusers: true,
            staff: false,
            authenticated: false,
            languages: "en".into(),
            rollout: false,
        };
        assert_eq!(flag_diff(&store.clone(), &store), "");
        let cached = FlagState {
            everyone: Some(true),
            percent: None,
            staff: true,
            languages: "en,fr".into(),
            ..store.clone()
        };
        assert_eq!(
            flag_diff(&cached, &store),
            "everyone: cached true, store null, percent: cached null, store 25.5, \
             staff: cached true, store false, languages: cached \"en,fr\", store \"en\""
        );
    }
}
