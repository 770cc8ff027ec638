//! Rule conditions lowered to formulas (src/logic/formula.rs) against one pack's catalogue
//! and tolerance: every comparison copied from the evaluator, the same gaps, margins,
//! tolerances and strictness.

use rust_decimal::Decimal;

use super::counts;
use super::formula::{Formula, Lit, Parts, Reading, Scope, Selector, Slot};
use super::solver::Constraint;
use crate::lang::ast::{
    Category, Comparison, Condition, Direction, MarginStrictness, MarginUnit, MetricTest,
    ReferenceKind, Sentiment, Test, ThresholdOp,
};
use crate::pack::catalogue::{MetricId, Polarity, Tolerance};
use crate::pack::{Pack, PackRule};

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
    /// The rule does not fire on the whole statement's evidence.
    pub fn does_not_fire(&self, rule: &PackRule) -> Formula {
        self.does_not_fire_as(rule, &Reading::WHOLE)
    }

    /// The condition alone is true.
    pub fn condition_true(&self, rule: &PackRule) -> Formula {
        self.condition_true_as(rule, &Reading::WHOLE)
    }

    /// The rule fires: its condition is true and its exception is not.
    pub fn fires_as(&self, rule: &PackRule, reading: &Reading) -> Formula {
        let mut parts = vec![self.condition(&rule.ast.condition, Mode::True, reading)];
        if let Some(unless) = &rule.ast.unless {
            parts.push(self.condition(unless, Mode::NotTrue, reading));
        }
        Formula::And(parts)
    }

    pub fn does_not_fire_as(&self, rule: &PackRule, reading: &Reading) -> Formula {
        let mut parts = vec![self.condition(&rule.ast.condition, Mode::NotTrue, reading)];
        if let Some(unless) = &rule.ast.unless {
            parts.push(self.condition(unless, Mode::True, reading));
        }
        Formula::Or(parts)
    }

    pub fn condition_true_as(&self, rule: &PackRule, reading: &Reading) -> Formula {
        self.condition(&rule.ast.condition, Mode::True, reading)
    }

    /// The profile has evidence in the category (in the world read).
    pub fn category(&self, category: Category, present: bool, reading: &Reading) -> Formula {
        if reading.world.adds_to() == Some(category) {
            return if present {
                Formula::always()
            } else {
                Formula::never()
            };
        }
        Formula::lit(Lit::Category { category, present })
    }

    /// The profile holds only the category's items, and some: one category's view.
    pub fn only(&self, category: Category) -> Formula {
        Formula::And(
            Category::ALL
                .into_iter()
                .map(|c| {
                    Formula::lit(Lit::Category {
                        category: c,
                        present: c == category,
                    })
                })
                .collect(),
        )
    }

    /// Some metric item of the category is judged `tone` (positive, negative, in line).
    pub fn judged_item(&self, category: Category, tone: Option<Sentiment>) -> Formula {
        counts::count_lit(
            vec![(Selector::metric_items(category, tone), 1)],
            -1,
            false,
            &Reading::WHOLE,
        )
    }

    fn condition(&self, condition: &Condition, mode: Mode, reading: &Reading) -> Formula {
        match condition {
            Condition::And(parts, _) | Condition::Or(parts, _) => {
                let is_and = matches!(condition, Condition::And(..));
                let lowered = parts
                    .iter()
                    .map(|p| self.condition(p, mode, reading))
                    .collect();
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
                self.condition(inner, flipped, reading)
            }
            Condition::Test(test) => self.test(test, mode, reading),
        }
    }

    fn test(&self, test: &Test, mode: Mode, reading: &Reading) -> Formula {
        let Parts {
            known,
            unknown,
            holds,
            fails,
        } = self.parts(test, reading);
        match mode {
            Mode::True => Formula::And(vec![known, holds]),
            Mode::False => Formula::And(vec![known, fails]),
            Mode::NotTrue => Formula::Or(vec![unknown, Formula::And(vec![known, fails])]),
            Mode::NotFalse => Formula::Or(vec![unknown, Formula::And(vec![known, holds])]),
        }
    }

    fn parts(&self, test: &Test, reading: &Reading) -> Parts {
        let always = Formula::always;
        let never = Formula::never;
        let constant = |holds: bool| Parts {
            known: always(),
            unknown: never(),
            holds: if holds { always() } else { never() },
            fails: if holds { never() } else { always() },
        };
        if reading.flipped == Some(test.span()) && is_absence(test) {
            // As if the missing evidence were given: the absence test fails.
            return constant(false);
        }
        match test {
            Test::NoEvidenceFrom { category, .. } => match reading.scope {
                Scope::View(view) => constant(*category != view),
                Scope::Whole => Parts {
                    known: always(),
                    unknown: never(),
                    holds: self.category(*category, false, reading),
                    fails: self.category(*category, true, reading),
                },
            },
            Test::NoEvidenceOf { metric, .. } => match self.pack.catalogue.lookup(&metric.name) {
                Some(id) => Parts {
                    known: always(),
                    unknown: never(),
                    holds: present(id, Slot::Value, false),
                    fails: present(id, Slot::Value, true),
                },
                None => Parts {
                    known: never(),
                    unknown: always(),
                    holds: always(),
                    fails: always(),
                },
            },
            Test::Findings(finding_test) => counts::finding_parts(finding_test, reading),
            Test::Metric(metric_test) => self.metric_parts(metric_test),
        }
    }

    fn metric_parts(&self, test: &MetricTest) -> Parts {
        let always = Formula::always;
        let never = Formula::never;
        let Some(id) = self.pack.catalogue.lookup(&test.metric.name) else {
            // The loader refuses unknown metrics; the evaluator calls them unknown.
            return Parts {
                known: never(),
                unknown: always(),
                holds: always(),
                fails: always(),
            };
        };
        let Some(comparison) = self.comparison(test) else {
            return Parts {
                known: always(),
                unknown: never(),
                holds: present(id, Slot::Value, false),
                fails: present(id, Slot::Value, true),
            };
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
        let all = |constraints: &[Constraint]| {
            Formula::And(constraints.iter().cloned().map(linear).collect())
        };
        let any_fails = |constraints: &[Constraint]| {
            Formula::Or(constraints.iter().map(|c| linear(c.negated())).collect())
        };
        let (holds, fails) = match &comparison.with_margin {
            None => (all(&comparison.holds), any_fails(&comparison.holds)),
            // The band is the item's margin of error where it gives one, else the tolerance.
            Some(with_margin) => {
                let without = present(id, Slot::Margin, false);
                let with = present(id, Slot::Margin, true);
                (
                    Formula::Or(vec![
                        Formula::And(vec![without.clone(), all(&comparison.holds)]),
                        Formula::And(vec![with.clone(), all(with_margin)]),
                    ]),
                    Formula::Or(vec![
                        Formula::And(vec![without, any_fails(&comparison.holds)]),
                        Formula::And(vec![with, any_fails(with_margin)]),
                    ]),
                )
            }
        };
        Parts {
            known: Formula::And(known),
            unknown: Formula::Or(unknown),
            holds,
            fails,
        }
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
        let tolerance = band(metric.tolerance.unwrap_or(self.pack.tolerance), &reference);
        let holds = |band: &Linear| -> Option<Vec<Constraint>> {
            Some(match &test.comparison {
                Comparison::Threshold { op, margin, .. } => {
                    let below_by = reference.minus(&value);
                    let gap = match op {
                        ThresholdOp::Below | ThresholdOp::AtOrBelow => below_by,
                        ThresholdOp::Above | ThresholdOp::AtOrAbove => {
                            below_by.scaled(-Decimal::ONE)
                        }
                    };
                    let inclusive = matches!(op, ThresholdOp::AtOrBelow | ThresholdOp::AtOrAbove);
                    vec![match margin {
                        Some(m) => {
                            exceeds(&gap, &amount(m.amount, m.unit, &reference), m.strictness)
                        }
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
                        Some(m) => {
                            exceeds(&gap, &amount(m.amount, m.unit, &reference), m.strictness)
                        }
                        None => gap.minus(band).constraint(true),
                    }]
                }
                Comparison::InLineWith { .. } => {
                    let difference = value.minus(&reference);
                    vec![
                        band.minus(&difference).constraint(false),
                        band.plus(&difference).constraint(false),
                    ]
                }
                Comparison::Trend { direction, margin } => {
                    let improved_by =
                        worse_by(metric.better, &value, &reference).scaled(-Decimal::ONE);
                    let gap = match direction {
                        Direction::Better => improved_by,
                        Direction::Worse => improved_by.scaled(-Decimal::ONE),
                    };
                    vec![match margin {
                        Some(m) => {
                            exceeds(&gap, &amount(m.amount, m.unit, &reference), m.strictness)
                        }
                        None => gap.constraint(true),
                    }]
                }
                Comparison::Missing => return None,
            })
        };
        // Only `in line with` and `better`/`worse than` without a stated margin read the band.
        let reads_band = matches!(
            test.comparison,
            Comparison::InLineWith { .. } | Comparison::Relative { margin: None, .. }
        );
        Some(MetricComparison {
            metric: id,
            reference: slot,
            holds: holds(&tolerance)?,
            with_margin: match reads_band {
                true => Some(holds(&Linear::var(Slot::Margin))?),
                false => None,
            },
        })
    }
}

