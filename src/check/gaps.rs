//! Gap analysis (A206): for each metric a statement's rules compare, and each thing they
//! compare it with (a stated threshold, the target, an average, the previous value), the
//! values that no rule scores.
//!
//! A test *scores* the values at which its rule can fire because of it: where the test holds,
//! or where it fails when it sits under `not` or in an `unless`. `has no effect` rules score
//! like any other, which is how a pack marks a band as deliberately neutral. This is the
//! per-field coverage of decision-table tools: a test inside an `and` covers its own range,
//! whatever the other parts say.
//!
//! Most comparisons are one-dimensional: a stated threshold reads the value itself, a margin
//! in points reads value minus reference, and a margin in per cent reads value over reference.
//! Those gaps are computed exactly as intervals. A pair that mixes points and per cent is
//! decided by the [`solver`] over value and reference together.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{Finding, Location};
use crate::lang::ast::{Category, Condition, Span, Test};
use crate::logic::counterexample::{CounterMetric, Counterexample};
use crate::logic::formula::Slot;
use crate::logic::lowering::{Lowering, MetricComparison};
use crate::logic::solver::{self, Constraint, Outcome, Problem};
use crate::pack::catalogue::{MetricId, Unit};
use crate::pack::{Pack, PackRule, StatementRules};
use crate::score::assessment::Truth;
use crate::score::eval::{StatementEvidence, amount, evaluate_rule, show};
use crate::source::codes;

/// Most combinations the solver path may try before the question counts as undecided.
const MAX_CASES: usize = 4_096;

pub fn analyse(pack: &Pack) -> Vec<Finding> {
    let lowering = Lowering { pack };
    let mut findings = Vec::new();
    for statement in &pack.statements {
        for ((metric, reference), uses) in uses_by_pair(statement, &lowering) {
            let pair = Pair {
                pack,
                metric,
                reference,
            };
            if let Some(finding) = pair.finding(&statement.statement, &uses) {
                findings.push(finding);
            }
        }
    }
    findings
}

/// One test of one rule, with the values it scores: a union of conjunctions of constraints
/// over the metric item's slots.
struct Use<'a> {
    rule: &'a PackRule,
    span: Span,
    region: Vec<Vec<Constraint>>,
}

type PairKey = (MetricId, Option<Slot>);

fn uses_by_pair<'a>(
    statement: &'a StatementRules,
    lowering: &Lowering,
) -> BTreeMap<PairKey, Vec<Use<'a>>> {
    let mut uses = BTreeMap::new();
    for rule in &statement.rules {
        collect(&rule.ast.condition, false, rule, lowering, &mut uses);
        if let Some(unless) = &rule.ast.unless {
            // The rule acts where its exception fails.
            collect(unless, true, rule, lowering, &mut uses);
        }
    }
    uses
}

fn collect<'a>(
    condition: &Condition,
    negated: bool,
    rule: &'a PackRule,
    lowering: &Lowering,
    uses: &mut BTreeMap<PairKey, Vec<Use<'a>>>,
) {
    match condition {
        Condition::And(parts, _) | Condition::Or(parts, _) => {
            for part in parts {
                collect(part, negated, rule, lowering, uses);
            }
        }
        Condition::Not(inner, _) => collect(inner, !negated, rule, lowering, uses),
        Condition::Test(Test::Metric(test)) => {
            let Some(MetricComparison {
                metric,
                reference,
                holds,
                ..
            }) = lowering.comparison(test)
            else {
                return;
            };
            let region = match negated {
                false => vec![holds],
                true => holds.iter().map(|c| vec![c.negated()]).collect(),
            };
            uses.entry((metric, reference)).or_default().push(Use {
                rule,
                span: test.span,
                region,
            });
        }
        Condition::Test(_) => {}
    }
}

/// One metric and what it is compared with, in one statement.
struct Pair<'a> {
    pack: &'a Pack,
    metric: MetricId,
    reference: Option<Slot>,
}

