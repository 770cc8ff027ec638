//! What would move a score, near misses and gaps, on small packs whose answers can be
//! worked out by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::diagnostic::SourceFile;

const STATEMENT: &str = "assessing-needs";

fn pack(rules: &[&str]) -> Pack {
    let mut text = format!(
        "pack: t\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: {STATEMENT}\nrules:\n"
    );
    for (index, rule) in rules.iter().enumerate() {
        text.push_str(&format!("  - id: r{}\n    rule: {rule}\n", index + 1));
    }
    Pack::load(
        &[SourceFile::new("pack.yaml", text)],
        crate::builtin_framework().unwrap(),
        crate::builtin_catalogue().unwrap(),
    )
    .unwrap_or_else(|problems| panic!("{problems:?}"))
}

/// Evidence for the statement: each entry is the body of one item (after its id).
fn evidence(pack: &Pack, items: &[&str]) -> Evidence {
    let mut text = String::from("authority: Testshire\nitems:\n");
    for (index, item) in items.iter().enumerate() {
        text.push_str(&format!(
            "  - id: e{}\n    statement: {STATEMENT}\n{}\n",
            index + 1,
            item.lines()
                .map(|line| format!("    {line}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let file = SourceFile::new("evidence.yaml", text);
    Evidence::load(&file, &pack.framework, &pack.catalogue)
        .unwrap_or_else(|failure| panic!("{}", failure.render()))
}

fn advice(rules: &[&str], items: &[&str]) -> StatementAdvice {
    let pack = pack(rules);
    let evidence = evidence(&pack, items);
    advise_statement(&evidence, &pack, STATEMENT)
}

fn sets(sets: &[ChangeSet]) -> Vec<String> {
    sets.iter()
        .map(|set| {
            let changes: Vec<String> = set.changes.iter().map(ToString::to_string).collect();
            format!("{}: {}", set.score, changes.join(" and "))
        })
        .collect()
}

const SUPPORTED_LIVING_63: &str = "category: processes\nmetric: supported living sourced within timescale\nvalue: 63%\ntarget: 75%";

#[test]
fn raising_a_value_to_its_target() {
    let advice = advice(
        &["supported living sourced within timescale below target lowers score"],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(advice.score, Some(2));
    assert_eq!(
        sets(&advice.raise),
        ["3: supported living sourced within timescale: 63% → 75% (target)"]
    );
    assert!(advice.drop.is_empty(), "{:?}", advice.drop);
}

#[test]
fn a_strict_threshold_is_reached_just_past_it() {
    let advice = advice(
        &["supported living sourced within timescale above target raises score"],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(
        sets(&advice.raise),
        ["4: supported living sourced within timescale: 63% → above 75% (target)"]
    );
}

#[test]
fn the_margin_of_safety_and_a_near_miss() {
    // England 72%, tolerance 5 points: worse than England means below 67%.
    let advice = advice(
        &["choice over services worse than england average lowers score"],
        &["category: outcomes\nmetric: choice over services\nvalue: 70%\nengland_average: 72%"],
    );
    assert_eq!(advice.score, Some(3));
    assert_eq!(
        sets(&advice.drop),
        ["2: choice over services: 70% → below 67% (5 points below England average)"]
    );
    assert_eq!(advice.near_misses.len(), 1);
    let miss = &advice.near_misses[0];
    assert_eq!(miss.rule, "r1");
    assert_eq!(miss.margin, "more than 3 points");
}

#[test]
fn a_rule_beyond_the_tolerance_is_not_a_near_miss() {
    let advice = advice(
        &["choice over services worse than england average lowers score"],
        &["category: outcomes\nmetric: choice over services\nvalue: 80%\nengland_average: 72%"],
    );
    assert!(advice.near_misses.is_empty(), "{:?}", advice.near_misses);
    assert_eq!(advice.drop.len(), 1);
}

#[test]
fn two_changes_when_no_single_one_is_enough() {
    let advice = advice(
        &[
            "supported living sourced within timescale at or above target and domiciliary care sourced within timescale at or above target raises score",
        ],
        &[
            SUPPORTED_LIVING_63,
            "category: processes\nmetric: domiciliary care sourced within timescale\nvalue: 80%\ntarget: 85%",
        ],
    );
    assert_eq!(
        sets(&advice.raise),
        [
            "4: supported living sourced within timescale: 63% → 75% (target) and domiciliary care sourced within timescale: 80% → 85% (target)"
        ]
    );
}

#[test]
fn counts_move_in_whole_numbers() {
    let advice = advice(
        &["people waiting for a care act assessment above 100 lowers score"],
        &["category: processes\nmetric: people waiting for a care act assessment\nvalue: 90"],
    );
    assert_eq!(
        sets(&advice.drop),
        ["2: people waiting for a care act assessment: 90 → 101"]
    );
}

#[test]
fn one_more_finding_is_a_near_miss() {
    let advice = advice(
        &["at least 2 negative findings from feedback from partners lowers score"],
        &["category: feedback from partners\nfinding: Referrals are slow.\nsentiment: negative"],
    );
    assert_eq!(
        sets(&advice.drop),
        ["2: negative findings from feedback from partners: 1 → 2"]
    );
    assert_eq!(advice.near_misses.len(), 1);
    assert_eq!(advice.near_misses[0].margin, "1 more finding");
}

#[test]
fn a_missing_metric_is_a_gap_with_its_reach() {
    let advice = advice(
        &[
            "choice over services worse than england average lowers score",
            "choice over services better than england average raises score",
        ],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(advice.score, Some(3));
    assert_eq!(advice.gaps.len(), 1, "{:?}", advice.gaps);
    let gap = &advice.gaps[0];
    assert_eq!(gap.kind, GapKind::Metric);
    assert_eq!(gap.wanted, "choice over services");
    assert_eq!(gap.category, Some(Category::PeoplesExperience));
    assert_eq!((gap.lowest, gap.highest), (Some(2), Some(4)));
    assert_eq!((gap.could_raise, gap.could_lower), (1, 1));
    assert_eq!(gap.rules, ["r1", "r2"]);
}

#[test]
fn a_missing_reference_is_a_gap() {
    let advice = advice(
        &["choice over services better than england average raises score"],
        &["category: outcomes\nmetric: choice over services\nvalue: 70%"],
    );
    let gap = &advice.gaps[0];
    assert_eq!(gap.kind, GapKind::Reference);
    assert_eq!(gap.wanted, "the England average for choice over services");
    assert_eq!((gap.lowest, gap.highest), (Some(3), Some(4)));
}

#[test]
fn a_category_without_findings_is_a_gap() {
    let advice = advice(
        &[
            "most positive findings from feedback from partners raises score",
            "supported living sourced within timescale below target lowers score",
        ],
        &[SUPPORTED_LIVING_63],
    );
    let findings: Vec<&EvidenceGap> = advice
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::Findings)
        .collect();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].wanted, "findings from feedback from partners");
    assert_eq!(
        (findings[0].lowest, findings[0].highest),
        (Some(2), Some(3))
    );
    assert_eq!(findings[0].could_raise, 1);
}

#[test]
fn gaps_are_ranked_by_reach() {
    let advice = advice(
        &[
            "choice over services worse than england average lowers score",
            "supported living sourced within timescale below 50% lowers score by 2",
        ],
        &["category: processes\nfinding: Forms are clear.\nsentiment: positive"],
    );
    let wanted: Vec<&str> = advice.gaps.iter().map(|g| g.wanted.as_str()).collect();
    assert_eq!(
        wanted,
        [
            "supported living sourced within timescale",
            "choice over services"
        ]
    );
}

#[test]
fn nothing_is_offered_past_the_top_of_a_percentage() {
    // Above 100% is impossible, so reaching the rule's threshold is the only way up.
    let reachable = advice(
        &["supported living sourced within timescale at or above 100% raises score"],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(
        sets(&reachable.raise),
        ["4: supported living sourced within timescale: 63% → 100% (25 points above target)"]
    );
    let unreachable = advice(
        &["supported living sourced within timescale above 100% raises score"],
        &[SUPPORTED_LIVING_63],
    );
    assert!(unreachable.raise.is_empty(), "{:?}", unreachable.raise);
}
