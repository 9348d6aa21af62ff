//! Pearson's chi-square goodness-of-fit test: the one test behind `bucket --summary`,
//! `variant --summary` and `srm`, with its rule for "enough data" and its thresholds.

/// The statistic, degrees of freedom and p-value of a chi-square goodness-of-fit test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChiSquare {
    /// Σ (observed − expected)² / expected; infinite when a cell that expects nothing holds
    /// observations (the hypothesis is then impossible, p-value 0).
    pub statistic: f64,
    /// Cells that expect observations, minus one.
    pub df: u32,
    pub p_value: f64,
}

/// A test with what it compared: the expected count of each cell, and whether the data are
/// enough for the test to mean something (see [`MIN_EXPECTED_PER_CELL`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub test: ChiSquare,
    /// The expected count of each cell, in the order of the observed counts.
    pub expected: Vec<f64>,
    pub total: u64,
    pub enough_data: bool,
}

/// The chi-square approximation holds when every cell expects at least this many observations
/// (Cochran's rule, the one textbooks and scipy's documentation give); below it a p-value,
/// large or small, means little.
pub const MIN_EXPECTED_PER_CELL: f64 = 5.0;

/// Below this p-value a summary calls the spread off (strong evidence).
pub const STRONG_EVIDENCE: f64 = 0.001;

/// Below this p-value (and above [`STRONG_EVIDENCE`]) a summary reports weak evidence.
pub const WEAK_EVIDENCE: f64 = 0.05;

/// Below this p-value `srm` reports a sample-ratio mismatch: the threshold the SRM literature
/// (Fabijan et al., KDD 2019) and the common SRM checkers use, strict because the test is run on
/// every experiment and a false alarm stops an analysis.
pub const SRM_THRESHOLD: f64 = 0.0005;

/// A share this small (relative to the sum of shares) is float noise from sizes that add up to
/// the whole (1 − Σ sizes), not a cell that expects observations.
const NOISE_SHARE: f64 = 1e-12;

/// What a summary says of a spread, from one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Some cell expects fewer than [`MIN_EXPECTED_PER_CELL`] observations.
    TooFewData,
    /// p ≥ [`WEAK_EVIDENCE`].
    Consistent,
    /// [`STRONG_EVIDENCE`] ≤ p < [`WEAK_EVIDENCE`].
    WeakEvidence,
    /// p < [`STRONG_EVIDENCE`].
    Off,
}

impl Fit {
    /// The verdict of a summary (`bucket --summary`, `variant --summary`).
    pub fn spread(&self) -> Spread {
        let p = self.test.p_value;
        if !self.enough_data && self.test.statistic.is_finite() {
            Spread::TooFewData
        } else if p < STRONG_EVIDENCE {
            Spread::Off
        } else if p < WEAK_EVIDENCE {
            Spread::WeakEvidence
        } else {
            Spread::Consistent
        }
    }

    /// A sample-ratio mismatch: p below [`SRM_THRESHOLD`] with enough data, or observations in
    /// a cell that expects none (a certain mismatch, whatever the amount of data).
    pub fn mismatch(&self) -> bool {
        if !self.test.statistic.is_finite() {
            return true;
        }
        self.enough_data && self.test.p_value < SRM_THRESHOLD
    }
}

