//! Deciding one conjunction of literals, split into independent theories: per metric, the
//! linear constraints over its value and references; findings, as whole counts of finding
//! kinds; and presence of items and categories. A satisfiable conjunction comes with a
//! [`Model`]: the evidence profile that satisfies it.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::formula::{Lit, Relation, Selector, Slot};
use super::solver::{self, Constraint, Outcome, Problem};
use crate::ast::{Category, Sentiment};
use crate::catalogue::{MetricId, Unit};
use crate::pack::Pack;

/// One metric item of a model: its category and the slots it gives.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricItem {
    pub metric: MetricId,
    pub category: Category,
    /// Indexed by [`Slot::index`]; `Value` is always given.
    pub slots: [Option<Decimal>; 6],
}

/// A number of alike findings.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingGroup {
    pub category: Category,
    pub sentiment: Sentiment,
    pub tags: Vec<String>,
    pub count: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub metrics: Vec<MetricItem>,
    pub findings: Vec<FindingGroup>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Decided<T> {
    Sat(T),
    Unsat,
    Undecided,
}

pub type Answer = Decided<Model>;

const SENTIMENTS: [Sentiment; 3] = [Sentiment::Positive, Sentiment::Negative, Sentiment::Mixed];

/// Decides a conjunction. `avoid` lists metrics the rules read, which must not be used to
/// give a category an item of its own.
pub fn decide(lits: &[Lit], pack: &Pack, avoid: &BTreeSet<MetricId>) -> Answer {
    let mut presence: BTreeMap<(MetricId, Slot), bool> = BTreeMap::new();
    let mut linear: BTreeMap<MetricId, Vec<Constraint>> = BTreeMap::new();
    let mut categories: BTreeMap<Category, bool> = BTreeMap::new();
    let mut counts = Vec::new();
    for lit in lits {
        match lit {
            Lit::Present {
                metric,
                slot,
                present,
            } => {
                if presence.insert((*metric, *slot), *present) == Some(!present) {
                    return Decided::Unsat;
                }
            }
            Lit::Linear { metric, constraint } => {
                linear.entry(*metric).or_default().push(constraint.clone())
            }
            Lit::Category { category, present } => {
                if categories.insert(*category, *present) == Some(!present) {
                    return Decided::Unsat;
                }
            }
            Lit::Count { selector, relation } => counts.push((selector, *relation)),
        }
    }
    // A reference is only given on an item that exists.
    let given: BTreeSet<MetricId> = presence
        .iter()
        .filter(|(_, present)| **present)
        .map(|((metric, _), _)| *metric)
        .chain(linear.keys().copied())
        .collect();
    if given
        .iter()
        .any(|m| presence.get(&(*m, Slot::Value)) == Some(&false))
    {
        return Decided::Unsat;
    }
    let forbidden: BTreeSet<Category> = categories
        .iter()
        .filter(|(_, present)| !**present)
        .map(|(c, _)| *c)
        .collect();
    let allowed: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| !forbidden.contains(c))
        .collect();
    let mut model = Model::default();
    for metric in &given {
        let Some(&category) = allowed.first() else {
            return Decided::Unsat;
        };
        let constraints = linear.get(metric).cloned().unwrap_or_default();
        let slots = match metric_values(pack, *metric, &presence, &constraints) {
            Decided::Sat(values) => values,
            Decided::Unsat => return Decided::Unsat,
            Decided::Undecided => return Decided::Undecided,
        };
        model.metrics.push(MetricItem {
            metric: *metric,
            category,
            slots,
        });
    }
    match findings(&counts, &forbidden) {
        Decided::Sat(groups) => model.findings = groups,
        Decided::Unsat => return Decided::Unsat,
        Decided::Undecided => return Decided::Undecided,
    }
    // A category that must have evidence and has none yet gets an item of a metric no rule
    // here reads, so no test changes.
    let mut spare =
        (0..pack.catalogue.metrics().len()).filter(|m| !avoid.contains(m) && !given.contains(m));
    for (category, present) in &categories {
        let has = model.metrics.iter().any(|m| m.category == *category)
            || model.findings.iter().any(|f| f.category == *category);
        if *present && !has {
            let Some(metric) = spare.next() else {
                return Decided::Undecided;
            };
            let mut slots = [None; 6];
            slots[Slot::Value.index()] = Some(Decimal::ZERO);
            model.metrics.push(MetricItem {
                metric,
                category: *category,
                slots,
            });
        }
    }
    Decided::Sat(model)
}

