//! Django fixtures, as `manage.py dumpdata` writes them and `manage.py loaddata` reads them.
//!
//! Export writes the shape of `dumpdata --natural-foreign --natural-primary` (spec
//! django-waffle §4): users, groups, flags, switches and samples carry no `pk` and refer to each
//! other by natural key (`["alice"]`); override rows and experiment rows, which have no natural
//! key, keep their `pk`. Decimals are strings with one decimal place, datetimes are UTC ISO 8601
//! truncated to milliseconds with `Z`, booleans are JSON booleans.
//!
//! Import reads real `dumpdata` output of the same models: with or without natural keys,
//! indented or not, or JSON lines. Objects of other models are skipped with one warning; an
//! unknown field of a known model is an error.

use std::collections::{BTreeMap, HashMap};
use std::io;

use serde::Serialize;
use serde_json::{Map, Value};

use super::check;
use super::model::{GroupRow, State};
use crate::error::{Error, Result, cut};
use crate::store::edx::{DataRow, KeyValue, OverrideRow, Scope};
use crate::store::toggles::{Flag, Sample, Switch};
use crate::store::users::UserRow;
use crate::time;
use crate::types::{FLAG_PERCENT_MAX, SAMPLE_PERCENT_MAX};

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/// A datetime as Django's JSON encoder writes it: `2026-11-21T12:55:18.747Z`, the fraction
/// truncated to milliseconds and left out when the microseconds are zero.
pub fn fixture_time(db: &str) -> String {
    time::text::to_fixture(db)
}

#[derive(Serialize)]
struct Obj<F: Serialize> {
    model: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pk: Option<i64>,
    fields: F,
}

const NONE: &[String] = &[];

#[derive(Serialize)]
struct GroupF<'a> {
    name: &'a str,
    permissions: &'static [String],
}

#[derive(Serialize)]
struct UserF<'a> {
    password: &'a str,
    last_login: Option<String>,
    is_superuser: bool,
    username: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    is_staff: bool,
    is_active: bool,
    date_joined: String,
    groups: Vec<[&'a str; 1]>,
    user_permissions: &'static [String],
}

#[derive(Serialize)]
struct FlagF<'a> {
    name: &'a str,
    everyone: Option<bool>,
    percent: Option<String>,
    testing: bool,
    superusers: bool,
    staff: bool,
    authenticated: bool,
    languages: &'a str,
    rollout: bool,
    note: &'a str,
    created: String,
    modified: String,
    groups: Vec<[&'a str; 1]>,
    users: Vec<[&'a str; 1]>,
}

#[derive(Serialize)]
struct SwitchF<'a> {
    name: &'a str,
    active: bool,
    note: &'a str,
    created: String,
    modified: String,
}

#[derive(Serialize)]
struct SampleF<'a> {
    name: &'a str,
    percent: String,
    note: &'a str,
    created: String,
    modified: String,
}

/// The fields of a course or org override row; the key's field is named after the scope.
#[derive(Serialize)]
struct OverrideF<'a> {
    change_date: String,
    changed_by: Option<[&'a str; 1]>,
    enabled: bool,
    waffle_flag: &'a str,
    #[serde(flatten)]
    key: OverrideKey<'a>,
    override_choice: &'a str,
    note: &'a str,
}

