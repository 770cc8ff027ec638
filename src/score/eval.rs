//! Evaluating one rule against one statement's evidence. Pure: no I/O, no floats.
//!
//! Tests are three-valued: a test that needs evidence the file lacks is *unknown*, and a
//! rule whose condition is unknown is *not evaluable* rather than false. An `unless`
//! exception only stops a rule when its evidence shows it holds.

use std::fmt::{self, Write as _};

use rust_decimal::Decimal;

use crate::score::assessment::{ConditionTrace, Truth};
use std::sync::Arc;

use crate::evidence::{Item, ItemContent, MetricValue};
use crate::lang::ast::{
    Category, Comparison, Direction, FindingTest, MarginStrictness, MarginUnit, MetricTest, Noun,
    Quantifier, ReferenceKind, Sentiment, Strength, Test, ThresholdOp, same_words,
};
use crate::pack::catalogue::{Metric, MetricId, Polarity, Tolerance, Unit};
use crate::pack::plan::{Node, TestPlan};
use crate::pack::{Pack, PackRule};

/// What became of one rule.
#[derive(Debug, Clone)]
pub struct RuleOutcome {
    pub fired: bool,
    /// The condition was unknown: evidence is missing.
    pub not_evaluable: bool,
    pub conditions: Vec<ConditionTrace>,
}

impl RuleOutcome {
    /// Evidence ids the rule read, in order, without repeats.
    pub fn evidence(&self) -> Vec<Arc<str>> {
        // A set beside the list: a rule over every finding of a large file cites thousands.
        let mut seen = std::collections::BTreeSet::new();
        self.conditions
            .iter()
            .flat_map(|c| c.evidence.iter())
            .filter(|id| seen.insert(&***id))
            .cloned()
            .collect()
    }

    pub fn missing(&self) -> Vec<String> {
        let mut missing: Vec<String> = Vec::new();
        for m in self.conditions.iter().filter_map(|c| c.missing.clone()) {
            if !missing.contains(&m) {
                missing.push(m);
            }
        }
        missing
    }
}

/// The evidence one statement's rules can see.
pub struct StatementEvidence<'a> {
    pub items: Vec<&'a Item>,
}

/// Evaluates a rule of a pack against a statement's evidence, with a trace of every test.
pub fn evaluate_rule(
    rule: &PackRule,
    evidence: &StatementEvidence<'_>,
    pack: &Pack,
) -> RuleOutcome {
    let mut conditions = Vec::new();
    let (fired, not_evaluable) = run(rule, evidence, pack, Some(&mut conditions));
    RuleOutcome {
        fired,
        not_evaluable,
        conditions,
    }
}

/// Whether a rule fires, and nothing else: what-if analyses ask this thousands of times,
/// so it writes no trace.
pub fn rule_fires(rule: &PackRule, evidence: &StatementEvidence<'_>, pack: &Pack) -> bool {
    run(rule, evidence, pack, None).0
}

/// Whether a rule fires, and whether it could be evaluated at all, without a trace.
pub fn rule_verdict(rule: &PackRule, evidence: &StatementEvidence<'_>, pack: &Pack) -> Verdict {
    let (fired, not_evaluable) = run(rule, evidence, pack, None);
    Verdict {
        fired,
        not_evaluable,
    }
}

/// A rule's outcome without its trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub fired: bool,
    pub not_evaluable: bool,
}

/// Fired, and not evaluable; traces go to `out` when it is given.
fn run(
    rule: &PackRule,
    evidence: &StatementEvidence<'_>,
    pack: &Pack,
    mut out: Option<&mut Vec<ConditionTrace>>,
) -> (bool, bool) {
    let context = Context {
        evidence,
        pack,
        record: out.is_some(),
    };
    let plan = &rule.plan;
    let holds = context.condition(&plan.condition, Scope::CONDITION, &mut out);
    let exception = plan
        .unless
        .as_ref()
        .map(|unless| context.condition(unless, Scope::EXCEPTION, &mut out));
    let fired = holds == Truth::True && exception != Some(Truth::True);
    (fired, holds == Truth::Unknown)
}

/// Where a test sits in a rule: in its `unless` exception, and under an odd number of `not`s.
#[derive(Clone, Copy)]
struct Scope {
    exception: bool,
    negated: bool,
}

