//! Rule conditions as two-valued formulas over literals, with the three-valued semantics of
//! src/eval.rs made explicit: a test is *known* when its evidence is there, and a rule fires
//! when its condition is known true and its `unless` is not known true. Every comparison is
//! copied from the evaluator: the same gaps, margins, tolerances and strictness.

use rust_decimal::Decimal;

use super::solver::Constraint;
use crate::ast::{
    Category, Comparison, Condition, Direction, FindingTest, MarginStrictness, MarginUnit,
    MetricTest, Quantifier, ReferenceKind, Sentiment, Test, ThresholdOp, normalise_words,
};
use crate::catalogue::{MetricId, Polarity, Tolerance};
use crate::evidence::MetricValue;
use crate::pack::{Pack, PackRule};

/// The value of a metric item, and the references it may give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    Value,
    Target,
    England,
    Regional,
    Comparator,
    Previous,
}

impl Slot {
    pub const ALL: [Slot; 6] = [
        Slot::Value,
        Slot::Target,
        Slot::England,
        Slot::Regional,
        Slot::Comparator,
        Slot::Previous,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// What an evidence item gives in this slot.
    pub fn read(self, value: &MetricValue) -> Option<Decimal> {
        match self {
            Slot::Value => Some(value.value),
            Slot::Target => value.target,
            Slot::England => value.england_average,
            Slot::Regional => value.regional_average,
            Slot::Comparator => value.comparator_average,
            Slot::Previous => value.previous,
        }
    }

    fn of(kind: &ReferenceKind) -> Option<Slot> {
        match kind {
            ReferenceKind::Target => Some(Slot::Target),
            ReferenceKind::EnglandAverage => Some(Slot::England),
            ReferenceKind::RegionalAverage => Some(Slot::Regional),
            ReferenceKind::ComparatorAverage => Some(Slot::Comparator),
            ReferenceKind::Previous => Some(Slot::Previous),
            ReferenceKind::Literal { .. } => None,
        }
    }
}

/// Which findings a count is over.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Selector {
    /// `None`: every finding of the statement.
    pub pool: Option<Category>,
    /// Normalised; a finding matches if it carries any. Empty: no narrowing.
    pub tags: Vec<String>,
    pub sentiment: Option<Sentiment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relation {
    AtLeast(u32),
    AtMost(u32),
    /// More than half of the on-topic findings (the selector without its sentiment) match.
    Most,
    NotMost,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lit {
    /// A metric item exists (`Slot::Value`) or gives a reference.
    Present {
        metric: MetricId,
        slot: Slot,
        present: bool,
    },
    /// A linear constraint over one metric item's slots (variables are slot indices).
    Linear {
        metric: MetricId,
        constraint: Constraint,
    },
    /// Some item (metric or finding) of the category exists.
    Category { category: Category, present: bool },
    /// A count of findings.
    Count {
        selector: Selector,
        relation: Relation,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Lit(Lit),
}

impl Formula {
    fn lit(lit: Lit) -> Formula {
        Formula::Lit(lit)
    }
}

/// What a condition is asked to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    True,
    False,
    NotTrue,
    NotFalse,
}

/// Lowers conditions against one pack's catalogue and tolerance.
pub struct Lowering<'a> {
    pub pack: &'a Pack,
}

impl Lowering<'_> {
    /// The rule fires: its condition is true and its exception is not.
    pub fn fires(&self, rule: &PackRule) -> Formula {
        let mut parts = vec![self.condition(&rule.ast.condition, Mode::True)];
        if let Some(unless) = &rule.ast.unless {
            parts.push(self.condition(unless, Mode::NotTrue));
        }
        Formula::And(parts)
    }

    /// The rule does not fire.
    pub fn does_not_fire(&self, rule: &PackRule) -> Formula {
        let mut parts = vec![self.condition(&rule.ast.condition, Mode::NotTrue)];
        if let Some(unless) = &rule.ast.unless {
            parts.push(self.condition(unless, Mode::True));
        }
        Formula::Or(parts)
    }

    /// The condition alone is true.
    pub fn condition_true(&self, rule: &PackRule) -> Formula {
        self.condition(&rule.ast.condition, Mode::True)
    }

