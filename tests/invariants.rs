//! The three principles, held on generated evidence with the default pack (10,000 councils
//! each, docs/scoring.md):
//!
//! - monotone: one more negative finding, or a metric made worse, never raises a
//!   statement's score; one more positive finding, or a metric made better, never lowers it;
//! - scale-free: the same evidence given twice over leaves every score as it was;
//! - absence: an empty file scores nothing, and taking away a statement's evidence unscores
//!   that statement and no other.
//!
//! The generated councils mix findings of every category, sentiment and strength with
//! catalogue metrics against targets and England averages, so the balances, the
//! corroborated exceptional and significant bounds, and the judged metrics are all reached.
//! A further test holds the what-if scores these use to the full report's.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::{Arc, OnceLock};

use assure::evidence::{Evidence, Finding, Item, ItemContent, MetricValue};
use assure::lang::ast::{Category, Sentiment, Strength};
use assure::pack::Pack;
use assure::pack::catalogue::{Polarity, Unit};
use assure::score::assessment::ConfidenceLevel;
use assure::source::diagnostic::SourceFile;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rust_decimal::Decimal;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| assure::load_pack(None).expect("the default pack loads"))
}

fn statement_ids() -> Vec<String> {
    pack()
        .framework
        .statements()
        .map(|s| s.id.clone())
        .collect()
}

const CATEGORIES: [Category; 5] = [
    Category::PeoplesExperience,
    Category::FeedbackFromStaffAndLeaders,
    Category::FeedbackFromPartners,
    Category::Processes,
    Category::Outcomes,
];
const SENTIMENTS: [Sentiment; 3] = [Sentiment::Positive, Sentiment::Negative, Sentiment::Mixed];

/// A generated item, as indexes and hundredths, turned into evidence by [`item`].
#[derive(Clone, Debug)]
enum Generated {
    Finding {
        statement: usize,
        category: usize,
        sentiment: usize,
        strong: bool,
    },
    Metric {
        statement: usize,
        category: usize,
        metric: usize,
        value: u32,
        target: Option<u32>,
        england: Option<u32>,
        /// A margin of error, as the national surveys give one.
        margin: Option<u32>,
    },
}

fn finding() -> impl Strategy<Value = Generated> {
    (
        0..9usize,
        0..CATEGORIES.len(),
        0..3usize,
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(statement, category, sentiment, strong)| Generated::Finding {
                statement,
                category,
                sentiment,
                strong,
            },
        )
}

fn metric() -> impl Strategy<Value = Generated> {
    let metrics = pack().catalogue.metrics().len();
    (
        0..9usize,
        0..CATEGORIES.len(),
        0..metrics,
        0u32..=10_000,
        prop::option::weighted(0.3, 0u32..=10_000),
        prop::option::weighted(0.6, 0u32..=10_000),
        prop::option::weighted(0.3, 0u32..=1_000),
    )
        .prop_map(
            |(statement, category, metric, value, target, england, margin)| Generated::Metric {
                statement,
                category,
                metric,
                value,
                target,
                england,
                margin,
            },
        )
}

/// Up to 24 items, most of them findings, so that some statements have much evidence,
/// some a little and some none.
fn council() -> impl Strategy<Value = Vec<Generated>> {
    prop::collection::vec(prop_oneof![3 => finding(), 1 => metric()], 0..24)
}

/// Hundredths as a value of the metric's unit, inside its range.
fn quantity(unit: Unit, max: Option<Decimal>, hundredths: u32) -> Decimal {
    let exact = Decimal::new(i64::from(hundredths), 2);
    match unit {
        Unit::Percent => exact,
        Unit::Count | Unit::Days => Decimal::from(hundredths / 100),
        _ => max.map_or(exact, |max| exact.min(max)),
    }
}

