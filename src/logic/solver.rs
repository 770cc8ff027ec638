//! Exact satisfiability of a conjunction of linear constraints over rust_decimal, with
//! strict and non-strict inequalities and optional integer variables.
//!
//! Fourier–Motzkin elimination decides the rational problem exactly (it only multiplies and
//! adds, so no rounding); back-substitution then builds a witness, and branch and bound
//! makes integer variables integral. Anything past the size limits, an arithmetic overflow,
//! or a witness that fails the exact re-check comes back as [`Outcome::Undecided`], never
//! as unsatisfiable.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

/// Most constraints kept after one elimination step.
const MAX_CONSTRAINTS: usize = 4000;
/// Most branch-and-bound nodes for one problem.
const MAX_NODES: usize = 200;

/// `Σ coefficient·x + constant > 0` when strict, `>= 0` otherwise.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Constraint {
    pub terms: BTreeMap<usize, Decimal>,
    pub constant: Decimal,
    pub strict: bool,
}

impl Constraint {
    pub fn new(
        terms: impl IntoIterator<Item = (usize, Decimal)>,
        constant: Decimal,
        strict: bool,
    ) -> Constraint {
        let mut merged: BTreeMap<usize, Decimal> = BTreeMap::new();
        for (var, coefficient) in terms {
            let entry = merged.entry(var).or_default();
            // Coefficients are below 10^10 (see check::formula), far from saturating.
            *entry = entry.saturating_add(coefficient);
        }
        merged.retain(|_, c| !c.is_zero());
        let terms = merged
            .into_iter()
            .map(|(v, c)| (v, c.normalize()))
            .collect();
        Constraint {
            terms,
            constant: constant.normalize(),
            strict,
        }
    }

    /// The complement: not (e > 0) is -e >= 0; not (e >= 0) is -e > 0.
    pub fn negated(&self) -> Constraint {
        Constraint {
            terms: self.terms.iter().map(|(v, c)| (*v, -*c)).collect(),
            constant: -self.constant,
            strict: !self.strict,
        }
    }

    /// Whether the constraint holds at a point; `None` on overflow.
    pub fn holds(&self, point: &[Decimal]) -> Option<bool> {
        let mut sum = self.constant;
        for (var, coefficient) in &self.terms {
            let value = point.get(*var).copied().unwrap_or_default();
            sum = sum.checked_add(coefficient.checked_mul(value)?)?;
        }
        Some(if self.strict {
            sum > Decimal::ZERO
        } else {
            sum >= Decimal::ZERO
        })
    }
}

/// Variables `0..integer.len()` and constraints over them.
#[derive(Clone, Debug, Default)]
pub struct Problem {
    pub integer: Vec<bool>,
    pub constraints: Vec<Constraint>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Sat(Vec<Decimal>),
    Unsat,
    Undecided,
}

pub fn solve(problem: &Problem) -> Outcome {
    let mut nodes = 0;
    branch(problem, &mut nodes)
}

fn branch(problem: &Problem, nodes: &mut usize) -> Outcome {
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Outcome::Undecided;
    }
    let stages = match eliminate_all(problem) {
        Elimination::Stages(stages) => stages,
        Elimination::Unsat => return Outcome::Unsat,
        Elimination::Undecided => return Outcome::Undecided,
    };
    let count = problem.integer.len();
    let mut point: Vec<Decimal> = vec![Decimal::ZERO; count];
    // Back-substitution: the last variable eliminated first, each within the bounds the
    // constraints over it and the variables already fixed leave.
    for (var, constraints) in stages.iter().rev() {
        let var = *var;
        let Some(interval) = interval(constraints, var, &point) else {
            return Outcome::Undecided;
        };
        let integer = problem.integer.get(var).copied().unwrap_or(false);
        match pick(&interval, integer) {
            Some(value) if satisfied(constraints, var, &point, value) == Some(true) => {
                point[var] = value;
            }
            Some(_) => return Outcome::Undecided,
            None if integer => {
                // No integer here: split on the rational point and try both halves.
                let Some(middle) = pick(&interval, false) else {
                    return Outcome::Undecided;
                };
                let floor = middle.floor();
                let mut results = Vec::new();
                for constraint in [
                    Constraint::new([(var, -Decimal::ONE)], floor, false),
                    Constraint::new(
                        [(var, Decimal::ONE)],
                        -(floor.saturating_add(Decimal::ONE)),
                        false,
                    ),
                ] {
                    let mut child = problem.clone();
                    child.constraints.push(constraint);
                    match branch(&child, nodes) {
                        Outcome::Sat(point) => return Outcome::Sat(point),
                        other => results.push(other),
                    }
                }
                return if results.iter().all(|r| *r == Outcome::Unsat) {
                    Outcome::Unsat
                } else {
                    Outcome::Undecided
                };
            }
            None => return Outcome::Undecided,
        }
    }
    // The exact re-check of the whole problem: a witness is only ever returned verified.
    let all_hold = problem
        .constraints
        .iter()
        .all(|c| c.holds(&point) == Some(true));
    if all_hold {
        Outcome::Sat(point)
    } else {
        Outcome::Undecided
    }
}