/// The value and references of one metric item.
fn metric_values(
    pack: &Pack,
    metric: MetricId,
    presence: &BTreeMap<(MetricId, Slot), bool>,
    constraints: &[Constraint],
) -> Decided<[Option<Decimal>; 6]> {
    let entry = pack.catalogue.metric(metric);
    let mut used: BTreeSet<usize> = constraints
        .iter()
        .flat_map(|c| c.terms.keys().copied())
        .collect();
    used.insert(Slot::Value.index());
    for slot in Slot::ALL {
        if presence.get(&(metric, slot)) == Some(&true) {
            used.insert(slot.index());
        }
    }
    let mut problem = Problem {
        integer: vec![entry.unit == Unit::Count; Slot::ALL.len()],
        constraints: constraints.to_vec(),
    };
    // The bounds the evidence loader enforces on every value of the item.
    for slot in &used {
        problem.constraints.push(Constraint::new(
            [(*slot, Decimal::ONE)],
            Decimal::ZERO,
            false,
        ));
        let upper = match entry.unit {
            Unit::Percent => Some(Decimal::ONE_HUNDRED),
            _ => entry.max,
        };
        if let Some(upper) = upper {
            problem
                .constraints
                .push(Constraint::new([(*slot, -Decimal::ONE)], upper, false));
        }
    }
    match solver::solve(&problem) {
        Outcome::Sat(point) => {
            let mut slots = [None; 6];
            for slot in used {
                if let (Some(target), Some(value)) = (slots.get_mut(slot), point.get(slot)) {
                    *target = Some(*value);
                }
            }
            Decided::Sat(slots)
        }
        Outcome::Unsat => Decided::Unsat,
        Outcome::Undecided => Decided::Undecided,
    }
}

/// A kind of finding: what decides whether a count includes it.
#[derive(Clone, Debug)]
struct Kind {
    category: Category,
    sentiment: Sentiment,
    /// Which of the tag lists it hits, and tags that make it so.
    hits: Vec<bool>,
    tags: Vec<String>,
}

