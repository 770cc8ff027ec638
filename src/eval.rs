//! Evaluating one rule against one statement's evidence. Pure: no I/O, no floats.
//!
//! Tests are three-valued: a test that needs evidence the file lacks is *unknown*, and a
//! rule whose condition is unknown is *not evaluable* rather than false. An `unless`
//! exception only stops a rule when its evidence shows it holds.

use rust_decimal::Decimal;

use crate::assessment::{ConditionTrace, Truth};
use crate::ast::{
    Category, Comparison, Condition, Direction, FindingTest, MarginStrictness, MarginUnit,
    MetricTest, Quantifier, ReferenceKind, Test, ThresholdOp, normalise_words,
};
use crate::catalogue::{Metric, Polarity, Tolerance, Unit};
use crate::evidence::{Item, MetricValue};
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
    pub fn evidence(&self) -> Vec<String> {
        // A set beside the list: a rule over every finding of a large file cites thousands.
        let mut seen = std::collections::BTreeSet::new();
        self.conditions
            .iter()
            .flat_map(|c| c.evidence.iter())
            .filter(|id| seen.insert(id.as_str()))
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

/// Evaluates a rule of a pack against a statement's evidence.
pub fn evaluate_rule(
    rule: &PackRule,
    evidence: &StatementEvidence<'_>,
    pack: &Pack,
) -> RuleOutcome {
    let context = Context { evidence, pack };
    let mut conditions = Vec::new();
    let holds = context.condition(&rule.ast.condition, Scope::CONDITION, &mut conditions);
    let exception = rule
        .ast
        .unless
        .as_ref()
        .map(|unless| context.condition(unless, Scope::EXCEPTION, &mut conditions));
    let fired = holds == Truth::True && exception != Some(Truth::True);
    RuleOutcome {
        fired,
        not_evaluable: holds == Truth::Unknown,
        conditions,
    }
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

struct Context<'a, 'e> {
    evidence: &'a StatementEvidence<'e>,
    pack: &'a Pack,
}

impl Context<'_, '_> {
    fn condition(
        &self,
        condition: &Condition,
        scope: Scope,
        out: &mut Vec<ConditionTrace>,
    ) -> Truth {
        match condition {
            Condition::Or(parts, _) => {
                let values: Vec<Truth> = parts
                    .iter()
                    .map(|p| self.condition(p, scope, out))
                    .collect();
                any(&values)
            }
            Condition::And(parts, _) => {
                let values: Vec<Truth> = parts
                    .iter()
                    .map(|p| self.condition(p, scope, out))
                    .collect();
                all(&values)
            }
            Condition::Not(inner, _) => {
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
            Condition::Test(test) => {
                let mut trace = self.test(test);
                trace.exception = scope.exception;
                trace.negated = scope.negated;
                let holds = trace.holds;
                out.push(trace);
                holds
            }
        }
    }

    fn test(&self, test: &Test) -> ConditionTrace {
        match test {
            Test::Metric(metric_test) => self.metric_test(test, metric_test),
            Test::Findings(finding_test) => self.finding_test(test, finding_test),
            Test::NoEvidenceFrom { category, .. } => {
                let ids: Vec<String> = self
                    .evidence
                    .items
                    .iter()
                    .filter(|item| item.category == *category)
                    .map(|item| item.id.clone())
                    .collect();
                trace(
                    test,
                    truth(ids.is_empty()),
                    format!("{} from {}", count_items(ids.len()), category.as_str()),
                    ids,
                    None,
                )
            }
            Test::NoEvidenceOf { metric, .. } => {
                let found = self.metric_item(&metric.name);
                let ids = found.iter().map(|(item, _)| item.id.clone()).collect();
                let actual = match found {
                    Some((_, value)) => {
                        format!("given: {}", show(value.value, self.unit_of(&metric.name)))
                    }
                    None => "not given".to_string(),
                };
                trace(test, truth(found.is_none()), actual, ids, None)
            }
        }
    }

    fn catalogue_metric(&self, name: &str) -> Option<&Metric> {
        self.pack
            .catalogue
            .lookup(name)
            .map(|id| self.pack.catalogue.metric(id))
    }

    fn unit_of(&self, name: &str) -> Option<Unit> {
        self.catalogue_metric(name).map(|m| m.unit)
    }

    /// The first item giving the metric for this statement.
    fn metric_item(&self, name: &str) -> Option<(&Item, &MetricValue)> {
        let id = self.pack.catalogue.lookup(name)?;
        self.evidence.items.iter().find_map(|item| {
            item.metric()
                .filter(|m| m.metric == Some(id))
                .map(|m| (*item, m))
        })
    }

    fn metric_test(&self, test: &Test, metric_test: &MetricTest) -> ConditionTrace {
        let name = &metric_test.metric.name;
        let Some(metric) = self.catalogue_metric(name) else {
            return trace(
                test,
                Truth::Unknown,
                "unknown metric".to_string(),
                vec![],
                Some(name.clone()),
            );
        };
        let found = self.metric_item(name);
        if matches!(metric_test.comparison, Comparison::Missing) {
            let ids = found.iter().map(|(item, _)| item.id.clone()).collect();
            let actual = match found {
                Some((_, value)) => format!("given: {}", show(value.value, Some(metric.unit))),
                None => "not given".to_string(),
            };
            return trace(test, truth(found.is_none()), actual, ids, None);
        }
        let Some((item, value)) = found else {
            return trace(
                test,
                Truth::Unknown,
                "not given".to_string(),
                vec![],
                Some(metric.name.clone()),
            );
        };
        let ids = vec![item.id.clone()];
        let unit = Some(metric.unit);
        let actual_value = show(value.value, unit);
        let reference_kind = match &metric_test.comparison {
            Comparison::Threshold { reference, .. }
            | Comparison::Relative { reference, .. }
            | Comparison::InLineWith { reference } => reference.kind,
            Comparison::Trend { .. } => ReferenceKind::Previous,
            Comparison::Missing => ReferenceKind::Previous,
        };
        let Some(reference) = value.reference(&reference_kind) else {
            let wanted = format!("{} for {}", reference_name(&reference_kind), metric.name);
            return trace(
                test,
                Truth::Unknown,
                format!("{actual_value}, no {}", reference_name(&reference_kind)),
                ids,
                Some(wanted),
            );
        };
        let against = format!(
            "{actual_value} vs {} {}",
            reference_name(&reference_kind),
            show(reference, unit)
        );
        let (holds, note) = match &metric_test.comparison {
            Comparison::Threshold { op, margin, .. } => {
                // How far the value sits below (positive) or above (negative) the reference.
                let below_by = reference - value.value;
                let gap = match op {
                    ThresholdOp::Below | ThresholdOp::AtOrBelow => below_by,
                    ThresholdOp::Above | ThresholdOp::AtOrAbove => -below_by,
                };
                let inclusive = matches!(op, ThresholdOp::AtOrBelow | ThresholdOp::AtOrAbove);
                let holds = match margin {
                    Some(margin) => exceeds(
                        gap,
                        margin_amount(margin.amount, margin.unit, reference),
                        margin.strictness,
                    ),
                    None if inclusive => gap >= Decimal::ZERO,
                    None => gap > Decimal::ZERO,
                };
                (holds, describe_gap(below_by, unit, "below", "above"))
            }
            Comparison::Relative {
                direction, margin, ..
            } => {
                let worse_by = worse_by(metric.better, value.value, reference);
                let gap = match direction {
                    Direction::Worse => worse_by,
                    Direction::Better => -worse_by,
                };
                let tolerance = self.tolerance(metric);
                let holds = match margin {
                    Some(margin) => exceeds(
                        gap,
                        margin_amount(margin.amount, margin.unit, reference),
                        margin.strictness,
                    ),
                    None => gap > margin_amount(tolerance.amount, tolerance.unit, reference),
                };
                let band = match margin {
                    Some(margin) => {
                        format!("margin {}", margin.to_string().trim_start_matches("by "))
                    }
                    None => format!("tolerance {tolerance}"),
                };
                let note = format!(
                    "{}; {band}",
                    describe_gap(worse_by, unit, "worse", "better")
                );
                (holds, note)
            }
            Comparison::InLineWith { .. } => {
                let tolerance = self.tolerance(metric);
                let band = margin_amount(tolerance.amount, tolerance.unit, reference);
                let distance = (value.value - reference).abs();
                let note = format!("{} apart; tolerance {tolerance}", amount(distance, unit));
                (distance <= band, note)
            }
            Comparison::Trend { direction, margin } => {
                let improved_by = -worse_by(metric.better, value.value, reference);
                let gap = match direction {
                    Direction::Better => improved_by,
                    Direction::Worse => -improved_by,
                };
                let holds = match margin {
                    Some(margin) => exceeds(
                        gap,
                        margin_amount(margin.amount, margin.unit, reference),
                        margin.strictness,
                    ),
                    None => gap > Decimal::ZERO,
                };
                (holds, describe_gap(-improved_by, unit, "worse", "better"))
            }
            Comparison::Missing => (false, String::new()),
        };
        trace(test, truth(holds), format!("{against} ({note})"), ids, None)
    }

    fn tolerance(&self, metric: &Metric) -> Tolerance {
        metric.tolerance.unwrap_or(self.pack.tolerance)
    }

    fn finding_test(&self, test: &Test, finding_test: &FindingTest) -> ConditionTrace {
        let pool: Vec<&Item> = self
            .evidence
            .items
            .iter()
            .filter(|item| item.finding().is_some())
            .filter(|item| finding_test.category.is_none_or(|c| item.category == c))
            .copied()
            .collect();
        let from = finding_test
            .category
            .map(|c| format!(" from {}", c.as_str()))
            .unwrap_or_default();
        if pool.is_empty() {
            return trace(
                test,
                Truth::Unknown,
                format!("no findings{from}"),
                vec![],
                Some(format!("findings{from}")),
            );
        }
        let tags: Vec<String> = finding_test
            .tags
            .iter()
            .map(|t| normalise_words(t))
            .collect();
        let on_topic: Vec<&Item> = pool
            .iter()
            .filter(|item| {
                tags.is_empty()
                    || item
                        .finding()
                        .is_some_and(|f| f.tags.iter().any(|t| tags.contains(&normalise_words(t))))
            })
            .copied()
            .collect();
        let matching: Vec<&Item> = on_topic
            .iter()
            .filter(|item| {
                finding_test
                    .sentiment
                    .is_none_or(|s| item.finding().is_some_and(|f| f.sentiment == s))
            })
            .copied()
            .collect();
        let count = matching.len();
        let holds = match finding_test.quantifier {
            Quantifier::Any => count >= 1,
            Quantifier::No => count == 0,
            Quantifier::AtLeast(n) => count >= n as usize,
            Quantifier::Most => count * 2 > on_topic.len(),
        };
        let sentiment = finding_test
            .sentiment
            .map(|s| format!(" {}", s.as_str()))
            .unwrap_or_default();
        let tagged = if tags.is_empty() {
            String::new()
        } else {
            format!(" tagged {}", finding_test.tags.join(", "))
        };
        let actual = format!(
            "{count}{sentiment} of {} finding{}{from}{tagged}",
            on_topic.len(),
            if on_topic.len() == 1 { "" } else { "s" }
        );
        // `no` cites what it looked through; the others cite what they counted.
        let cited = if finding_test.quantifier == Quantifier::No || count == 0 {
            &on_topic
        } else {
            &matching
        };
        let ids = cited.iter().map(|item| item.id.clone()).collect();
        trace(test, truth(holds), actual, ids, None)
    }
}

fn trace(
    test: &Test,
    holds: Truth,
    actual: String,
    evidence: Vec<String>,
    missing: Option<String>,
) -> ConditionTrace {
    ConditionTrace {
        test: test.to_string(),
        holds,
        actual,
        exception: false,
        negated: false,
        evidence,
        missing,
    }
}

fn truth(holds: bool) -> Truth {
    if holds { Truth::True } else { Truth::False }
}

/// Kleene `and`: false beats unknown beats true.
pub(crate) fn all(values: &[Truth]) -> Truth {
    if values.contains(&Truth::False) {
        Truth::False
    } else if values.contains(&Truth::Unknown) {
        Truth::Unknown
    } else {
        Truth::True
    }
}

/// Kleene `or`: true beats unknown beats false.
pub(crate) fn any(values: &[Truth]) -> Truth {
    if values.contains(&Truth::True) {
        Truth::True
    } else if values.contains(&Truth::Unknown) {
        Truth::Unknown
    } else {
        Truth::False
    }
}

/// How much worse than the reference a value is, in the metric's sense of worse.
fn worse_by(better: Polarity, value: Decimal, reference: Decimal) -> Decimal {
    match better {
        Polarity::Higher => reference - value,
        Polarity::Lower => value - reference,
    }
}

/// A margin in points, or as a percentage of the reference.
fn margin_amount(amount: Decimal, unit: MarginUnit, reference: Decimal) -> Decimal {
    match unit {
        MarginUnit::Points => amount,
        MarginUnit::Percent => reference.abs() * amount / Decimal::ONE_HUNDRED,
    }
}

fn exceeds(gap: Decimal, amount: Decimal, strictness: MarginStrictness) -> bool {
    match strictness {
        MarginStrictness::MoreThan => gap > amount,
        MarginStrictness::AtLeast => gap >= amount,
    }
}

fn describe_gap(gap: Decimal, unit: Option<Unit>, positive: &str, negative: &str) -> String {
    if gap.is_zero() {
        "level".to_string()
    } else if gap.is_sign_positive() {
        format!("{} {positive}", amount(gap, unit))
    } else {
        format!("{} {negative}", amount(-gap, unit))
    }
}

/// A difference in the metric's own terms: points of a percentage or score, days of a
/// wait, a plain number otherwise.
pub fn amount(difference: Decimal, unit: Option<Unit>) -> String {
    match unit {
        Some(Unit::Percent | Unit::Score) => points(difference),
        Some(Unit::Days) => show(difference.normalize(), unit),
        _ => difference.normalize().to_string(),
    }
}

fn points(amount: Decimal) -> String {
    let amount = amount.normalize();
    if amount == Decimal::ONE {
        "1 point".to_string()
    } else {
        format!("{amount} points")
    }
}

fn count_items(n: usize) -> String {
    match n {
        0 => "no items".to_string(),
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

pub fn reference_name(kind: &ReferenceKind) -> String {
    match kind {
        ReferenceKind::Target => "target".to_string(),
        ReferenceKind::EnglandAverage => "England average".to_string(),
        ReferenceKind::RegionalAverage => "regional average".to_string(),
        ReferenceKind::ComparatorAverage => "comparator average".to_string(),
        ReferenceKind::Previous => "previous".to_string(),
        ReferenceKind::Literal { .. } => "threshold".to_string(),
    }
}

/// A value in its unit: `63%`, `28 days`, `874`.
pub fn show(value: Decimal, unit: Option<Unit>) -> String {
    match unit {
        Some(Unit::Percent) => format!("{value}%"),
        Some(Unit::Days) if value == Decimal::ONE => format!("{value} day"),
        Some(Unit::Days) => format!("{value} days"),
        _ => value.to_string(),
    }
}

/// Whether a category has any item in a statement's evidence.
pub fn categories_present(items: &[&Item]) -> Vec<Category> {
    let mut categories: Vec<Category> = items.iter().map(|item| item.category).collect();
    categories.sort();
    categories.dedup();
    categories
}
