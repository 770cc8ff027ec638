//! `assure explain`: every rule of a statement, fired or not, with each test's values
//! against its reference; near misses; and what would move the score.

use std::fmt::Write;

use serde::Serialize;

use crate::advice::{ChangeSet, StatementAdvice};
use crate::evidence::Evidence;
use crate::lang::ast::{Category, Sentiment};
use crate::pack::Pack;
use crate::score::assessment::{Assessment, ConditionTrace, StatementResult, Truth};

/// One statement's explanation, as `--format json` writes it.
#[derive(Debug, Serialize)]
pub struct Explanation<'a> {
    pub authority: &'a str,
    pub evidence_file: &'a str,
    pub statement: &'a StatementResult,
    /// How each of the statement's metric items counts as evidence.
    pub measures: Vec<Measure>,
    pub advice: &'a StatementAdvice,
}

/// A metric item judged against its reference, as `evidence` counts it.
#[derive(Debug, Serialize)]
pub struct Measure {
    pub item: String,
    pub metric: String,
    /// `68.1% vs England average 65.4% ± 2.3 (margin of error)`.
    pub comparison: String,
    /// `better`, `worse` or `in line`.
    pub judged: &'static str,
}

/// The statement's judged metric items, in file order.
fn measures(evidence: &Evidence, pack: &Pack, statement: &str) -> Vec<Measure> {
    evidence
        .items_for(statement)
        .filter_map(|item| {
            let value = item.metric()?;
            let judging = crate::score::eval::judging(pack, value)?;
            let metric = pack.catalogue.metric(value.metric?);
            let unit = Some(metric.unit);
            let band = crate::score::eval::band(pack, metric, value, judging.reference)?;
            let why = match band.tolerance {
                None => "margin of error".to_string(),
                Some(t) if t.unit == crate::lang::ast::MarginUnit::Points => {
                    "tolerance".to_string()
                }
                Some(t) => format!("tolerance {t}"),
            };
            Some(Measure {
                item: item.id.to_string(),
                metric: metric.name.clone(),
                comparison: format!(
                    "{} vs {} {} ± {} ({why})",
                    crate::score::eval::show(value.value, unit),
                    crate::score::eval::reference_name(&judging.kind),
                    crate::score::eval::show(judging.reference, unit),
                    crate::score::eval::amount(judging.band, unit),
                ),
                judged: match judging.sentiment(value.value) {
                    Some(Sentiment::Positive) => "better",
                    Some(_) => "worse",
                    None => "in line",
                },
            })
        })
        .collect()
}

/// Pairs each statement result with its advice (statements without advice are left out),
/// and the statement's judged measures from the evidence.
pub fn explanations<'a>(
    assessment: &'a Assessment,
    advice: &'a [StatementAdvice],
    evidence: &Evidence,
    pack: &Pack,
) -> Vec<Explanation<'a>> {
    assessment
        .statements
        .iter()
        .filter_map(|result| {
            advice
                .iter()
                .find(|a| a.statement == result.id)
                .map(|advice| (result, advice))
        })
        .map(|(statement, advice)| Explanation {
            authority: &assessment.authority,
            evidence_file: &assessment.record.evidence.file,
            measures: measures(evidence, pack, &statement.id),
            statement,
            advice,
        })
        .collect()
}

pub fn json(explanations: &[Explanation]) -> Result<String, crate::source::diagnostic::Diagnostic> {
    super::json::pretty(explanations)
}

pub fn text(explanations: &[Explanation]) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::source::escape::text(&text_unescaped(explanations)).into_owned()
}

fn text_unescaped(explanations: &[Explanation]) -> String {
    explanations
        .iter()
        .map(explain_one)
        .collect::<Vec<_>>()
        .join("\n")
}

