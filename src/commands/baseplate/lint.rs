//! `wafflectl lint FILE`: every experiment of an experiments.json that baseplate treats as
//! invalid, disabled, of unknown type, targeting no one, or caught in a trap; no store needed.

use serde::Serialize;

use super::now_secs;
use crate::cli::LintArgs;
use crate::context::Ctx;
use crate::engine::baseplate::{self as engine, Level};
use crate::error::{Error, Result};
use crate::output::{self, Format, Table};

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
    let now = now_secs(a.now.as_ref());
    let (file, warnings) = crate::interop::baseplate::read(&a.file)?;
    for w in warnings {
        ctx.warn(w);
    }
    let mut shared: std::collections::HashMap<&str, engine::Finding> = engine::shared_ids(
        file.experiments
            .iter()
            .filter_map(|(k, c)| Some((k.as_str(), crate::store::baseplate::config_id(c)?))),
    )
    .into_iter()
    .collect();
    let mut lines = Vec::new();
    for (key, config) in &file.experiments {
        let findings = engine::lint(key, config, now);
        for f in findings.into_iter().chain(shared.remove(key.as_str())) {
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
            "{}: {} experiments, nothing to report",
            a.file.display(),
            file.experiments.len()
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
        let experiments = lines
            .iter()
            .filter(|l| l.level == Level::Invalid)
            .map(|l| l.key)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        return Err(Error::runtime(format!(
            "{experiments} of {} experiments are invalid to baseplate (variant() answers None for them)",
            file.experiments.len()
        )));
    }
    Ok(())
}