impl Scope {
    const CONDITION: Scope = Scope {
        exception: false,
        negated: false,
    };
    const EXCEPTION: Scope = Scope {
        exception: true,
        negated: false,
    };
}

/// What a test found, in words, for its trace. Only written when a trace is wanted.
struct Detail {
    actual: String,
    evidence: Vec<Arc<str>>,
    missing: Option<String>,
}

impl Detail {
    fn new(actual: String, evidence: Vec<Arc<str>>) -> Detail {
        Detail {
            actual,
            evidence,
            missing: None,
        }
    }

    fn lacking(actual: String, evidence: Vec<Arc<str>>, missing: String) -> Detail {
        Detail {
            actual,
            evidence,
            missing: Some(missing),
        }
    }
}

/// A test's verdict, and its trace when one is wanted.
type Reading = (Truth, Option<Detail>);

struct Context<'a, 'e> {
    evidence: &'a StatementEvidence<'e>,
    pack: &'a Pack,
    /// Whether traces are wanted, or only verdicts.
    record: bool,
}

impl<'e> Context<'_, 'e> {
    fn condition(
        &self,
        node: &Node,
        scope: Scope,
        out: &mut Option<&mut Vec<ConditionTrace>>,
    ) -> Truth {
        match node {
            // Every part is evaluated, even when the first decides, so the trace is whole.
            Node::Or(parts) => parts.iter().fold(Truth::False, |so_far, part| {
                or(so_far, self.condition(part, scope, out))
            }),
            Node::And(parts) => parts.iter().fold(Truth::True, |so_far, part| {
                and(so_far, self.condition(part, scope, out))
            }),
            Node::Not(inner) => {
                let inside = Scope {
                    negated: !scope.negated,
                    ..scope
                };
                match self.condition(inner, inside, out) {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    Truth::Unknown => Truth::Unknown,
                }
            }
            Node::Test(plan) => {
                let (holds, detail) = self.test(plan);
                if let (Some(out), Some(detail)) = (out, detail) {
                    out.push(ConditionTrace {
                        test: Arc::clone(&plan.text),
                        holds,
                        actual: detail.actual,
                        exception: scope.exception,
                        negated: scope.negated,
                        evidence: detail.evidence,
                        missing: detail.missing,
                    });
                }
                holds
            }
        }
    }

    fn test(&self, plan: &TestPlan) -> Reading {
        match &plan.test {
            Test::Metric(metric_test) => self.metric_test(plan, metric_test),
            Test::Findings(finding_test) => self.finding_test(plan, finding_test),
            Test::NoEvidenceFrom { category, .. } => {
                let category = *category;
                let from = self.items().filter(move |item| item.category == category);
                let holds = truth(from.clone().next().is_none());
                (
                    holds,
                    self.words(move || {
                        let ids = ids(from);
                        let actual =
                            format!("{} from {}", count_items(ids.len()), category.as_str());
                        Detail::new(actual, ids)
                    }),
                )
            }
            Test::NoEvidenceOf { .. } => {
                let found = plan.metric.and_then(|id| self.metric_item(id));
                let unit = plan.metric.map(|id| self.pack.catalogue.metric(id).unit);
                (
                    truth(found.is_none()),
                    self.words(move || given(found, unit)),
                )
            }
        }
    }

    /// Words a test's trace, when traces are wanted.
    fn words(&self, detail: impl FnOnce() -> Detail) -> Option<Detail> {
        self.record.then(detail)
    }

    fn items(&self) -> impl Iterator<Item = &'e Item> + Clone + '_ {
        self.evidence.items.iter().copied()
    }

    /// The first item giving the metric for this statement.
    fn metric_item(&self, id: MetricId) -> Option<(&'e Item, &'e MetricValue)> {
        self.items().find_map(|item| {
            item.metric()
                .filter(|m| m.metric == Some(id))
                .map(|m| (item, m))
        })
    }

    fn metric_test(&self, plan: &TestPlan, metric_test: &MetricTest) -> Reading {
        let Some(id) = plan.metric else {
            return (
                Truth::Unknown,
                self.words(|| {
                    let name = metric_test.metric.name.clone();
                    Detail::lacking("unknown metric".to_string(), vec![], name)
                }),
            );
        };
        let metric = self.pack.catalogue.metric(id);
        let unit = Some(metric.unit);
        let found = self.metric_item(id);
        if matches!(metric_test.comparison, Comparison::Missing) {
            return (
                truth(found.is_none()),
                self.words(move || given(found, unit)),
            );
        }
        let Some((item, value)) = found else {
            return (
                Truth::Unknown,
                self.words(move || {
                    Detail::lacking("not given".to_string(), vec![], metric.name.clone())
                }),
            );
        };
        let reference_kind = match &metric_test.comparison {
            Comparison::Threshold { reference, .. }
            | Comparison::Relative { reference, .. }
            | Comparison::InLineWith { reference } => reference.kind,
            Comparison::Trend { .. } | Comparison::Missing => ReferenceKind::Previous,
        };
        let Some(reference) = value.reference(&reference_kind) else {
            return (
                Truth::Unknown,
                self.words(move || {
                    let wanted = format!("{} for {}", reference_name(&reference_kind), metric.name);
                    let actual = format!(
                        "{}, no {}",
                        Shown(value.value, unit),
                        reference_name(&reference_kind)
                    );
                    Detail::lacking(actual, vec![Arc::clone(&item.id)], wanted)
                }),
            );
        };
        // Numbers are held below 10^12 when read, so the comparison's sums and products
        // always fit; past that it would be unknown, never a wrong answer or a panic.
        let Some(holds) = self.compare(metric, &metric_test.comparison, value, reference) else {
            return (
                Truth::Unknown,
                self.words(move || {
                    let actual = "too large to compare exactly".to_string();
                    Detail::lacking(actual, vec![Arc::clone(&item.id)], metric.name.clone())
                }),
            );
        };
        let comparison = &metric_test.comparison;
        (
            truth(holds),
            self.words(move || {
                let mut actual = String::with_capacity(64);
                let _ = write!(
                    actual,
                    "{} vs {} {} (",
                    Shown(value.value, unit),
                    reference_name(&reference_kind),
                    Shown(reference, unit)
                );
                self.describe(&mut actual, metric, comparison, value, reference);
                actual.push(')');
                Detail::new(actual, vec![Arc::clone(&item.id)])
            }),
        )
    }

    /// Whether a metric's value stands in the tested relation to its reference.
    fn compare(
        &self,
        metric: &Metric,
        comparison: &Comparison,
        given: &MetricValue,
        reference: Decimal,
    ) -> Option<bool> {
        let value = given.value;
        Some(match comparison {
            Comparison::Threshold { op, margin, .. } => {
                // How far the value sits below (positive) or above (negative) the reference.
                let below_by = reference.checked_sub(value)?;
                let gap = match op {
                    ThresholdOp::Below | ThresholdOp::AtOrBelow => below_by,
                    ThresholdOp::Above | ThresholdOp::AtOrAbove => -below_by,
                };
                let inclusive = matches!(op, ThresholdOp::AtOrBelow | ThresholdOp::AtOrAbove);
                match margin {
                    Some(margin) => exceeds(
                        gap,
                        margin_amount(margin.amount, margin.unit, reference)?,
                        margin.strictness,
                    ),
                    None if inclusive => gap >= Decimal::ZERO,
                    None => gap > Decimal::ZERO,
                }
            }
            Comparison::Relative {
                direction, margin, ..
            } => {
                let worse_by = worse_by(metric.better, value, reference)?;
                let gap = match direction {
                    Direction::Worse => worse_by,
                    Direction::Better => -worse_by,
                };
                match margin {
                    Some(margin) => exceeds(
                        gap,
                        margin_amount(margin.amount, margin.unit, reference)?,
                        margin.strictness,
                    ),
                    None => gap > band(self.pack, metric, given, reference)?.amount,
                }
            }
            Comparison::InLineWith { .. } => {
                value.checked_sub(reference)?.abs()
                    <= band(self.pack, metric, given, reference)?.amount
            }
            Comparison::Trend { direction, margin } => {
                let improved_by = -worse_by(metric.better, value, reference)?;
                let gap = match direction {
                    Direction::Better => improved_by,
                    Direction::Worse => -improved_by,
                };
                match margin {
                    Some(margin) => exceeds(
                        gap,
                        margin_amount(margin.amount, margin.unit, reference)?,
                        margin.strictness,
                    ),
                    None => gap > Decimal::ZERO,
                }
            }
            Comparison::Missing => false,
        })
    }

    /// The gap between a value and its reference, in words, for the trace.
    fn describe(
        &self,
        out: &mut String,
        metric: &Metric,
        comparison: &Comparison,
        given: &MetricValue,
        reference: Decimal,
    ) {
        let value = given.value;
        let unit = Some(metric.unit);
        // `compare` has held the numbers to what the band can be worked out for.
        let band_words = band(self.pack, metric, given, reference).map_or_else(
            || {
                format!(
                    "tolerance {}",
                    metric.tolerance.unwrap_or(self.pack.tolerance)
                )
            },
            |band| band.words(unit),
        );
        let gap = |gap, positive, negative| Gap {
            gap,
            unit,
            positive,
            negative,
        };
        // Words only: `compare` has already held the numbers to what can be subtracted.
        let worse_by = worse_by(metric.better, value, reference).unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = match comparison {
            Comparison::Threshold { .. } => {
                write!(
                    out,
                    "{}",
                    gap(reference.saturating_sub(value), "below", "above")
                )
            }
            Comparison::Relative { margin, .. } => {
                let _ = write!(out, "{}; ", gap(worse_by, "worse", "better"));
                match margin {
                    Some(margin) => write!(
                        out,
                        "margin {}",
                        margin.to_string().trim_start_matches("by ")
                    ),
                    None => write!(out, "{band_words}"),
                }
            }
            Comparison::InLineWith { .. } => write!(
                out,
                "{} apart; {}",
                Amount(value.saturating_sub(reference).abs(), unit),
                band_words
            ),
            Comparison::Trend { .. } => write!(out, "{}", gap(worse_by, "worse", "better")),
            Comparison::Missing => Ok(()),
        };
    }

    /// How a metric item counts as evidence: better or worse than its reference (the
    /// target where the item gives one, otherwise the England average) beyond the metric's
    /// tolerance, or in line (`Some(None)`). `None` when it cannot be judged: a metric the
    /// catalogue lacks, or no reference.
    pub(crate) fn judged(&self, value: &MetricValue) -> Option<Option<Sentiment>> {
        judging(self.pack, value).map(|judging| judging.sentiment(value.value))
    }

    /// The items a finding test reads, each with the sentiment it counts as (none for a
    /// metric in line with its reference) and whether it is strong.
    fn pool<'c>(
        &'c self,
        plan: &'c TestPlan,
        test: &'c FindingTest,
    ) -> impl Iterator<Item = Counted<'e>> + Clone + 'c {
        let category = test.category;
        self.items().filter_map(move |item| {
            if category.is_some_and(|c| item.category != c) {
                return None;
            }
            match &item.content {
                ItemContent::Finding(finding) => {
                    let on_topic = plan.tags.is_empty()
                        || finding
                            .tags
                            .iter()
                            .any(|t| plan.tags.iter().any(|want| same_words(t, want)));
                    on_topic.then_some(Counted {
                        item,
                        sentiment: Some(finding.sentiment),
                        strong: finding.strength == Strength::Strong,
                    })
                }
                // Metrics have no tags: a tagged test reads findings only.
                // Every metric item counts, as every finding does, so that evidence given
                // twice over weighs the same.
                ItemContent::Metric(value)
                    if test.noun == Noun::Evidence && plan.tags.is_empty() =>
                {
                    self.judged(value).map(|sentiment| Counted {
                        item,
                        sentiment,
                        strong: false,
                    })
                }
                ItemContent::Metric(_) => None,
            }
        })
    }

    fn finding_test(&self, plan: &TestPlan, test: &FindingTest) -> Reading {
        let pool = self.pool(plan, test);
        let noun = test.noun;
        let category = test.category;
        let from = move || {
            category
                .map(|c| format!(" from {}", c.as_str()))
                .unwrap_or_default()
        };
        if pool.clone().next().is_none() {
            return (
                Truth::Unknown,
                self.words(move || {
                    let from = from();
                    let noun = noun_words(noun, 0);
                    Detail::lacking(format!("no {noun}{from}"), vec![], format!("{noun}{from}"))
                }),
            );
        }
        let sentiment = test.sentiment;
        let strong = test.strong;
        let matches = move |c: &Counted<'_>| {
            (!strong || c.strong) && sentiment.is_none_or(|s| c.sentiment == Some(s))
        };
        let mut tally = Tally::default();
        for counted in pool.clone() {
            tally.add(&counted, matches(&counted));
        }
        let holds = match test.quantifier {
            Quantifier::Any => tally.matching >= 1,
            Quantifier::No => tally.matching == 0,
            Quantifier::AtLeast(n) => tally.matching >= n as usize,
            Quantifier::Most => tally.matching * 2 > tally.total,
            Quantifier::Outweighs { other, strict } => {
                let weighed = tally.of(sentiment);
                let against = tally.of(Some(other));
                if strict {
                    weighed > against
                } else {
                    // Some weight on the weighed side: a mixed finding gives half.
                    weighed >= against && weighed + tally.mixed > 0
                }
            }
            Quantifier::Categories(n) => tally.categories.len() >= n as usize,
        };
        (
            truth(holds),
            self.words(move || {
                let mut actual = String::with_capacity(48);
                match test.quantifier {
                    Quantifier::Outweighs { other, .. } => {
                        let weighed = sentiment.unwrap_or(Sentiment::Negative);
                        let _ = write!(
                            actual,
                            "{} {}, {} {}, {} mixed of {}",
                            tally.of(Some(weighed)),
                            weighed.as_str(),
                            tally.of(Some(other)),
                            other.as_str(),
                            tally.mixed,
                            noun_count(noun, tally.total)
                        );
                    }
                    Quantifier::Categories(_) if tally.matching == 0 => {
                        let _ = write!(actual, "none of {}", noun_count(noun, tally.total));
                    }
                    Quantifier::Categories(_) => {
                        let _ = write!(
                            actual,
                            "{} of {}, in {}",
                            tally.matching,
                            noun_count(noun, tally.total),
                            categories_named(&tally.categories)
                        );
                    }
                    _ => {
                        let _ = write!(actual, "{}", tally.matching);
                        if strong {
                            actual.push_str(" strong");
                        }
                        if let Some(sentiment) = sentiment {
                            actual.push(' ');
                            actual.push_str(sentiment.as_str());
                        }
                        let _ = write!(actual, " of {}", noun_count(noun, tally.total));
                    }
                }
                actual.push_str(&from());
                if !plan.tags.is_empty() {
                    actual.push_str(" tagged ");
                    actual.push_str(&test.tags.join(", "));
                }
                // `no` cites what it looked through, a balance what it weighed, and the
                // others what they counted.
                let weighs_all = matches!(test.quantifier, Quantifier::Outweighs { .. });
                let cited =
                    if weighs_all || test.quantifier == Quantifier::No || tally.matching == 0 {
                        ids(pool.map(|c| c.item))
                    } else {
                        ids(pool.filter(matches).map(|c| c.item))
                    };
                Detail::new(actual, cited)
            }),
        )
    }
}