fn explain_one(e: &Explanation) -> String {
    let s = e.statement;
    let mut out = String::new();
    let _ = writeln!(out, "{}: {} ({})", e.authority, s.name, s.id);
    match s.score {
        Some(score) => {
            let _ = writeln!(
                out,
                "Score {score} ({}): {}{}{}",
                s.descriptor.as_deref().unwrap_or(""),
                formed(s),
                s.arithmetic
                    .cap
                    .map(|c| format!(", capped at {c}"))
                    .unwrap_or_default(),
                s.arithmetic
                    .floor
                    .map(|f| format!(", lifted to at least {f}"))
                    .unwrap_or_default(),
            );
        }
        None => {
            let _ = writeln!(
                out,
                "Not scored: {}",
                s.reason.as_deref().unwrap_or("no evidence")
            );
        }
    }
    if let Some(confidence) = &s.confidence {
        let _ = writeln!(
            out,
            "Confidence {}: {}",
            confidence.level.as_str(),
            confidence.reasons.join("; ")
        );
    }
    if let Some(collision) = &s.arithmetic.collision {
        let _ = writeln!(out, "  note: {collision}");
    }
    if !e.measures.is_empty() {
        section(&mut out, "Measures judged", e.measures.len());
        for m in &e.measures {
            let _ = writeln!(
                out,
                "  {}: {} {}: {}",
                m.item, m.metric, m.comparison, m.judged
            );
        }
    }
    section(&mut out, "Fired", s.justifications.len());
    for j in &s.justifications {
        rule_head(
            &mut out,
            &j.rule,
            &j.effect,
            j.category,
            &j.location,
            &j.text,
        );
        conditions(&mut out, &j.conditions);
        if !j.evidence_sources.is_empty() {
            let sources: Vec<String> = j
                .evidence_sources
                .iter()
                .map(|e| match &e.source {
                    Some(source) => format!("{} ({source})", e.id),
                    None => e.id.to_string(),
                })
                .collect();
            let _ = writeln!(out, "      evidence: {}", sources.join("; "));
        }
    }
    section(&mut out, "Did not fire", s.not_fired.len());
    for r in &s.not_fired {
        rule_head(
            &mut out,
            &r.rule,
            &r.effect,
            r.category,
            &r.location,
            &r.text,
        );
        conditions(&mut out, &r.conditions);
    }
    section(&mut out, "Not evaluable", s.not_evaluable.len());
    for r in &s.not_evaluable {
        rule_head(
            &mut out,
            &r.rule,
            &r.effect,
            r.category,
            &r.location,
            &r.text,
        );
        conditions(&mut out, &r.conditions);
        let _ = writeln!(out, "      lacks: {}", r.missing.join("; "));
    }
    let advice = e.advice;
    section(&mut out, "Near misses", advice.near_misses.len());
    for miss in &advice.near_misses {
        let _ = writeln!(
            out,
            "  {} ({}){}: fires at {}: {} away",
            miss.rule,
            miss.effect,
            miss.category
                .map(|c| format!(" on {}", c.as_str()))
                .unwrap_or_default(),
            miss.change,
            miss.margin
        );
    }
    if let Some(score) = s.score {
        moves(
            &mut out,
            "What would raise it",
            score,
            4,
            "better",
            &advice.raise,
        );
        moves(
            &mut out,
            "What would lower it (margin of safety)",
            score,
            1,
            "worse",
            &advice.drop,
        );
    }
    section(&mut out, "Evidence gaps", advice.gaps.len());
    for gap in &advice.gaps {
        let _ = writeln!(
            out,
            "  {} (read by {})",
            super::gaps::gap_line(gap, s.score),
            gap.rules.join(", ")
        );
    }
    out
}

fn section(out: &mut String, title: &str, count: usize) {
    let _ = writeln!(out, "\n{title} ({count})");
}

/// How the score was formed before caps and floors: the baseline and its adjustments, or
/// under `method: categories` each category's score and their weighted percentage.
fn formed(s: &StatementResult) -> String {
    let Some(percent) = s.arithmetic.percent else {
        return format!(
            "baseline {}, adjustments {:+}",
            s.baseline, s.arithmetic.adjustment
        );
    };
    let categories: Vec<String> = s
        .categories
        .iter()
        .map(|c| match c.weight {
            1 => format!("{} {}", c.category.as_str(), c.score),
            2 => format!("{} {} (counted twice)", c.category.as_str(), c.score),
            w => format!("{} {} (counted {w} times)", c.category.as_str(), c.score),
        })
        .collect();
    format!(
        "{}; {percent}%, band {}",
        categories.join(", "),
        s.arithmetic.adjusted
    )
}

fn rule_head(
    out: &mut String,
    rule: &str,
    effect: &str,
    category: Option<Category>,
    location: &str,
    text: &str,
) {
    let on = category
        .map(|c| format!(", on {}", c.as_str()))
        .unwrap_or_default();
    let _ = writeln!(out, "  {rule}: {effect}{on}  ({location})");
    let _ = writeln!(out, "    {text}");
}

fn conditions(out: &mut String, conditions: &[ConditionTrace]) {
    for c in conditions {
        let verdict = match c.holds {
            Truth::True => "holds",
            Truth::False => "fails",
            Truth::Unknown => "unknown",
        };
        let mut context = Vec::new();
        if c.negated {
            context.push("under not");
        }
        if c.exception {
            context.push("in unless");
        }
        let context = if context.is_empty() {
            String::new()
        } else {
            format!(" ({})", context.join(", "))
        };
        let _ = writeln!(out, "      [{verdict}] {}{context}: {}", c.test, c.actual);
    }
}

/// The change sets in one direction; `limit` is the score past which nothing can move, and
/// `way` the way every change offered moves the evidence.
fn moves(out: &mut String, title: &str, score: u8, limit: u8, way: &str, sets: &[ChangeSet]) {
    let _ = writeln!(out, "\n{title}");
    if score == limit {
        let _ = writeln!(out, "  nothing: the score is already {limit}");
        return;
    }
    if sets.is_empty() {
        let _ = writeln!(
            out,
            "  no change for the {way} to one or two of the statement's metrics or findings does it"
        );
    }
    for set in sets {
        let changes: Vec<String> = set.changes.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "  to {}: {}", set.score, changes.join(" and "));
    }
}
