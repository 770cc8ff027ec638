//! How well one set of proposed statement scores agrees with the published ones: exact
//! agreement, agreement within one, the confusion matrix and quadratic-weighted Cohen's
//! kappa. Exact arithmetic throughout (`rust_decimal`), so the same scores always give the
//! same figures.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// Scores run 1 to 4.
pub const SCORES: usize = 4;

/// Agreement of one scorer with the published scores over a comparison set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    /// Statements compared.
    pub compared: u32,
    /// Statements where the proposed score is the published one.
    pub exact: u32,
    /// `exact` as a percentage of `compared`, to one decimal place; absent when nothing was
    /// compared.
    pub exact_percent: Option<Decimal>,
    /// Statements where the proposed score is at most one from the published one.
    pub within_one: u32,
    pub within_one_percent: Option<Decimal>,
    /// `confusion[p - 1][q - 1]`: statements published `p` and proposed `q`.
    pub confusion: [[u32; SCORES]; SCORES],
    /// Quadratic-weighted Cohen's kappa, to three decimal places; absent when it is
    /// undefined (nothing compared, or both sides give one score throughout).
    pub kappa: Option<Decimal>,
}

impl Agreement {
    /// The figures for `(published, proposed)` pairs of scores 1 to 4; pairs outside that
    /// range are not counted.
    pub fn of(pairs: impl IntoIterator<Item = (u8, u8)>) -> Agreement {
        let mut confusion = [[0u32; SCORES]; SCORES];
        for (published, proposed) in pairs {
            if let Some(cell) = cell(&mut confusion, published, proposed) {
                *cell = cell.saturating_add(1);
            }
        }
        let mut compared = 0u32;
        let mut exact = 0u32;
        let mut within_one = 0u32;
        for (i, row) in confusion.iter().enumerate() {
            for (j, &count) in row.iter().enumerate() {
                compared = compared.saturating_add(count);
                if i == j {
                    exact = exact.saturating_add(count);
                }
                if i.abs_diff(j) <= 1 {
                    within_one = within_one.saturating_add(count);
                }
            }
        }
        Agreement {
            compared,
            exact,
            exact_percent: percent(exact, compared),
            within_one,
            within_one_percent: percent(within_one, compared),
            confusion,
            kappa: quadratic_weighted_kappa(&confusion).map(|k| fixed(k, 3)),
        }
    }
}

fn cell(confusion: &mut [[u32; SCORES]; SCORES], published: u8, proposed: u8) -> Option<&mut u32> {
    let row = usize::from(published).checked_sub(1)?;
    let column = usize::from(proposed).checked_sub(1)?;
    confusion.get_mut(row)?.get_mut(column)
}

/// Rounded to `places` (half away from zero) and written with exactly that many, so 1
/// reads `1.000`.
fn fixed(value: Decimal, places: u32) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(places);
    rounded
}

/// `part` of `whole` as a percentage to one decimal place (half away from zero); `None`
/// when `whole` is 0.
pub fn percent(part: u32, whole: u32) -> Option<Decimal> {
    let share = Decimal::from(part)
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(Decimal::from(whole))?;
    Some(fixed(share, 1))
}

/// Quadratic-weighted Cohen's kappa of a `K`-by-`K` confusion matrix (rows one rater,
/// columns the other), unrounded:
///
/// kappa = 1 - Σ w_ij O_ij / Σ w_ij E_ij, with w_ij = (i - j)² / (K - 1)² and
/// E_ij = row_i × column_j / N, the counts expected by chance from the two marginals.
///
/// The factor 1 / (K - 1)² is common to both sums, so it cancels, and multiplying both by N
/// leaves only whole numbers: kappa = 1 - N Σ d² O_ij / Σ d² row_i column_j, d = i - j.
/// One division, so the result is exact to 28 significant digits. `None` when the
/// expected disagreement is zero (nothing compared, or both raters give a single, equal
/// score throughout): kappa is then undefined, not 0 or 1.
pub fn quadratic_weighted_kappa<const K: usize>(observed: &[[u32; K]; K]) -> Option<Decimal> {
    let mut rows = [0u128; K];
    let mut columns = [0u128; K];
    let mut total = 0u128;
    let mut observed_disagreement = 0u128;
    for (i, row) in observed.iter().enumerate() {
        for (j, &count) in row.iter().enumerate() {
            let count = u128::from(count);
            rows[i] = rows[i].checked_add(count)?;
            columns[j] = columns[j].checked_add(count)?;
            total = total.checked_add(count)?;
            observed_disagreement =
                observed_disagreement.checked_add(squared_distance(i, j)?.checked_mul(count)?)?;
        }
    }
    let mut expected_disagreement = 0u128;
    for (i, &row) in rows.iter().enumerate() {
        for (j, &column) in columns.iter().enumerate() {
            let term = squared_distance(i, j)?
                .checked_mul(row)?
                .checked_mul(column)?;
            expected_disagreement = expected_disagreement.checked_add(term)?;
        }
    }
    if expected_disagreement == 0 {
        return None;
    }
    let numerator = decimal(total.checked_mul(observed_disagreement)?)?;
    let denominator = decimal(expected_disagreement)?;
    Decimal::ONE.checked_sub(numerator.checked_div(denominator)?)
}

fn squared_distance(i: usize, j: usize) -> Option<u128> {
    let d = u128::try_from(i.abs_diff(j)).ok()?;
    d.checked_mul(d)
}

fn decimal(n: u128) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(i128::try_from(n).ok()?, 0).ok()
}
