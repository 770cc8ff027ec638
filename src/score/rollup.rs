//! CQC's roll-up: equal weights, a percentage rounded up to a whole number, rating bands.
//! Integer arithmetic throughout, so the rounding is exact.

use rust_decimal::Decimal;

use crate::pack::framework::Framework;

/// `total` of `4 x statements` as a whole percentage, rounded up (CQC publishes 21/36 as 59%).
pub fn percent_rounded_up(total: u32, statements: u32) -> Option<u32> {
    let max = 4 * statements;
    (max > 0).then(|| (total * 100).div_ceil(max))
}

/// The same percentage to two decimal places, for showing the arithmetic.
pub fn exact_percent(total: u32, statements: u32) -> Option<Decimal> {
    let max = 4 * statements;
    Decimal::from(total * 100)
        .checked_div(Decimal::from(max))
        .map(|percent| percent.round_dp(2))
}

/// Where a percentage sits in its band: "upper Good, nearing Outstanding".
pub fn position_in_band(framework: &Framework, percent: u32) -> Option<String> {
    let (index, band) = framework.band_for(percent)?;
    let next = framework.ratings.get(index + 1);
    let previous = index.checked_sub(1).and_then(|i| framework.ratings.get(i));
    let top = next.map_or(100, |n| n.from.saturating_sub(1));
    let width = top.saturating_sub(band.from) + 1;
    let third = (percent.saturating_sub(band.from) * 3) / width.max(1);
    Some(match (third, next, previous) {
        (2.., Some(next), _) => format!("upper {}, nearing {}", band.rating, next.rating),
        (0, _, Some(previous)) => format!("lower {}, just above {}", band.rating, previous.rating),
        (0, _, None) => format!("lower {}", band.rating),
        (1, _, _) => format!("middle {}", band.rating),
        _ => format!("upper {}", band.rating),
    })
}

/// Maps a category percentage back to a 1..4 score through the rating bands
/// (`method: categories`): band 1 is score 1, and so on.
pub fn score_for_percent(framework: &Framework, percent: u32) -> u8 {
    framework
        .band_for(percent)
        .map_or(1, |(index, _)| (index + 1).min(4) as u8)
}
