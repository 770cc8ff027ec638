//! `assure calibrate` renderers: text for a terminal, a Markdown page (docs/calibration.md
//! is this output, regenerated rather than written by hand) and the calibration as JSON.
//! Both readable forms open with what the pack adds over the naive baselines.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::compare::calibration::{
    Agreement, Calibration, Comparison, CouncilCalibration, FiredRule, GroupAgreement, Outcome,
    OverallComparison, SCORES, StatementCalibration,
};
use crate::lang::ast::EffectKind;
use crate::source::escape::{markdown as md, markdown_code as code, markdown_link};

/// What stands for a missing overall rating.
const PUBLISHED_NONE: &str = "not published";
const PROPOSED_NONE: &str = "not rated";

pub fn json(calibration: &Calibration) -> Result<String, crate::source::diagnostic::Diagnostic> {
    super::json::pretty(calibration)
}

/// The three scorers of a group, with the names a reader sees.
fn scorers<'a>(group: &'a GroupAgreement, arrow: &str) -> [(String, &'a Agreement); 3] {
    [
        ("The pack".to_string(), &group.pack),
        ("Always 3".to_string(), &group.always_3),
        (
            format!("Any negative finding {arrow} 2, otherwise 3"),
            &group.any_negative,
        ),
    ]
}

pub fn text(calibration: &Calibration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Calibration of pack {} {} ({}) against {} published assessment{}",
        calibration.pack.name,
        calibration.pack.version,
        short_hash(&calibration.pack.hash),
        calibration.councils.len(),
        plural(calibration.councils.len())
    );
    let _ = writeln!(out, "  {}\n", verdict(calibration));
    for (name, group) in calibration.agreement.in_order() {
        text_group(
            &mut out,
            name,
            group,
            calibration.agreement.development.is_some(),
        );
    }
    for council in &calibration.councils {
        text_council(&mut out, council);
    }
    // Everything shown came from the published-scores and evidence files or is ours:
    // one pass makes it safe for a terminal.
    crate::source::escape::text(&out).into_owned()
}