#[derive(Serialize)]
enum OverrideKey<'a> {
    #[serde(rename = "course_id")]
    Course(&'a str),
    #[serde(rename = "org")]
    Org(&'a str),
}

#[derive(Serialize)]
struct DataF<'a> {
    created: String,
    modified: String,
    user: [&'a str; 1],
    experiment_id: i64,
    key: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct KeyValueF<'a> {
    created: String,
    modified: String,
    experiment_id: i64,
    key: &'a str,
    value: &'a str,
}

/// Python's `json.dump` separators without `--indent`: `", "` and `": "`.
struct PyCompact;

impl serde_json::ser::Formatter for PyCompact {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

/// Collects objects and renders them as `dumpdata` does (`indent` 0 = one line).
struct Writer {
    indent: usize,
    objects: Vec<Vec<u8>>,
}

impl Writer {
    fn push<F: Serialize>(&mut self, obj: &Obj<F>) -> Result<()> {
        let mut buf = Vec::new();
        if self.indent == 0 {
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, PyCompact);
            obj.serialize(&mut ser)?;
        } else {
            let ind = vec![b' '; self.indent];
            let fmt = serde_json::ser::PrettyFormatter::with_indent(&ind);
            let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
            obj.serialize(&mut ser)?;
        }
        self.objects.push(buf);
        Ok(())
    }
    fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        out.push(b'[');
        for (i, o) in self.objects.iter().enumerate() {
            if i > 0 {
                out.push(b',');
                if self.indent == 0 {
                    out.push(b' ');
                }
            }
            if self.indent > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(o);
        }
        if self.indent > 0 {
            out.push(b'\n');
        }
        out.push(b']');
        if self.indent > 0 {
            out.push(b'\n');
        }
        out
    }
}

fn nk(names: &[String]) -> Vec<[&str; 1]> {
    names.iter().map(|n| [n.as_str()]).collect()
}

fn by_id<T: Clone>(v: &Option<Vec<T>>, id: impl Fn(&T) -> i64) -> Vec<T> {
    let mut v = v.clone().unwrap_or_default();
    v.sort_by_key(|x| id(x));
    v
}