    fn condition(&self, condition: &Condition, mode: Mode) -> Formula {
        match condition {
            Condition::And(parts, _) | Condition::Or(parts, _) => {
                let is_and = matches!(condition, Condition::And(..));
                let lowered = parts.iter().map(|p| self.condition(p, mode)).collect();
                // Kleene: an `and` is true when all parts are, false when any part is.
                let conjunctive = matches!(
                    (is_and, mode),
                    (true, Mode::True | Mode::NotFalse) | (false, Mode::False | Mode::NotTrue)
                );
                if conjunctive {
                    Formula::And(lowered)
                } else {
                    Formula::Or(lowered)
                }
            }
            Condition::Not(inner, _) => {
                let flipped = match mode {
                    Mode::True => Mode::False,
                    Mode::False => Mode::True,
                    Mode::NotTrue => Mode::NotFalse,
                    Mode::NotFalse => Mode::NotTrue,
                };
                self.condition(inner, flipped)
            }
            Condition::Test(test) => self.test(test, mode),
        }
    }

    fn test(&self, test: &Test, mode: Mode) -> Formula {
        let (known, unknown, holds, fails) = self.parts(test);
        match mode {
            Mode::True => Formula::And(vec![known, holds]),
            Mode::False => Formula::And(vec![known, fails]),
            Mode::NotTrue => Formula::Or(vec![unknown, Formula::And(vec![known, fails])]),
            Mode::NotFalse => Formula::Or(vec![unknown, Formula::And(vec![known, holds])]),
        }
    }

    /// For one test: when it is known, when not, when it holds and when it fails (the last
    /// two assuming it is known).
    fn parts(&self, test: &Test) -> (Formula, Formula, Formula, Formula) {
        let always = Formula::And(Vec::new());
        let never = Formula::Or(Vec::new());
        match test {
            Test::NoEvidenceFrom { category, .. } => {
                let lit = |present| {
                    Formula::lit(Lit::Category {
                        category: *category,
                        present,
                    })
                };
                (always, never, lit(false), lit(true))
            }
            Test::NoEvidenceOf { metric, .. } => match self.pack.catalogue.lookup(&metric.name) {
                Some(id) => (
                    always,
                    never,
                    present(id, Slot::Value, false),
                    present(id, Slot::Value, true),
                ),
                None => (never, always.clone(), always.clone(), always),
            },
            Test::Findings(finding_test) => finding_parts(finding_test),
            Test::Metric(metric_test) => self.metric_parts(metric_test),
        }
    }

    fn metric_parts(&self, test: &MetricTest) -> (Formula, Formula, Formula, Formula) {
        let always = Formula::And(Vec::new());
        let never = Formula::Or(Vec::new());
        let Some(id) = self.pack.catalogue.lookup(&test.metric.name) else {
            // The loader refuses unknown metrics; the evaluator calls them unknown.
            return (never, always.clone(), always.clone(), always);
        };
        let Some(comparison) = self.comparison(test) else {
            return (
                always,
                never,
                present(id, Slot::Value, false),
                present(id, Slot::Value, true),
            );
        };
        let mut known = vec![present(id, Slot::Value, true)];
        let mut unknown = vec![present(id, Slot::Value, false)];
        if let Some(slot) = comparison.reference {
            known.push(present(id, slot, true));
            unknown.push(Formula::And(vec![
                present(id, Slot::Value, true),
                present(id, slot, false),
            ]));
        }
        let linear = |constraint: Constraint| {
            Formula::lit(Lit::Linear {
                metric: id,
                constraint,
            })
        };
        let fails = Formula::Or(
            comparison
                .holds
                .iter()
                .map(|c| linear(c.negated()))
                .collect(),
        );
        let holds = Formula::And(comparison.holds.into_iter().map(linear).collect());
        (Formula::And(known), Formula::Or(unknown), holds, fails)
    }

