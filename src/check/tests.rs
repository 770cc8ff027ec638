//! The logic findings on small packs: each case is a statement's rules and the codes the
//! check must report for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::logic::{formula, lowering};
use crate::source::diagnostic::SourceFile;

fn findings(rules: &[&str]) -> Vec<Finding> {
    all_findings("statement", rules)
        .into_iter()
        .filter(|f| f.code.starts_with("A2"))
        .collect()
}

/// Every finding for one statement's rules, scored by `method`.
fn all_findings(method: &str, rules: &[&str]) -> Vec<Finding> {
    all_findings_with(&format!("method: {method}"), rules)
}

/// Every finding for one statement's rules, under a statement header (method, baseline).
fn all_findings_with(header: &str, rules: &[&str]) -> Vec<Finding> {
    let mut text = format!(
        "pack: t\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\n{header}\nrules:\n",
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
    let found = check(&pack);
    // Every example shown makes its rules fire, by the real evaluator.
    for finding in &found {
        assert!(
            !finding.message.contains("please report"),
            "{}",
            finding.message
        );
        if let (Some(example), false) = (&finding.counterexample, finding.code == codes::GAP) {
            let statement = &pack.statements[0];
            let rules: Vec<&crate::pack::PackRule> = statement
                .rules
                .iter()
                .filter(|r| finding.rules.contains(&r.id))
                .collect();
            if finding.code.starts_with("A2") {
                let fired = example.fired(&pack, &statement.statement, &rules);
                assert!(
                    fired.iter().all(|f| *f),
                    "{example} for {}",
                    finding.message
                );
            }
        }
    }
    found
}

/// The logic findings of rules scored by category.
fn by_category(rules: &[&str]) -> Vec<&'static str> {
    all_findings("categories", rules)
        .into_iter()
        .filter(|f| f.code.starts_with("A2") && f.code != codes::GAP)
        .map(|f| f.code)
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
    // Exactly 5 points below is in line (inclusive), so `worse than` needs more than 5. An
    // item with a margin of error wider than 5 points is in line within it, and may be more
    // than 5 below as well, so the check calls neither pair impossible; the tolerance's own
    // edge is held by `comparisons_agree_with_the_evaluator` below.
    assert!(codes_of(&["feel safe in line with england average and feel safe at or below england average by at least 5 points lowers score"]).is_empty());
    assert!(codes_of(&["feel safe in line with england average and feel safe below england average by more than 5 points lowers score"]).is_empty());
}

#[test]
fn a_metric_tolerance_replaces_the_packs() {
    // Quality of life has a 0.5-point tolerance: worse than means more than 0.5 below, and
    // `below by more than 1 point` without `worse than` is no contradiction. (With a margin
    // of error narrower than 0.5, `worse than` and `not below by more than 0.5` can both
    // hold, so that pair is no longer reported.)
    let within = |points: &str| {
        format!(
            "social care-related quality of life worse than england average and not social care-related quality of life below england average by more than {points} points lowers score"
        )
    };
    assert!(codes_of(&[&within("1")]).is_empty());
    assert!(codes_of(&[&within("0.5")]).is_empty());
    let pack = one_rule_pack(
        "social care-related quality of life worse than england average lowers score",
    );
    let rule = &pack.statements[0].rules[0];
    let fires = |value: &str, margin: Option<&str>| {
        fires_on(
            &pack,
            rule,
            "social care-related quality of life",
            value,
            "19",
            margin,
        )
    };
    assert!(!fires("18.5", None) && fires("18.4", None));
    assert!(!fires("18.4", Some("1")) && fires("17.9", Some("1")));
}

fn one_rule_pack(rule: &str) -> Pack {
    let text = format!(
        "pack: t\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n  - id: r\n    rule: {rule}\n    why: w\n    cites: c\n"
    );
    Pack::load(
        &[SourceFile::new("t.yaml", text)],
        crate::builtin_framework().unwrap(),
        crate::builtin_catalogue().unwrap(),
    )
    .unwrap_or_else(|problems| panic!("{problems:?}"))
}