fn text_group(out: &mut String, name: &str, group: &GroupAgreement, split: bool) {
    let councils = if split && name != "All" {
        format!("{} ({})", name, group.councils.join(", "))
    } else {
        "all councils".to_string()
    };
    let _ = writeln!(out, "What the pack adds: {councils}");
    let _ = writeln!(out, "  {}", compared_words(group));
    let rows: Vec<[String; 4]> = scorers(group, "->")
        .iter()
        .map(|(scorer, a)| {
            [
                scorer.to_lowercase(),
                fraction(a.exact, a.compared, a.exact_percent),
                fraction(a.within_one, a.compared, a.within_one_percent),
                kappa(a.kappa),
            ]
        })
        .collect();
    let header = [
        "scorer".to_string(),
        "exact".to_string(),
        "within one".to_string(),
        "kappa".to_string(),
    ];
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::from("   ");
        for (cell, width) in row.iter().zip(&widths) {
            let _ = write!(line, " {cell:<width$} ");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if let Some(words) = not_scored_words(group) {
        let _ = writeln!(out, "  {words}");
    }
    let _ = writeln!(
        out,
        "  overall ratings: {}",
        overall_words(group, &|t| t.to_string())
    );
    let _ = writeln!(
        out,
        "  confusion matrices (rows published 1-4, columns proposed 1-4):"
    );
    let scorers = scorers(group, "->");
    let _ = writeln!(out, "         the pack        always 3        any negative");
    for published in 0..SCORES {
        let mut line = format!("      {} ", published + 1);
        for (_, agreement) in &scorers {
            for count in agreement.confusion[published] {
                let _ = write!(line, "{count:>3}");
            }
            line.push_str("    ");
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
}

fn text_council(out: &mut String, council: &CouncilCalibration) {
    let split = council
        .split
        .map(|s| format!(" [{}]", s.as_str()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} ({}){split}",
        council.authority, council.evidence_file
    );
    let mark = match council.overall_agrees() {
        Some(true) => String::new(),
        Some(false) => " differs".to_string(),
        None if council.overall_comparison == OverallComparison::PartialEvidence => {
            format!(", {}", overall_cell(council, false))
        }
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "  overall: {} -> {}{mark}",
        outcome(&council.published, PUBLISHED_NONE),
        outcome(&council.proposed, PROPOSED_NONE),
    );
    let width = council
        .statements
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    for statement in &council.statements {
        let mut line = format!(
            "  {:<width$}  {}",
            statement.name,
            statement_cell(statement, "->", false)
        );
        if statement.comparison == Comparison::Compared && !statement.matches() {
            let fired: Vec<String> = statement.fired.iter().map(fired_rule_plain).collect();
            if fired.is_empty() {
                line.push_str(": no rule fired");
            } else {
                let _ = write!(line, ": {}", fired.join(", "));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

/// Renders the comparison; `command` is the command line that regenerates the page.
pub fn markdown(calibration: &Calibration, command: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Calibration against published CQC assessments\n");
    let _ = writeln!(
        out,
        "Generated by {}. Do not edit by hand: change the pack, rerun the command, \
         and review the difference.\n",
        code(command)
    );
    let _ = writeln!(
        out,
        "Pack {} {} (`{}`), {} published assessment{}: {}.\n",
        code(&calibration.pack.name),
        md(&calibration.pack.version),
        calibration.pack.hash,
        calibration.councils.len(),
        plural(calibration.councils.len()),
        verdict(calibration)
    );
    what_the_pack_adds(&mut out, calibration);
    confusion_matrices(&mut out, calibration);
    summary(&mut out, calibration);
    side_by_side(&mut out, calibration);
    for council in &calibration.councils {
        council_section(&mut out, council);
    }
    out
}

fn what_the_pack_adds(out: &mut String, calibration: &Calibration) {
    let _ = writeln!(out, "## What the pack adds\n");
    let _ = writeln!(
        out,
        "The pack's statement scores against CQC's, beside two naive scorers given the same \
         statements: one that always proposes 3, and one that proposes 2 when any finding for \
         the statement is negative and 3 otherwise. *Exact* counts the same score, *within \
         one* a score at most one away, and *kappa* is Cohen's kappa with quadratic weights: \
         1 is full agreement, 0 no better than chance given how often each score is used, and \
         a disagreement of two costs four times one of one. Only statements with a published \
         score and evidence in the council's file are compared.\n"
    );
    let split = calibration.agreement.development.is_some();
    for (name, group) in calibration.agreement.in_order() {
        if split {
            let _ = writeln!(out, "### {name}\n");
            let councils = if group.councils.is_empty() {
                "none".to_string()
            } else {
                let names: Vec<String> = group.councils.iter().map(|c| md(c)).collect();
                names.join(", ")
            };
            let _ = writeln!(out, "Councils: {councils}.\n");
        }
        let _ = writeln!(out, "{}\n", compared_words(group));
        let _ = writeln!(out, "| Scorer | Exact | Within one | Kappa |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for (scorer, a) in scorers(group, "→") {
            let _ = writeln!(
                out,
                "| {scorer} | {} | {} | {} |",
                fraction(a.exact, a.compared, a.exact_percent),
                fraction(a.within_one, a.compared, a.within_one_percent),
                kappa(a.kappa)
            );
        }
        out.push('\n');
        if let Some(words) = not_scored_words(group) {
            let _ = writeln!(out, "{words}\n");
        }
        let _ = writeln!(out, "Overall ratings: {}.\n", overall_words(group, &md));
    }
}

fn confusion_matrices(out: &mut String, calibration: &Calibration) {
    let _ = writeln!(out, "## Confusion matrices\n");
    let _ = writeln!(
        out,
        "Rows are the published score, columns the proposed one; the diagonal is exact \
         agreement.\n"
    );
    let split = calibration.agreement.development.is_some();
    for (name, group) in calibration.agreement.in_order() {
        if split {
            let _ = writeln!(out, "### {name}\n");
        }
        for (scorer, agreement) in scorers(group, "→") {
            let _ = writeln!(out, "{scorer}:\n");
            let _ = writeln!(out, "| Published | Proposed 1 | 2 | 3 | 4 |");
            let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
            for (published, row) in agreement.confusion.iter().enumerate() {
                let cells: Vec<String> = row.iter().map(u32::to_string).collect();
                let _ = writeln!(out, "| {} | {} |", published + 1, cells.join(" | "));
            }
            out.push('\n');
        }
    }
}

fn summary(out: &mut String, calibration: &Calibration) {
    let split = calibration.councils.iter().any(|c| c.split.is_some());
    let _ = writeln!(out, "## Councils\n");
    let _ = writeln!(
        out,
        "| Authority |{} Published | Proposed | Overall agrees | Statements agreeing |",
        if split { " Split |" } else { "" }
    );
    let _ = writeln!(
        out,
        "| --- |{} --- | --- | --- | --- |",
        if split { " --- |" } else { "" }
    );
    for council in &calibration.councils {
        let split_cell = if split {
            format!(" {} |", council.split.map_or("-", |s| s.as_str()))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {} |{split_cell} {} | {} | {} | {} |",
            md(&council.authority),
            outcome(&council.published, PUBLISHED_NONE),
            outcome(&council.proposed, PROPOSED_NONE),
            overall_cell(council, true),
            statements_agreeing(council)
        );
    }
    out.push('\n');
}

/// One row per statement, one column per council: published and proposed side by side.
fn side_by_side(out: &mut String, calibration: &Calibration) {
    let Some(first) = calibration.councils.first() else {
        return;
    };
    let _ = writeln!(out, "## Statement by statement\n");
    let _ = writeln!(
        out,
        "Each cell is *published → proposed*; a disagreement is marked **differs**, and a \
         published score the evidence says nothing about is *not compared*.\n"
    );
    let mut header = String::from("| Statement |");
    let mut rule = String::from("| --- |");
    for council in &calibration.councils {
        let _ = write!(header, " {} |", md(&council.authority));
        rule.push_str(" --- |");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for (index, statement) in first.statements.iter().enumerate() {
        let mut row = format!("| {} |", md(&statement.name));
        for council in &calibration.councils {
            let cell = council
                .statements
                .get(index)
                .map_or_else(String::new, |s| statement_cell(s, "→", true));
            let _ = write!(row, " {cell} |");
        }
        let _ = writeln!(out, "{row}");
    }
    out.push('\n');
}

fn council_section(out: &mut String, council: &CouncilCalibration) {
    let _ = writeln!(out, "## {}\n", md(&council.authority));
    let published = council
        .published_date
        .as_deref()
        .map(|date| format!(", published {}", md(date)))
        .unwrap_or_default();
    let split = council
        .split
        .map(|s| format!(" Split: {}.", s.as_str()))
        .unwrap_or_default();
    let published_result = match council.published.rating {
        Some(_) => format!("Published {}", outcome(&council.published, PUBLISHED_NONE)),
        None => "No overall rating published".to_string(),
    };
    let _ = writeln!(
        out,
        "Evidence {}{published}. {published_result}; proposed {}; overall {}.{split}\n",
        code(&council.evidence_file),
        outcome(&council.proposed, PROPOSED_NONE),
        overall_cell(council, false)
    );
    let _ = writeln!(
        out,
        "| Statement | Published | Proposed | Agrees | Fired rules (effect) |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for statement in &council.statements {
        let fired: Vec<String> = statement.fired.iter().map(fired_rule).collect();
        let fired = if statement.proposed.is_none() {
            "not scored".to_string()
        } else if fired.is_empty() {
            "none: the baseline stands".to_string()
        } else {
            fired.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {fired} |",
            md(&statement.name),
            score(statement.published),
            score(statement.proposed),
            agrees_cell(statement)
        );
    }
    out.push('\n');
    if !council.sources.is_empty() {
        let _ = writeln!(out, "Published scores from:\n");
        for source in &council.sources {
            let _ = writeln!(out, "- {}", markdown_link(source));
        }
        out.push('\n');
    }
}

/// The one-line result: how many compared statement scores and overall ratings agree.
fn verdict(calibration: &Calibration) -> String {
    let all = &calibration.agreement.all;
    let statements = format!(
        "{} of {} compared statement score{} and {} of {} compared overall rating{} agree",
        all.pack.exact,
        all.pack.compared,
        plural(all.pack.compared as usize),
        all.overall.agreeing,
        all.overall.compared,
        plural(all.overall.compared as usize)
    );
    if calibration.matches() {
        format!("every compared score agrees: {statements}")
    } else {
        format!("some compared scores disagree: {statements}")
    }
}

/// `Compared: 40 statements with a published score and evidence, of 60 published; 20 not
/// compared (no evidence).`
fn compared_words(group: &GroupAgreement) -> String {
    format!(
        "Compared: {} statement{} with a published score and evidence, of {} published; {} \
         not compared (no evidence).",
        group.pack.compared,
        plural(group.pack.compared as usize),
        group.published,
        group.no_evidence
    )
}

fn not_scored_words(group: &GroupAgreement) -> Option<String> {
    match group.not_scored {
        0 => None,
        n => Some(format!(
            "{n} published statement{} with evidence the pack did not score, each a \
             disagreement outside the figures above.",
            plural(n as usize)
        )),
    }
}

/// `2 of 2 agree where every statement has evidence; not compared: …`.
/// `escape` writes an authority's name for the output at hand.
fn overall_words(group: &GroupAgreement, escape: &dyn Fn(&str) -> String) -> String {
    let overall = &group.overall;
    let mut words = format!(
        "{} of {} agree{} where every statement has evidence",
        overall.agreeing,
        overall.compared,
        if overall.compared == 1 { "s" } else { "" }
    );
    let mut not_compared: Vec<String> = overall
        .partial_evidence
        .iter()
        .map(|p| {
            format!(
                "{} (partial evidence: {} of {} statements)",
                escape(&p.authority),
                p.statements_with_evidence,
                p.statements
            )
        })
        .collect();
    not_compared.extend(
        overall
            .not_published
            .iter()
            .map(|authority| format!("{} (no published rating)", escape(authority))),
    );
    if !not_compared.is_empty() {
        let _ = write!(words, "; not compared: {}", not_compared.join(", "));
    }
    words
}

fn overall_cell(council: &CouncilCalibration, bold: bool) -> String {
    match council.overall_comparison {
        OverallComparison::Compared => {
            if council.overall_agrees() == Some(true) {
                "agrees".to_string()
            } else if bold {
                "**differs**".to_string()
            } else {
                "differs".to_string()
            }
        }
        OverallComparison::PartialEvidence => format!(
            "not compared (partial evidence: {} of {} statements)",
            council.statements_with_evidence,
            council.statements.len()
        ),
        OverallComparison::NotPublished => "not compared (no published rating)".to_string(),
    }
}

/// `2 of 3 compared (6 not compared: no evidence)`.
fn statements_agreeing(council: &CouncilCalibration) -> String {
    let mut cell = format!(
        "{} of {} compared",
        council.statements_matching(),
        council.statements_compared()
    );
    let no_evidence = council.count(Comparison::NoEvidence);
    if no_evidence > 0 {
        let _ = write!(cell, " ({no_evidence} not compared: no evidence)");
    }
    let not_scored = council.count(Comparison::NotScored);
    if not_scored > 0 {
        let _ = write!(cell, "; {not_scored} not scored");
    }
    cell
}

fn statement_cell(statement: &StatementCalibration, arrow: &str, bold: bool) -> String {
    let published = score(statement.published);
    let differs = if bold { "**differs**" } else { "differs" };
    match statement.comparison {
        Comparison::Compared if statement.matches() => {
            format!("{published} {arrow} {}", score(statement.proposed))
        }
        Comparison::Compared => {
            format!(
                "{published} {arrow} {} {differs}",
                score(statement.proposed)
            )
        }
        Comparison::NoEvidence => format!("{published}, not compared (no evidence)"),
        Comparison::NotPublished => "not published".to_string(),
        Comparison::NotScored => format!("{published} {arrow} not scored {differs}"),
    }
}

fn agrees_cell(statement: &StatementCalibration) -> &'static str {
    match statement.comparison {
        Comparison::Compared if statement.matches() => "yes",
        Comparison::Compared => "**no**",
        Comparison::NoEvidence => "not compared (no evidence)",
        Comparison::NotPublished => "not compared (not published)",
        Comparison::NotScored => "**no** (not scored)",
    }
}

/// `cp-supported-living-sourcing (-1)`, `cp-exceptional-needs-outcomes (cap 3)`.
fn fired_rule_plain(rule: &FiredRule) -> String {
    format!("{} ({})", rule.rule, effect_words(rule.effect_kind))
}

/// The same for Markdown: the rule id as a code span.
fn fired_rule(rule: &FiredRule) -> String {
    format!("{} ({})", code(&rule.rule), effect_words(rule.effect_kind))
}

fn effect_words(kind: EffectKind) -> String {
    match kind {
        EffectKind::CapAt(n) => format!("cap {n}"),
        EffectKind::LiftTo(n) => format!("floor {n}"),
        EffectKind::Raise(n) => format!("+{n}"),
        EffectKind::Lower(n) => format!("-{n}"),
        EffectKind::NoEffect => "no effect".to_string(),
    }
}

/// `7 of 10 (70.0%)`; `0 of 0` when nothing was compared.
fn fraction(part: u32, whole: u32, percent: Option<Decimal>) -> String {
    match percent {
        Some(percent) => format!("{part} of {whole} ({percent}%)"),
        None => format!("{part} of {whole}"),
    }
}

fn kappa(kappa: Option<Decimal>) -> String {
    kappa.map_or_else(|| "undefined".to_string(), |k| k.to_string())
}

/// An overall result; `missing` says what a result without a rating is.
fn outcome(outcome: &Outcome, missing: &str) -> String {
    let rating = outcome.rating.as_deref().unwrap_or(missing);
    match outcome.percent {
        Some(percent) => format!("{rating}, {percent}%"),
        None => rating.to_string(),
    }
}

fn score(score: Option<u8>) -> String {
    score.map_or_else(|| "-".to_string(), |s| s.to_string())
}

fn short_hash(hash: &str) -> &str {
    hash.get(..19).unwrap_or(hash)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
