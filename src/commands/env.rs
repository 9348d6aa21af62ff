//! `wafflectl env list|check`: the environments of the config file, and whether each can be
//! reached. Secrets never appear: URLs are shown with their password masked, and a password's
//! source is named, not read (`list`) or read only to connect (`check`).

use crate::cache::doctor::Level;
use crate::cli::{EnvCheckArgs, EnvCmd};
use crate::config::{Config, Environment};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::Counts;

pub(crate) fn run(ctx: &Ctx, c: EnvCmd) -> Result<()> {
    match c {
        EnvCmd::List => list(ctx),
        EnvCmd::Check(a) => check(ctx, a),
    }
}

/// The config file, or `None` after saying that there is none.
fn config(ctx: &Ctx) -> Result<Option<Config>> {
    let config = crate::config::load(ctx.config.as_deref())?;
    if config.is_none() && !ctx.json() {
        ctx.status(
            "no environments: no config file (--config, $WAFFLECTL_CONFIG, ./wafflectl.toml or \
             wafflectl/config.toml in the user's config directory; see docs/environments.md)",
        );
    }
    Ok(config)
}

/// One environment as `env list` shows it.
#[derive(serde::Serialize)]
struct Listed {
    name: String,
    backend: &'static str,
    /// The path or URL, a password masked.
    db: String,
    /// Where the password comes from (`$VAR`, `command: ...`, `in the config file`), or `-`.
    password: String,
    /// The cache URL, a password masked.
    cache: Option<String>,
    cache_key_prefix: String,
    cache_version: i64,
    waffle_cache_prefix: String,
    protected: bool,
}

/// The backend an environment's `db` names, read from its text (no connection).
fn backend_of(e: &Environment) -> &'static str {
    match crate::types::DbUrl::parse(&e.db.to_string_lossy(), None) {
        Ok(Some(u)) => match u.server {
            crate::types::DbServer::MySql => "mysql",
            crate::types::DbServer::Postgres => "postgres",
        },
        _ => "sqlite",
    }
}

fn list(ctx: &Ctx) -> Result<()> {
    let Some(config) = config(ctx)? else {
        return if ctx.json() {
            crate::output::json(&Vec::<Listed>::new())
        } else {
            Ok(())
        };
    };
    let rows: Vec<Listed> = config
        .environments
        .iter()
        .map(|e| Listed {
            name: e.name.clone(),
            backend: backend_of(e),
            db: e.db_masked(),
            password: e.password.describe(),
            cache: e.cache.as_ref().map(|c| c.to_string()),
            cache_key_prefix: e.cache_key_prefix.clone(),
            cache_version: e.cache_version,
            waffle_cache_prefix: e.waffle_cache_prefix.clone(),
            protected: e.protected,
        })
        .collect();
    let none = format!("no environments in {}", config.path.display());
    super::print_rows(
        ctx,
        &rows,
        &none,
        ["NAME", "BACKEND", "DB", "PASSWORD", "CACHE", "PROTECTED"],
        |r| {
            [
                r.name.clone(),
                r.backend.to_string(),
                r.db.clone(),
                r.password.clone(),
                r.cache.clone().unwrap_or_else(|| "-".into()),
                if r.protected { "yes" } else { "no" }.to_string(),
            ]
        },
    )
}

/// One environment as `env check` found it.
#[derive(serde::Serialize)]
struct Checked {
    name: String,
    ok: bool,
    /// The path or URL, a password masked.
    db: String,
    backend: Option<&'static str>,
    schema_version: Option<i64>,
    store_id: Option<String>,
    counts: Option<Counts>,
    /// `ok`, `-` (no cache configured), or what went wrong reaching it.
    cache: String,
    protected: bool,
    /// Why the environment could not be checked (one line, secrets masked).
    error: Option<String>,
}