/// An item as a finding test counts it.
#[derive(Clone, Copy)]
struct Counted<'e> {
    item: &'e Item,
    sentiment: Option<Sentiment>,
    strong: bool,
}

/// What a finding test found in its pool.
#[derive(Default)]
struct Tally {
    total: usize,
    matching: usize,
    positive: usize,
    negative: usize,
    mixed: usize,
    /// Categories of the matching items, for a spread.
    categories: Vec<Category>,
}

impl Tally {
    fn add(&mut self, counted: &Counted<'_>, matches: bool) {
        self.total += 1;
        match counted.sentiment {
            Some(Sentiment::Positive) => self.positive += 1,
            Some(Sentiment::Negative) => self.negative += 1,
            Some(Sentiment::Mixed) => self.mixed += 1,
            None => {}
        }
        if matches {
            self.matching += 1;
            if !self.categories.contains(&counted.item.category) {
                self.categories.push(counted.item.category);
            }
        }
    }

    fn of(&self, sentiment: Option<Sentiment>) -> usize {
        match sentiment {
            Some(Sentiment::Positive) => self.positive,
            Some(Sentiment::Negative) => self.negative,
            Some(Sentiment::Mixed) => self.mixed,
            None => self.total,
        }
    }
}

fn noun_words(noun: Noun, n: usize) -> &'static str {
    match (noun, n) {
        (Noun::Evidence, 1) => "item of evidence",
        (Noun::Evidence, _) => "evidence",
        (Noun::Findings, 1) => "finding",
        (Noun::Findings, _) => "findings",
    }
}

