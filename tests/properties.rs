//! Properties that must hold for any evidence, checked on generated council evidence files
//! (random metrics from the catalogue with random values and comparators, random findings):
//! scoring is deterministic to the byte, the overall percentage lies in 25..=100 and matches
//! its rating band, and in a pack that `check` reports monotone, a better value never lowers
//! a score. Formatting's properties are in tests/format.rs.

// Tests say what they expect with `expect`; a failure is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::fmt::Write as _;
use std::sync::OnceLock;

use assure::Assessment;
use assure::evidence::Evidence;
use assure::pack::Pack;
use assure::pack::catalogue::{Polarity, Unit};
use assure::source::diagnostic::SourceFile;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn default_pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| assure::load_pack(None).expect("the default pack loads"))
}

const CATEGORIES: [&str; 5] = [
    "people's experience",
    "feedback from staff and leaders",
    "feedback from partners",
    "processes",
    "outcomes",
];
const SENTIMENTS: [&str; 3] = ["positive", "negative", "mixed"];
const REFERENCES: [&str; 5] = [
    "target",
    "england_average",
    "regional_average",
    "comparator_average",
    "previous",
];

/// One generated metric item: indexes into the catalogue and framework, and values in
/// hundredths of the metric's unit.
#[derive(Clone, Debug)]
struct MetricItem {
    metric: usize,
    statement: usize,
    value: u32,
    references: [Option<u32>; 5],
}

#[derive(Clone, Debug)]
struct FindingItem {
    statement: usize,
    category: usize,
    sentiment: usize,
    tag: Option<usize>,
}

#[derive(Clone, Debug)]
struct Council {
    metrics: Vec<MetricItem>,
    findings: Vec<FindingItem>,
}

fn council() -> impl Strategy<Value = Council> {
    let pack = default_pack();
    let metrics = pack.catalogue.metrics().len();
    let statements = pack.framework.statements().count();
    let tags = pack.framework.tags.len();
    let metric = (
        0..metrics,
        0..statements,
        0u32..=10_000,
        proptest::array::uniform5(proptest::option::of(0u32..=10_000)),
    )
        .prop_map(|(metric, statement, value, references)| MetricItem {
            metric,
            statement,
            value,
            references,
        });
    let finding = (
        0..statements,
        0..CATEGORIES.len(),
        0..SENTIMENTS.len(),
        proptest::option::of(0..tags),
    )
        .prop_map(|(statement, category, sentiment, tag)| FindingItem {
            statement,
            category,
            sentiment,
            tag,
        });
    (
        proptest::collection::vec(metric, 0..40),
        proptest::collection::vec(finding, 0..40),
    )
        .prop_map(|(metrics, findings)| Council { metrics, findings })
}

/// A number of hundredths written in the metric's unit, kept inside its range.
fn quantity(unit: Unit, max: Option<Decimal>, hundredths: u32) -> String {
    let exact = Decimal::new(i64::from(hundredths), 2);
    match unit {
        Unit::Percent => format!("{exact}%"),
        Unit::Count | Unit::Days => (hundredths / 100).to_string(),
        _ => max.map_or(exact, |max| exact.min(max)).to_string(),
    }
}

fn evidence_yaml(council: &Council) -> String {
    let pack = default_pack();
    let statements: Vec<&str> = pack.framework.statements().map(|s| s.id.as_str()).collect();
    let mut yaml = String::from("authority: Generated Council\nitems:\n");
    if council.metrics.is_empty() && council.findings.is_empty() {
        yaml.push_str("  []\n");
    }
    for (index, item) in council.metrics.iter().enumerate() {
        let metric = &pack.catalogue.metrics()[item.metric];
        let category = metric.category.map_or("processes", |c| c.as_str());
        let value = quantity(metric.unit, metric.max, item.value);
        writeln!(
            yaml,
            "  - id: m{index}\n    statement: {}\n    category: {category}\n    metric: {}\n    value: {value}",
            statements[item.statement], metric.name
        )
        .unwrap();
        for (name, reference) in REFERENCES.iter().zip(item.references) {
            let local_only = metric.local && *name != "target" && *name != "previous";
            if let (Some(reference), false) = (reference, local_only) {
                let text = quantity(metric.unit, metric.max, reference);
                writeln!(yaml, "    {name}: {text}").unwrap();
            }
        }
    }
    for (index, item) in council.findings.iter().enumerate() {
        writeln!(
            yaml,
            "  - id: f{index}\n    statement: {}\n    category: {}\n    finding: Finding {index}.\n    sentiment: {}",
            statements[item.statement], CATEGORIES[item.category], SENTIMENTS[item.sentiment]
        )
        .unwrap();
        if let Some(tag) = item.tag {
            writeln!(yaml, "    tags: [\"{}\"]", pack.framework.tags[tag]).unwrap();
        }
    }
    yaml
}

fn load(yaml: &str, pack: &Pack) -> Evidence {
    let file = SourceFile::new("generated.yaml", yaml);
    Evidence::load(&file, &pack.framework, &pack.catalogue)
        .unwrap_or_else(|f| panic!("generated evidence should load:\n{}\n{yaml}", f.render()))
}

fn scores(assessment: &Assessment) -> Vec<Option<u8>> {
    assessment.statements.iter().map(|s| s.score).collect()
}