enum Elimination {
    /// In order of elimination: each variable with the constraints there were over it and
    /// the variables eliminated after it.
    Stages(Vec<(usize, Vec<Constraint>)>),
    Unsat,
    Undecided,
}

fn eliminate_all(problem: &Problem) -> Elimination {
    let count = problem.integer.len();
    let mut stages = Vec::with_capacity(count);
    let Some(mut current) = simplify(problem.constraints.clone()) else {
        return Elimination::Undecided;
    };
    let mut left: Vec<usize> = (0..count).collect();
    while !left.is_empty() {
        if current
            .iter()
            .any(|c| c.terms.is_empty() && c.holds(&[]) == Some(false))
        {
            return Elimination::Unsat;
        }
        current.retain(|c| !c.terms.is_empty());
        // The variable whose elimination makes the fewest new constraints.
        let cost = |var: usize| {
            let (mut lower, mut upper) = (0usize, 0usize);
            for c in &current {
                match c.terms.get(&var) {
                    Some(a) if a.is_sign_positive() => lower += 1,
                    Some(_) => upper += 1,
                    None => {}
                }
            }
            lower * upper
        };
        let Some(position) = (0..left.len()).min_by_key(|i| (cost(left[*i]), *i)) else {
            break;
        };
        let var = left.remove(position);
        let Some(next) = eliminate(&current, var).and_then(simplify) else {
            return Elimination::Undecided;
        };
        stages.push((var, std::mem::replace(&mut current, next)));
    }
    if current.iter().any(|c| c.holds(&[]) != Some(true)) {
        return Elimination::Unsat;
    }
    Elimination::Stages(stages)
}

/// Constraints scaled to whole coprime coefficients where they are whole, and of those with
/// the same terms only the tightest kept. `None` past the size limit.
fn simplify(constraints: Vec<Constraint>) -> Option<Vec<Constraint>> {
    let mut tightest: BTreeMap<BTreeMap<usize, Decimal>, (Decimal, bool)> = BTreeMap::new();
    for constraint in constraints {
        let constraint = reduced(constraint);
        let entry = tightest
            .entry(constraint.terms)
            .or_insert((constraint.constant, constraint.strict));
        // Σ a·x + c >= 0: a smaller c is tighter, and strict beats non-strict at equal c.
        let (c, strict) = *entry;
        if constraint.constant < c || (constraint.constant == c && constraint.strict && !strict) {
            *entry = (constraint.constant, constraint.strict);
        }
    }
    let out: Vec<Constraint> = tightest
        .into_iter()
        .map(|(terms, (constant, strict))| Constraint {
            terms,
            constant,
            strict,
        })
        .collect();
    (out.len() <= MAX_CONSTRAINTS).then_some(out)
}