/// `1 finding`, `5 findings`, `3 items of evidence`.
fn noun_count(noun: Noun, n: usize) -> String {
    match (noun, n) {
        (Noun::Evidence, 1) => "1 item of evidence".to_string(),
        (Noun::Evidence, n) => format!("{n} items of evidence"),
        (Noun::Findings, 1) => "1 finding".to_string(),
        (Noun::Findings, n) => format!("{n} findings"),
    }
}

/// `1 category (processes)`, `2 categories (processes, feedback from partners)`.
fn categories_named(categories: &[Category]) -> String {
    let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
    match names.len() {
        1 => format!("1 category ({})", names.join(", ")),
        n => format!("{n} categories ({})", names.join(", ")),
    }
}

fn ids<'e>(items: impl Iterator<Item = &'e Item>) -> Vec<Arc<str>> {
    items.map(|item| Arc::clone(&item.id)).collect()
}

/// What `no evidence of` and `is missing` show: the value, if the file gives one.
fn given(found: Option<(&Item, &MetricValue)>, unit: Option<Unit>) -> Detail {
    match found {
        Some((item, value)) => Detail::new(
            format!("given: {}", Shown(value.value, unit)),
            vec![Arc::clone(&item.id)],
        ),
        None => Detail::new("not given".to_string(), vec![]),
    }
}