/// The store as a fixture: models in dependency order (groups, users, flags, switches, samples,
/// course overrides, org overrides, experiment data, experiment key-values), rows in pk order.
/// `indent` 0 gives dumpdata's one-line form. `tick` is called per object.
pub fn export(s: &State, indent: usize, mut tick: impl FnMut()) -> Result<Vec<u8>> {
    let mut w = Writer {
        indent,
        objects: Vec::with_capacity(s.len()),
    };
    for g in by_id(&s.groups, |g: &GroupRow| g.id) {
        w.push(&Obj {
            model: "auth.group",
            pk: None,
            fields: GroupF {
                name: &g.name,
                permissions: NONE,
            },
        })?;
        tick();
    }
    for u in by_id(&s.users, |u: &UserRow| u.id) {
        w.push(&Obj {
            model: "auth.user",
            pk: None,
            fields: UserF {
                password: u.password.as_deref().unwrap_or("!"),
                last_login: u.last_login.as_deref().map(fixture_time),
                is_superuser: u.is_superuser,
                username: &u.username,
                first_name: &u.first_name,
                last_name: &u.last_name,
                email: &u.email,
                is_staff: u.is_staff,
                is_active: u.is_active,
                date_joined: fixture_time(&u.date_joined),
                groups: nk(&u.groups),
                user_permissions: NONE,
            },
        })?;
        tick();
    }
    for f in by_id(&s.flags, |f: &Flag| f.id) {
        w.push(&Obj {
            model: "waffle.flag",
            pk: None,
            fields: FlagF {
                name: &f.name,
                everyone: f.everyone,
                percent: f.percent.map(|p| p.to_string()),
                testing: f.testing,
                superusers: f.superusers,
                staff: f.staff,
                authenticated: f.authenticated,
                languages: &f.languages,
                rollout: f.rollout,
                note: &f.note,
                created: fixture_time(&f.created),
                modified: fixture_time(&f.modified),
                groups: nk(&f.groups),
                users: nk(&f.users),
            },
        })?;
        tick();
    }
    for x in by_id(&s.switches, |x: &Switch| x.id) {
        w.push(&Obj {
            model: "waffle.switch",
            pk: None,
            fields: SwitchF {
                name: &x.name,
                active: x.active,
                note: &x.note,
                created: fixture_time(&x.created),
                modified: fixture_time(&x.modified),
            },
        })?;
        tick();
    }
    for x in by_id(&s.samples, |x: &Sample| x.id) {
        w.push(&Obj {
            model: "waffle.sample",
            pk: None,
            fields: SampleF {
                name: &x.name,
                percent: x.percent.to_string(),
                note: &x.note,
                created: fixture_time(&x.created),
                modified: fixture_time(&x.modified),
            },
        })?;
        tick();
    }
    let overrides = by_id(&s.overrides, |o: &OverrideRow| o.id);
    // Every course override, then every org override.
    for scope in [Scope::Course, Scope::Org] {
        for o in overrides.iter().filter(|o| o.scope == scope) {
            let (model, key) = match scope {
                Scope::Course => (
                    "waffle_utils.waffleflagcourseoverridemodel",
                    OverrideKey::Course(&o.key),
                ),
                Scope::Org => (
                    "waffle_utils.waffleflagorgoverridemodel",
                    OverrideKey::Org(&o.key),
                ),
            };
            w.push(&Obj {
                model,
                pk: Some(o.id),
                fields: OverrideF {
                    change_date: fixture_time(&o.change_date),
                    changed_by: o.changed_by.as_deref().map(|u| [u]),
                    enabled: o.enabled,
                    waffle_flag: &o.flag,
                    key,
                    override_choice: &o.choice,
                    note: &o.note,
                },
            })?;
            tick();
        }
    }
    for d in by_id(&s.experiment_data, |d: &DataRow| d.id) {
        w.push(&Obj {
            model: "experiments.experimentdata",
            pk: Some(d.id),
            fields: DataF {
                created: fixture_time(&d.created),
                modified: fixture_time(&d.modified),
                user: [&d.user],
                experiment_id: d.experiment_id,
                key: &d.key,
                value: &d.value,
            },
        })?;
        tick();
    }
    for k in by_id(&s.key_values, |k: &KeyValue| k.id) {
        w.push(&Obj {
            model: "experiments.experimentkeyvalue",
            pk: Some(k.id),
            fields: KeyValueF {
                created: fixture_time(&k.created),
                modified: fixture_time(&k.modified),
                experiment_id: k.experiment_id,
                key: &k.key,
                value: &k.value,
            },
        })?;
        tick();
    }
    Ok(w.finish())
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// The models import understands, with their fields.
const MODELS: &[(&str, &[&str])] = &[
    ("auth.group", &["name", "permissions"]),
    (
        "auth.user",
        &[
            "password",
            "last_login",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "groups",
            "user_permissions",
        ],
    ),
    (
        "waffle.flag",
        &[
            "name",
            "everyone",
            "percent",
            "testing",
            "superusers",
            "staff",
            "authenticated",
            "languages",
            "rollout",
            "note",
            "created",
            "modified",
            "groups",
            "users",
        ],
    ),
    (
        "waffle.switch",
        &["name", "active", "note", "created", "modified"],
    ),
    (
        "waffle.sample",
        &["name", "percent", "note", "created", "modified"],
    ),
    (
        "waffle_utils.waffleflagcourseoverridemodel",
        &[
            "change_date",
            "changed_by",
            "enabled",
            "waffle_flag",
            "course_id",
            "override_choice",
            "note",
        ],
    ),
    (
        "waffle_utils.waffleflagorgoverridemodel",
        &[
            "change_date",
            "changed_by",
            "enabled",
            "waffle_flag",
            "org",
            "override_choice",
            "note",
        ],
    ),
    (
        "experiments.experimentdata",
        &[
            "created",
            "modified",
            "user",
            "experiment_id",
            "key",
            "value",
        ],
    ),
    (
        "experiments.experimentkeyvalue",
        &["created", "modified", "experiment_id", "key", "value"],
    ),
];

/// One fixture object after the envelope was checked.
struct RawObj {
    /// 1-based position in the file, for messages.
    n: usize,
    model: String,
    pk: Option<Value>,
    fields: Map<String, Value>,
}

/// Splits a fixture into objects: a JSON array (indented or not) or JSON lines.
fn objects(text: &str, src: &str) -> Result<Vec<Value>> {
    let t = text.trim_start();
    if t.is_empty() {
        return Err(Error::usage(format!("{src}: the file is empty"))
            .with_hint("a fixture is a JSON array of objects, or one object per line"));
    }
    if t.starts_with('[') {
        return serde_json::from_str::<Vec<Value>>(text).map_err(|e| check::malformed(src, &e));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| check::malformed_at(src, i + 1, &e))?;
        out.push(v);
    }
    Ok(out)
}