fn item(generated: &Generated, id: String) -> Item {
    let statements = statement_ids();
    let (statement, category, content) = match generated {
        Generated::Finding {
            statement,
            category,
            sentiment,
            strong,
        } => (
            *statement,
            *category,
            ItemContent::Finding(Finding {
                text: "generated".to_string(),
                sentiment: SENTIMENTS[*sentiment],
                strength: if *strong {
                    Strength::Strong
                } else {
                    Strength::Normal
                },
                tags: Vec::new(),
            }),
        ),
        Generated::Metric {
            statement,
            category,
            metric,
            value,
            target,
            england,
            margin,
        } => {
            let entry = &pack().catalogue.metrics()[*metric];
            let amount = |h: u32| quantity(entry.unit, entry.max, h);
            (
                *statement,
                *category,
                ItemContent::Metric(MetricValue {
                    name: entry.name.clone(),
                    metric: Some(*metric),
                    value: amount(*value),
                    target: target.map(amount),
                    england_average: england.map(amount),
                    regional_average: None,
                    comparator_average: None,
                    previous: None,
                    margin: margin.map(amount),
                    percent_sign: false,
                }),
            )
        }
    };
    Item {
        id: Arc::from(id),
        statements: vec![statements[statement].clone()],
        category: CATEGORIES[category],
        period: None,
        source: None,
        id_span: 0..0,
        content,
    }
}

fn evidence(council: &[Generated]) -> Evidence {
    let items = council
        .iter()
        .enumerate()
        .map(|(n, g)| item(g, format!("i{n}")))
        .collect();
    evidence_of(items)
}

fn evidence_of(items: Vec<Item>) -> Evidence {
    Evidence {
        authority: "Generated Council".to_string(),
        code: None,
        as_of: None,
        items,
        warnings: Vec::new(),
        file: SourceFile::new("generated.yaml", ""),
        included: Vec::new(),
    }
}

fn scores(evidence: &Evidence) -> Vec<Option<u8>> {
    assure::scores(evidence, pack())
}

/// The council with one more item.
fn with(council: &[Generated], added: Generated) -> Evidence {
    let mut more = council.to_vec();
    more.push(added);
    evidence(&more)
}

/// Every statement's score moved only the allowed way: `Less` never rises, `Greater`
/// never falls. A statement unscored before may be scored after (it has evidence now).
fn moved_only(
    before: &[Option<u8>],
    after: &[Option<u8>],
    allowed: std::cmp::Ordering,
) -> Result<(), String> {
    for (n, (was, now)) in before.iter().zip(after).enumerate() {
        if let (Some(was), Some(now)) = (was, now)
            && now != was
            && now.cmp(was) != allowed
        {
            return Err(format!("{}: {was} -> {now}", statement_ids()[n]));
        }
        if was.is_some() && now.is_none() {
            return Err(format!("{} lost its score", statement_ids()[n]));
        }
    }
    Ok(())
}

/// Metric item `index` moved `step` hundredths the better (or worse) way, inside 0..=10,000.
fn moved_metric(council: &[Generated], index: usize, step: u32, better: bool) -> Vec<Generated> {
    let mut changed = council.to_vec();
    if let Some(Generated::Metric { metric, value, .. }) = changed.get_mut(index) {
        let entry = &pack().catalogue.metrics()[*metric];
        let whole = matches!(entry.unit, Unit::Count | Unit::Days);
        let step = if whole { step.max(100) } else { step };
        let up = (entry.better == Polarity::Higher) == better;
        *value = if up {
            value.saturating_add(step).min(10_000)
        } else {
            value.saturating_sub(step)
        };
    }
    changed
}