    /// What a metric test compares, and when it holds given its evidence is there. `None`
    /// for an unknown metric and for `missing`, which compare nothing.
    pub fn comparison(&self, test: &MetricTest) -> Option<MetricComparison> {
        let id = self.pack.catalogue.lookup(&test.metric.name)?;
        let metric = self.pack.catalogue.metric(id);
        let reference_kind = match &test.comparison {
            Comparison::Threshold { reference, .. }
            | Comparison::Relative { reference, .. }
            | Comparison::InLineWith { reference } => reference.kind,
            Comparison::Trend { .. } => ReferenceKind::Previous,
            Comparison::Missing => return None,
        };
        let slot = Slot::of(&reference_kind);
        let reference = match (slot, reference_kind) {
            (Some(slot), _) => Linear::var(slot),
            (None, ReferenceKind::Literal { value, .. }) => Linear::constant(value),
            (None, _) => Linear::constant(Decimal::ZERO),
        };
        let value = Linear::var(Slot::Value);
        let tolerance = metric.tolerance.unwrap_or(self.pack.tolerance);
        let holds: Vec<Constraint> = match &test.comparison {
            Comparison::Threshold { op, margin, .. } => {
                let below_by = reference.minus(&value);
                let gap = match op {
                    ThresholdOp::Below | ThresholdOp::AtOrBelow => below_by,
                    ThresholdOp::Above | ThresholdOp::AtOrAbove => below_by.scaled(-Decimal::ONE),
                };
                let inclusive = matches!(op, ThresholdOp::AtOrBelow | ThresholdOp::AtOrAbove);
                vec![match margin {
                    Some(m) => exceeds(&gap, &amount(m.amount, m.unit, &reference), m.strictness),
                    None => gap.constraint(!inclusive),
                }]
            }
            Comparison::Relative {
                direction, margin, ..
            } => {
                let worse_by = worse_by(metric.better, &value, &reference);
                let gap = match direction {
                    Direction::Worse => worse_by,
                    Direction::Better => worse_by.scaled(-Decimal::ONE),
                };
                vec![match margin {
                    Some(m) => exceeds(&gap, &amount(m.amount, m.unit, &reference), m.strictness),
                    None => gap.minus(&band(tolerance, &reference)).constraint(true),
                }]
            }
            Comparison::InLineWith { .. } => {
                let difference = value.minus(&reference);
                let band = band(tolerance, &reference);
                vec![
                    band.minus(&difference).constraint(false),
                    band.plus(&difference).constraint(false),
                ]
            }
            Comparison::Trend { direction, margin } => {
                let improved_by = worse_by(metric.better, &value, &reference).scaled(-Decimal::ONE);
                let gap = match direction {
                    Direction::Better => improved_by,
                    Direction::Worse => improved_by.scaled(-Decimal::ONE),
                };
                vec![match margin {
                    Some(m) => exceeds(&gap, &amount(m.amount, m.unit, &reference), m.strictness),
                    None => gap.constraint(true),
                }]
            }
            Comparison::Missing => return None,
        };
        Some(MetricComparison {
            metric: id,
            reference: slot,
            holds,
        })
    }
}

/// A metric test as arithmetic: the metric, the slot it compares with (`None` for a stated
/// threshold), and the constraints over the item's slots that hold exactly when it does.
#[derive(Clone, Debug)]
pub struct MetricComparison {
    pub metric: MetricId,
    pub reference: Option<Slot>,
    pub holds: Vec<Constraint>,
}

fn present(metric: MetricId, slot: Slot, present: bool) -> Formula {
    Formula::lit(Lit::Present {
        metric,
        slot,
        present,
    })
}

fn finding_parts(test: &FindingTest) -> (Formula, Formula, Formula, Formula) {
    let mut tags: Vec<String> = test.tags.iter().map(|t| normalise_words(t)).collect();
    tags.sort();
    tags.dedup();
    let pool = Selector {
        pool: test.category,
        tags: Vec::new(),
        sentiment: None,
    };
    let matching = Selector {
        pool: test.category,
        tags,
        sentiment: test.sentiment,
    };
    let count = |selector: &Selector, relation| {
        Formula::lit(Lit::Count {
            selector: selector.clone(),
            relation,
        })
    };
    let (holds, fails) = match test.quantifier {
        Quantifier::Any => (Relation::AtLeast(1), Relation::AtMost(0)),
        Quantifier::No => (Relation::AtMost(0), Relation::AtLeast(1)),
        Quantifier::AtLeast(0) => (Relation::AtLeast(0), Relation::AtMost(0)),
        Quantifier::AtLeast(n) => (Relation::AtLeast(n), Relation::AtMost(n - 1)),
        Quantifier::Most => (Relation::Most, Relation::NotMost),
    };
    let fails = if test.quantifier == Quantifier::AtLeast(0) {
        Formula::Or(Vec::new())
    } else {
        count(&matching, fails)
    };
    (
        count(&pool, Relation::AtLeast(1)),
        count(&pool, Relation::AtMost(0)),
        count(&matching, holds),
        fails,
    )
}

/// A linear expression over one metric item's slots.
#[derive(Clone, Debug)]
struct Linear {
    terms: Vec<(usize, Decimal)>,
    constant: Decimal,
}

impl Linear {
    fn var(slot: Slot) -> Linear {
        Linear {
            terms: vec![(slot.index(), Decimal::ONE)],
            constant: Decimal::ZERO,
        }
    }