impl Pair<'_> {
    fn finding(&self, statement: &str, uses: &[Use]) -> Option<Finding> {
        // The solver's example, when the pair needs the solver.
        let mut solved = None;
        let mut axis = match self.axis(uses) {
            Some(axis) => axis,
            None => match self.solve(uses) {
                Outcome::Unsat => return None,
                // Described at one reference value: a typical one when it shows the gap,
                // else the solver's.
                Outcome::Sat(point) => {
                    let at = |var: usize| point.get(var).copied().unwrap_or_default();
                    solved = Some(self.item(at(0), Some(at(1))));
                    let typical = Axis::AtReference(self.typical());
                    match self.uncovered(typical, uses).is_empty() {
                        false => typical,
                        true => Axis::AtReference(at(1)),
                    }
                }
                Outcome::Undecided => {
                    let first = uses.first()?;
                    return Some(Finding::new(
                        codes::UNDECIDED,
                        format!(
                            "could not decide which values of {} {} the rules of `{statement}` leave unscored",
                            self.metric_name(),
                            self.against()
                        ),
                        Location::in_rule(first.rule, first.span),
                    ));
                }
            },
        };
        let mut gaps_found = self.uncovered(axis, uses);
        // The ratio leaves out a reference of zero: look there on its own.
        if axis == Axis::Ratio && gaps_found.is_empty() {
            axis = Axis::AtReference(Decimal::ZERO);
            gaps_found = self.uncovered(axis, uses);
        }
        let (example, mut gaps) = match (gaps_found.first(), solved) {
            (Some(first_gap), _) => (
                self.example(axis, first_gap.inner_point(&self.domain(axis))),
                gaps_found
                    .iter()
                    .map(|gap| self.describe(axis, gap))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            // The solver found a gap the description at one reference cannot show.
            (None, Some(example)) => (example, "some values (see the example)".to_string()),
            (None, None) => return None,
        };
        if let (Axis::AtReference(reference), false) = (axis, gaps_found.is_empty()) {
            gaps = format!(
                "with the {} at {}, {gaps}",
                self.reference.map_or("", slot_name),
                show(reference.normalize(), Some(self.unit()))
            );
        }
        let first = uses.first()?;
        let example = Counterexample {
            metrics: vec![example],
            findings: Vec::new(),
        };
        if !self.verify(&example, statement, uses) {
            let mut finding = Finding::new(
                codes::UNDECIDED,
                format!(
                    "could not confirm which values of {} {} the rules of `{statement}` leave unscored (the example {example} is scored; please report this)",
                    self.metric_name(),
                    self.against()
                ),
                Location::in_rule(first.rule, first.span),
            );
            finding.rules = rule_ids(uses);
            return Some(finding);
        }
        let mut finding = Finding::new(
            codes::GAP,
            format!(
                "no rule of `{statement}` scores {} {}: {gaps}",
                self.metric_name(),
                self.against()
            ),
            Location::in_rule(first.rule, first.span),
        );
        for other in uses.iter().skip(1) {
            finding = finding.also_at(Location::in_rule(other.rule, other.span));
        }
        finding.counterexample = Some(example);
        finding.rules = rule_ids(uses);
        Some(finding)
    }

    /// Whether the real evaluator agrees that no use scores the example: each of the
    /// pair's tests is known, and lets its rule act only on the other side.
    fn verify(&self, example: &Counterexample, statement: &str, uses: &[Use]) -> bool {
        let items = example.items(self.pack, statement);
        let view = StatementEvidence {
            items: items.iter().collect(),
        };
        let mut rules: Vec<&PackRule> = uses.iter().map(|u| u.rule).collect();
        rules.dedup_by(|a, b| a.id == b.id);
        // Looked up once per test: a pack of thousands of rules on one metric has
        // thousands of uses.
        let of_pair: std::collections::HashSet<(&str, Span)> =
            uses.iter().map(|u| (u.rule.id.as_str(), u.span)).collect();
        for rule in rules {
            let outcome = evaluate_rule(rule, &view, self.pack);
            // The evaluator traces every test, left to right, as `all_tests` lists them.
            for (test, trace) in rule.ast.all_tests().into_iter().zip(&outcome.conditions) {
                if !of_pair.contains(&(rule.id.as_str(), test.span())) {
                    continue;
                }
                let acts_when_false = trace.negated != trace.exception;
                let scored = match trace.holds {
                    Truth::True => !acts_when_false,
                    Truth::False => acts_when_false,
                    Truth::Unknown => return false,
                };
                if scored {
                    return false;
                }
            }
        }
        true
    }

    fn metric_name(&self) -> &str {
        &self.pack.catalogue.metric(self.metric).name
    }

    fn unit(&self) -> Unit {
        self.pack.catalogue.metric(self.metric).unit
    }

    /// The highest value evidence may give, if any (the loader's bound).
    fn upper(&self) -> Option<Decimal> {
        self.pack.catalogue.metric(self.metric).highest()
    }

    fn against(&self) -> String {
        match self.reference {
            None => "against stated thresholds".to_string(),
            Some(slot) => format!("against the {}", slot_name(slot)),
        }
    }

    /// The one-dimensional view every use fits, if there is one.
    fn axis(&self, uses: &[Use]) -> Option<Axis> {
        let constraints = || uses.iter().flat_map(|u| u.region.iter().flatten());
        let candidates = match self.reference {
            None => vec![Axis::Value],
            Some(_) => vec![Axis::Difference, Axis::Ratio],
        };
        candidates.into_iter().find(|axis| {
            constraints().all(|c| self.project(*axis, c).is_some_and(|p| p.bound().is_some()))
        })
    }

    /// A constraint as `a·t + c > 0` (or `>= 0`) on the axis's coordinate `t`.
    fn project(&self, axis: Axis, constraint: &Constraint) -> Option<Projected> {
        let coefficient = |slot: Option<Slot>| {
            slot.and_then(|s| constraint.terms.get(&s.index()).copied())
                .unwrap_or(Decimal::ZERO)
        };
        let on_value = coefficient(Some(Slot::Value));
        let on_reference = coefficient(self.reference);
        let (a, c) = match axis {
            Axis::Value => (on_value, constraint.constant),
            // a·v + b·r* + c
            Axis::AtReference(r) => (
                on_value,
                on_reference
                    .checked_mul(r)?
                    .checked_add(constraint.constant)?,
            ),
            // a·v - a·r + c = a·(v - r) + c
            Axis::Difference if on_value == -on_reference => (on_value, constraint.constant),
            // a·v + b·r > 0 with r > 0 is a·(v / r) + b > 0
            Axis::Ratio if constraint.constant.is_zero() => (on_value, on_reference),
            _ => return None,
        };
        Some(Projected {
            a,
            c,
            strict: constraint.strict,
        })
    }

    /// The values of the axis coordinate that evidence can give.
    fn domain(&self, axis: Axis) -> Interval {
        let upper = self.upper();
        match axis {
            Axis::Value | Axis::AtReference(_) => Interval {
                lo: Bound::Included(Decimal::ZERO),
                hi: upper.map_or(Bound::Unbounded, Bound::Included),
            },
            Axis::Difference => Interval {
                lo: upper.map_or(Bound::Unbounded, |u| Bound::Included(-u)),
                hi: upper.map_or(Bound::Unbounded, Bound::Included),
            },
            Axis::Ratio => Interval {
                lo: Bound::Included(Decimal::ZERO),
                hi: Bound::Unbounded,
            },
        }
    }

    /// The parts of the domain no use covers; whole-number metrics keep only parts that
    /// hold a whole number.
    fn uncovered(&self, axis: Axis, uses: &[Use]) -> Vec<Interval> {
        let mut gaps = vec![self.domain(axis)];
        for conjunction in uses.iter().flat_map(|u| &u.region) {
            let mut covered = Interval::ALL;
            for constraint in conjunction {
                if let Some(bound) = self.project(axis, constraint).and_then(|p| p.bound()) {
                    covered = covered.intersect(&bound);
                }
            }
            gaps = gaps.iter().flat_map(|gap| gap.minus(&covered)).collect();
        }
        // A ratio of whole numbers can be any decimal, so only the other axes filter.
        if self.unit() == Unit::Count && axis != Axis::Ratio {
            gaps.retain(Interval::holds_whole_number);
        }
        gaps
    }

    /// Whether some value and reference lie outside every use, decided exactly.
    fn solve(&self, uses: &[Use]) -> Outcome {
        // Variables: 0 the value, 1 the reference.
        let renumber = |c: &Constraint| {
            let terms = c.terms.iter().map(|(slot, coefficient)| {
                let var = usize::from(*slot != Slot::Value.index());
                (var, *coefficient)
            });
            Constraint::new(terms, c.constant, c.strict)
        };
        let mut base = Vec::new();
        for var in [0, 1] {
            base.push(Constraint::new([(var, Decimal::ONE)], Decimal::ZERO, false));
            if let Some(upper) = self.upper() {
                base.push(Constraint::new([(var, -Decimal::ONE)], upper, false));
            }
        }
        // Outside every conjunction: for each, one of its constraints fails.
        let mut cases: Vec<Vec<Constraint>> = vec![base];
        for conjunction in uses.iter().flat_map(|u| &u.region) {
            let mut next = Vec::new();
            for case in &cases {
                for constraint in conjunction {
                    let mut extended = case.clone();
                    extended.push(renumber(&constraint.negated()));
                    next.push(extended);
                }
            }
            if next.len() > MAX_CASES {
                return Outcome::Undecided;
            }
            cases = next;
        }
        let mut undecided = false;
        for constraints in cases {
            let problem = Problem {
                integer: vec![self.unit() == Unit::Count; 2],
                constraints,
            };
            match solver::solve(&problem) {
                Outcome::Sat(point) => return Outcome::Sat(point),
                Outcome::Undecided => undecided = true,
                Outcome::Unsat => {}
            }
        }
        match undecided {
            true => Outcome::Undecided,
            false => Outcome::Unsat,
        }
    }

    /// A reference value to show examples with: the middle of the range, or 100.
    fn typical(&self) -> Decimal {
        self.upper()
            .map_or(Decimal::ONE_HUNDRED, crate::source::number::half)
    }

    /// An evidence item whose value falls at `t` on the axis.
    fn example(&self, axis: Axis, t: Decimal) -> CounterMetric {
        let typical = self.typical();
        match axis {
            Axis::Value => self.item(t, None),
            Axis::AtReference(reference) => self.item(t, Some(reference)),
            Axis::Difference => {
                let mut reference = typical.max(-t);
                if let Some(upper) = self.upper() {
                    reference = reference.min(upper.saturating_sub(t));
                }
                self.item(reference.saturating_add(t), Some(reference))
            }
            Axis::Ratio => {
                // Whole-number metrics need a reference that makes the value whole too.
                let mut reference = match self.unit() {
                    Unit::Count => (0..t.normalize().scale())
                        .try_fold(typical, |r, _| r.checked_mul(Decimal::TEN))
                        .unwrap_or(typical),
                    _ => typical,
                };
                if let Some(upper) = self.upper().filter(|_| t > Decimal::ONE) {
                    reference = upper.checked_div(t).unwrap_or(reference);
                }
                self.item(reference.saturating_mul(t), Some(reference))
            }
        }
    }

    fn item(&self, value: Decimal, reference: Option<Decimal>) -> CounterMetric {
        let given = |slot: Slot| match self.reference == Some(slot) {
            true => reference.map(|r| r.normalize()),
            false => None,
        };
        CounterMetric {
            metric: self.metric_name().to_string(),
            category: Category::ALL[0],
            value: value.normalize(),
            target: given(Slot::Target),
            england_average: given(Slot::England),
            regional_average: given(Slot::Regional),
            comparator_average: given(Slot::Comparator),
            previous: given(Slot::Previous),
            margin: None,
        }
    }

    /// A gap in words, on the axis's own terms.
    fn describe(&self, axis: Axis, gap: &Interval) -> String {
        let domain = self.domain(axis);
        // A bound at the edge of what evidence can give says nothing: leave it out.
        let lo = if gap.lo == domain.lo {
            Bound::Unbounded
        } else {
            gap.lo
        };
        let hi = if gap.hi == domain.hi {
            Bound::Unbounded
        } else {
            gap.hi
        };
        let point = |t: Decimal| self.point(axis, t);
        match (lo, hi) {
            (Bound::Unbounded, Bound::Unbounded) => "every value".to_string(),
            (Bound::Included(a), Bound::Included(b)) if a == b => format!("exactly {}", point(a)),
            (lo, Bound::Unbounded) => self.upwards_from(axis, lo),
            (Bound::Unbounded, hi) => self.downwards_from(axis, hi),
            (lo, hi) => format!("from {} to {}", end(lo, &point), end(hi, &point)),
        }
    }

    /// `t` on the axis: a value, or a value relative to the reference.
    fn point(&self, axis: Axis, t: Decimal) -> String {
        let reference = self.reference.map_or("", slot_name);
        let offset = match axis {
            Axis::Value | Axis::AtReference(_) => return show(t.normalize(), Some(self.unit())),
            Axis::Difference => amount(t.abs(), Some(self.unit())),
            Axis::Ratio => format!(
                "{}%",
                (t.saturating_sub(Decimal::ONE)
                    .saturating_mul(Decimal::ONE_HUNDRED))
                .abs()
                .normalize()
            ),
        };
        match self.side(axis, t) {
            Side::At => format!("the {reference}"),
            Side::Below => format!("{offset} below the {reference}"),
            Side::Above => format!("{offset} above the {reference}"),
        }
    }

    /// Values from `lo` upwards.
    fn upwards_from(&self, axis: Axis, lo: Bound) -> String {
        self.half_line(axis, lo, Side::Above)
    }

    /// Values from `hi` downwards.
    fn downwards_from(&self, axis: Axis, hi: Bound) -> String {
        self.half_line(axis, hi, Side::Below)
    }

    /// The values beyond `edge` on one side (`towards` is `Above` or `Below`). On a relative
    /// axis the edge is itself a place relative to the reference, so the words say which.
    fn half_line(&self, axis: Axis, edge: Bound, towards: Side) -> String {
        let (t, included) = match edge {
            Bound::Included(t) => (t, true),
            Bound::Excluded(t) => (t, false),
            Bound::Unbounded => return "every value".to_string(),
        };
        let point = self.point(axis, t);
        let (up, down) = match included {
            true => ("at or above", "at or below"),
            false => ("above", "below"),
        };
        let side = self.side(axis, t);
        if axis.is_absolute() || side == Side::At {
            let word = if towards == Side::Above { up } else { down };
            return format!("{word} {point}");
        }
        let (at_most, at_least) = match included {
            true => ("no more than", "at least"),
            false => ("less than", "more than"),
        };
        if side == towards {
            // Further from the reference: `more than 5 points below the target`.
            format!("{at_least} {point}")
        } else {
            // Across the reference: `less than 5 points below the target, or above it`.
            let beyond = if towards == Side::Above {
                "above"
            } else {
                "below"
            };
            format!("{at_most} {point}, or {beyond} it")
        }
    }

    fn side(&self, axis: Axis, t: Decimal) -> Side {
        let centre = match axis {
            Axis::Ratio => Decimal::ONE,
            _ => Decimal::ZERO,
        };
        match t.cmp(&centre) {
            std::cmp::Ordering::Less => Side::Below,
            std::cmp::Ordering::Equal => Side::At,
            std::cmp::Ordering::Greater => Side::Above,
        }
    }
}