/// Tests `observed` counts against `shares` (any non-negative weights, one per cell, scaled to
/// the total; e.g. variant sizes). A cell with share 0 adds no degree of freedom; observations
/// in it make the statistic infinite. None when fewer than two cells have a share, there are no
/// observations or more than `u64::MAX` in all, the shares are not finite non-negative numbers
/// with a positive sum, or the two slices differ in length.
pub fn goodness_of_fit(observed: &[u64], shares: &[f64]) -> Option<Fit> {
    if observed.len() != shares.len() || shares.iter().any(|s| !s.is_finite() || *s < 0.0) {
        return None;
    }
    let sum: f64 = shares.iter().sum();
    let total = observed.iter().try_fold(0u64, |t, &o| t.checked_add(o))?;
    if sum <= 0.0 || total == 0 {
        return None;
    }
    let expected: Vec<f64> = shares
        .iter()
        .map(|s| {
            let p = s / sum;
            if p < NOISE_SHARE {
                0.0
            } else {
                p * total as f64
            }
        })
        .collect();
    let cells = expected.iter().filter(|&&e| e > 0.0).count();
    if cells < 2 {
        return None;
    }
    let statistic = observed
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| {
            if e > 0.0 {
                let d = o as f64 - e;
                d * d / e
            } else if o > 0 {
                f64::INFINITY
            } else {
                0.0
            }
        })
        .sum::<f64>();
    let df = u32::try_from(cells - 1).unwrap_or(u32::MAX);
    let enough_data = expected
        .iter()
        .all(|&e| e == 0.0 || e >= MIN_EXPECTED_PER_CELL);
    Some(Fit {
        test: ChiSquare {
            statistic,
            df,
            p_value: chi2_sf(statistic, df),
        },
        expected,
        total,
        enough_data,
    })
}

/// The test that `counts` come from a uniform distribution over its cells.
pub fn uniformity(counts: &[u64]) -> Option<Fit> {
    goodness_of_fit(counts, &vec![1.0; counts.len()])
}

/// P(X ≥ x) for X ~ chi-square with `df` degrees of freedom; 0 for an infinite `x`. Computed
/// directly in the upper tail (a continued fraction), so tiny p-values keep their digits down
/// to the smallest double instead of becoming 1 − 1 = 0 or NaN.
pub fn chi2_sf(x: f64, df: u32) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 || df == 0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    gamma_q(f64::from(df) / 2.0, x / 2.0)
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised upper incomplete gamma function Q(a, x).
fn gamma_q(a: f64, x: f64) -> f64 {
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_fraction(a, x)
    }
}

fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut sum = 1.0 / a;
    let mut term = sum;
    let mut n = a;
    for _ in 0..10_000 {
        n += 1.0;
        term *= x / n;
        sum += term;
        if term.abs() < sum.abs() * 1e-15 {
            break;
        }
    }
    (sum.ln() - x + a * x.ln() - ln_gamma(a))
        .exp()
        .clamp(0.0, 1.0)
}

