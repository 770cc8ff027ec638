//! Values a metric could have, one for each way its rules' comparisons could come out.
//!
//! For a metric the file lacks (or a reference of one it gives), every comparison the
//! statement's rules make of it is true or false once it is given; each combination the
//! arithmetic allows is solved exactly for a witness (src/logic/solver.rs). Scored, the
//! witnesses give exactly the scores the metric could lead to, all else as it is.

use rust_decimal::Decimal;

use crate::lang::ast::{Comparison, Test};
use crate::logic::formula::{SLOTS, Slot};
use crate::logic::lowering::{Lowering, MetricComparison};
use crate::logic::solver::{self, Constraint, Outcome, Problem};
use crate::pack::catalogue::{MetricId, Unit};
use crate::pack::{Pack, StatementRules};

/// Most comparisons of one metric whose outcomes are combined (2^n combinations).
const MOST_TESTS: usize = 10;

/// A comparison of a metric, with the rule that makes it.
pub(super) struct Read<'a> {
    pub rule: &'a str,
    pub comparison: MetricComparison,
}

/// Every metric the rules compare, with the comparisons, in the order rules name them.
pub(super) fn metric_tests<'a>(
    pack: &Pack,
    rules: &'a StatementRules,
) -> Vec<(MetricId, Vec<Read<'a>>)> {
    let lowering = Lowering { pack };
    let mut by_metric: Vec<(MetricId, Vec<Read<'a>>)> = Vec::new();
    for rule in &rules.rules {
        for test in rule.ast.all_tests() {
            let Test::Metric(metric_test) = test else {
                continue;
            };
            if matches!(metric_test.comparison, Comparison::Missing) {
                continue;
            }
            let Some(comparison) = lowering.comparison(metric_test) else {
                continue;
            };
            let read = Read {
                rule: &rule.id,
                comparison,
            };
            match by_metric
                .iter_mut()
                .find(|(id, _)| *id == read.comparison.metric)
            {
                Some((_, reads)) => reads.push(read),
                None => by_metric.push((read.comparison.metric, vec![read])),
            }
        }
    }
    by_metric
}

/// A witness: the value and each reference, by [`Slot`] (absent where unused).
pub(super) type Witness = [Option<Decimal>; SLOTS];

/// One witness for each combination of the comparisons' outcomes that the arithmetic
/// allows, with the `fixed` slots held at their values.
pub(super) fn witnesses(
    pack: &Pack,
    metric: MetricId,
    reads: &[&Read],
    fixed: &[(Slot, Decimal)],
) -> Vec<Witness> {
    let entry = pack.catalogue.metric(metric);
    let mut comparisons: Vec<&MetricComparison> = Vec::new();
    for read in reads {
        if !comparisons
            .iter()
            .any(|c| c.holds == read.comparison.holds && c.reference == read.comparison.reference)
        {
            comparisons.push(&read.comparison);
        }
    }
    // Past the limit only some combinations are tried, so the range found can only be
    // narrower than the true one, never wider.
    comparisons.truncate(MOST_TESTS);
    let mut used: Vec<Slot> = vec![Slot::Value];
    used.extend(comparisons.iter().filter_map(|c| c.reference));
    used.extend(fixed.iter().map(|(slot, _)| *slot));
    used.sort();
    used.dedup();
    let mut base: Vec<Constraint> = Vec::new();
    for slot in &used {
        base.extend(domain(*slot, entry.highest()));
    }
    for (slot, value) in fixed {
        let x = slot.index();
        base.push(Constraint::new([(x, Decimal::ONE)], -*value, false));
        base.push(Constraint::new([(x, -Decimal::ONE)], *value, false));
    }
    // An item with a margin of error is compared within it, not the tolerance.
    let margin = fixed.iter().any(|(slot, _)| *slot == Slot::Margin);
    let integer: Vec<bool> = Slot::ALL
        .iter()
        .map(|slot| *slot == Slot::Value && entry.unit == Unit::Count)
        .collect();
    let mut found: Vec<Witness> = Vec::new();
    for pattern in 0..(1u32 << comparisons.len()) {
        for constraints in alternatives(&comparisons, pattern, margin) {
            let mut all = base.clone();
            all.extend(constraints);
            let problem = Problem {
                integer: integer.clone(),
                constraints: all,
            };
            let Outcome::Sat(point) = solver::solve(&problem) else {
                continue;
            };
            let mut witness: Witness = [None; SLOTS];
            for slot in &used {
                witness[slot.index()] = point.get(slot.index()).map(|d| d.normalize());
            }
            found.push(witness);
            break;
        }
    }
    found
}

/// The constraint sets under which exactly the tests in `pattern` (bit i for test i) hold:
/// a test holds when all its constraints do, and fails when any one fails, so a failing
/// test with two constraints gives two alternatives.
fn alternatives(
    comparisons: &[&MetricComparison],
    pattern: u32,
    margin: bool,
) -> Vec<Vec<Constraint>> {
    let mut sets: Vec<Vec<Constraint>> = vec![Vec::new()];
    for (i, comparison) in comparisons.iter().enumerate() {
        if pattern & (1 << i) != 0 {
            for set in &mut sets {
                set.extend(comparison.for_item(margin).iter().cloned());
            }
        } else {
            sets = sets
                .into_iter()
                .flat_map(|set| {
                    comparison.for_item(margin).iter().map(move |c| {
                        let mut next = set.clone();
                        next.push(c.negated());
                        next
                    })
                })
                .collect();
        }
    }
    sets
}

/// A slot's value is never negative; a percentage is at most 100, a score at most its
/// scale's top.
fn domain(slot: Slot, highest: Option<Decimal>) -> Vec<Constraint> {
    let x = slot.index();
    let mut constraints = vec![Constraint::new([(x, Decimal::ONE)], Decimal::ZERO, false)];
    if let Some(top) = highest {
        constraints.push(Constraint::new([(x, -Decimal::ONE)], top, false));
    }
    constraints
}
