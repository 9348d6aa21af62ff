//! Baseplate experiments under the `experiment` noun: create, set, show, list rows, delete.
//! The config is built from the options in the key order that every consumer accepts, then
//! judged by the engine's lint: what the real library would reject is exit 2, what it accepts
//! but what does nothing useful is a warning.

pub(crate) mod lint;
pub(crate) mod variant;

use serde::Serialize;
use serde_json::{Map, Number, Value};

use crate::cli::{BaseplateOpts, BaseplateType, MutationArgs};
use crate::commands::check_id_free;
use crate::context::Ctx;
use crate::engine::baseplate::{self as engine, Finding, Level};
use crate::error::{Error, Result};
use crate::output::{self, Fields};
use crate::store::baseplate::{self as store, BaseplateExperiment};
use crate::store::edx;
use crate::time;
use crate::types::EpochTime;

/// Seconds in the default window (30 days).
const DEFAULT_WINDOW_SECS: i64 = 30 * 24 * 3600;

/// The clock for windows: `--now`, else `$WAFFLECTL_NOW`, else the system time; epoch seconds.
pub(crate) fn now_secs(ctx: &Ctx, now: Option<&EpochTime>) -> f64 {
    match now {
        Some(t) => t.secs(),
        None => {
            let t = ctx.now;
            t.timestamp() as f64 + f64::from(t.timestamp_subsec_micros()) / 1e6
        }
    }
}

/// Epoch seconds as `2026-11-28 10:00:00 UTC`.
pub(crate) fn human_ts(v: &Value) -> String {
    let Some(secs) = v.as_f64() else {
        return v.to_string();
    };
    match chrono::DateTime::from_timestamp(secs.floor() as i64, 0) {
        Some(t) if secs.is_finite() => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        _ => v.to_string(),
    }
}

/// `FLAG 'S' is not FORM` (a usage error), `S` cut to a readable length.
fn not_form(flag: &str, s: &str, form: &str) -> Error {
    Error::usage(format!("{flag} '{}' is not {form}", crate::error::cut(s)))
}

/// A JSON number typed by a person (`0.25`, `10`, `1e-3`); integers stay integers.
fn number(s: &str, what: &str) -> Result<Value> {
    match serde_json::from_str::<Value>(s.trim()) {
        Ok(v @ Value::Number(_)) => Ok(v),
        _ => Err(Error::usage(format!(
            "{what}: '{}' is not a number",
            crate::error::cut(s)
        ))),
    }
}

/// `true`, `false` and JSON numbers typed like JSON; anything else (`null` too) is text.
pub(crate) fn typed_scalar(s: &str) -> Value {
    match s {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Number(_)) => v,
            _ => Value::String(s.to_string()),
        },
    }
}

/// JSON typed by a person, or plain text when it is not JSON (for `--global-override`).
fn json_or_text(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
}

fn parse_json(s: &str, what: &str) -> Result<Value> {
    serde_json::from_str(s).map_err(|e| {
        Error::usage(format!("{what} is not valid JSON: {e}"))
            .with_hint("quote it for the shell, e.g. --target '{\"EQ\":{\"field\":\"country\",\"values\":[\"US\"]}}'")
    })
}

fn variants(kind: BaseplateType, specs: &[String]) -> Result<Value> {
    let bad = |s: &str| {
        let form = match kind {
            BaseplateType::RangeVariant => "NAME=START..END, e.g. treat=0..0.25",
            k if k.is_legacy() => "NAME=PERCENT, e.g. treat=10",
            _ => "NAME=SIZE, e.g. treat=0.25",
        };
        not_form("--variant", s, form)
    };
    if kind.is_legacy() {
        let mut m = Map::new();
        for s in specs {
            let (name, pct) = s.rsplit_once('=').ok_or_else(|| bad(s))?;
            if name.is_empty() {
                return Err(bad(s));
            }
            m.insert(name.to_string(), number(pct, "--variant")?);
        }
        return Ok(Value::Object(m));
    }
    let mut list = Vec::new();
    for s in specs {
        let (name, spec) = s.rsplit_once('=').ok_or_else(|| bad(s))?;
        if name.is_empty() {
            return Err(bad(s));
        }
        let mut v = Map::new();
        v.insert("name".into(), Value::String(name.to_string()));
        if kind == BaseplateType::RangeVariant {
            let (a, b) = spec.split_once("..").ok_or_else(|| bad(s))?;
            v.insert("range_start".into(), number(a, "--variant")?);
            v.insert("range_end".into(), number(b, "--variant")?);
        } else {
            v.insert("size".into(), number(spec, "--variant")?);
        }
        list.push(Value::Object(v));
    }
    Ok(Value::Array(list))
}

