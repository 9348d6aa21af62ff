//! Pearson's chi-square test of uniformity, for `bucket --summary`.

/// The statistic, degrees of freedom and p-value of a chi-square test that `counts` come from a
/// uniform distribution over its cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChiSquare {
    pub statistic: f64,
    pub df: u32,
    pub p_value: f64,
}

/// None when there are fewer than two cells or no observations.
pub fn uniformity(counts: &[u64]) -> Option<ChiSquare> {
    let k = counts.len();
    let total: u64 = counts.iter().sum();
    if k < 2 || total == 0 {
        return None;
    }
    let expected = total as f64 / k as f64;
    let statistic = counts
        .iter()
        .map(|&c| {
            let d = c as f64 - expected;
            d * d / expected
        })
        .sum::<f64>();
    let df = (k - 1) as u32;
    Some(ChiSquare {
        statistic,
        df,
        p_value: chi2_sf(statistic, df),
    })
}

/// The chi-square test says something only when every cell expects at least this many
/// observations (the usual rule of thumb); below it a perfect-looking spread means nothing.
pub const MIN_EXPECTED_PER_CELL: f64 = 5.0;

/// Are `total` observations over `cells` cells enough for a verdict on the spread?
pub fn enough_for_verdict(total: u64, cells: usize) -> bool {
    cells > 0 && total as f64 / cells as f64 >= MIN_EXPECTED_PER_CELL
}

/// P(X ≥ x) for X ~ chi-square with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: u32) -> f64 {
    if x <= 0.0 {
        return 1.0;
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
    fn uniform_counts_have_no_evidence_against_uniformity() {
        let t = uniformity(&[100, 100, 100]).unwrap();
        assert_eq!(t.statistic, 0.0);
        assert_eq!(t.df, 2);
        assert_eq!(t.p_value, 1.0);
        let t = uniformity(&[150, 50]).unwrap();
        assert!(close(t.statistic, 50.0, 1e-12));
        assert!(t.p_value < 1e-10);
        assert!(uniformity(&[5]).is_none());
        assert!(uniformity(&[0, 0]).is_none());
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
