//! The `WAFFLECTL_*` environment variables: one place that knows them and checks their values
//! before any command runs, so a bad value is an error (exit 2), never silently ignored.

use crate::error::{Error, Result};

/// Read by the binary.
const READ: &[&str] = &[
    "WAFFLECTL_DB",
    "WAFFLECTL_ACTOR",
    "WAFFLECTL_NOW",
    "WAFFLECTL_BUSY_TIMEOUT_MS",
    "WAFFLECTL_CACHE",
    "WAFFLECTL_DB_PASSWORD",
    "WAFFLECTL_JOBS",
    "WAFFLECTL_SIMD",
    "WAFFLECTL_CONFIG",
    "WAFFLECTL_ENV",
];
/// Read by the test suite and the conformance/bench scripts, not by the binary.
const TOOLING: &[&str] = &[
    "WAFFLECTL_BIN",
    "WAFFLECTL_BLESS",
    "WAFFLECTL_TEST_REDIS",
    "WAFFLECTL_TEST_REDIS_TLS",
    "WAFFLECTL_TEST_REDIS_ACL_URL",
    "WAFFLECTL_TEST_MEMCACHED",
    "WAFFLECTL_TEST_MYSQL_URL",
    "WAFFLECTL_TEST_MYSQL_RO_URL",
    "WAFFLECTL_TEST_MYSQL_TLS_URL",
    "WAFFLECTL_TEST_PG_URL",
    "WAFFLECTL_TEST_PG_RO_URL",
    "WAFFLECTL_TEST_PG_TLS_URL",
    "WAFFLECTL_TEST_TLS_CA",
];

/// `$WAFFLECTL_CACHE`: `None` when unset or empty, else the parsed cache URL.
pub fn cache() -> Result<Option<crate::types::CacheServer>> {
    match var("WAFFLECTL_CACHE")? {
        None => Ok(None),
        Some(v) => crate::types::parse_cache_url(&v).map(Some).map_err(|e| {
            Error::usage(format!("WAFFLECTL_CACHE: {e}"))
                .with_hint("e.g. WAFFLECTL_CACHE=redis://127.0.0.1:6379/1, or unset it")
        }),
    }
}

/// `$WAFFLECTL_BUSY_TIMEOUT_MS`: `None` when unset or empty, else the parsed value.
pub fn busy_timeout_ms() -> Result<Option<u64>> {
    match var("WAFFLECTL_BUSY_TIMEOUT_MS")? {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| {
            Error::usage(format!(
                "WAFFLECTL_BUSY_TIMEOUT_MS must be a whole number of milliseconds, not '{v}'"
            ))
            .with_hint("e.g. WAFFLECTL_BUSY_TIMEOUT_MS=5000, or unset it for the default")
        }),
    }
}

/// `$WAFFLECTL_NOW`: `None` when unset or empty, else the fixed clock.
pub fn now() -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    match var("WAFFLECTL_NOW")? {
        None => Ok(None),
        Some(v) => crate::time::parse_human(&v).map(Some).map_err(|e| {
            Error::usage(format!("WAFFLECTL_NOW is not a date: {}", e.message)).with_hint(
                "e.g. WAFFLECTL_NOW=2026-01-02T03:04:05Z, or unset it for the real clock",
            )
        }),
    }
}

/// `$WAFFLECTL_JOBS`: the worker threads of bulk commands when `--jobs` is not given; `None`
/// when unset or empty.
pub fn jobs() -> Result<Option<u16>> {
    match var("WAFFLECTL_JOBS")? {
        None => Ok(None),
        Some(v) => match v.trim().parse::<u16>() {
            Ok(n) if (1..=crate::types::JOBS_MAX).contains(&n) => Ok(Some(n)),
            _ => Err(Error::usage(format!(
                "WAFFLECTL_JOBS must be a whole number from 1 to {}, not '{}'",
                crate::types::JOBS_MAX,
                crate::error::cut(&v)
            ))
            .with_hint("e.g. WAFFLECTL_JOBS=4, or unset it to use every core")),
        },
    }
}

/// `$WAFFLECTL_SIMD`: the instruction set the bulk hashers use instead of the widest the CPU
/// has (`avx512`, `avx2`, `sse2` or `scalar`); `None` when unset or empty.
pub fn simd() -> Result<Option<crate::engine::lanes::Isa>> {
    use crate::engine::lanes::Isa;
    match var("WAFFLECTL_SIMD")? {
        None => Ok(None),
        Some(v) => match Isa::from_name(v.trim()) {
            Some(isa) if isa.available() => Ok(Some(isa)),
            Some(isa) => Err(Error::usage(format!(
                "WAFFLECTL_SIMD={v}: this CPU has no {} instructions",
                isa.name()
            ))
            .with_hint(format!("the widest it has is {}", Isa::best().name()))),
            None => Err(Error::usage(format!(
                "WAFFLECTL_SIMD must be avx512, avx2, sse2 or scalar, not '{}'",
                crate::error::cut(&v)
            ))
            .with_hint("unset it to use the widest instructions the CPU has")),
        },
    }
}

/// A variable's value; unset and empty are the same; a value that is not UTF-8 is an error.
/// `$WAFFLECTL_DB_PASSWORD`: the password of a `--db` URL that gives none; `None` when unset or
/// empty.
pub fn db_password() -> Result<Option<String>> {
    var("WAFFLECTL_DB_PASSWORD")
}

/// `$WAFFLECTL_CONFIG`: the config file naming environments; `None` when unset or empty.
pub fn config_file() -> Result<Option<std::path::PathBuf>> {
    Ok(var("WAFFLECTL_CONFIG")?.map(std::path::PathBuf::from))
}

/// `$WAFFLECTL_ENV`: the environment of the config file to work on when `--env` is not given;
/// `None` when unset or empty.
pub fn env_name() -> Result<Option<String>> {
    var("WAFFLECTL_ENV")
}

/// The user's config directory: `$XDG_CONFIG_HOME` (when absolute), else `$HOME/.config`.
pub fn user_config_dir() -> Option<std::path::PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(std::path::PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    absolute("XDG_CONFIG_HOME").or_else(|| absolute("HOME").map(|h| h.join(".config")))
}

/// The variable an environment's `password_env` names; `None` when unset or empty.
pub fn named(name: &str) -> Result<Option<String>> {
    var(name)
}

fn var(name: &str) -> Result<Option<String>> {
    match std::env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(Error::usage(format!("{name} is not valid UTF-8")))
        }
    }
}

/// Checks every `WAFFLECTL_*` variable: known ones must hold a valid value, unknown names
/// (a typo such as `WAFFLECTL_BD`) are refused with the closest known name.
pub fn check() -> Result<()> {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if !key.starts_with("WAFFLECTL_") || READ.contains(&key) || TOOLING.contains(&key) {
            continue;
        }
        let err = Error::usage(format!("unknown environment variable {key}"));
        let close = crate::suggest::closest(key, READ.iter().copied());
        return Err(match close.first() {
            Some(c) => err.with_hint(format!("did you mean {c}? (or unset {key})")),
            None => err.with_hint(format!("wafflectl reads {}; unset {key}", READ.join(", "))),
        });
    }
    for name in [
        "WAFFLECTL_DB",
        "WAFFLECTL_ACTOR",
        "WAFFLECTL_CONFIG",
        "WAFFLECTL_ENV",
    ] {
        var(name)?;
    }
    now()?;
    busy_timeout_ms()?;
    cache()?;
    jobs()?;
    if let Some(isa) = simd()? {
        crate::engine::lanes::limit(isa).map_err(Error::usage)?;
    }
    Ok(())
}
