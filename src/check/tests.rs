//! The logic findings on small packs: each case is a statement's rules and the codes the
//! check must report for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::diagnostic::SourceFile;

fn findings(rules: &[&str]) -> Vec<Finding> {
    let mut text = String::from(
        "pack: t\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n",
    );
    for (index, rule) in rules.iter().enumerate() {
        text.push_str(&format!(
            "  - id: an-{index}\n    rule: {rule}\n    why: A reason.\n    cites: A source.\n"
        ));
    }
    let file = SourceFile::new("t.yaml", text);
    let pack = Pack::load(
        &[file],
        crate::builtin_framework().unwrap(),
        crate::builtin_catalogue().unwrap(),
    )
    .unwrap_or_else(|problems| panic!("{problems:?}"));
    check(&pack)
        .into_iter()
        .filter(|f| f.code.starts_with("A2"))
        .collect()
}

/// The logic findings other than gaps, which have tests of their own below.
fn logic(rules: &[&str]) -> Vec<Finding> {
    findings(rules)
        .into_iter()
        .filter(|f| f.code != codes::GAP)
        .collect()
}

/// The gap messages, after the metric and reference.
fn gaps_of(rules: &[&str]) -> Vec<String> {
    findings(rules)
        .into_iter()
        .filter(|f| f.code == codes::GAP)
        .map(|f| {
            f.message
                .split_once(": ")
                .map_or(f.message.clone(), |(_, gaps)| gaps.to_string())
        })
        .collect()
}

fn codes_of(rules: &[&str]) -> Vec<&'static str> {
    logic(rules).iter().map(|f| f.code).collect()
}