fn envelope(v: Value, n: usize, src: &str) -> Result<RawObj> {
    let bad = |what: &str| {
        Error::usage(format!("{src}: object {n}: {what}")).with_hint(
            "fixture objects look like {\"model\": \"waffle.flag\", \"pk\": 1, \"fields\": {...}}",
        )
    };
    let Value::Object(mut m) = v else {
        return Err(bad("not a JSON object"));
    };
    let model = match m.remove("model") {
        Some(Value::String(s)) => s.to_lowercase(),
        _ => return Err(bad("no \"model\"")),
    };
    let fields = match m.remove("fields") {
        Some(Value::Object(f)) => f,
        None => Map::new(),
        Some(_) => return Err(bad("\"fields\" is not an object")),
    };
    let pk = m.remove("pk").filter(|p| !p.is_null());
    if let Some(k) = m.keys().next() {
        return Err(bad(&format!(
            "unknown key '{}' (expected model, pk, fields)",
            cut(k)
        )));
    }
    Ok(RawObj {
        n,
        model,
        pk,
        fields,
    })
}

/// Reads the fields of one object, with the model's defaults for what is missing.
struct Fields<'a> {
    src: &'a str,
    obj: &'a RawObj,
}

impl Fields<'_> {
    /// `waffle.flag 'x'` (for messages only).
    fn label(&self) -> String {
        label_of(self.obj)
    }
    fn err(&self, field: &str, what: &str) -> Error {
        Error::usage(format!(
            "{}: object {} ({}): field '{field}': {what}",
            self.src,
            self.obj.n,
            self.label()
        ))
    }
    fn get(&self, f: &str) -> Option<&Value> {
        self.obj.fields.get(f)
    }
    fn string(&self, f: &str, default: &str) -> Result<String> {
        match self.get(f) {
            None => Ok(default.to_string()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(f, "expected a string")),
        }
    }
    fn required_string(&self, f: &str) -> Result<String> {
        match self.get(f) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) => Err(self.err(f, "missing (it has no default)")),
            Some(_) => Err(self.err(f, "expected a string")),
        }
    }
    fn boolean(&self, f: &str, default: bool) -> Result<bool> {
        match self.get(f) {
            None => Ok(default),
            Some(v) => as_bool(v).ok_or_else(|| self.err(f, "expected true or false")),
        }
    }
    fn opt_boolean(&self, f: &str) -> Result<Option<bool>> {
        match self.get(f) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => as_bool(v)
                .map(Some)
                .ok_or_else(|| self.err(f, "expected true, false or null")),
        }
    }
    /// A datetime in the store's text form; missing → "" (filled with now / kept later).
    fn time(&self, f: &str) -> Result<String> {
        match self.get(f) {
            None => Ok(String::new()),
            Some(Value::String(s)) => check::time(
                self.src,
                || format!("object {} ({}) {f}", self.obj.n, self.label()),
                s,
            ),
            Some(Value::Null) => Err(self.err(f, "must not be null")),
            Some(_) => Err(self.err(f, "expected a date and time")),
        }
    }
    fn opt_time(&self, f: &str) -> Result<Option<String>> {
        match self.get(f) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.time(f).map(Some),
        }
    }
    fn decimal(&self, f: &str) -> Result<Option<String>> {
        match self.get(f) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(self.err(f, "expected a decimal such as \"25.0\"")),
        }
    }
    fn integer(&self, f: &str) -> Result<i64> {
        match self.get(f) {
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| self.err(f, "expected an integer")),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map_err(|_| self.err(f, "expected an integer")),
            None | Some(Value::Null) => Err(self.err(f, "missing (it has no default)")),
            Some(_) => Err(self.err(f, "expected an integer")),
        }
    }
    fn list(&self, f: &str) -> Result<&[Value]> {
        match self.get(f) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(f, "expected a list")),
        }
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// A reference to a user or group: a pk (resolved through the file's own objects) or a
/// natural key `["name"]`.
fn reference(
    v: &Value,
    pks: &HashMap<String, String>,
    what: &str,
    f: &Fields<'_>,
    field: &str,
) -> Result<String> {
    let pk = match v {
        Value::Array(a) => {
            return match a.as_slice() {
                [Value::String(s)] => Ok(s.clone()),
                _ => Err(f.err(field, &format!("a {what} natural key is [\"name\"]"))),
            };
        }
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() => s.clone(),
        _ => return Err(f.err(field, &format!("expected a {what} pk or natural key"))),
    };
    pks.get(&pk).cloned().ok_or_else(|| {
        Error::usage(format!(
            "{}: object {} ({}): field '{field}' names {what} pk {}, which the file does not define",
            f.src,
            f.obj.n,
            f.label(),
            cut(&pk)
        ))
        .with_hint(format!(
            "dump with --natural-foreign (names instead of pks), or include auth.{what} in the dump"
        ))
    })
}

