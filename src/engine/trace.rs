//! Step-by-step explanations. Decision code takes a [`Trace`]; with [`NoTrace`] (bulk bucketing)
//! the explanation text is never formatted, so one code path serves `eval` and millions of users.

use serde::Serialize;

/// One step of a decision, as `eval` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub step: String,
    pub detail: String,
}

pub trait Trace {
    /// Whether steps are kept; when false, callers skip formatting altogether.
    const ON: bool;
    fn push(&mut self, step: &str, detail: String);
}

/// Records a step, formatting its detail only when the trace keeps steps.
#[inline]
pub fn note<T: Trace>(t: &mut T, step: &str, detail: impl FnOnce() -> String) {
    if T::ON {
        t.push(step, detail());
    }
}

/// Keeps nothing.
pub struct NoTrace;

impl Trace for NoTrace {
    const ON: bool = false;
    #[inline]
    fn push(&mut self, _step: &str, _detail: String) {}
}

/// Keeps every step.
#[derive(Debug, Default, Clone)]
pub struct Steps(pub Vec<Step>);

impl Trace for Steps {
    const ON: bool = true;
    fn push(&mut self, step: &str, detail: String) {
        self.0.push(Step {
            step: step.to_string(),
            detail,
        });
    }
}