fn targeting(legacy: bool, specs: &[String]) -> Result<Value> {
    if !legacy {
        return match specs {
            [one] => parse_json(one, "--target"),
            _ => Err(Error::usage(
                "the simple types take one --target tree; combine conditions with {\"ALL\": [...]}",
            )),
        };
    }
    if let [one] = specs
        && one.trim_start().starts_with('{')
    {
        return parse_json(one, "--target");
    }
    let mut m = Map::new();
    for s in specs {
        let (param, values) = s.split_once('=').ok_or_else(|| {
            let form = "PARAM=V1,V2 or a JSON object (r2/feature_flag), e.g. logged_in=true";
            not_form("--target", s, form)
        })?;
        let values: Vec<Value> = values.split(',').map(typed_scalar).collect();
        m.insert(param.to_string(), Value::Array(values));
    }
    Ok(Value::Object(m))
}

fn overrides(legacy: bool, specs: &[String]) -> Result<Value> {
    if legacy {
        let mut m: Map<String, Value> = Map::new();
        for s in specs {
            let bad = || {
                let form = "PARAM:VALUE=VARIANT (r2/feature_flag), e.g. user_name:gary=treat";
                not_form("--override", s, form)
            };
            let (param, rest) = s.split_once(':').ok_or_else(bad)?;
            let (value, variant) = rest.rsplit_once('=').ok_or_else(bad)?;
            let entry = m
                .entry(param.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(e) = entry {
                e.insert(value.to_string(), Value::String(variant.to_string()));
            }
        }
        return Ok(Value::Object(m));
    }
    let mut list = Vec::new();
    for s in specs {
        let (variant, tree) = s.split_once('=').ok_or_else(|| {
            let form =
                r#"VARIANT=TREE, e.g. control='{"EQ":{"field":"is_employee","value":true}}'"#;
            not_form("--override", s, form)
        })?;
        let mut m = Map::new();
        m.insert(variant.to_string(), parse_json(tree, "--override")?);
        list.push(Value::Object(m));
    }
    Ok(Value::Array(list))
}

/// The type a config says, when it is one of the six.
fn config_type(config: &Map<String, Value>) -> Option<BaseplateType> {
    let t = config.get("type")?.as_str()?.to_lowercase();
    BaseplateType::from_str_name(&t)
}

impl BaseplateType {
    fn from_str_name(s: &str) -> Option<BaseplateType> {
        use clap::ValueEnum;
        BaseplateType::value_variants()
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
    }
}

/// Applies the options to a config object (a new one is empty), in the key order of spec §9.
fn apply(
    config: &mut Map<String, Value>,
    o: &BaseplateOpts,
    new: bool,
    now: i64,
    owner: &str,
) -> Result<()> {
    let kind = o
        .kind
        .or_else(|| config_type(config))
        .ok_or_else(|| Error::usage("this experiment's type is not one of the six; give --type"))?;
    let legacy = kind.is_legacy();
    let misplaced = |opt: &str, for_what: &str| {
        Error::usage(format!(
            "{opt} applies to {for_what} experiments, not {}",
            kind.as_str()
        ))
    };
    if legacy {
        for (given, opt) in [
            (o.bucket_seed.is_some(), "--bucket-seed (use --seed)"),
            (o.shuffle_version.is_some(), "--shuffle-version"),
            (o.experiment_version.is_some(), "--experiment-version"),
            (o.num_buckets.is_some(), "--num-buckets"),
            (
                o.log_bucketing || o.no_log_bucketing,
                "--[no-]log-bucketing",
            ),
        ] {
            if given {
                return Err(misplaced(
                    opt,
                    "single_variant, multi_variant, feature_rollout and range_variant",
                ));
            }
        }
    } else {
        for (given, opt) in [
            (o.seed.is_some(), "--seed (use --bucket-seed)"),
            (o.newer_than.is_some(), "--newer-than"),
        ] {
            if given {
                return Err(misplaced(opt, "r2 and feature_flag"));
            }
        }
    }
    if new {
        config.insert("id".into(), Value::Null);
        config.insert("name".into(), Value::Null);
        config.insert("owner".into(), Value::String(owner.to_string()));
        config.insert("version".into(), Value::String("1".into()));
        config.insert("type".into(), Value::String(kind.as_str().into()));
        let start = Value::from(now);
        config.insert("start_ts".into(), start);
        config.insert("stop_ts".into(), Value::from(now + DEFAULT_WINDOW_SECS));
        config.insert("enabled".into(), Value::Bool(true));
        let mut e = Map::new();
        e.insert(
            "variants".into(),
            if legacy {
                Value::Object(Map::new())
            } else {
                Value::Array(Vec::new())
            },
        );
        if legacy {
            e.insert("targeting".into(), Value::Object(Map::new()));
            e.insert("overrides".into(), Value::Object(Map::new()));
            e.insert("bucket_val".into(), Value::String("user_id".into()));
        } else {
            e.insert("experiment_version".into(), Value::from(1));
            e.insert("shuffle_version".into(), Value::from(0));
            e.insert("bucket_val".into(), Value::String("user_id".into()));
            e.insert("log_bucketing".into(), Value::Bool(true));
        }
        config.insert("experiment".into(), Value::Object(e));
    }
    if let Some(t) = o.kind {
        config.insert("type".into(), Value::String(t.as_str().into()));
    }
    if let Some(owner) = &o.owner {
        config.insert("owner".into(), Value::String(owner.clone()));
    }
    if let Some(start) = o.start {
        let v = start.value();
        config.insert("start_ts".into(), v.clone());
        if new && o.stop.is_none() {
            let stop = v.as_f64().unwrap_or(0.0) as i64 + DEFAULT_WINDOW_SECS;
            config.insert("stop_ts".into(), Value::from(stop));
        }
    }
    if let Some(s) = &o.stop {
        config.insert("stop_ts".into(), s.value());
    }
    if o.enabled || o.disabled {
        config.insert("enabled".into(), Value::Bool(o.enabled));
    }
    if let Some(g) = &o.global_override {
        config.insert("global_override".into(), json_or_text(g));
    }
    if o.no_global_override {
        config.shift_remove("global_override");
    }
    let names_experiment_fields = !o.variants.is_empty()
        || o.experiment_version.is_some()
        || o.shuffle_version.is_some()
        || o.bucket_val.is_some()
        || o.log_bucketing
        || o.no_log_bucketing
        || o.bucket_seed.is_some()
        || o.seed.is_some()
        || o.num_buckets.is_some()
        || o.newer_than.is_some()
        || !o.targets.is_empty()
        || o.no_target
        || !o.overrides.is_empty()
        || o.no_overrides;
    // Every field the command does not name stays as authored or imported: the experiment
    // object is only touched (or added) for an option that names one of its fields.
    if !names_experiment_fields {
        return Ok(());
    }
    let exp = config
        .entry("experiment")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(e) = exp else {
        return Err(Error::usage(
            "this experiment's \"experiment\" field is not an object; fix it in a file and import it",
        ));
    };
    if !o.variants.is_empty() {
        e.insert("variants".into(), variants(kind, &o.variants)?);
    }
    if let Some(v) = o.experiment_version {
        e.insert("experiment_version".into(), Value::from(v));
    }
    if let Some(v) = o.shuffle_version {
        e.insert("shuffle_version".into(), Value::from(v));
    }
    if let Some(v) = &o.bucket_val {
        e.insert("bucket_val".into(), Value::String(v.clone()));
    }
    if o.log_bucketing || o.no_log_bucketing {
        e.insert("log_bucketing".into(), Value::Bool(o.log_bucketing));
    }
    if let Some(s) = &o.bucket_seed {
        e.insert("bucket_seed".into(), Value::String(s.clone()));
    }
    if let Some(s) = &o.seed {
        e.insert("seed".into(), Value::String(s.clone()));
    }
    if let Some(n) = o.num_buckets {
        e.insert("num_buckets".into(), Value::from(n));
    }
    if let Some(t) = &o.newer_than {
        e.insert("newer_than".into(), t.value());
    }
    if !o.targets.is_empty() {
        e.insert("targeting".into(), targeting(legacy, &o.targets)?);
    }
    if o.no_target {
        e.shift_remove("targeting");
    }
    if !o.overrides.is_empty() {
        e.insert("overrides".into(), overrides(legacy, &o.overrides)?);
    }
    if o.no_overrides {
        e.shift_remove("overrides");
    }
    // The top-level version follows experiment_version for the simple types (what baseplate
    // reports as the version of their events) when a new experiment gets one or the command
    // names it; otherwise it stays as authored.
    if !legacy
        && (new || o.experiment_version.is_some())
        && let Some(v) = e.get("experiment_version").and_then(Value::as_i64)
    {
        config.insert("version".into(), Value::String(v.to_string()));
    }
    Ok(())
}

/// Trees that baseplate accepts but silently treats as matching no one: in a file they are lint
/// findings; typed by a person they are mistakes, refused like invalid configs.
const MALFORMED_TREES: [&str; 6] = [
    "targeting-invalid",
    "targeting-empty",
    "override-tree-invalid",
    "override-entry-skipped",
    "overrides-invalid",
    "overrides-not-list",
];

/// The engine's judgement of an authored config: invalid (or a malformed tree) is exit 2 naming
/// the rule; everything else a warning.
fn judge(ctx: &Ctx, key: &str, config: &Value, now: f64) -> Result<()> {
    let findings = engine::lint(key, config, now);
    if let Some(f) = findings
        .iter()
        .find(|f| f.level == Level::Invalid || MALFORMED_TREES.contains(&f.rule))
    {
        let what = if f.level == Level::Invalid {
            "baseplate would reject experiment"
        } else {
            "baseplate would accept, and match no one with, experiment"
        };
        return Err(
            Error::usage(format!("{what} '{key}': {} [{}]", f.message, f.rule))
                .with_hint("see: wafflectl experiment create --help, and docs/baseplate.md"),
        );
    }
    for f in &findings {
        ctx.warn(format!("{key}: {} [{}]", f.message, f.rule));
    }
    Ok(())
}

/// Refuses a name that an experiment of the other system holds (one namespace).
fn refuse_edx_name(conn: &crate::store::Reader, key: &str) -> Result<()> {
    if edx::get_experiment(conn, key)?.is_some() {
        return Err(Error::runtime(format!(
            "'{key}' is an edX experiment; a baseplate experiment cannot have the same name"
        )));
    }
    Ok(())
}

pub(crate) fn create(
    ctx: &Ctx,
    key: &str,
    id: Option<i64>,
    o: &BaseplateOpts,
    m: &MutationArgs,
) -> Result<()> {
    key.parse::<crate::types::ExperimentKey>()?;
    let now = now_secs(ctx, None);
    let mut config = Map::new();
    apply(
        &mut config,
        o,
        true,
        now.floor() as i64,
        o.owner.as_deref().unwrap_or(&ctx.actor),
    )?;
    config.insert("name".into(), Value::String(key.to_string()));
    let mut store = ctx.store()?;
    let conn = store.conn();
    refuse_edx_name(conn, key)?;
    if store::get(conn, key)?.is_some() {
        return Err(
            Error::runtime(format!("experiment '{key}' already exists")).with_hint(format!(
                "change it with: wafflectl experiment set {key} ..."
            )),
        );
    }
    let id = match id {
        Some(i) => {
            check_id_free(ctx, conn, i, key)?;
            i
        }
        None => {
            let i = edx::next_free_id(conn)?.ok_or_else(|| {
                Error::runtime("every experiment ID 0–32767 is in use; give --id")
            })?;
            ctx.status(format!("experiment ID {i} (the smallest free one)"));
            i
        }
    };
    config.insert("id".into(), Value::Number(Number::from(id)));
    let config = Value::Object(config);
    judge(ctx, key, &config, now)?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let position = store::next_position(tx)?;
        let e = BaseplateExperiment::new(key, config, position, &tx.now_db);
        store::save(tx, &e)?;
        tx.record("experiment", key, None, Some(e.audit()))?;
        Ok(())
    })
}