fn truth(holds: bool) -> Truth {
    if holds { Truth::True } else { Truth::False }
}

/// Kleene `and`: false beats unknown beats true.
pub(crate) fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::False, _) | (_, Truth::False) => Truth::False,
        (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
        _ => Truth::True,
    }
}

/// Kleene `or`: true beats unknown beats false.
pub(crate) fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::True, _) | (_, Truth::True) => Truth::True,
        (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
        _ => Truth::False,
    }
}

/// Kleene `and` over many values.
pub(crate) fn all(values: &[Truth]) -> Truth {
    values.iter().copied().fold(Truth::True, and)
}

/// Kleene `or` over many values.
pub(crate) fn any(values: &[Truth]) -> Truth {
    values.iter().copied().fold(Truth::False, or)
}

/// How a metric item is judged as evidence: the reference it is held to (its target, else
/// its England average) and the band either side that counts as in line. What-if analyses
/// read the band's edges; `None` as for [`Context::judged`].
pub(crate) fn judging(pack: &Pack, value: &MetricValue) -> Option<Judging> {
    let metric = pack.catalogue.metric(value.metric?);
    let (reference, kind) = match (value.target, value.england_average) {
        (Some(target), _) => (target, ReferenceKind::Target),
        (None, Some(england)) => (england, ReferenceKind::EnglandAverage),
        (None, None) => return None,
    };
    Some(Judging {
        reference,
        kind,
        band: band(pack, metric, value, reference)?.amount,
        better: metric.better,
    })
}

