//! `assure diff` renderers: text for a terminal, Markdown for a pull-request comment, and
//! the diff itself as JSON.

use std::fmt::Write;

use crate::compare::diff::{Cause, Change, CouncilDiff, Outcome, PackDiff, StatementChange};
use crate::source::escape;

pub fn json(diff: &PackDiff) -> Result<String, crate::source::diagnostic::Diagnostic> {
    super::json::pretty(diff)
}

pub fn text(diff: &PackDiff) -> String {
    escape::text(&text_unescaped(diff)).into_owned()
}

fn text_unescaped(diff: &PackDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", heading(diff, str::to_string));
    for council in &diff.councils {
        let _ = write!(out, "{} ({})", council.authority, council.evidence_file);
        if !council.moved() {
            let _ = writeln!(out, ": nothing moves\n");
            continue;
        }
        out.push('\n');
        if council.old != council.new {
            let _ = writeln!(
                out,
                "  overall: {} -> {}",
                outcome(&council.old),
                outcome(&council.new)
            );
        }
        for statement in &council.statements {
            let _ = writeln!(
                out,
                "  {}: {} -> {}",
                statement.name,
                score(statement.old),
                score(statement.new)
            );
            if let Some(setting) = &statement.setting {
                let _ = writeln!(out, "    {}", setting_words(setting));
            }
            for cause in &statement.causes {
                let _ = writeln!(out, "    {}", cause_words(cause));
            }
        }
        out.push('\n');
    }
    unmoving(&mut out, diff, "");
    // Blank lines separate the councils; none is left after the last.
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}

pub fn markdown(diff: &PackDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {}\n", heading(diff, escape::markdown));
    let moved: Vec<&CouncilDiff> = diff.councils.iter().filter(|c| c.moved()).collect();
    if moved.is_empty() {
        let _ = writeln!(
            out,
            "No score moves on the {} evidence file{} compared.",
            diff.councils.len(),
            if diff.councils.len() == 1 { "" } else { "s" }
        );
    } else {
        let _ = writeln!(out, "| Council | Statement | Before | After | Because |");
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        for council in moved {
            if council.old != council.new {
                let _ = writeln!(
                    out,
                    "| {} | **overall** | {} | {} | |",
                    escape::markdown(&council.authority),
                    outcome(&council.old),
                    outcome(&council.new)
                );
            }
            for statement in &council.statements {
                let because: Vec<String> = statement
                    .setting
                    .iter()
                    // Our words and numbers, and effects as the printer writes them.
                    .map(setting_words)
                    .chain(
                        statement
                            .causes
                            .iter()
                            .map(|c| format!("{} {}", escape::markdown_code(&c.rule), firing(c))),
                    )
                    .collect();
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    escape::markdown(&council.authority),
                    escape::markdown(&statement.name),
                    score(statement.old),
                    score(statement.new),
                    because.join("; ")
                );
            }
        }
        let still = diff.councils.len() - diff.councils.iter().filter(|c| c.moved()).count();
        if still > 0 {
            let _ = writeln!(
                out,
                "\n{still} other evidence file{} moved nothing.",
                if still == 1 { "" } else { "s" }
            );
        }
    }
    unmoving_markdown(&mut out, diff);
    out
}

/// `cqc-la 1.1.0 -> 1.2.0: 2 rules added, 1 changed`.
fn heading(diff: &PackDiff, name: fn(&str) -> String) -> String {
    let mut counts: Vec<String> = Vec::new();
    for kind in [
        Change::Added,
        Change::Removed,
        Change::Changed,
        Change::Reworded,
        Change::Moved,
    ] {
        let n = diff
            .rule_changes
            .iter()
            .filter(|c| c.change == kind)
            .count();
        if n > 0 {
            counts.push(format!("{n} {}", kind.as_str()));
        }
    }
    if !diff.statement_changes.is_empty() {
        counts.push(format!(
            "{} statement setting{} changed",
            diff.statement_changes.len(),
            if diff.statement_changes.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    let summary = if counts.is_empty() {
        "no rule changes".to_string()
    } else {
        format!("rules: {}", counts.join(", "))
    };
    format!(
        "{} {} ({}) -> {} {} ({}): {summary}",
        name(&diff.old.name),
        name(&diff.old.version),
        name(short(&diff.old.hash)),
        name(&diff.new.name),
        name(&diff.new.version),
        name(short(&diff.new.hash))
    )
}

fn unmoving(out: &mut String, diff: &PackDiff, gap: &str) {
    if diff.moved_nothing.is_empty() {
        return;
    }
    let listed: Vec<String> = diff
        .rule_changes
        .iter()
        .filter(|c| diff.moved_nothing.contains(&c.rule))
        .map(|c| format!("`{}` ({})", c.rule, c.change.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "{gap}Changed rules that moved nothing on these files: {}",
        listed.join(", ")
    );
}

fn unmoving_markdown(out: &mut String, diff: &PackDiff) {
    if diff.moved_nothing.is_empty() {
        return;
    }
    let listed: Vec<String> = diff
        .rule_changes
        .iter()
        .filter(|c| diff.moved_nothing.contains(&c.rule))
        .map(|c| format!("{} ({})", escape::markdown_code(&c.rule), c.change.as_str()))
        .collect();
    let _ = writeln!(
        out,
        "\nChanged rules that moved nothing on these files: {}",
        listed.join(", ")
    );
}

fn setting_words(setting: &StatementChange) -> String {
    format!("statement setting: {} -> {}", setting.old, setting.new)
}

fn cause_words(cause: &Cause) -> String {
    format!("{} {}", cause.rule, firing(cause))
}

/// `(added) fires: lowers score`, `(changed) lowers score -> caps score at 2`.
fn firing(cause: &Cause) -> String {
    let what = match (&cause.before, &cause.after) {
        (None, Some(after)) => format!("now fires: {after}"),
        (Some(before), None) => format!("no longer fires (was: {before})"),
        (Some(before), Some(after)) => format!("{before} -> {after}"),
        (None, None) => "no change".to_string(),
    };
    format!("({}) {what}", cause.change.as_str())
}

fn outcome(outcome: &Outcome) -> String {
    match (&outcome.rating, outcome.percent) {
        (Some(rating), Some(percent)) => format!("{rating} {percent}%"),
        (None, Some(percent)) if outcome.partial => format!("partial {percent}%"),
        _ => "not rated".to_string(),
    }
}

fn score(score: Option<u8>) -> String {
    score.map_or("not scored".to_string(), |s| s.to_string())
}

fn short(hash: &str) -> &str {
    let hex = hash.strip_prefix("sha256:").unwrap_or(hash);
    hex.get(..12).unwrap_or(hex)
}
