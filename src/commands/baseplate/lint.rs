//! `wafflectl lint FILE`: every experiment of an experiments.json that baseplate treats as
//! invalid, disabled, of unknown type, targeting no one, or caught in a trap; no store needed.
//! The file's format is recognised as import's is: a native file is read (and validated) as
//! import reads it and its baseplate experiments are linted; a Django fixture holds no baseplate
//! experiments, which lint says (exit 2).

use serde::Serialize;

use super::now_secs;
use crate::cli::LintArgs;
use crate::context::Ctx;
use crate::engine::baseplate::{self as engine, Level};
use crate::error::{Error, Result};
use crate::interop;
use crate::output::{self, Format, Table};
use crate::types::FileFormat;

#[derive(Serialize)]
struct Line<'a> {
    key: &'a str,
    level: Level,
    rule: &'static str,
    message: String,
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Invalid => "invalid",
        Level::Disabled => "disabled",
        Level::UnknownType => "unknown type",
        Level::NoTargeting => "targets no one",
        Level::Trap => "trap",
    }
}

pub(crate) fn run(ctx: &Ctx, a: LintArgs) -> Result<()> {
    let now = now_secs(ctx, a.now.as_ref());
    let loaded = interop::load(&a.file, ctx.file_format, ctx.now.date_naive())?;
    for w in &loaded.warnings {
        ctx.warn(w);
    }
    let src = &loaded.src;
    if loaded.format == FileFormat::Django {
        return Err(Error::usage(format!(
            "{src}: this is a Django fixture, and lint checks baseplate experiments (an experiments.json, or the baseplate_experiments of a native file)"
        ))
        .with_hint(format!(
            "import and diff validate fixtures: wafflectl diff {src}"
        )));
    }
    let Some(experiments) = loaded.state.baseplate.as_deref() else {
        ctx.status(format!(
            "{src}: a native file without baseplate experiments, nothing to lint"
        ));
        return Ok(());
    };
    let mut shared: std::collections::HashMap<&str, engine::Finding> =
        engine::shared_ids(experiments.iter().filter_map(|e| {
            Some((
                e.key.as_str(),
                crate::store::baseplate::config_id(&e.config)?,
            ))
        }))
        .into_iter()
        .collect();
    let mut lines = Vec::new();
    for e in experiments {
        let (key, config) = (&e.key, &e.config);
        for f in engine::lint(key, config, now)
            .into_iter()
            .chain(shared.remove(key.as_str()))
        {
            lines.push(Line {
                key,
                level: f.level,
                rule: f.rule,
                message: f.message,
            });
        }
    }
    let invalid = lines.iter().filter(|l| l.level == Level::Invalid).count();
    if ctx.json() {
        output::json(&lines)?;
    } else if lines.is_empty() {
        ctx.status(format!(
            "{src}: {} experiments, nothing to report",
            experiments.len()
        ));
    } else if ctx.format == Format::Plain {
        let text: Vec<String> = lines
            .iter()
            .map(|l| {
                format!(
                    "{}\t{}\t{}\t{}",
                    l.key,
                    level_word(l.level),
                    l.rule,
                    l.message
                )
            })
            .collect();
        output::out(&text.join("\n"))?;
    } else {
        let mut t = Table::new(["EXPERIMENT", "LEVEL", "RULE", "MESSAGE"]);
        for l in &lines {
            t.row([
                l.key.to_string(),
                level_word(l.level).to_string(),
                l.rule.to_string(),
                l.message.clone(),
            ]);
        }
        t.print(ctx.format, ctx.color)?;
    }
    if invalid > 0 {
        let invalid_experiments = lines
            .iter()
            .filter(|l| l.level == Level::Invalid)
            .map(|l| l.key)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        return Err(Error::runtime(format!(
            "{invalid_experiments} of {} experiments are invalid to baseplate (variant() answers None for them)",
            experiments.len()
        )));
    }
    Ok(())
}