fn sentiment_index(sentiment: Sentiment) -> usize {
    SENTIMENTS.iter().position(|s| *s == sentiment).unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn one_more_finding_moves_a_score_only_its_own_way(
        council in council(),
        statement in 0..9usize,
        category in 0..CATEGORIES.len(),
        strong in any::<bool>(),
    ) {
        let before = scores(&evidence(&council));
        for (sentiment, allowed) in [
            (Sentiment::Negative, std::cmp::Ordering::Less),
            (Sentiment::Positive, std::cmp::Ordering::Greater),
        ] {
            let added = Generated::Finding { statement, category, sentiment: sentiment_index(sentiment), strong };
            let after = scores(&with(&council, added));
            if let Err(problem) = moved_only(&before, &after, allowed) {
                prop_assert!(false, "one more {} finding: {}", sentiment.as_str(), problem);
            }
        }
    }

    #[test]
    fn a_metric_made_better_or_worse_moves_a_score_only_its_own_way(
        council in council(),
        pick in any::<prop::sample::Index>(),
        step in 1u32..=4_000,
    ) {
        let metrics: Vec<usize> = council
            .iter()
            .enumerate()
            .filter(|(_, g)| matches!(g, Generated::Metric { .. }))
            .map(|(n, _)| n)
            .collect();
        if metrics.is_empty() {
            return Ok(());
        }
        let index = metrics[pick.index(metrics.len())];
        let before = scores(&evidence(&council));
        let better = scores(&evidence(&moved_metric(&council, index, step, true)));
        let worse = scores(&evidence(&moved_metric(&council, index, step, false)));
        if let Err(problem) = moved_only(&before, &better, std::cmp::Ordering::Greater) {
            prop_assert!(false, "item i{} made better: {}", index, problem);
        }
        if let Err(problem) = moved_only(&before, &worse, std::cmp::Ordering::Less) {
            prop_assert!(false, "item i{} made worse: {}", index, problem);
        }
    }

    #[test]
    fn the_same_evidence_twice_over_scores_the_same(council in council()) {
        let once = evidence(&council);
        let mut items = once.items.clone();
        items.extend(council.iter().enumerate().map(|(n, g)| item(g, format!("again-{n}"))));
        prop_assert_eq!(scores(&once), scores(&evidence_of(items)));
    }

    #[test]
    fn taking_away_a_statements_evidence_unscores_it_and_nothing_else(
        council in council(),
        statement in 0..9usize,
    ) {
        let id = &statement_ids()[statement];
        let before = scores(&evidence(&council));
        let rest: Vec<Item> = evidence(&council)
            .items
            .into_iter()
            .filter(|item| !item.bears_on(id))
            .collect();
        let after = scores(&evidence_of(rest));
        for (n, (was, now)) in before.iter().zip(&after).enumerate() {
            if n == statement {
                prop_assert_eq!(*now, None, "{} is still scored", id);
            } else {
                prop_assert_eq!(was, now, "{} changed", statement_ids()[n]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// The what-if path the properties above use gives the report's scores, and the
    /// report's overall result is partial exactly when a statement is unscored.
    #[test]
    fn what_if_scores_are_the_reports_scores(council in council()) {
        let evidence = evidence(&council);
        let assessment = assure::assess(&evidence, pack());
        let reported: Vec<Option<u8>> = assessment.statements.iter().map(|s| s.score).collect();
        prop_assert_eq!(&reported, &scores(&evidence));
        let unscored = reported.iter().any(Option::is_none);
        prop_assert_eq!(assessment.overall.partial, unscored);
        prop_assert_eq!(assessment.overall.rating.is_some(), !unscored);
        for statement in &assessment.statements {
            prop_assert_eq!(statement.confidence.is_some(), statement.score.is_some());
        }
        // The range moves each low-confidence statement one step down, and one up, in 1..4.
        let low: Vec<u8> = assessment
            .statements
            .iter()
            .filter(|s| s.confidence.as_ref().is_some_and(|c| c.level == ConfidenceLevel::Low))
            .filter_map(|s| s.score)
            .collect();
        let overall = &assessment.overall;
        match &overall.range {
            None => prop_assert!(low.is_empty()),
            Some(range) => {
                let scored = u32::try_from(overall.statements_scored).unwrap();
                let down = low.iter().filter(|s| **s > 1).count() as u32;
                let up = low.iter().filter(|s| **s < 4).count() as u32;
                let percent = |total: u32| (total * 100).div_ceil(4 * scored);
                prop_assert_eq!(range.low_percent, percent(overall.total - down));
                prop_assert_eq!(range.high_percent, percent(overall.total + up));
                prop_assert_eq!(range.statements.len(), low.len());
            }
        }
    }
}

#[test]
fn an_empty_file_scores_nothing_and_has_no_rating() {
    let empty = evidence(&[]);
    assert!(scores(&empty).iter().all(Option::is_none));
    let assessment = assure::assess(&empty, pack());
    assert_eq!(assessment.overall.rating, None);
    assert_eq!(assessment.overall.percent, None);
    assert_eq!(assessment.overall.statements_scored, 0);
}

/// The properties are not vacuous: the generator reaches every score, and each bound of the
/// default pack moves some generated statement.
#[test]
fn the_generated_councils_reach_every_score() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = [false; 4];
    for _ in 0..2_000 {
        let council = council()
            .new_tree(&mut runner)
            .expect("a council")
            .current();
        for score in scores(&evidence(&council)).into_iter().flatten() {
            seen[usize::from(score) - 1] = true;
        }
    }
    assert_eq!(seen, [true; 4], "scores 1, 2, 3, 4 all reached");
}