/// The band either side of a reference inside which a value is in line with it: the
/// value's own margin of error where the evidence gives one (a difference inside a survey's
/// margin is not a difference), else the metric's tolerance, else the pack's. `None` where
/// a relative tolerance of the reference cannot be worked out exactly.
pub(crate) fn band(
    pack: &Pack,
    metric: &Metric,
    value: &MetricValue,
    reference: Decimal,
) -> Option<Band> {
    Some(match value.margin {
        Some(margin) => Band {
            amount: margin,
            tolerance: None,
        },
        None => {
            let tolerance = metric.tolerance.unwrap_or(pack.tolerance);
            Band {
                amount: margin_amount(tolerance.amount, tolerance.unit, reference)?,
                tolerance: Some(tolerance),
            }
        }
    })
}

/// See [`band`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Band {
    /// Its half-width, in the metric's units.
    pub amount: Decimal,
    /// The tolerance it comes from; `None` for a margin of error.
    pub tolerance: Option<Tolerance>,
}

impl Band {
    /// `tolerance 5 points`, `margin of error ± 2.3 points`.
    pub fn words(&self, unit: Option<Unit>) -> String {
        match self.tolerance {
            Some(tolerance) => format!("tolerance {tolerance}"),
            None => format!("margin of error ± {}", Amount(self.amount, unit)),
        }
    }
}

/// See [`judging`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Judging {
    pub reference: Decimal,
    pub kind: ReferenceKind,
    /// The value's margin of error where it gives one, else the tolerance (see [`band`]).
    pub band: Decimal,
    pub better: Polarity,
}