#[test]
fn in_line_and_worse_than_never_overlap() {
    // Tolerance 5 points: within 5 is in line, beyond 5 is worse; no value is both.
    assert_eq!(
        codes_of(&[
            "feel safe in line with england average and feel safe worse than england average lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
}

#[test]
fn the_tolerance_edge_is_in_line() {
    // Exactly 5 points below is in line (inclusive), so `worse than` needs more than 5.
    assert!(codes_of(&["feel safe in line with england average and feel safe at or below england average by at least 5 points lowers score"]).is_empty());
    assert_eq!(
        codes_of(&[
            "feel safe in line with england average and feel safe below england average by more than 5 points lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
}

#[test]
fn a_metric_tolerance_replaces_the_packs() {
    // Quality of life has a 0.5-point tolerance: worse than means more than 0.5 below.
    let within = |points: &str| {
        format!(
            "social care-related quality of life worse than england average and not social care-related quality of life below england average by more than {points} points lowers score"
        )
    };
    assert!(codes_of(&[&within("1")]).is_empty());
    assert_eq!(codes_of(&[&within("0.5")]), [codes::UNSATISFIABLE]);
}

#[test]
fn relative_margins_scale_with_the_reference() {
    // More than 10% above previous yet at most 2 more: only a previous under 20 allows it.
    let rule = |floor: &str| {
        format!(
            "people waiting for a care act assessment worse than previous by more than 10% and not people waiting for a care act assessment above previous by more than 2 points and people waiting for a care act assessment at or above {floor} lowers score"
        )
    };
    assert!(codes_of(&[&rule("15")]).is_empty());
    assert_eq!(codes_of(&[&rule("30")]), [codes::UNSATISFIABLE]);
}

#[test]
fn strict_and_inclusive_boundaries() {
    assert!(
        codes_of(&["feel safe at or below 50% and feel safe at or above 50% lowers score"])
            .is_empty()
    );
    assert_eq!(
        codes_of(&["feel safe below 50% and feel safe at or above 50% lowers score"]),
        [codes::UNSATISFIABLE]
    );
}

#[test]
fn counts_are_whole_numbers() {
    assert_eq!(
        codes_of(&[
            "people waiting for a care act assessment above 10 and people waiting for a care act assessment below 11 lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
    assert!(codes_of(&["care act assessment waiting days above 10 and care act assessment waiting days below 11 lowers score"]).is_empty());
}

#[test]
fn percentages_stop_at_100() {
    assert_eq!(
        codes_of(&["feel safe above 100% lowers score"]),
        [codes::UNSATISFIABLE]
    );
}

#[test]
fn most_needs_more_than_half() {
    assert_eq!(
        codes_of(&[
            "most positive findings from processes and most negative findings from processes lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
    assert!(
        codes_of(&["most positive findings and at least 2 negative findings lowers score"])
            .is_empty()
    );
}

#[test]
fn a_missing_exception_does_not_excuse() {
    // The `unless` needs a previous value; without it the rule still fires, so it is live.
    assert!(codes_of(&["care act assessment waiting days above 28 lowers score unless care act assessment waiting days improving"]).is_empty());
}

#[test]
fn unknown_tests_never_fire_a_rule() {
    // `not` of an unknown test is unknown: with no findings at all neither rule fires.
    assert_eq!(
        codes_of(&[
            "not any negative finding raises score",
            "any negative finding lowers score",
        ]),
        Vec::<&str>::new()
    );
}

#[test]
fn conflicts_come_with_a_counterexample_that_fires_both() {
    let found = logic(&[
        "social care-related quality of life improving raises score",
        "social care-related quality of life worse than england average lowers score",
    ]);
    assert_eq!(found.len(), 1);
    let example = found[0].counterexample.clone().expect("a counterexample");
    assert_eq!(example.metrics.len(), 1);
    assert!(example.metrics[0].previous.is_some() && example.metrics[0].england_average.is_some());
}

#[test]
fn different_evidence_is_weighing_not_conflict() {
    assert!(
        codes_of(&[
            "feel safe better than england average raises score",
            "care act assessment waiting days above 28 lowers score",
        ])
        .is_empty()
    );
}

#[test]
fn gaps_between_thresholds_are_found_with_their_ends() {
    assert_eq!(
        gaps_of(&[
            "care act assessment waiting days above 28 lowers score",
            "care act assessment waiting days below 14 raises score",
        ]),
        ["from 14 days (included) to 28 days (included)"]
    );
    // Below and above a reference leave the reference itself.
    assert_eq!(
        gaps_of(&[
            "care act assessments completed within 28 days below target lowers score",
            "care act assessments completed within 28 days above target raises score",
        ]),
        ["exactly the target"]
    );
}

#[test]
fn has_no_effect_covers_a_band() {
    assert!(
        gaps_of(&[
            "care act assessment waiting days above 28 lowers score",
            "care act assessment waiting days at or below 28 has no effect",
        ])
        .is_empty()
    );
    // Worse, in line and better split the line with nothing left over.
    assert!(
        gaps_of(&[
            "feel safe worse than england average lowers score",
            "feel safe in line with england average has no effect",
            "feel safe better than england average raises score",
        ])
        .is_empty()
    );
}

#[test]
fn not_and_unless_score_the_other_side() {
    // `not` covers where the test fails: above 28 and not above 28 cover everything.
    assert!(
        gaps_of(&[
            "care act assessment waiting days above 28 lowers score",
            "not care act assessment waiting days above 28 has no effect",
        ])
        .is_empty()
    );
    // An exception: the rule acts where it fails, so where it holds is unscored.
    assert_eq!(
        gaps_of(&[
            "care act assessment waiting days above 90 caps score at 2 unless care act assessment waiting days improving by more than 10%",
        ]),
        [
            "at or below 90 days",
            "more than 10% below the previous value"
        ]
    );
}

#[test]
fn whole_number_metrics_have_no_gaps_between_whole_numbers() {
    assert!(
        gaps_of(&[
            "people waiting for a care act assessment above 10.5 lowers score",
            "people waiting for a care act assessment at or below 10 has no effect",
        ])
        .is_empty()
    );
    assert_eq!(
        gaps_of(&[
            "people waiting for a care act assessment above 11 lowers score",
            "people waiting for a care act assessment at or below 10 has no effect",
        ]),
        ["from 10 (excluded) to 11 (included)"]
    );
}

#[test]
fn points_and_per_cent_together_are_described_at_a_reference() {
    // In line is within 5 points; the lowering rule needs 20% of the target below it.
    assert_eq!(
        gaps_of(&[
            "reviews completed on time in line with target has no effect",
            "reviews completed on time below target by at least 20% lowers score",
        ]),
        ["with the target at 50%, from 40% (excluded) to 45% (excluded); above 55%"]
    );
    // Per cent alone is exact on the ratio of value to reference.
    assert_eq!(
        gaps_of(&["care home admissions 65 and over worse than england average lowers score"]),
        ["no more than 10% above the England average, or below it"]
    );
}