/// The council with metric item `index` moved `step` hundredths in its better direction,
/// or `None` when the value is already at the end of its range.
fn improved(council: &Council, index: usize, step: u32) -> Option<Council> {
    let pack = default_pack();
    let item = &council.metrics[index];
    let metric = &pack.catalogue.metrics()[item.metric];
    let whole = matches!(metric.unit, Unit::Count | Unit::Days);
    let step = if whole { step.max(100) } else { step };
    let value = match metric.better {
        Polarity::Higher => item.value.checked_add(step).filter(|v| *v <= 10_000)?,
        Polarity::Lower => item.value.checked_sub(step)?,
    };
    let mut better = council.clone();
    better.metrics[index].value = value;
    // A capped value (a score at its maximum) may not move; the property still holds.
    Some(better)
}

/// What `check` says stands between a pack and monotonicity: polarity (A105) and
/// not-monotone (A108) findings.
fn monotonicity_findings(pack: &Pack) -> Vec<String> {
    assure::check::check(pack)
        .into_iter()
        .filter(|f| matches!(f.code, "A105" | "A108"))
        .map(|f| f.message)
        .collect()
}

#[test]
fn the_default_pack_is_reported_monotone() {
    assert_eq!(monotonicity_findings(default_pack()), Vec::<String>::new());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn scoring_gives_the_same_bytes(council in council()) {
        let pack = default_pack();
        let yaml = evidence_yaml(&council);
        let first = assure::assess(&load(&yaml, pack), pack);
        let second = assure::assess(&load(&yaml, pack), pack);
        let one = std::slice::from_ref(&first);
        let other = std::slice::from_ref(&second);
        prop_assert_eq!(assure::report::json::render(one).expect("JSON"), assure::report::json::render(other).expect("JSON"));
        prop_assert_eq!(assure::report::text::render(one), assure::report::text::render(other));
    }

    #[test]
    fn the_overall_percentage_lies_in_its_band(council in council()) {
        let pack = default_pack();
        let assessment = assure::assess(&load(&evidence_yaml(&council), pack), pack);
        let overall = &assessment.overall;
        match overall.percent {
            Some(percent) => {
                prop_assert!((25..=100).contains(&percent), "overall {}%", percent);
                let band = pack.framework.band_for(percent).map(|(_, b)| b.rating.clone());
                // A rating only when every statement is scored; else the band is indicative.
                if overall.partial {
                    prop_assert_eq!(&overall.rating, &None);
                    prop_assert_eq!(&band, &overall.indicative_rating);
                } else {
                    prop_assert_eq!(&band, &overall.rating);
                }
                let scored: u32 = assessment.statements.iter().filter_map(|s| s.score).map(u32::from).sum();
                prop_assert_eq!(overall.total, scored);
            }
            None => prop_assert_eq!(&overall.rating, &None),
        }
    }

    #[test]
    fn a_better_value_never_lowers_a_score(council in council(), step in 1u32..=5_000) {
        let pack = default_pack();
        let before = assure::assess(&load(&evidence_yaml(&council), pack), pack);
        // Each metric item in turn, moved the better way.
        for index in 0..council.metrics.len() {
            let Some(better) = improved(&council, index, step) else {
                continue;
            };
            let after = assure::assess(&load(&evidence_yaml(&better), pack), pack);
            for ((statement, was), now) in before.statements.iter().zip(scores(&before)).zip(scores(&after)) {
                if let (Some(was), Some(now)) = (was, now) {
                    prop_assert!(now >= was, "{} fell from {} to {} when item m{} improved", statement.id, was, now, index);
                }
            }
        }
    }
}

#[test]
fn every_possible_total_rounds_into_25_to_100() {
    for statements in 1..=9u32 {
        for total in statements..=4 * statements {
            let percent = assure::score::rollup::percent_rounded_up(total, statements)
                .expect("a percentage for at least one statement");
            assert!(
                (25..=100).contains(&percent),
                "{total}/{statements} gave {percent}%"
            );
            let band = default_pack().framework.band_for(percent);
            assert!(band.is_some_and(|(_, b)| percent >= b.from));
        }
    }
}

/// The monotonicity property is not vacuous: in a pack `check` flags as not monotone, a
/// better value does lower a score.
#[test]
fn a_pack_check_flags_as_not_monotone_can_lower_a_score() {
    let text = "pack: in-line\nversion: 1\nframework: cqc-local-authority-2024\n---\n\
        statement: assessing-needs\nbaseline: 2\nrules:\n  - id: typical\n    rule: control over daily life in line with england average raises score by 1\n    why: w\n    cites: c\n";
    let pack =
        assure::load_pack_files(&[SourceFile::new("in-line.yaml", text)]).expect("pack loads");
    assert_eq!(
        monotonicity_findings(&pack).len(),
        1,
        "check flags the `in line with` test"
    );
    let evidence = |value: &str| {
        format!(
            "authority: X\nitems:\n  - id: m\n    statement: assessing-needs\n    category: outcomes\n    metric: control over daily life\n    value: {value}\n    england_average: 70%\n"
        )
    };
    let score = |value: &str| scores(&assure::assess(&load(&evidence(value), &pack), &pack))[0];
    assert_eq!(score("70%"), Some(3));
    assert_eq!(score("90%"), Some(2), "a much better value loses the raise");
}
