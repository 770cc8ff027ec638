//! `--format text`: a terminal summary. Statement, score and the top reasons.

use std::fmt::Write;

use crate::score::assessment::{Assessment, Justification, StatementResult, Status};

/// How many reasons to show under each statement.
const TOP_REASONS: usize = 3;

pub fn render(assessments: &[Assessment]) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::source::escape::text(&render_unescaped(assessments)).into_owned()
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
    overall_lines(&mut out, a);
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
                let confidence = s
                    .confidence
                    .as_ref()
                    .map(|c| format!(", {} confidence", c.level.as_str()))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {score}  {}  ({}{confidence})",
                    s.name,
                    s.descriptor.as_deref().unwrap_or("")
                );
                if !s.categories.is_empty() {
                    let _ = writeln!(out, "       {}", categories_line(s));
                }
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
            if s.categories.is_empty() {
                let _ = writeln!(
                    out,
                    "       baseline {}: none of {} rules fired",
                    s.baseline,
                    s.not_fired.len() + s.not_evaluable.len()
                );
            } else {
                let _ = writeln!(
                    out,
                    "       no rule fired: every category at the baseline {}",
                    s.baseline
                );
            }
        }
        for j in s.justifications.iter().take(TOP_REASONS) {
            let _ = writeln!(out, "       {}", reason_line(j));
        }
        let more = s.justifications.len().saturating_sub(TOP_REASONS);
        if more > 0 {
            let _ = writeln!(out, "       (+{more} more fired rule{})", plural(more));
        }
        if let Some(confidence) = &s.confidence {
            let _ = writeln!(out, "       confidence: {}", confidence.reasons.join("; "));
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

/// The headline: a rating only when every statement is scored; otherwise a partial result,
/// plainly not a rating; and the range the low-confidence statements leave open.
fn overall_lines(out: &mut String, a: &Assessment) {
    let o = &a.overall;
    let position = o
        .position
        .as_ref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    match (&o.rating, o.percent) {
        (Some(rating), Some(percent)) => {
            let _ = writeln!(
                out,
                "Overall: {rating}, {percent}% ({} of {}){position}",
                o.total, o.max
            );
            let _ = writeln!(
                out,
                "  {} of {} statements scored",
                o.statements_scored, o.statements_total
            );
        }
        (None, Some(percent)) => {
            let _ = writeln!(
                out,
                "Overall: partial, {} of {} statements scored (not a rating CQC would give)",
                o.statements_scored, o.statements_total
            );
            let band = o
                .indicative_rating
                .as_ref()
                .map(|r| format!(", in the {r} band"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {percent}% over the scored statements ({} of {}){band}",
                o.total, o.max
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "Overall: nothing scored (no statement has evidence, so there is no rating)"
            );
        }
    }
    if let Some(range) = &o.range {
        let n = range.statements.len();
        let ratings = match (&range.low_rating, &range.high_rating) {
            (Some(low), Some(high)) if low == high => format!(" ({low} either way)"),
            (Some(low), Some(high)) => format!(" ({low} to {high})"),
            _ => String::new(),
        };
        let which = if n == 1 {
            "its low-confidence statement".to_string()
        } else {
            format!("each of its {n} low-confidence statements")
        };
        let _ = writeln!(
            out,
            "  {}%-{}%{ratings} if {which} moved one up or down",
            range.low_percent, range.high_percent
        );
    }
}

/// `people's experience 2 (counts 2x), processes 3: 58% -> 2`.
fn categories_line(s: &StatementResult) -> String {
    let parts: Vec<String> = s
        .categories
        .iter()
        .map(|c| {
            let weight = if c.weight == 1 {
                String::new()
            } else {
                format!(" (counts {}x)", c.weight)
            };
            format!("{} {}{weight}", c.category.as_str(), c.score)
        })
        .collect();
    let percent = s
        .arithmetic
        .percent
        .map(|p| format!(": {p}% -> {}", s.arithmetic.adjusted))
        .unwrap_or_default();
    format!("by category: {}{percent}", parts.join(", "))
}

fn reason_line(j: &Justification) -> String {
    let held: Vec<String> = j
        .conditions
        .iter()
        .filter(|c| c.counted_for_rule())
        .map(|c| format!("{}: {}", c.as_counted(), c.actual))
        .collect();
    let within = j
        .category
        .map(|c| format!(" in {}", c.as_str()))
        .unwrap_or_default();
    format!("{} [{}]{within} {}", j.effect, j.rule, held.join("; "))
}

fn short_hash(hash: &str) -> &str {
    hash.get(..19).unwrap_or(hash)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
