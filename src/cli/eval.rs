use clap::Args;

use super::{AssumeArgs, AttributeArgs, SubjectArgs, WhenArgs};
use crate::types::ToggleName;

const EVAL_EXAMPLES: &str = "\
Examples:
  wafflectl eval maintenance
  wafflectl eval new_dashboard --user alice --language de
  wafflectl eval example_namespace.example_flag --user alice \\
      --course course-v1:edX+DemoX+Demo_Course --json";

/// Evaluate a switch, sample, flag or experiment and show every step of the decision.
#[derive(Debug, Args)]
#[command(after_help = EVAL_EXAMPLES)]
// eval words some of the shared arguments for itself. clap moves an argument it changes to the
// end, so every one is named here, in eval's order: completions list them in that order.
#[command(mut_arg("user", |a| a
    .help("The user (from the store when it exists there)")
    .conflicts_with("anonymous")))]
#[command(mut_arg("anonymous", |a| a.help("An anonymous (logged-out) visitor")))]
#[command(mut_arg("course", |a| a))]
#[command(mut_arg("language", |a| a.help("The request's language code (LANGUAGE_CODE)")))]
#[command(mut_arg("staff", |a| a))]
#[command(mut_arg("superuser", |a| a))]
#[command(mut_arg("groups", |a| a))]
#[command(mut_arg("enrolled_at", |a| a.help("When the user enrolled in the course")))]
#[command(mut_arg("now", |a| a))]
#[command(mut_arg("assume_percent", |a| a.help("Settle a percent roll")))]
pub(crate) struct EvalArgs {
    /// A switch, sample, flag or experiment name
    pub(crate) name: ToggleName,
    #[command(flatten)]
    pub(crate) subject: SubjectArgs,
    #[command(flatten)]
    pub(crate) attrs: AttributeArgs,
    #[command(flatten)]
    pub(crate) when: WhenArgs,
    #[command(flatten)]
    pub(crate) assume: AssumeArgs,
}