    fn constant(value: Decimal) -> Linear {
        Linear {
            terms: Vec::new(),
            constant: value,
        }
    }

    // Numbers are below 10^12 when read (limits.rs) and a factor is at most a margin's
    // hundredth, so coefficients stay below 10^10 and constants below 10^22: these never
    // reach the ends of the decimal range, and saturating keeps any pack from panicking.
    fn scaled(&self, factor: Decimal) -> Linear {
        Linear {
            terms: self
                .terms
                .iter()
                .map(|(v, c)| (*v, c.saturating_mul(factor)))
                .collect(),
            constant: self.constant.saturating_mul(factor),
        }
    }

    fn plus(&self, other: &Linear) -> Linear {
        let mut terms = self.terms.clone();
        terms.extend(other.terms.iter().copied());
        Linear {
            terms,
            constant: self.constant.saturating_add(other.constant),
        }
    }

    fn minus(&self, other: &Linear) -> Linear {
        self.plus(&other.scaled(-Decimal::ONE))
    }

    /// `self > 0` (strict) or `self >= 0`.
    fn constraint(&self, strict: bool) -> Constraint {
        Constraint::new(self.terms.iter().copied(), self.constant, strict)
    }
}

/// How much worse than the reference the value is (eval.rs `worse_by`).
fn worse_by(better: Polarity, value: &Linear, reference: &Linear) -> Linear {
    match better {
        Polarity::Higher => reference.minus(value),
        Polarity::Lower => value.minus(reference),
    }
}

/// A margin in points or as a percentage of the reference (eval.rs `margin_amount`).
/// Evidence values are never negative (the loader refuses them), so `|reference|` is the
/// reference itself, and a relative margin stays linear.
fn amount(amount: Decimal, unit: MarginUnit, reference: &Linear) -> Linear {
    match unit {
        MarginUnit::Points => Linear::constant(amount),
        MarginUnit::Percent => match reference.terms.is_empty() {
            true => Linear::constant(percent_of(reference.constant.abs(), amount)),
            false => reference.scaled(percent_of(Decimal::ONE, amount)),
        },
    }
}

/// `amount`% of `value`, saturating (see [`Linear::scaled`]).
fn percent_of(value: Decimal, amount: Decimal) -> Decimal {
    value
        .saturating_mul(amount)
        .checked_div(Decimal::ONE_HUNDRED)
        .unwrap_or(Decimal::MAX)
}

fn band(tolerance: Tolerance, reference: &Linear) -> Linear {
    amount(tolerance.amount, tolerance.unit, reference)
}

/// eval.rs `exceeds`: `gap > amount` or `gap >= amount`.
fn exceeds(gap: &Linear, amount: &Linear, strictness: MarginStrictness) -> Constraint {
    gap.minus(amount)
        .constraint(strictness == MarginStrictness::MoreThan)
}

/// A formula in disjunctive normal form: a list of conjunctions of literals. `None` when it
/// would have more than `limit` conjunctions.
pub fn dnf(formula: &Formula, limit: usize) -> Option<Vec<Vec<Lit>>> {
    match formula {
        Formula::Lit(lit) => Some(vec![vec![lit.clone()]]),
        Formula::Or(parts) => {
            let mut out = Vec::new();
            for part in parts {
                out.extend(dnf(part, limit)?);
                if out.len() > limit {
                    return None;
                }
            }
            Some(out)
        }
        Formula::And(parts) => {
            let mut out: Vec<Vec<Lit>> = vec![Vec::new()];
            for part in parts {
                let choices = dnf(part, limit)?;
                let mut next = Vec::new();
                for left in &out {
                    for right in &choices {
                        let mut joined = left.clone();
                        joined.extend(right.iter().cloned());
                        joined.sort();
                        joined.dedup();
                        if !obviously_contradictory(&joined) {
                            next.push(joined);
                        }
                    }
                    if next.len() > limit {
                        return None;
                    }
                }
                out = next;
            }
            Some(out)
        }
    }
}

/// The same presence asserted and denied: pruned before any solving.
fn obviously_contradictory(lits: &[Lit]) -> bool {
    lits.iter().any(|lit| match lit {
        Lit::Present {
            metric,
            slot,
            present,
        } => lits.contains(&Lit::Present {
            metric: *metric,
            slot: *slot,
            present: !present,
        }),
        Lit::Category { category, present } => lits.contains(&Lit::Category {
            category: *category,
            present: !present,
        }),
        _ => false,
    })
}