fn check(ctx: &Ctx, a: EnvCheckArgs) -> Result<()> {
    let Some(config) = config(ctx)? else {
        if !a.names.is_empty() {
            return Err(Error::usage("no config file names environments").with_hint(
                "write ./wafflectl.toml (or pass --config PATH); see docs/environments.md",
            ));
        }
        return if ctx.json() {
            crate::output::json(&Vec::<Checked>::new())
        } else {
            Ok(())
        };
    };
    let chosen: Vec<&Environment> = if a.names.is_empty() {
        config.environments.iter().collect()
    } else {
        a.names
            .iter()
            .map(|n| config.get(n))
            .collect::<Result<_>>()?
    };
    let pb = super::progress(ctx, chosen.len() as u64, "checking environments");
    let mut rows = Vec::with_capacity(chosen.len());
    for e in chosen {
        rows.push(check_one(ctx, &config, e));
        pb.inc(1);
    }
    pb.finish_and_clear();
    let failed = rows.iter().filter(|r| !r.ok).count();
    let none = format!("no environments in {}", config.path.display());
    super::print_rows(
        ctx,
        &rows,
        &none,
        [
            "NAME",
            "RESULT",
            "BACKEND",
            "SCHEMA",
            "IDENTITY",
            "FLAGS",
            "SWITCHES",
            "SAMPLES",
            "OVERRIDES",
            "EDX EXPERIMENTS",
            "BASEPLATE EXPERIMENTS",
            "USERS",
            "CACHE",
        ],
        |r| {
            let n = |f: fn(&Counts) -> i64| {
                r.counts
                    .as_ref()
                    .map_or_else(|| "-".into(), |c| f(c).to_string())
            };
            [
                r.name.clone(),
                match &r.error {
                    None => "ok".into(),
                    Some(e) => format!("error: {e}"),
                },
                r.backend.unwrap_or("-").to_string(),
                r.schema_version
                    .map_or_else(|| "-".into(), |v| v.to_string()),
                r.store_id.clone().unwrap_or_else(|| "-".into()),
                n(|c| c.flags),
                n(|c| c.switches),
                n(|c| c.samples),
                n(|c| c.overrides),
                n(|c| c.edx_experiments),
                n(|c| c.baseplate_experiments),
                n(|c| c.users),
                r.cache.clone(),
            ]
        },
    )?;
    if failed > 0 {
        return Err(Error::runtime(format!(
            "{failed} of {} environments failed their check (see above)",
            rows.len()
        )));
    }
    Ok(())
}

/// Connects to `e` and reads what `env check` reports; a failure is the row's error.
fn check_one(ctx: &Ctx, config: &Config, e: &Environment) -> Checked {
    let mut row = Checked {
        name: e.name.clone(),
        ok: false,
        db: e.db_masked(),
        backend: None,
        schema_version: None,
        store_id: None,
        counts: None,
        cache: "-".into(),
        protected: e.protected,
        error: None,
    };
    let found = (|| -> Result<()> {
        let env_ctx = ctx.on_environment(&config.path, e)?;
        let store = env_ctx.store()?;
        row.backend = Some(store.backend_name());
        row.schema_version = Some(store.schema_version());
        row.store_id = store.identity()?;
        row.counts = Some(crate::store::counts(store.conn())?);
        if let Some(cache) = &env_ctx.cache {
            let findings = crate::cache::doctor::findings(cache, &store)?;
            row.cache = match findings.iter().find(|f| f.level == Level::Error) {
                Some(f) => {
                    return Err(Error::runtime(format!("cache: {}", f.detail)));
                }
                None => format!("ok ({})", cache.server),
            };
        }
        Ok(())
    })();
    match found {
        Ok(()) => row.ok = true,
        Err(err) => {
            let err = ctx_hint_free(err);
            if err.message.starts_with("cache: ") {
                row.cache = err.message.clone();
            }
            row.error = Some(err.message);
        }
    }
    row
}

/// An error as one line for a row (its hint, which suggests commands for one store, left out).
fn ctx_hint_free(e: Error) -> Error {
    Error {
        hint: None,
        message: e.message.replace('\n', " "),
        ..e
    }
}