impl Judging {
    /// Worse than the reference beyond the band is negative, better beyond it positive,
    /// otherwise in line (`None`).
    pub fn sentiment(&self, value: Decimal) -> Option<Sentiment> {
        // Past the range of exact decimals (the loaders keep numbers far inside it): in line.
        let worse = worse_by(self.better, value, self.reference)?;
        if worse > self.band {
            Some(Sentiment::Negative)
        } else if -worse > self.band {
            Some(Sentiment::Positive)
        } else {
            None
        }
    }
}

/// How much worse than the reference a value is, in the metric's sense of worse; `None`
/// past the range of exact decimals.
fn worse_by(better: Polarity, value: Decimal, reference: Decimal) -> Option<Decimal> {
    match better {
        Polarity::Higher => reference.checked_sub(value),
        Polarity::Lower => value.checked_sub(reference),
    }
}

/// A margin in points, or as a percentage of the reference; `None` past the range of
/// exact decimals.
fn margin_amount(amount: Decimal, unit: MarginUnit, reference: Decimal) -> Option<Decimal> {
    match unit {
        MarginUnit::Points => Some(amount),
        MarginUnit::Percent => reference
            .abs()
            .checked_mul(amount)?
            .checked_div(Decimal::ONE_HUNDRED),
    }
}

fn exceeds(gap: Decimal, amount: Decimal, strictness: MarginStrictness) -> bool {
    match strictness {
        MarginStrictness::MoreThan => gap > amount,
        MarginStrictness::AtLeast => gap >= amount,
    }
}

/// A gap in words: `12 points below`, `3 days better`, `level`.
struct Gap {
    gap: Decimal,
    unit: Option<Unit>,
    positive: &'static str,
    negative: &'static str,
}

impl fmt::Display for Gap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.gap.is_zero() {
            f.write_str("level")
        } else if self.gap.is_sign_positive() {
            write!(f, "{} {}", Amount(self.gap, self.unit), self.positive)
        } else {
            write!(f, "{} {}", Amount(-self.gap, self.unit), self.negative)
        }
    }
}

/// A difference in the metric's own terms: points of a percentage or score, days of a
/// wait, a plain number otherwise.
pub fn amount(difference: Decimal, unit: Option<Unit>) -> String {
    Amount(difference, unit).to_string()
}

/// [`amount`] for `format!`, without a string of its own.
struct Amount(Decimal, Option<Unit>);

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Amount(difference, unit) = *self;
        let difference = difference.normalize();
        match unit {
            Some(Unit::Percent | Unit::Score) if difference == Decimal::ONE => {
                f.write_str("1 point")
            }
            Some(Unit::Percent | Unit::Score) => write!(f, "{difference} points"),
            Some(Unit::Days) => Shown(difference, unit).fmt(f),
            _ => difference.fmt(f),
        }
    }
}

fn count_items(n: usize) -> String {
    match n {
        0 => "no items".to_string(),
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

pub fn reference_name(kind: &ReferenceKind) -> &'static str {
    match kind {
        ReferenceKind::Target => "target",
        ReferenceKind::EnglandAverage => "England average",
        ReferenceKind::RegionalAverage => "regional average",
        ReferenceKind::ComparatorAverage => "comparator average",
        ReferenceKind::Previous => "previous",
        ReferenceKind::Literal { .. } => "threshold",
    }
}

/// A value in its unit: `63%`, `28 days`, `874`.
pub fn show(value: Decimal, unit: Option<Unit>) -> String {
    Shown(value, unit).to_string()
}

/// [`show`] for `format!`, without a string of its own.
struct Shown(Decimal, Option<Unit>);

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Shown(value, unit) = *self;
        match unit {
            Some(Unit::Percent) => write!(f, "{value}%"),
            Some(Unit::Days) if value == Decimal::ONE => write!(f, "{value} day"),
            Some(Unit::Days) => write!(f, "{value} days"),
            _ => value.fmt(f),
        }
    }
}

/// Whether a category has any item in a statement's evidence.
pub fn categories_present(items: &[&Item]) -> Vec<Category> {
    let mut categories: Vec<Category> = items.iter().map(|item| item.category).collect();
    categories.sort();
    categories.dedup();
    categories
}