pub(crate) fn set(
    ctx: &Ctx,
    before: BaseplateExperiment,
    id: Option<i64>,
    o: &BaseplateOpts,
    m: &MutationArgs,
) -> Result<()> {
    let key = before.key.clone();
    let now = now_secs(ctx, None);
    let Value::Object(mut config) = before.config.clone() else {
        return Err(Error::usage(format!(
            "experiment '{key}' is not a JSON object; fix it in a file and import it"
        )));
    };
    apply(&mut config, o, false, now.floor() as i64, &ctx.actor)?;
    let mut store = ctx.store()?;
    if let Some(i) = id {
        check_id_free(ctx, store.conn(), i, &key)?;
        config.insert("id".into(), Value::from(i));
    }
    let config = Value::Object(config);
    judge(ctx, &key, &config, now)?;
    crate::commands::write(ctx, &mut store, m, |tx| {
        let current = store::get(tx, &key)?.ok_or_else(|| Error::not_found("experiment", &key))?;
        if current.config == config {
            return Ok(());
        }
        let mut e = current.clone();
        e.config = config;
        e.modified = tx.now_db.clone();
        store::save(tx, &e)?;
        tx.record("experiment", &key, Some(current.audit()), Some(e.audit()))?;
        Ok(())
    })
}

pub(crate) fn delete(ctx: &Ctx, key: &str, m: &MutationArgs) -> Result<()> {
    let mut store = ctx.store()?;
    store::get(store.conn(), key)?.ok_or_else(|| Error::not_found("experiment", key))?;
    if !m.dry_run {
        ctx.confirm(&format!("Delete baseplate experiment {key}?"))?;
    }
    crate::commands::write(ctx, &mut store, m, |tx| {
        let e = store::get(tx, key)?.ok_or_else(|| Error::not_found("experiment", key))?;
        store::delete(tx, key)?;
        tx.record("experiment", key, Some(e.audit()), None)?;
        Ok(())
    })
}