fn pk_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn push<T>(section: &mut Option<Vec<T>>, v: T) {
    section.get_or_insert_with(Vec::new).push(v);
}

/// The result of reading a fixture: what it holds, and warnings for the user.
pub struct Parsed {
    pub state: State,
    pub warnings: Vec<String>,
}

/// Reads a fixture into a validated [`State`]. Missing fields take Django's model defaults (as
/// `loaddata` resets them): a flag without `superusers` gets `true`, a user without `is_active`
/// gets `true`, a sample must have a percent.
pub fn parse(text: &str, src: &str, today: chrono::NaiveDate) -> Result<Parsed> {
    let known: HashMap<&str, &[&str]> = MODELS.iter().copied().collect();
    let mut raws = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (i, v) in objects(text, src)?.into_iter().enumerate() {
        let o = envelope(v, i + 1, src)?;
        let Some(allowed) = known.get(o.model.as_str()) else {
            *skipped.entry(o.model.clone()).or_default() += 1;
            continue;
        };
        if let Some(k) = o.fields.keys().find(|k| !allowed.contains(&k.as_str())) {
            let label = label_of(&o);
            return Err(Error::usage(format!(
                "{src}: object {} ({label}): unknown field '{}' for {}",
                o.n,
                cut(k),
                cut(&o.model)
            ))
            .with_hint(format!(
                "{} has the fields: {}",
                cut(&o.model),
                allowed.join(", ")
            )));
        }
        raws.push(o);
    }
    // pk → natural key, from the file's own users and groups.
    let mut user_pks = HashMap::new();
    let mut group_pks = HashMap::new();
    for o in &raws {
        let (map, field) = match o.model.as_str() {
            "auth.user" => (&mut user_pks, "username"),
            "auth.group" => (&mut group_pks, "name"),
            _ => continue,
        };
        if let (Some(pk), Some(Value::String(n))) =
            (o.pk.as_ref().and_then(pk_text), o.fields.get(field))
        {
            map.insert(pk, n.clone());
        }
    }
    // Django's JSON encoder writes milliseconds: the file's times are compared at that.
    let mut st = State {
        precision: time::text::Precision::Millis,
        ..State::default()
    };
    let mut ignored_permissions = 0usize;
    for o in &raws {
        let f = Fields { src, obj: o };
        match o.model.as_str() {
            "auth.group" => {
                let name = f.required_string("name")?;
                check::name(src, "group", &name)?;
                ignored_permissions += f.list("permissions")?.len();
                push(&mut st.groups, GroupRow { id: 0, name });
            }
            "auth.user" => {
                let username = f.required_string("username")?;
                check::username(src, &username)?;
                let mut groups = Vec::new();
                for g in f.list("groups")? {
                    groups.push(reference(g, &group_pks, "group", &f, "groups")?);
                }
                groups.sort();
                groups.dedup();
                ignored_permissions += f.list("user_permissions")?.len();
                push(
                    &mut st.users,
                    UserRow {
                        id: 0,
                        password: Some(f.string("password", "")?),
                        first_name: f.string("first_name", "")?,
                        last_name: f.string("last_name", "")?,
                        email: f.string("email", "")?,
                        is_staff: f.boolean("is_staff", false)?,
                        is_superuser: f.boolean("is_superuser", false)?,
                        is_active: f.boolean("is_active", true)?,
                        date_joined: f.time("date_joined")?,
                        last_login: f.opt_time("last_login")?,
                        groups,
                        username,
                    },
                );
            }
            "waffle.flag" => {
                let name = f.required_string("name")?;
                check::name(src, "flag", &name)?;
                let what = format!("flag '{}'", cut(&name));
                let percent = match f.decimal("percent")? {
                    None => None,
                    Some(p) => Some(check::percent(src, &what, &p, FLAG_PERCENT_MAX)?),
                };
                let mut users = Vec::new();
                for u in f.list("users")? {
                    users.push(reference(u, &user_pks, "user", &f, "users")?);
                }
                users.sort();
                users.dedup();
                let mut groups = Vec::new();
                for g in f.list("groups")? {
                    groups.push(reference(g, &group_pks, "group", &f, "groups")?);
                }
                groups.sort();
                groups.dedup();
                push(
                    &mut st.flags,
                    Flag {
                        id: 0,
                        everyone: f.opt_boolean("everyone")?,
                        percent,
                        percent_unreadable: None,
                        testing: f.boolean("testing", false)?,
                        superusers: f.boolean("superusers", true)?,
                        staff: f.boolean("staff", false)?,
                        authenticated: f.boolean("authenticated", false)?,
                        languages: check::languages(&f.string("languages", "")?),
                        rollout: f.boolean("rollout", false)?,
                        note: f.string("note", "")?,
                        created: f.time("created")?,
                        modified: f.time("modified")?,
                        users,
                        groups,
                        name,
                    },
                );
            }
            "waffle.switch" => {
                let name = f.required_string("name")?;
                check::name(src, "switch", &name)?;
                push(
                    &mut st.switches,
                    Switch {
                        id: 0,
                        active: f.boolean("active", false)?,
                        note: f.string("note", "")?,
                        created: f.time("created")?,
                        modified: f.time("modified")?,
                        name,
                    },
                );
            }
            "waffle.sample" => {
                let name = f.required_string("name")?;
                check::name(src, "sample", &name)?;
                let p = f
                    .decimal("percent")?
                    .ok_or_else(|| f.err("percent", "missing (it has no default)"))?;
                push(
                    &mut st.samples,
                    Sample {
                        id: 0,
                        percent_unreadable: None,
                        percent: check::percent(
                            src,
                            &format!("sample '{}'", cut(&name)),
                            &p,
                            SAMPLE_PERCENT_MAX,
                        )?,
                        note: f.string("note", "")?,
                        created: f.time("created")?,
                        modified: f.time("modified")?,
                        name,
                    },
                );
            }
            "waffle_utils.waffleflagcourseoverridemodel"
            | "waffle_utils.waffleflagorgoverridemodel" => {
                let scope = if o.model.ends_with("courseoverridemodel") {
                    Scope::Course
                } else {
                    Scope::Org
                };
                let changed_by = match f.get("changed_by") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(reference(v, &user_pks, "user", &f, "changed_by")?),
                };
                let row = OverrideRow {
                    id: 0,
                    flag: f.required_string("waffle_flag")?.trim().to_string(),
                    scope,
                    key: f.required_string(scope.key_column())?,
                    choice: f.string("override_choice", "on")?,
                    enabled: f.boolean("enabled", false)?,
                    note: f.string("note", "")?,
                    changed_by,
                    changed_by_id: None,
                    change_date: f.time("change_date")?,
                };
                let mut row = row;
                check::override_row(src, &mut row)?;
                push(&mut st.overrides, row);
            }
            "experiments.experimentdata" => {
                let id = f.integer("experiment_id")?;
                check::experiment_id(src, &f.label(), id)?;
                let user = match f.get("user") {
                    None | Some(Value::Null) => {
                        return Err(f.err("user", "missing (it has no default)"));
                    }
                    Some(v) => reference(v, &user_pks, "user", &f, "user")?,
                };
                push(
                    &mut st.experiment_data,
                    DataRow {
                        id: 0,
                        experiment_id: id,
                        user,
                        key: {
                            let key = f.string("key", "")?;
                            check::kv_key(src, || f.label(), &key)?;
                            key
                        },
                        value: f.string("value", "")?,
                        created: f.time("created")?,
                        modified: f.time("modified")?,
                    },
                );
            }
            "experiments.experimentkeyvalue" => {
                let id = f.integer("experiment_id")?;
                check::experiment_id(src, &f.label(), id)?;
                let kv = KeyValue {
                    id: 0,
                    experiment_id: id,
                    key: f.string("key", "")?,
                    value: f.string("value", "")?,
                    created: f.time("created")?,
                    modified: f.time("modified")?,
                };
                // A fixture is a dump of a database that edX reads as it is: validated as kv
                // set validates, but kept as written (edX would read it the same way).
                check::kv_key(src, || f.label(), &kv.key)?;
                check::key_value(src, today, id, &kv.key, &kv.value)?;
                push(&mut st.key_values, kv);
            }
            _ => unreachable!("filtered above"),
        }
    }
    st.check_duplicates(src)?;
    let mut warnings: Vec<String> = duplicates(text).iter().map(|d| d.warning(src)).collect();
    if !skipped.is_empty() {
        let total: usize = skipped.values().sum();
        let list: Vec<String> = skipped
            .iter()
            .map(|(m, n)| format!("{} ({n})", cut(m)))
            .collect();
        warnings.push(format!(
            "{src}: skipped {total} object{} of models wafflectl does not keep: {}",
            if total == 1 { "" } else { "s" },
            list.join(", ")
        ));
    }
    if ignored_permissions > 0 {
        warnings.push(format!(
            "{src}: ignored {ignored_permissions} permission assignment(s): wafflectl does not keep permissions"
        ));
    }
    Ok(Parsed {
        state: st,
        warnings,
    })
}

