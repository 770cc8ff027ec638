//! `--format text`: a terminal summary. Statement, score and the top reasons.

use std::fmt::Write;

use crate::assessment::{Assessment, Justification, Status};

/// How many reasons to show under each statement.
const TOP_REASONS: usize = 3;

pub fn render(assessments: &[Assessment]) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::escape::text(&render_unescaped(assessments)).into_owned()
}

fn render_unescaped(assessments: &[Assessment]) -> String {
    assessments
        .iter()
        .map(render_one)
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_one(a: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", a.authority);
    let _ = writeln!(
        out,
        "  evidence: {}   pack: {} {} ({})",
        a.record.evidence.file,
        a.record.pack.name,
        a.record.pack.version,
        short_hash(&a.record.pack.hash)
    );
    out.push('\n');
    match (&a.overall.rating, a.overall.percent) {
        (Some(rating), Some(percent)) => {
            let _ = writeln!(
                out,
                "Overall: {rating}, {percent}% ({} of {}){}",
                a.overall.total,
                a.overall.max,
                a.overall
                    .position
                    .as_ref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default()
            );
        }
        _ => {
            let _ = writeln!(out, "Overall: not rated (no statement could be scored)");
        }
    }
    let _ = writeln!(
        out,
        "  {} of {} statements scored",
        a.overall.statements_scored, a.overall.statements_total
    );
    out.push('\n');
    let _ = writeln!(out, "Themes");
    for theme in &a.themes {
        let percent = theme
            .percent
            .map_or("  -".to_string(), |p| format!("{p:>3}%"));
        let _ = writeln!(out, "  {percent}  {}", theme.name);
    }
    out.push('\n');
    let _ = writeln!(out, "Statements");
    for s in &a.statements {
        match (s.status, s.score) {
            (Status::Scored, Some(score)) => {
                let _ = writeln!(
                    out,
                    "  {score}  {}  ({})",
                    s.name,
                    s.descriptor.as_deref().unwrap_or("")
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "  -  {}  (not scored: {})",
                    s.name,
                    s.reason.as_deref().unwrap_or("")
                );
            }
        }
        if let Some(collision) = &s.arithmetic.collision {
            let _ = writeln!(out, "       note: {collision}");
        }
        if s.status == Status::Scored && s.justifications.is_empty() {
            let _ = writeln!(
                out,
                "       baseline {}: none of {} rules fired",
                s.baseline,
                s.not_fired.len() + s.not_evaluable.len()
            );
        }
        for j in s.justifications.iter().take(TOP_REASONS) {
            let _ = writeln!(out, "       {}", reason_line(j));
        }
        let more = s.justifications.len().saturating_sub(TOP_REASONS);
        if more > 0 {
            let _ = writeln!(out, "       (+{more} more fired rule{})", plural(more));
        }
        if !s.not_evaluable.is_empty() {
            let _ = writeln!(
                out,
                "       {} rule{} not evaluable for missing evidence",
                s.not_evaluable.len(),
                plural(s.not_evaluable.len())
            );
        }
    }
    if !a.uncited_evidence.is_empty() {
        out.push('\n');
        let ids: Vec<&str> = a.uncited_evidence.iter().map(|e| &*e.id).collect();
        let _ = writeln!(
            out,
            "Evidence no rule reads ({}): {}",
            ids.len(),
            ids.join(", ")
        );
    }
    out
}

fn reason_line(j: &Justification) -> String {
    let held: Vec<String> = j
        .conditions
        .iter()
        .filter(|c| c.counted_for_rule())
        .map(|c| format!("{}: {}", c.as_counted(), c.actual))
        .collect();
    format!("{} [{}] {}", j.effect, j.rule, held.join("; "))
}

fn short_hash(hash: &str) -> &str {
    hash.get(..19).unwrap_or(hash)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