/// A constraint with whole coefficients divided by their greatest common divisor.
fn reduced(constraint: Constraint) -> Constraint {
    let whole = |d: &Decimal| d.fract().is_zero();
    if !constraint.terms.values().all(whole) || !whole(&constraint.constant) {
        return constraint;
    }
    let gcd = constraint
        .terms
        .values()
        .chain(std::iter::once(&constraint.constant))
        .filter_map(|d| {
            u128::try_from(d.abs().mantissa())
                .ok()
                .map(|m| (m, d.scale()))
        })
        .filter(|(m, _)| *m != 0)
        .map(|(m, scale)| m / 10u128.pow(scale))
        .fold(0u128, gcd);
    if gcd <= 1 {
        return constraint;
    }
    let Some(divisor) = i128::try_from(gcd)
        .ok()
        .and_then(|g| Decimal::try_from_i128_with_scale(g, 0).ok())
    else {
        return constraint;
    };
    // Dividing by a common factor of whole numbers is exact; if it could not be done, the
    // constraint is kept as it was.
    let terms: Option<Vec<(usize, Decimal)>> = constraint
        .terms
        .iter()
        .map(|(v, c)| c.checked_div(divisor).map(|c| (*v, c.normalize())))
        .collect();
    let (Some(terms), Some(constant)) = (terms, constraint.constant.checked_div(divisor)) else {
        return constraint;
    };
    Constraint {
        terms: terms.into_iter().collect(),
        constant: constant.normalize(),
        strict: constraint.strict,
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn eliminate(constraints: &[Constraint], var: usize) -> Option<Vec<Constraint>> {
    let mut lower = Vec::new();
    let mut upper = Vec::new();
    let mut rest = Vec::new();
    for constraint in constraints {
        match constraint.terms.get(&var) {
            Some(c) if c.is_sign_positive() => lower.push(constraint),
            Some(_) => upper.push(constraint),
            None => rest.push(constraint.clone()),
        }
    }
    if lower.len().saturating_mul(upper.len()) > MAX_CONSTRAINTS {
        return None;
    }
    for l in &lower {
        for u in &upper {
            let cl = l.terms.get(&var).copied().unwrap_or_default();
            let cu = -u.terms.get(&var).copied().unwrap_or_default();
            let mut terms = Vec::new();
            for (v, c) in &l.terms {
                terms.push((*v, c.checked_mul(cu)?));
            }
            for (v, c) in &u.terms {
                terms.push((*v, c.checked_mul(cl)?));
            }
            let constant = l
                .constant
                .checked_mul(cu)?
                .checked_add(u.constant.checked_mul(cl)?)?;
            let mut combined = Constraint::new(terms, constant, l.strict || u.strict);
            combined.terms.remove(&var);
            rest.push(combined);
        }
    }
    Some(rest)
}

/// Bounds on one variable given values for the others: `(value, strict)`.
struct Interval {
    low: Option<(Decimal, bool)>,
    high: Option<(Decimal, bool)>,
}

fn interval(constraints: &[Constraint], var: usize, point: &[Decimal]) -> Option<Interval> {
    let mut out = Interval {
        low: None,
        high: None,
    };
    for constraint in constraints {
        let Some(&a) = constraint.terms.get(&var) else {
            continue;
        };
        let mut rest = constraint.constant;
        for (v, c) in &constraint.terms {
            if *v != var {
                rest = rest.checked_add(c.checked_mul(*point.get(*v)?)?)?;
            }
        }
        let bound = (-rest).checked_div(a)?;
        if a.is_sign_positive() {
            let tighter = match out.low {
                None => true,
                Some((low, strict)) => {
                    bound > low || (bound == low && constraint.strict && !strict)
                }
            };
            if tighter {
                out.low = Some((bound, constraint.strict));
            }
        } else {
            let tighter = match out.high {
                None => true,
                Some((high, strict)) => {
                    bound < high || (bound == high && constraint.strict && !strict)
                }
            };
            if tighter {
                out.high = Some((bound, constraint.strict));
            }
        }
    }
    Some(out)
}

fn within(interval: &Interval, value: Decimal) -> bool {
    let above = interval.low.is_none_or(
        |(low, strict)| {
            if strict { value > low } else { value >= low }
        },
    );
    let below = interval.high.is_none_or(
        |(high, strict)| {
            if strict { value < high } else { value <= high }
        },
    );
    above && below
}

/// A readable value in the interval: for integers the smallest that fits (counts stay
/// small), otherwise a whole number near the middle, else the middle.
fn pick(interval: &Interval, integer: bool) -> Option<Decimal> {
    let low_whole = interval.low.map(|(low, strict)| {
        let up = low.ceil();
        if strict && up == low {
            up.saturating_add(Decimal::ONE)
        } else {
            up
        }
    });
    let high_whole = interval.high.map(|(high, strict)| {
        let down = high.floor();
        if strict && down == high {
            down.saturating_sub(Decimal::ONE)
        } else {
            down
        }
    });
    let whole = match (low_whole, high_whole) {
        (Some(low), _) if integer => Some(low),
        (Some(low), Some(high)) => {
            let middle = crate::source::number::midpoint(low, high).floor();
            Some(middle.max(low))
        }
        (Some(low), None) => Some(low),
        (None, Some(high)) => Some(high.min(Decimal::ZERO).max(high)),
        (None, None) => Some(Decimal::ZERO),
    };
    if let Some(value) = whole.filter(|v| within(interval, *v)) {
        return Some(value);
    }
    if integer {
        return None;
    }
    let middle = match (interval.low, interval.high) {
        (Some((low, _)), Some((high, _))) => crate::source::number::midpoint(low, high),
        (Some((low, _)), None) => low.checked_add(Decimal::ONE)?,
        (None, Some((high, _))) => high.checked_sub(Decimal::ONE)?,
        (None, None) => Decimal::ZERO,
    };
    Some(middle.normalize())
}

fn satisfied(
    constraints: &[Constraint],
    var: usize,
    point: &[Decimal],
    value: Decimal,
) -> Option<bool> {
    let mut extended = point.to_vec();
    if let Some(slot) = extended.get_mut(var) {
        *slot = value;
    }
    for constraint in constraints {
        if !constraint.holds(&extended)? {
            return Some(false);
        }
    }
    Some(true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn var(v: usize, c: Decimal) -> (usize, Decimal) {
        (v, c)
    }

    #[test]
    fn below_50_and_above_60_is_unsat() {
        let problem = Problem {
            integer: vec![false],
            constraints: vec![
                Constraint::new([var(0, d("-1"))], d("50"), true),
                Constraint::new([var(0, d("1"))], d("-60"), true),
            ],
        };
        assert_eq!(solve(&problem), Outcome::Unsat);
    }

    #[test]
    fn strict_and_non_strict_meet_at_a_point() {
        // x >= 5 and x <= 5 holds at 5; x > 5 and x <= 5 does not.
        let closed = Problem {
            integer: vec![false],
            constraints: vec![
                Constraint::new([var(0, d("1"))], d("-5"), false),
                Constraint::new([var(0, d("-1"))], d("5"), false),
            ],
        };
        assert_eq!(solve(&closed), Outcome::Sat(vec![d("5")]));
        let open = Problem {
            integer: vec![false],
            constraints: vec![
                Constraint::new([var(0, d("1"))], d("-5"), true),
                Constraint::new([var(0, d("-1"))], d("5"), false),
            ],
        };
        assert_eq!(solve(&open), Outcome::Unsat);
    }

    #[test]
    fn a_witness_satisfies_every_constraint() {
        // v - r > 5, r >= 60, v <= 100.
        let problem = Problem {
            integer: vec![false, false],
            constraints: vec![
                Constraint::new([var(0, d("1")), var(1, d("-1"))], d("-5"), true),
                Constraint::new([var(1, d("1"))], d("-60"), false),
                Constraint::new([var(0, d("-1"))], d("100"), false),
            ],
        };
        let Outcome::Sat(point) = solve(&problem) else {
            panic!("satisfiable");
        };
        assert!(
            problem
                .constraints
                .iter()
                .all(|c| c.holds(&point) == Some(true))
        );
    }

    #[test]
    fn integers_respect_gaps_between_whole_numbers() {
        // 3 < x < 4 has rational points but no integer.
        let problem = Problem {
            integer: vec![true],
            constraints: vec![
                Constraint::new([var(0, d("1"))], d("-3"), true),
                Constraint::new([var(0, d("-1"))], d("4"), true),
            ],
        };
        assert_eq!(solve(&problem), Outcome::Unsat);
        let rational = Problem {
            integer: vec![false],
            ..problem
        };
        assert!(matches!(solve(&rational), Outcome::Sat(_)));
    }

    #[test]
    fn relative_margin_is_linear_in_the_reference() {
        // v < r - 10% of r (v < 0.9 r), v >= 45, r <= 50: 45 <= v < 0.9 r <= 45 is unsat.
        let problem = Problem {
            integer: vec![false, false],
            constraints: vec![
                Constraint::new([var(0, d("-1")), var(1, d("0.9"))], d("0"), true),
                Constraint::new([var(0, d("1"))], d("-45"), false),
                Constraint::new([var(1, d("-1"))], d("50"), false),
            ],
        };
        assert_eq!(solve(&problem), Outcome::Unsat);
    }

    #[test]
    fn most_needs_a_majority_of_whole_findings() {
        // 2n > n + m, m >= 1, n + m <= 2 over integers: n = 2, m = ... unsat with m >= 1.
        let problem = Problem {
            integer: vec![true, true],
            constraints: vec![
                Constraint::new([var(0, d("1")), var(1, d("-1"))], d("0"), true),
                Constraint::new([var(1, d("1"))], d("-1"), false),
                Constraint::new([var(0, d("-1")), var(1, d("-1"))], d("2"), false),
                Constraint::new([var(0, d("1"))], d("0"), false),
            ],
        };
        assert_eq!(solve(&problem), Outcome::Unsat);
    }
}