/// Whole numbers of findings of each kind meeting every count.
fn findings(
    counts: &[(&Selector, Relation)],
    forbidden: &BTreeSet<Category>,
) -> Decided<Vec<FindingGroup>> {
    if counts.is_empty() {
        return Decided::Sat(Vec::new());
    }
    let mut lists: Vec<Vec<String>> = counts
        .iter()
        .map(|(s, _)| s.tags.clone())
        .filter(|t| !t.is_empty())
        .collect();
    lists.sort();
    lists.dedup();
    // The hit patterns a finding can have: any union of single tags' patterns.
    let tags: BTreeSet<&String> = lists.iter().flatten().collect();
    let mut patterns: Vec<(Vec<bool>, Vec<String>)> = vec![(vec![false; lists.len()], Vec::new())];
    for tag in tags {
        let single: Vec<bool> = lists.iter().map(|l| l.contains(tag)).collect();
        let mut added = Vec::new();
        for (hits, with) in &patterns {
            let union: Vec<bool> = hits.iter().zip(&single).map(|(a, b)| *a || *b).collect();
            if !patterns.iter().chain(&added).any(|(h, _)| *h == union) {
                let mut tags = with.clone();
                tags.push(tag.clone());
                added.push((union, tags));
            }
        }
        patterns.extend(added);
    }
    let mut kinds = Vec::new();
    for category in Category::ALL.into_iter().filter(|c| !forbidden.contains(c)) {
        for sentiment in SENTIMENTS {
            for (hits, tags) in &patterns {
                kinds.push(Kind {
                    category,
                    sentiment,
                    hits: hits.clone(),
                    tags: tags.clone(),
                });
            }
        }
    }
    let on_topic = |kind: &Kind, selector: &Selector| {
        selector.pool.is_none_or(|c| c == kind.category)
            && (selector.tags.is_empty()
                || lists
                    .iter()
                    .position(|l| *l == selector.tags)
                    .is_some_and(|i| kind.hits.get(i).copied().unwrap_or(false)))
    };
    let matches = |kind: &Kind, selector: &Selector| {
        on_topic(kind, selector) && selector.sentiment.is_none_or(|s| s == kind.sentiment)
    };
    // One row per count: coefficients by kind, a constant and strictness.
    let mut rows: Vec<(Vec<Decimal>, Decimal, bool)> = Vec::new();
    for (selector, relation) in counts {
        // 1 for each kind of finding the test counts, 0 for the rest.
        let indicator = |counted: &dyn Fn(&Kind) -> bool| -> Vec<Decimal> {
            kinds
                .iter()
                .map(|k| {
                    if counted(k) {
                        Decimal::ONE
                    } else {
                        Decimal::ZERO
                    }
                })
                .collect()
        };
        let matching = indicator(&|k| matches(k, selector));
        let topic = indicator(&|k| on_topic(k, selector));
        let row = match relation {
            Relation::AtLeast(n) => (matching, -Decimal::from(*n), false),
            Relation::AtMost(n) => (
                matching.iter().map(|c| -*c).collect(),
                Decimal::from(*n),
                false,
            ),
            Relation::Most => (
                matching
                    .iter()
                    .zip(&topic)
                    .map(|(m, t)| Decimal::TWO.saturating_mul(*m).saturating_sub(*t))
                    .collect(),
                Decimal::ZERO,
                true,
            ),
            Relation::NotMost => (
                matching
                    .iter()
                    .zip(&topic)
                    .map(|(m, t)| t.saturating_sub(Decimal::TWO.saturating_mul(*m)))
                    .collect(),
                Decimal::ZERO,
                false,
            ),
        };
        rows.push(row);
    }
    // Kinds with the same column behave alike: one variable stands for them all.
    let mut columns: BTreeMap<Vec<Decimal>, usize> = BTreeMap::new();
    let mut representatives = Vec::new();
    for (index, _) in kinds.iter().enumerate() {
        let column: Vec<Decimal> = rows.iter().map(|(c, _, _)| c[index]).collect();
        if column.iter().all(|c| c.is_zero()) || columns.contains_key(&column) {
            continue;
        }
        columns.insert(column, representatives.len());
        representatives.push(index);
    }
    let mut problem = Problem {
        integer: vec![true; representatives.len()],
        constraints: Vec::new(),
    };
    for (var, _) in representatives.iter().enumerate() {
        problem
            .constraints
            .push(Constraint::new([(var, Decimal::ONE)], Decimal::ZERO, false));
    }
    for (coefficients, constant, strict) in &rows {
        let terms = representatives
            .iter()
            .enumerate()
            .map(|(var, kind)| (var, coefficients[*kind]));
        problem
            .constraints
            .push(Constraint::new(terms, *constant, *strict));
    }
    match solver::solve(&problem) {
        Outcome::Sat(point) => {
            let mut groups = Vec::new();
            for (var, kind) in representatives.iter().enumerate() {
                let count = point.get(var).and_then(|c| u32::try_from(*c).ok());
                let Some(count) = count else {
                    return Decided::Undecided;
                };
                if count > 0 {
                    let kind = &kinds[*kind];
                    groups.push(FindingGroup {
                        category: kind.category,
                        sentiment: kind.sentiment,
                        tags: kind.tags.clone(),
                        count,
                    });
                }
            }
            Decided::Sat(groups)
        }
        Outcome::Unsat => Decided::Unsat,
        Outcome::Undecided => Decided::Undecided,
    }
}