/// A metric test as arithmetic: the metric, the slot it compares with (`None` for a stated
/// threshold), and the constraints over the item's slots that hold exactly when it does.
#[derive(Clone, Debug)]
pub struct MetricComparison {
    pub metric: MetricId,
    pub reference: Option<Slot>,
    /// When the item gives no margin of error (the band is the tolerance).
    pub holds: Vec<Constraint>,
    /// When it does, for a comparison that reads the band (`None` for one that does not).
    pub with_margin: Option<Vec<Constraint>>,
}

impl MetricComparison {
    /// The constraints for an item that gives a margin of error (`margin`) or not.
    pub fn for_item(&self, margin: bool) -> &[Constraint] {
        match (&self.with_margin, margin) {
            (Some(with_margin), true) => with_margin,
            _ => &self.holds,
        }
    }
}

fn present(metric: MetricId, slot: Slot, present: bool) -> Formula {
    Formula::lit(Lit::Present {
        metric,
        slot,
        present,
    })
}

/// `no evidence from`, `no evidence of` and `is missing`: tests that hold when evidence is
/// absent.
pub fn is_absence(test: &Test) -> bool {
    matches!(
        test,
        Test::NoEvidenceFrom { .. }
            | Test::NoEvidenceOf { .. }
            | Test::Metric(MetricTest {
                comparison: Comparison::Missing,
                ..
            })
    )
}