/// Whether the experiment answers anything now: `live`, or why not (`invalid`, `unknown type`,
/// `disabled`, `not started`, `ended`).
pub(crate) fn status(findings: &[Finding]) -> &'static str {
    let has = |rule: &str| findings.iter().any(|f| f.rule == rule);
    if findings.iter().any(|f| f.level == Level::Invalid) {
        "invalid"
    } else if findings.iter().any(|f| f.level == Level::UnknownType) {
        "unknown type"
    } else if has("disabled") {
        "disabled"
    } else if has("not-started") {
        "not started"
    } else if has("ended") {
        "ended"
    } else {
        "live"
    }
}

/// A row of `experiment list` for a baseplate experiment.
#[derive(Serialize)]
pub(crate) struct ListItem<'a> {
    pub(crate) name: &'a str,
    pub(crate) kind: &'static str,
    #[serde(rename = "type")]
    pub(crate) type_: Option<&'a str>,
    pub(crate) experiment_id: Option<i64>,
    pub(crate) status: &'static str,
}

pub(crate) fn list_items(rows: &[BaseplateExperiment], now: f64) -> Vec<ListItem<'_>> {
    rows.iter()
        .map(|e| ListItem {
            name: &e.key,
            kind: "baseplate",
            type_: e.kind(),
            experiment_id: e.exp_id(),
            status: status(&engine::lint(&e.key, &e.config, now)),
        })
        .collect()
}