/// Keys that appear twice in one object of a fixture (an array or JSON lines), placed as
/// `object 2.fields` (1-based, as other messages count objects) or `line 3: fields`.
fn duplicates(text: &str) -> Vec<super::json::Duplicate> {
    if text.trim_start().starts_with('[') {
        let mut found = super::json::duplicate_keys(text);
        for d in &mut found {
            // "[0].fields" -> "object 1.fields"
            if let Some(rest) = d.path.strip_prefix('[')
                && let Some((i, rest)) = rest.split_once(']')
                && let Ok(i) = i.parse::<usize>()
            {
                d.path = format!("object {}{rest}", i + 1);
            }
        }
        return found;
    }
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for mut d in super::json::duplicate_keys(line) {
            d.path = if d.path.is_empty() {
                format!("line {}", i + 1)
            } else {
                format!("line {}: {}", i + 1, d.path)
            };
            found.push(d);
        }
    }
    found
}

/// `waffle.flag 'x'`, `auth.user 'alice'`, `waffle_utils....override pk 3`.
fn label_of(o: &RawObj) -> String {
    let name = ["name", "username", "waffle_flag", "key"]
        .iter()
        .find_map(|k| o.fields.get(*k).and_then(Value::as_str));
    match (name, &o.pk) {
        (Some(n), _) => format!("{} '{}'", cut(&o.model), cut(n)),
        (None, Some(pk)) => format!("{} pk {}", cut(&o.model), cut(&pk.to_string())),
        (None, None) => cut(&o.model).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_times_truncate_to_milliseconds() {
        assert_eq!(
            fixture_time("2026-11-21 12:55:18.747891"),
            "2026-11-21T12:55:18.747Z"
        );
        assert_eq!(
            fixture_time("2026-11-21 12:55:18.000500"),
            "2026-11-21T12:55:18.000Z"
        );
        assert_eq!(fixture_time("2026-11-21 12:55:18"), "2026-11-21T12:55:18Z");
    }

    #[test]
    fn reads_all_three_layouts() {
        let compact =
            r#"[{"model": "waffle.switch", "pk": 1, "fields": {"name": "s", "active": true}}]"#;
        let lines = "{\"model\": \"waffle.switch\",\"pk\": 1,\"fields\": {\"name\": \"s\",\"active\": true}}\n";
        let indented = "[\n{\n  \"model\": \"waffle.switch\",\n  \"fields\": {\n    \"name\": \"s\",\n    \"active\": true\n  }\n}\n]\n";
        for t in [compact, lines, indented] {
            let p = parse(t, "f", chrono::NaiveDate::MIN).unwrap();
            let s = p.state.switches.unwrap();
            assert_eq!(s.len(), 1);
            assert!(s[0].active);
        }
    }

    #[test]
    fn flag_defaults_follow_the_django_model() {
        let p = parse(
            r#"[{"model":"waffle.flag","fields":{"name":"x","percent":12.5}}]"#,
            "f",
            chrono::NaiveDate::MIN,
        )
        .unwrap();
        let f = &p.state.flags.unwrap()[0];
        assert!(f.superusers);
        assert_eq!(f.percent.unwrap().to_string(), "12.5");
        assert_eq!(f.everyone, None);
    }

    #[test]
    fn pks_resolve_through_the_file_only() {
        let t = r#"[{"model":"auth.user","pk":7,"fields":{"username":"alice"}},
                    {"model":"waffle.flag","pk":1,"fields":{"name":"x","users":[7]}}]"#;
        let p = parse(t, "f", chrono::NaiveDate::MIN).unwrap();
        assert_eq!(p.state.flags.unwrap()[0].users, vec!["alice".to_string()]);
        let t = r#"[{"model":"waffle.flag","pk":1,"fields":{"name":"x","users":[7]}}]"#;
        let e = parse(t, "f", chrono::NaiveDate::MIN).err().unwrap();
        assert!(e.message.contains("user pk 7"), "{}", e.message);
    }

    #[test]
    fn export_matches_dumpdata_layouts() {
        let s = State {
            switches: Some(vec![Switch {
                id: 1,
                name: "s1".into(),
                active: true,
                note: String::new(),
                created: "2026-11-21 13:15:27.787123".into(),
                modified: "2026-11-21 13:15:27".into(),
            }]),
            ..State::default()
        };
        let one = String::from_utf8(export(&s, 0, || {}).unwrap()).unwrap();
        assert_eq!(
            one,
            r#"[{"model": "waffle.switch", "fields": {"name": "s1", "active": true, "note": "", "created": "2026-11-21T13:15:27.787Z", "modified": "2026-11-21T13:15:27Z"}}]"#
        );
        let pretty = String::from_utf8(export(&s, 2, || {}).unwrap()).unwrap();
        assert!(pretty.starts_with(
            "[\n{\n  \"model\": \"waffle.switch\",\n  \"fields\": {\n    \"name\": \"s1\","
        ));
        assert!(pretty.ends_with("}\n}\n]\n"));
        let empty = String::from_utf8(export(&State::default(), 2, || {}).unwrap()).unwrap();
        assert_eq!(empty, "[\n]\n");
    }
}