impl Lowering<'_> {
    /// When a metric item counts as evidence of a tone (src/score/eval.rs `judged`): its value
    /// against `reference` (the target, or the England average where there is no target)
    /// beyond the tolerance the worse way (negative) or the better way (positive), or
    /// within it (in line, `None`). With `margin`, the item gives a margin of error, which
    /// is the band. Constraints over the item's slots, all to hold.
    pub fn judgement(
        &self,
        metric: MetricId,
        reference: Slot,
        tone: Option<Sentiment>,
        margin: bool,
    ) -> Vec<Constraint> {
        let entry = self.pack.catalogue.metric(metric);
        let tolerance = entry.tolerance.unwrap_or(self.pack.tolerance);
        let reference = Linear::var(reference);
        let value = Linear::var(Slot::Value);
        let band = match margin {
            true => Linear::var(Slot::Margin),
            false => band(tolerance, &reference),
        };
        let worse = worse_by(entry.better, &value, &reference);
        match tone {
            Some(Sentiment::Negative) => vec![worse.minus(&band).constraint(true)],
            Some(Sentiment::Positive) => {
                vec![worse.scaled(-Decimal::ONE).minus(&band).constraint(true)]
            }
            // Mixed is never a metric's; in line: |worse| <= band.
            Some(Sentiment::Mixed) => vec![Constraint::new([], -Decimal::ONE, false)],
            None => vec![
                band.minus(&worse).constraint(false),
                band.plus(&worse).constraint(false),
            ],
        }
    }
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
