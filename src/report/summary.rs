//! Page one of a council report: the result and where it sits, then (from the themes the
//! report already holds) the nine statements with a sentence each, then the three changes
//! that would most move the overall result and the three evidence gaps that matter most.
//! Both lists are drawn from the advice as it stands ([`crate::advice`]): the changes are
//! its moves, rolled up into the overall percentage as CQC rolls scores up, and the gaps
//! are its gaps, so page one and the detail never disagree.

use serde::Serialize;

use crate::advice::{EvidenceGap, GapKind};
use crate::score::assessment::Assessment;
use crate::score::confidence::CQC_CATEGORIES;
use crate::score::rollup::percent_rounded_up;

use super::reasons::or_list;
use super::statement::ThemeView;
use super::view::{CouncilReport, anchor};

/// How many changes and gaps page one names.
const TOP: usize = 3;

#[derive(Debug, Serialize)]
pub struct SummaryView {
    /// `Good`, `Partial result, not a rating` or `Not rated`.
    pub headline: String,
    /// The percentage and where it sits, in one sentence.
    pub standing: String,
    pub moves: Vec<MoveView>,
    /// Said instead of the list when it is empty.
    pub moves_none: String,
    pub gaps: Vec<SummaryGap>,
    pub gaps_none: String,
}

/// A change to the evidence that would raise one statement, and what that does to the
/// overall result.
#[derive(Debug, Serialize)]
pub struct MoveView {
    pub statement: String,
    /// Where the statement's moves are listed in the detail.
    pub anchor: String,
    pub from: u8,
    pub to: u8,
    pub changes: String,
    /// What it does to the overall percentage: `65% → 69%, still Good`.
    pub overall: String,
}

/// Evidence a statement lacks, and what giving it would do.
#[derive(Debug, Serialize)]
pub struct SummaryGap {
    pub statement: String,
    /// Where the statement's gaps are listed in the detail.
    pub anchor: String,
    pub wanted: String,
    pub effect: String,
}

pub(super) fn view(report: &CouncilReport<'_>, themes: &[ThemeView]) -> SummaryView {
    let a = report.assessment;
    let o = &a.overall;
    let (headline, standing) = match (&o.rating, o.percent) {
        (Some(rating), Some(percent)) => (
            rating.clone(),
            format!(
                "{percent}% ({} of {} points){}.",
                o.total,
                o.max,
                o.position
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default()
            ),
        ),
        (None, Some(percent)) => (
            "Partial result, not a rating".to_string(),
            format!(
                "{} of {} quality statements have evidence; over those, {percent}% ({} of {} points), in the {} band. CQC rates all nine.",
                o.statements_scored,
                o.statements_total,
                o.total,
                o.max,
                o.indicative_rating.as_deref().unwrap_or("lowest")
            ),
        ),
        _ => (
            "Not rated".to_string(),
            "No quality statement has evidence, so none is scored.".to_string(),
        ),
    };
    let moves = moves(report, themes);
    let gaps = gaps(report, themes);
    SummaryView {
        headline,
        standing,
        moves_none: if o.percent.is_none() {
            "There is no result to move: no statement is scored.".to_string()
        } else {
            "No single or paired change to the evidence was found that would raise any statement's score.".to_string()
        },
        moves,
        gaps_none:
            "No missing evidence was found that would firm up a score or let a statement be scored."
                .to_string(),
        gaps,
    }
}

/// The band a percentage falls in.
fn band(report: &CouncilReport<'_>, percent: u32) -> String {
    report
        .pack
        .framework
        .band_for(percent)
        .map(|(_, band)| band.rating.clone())
        .unwrap_or_default()
}