#[derive(Serialize)]
struct ShowOut<'a> {
    name: &'a str,
    kind: &'static str,
    #[serde(rename = "type")]
    type_: Option<&'a str>,
    experiment_id: Option<i64>,
    window: WindowJson,
    status: &'static str,
    config: &'a Value,
    findings: &'a [Finding],
    created: String,
    modified: String,
}

#[derive(Serialize)]
struct WindowJson {
    start: Option<Value>,
    stop: Option<Value>,
    live: bool,
}

pub(crate) fn show(ctx: &Ctx, e: &BaseplateExperiment) -> Result<()> {
    let now = now_secs(ctx, None);
    let findings = engine::lint(&e.key, &e.config, now);
    let status = status(&findings);
    let start = e.config.get("start_ts").cloned();
    let stop = e.config.get("stop_ts").cloned();
    if ctx.json() {
        return output::json(&ShowOut {
            name: &e.key,
            kind: "baseplate",
            type_: e.kind(),
            experiment_id: e.exp_id(),
            window: WindowJson {
                start,
                stop,
                live: status == "live",
            },
            status,
            config: &e.config,
            findings: &findings,
            created: time::db_to_json(&e.created),
            modified: time::db_to_json(&e.modified),
        });
    }
    let mut f = Fields::new();
    f.add("name", e.key.clone());
    f.add(
        "kind",
        format!("baseplate {}", e.kind().unwrap_or("(no type)")),
    );
    f.add(
        "id",
        e.config.get("id").map_or("-".into(), Value::to_string),
    );
    if let Some(n) = e.config.get("name").filter(|n| n.as_str() != Some(&e.key)) {
        f.add("config name", n.to_string());
    }
    if let Some(o) = e.config.get("owner") {
        f.add(
            "owner",
            o.as_str().map_or_else(|| o.to_string(), String::from),
        );
    }
    f.add(
        "window",
        format!(
            "{} → {}",
            start.as_ref().map_or("-".into(), human_ts),
            stop.as_ref().map_or("-".into(), human_ts)
        ),
    );
    f.add("status", status.to_string());
    if let Some(g) = e.config.get("global_override") {
        f.add("global override", format!("{g} (answered to everyone)"));
    }
    f.add("created", time::db_to_human(&e.created));
    f.add("modified", time::db_to_human(&e.modified));
    f.add(
        "config",
        serde_json::to_string_pretty(&e.config).unwrap_or_default(),
    );
    f.print(ctx.format, ctx.color)?;
    for x in &findings {
        if x.level != Level::Disabled {
            ctx.warn(format!("{}: {} [{}]", e.key, x.message, x.rule));
        }
    }
    Ok(())
}
