//! Settled toggles: the ones that decide the same for every request, whoever asks and wherever
//! (`docs/removal.md`). Pure: commands load the rows, this says what they always decide.

use super::overrides::Choice;
use super::waffle::FlagRule;

/// Why a django-waffle flag row decides the same for everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagWhy {
    /// There is no row: django-waffle's default (`WAFFLE_FLAG_DEFAULT`) is off.
    NoRow,
    /// `everyone` is on or off.
    Everyone,
    /// `everyone` is unset and no criterion can admit anyone (percent 0, no users, groups,
    /// staff, superusers, authenticated, languages or testing).
    NoCriterion,
}

impl FlagWhy {
    pub fn text(self, on: bool) -> &'static str {
        match (self, on) {
            (FlagWhy::NoRow, _) => "no flag row: django-waffle's default is off",
            (FlagWhy::Everyone, true) => "everyone = on",
            (FlagWhy::Everyone, false) => "everyone = off",
            (FlagWhy::NoCriterion, _) => "no criterion can admit anyone",
        }
    }
}

/// What a flag row decides for every request, when that is the same for all.
pub fn flag(rule: Option<&FlagRule>) -> Option<(bool, FlagWhy)> {
    let Some(r) = rule else {
        return Some((false, FlagWhy::NoRow));
    };
    if let Some(v) = r.everyone {
        return Some((v, FlagWhy::Everyone));
    }
    let admits_someone = r.percent.is_some_and(|p| p > 0)
        || r.testing
        || !r.languages.is_empty()
        || r.authenticated
        || r.staff
        || r.superusers
        || !r.users.is_empty()
        || !r.groups.is_empty();
    if admits_someone {
        None
    } else {
        Some((false, FlagWhy::NoCriterion))
    }
}

/// What a `CourseWaffleFlag` decides in every course: the flag row's settled value, when every
/// course and org override in force (`None` = no override) agrees with it.
pub fn course_flag(
    rule: Option<&FlagRule>,
    overrides: &[Option<Choice>],
) -> Option<(bool, FlagWhy)> {
    let (v, why) = flag(rule)?;
    let agrees = overrides.iter().all(|c| match c {
        Some(Choice::On) => v,
        Some(Choice::Off) => !v,
        None => true,
    });
    agrees.then_some((v, why))
}

/// What a django-waffle sample decides on every check, when that is the same for all (`tenths`:
/// its percent in tenths): at 100.0 it is on; at 0.0 it is on only for an exact 0.0 draw of the
/// random number, taken as off; anything between is random.
pub fn sample(tenths: i32) -> Option<bool> {
    match tenths {
        0 => Some(false),
        t if t >= 1000 => Some(true),
        _ => None,
    }
}

/// How an edX experiment puts everyone in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExperimentWhy {
    /// The main flag is off for everyone: bucket 0, no event.
    MainOff,
    /// The main flag is on and bucket flag `NAME.i` is on for everyone, every lower one off.
    Forced(u32),
    /// The experiment has a single bucket.
    OneBucket,
}

/// The bucket every user lands in, when it is the same for all. `main` and `buckets` are the
/// settled values of the main flag and of the bucket flags that exist or have overrides (None:
/// depends on who asks); missing bucket flags are off. `window`: an enrollment window may send
/// users outside it to bucket 0.
pub fn experiment(
    main: Option<bool>,
    buckets: &[(u32, Option<bool>)],
    num_buckets: u32,
    window: bool,
) -> Option<(u32, ExperimentWhy)> {
    if !main? {
        return Some((0, ExperimentWhy::MainOff));
    }
    let mut sorted: Vec<&(u32, Option<bool>)> =
        buckets.iter().filter(|(i, _)| *i < num_buckets).collect();
    sorted.sort_by_key(|(i, _)| *i);
    for (i, v) in sorted {
        match v {
            Some(false) => continue,
            Some(true) if window && *i != 0 => return None,
            Some(true) => return Some((*i, ExperimentWhy::Forced(*i))),
            None => return None,
        }
    }
    (num_buckets <= 1).then_some((0, ExperimentWhy::OneBucket))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::names::name_set;

    fn rule() -> FlagRule {
        FlagRule::named("f")
    }

    #[test]
    fn flags_settle_on_everyone_or_no_criterion() {
        assert_eq!(flag(None), Some((false, FlagWhy::NoRow)));
        let mut r = rule();
        assert_eq!(flag(Some(&r)), Some((false, FlagWhy::NoCriterion)));
        r.percent = Some(0);
        assert_eq!(flag(Some(&r)), Some((false, FlagWhy::NoCriterion)));
        r.percent = Some(1);
        assert_eq!(flag(Some(&r)), None);
        r.everyone = Some(true);
        assert_eq!(flag(Some(&r)), Some((true, FlagWhy::Everyone)));
        for change in [
            |r: &mut FlagRule| r.testing = true,
            |r: &mut FlagRule| r.staff = true,
            |r: &mut FlagRule| r.superusers = true,
            |r: &mut FlagRule| r.authenticated = true,
            |r: &mut FlagRule| r.languages = vec!["de".into()],
            |r: &mut FlagRule| r.users = name_set(["alice"]),
            |r: &mut FlagRule| r.groups = vec!["beta".into()],
        ] {
            let mut r = rule();
            change(&mut r);
            assert_eq!(flag(Some(&r)), None, "{r:?}");
        }
    }

    #[test]
    fn overrides_that_disagree_unsettle() {
        let mut r = rule();
        r.everyone = Some(true);
        assert!(course_flag(Some(&r), &[Some(Choice::On), None]).is_some());
        assert!(course_flag(Some(&r), &[Some(Choice::Off)]).is_none());
        assert!(course_flag(None, &[Some(Choice::On)]).is_none());
    }

    #[test]
    fn samples_settle_at_0_and_100_percent_only() {
        assert_eq!(sample(0), Some(false));
        assert_eq!(sample(1000), Some(true));
        for t in [1, 5, 500, 999] {
            assert_eq!(sample(t), None, "{t}");
        }
    }

    #[test]
    fn experiments_settle_on_main_off_or_one_forced_bucket() {
        assert_eq!(
            experiment(Some(false), &[], 2, true),
            Some((0, ExperimentWhy::MainOff))
        );
        assert_eq!(experiment(None, &[], 2, false), None);
        assert_eq!(experiment(Some(true), &[], 2, false), None);
        assert_eq!(
            experiment(Some(true), &[(0, Some(false)), (1, Some(true))], 3, false),
            Some((1, ExperimentWhy::Forced(1)))
        );
        assert_eq!(experiment(Some(true), &[(1, Some(true))], 3, true), None);
        assert_eq!(
            experiment(Some(true), &[(0, None), (1, Some(true))], 3, false),
            None
        );
        assert_eq!(experiment(Some(true), &[(5, Some(true))], 3, false), None);
        assert_eq!(
            experiment(Some(true), &[], 1, false),
            Some((0, ExperimentWhy::OneBucket))
        );
    }
}