/// Whether a rule fires, by the evaluator, on one item of `metric` against an England
/// average, with or without a margin of error.
fn fires_on(
    pack: &Pack,
    rule: &crate::pack::PackRule,
    metric: &str,
    value: &str,
    england: &str,
    margin: Option<&str>,
) -> bool {
    let number = |text: &str| text.parse::<rust_decimal::Decimal>().unwrap();
    let item = crate::evidence::Item::supposed(
        "m".to_string(),
        "assessing-needs",
        crate::lang::ast::Category::Processes,
        crate::evidence::ItemContent::Metric(crate::evidence::MetricValue {
            england_average: Some(number(england)),
            margin: margin.map(number),
            ..crate::evidence::MetricValue::bare(
                metric.to_string(),
                pack.catalogue.lookup(metric),
                number(value),
            )
        }),
    );
    crate::score::eval::rule_fires(
        rule,
        &crate::score::eval::StatementEvidence { items: vec![&item] },
        pack,
    )
}

#[test]
fn comparisons_agree_with_the_evaluator() {
    // Each comparison lowered for an item with and without a margin of error holds at a
    // point exactly when the evaluator says the test holds there.
    use crate::lang::ast::{Condition, Test};
    use rust_decimal::Decimal;
    let tests = [
        "feel safe in line with england average",
        "feel safe worse than england average",
        "feel safe better than england average",
        "feel safe worse than england average by more than 2 points",
        "feel safe better than england average by at least 10%",
        "care home admissions 65 and over in line with england average",
        "care home admissions 65 and over worse than england average",
        "care home admissions 65 and over better than england average",
    ];
    let mut rng = fastrand::Rng::with_seed(20);
    let mut tried = 0;
    for test in tests {
        let pack = one_rule_pack(&format!("{test} lowers score"));
        let rule = &pack.statements[0].rules[0];
        let Condition::Test(Test::Metric(metric_test)) = &rule.ast.condition else {
            panic!("one metric test");
        };
        let comparison = lowering::Lowering { pack: &pack }
            .comparison(metric_test)
            .unwrap();
        let metric = pack.catalogue.metric(comparison.metric).name.clone();
        let top = if metric.starts_with("care home") {
            900
        } else {
            100
        };
        for _ in 0..400 {
            let tenth = |n: u32| Decimal::new(i64::from(n), 1);
            let value = tenth(rng.u32(0..=top * 10));
            let england = tenth(rng.u32(0..=top * 10));
            let margin = rng.bool().then(|| tenth(rng.u32(0..=150)));
            let mut point = [Decimal::ZERO; formula::SLOTS];
            point[formula::Slot::Value.index()] = value;
            point[formula::Slot::England.index()] = england;
            point[formula::Slot::Margin.index()] = margin.unwrap_or_default();
            let lowered = comparison
                .for_item(margin.is_some())
                .iter()
                .all(|c| c.holds(&point) == Some(true));
            let margin_text = margin.map(|m| m.to_string());
            let evaluated = fires_on(
                &pack,
                rule,
                &metric,
                &value.to_string(),
                &england.to_string(),
                margin_text.as_deref(),
            );
            assert_eq!(
                lowered, evaluated,
                "{test}: value {value}, England {england}, margin {margin:?}"
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 3200);
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

#[test]
fn strong_counts_only_strong_findings() {
    assert_eq!(
        codes_of(&["any strong negative finding and no negative findings lowers score"]),
        [codes::UNSATISFIABLE]
    );
    assert!(
        codes_of(&["any negative finding and no strong negative findings lowers score"]).is_empty()
    );
}

#[test]
fn evidence_counts_judged_metrics_but_never_as_strong_or_tagged() {
    // A negative item of evidence with no negative finding: a metric worse than its target.
    let found = logic(&[
        "any negative evidence and no negative findings lowers score",
        "any negative evidence raises score",
    ]);
    assert_eq!(
        found.iter().map(|f| f.code).collect::<Vec<_>>(),
        [codes::CONFLICT]
    );
    let example = found[0].counterexample.clone().expect("a counterexample");
    // `no negative findings` needs some finding to be known: a positive or mixed one.
    assert!(
        example
            .findings
            .iter()
            .all(|f| f.sentiment != crate::lang::ast::Sentiment::Negative),
        "{example}"
    );
    assert_eq!(example.metrics.len(), 1, "{example}");
    assert!(example.metrics[0].target.is_some(), "{example}");
    assert_eq!(
        codes_of(&["any strong negative evidence and no negative findings lowers score"]),
        [codes::UNSATISFIABLE]
    );
    assert_eq!(
        codes_of(&[
            "any negative evidence tagged \"safety\" and no negative findings tagged \"safety\" lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
    // In line: counted in the pool, with no sentiment.
    assert!(
        codes_of(&[
            "no positive evidence and no negative evidence and no mixed evidence lowers score"
        ])
        .is_empty()
    );
    assert_eq!(
        codes_of(&[
            "no positive findings and no negative findings and no mixed findings lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
}

#[test]
fn balances_weigh_one_side_against_the_other() {
    assert_eq!(
        codes_of(&[
            "more negative than positive evidence and more positive than negative evidence lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
    // Level is at least as much each way.
    assert!(codes_of(&["at least as much negative as positive findings and at least as much positive as negative findings lowers score"]).is_empty());
    // Some weight is needed on the weighed side; a mixed finding gives it.
    assert_eq!(
        codes_of(&[
            "at least as much negative as positive findings and no negative findings and no mixed findings lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
    assert!(
        codes_of(&[
            "at least as much negative as positive findings and no negative findings lowers score"
        ])
        .is_empty()
    );
    // The negation is a disjunction: fewer, or no weight at all (only in-line metrics).
    assert_eq!(
        codes_of(&[
            "not at least as much negative as positive findings and no positive findings lowers score"
        ]),
        [codes::UNSATISFIABLE]
    );
    assert!(codes_of(&["not at least as much negative as positive evidence and no positive evidence lowers score"]).is_empty());
}

#[test]
fn spreads_need_that_many_categories() {
    let excluding = |categories: &[&str]| {
        let mut rule = "positive findings from at least 3 categories".to_string();
        for category in categories {
            rule.push_str(&format!(" and no evidence from {category}"));
        }
        rule + " raises score"
    };
    assert_eq!(
        codes_of(&[&excluding(&[
            "people's experience",
            "processes",
            "outcomes",
            "observation"
        ])]),
        [codes::UNSATISFIABLE]
    );
    assert!(
        codes_of(&[&excluding(&[
            "people's experience",
            "processes",
            "outcomes"
        ])])
        .is_empty()
    );
    // Exceptional and significant shortfalls exclude each other: no conflict.
    assert!(
        codes_of(&[
            "strong positive findings from at least 2 categories and no negative evidence lifts score to at least 4",
            "strong negative findings from at least 2 categories and more negative than positive evidence caps score at 1",
        ])
        .is_empty()
    );
}

#[test]
fn by_category_raises_and_lowers_read_one_category() {
    // A spread can never hold on one category's evidence.
    assert_eq!(
        by_category(&["positive findings from at least 2 categories raises score"]),
        [codes::DEAD]
    );
    assert!(codes_of(&["positive findings from at least 2 categories raises score"]).is_empty());
    // Read together these conflict; one category at a time they never both fire.
    let pair = [
        "any negative finding from processes lowers score",
        "any positive finding and no negative finding from feedback from partners raises score",
    ];
    assert_eq!(codes_of(&pair), [codes::CONFLICT]);
    assert!(by_category(&pair).is_empty());
    // In one category's evidence they do.
    assert_eq!(
        by_category(&[
            "any negative finding lowers score",
            "any positive finding raises score"
        ]),
        [codes::CONFLICT]
    );
}

#[test]
fn by_category_a_cap_reads_the_whole_statement() {
    // Whenever the raise fires in some category, that category's positive finding is the
    // statement's too, so the cap at the baseline fires.
    assert_eq!(
        by_category(&[
            "any positive finding raises score",
            "any positive finding caps score at 3",
        ]),
        [codes::DEAD]
    );
    // Most of one category's findings are not most of the statement's.
    assert_eq!(
        codes_of(&[
            "most positive findings raises score",
            "most positive findings caps score at 3"
        ]),
        [codes::DEAD]
    );
    assert!(
        by_category(&[
            "most positive findings raises score",
            "most positive findings caps score at 3"
        ])
        .is_empty()
    );
}

#[test]
fn by_category_an_untagged_test_reads_every_category() {
    let unread = |method: &str, rule: &str| {
        all_findings(method, &[rule])
            .into_iter()
            .filter(|f| f.code == codes::CATEGORY_NOT_READ)
            .count()
    };
    let balance = "at least as much negative as positive evidence lowers score";
    assert_eq!(unread("statement", balance), 1);
    assert_eq!(unread("categories", balance), 0);
    // A spread reads the categories themselves, whatever the method.
    let spread = "strong positive findings from at least 2 categories lifts score to at least 4";
    assert_eq!(unread("statement", spread), 0);
}

/// The invariant findings (A3xx) of one statement's rules.
fn invariants(method: &str, rules: &[&str]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = all_findings(method, rules)
        .into_iter()
        .filter(|f| f.code.starts_with("A3"))
        .map(|f| f.code)
        .collect();
    codes.sort();
    codes
}

#[test]
fn counts_that_grow_with_the_evidence_are_not_scale_free() {
    assert_eq!(
        invariants("statement", &["at least 2 negative findings lowers score"]),
        [codes::NOT_SCALE_FREE]
    );
    assert!(invariants("statement", &["most negative findings lowers score"]).is_empty());
    // Every item counts, metric items as findings, so a balance of evidence stays put.
    assert!(
        invariants(
            "statement",
            &["more negative than positive evidence lowers score"]
        )
        .is_empty()
    );
    assert!(
        invariants(
            "statement",
            &["more negative than positive findings lowers score"]
        )
        .is_empty()
    );
}

#[test]
fn rules_that_fire_on_missing_evidence_and_lower_are_reported() {
    assert!(
        invariants("statement", &["no evidence from processes caps score at 2"])
            .contains(&codes::ABSENCE_SCORED)
    );
    assert!(
        invariants("statement", &["feel safe is missing lowers score"])
            .contains(&codes::ABSENCE_SCORED)
    );
    // An empty pool is unknown: the rule does not fire on missing evidence.
    assert!(invariants("statement", &["not any positive finding lowers score"]).is_empty());
    // Raising on absence is not a shortfall scored (though it is not monotone).
    assert!(
        !invariants("statement", &["no evidence from processes raises score"])
            .contains(&codes::ABSENCE_SCORED)
    );
}

#[test]
fn evidence_that_pulls_the_wrong_way_is_not_monotone() {
    assert_eq!(
        invariants("statement", &["any negative finding raises score"]),
        [codes::EVIDENCE_NOT_MONOTONE]
    );
    assert!(
        invariants(
            "categories",
            &[
                "at least as much negative as positive findings lowers score",
                "strong positive findings from at least 2 categories and no negative evidence and no mixed evidence lifts score to at least 4",
            ]
        )
        .is_empty()
    );
}

#[test]
fn a_category_scored_on_its_own_can_raise_the_statement() {
    // Baseline 4: a category with a shortfall and a mixed finding scores 2; one more
    // shortfall in a category of its own scores 3 and lifts the banded percentage.
    let found: Vec<Finding> = all_findings_with(
        "method: categories\nbaseline: 4",
        &[
            "any negative finding lowers score",
            "any mixed finding lowers score",
        ],
    )
    .into_iter()
    .filter(|f| f.code == codes::EVIDENCE_NOT_MONOTONE)
    .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    let change = found[0].change.clone().expect("a change");
    assert!(
        change.score_after > change.score_before,
        "{}",
        found[0].message
    );
    assert!(
        found[0]
            .message
            .contains("is now scored on its own evidence"),
        "{}",
        found[0].message
    );
}
