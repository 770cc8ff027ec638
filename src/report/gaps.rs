//! `assure gaps`: the evidence each statement's rules would read but the file lacks, by
//! statement and category, most potent first.

use std::fmt::Write;

use serde::Serialize;

use crate::advice::{EvidenceGap, StatementAdvice};
use crate::assessment::Assessment;

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
                gaps: &advice.gaps,
            })
            .collect(),
    }
}

pub fn json(assessment: &Assessment, advice: &[StatementAdvice]) -> String {
    serde_json::to_string_pretty(&report(assessment, advice))
        .map(|json| json + "\n")
        .unwrap_or_default()
}

pub fn text(assessment: &Assessment, advice: &[StatementAdvice]) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::escape::text(&text_unescaped(assessment, advice)).into_owned()
}

fn text_unescaped(assessment: &Assessment, advice: &[StatementAdvice]) -> String {
    let report = report(assessment, advice);
    let mut out = String::new();
    let total: usize = report.statements.iter().map(|s| s.gaps.len()).sum();
    let _ = writeln!(
        out,
        "{}: {total} piece{} of evidence the pack would read but {} lacks",
        report.authority,
        if total == 1 { "" } else { "s" },
        report.evidence_file
    );
    let _ = writeln!(
        out,
        "Ranked within each statement by how far each could move its score, all else as it is."
    );
    for statement in &report.statements {
        let score = statement
            .score
            .map_or("not scored".to_string(), |s| format!("score {s}"));
        let _ = writeln!(
            out,
            "\n{} ({}), {score}: {} gap{}",
            statement.name,
            statement.id,
            statement.gaps.len(),
            if statement.gaps.len() == 1 { "" } else { "s" }
        );
        for gap in statement.gaps {
            let _ = writeln!(out, "  {}", gap_line(gap));
            let _ = writeln!(out, "      read by {}", gap.rules.join(", "));
        }
    }
    out
}

/// `care act assessment waiting days [processes]: could raise 1, could lower 2 (scores 1 to 4)`
pub fn gap_line(gap: &EvidenceGap) -> String {
    let category = gap
        .category
        .map(|c| format!(" [{}]", c.as_str()))
        .unwrap_or_default();
    let reach = match (gap.could_raise, gap.could_lower) {
        (0, 0) => "would not move the score".to_string(),
        (up, 0) => format!("could raise it by {up}"),
        (0, down) => format!("could lower it by {down}"),
        (up, down) => format!("could raise it by {up} or lower it by {down}"),
    };
    let range = match (gap.lowest, gap.highest) {
        (Some(low), Some(high)) if low == high => format!(" (score {low})"),
        (Some(low), Some(high)) => format!(" (scores {low} to {high})"),
        _ => String::new(),
    };
    format!("{}{category}: {reach}{range}", gap.wanted)
}
