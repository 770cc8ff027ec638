//! `assure gaps`: the evidence each statement lacks, ranked by how much it would firm up
//! the statement's score.

use std::fmt::Write;

use serde::Serialize;

use crate::advice::{EvidenceGap, GapKind, StatementAdvice};
use crate::score::assessment::{Assessment, ConfidenceLevel};

#[derive(Serialize)]
struct GapsReport<'a> {
    authority: &'a str,
    evidence_file: &'a str,
    statements: Vec<StatementGaps<'a>>,
}

#[derive(Serialize)]
struct StatementGaps<'a> {
    id: &'a str,
    name: &'a str,
    score: Option<u8>,
    confidence: Option<ConfidenceLevel>,
    gaps: &'a [EvidenceGap],
}

fn report<'a>(assessment: &'a Assessment, advice: &'a [StatementAdvice]) -> GapsReport<'a> {
    GapsReport {
        authority: &assessment.authority,
        evidence_file: &assessment.record.evidence.file,
        statements: assessment
            .statements
            .iter()
            .zip(advice)
            .map(|(result, advice)| StatementGaps {
                id: &result.id,
                name: &result.name,
                score: result.score,
                confidence: result.confidence.as_ref().map(|c| c.level),
                gaps: &advice.gaps,
            })
            .collect(),
    }
}

pub fn json(
    assessment: &Assessment,
    advice: &[StatementAdvice],
) -> Result<String, crate::source::diagnostic::Diagnostic> {
    super::json::pretty(&report(assessment, advice))
}

pub fn text(assessment: &Assessment, advice: &[StatementAdvice]) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::source::escape::text(&text_unescaped(assessment, advice)).into_owned()
}

fn text_unescaped(assessment: &Assessment, advice: &[StatementAdvice]) -> String {
    let report = report(assessment, advice);
    let mut out = String::new();
    let total: usize = report.statements.iter().map(|s| s.gaps.len()).sum();
    let _ = writeln!(
        out,
        "{}: {total} gap{} in the evidence of {}",
        report.authority,
        if total == 1 { "" } else { "s" },
        report.evidence_file
    );
    let _ = writeln!(
        out,
        "Ranked within each statement by how much each would firm up its score: the confidence\n\
         is judged again with one more item that agrees with the score (a strength for 3 or 4,\n\
         a shortfall for 1 or 2), then by the pack's weight for the category."
    );
    for statement in &report.statements {
        let standing = match (statement.score, statement.confidence) {
            (Some(score), Some(level)) => format!("score {score}, confidence {}", level.as_str()),
            (Some(score), None) => format!("score {score}"),
            (None, _) => "not scored".to_string(),
        };
        let _ = writeln!(
            out,
            "\n{} ({}), {standing}: {} gap{}",
            statement.name,
            statement.id,
            statement.gaps.len(),
            if statement.gaps.len() == 1 { "" } else { "s" }
        );
        for gap in statement.gaps {
            let _ = writeln!(out, "  {}", gap_line(gap, statement.score));
            let _ = writeln!(out, "      read by {}", gap.rules.join(", "));
        }
    }
    out
}

/// `evidence from people's experience: confidence medium → high; a shortfall there could
/// lower it to 2`
pub fn gap_line(gap: &EvidenceGap, score: Option<u8>) -> String {
    let category = match (gap.kind, gap.category) {
        (GapKind::Category, _) | (_, None) => String::new(),
        (_, Some(c)) => format!(" [{}]", c.as_str()),
    };
    format!("{}{category}: {}", gap.wanted, gap_effect(gap, score))
}

/// What filling a gap would do to a statement scored `score`, in words: its confidence,
/// then how far it could move the score.
pub fn gap_effect(gap: &EvidenceGap, score: Option<u8>) -> String {
    let level = |l: ConfidenceLevel| l.as_str();
    let range = match (gap.lowest, gap.highest) {
        (Some(low), Some(high)) if low == high => format!("{low}, "),
        (Some(low), Some(high)) => format!("{low} to {high}, "),
        _ => String::new(),
    };
    let mut words = match (gap.confidence_before, gap.confidence_after) {
        (None, Some(after)) => {
            format!(
                "would let it be scored ({range}confidence {})",
                level(after)
            )
        }
        (None, None) => "would not let it be scored".to_string(),
        (Some(before), Some(after)) if before == after => {
            format!("confidence stays {}", level(before))
        }
        (Some(before), Some(after)) => {
            format!("confidence {} → {}", level(before), level(after))
        }
        (Some(before), None) => format!("confidence {} → not scored", level(before)),
    };
    let Some(now) = score else {
        return words;
    };
    let up = gap.highest.filter(|h| *h > now);
    let down = gap.lowest.filter(|l| *l < now);
    let (strength, shortfall) = match gap.kind {
        GapKind::Category => ("a strength there", "a shortfall there"),
        GapKind::Reference | GapKind::Metric => ("once given, it", "once given, it"),
    };
    match (up, down) {
        (Some(high), Some(low)) if gap.kind == GapKind::Category => words.push_str(&format!(
            "; a strength there could raise it to {high}, a shortfall lower it to {low}"
        )),
        (Some(high), Some(low)) => words.push_str(&format!(
            "; once given, it could raise it to {high} or lower it to {low}"
        )),
        (Some(high), None) => words.push_str(&format!("; {strength} could raise it to {high}")),
        (None, Some(low)) => words.push_str(&format!("; {shortfall} could lower it to {low}")),
        (None, None) => {}
    }
    words
}