/// For each statement its best raise (fewest changes, then the highest score), ranked by
/// what it does to the overall result: a change of band first, then the most points.
fn moves(report: &CouncilReport<'_>, themes: &[ThemeView]) -> Vec<MoveView> {
    let a: &Assessment = report.assessment;
    let (Some(now), scored) = (a.overall.percent, a.overall.statements_scored) else {
        return Vec::new();
    };
    let scored = u32::try_from(scored).unwrap_or(u32::MAX);
    let band_now = band(report, now);
    let mut ranked = Vec::new();
    for (order, s) in a.statements.iter().enumerate() {
        let (Some(from), Some(advice)) =
            (s.score, report.advice.iter().find(|x| x.statement == s.id))
        else {
            continue;
        };
        let Some(best) = advice
            .raise
            .iter()
            .min_by_key(|set| (set.changes.len(), std::cmp::Reverse(set.score)))
        else {
            continue;
        };
        let total = (a.overall.total + u32::from(best.score)).saturating_sub(u32::from(from));
        let Some(after) = percent_rounded_up(total, scored) else {
            continue;
        };
        let band_after = band(report, after);
        let crosses = band_after != band_now;
        let overall = match (crosses, a.overall.partial) {
            (true, false) => format!("{now}% → {after}%, {band_now} → {band_after}"),
            (true, true) => format!("{now}% → {after}%, into the {band_after} band"),
            (false, false) => format!("{now}% → {after}%, still {band_now}"),
            (false, true) => format!("{now}% → {after}%, still in the {band_now} band"),
        };
        let anchor = themes
            .iter()
            .flat_map(|t| &t.statements)
            .find(|v| v.id == s.id)
            .map(|v| v.moves_anchor.clone())
            .unwrap_or_else(|| anchor("statement", &s.id));
        let changes: Vec<String> = best.changes.iter().map(ToString::to_string).collect();
        ranked.push((
            (
                !crosses,
                std::cmp::Reverse(after),
                best.changes.len(),
                order,
            ),
            MoveView {
                statement: s.name.clone(),
                anchor,
                from,
                to: best.score,
                changes: changes.join(" and "),
                overall,
            },
        ));
    }
    ranked.sort_by_key(|x| x.0);
    ranked.into_iter().take(TOP).map(|(_, m)| m).collect()
}

/// The gaps that matter most across the statements: those that would let an unscored
/// statement be scored first (each such statement once), then those that firm a score up
/// most, then those that could move it; a gap that neither firms a score up nor could move
/// it is not named here.
fn gaps(report: &CouncilReport<'_>, themes: &[ThemeView]) -> Vec<SummaryGap> {
    let a = report.assessment;
    let mut ranked = Vec::new();
    for (order, s) in a.statements.iter().enumerate() {
        let Some(advice) = report.advice.iter().find(|x| x.statement == s.id) else {
            continue;
        };
        let anchor = themes
            .iter()
            .flat_map(|t| &t.statements)
            .find(|v| v.id == s.id)
            .map(|v| v.gaps_anchor.clone())
            .unwrap_or_else(|| anchor("statement", &s.id));
        let gap = |wanted: String, first: &EvidenceGap| SummaryGap {
            statement: s.name.clone(),
            anchor: anchor.clone(),
            wanted,
            effect: super::gaps::gap_effect(first, s.score),
        };
        if s.score.is_none() {
            // Any one of them would let it be scored: one line for the statement.
            let scoring: Vec<&EvidenceGap> = advice
                .gaps
                .iter()
                .filter(|g| g.confidence_after.is_some())
                .collect();
            let Some(first) = scoring.first() else {
                continue;
            };
            let wanted = if scoring.iter().all(|g| g.kind == GapKind::Category) {
                let categories: Vec<String> = scoring
                    .iter()
                    .filter_map(|g| g.category.map(|c| c.as_str().to_string()))
                    .collect();
                if categories.len() == CQC_CATEGORIES.len() {
                    "evidence from any of the four categories".to_string()
                } else {
                    format!("evidence from {}", or_list(&categories))
                }
            } else {
                first.wanted.clone()
            };
            ranked.push(((0, 0, 0, 0, order, 0), gap(wanted, first)));
            continue;
        }
        for (index, g) in advice.gaps.iter().enumerate() {
            let moves = s.score.is_some_and(|now| {
                g.highest.is_some_and(|h| h > now) || g.lowest.is_some_and(|l| l < now)
            });
            if g.gain <= 0 && !moves {
                continue;
            }
            ranked.push((
                (
                    1,
                    -i32::from(g.gain),
                    i32::from(!moves),
                    -i32::from(g.weight),
                    order,
                    index,
                ),
                gap(g.wanted.clone(), g),
            ));
        }
    }
    ranked.sort_by_key(|x| x.0);
    ranked.into_iter().take(TOP).map(|(_, g)| g).collect()
}