fn rule_ids(uses: &[Use]) -> Vec<String> {
    let mut ids: Vec<String> = uses.iter().map(|u| u.rule.id.clone()).collect();
    ids.dedup();
    ids
}

fn end(bound: Bound, point: &dyn Fn(Decimal) -> String) -> String {
    match bound {
        Bound::Included(t) => format!("{} (included)", point(t)),
        Bound::Excluded(t) => format!("{} (excluded)", point(t)),
        Bound::Unbounded => "any value".to_string(),
    }
}

fn slot_name(slot: Slot) -> &'static str {
    match slot {
        Slot::Value => "value",
        Slot::Target => "target",
        Slot::England => "England average",
        Slot::Regional => "regional average",
        Slot::Comparator => "comparator average",
        Slot::Previous => "previous value",
        Slot::Margin => "margin of error",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Axis {
    /// The value itself, against stated thresholds.
    Value,
    /// Value minus reference.
    Difference,
    /// Value over reference, for references above zero.
    Ratio,
    /// The value itself, with the reference fixed at a value: how a pair that mixes points
    /// and per cent is described.
    AtReference(Decimal),
}

impl Axis {
    /// Whether points on the axis are values, not places relative to the reference.
    fn is_absolute(self) -> bool {
        matches!(self, Axis::Value | Axis::AtReference(_))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Below,
    At,
    Above,
}

/// `a·t + c > 0`, or `>= 0` when not strict.
struct Projected {
    a: Decimal,
    c: Decimal,
    strict: bool,
}

impl Projected {
    /// The values of `t` it allows, as an interval; `None` when the bound `-c / a` is not
    /// exact in decimal (the solver path takes over then).
    fn bound(&self) -> Option<Interval> {
        if self.a.is_zero() {
            let holds = self.c > Decimal::ZERO || (self.c.is_zero() && !self.strict);
            return Some(if holds {
                Interval::ALL
            } else {
                Interval::EMPTY
            });
        }
        let at = (-self.c).checked_div(self.a)?;
        if at.checked_mul(self.a)? != -self.c {
            return None;
        }
        let edge = if self.strict {
            Bound::Excluded(at)
        } else {
            Bound::Included(at)
        };
        Some(if self.a > Decimal::ZERO {
            Interval {
                lo: edge,
                hi: Bound::Unbounded,
            }
        } else {
            Interval {
                lo: Bound::Unbounded,
                hi: edge,
            }
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Unbounded,
    Included(Decimal),
    Excluded(Decimal),
}

/// An interval of the axis: `lo` is a lower bound, `hi` an upper one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Interval {
    lo: Bound,
    hi: Bound,
}

impl Interval {
    const ALL: Interval = Interval {
        lo: Bound::Unbounded,
        hi: Bound::Unbounded,
    };
    const EMPTY: Interval = Interval {
        lo: Bound::Excluded(Decimal::ZERO),
        hi: Bound::Excluded(Decimal::ZERO),
    };

    fn is_empty(&self) -> bool {
        match (self.lo, self.hi) {
            (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
            (Bound::Included(a), Bound::Included(b)) => a > b,
            (Bound::Included(a) | Bound::Excluded(a), Bound::Included(b) | Bound::Excluded(b)) => {
                a >= b
            }
        }
    }

    fn intersect(&self, other: &Interval) -> Interval {
        Interval {
            lo: tighter(self.lo, other.lo, std::cmp::Ordering::Greater),
            hi: tighter(self.hi, other.hi, std::cmp::Ordering::Less),
        }
    }

    /// This interval without `other`: up to two pieces.
    fn minus(&self, other: &Interval) -> Vec<Interval> {
        if other.is_empty() {
            return vec![*self];
        }
        let mut pieces = Vec::new();
        if let Some(hi) = complement(other.lo) {
            pieces.push(self.intersect(&Interval {
                lo: Bound::Unbounded,
                hi,
            }));
        }
        if let Some(lo) = complement(other.hi) {
            pieces.push(self.intersect(&Interval {
                lo,
                hi: Bound::Unbounded,
            }));
        }
        pieces.retain(|piece| !piece.is_empty());
        pieces
    }

    fn holds_whole_number(&self) -> bool {
        let first = match self.lo {
            Bound::Unbounded => return true,
            Bound::Included(a) => a.ceil(),
            Bound::Excluded(a) => a.floor().saturating_add(Decimal::ONE),
        };
        match self.hi {
            Bound::Unbounded => true,
            Bound::Included(b) => first <= b,
            Bound::Excluded(b) => first < b,
        }
    }

    /// A point inside, away from the edges of `domain` where it can be: a closed end if
    /// there is one, else the middle or a step in.
    fn inner_point(&self, domain: &Interval) -> Decimal {
        let trimmed = Interval {
            lo: if self.lo == domain.lo {
                Bound::Unbounded
            } else {
                self.lo
            },
            hi: if self.hi == domain.hi {
                Bound::Unbounded
            } else {
                self.hi
            },
        };
        let point = trimmed.any_point();
        match (self.contains(point), self.lo, self.hi) {
            (true, _, _) => point,
            (
                false,
                Bound::Included(a) | Bound::Excluded(a),
                Bound::Included(b) | Bound::Excluded(b),
            ) => crate::source::number::midpoint(a, b),
            (false, _, _) => self.any_point(),
        }
    }

    fn contains(&self, t: Decimal) -> bool {
        let above_lo = match self.lo {
            Bound::Unbounded => true,
            Bound::Included(a) => t >= a,
            Bound::Excluded(a) => t > a,
        };
        let below_hi = match self.hi {
            Bound::Unbounded => true,
            Bound::Included(b) => t <= b,
            Bound::Excluded(b) => t < b,
        };
        above_lo && below_hi
    }

    fn any_point(&self) -> Decimal {
        match (self.lo, self.hi) {
            (Bound::Included(a), _) => a,
            (_, Bound::Included(b)) => b,
            (Bound::Excluded(a), Bound::Excluded(b)) => crate::source::number::midpoint(a, b),
            (Bound::Excluded(a), Bound::Unbounded) => a.saturating_add(Decimal::ONE),
            (Bound::Unbounded, Bound::Excluded(b)) => b.saturating_sub(Decimal::ONE),
            (Bound::Unbounded, Bound::Unbounded) => Decimal::ZERO,
        }
    }
}

/// The complement of a bound: below a lower bound, or above an upper one. `None` when it
/// is unbounded (nothing lies beyond it).
fn complement(bound: Bound) -> Option<Bound> {
    match bound {
        Bound::Unbounded => None,
        Bound::Included(a) => Some(Bound::Excluded(a)),
        Bound::Excluded(a) => Some(Bound::Included(a)),
    }
}

/// Of two lower bounds (`prefer` Greater) or two upper bounds (`prefer` Less), the tighter.
fn tighter(a: Bound, b: Bound, prefer: std::cmp::Ordering) -> Bound {
    let value = |bound: Bound| match bound {
        Bound::Included(v) | Bound::Excluded(v) => Some(v),
        Bound::Unbounded => None,
    };
    match (value(a), value(b)) {
        (None, _) => b,
        (_, None) => a,
        (Some(x), Some(y)) if x == y => match a {
            Bound::Excluded(_) => a,
            _ => b,
        },
        (Some(x), Some(y)) => {
            if x.cmp(&y) == prefer {
                a
            } else {
                b
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(bound: Bound) -> Interval {
        Interval {
            lo: bound,
            hi: Bound::Unbounded,
        }
    }

    fn upper(bound: Bound) -> Interval {
        Interval {
            lo: Bound::Unbounded,
            hi: bound,
        }
    }

    #[test]
    fn minus_splits_and_keeps_open_ends() {
        let d = |n: i64| Decimal::from(n);
        let domain = Interval {
            lo: Bound::Included(d(0)),
            hi: Bound::Included(d(100)),
        };
        let middle = Interval {
            lo: Bound::Excluded(d(28)),
            hi: Bound::Included(d(90)),
        };
        assert_eq!(
            domain.minus(&middle),
            vec![
                Interval {
                    lo: Bound::Included(d(0)),
                    hi: Bound::Included(d(28)),
                },
                Interval {
                    lo: Bound::Excluded(d(90)),
                    hi: Bound::Included(d(100)),
                },
            ]
        );
        assert!(domain.minus(&lower(Bound::Included(d(0)))).is_empty());
        assert_eq!(
            domain.minus(&upper(Bound::Excluded(d(50)))),
            vec![Interval {
                lo: Bound::Included(d(50)),
                hi: Bound::Included(d(100)),
            }]
        );
    }

    #[test]
    fn a_single_missing_point_is_a_gap() {
        let d = |n: i64| Decimal::from(n);
        let all = Interval::ALL;
        let rest = all.minus(&upper(Bound::Excluded(d(5))));
        let rest: Vec<Interval> = rest
            .iter()
            .flat_map(|r| r.minus(&lower(Bound::Excluded(d(5)))))
            .collect();
        assert_eq!(
            rest,
            vec![Interval {
                lo: Bound::Included(d(5)),
                hi: Bound::Included(d(5)),
            }]
        );
    }

    #[test]
    fn whole_numbers() {
        let d = |n: i64| Decimal::from(n);
        let open = Interval {
            lo: Bound::Excluded(d(2)),
            hi: Bound::Excluded(d(3)),
        };
        assert!(!open.holds_whole_number());
        let closed = Interval {
            lo: Bound::Excluded(d(2)),
            hi: Bound::Included(d(3)),
        };
        assert!(closed.holds_whole_number());
    }
}