/// Lentz's continued fraction for Q(a, x).
fn gamma_q_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..10_000 {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    ((a * x.ln() - x - ln_gamma(a)).exp() * h).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Relative closeness, for p-values many orders of magnitude below 1.
    fn rel_close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    /// Q(k + ½, y) in closed form, from Q(½, y) = erfc(√y) and
    /// Q(a + 1, y) = Q(a, y) + yᵃ e^(−y) / Γ(a + 1): the survival function of the odd number of
    /// degrees of freedom 2k + 1 at x = 2y.
    fn odd_df_sf(x: f64, df: u32) -> f64 {
        assert!(df % 2 == 1);
        let y = x / 2.0;
        // y^(j+½) / Γ(j + 3/2), from j = 0: y^½ / (√π / 2).
        let mut term = 2.0 * (y / std::f64::consts::PI).sqrt();
        let mut sum = 0.0;
        for j in 0..df / 2 {
            if j > 0 {
                term *= y / (f64::from(j) + 0.5);
            }
            sum += term;
        }
        erfc(y.sqrt()) + (-y).exp() * sum
    }

    /// erfc by its continued fraction (x ≥ 0), good to ~1e-15 relative for the x used here.
    fn erfc(x: f64) -> f64 {
        if x < 2.0 {
            // 1 − erf(x), erf by its Taylor series.
            let mut sum = 0.0;
            let mut term = x;
            let mut n = 0.0;
            while term.abs() > 1e-17 {
                sum += term / (2.0 * n + 1.0);
                n += 1.0;
                term *= -x * x / n;
            }
            return 1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum;
        }
        // Lentz, erfc(x) = e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))).
        let mut f = 0.0;
        for n in (1..200).rev() {
            f = (f64::from(n) / 2.0) / (x + f);
        }
        (-x * x).exp() / std::f64::consts::PI.sqrt() / (x + f)
    }

    #[test]
    fn survival_function_matches_tables() {
        // Critical values from standard chi-square tables.
        assert!(close(chi2_sf(3.841_458_820_694_124, 1), 0.05, 1e-9));
        assert!(close(chi2_sf(5.991_464_547_107_979, 2), 0.05, 1e-9));
        assert!(close(chi2_sf(6.634_896_601_021_213, 1), 0.01, 1e-9));
        assert!(close(chi2_sf(30.143_527_205_646_16, 19), 0.05, 1e-9));
        assert!(close(chi2_sf(2.0, 2), (-1.0f64).exp(), 1e-12));
        assert_eq!(chi2_sf(0.0, 3), 1.0);
        assert!(chi2_sf(1000.0, 2) < 1e-100);
    }

    #[test]
    fn far_tail_p_values_keep_their_digits() {
        // Even degrees of freedom have closed forms: df 2 → e^(−x/2), df 4 → e^(−x/2)(1 + x/2).
        for x in [30.0, 100.0, 300.0, 1000.0] {
            let two = (-x / 2.0f64).exp();
            assert!(rel_close(chi2_sf(x, 2), two, 1e-12), "df 2, x {x}");
            let four = (-x / 2.0f64).exp() * (1.0 + x / 2.0);
            assert!(rel_close(chi2_sf(x, 4), four, 1e-12), "df 4, x {x}");
        }
        // Odd ones through erfc: df 1 at x = 50 is erfc(5) ≈ 1.5375e-12.
        for (x, df) in [(50.0, 1), (120.0, 1), (60.0, 3), (200.0, 5), (80.0, 9)] {
            let want = odd_df_sf(x, df);
            let got = chi2_sf(x, df);
            assert!(want < 1e-6, "a far-tail case: {want}");
            assert!(
                rel_close(got, want, 1e-9),
                "df {df}, x {x}: {got} vs {want}"
            );
        }
        // Beyond the smallest double the answer is 0, never NaN; an infinite statistic is 0.
        let tiny = chi2_sf(1e6, 3);
        assert!(!tiny.is_nan() && tiny == 0.0);
        assert_eq!(chi2_sf(f64::INFINITY, 3), 0.0);
        assert!(rel_close(chi2_sf(1400.0, 2), (-700.0f64).exp(), 1e-9));
        for df in [1000, 100_000, u32::MAX] {
            let p = chi2_sf(1e4, df);
            assert!((0.0..=1.0).contains(&p), "df {df}: {p}");
        }
    }

    #[test]
    fn matches_scipy_chisquare_examples() {
        // scipy.stats.chisquare's documented examples:
        // chisquare([16, 18, 16, 14, 12, 12]) → (2.0, 0.84914503608460956)
        let f = uniformity(&[16, 18, 16, 14, 12, 12]).unwrap();
        assert!(close(f.test.statistic, 2.0, 1e-12));
        assert_eq!(f.test.df, 5);
        assert!(close(f.test.p_value, 0.849_145_036_084_609_6, 1e-12));
        assert!(close(f.test.p_value, odd_df_sf(2.0, 5), 1e-12));
        // chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8])
        //   → (3.5, 0.62338762774958223)
        let f = goodness_of_fit(
            &[16, 18, 16, 14, 12, 12],
            &[16.0, 16.0, 16.0, 16.0, 16.0, 8.0],
        )
        .unwrap();
        assert!(close(f.test.statistic, 3.5, 1e-12));
        assert!(close(f.test.p_value, 0.623_387_627_749_582_2, 1e-12));
        assert_eq!(f.expected, vec![16.0, 16.0, 16.0, 16.0, 16.0, 8.0]);
        assert!(f.enough_data);
    }

    #[test]
    fn shares_are_weights_scaled_to_the_total() {
        // 10000 vs 10600 on a 50/50 split: χ² = 2·300²/10300, df 1, p = erfc(√(χ²/2)).
        let f = goodness_of_fit(&[10_000, 10_600], &[50.0, 50.0]).unwrap();
        let chi = 2.0 * 300.0 * 300.0 / 10_300.0;
        assert!(close(f.test.statistic, chi, 1e-9));
        assert!(rel_close(f.test.p_value, erfc((chi / 2.0).sqrt()), 1e-9));
        assert!(f.mismatch());
        assert_eq!(f.spread(), Spread::Off);
        // 10000 vs 10100 is within chance.
        let f = goodness_of_fit(&[10_000, 10_100], &[0.5, 0.5]).unwrap();
        assert!(!f.mismatch());
        assert_eq!(f.spread(), Spread::Consistent);
        // Unequal sizes: 1:3.
        let f = goodness_of_fit(&[250, 750], &[0.25, 0.75]).unwrap();
        assert_eq!(f.test.statistic, 0.0);
        assert_eq!(f.test.p_value, 1.0);
    }

    #[test]
    fn cells_that_expect_nothing() {
        // A cell with share 0 adds no degree of freedom while empty...
        let f = goodness_of_fit(&[100, 100, 0], &[0.5, 0.5, 0.0]).unwrap();
        assert_eq!(f.test.df, 1);
        assert_eq!(f.test.p_value, 1.0);
        assert!(!f.mismatch());
        // ...and makes the hypothesis impossible when it holds observations.
        let f = goodness_of_fit(&[100, 100, 1], &[0.5, 0.5, 0.0]).unwrap();
        assert!(f.test.statistic.is_infinite());
        assert_eq!(f.test.p_value, 0.0);
        assert!(f.mismatch());
        // Float noise from 1 − Σ sizes is a cell that expects nothing, not a tiny one.
        let rest = 1.0 - (0.1 + 0.2 + 0.7);
        let f = goodness_of_fit(&[10, 20, 70, 0], &[0.1, 0.2, 0.7, rest]).unwrap();
        assert_eq!(f.test.df, 2);
        assert!(f.enough_data);
    }

    #[test]
    fn enough_data_is_five_expected_in_every_cell() {
        // 10 + 10 over two equal cells: 10 expected each.
        assert!(uniformity(&[10, 10]).unwrap().enough_data);
        // 9 over two cells: 4.5 expected, too few, whatever the p-value.
        let f = uniformity(&[9, 0]).unwrap();
        assert!(!f.enough_data);
        assert_eq!(f.spread(), Spread::TooFewData);
        assert!(!f.mismatch());
        // Plenty in total, but a small cell expects 4: not enough.
        let f = goodness_of_fit(&[996, 4], &[0.996, 0.004]).unwrap();
        assert!(!f.enough_data);
        let f = goodness_of_fit(&[995, 5], &[0.995, 0.005]).unwrap();
        assert!(f.enough_data);
    }

    #[test]
    fn uniform_counts_have_no_evidence_against_uniformity() {
        let f = uniformity(&[100, 100, 100]).unwrap();
        assert_eq!(f.test.statistic, 0.0);
        assert_eq!(f.test.df, 2);
        assert_eq!(f.test.p_value, 1.0);
        let f = uniformity(&[150, 50]).unwrap();
        assert!(close(f.test.statistic, 50.0, 1e-12));
        assert!(f.test.p_value < 1e-10);
        assert!(uniformity(&[5]).is_none());
        assert!(uniformity(&[0, 0]).is_none());
        assert!(goodness_of_fit(&[1, 2], &[1.0]).is_none());
        assert!(goodness_of_fit(&[1, 2], &[1.0, -1.0]).is_none());
        assert!(goodness_of_fit(&[1, 2], &[1.0, f64::NAN]).is_none());
        assert!(goodness_of_fit(&[1, 2], &[0.0, 0.0]).is_none());
        assert!(goodness_of_fit(&[u64::MAX, 1], &[1.0, 1.0]).is_none());
    }

    #[test]
    fn ln_gamma_of_integers_is_log_factorial() {
        assert!(close(ln_gamma(1.0), 0.0, 1e-12));
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-12));
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-12
        ));
    }
}
