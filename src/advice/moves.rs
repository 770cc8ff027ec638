//! What would move a score: the smallest changes to a statement's evidence that raise or
//! lower it, and the rules within a small margin of firing.
//!
//! A *lever* is something in the evidence that can change: the value of a metric the rules
//! compare (its references stay as they are: a council moves its own figures, not the
//! England average), or findings of one kind added to the file. Every test of a metric is a
//! threshold on its value once the references are fixed, so the thresholds cut the value
//! line into cells within which every rule behaves the same; one candidate per cell, taken
//! at the edge nearest today's value, covers every value exactly. Candidates are tried
//! nearest first, by the real evaluator on the changed evidence.

use rust_decimal::Decimal;

use super::{Change, ChangeSet, NearMiss};
use crate::ast::{Category, EffectKind, Sentiment, Test};
use crate::catalogue::{Metric, MetricId, Unit};
use crate::check::formula::{Lowering, Slot};
use crate::eval::{StatementEvidence, amount, reference_name, rule_fires, show};
use crate::evidence::{Finding, Item, ItemContent, MetricValue};
use crate::pack::{Pack, StatementRules};
use crate::score::statement_score;

/// Most levers changed together: one, else two.
const MOST_LEVERS: usize = 2;
/// Most findings of one kind added.
const MOST_FINDINGS_ADDED: u32 = 3;
/// Most change sets reported in each direction.
const MOST_SETS: usize = 5;
/// Most evaluations of a statement spent looking in one direction, so that a statement with
/// many levers still answers quickly; what is found within it is exact.
const BUDGET: usize = 20_000;

/// What would move one statement's score, and its near misses.
#[derive(Debug, Default)]
pub struct Moves {
    /// The score as the evidence stands; `None` when the statement is not scored.
    pub score: Option<u8>,
    pub raise: Vec<ChangeSet>,
    pub drop: Vec<ChangeSet>,
    pub near_misses: Vec<NearMiss>,
}

/// Finds the smallest changes that raise or lower a scored statement, and the rules that
/// one small change would fire. `items` is the statement's evidence.
pub fn moves(pack: &Pack, rules: &StatementRules, items: &[Item]) -> Moves {
    let levers = levers(pack, rules, items);
    let score = statement_score(pack, rules, &items.iter().collect::<Vec<_>>());
    let mut moves = Moves {
        score,
        near_misses: near_misses(pack, rules, items, &levers),
        ..Moves::default()
    };
    if let Some(score) = score {
        moves.raise = smallest_sets(pack, rules, items, &levers, |s| s > score);
        moves.drop = smallest_sets(pack, rules, items, &levers, |s| s < score);
    }
    moves
}

/// One way to change the evidence.
#[derive(Clone, Debug)]
enum Edit {
    /// Give the item at this index (in the statement's evidence) a new value.
    SetValue { item: usize, value: Decimal },
    /// Add findings of one kind.
    AddFindings { kind: FindingKind, count: u32 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct FindingKind {
    category: Category,
    sentiment: Sentiment,
    tag: Option<String>,
}

impl FindingKind {
    fn describe(&self) -> String {
        let mut text = format!(
            "{} findings from {}",
            self.sentiment.as_str(),
            self.category.as_str()
        );
        if let Some(tag) = &self.tag {
            text.push_str(&format!(" tagged \"{tag}\""));
        }
        text
    }

    fn matches(&self, item: &Item) -> bool {
        item.category == self.category
            && item.finding().is_some_and(|f| {
                f.sentiment == self.sentiment
                    && self.tag.as_ref().is_none_or(|tag| {
                        f.tags.iter().any(|t| {
                            crate::ast::normalise_words(t) == crate::ast::normalise_words(tag)
                        })
                    })
            })
    }
}

/// A candidate change of one lever.
#[derive(Clone, Debug)]
struct Candidate {
    edit: Edit,
    change: Change,
    /// How many cells (or findings) away from the evidence as it is: 1 is the nearest.
    rank: usize,
    /// How far the value moves, and whether it must move strictly further than that.
    distance: Option<(Decimal, bool)>,
}

/// The candidates of one lever, nearest first.
type Lever = Vec<Candidate>;

fn levers(pack: &Pack, rules: &StatementRules, items: &[Item]) -> Vec<Lever> {
    let tests: Vec<&Test> = rules
        .rules
        .iter()
        .flat_map(|rule| rule.ast.all_tests())
        .collect();
    let mut metrics: Vec<MetricId> = Vec::new();
    let mut kinds: Vec<FindingKind> = Vec::new();
    for test in &tests {
        match test {
            Test::Metric(metric_test) => {
                if let Some(id) = pack.catalogue.lookup(&metric_test.metric.name)
                    && !metrics.contains(&id)
                {
                    metrics.push(id);
                }
            }
            Test::Findings(finding_test) => {
                if let Some(sentiment) = finding_test.sentiment {
                    let kind = FindingKind {
                        category: finding_test.category.unwrap_or(Category::PeoplesExperience),
                        sentiment,
                        tag: finding_test.tags.first().cloned(),
                    };
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
            }
            _ => {}
        }
    }
    let mut levers: Vec<Lever> = metrics
        .into_iter()
        .filter_map(|id| metric_lever(pack, &tests, items, id))
        .filter(|lever| !lever.is_empty())
        .collect();
    levers.extend(kinds.into_iter().map(|kind| findings_lever(items, kind)));
    levers
}

/// The values of one metric item worth trying: one per cell of its value line.
fn metric_lever(pack: &Pack, tests: &[&Test], items: &[Item], id: MetricId) -> Option<Lever> {
    // The evaluator reads the first item giving the metric.
    let (index, value) = items.iter().enumerate().find_map(|(index, item)| {
        item.metric()
            .filter(|m| m.metric == Some(id))
            .map(|m| (index, m))
    })?;
    let metric = pack.catalogue.metric(id);
    let lowering = Lowering { pack };
    let mut edges: Vec<Decimal> = Vec::new();
    for test in tests {
        let Test::Metric(metric_test) = test else {
            continue;
        };
        let Some(comparison) = lowering.comparison(metric_test) else {
            continue;
        };
        if comparison.metric != id {
            continue;
        }
        for constraint in &comparison.holds {
            if let Some(edge) = edge(constraint, value) {
                edges.push(edge);
            }
        }
    }
    edges.sort();
    edges.dedup();
    let domain = Domain::of(metric);
    let cells = cells(&edges);
    let current = cells.iter().position(|cell| cell.contains(value.value))?;
    let mut lever: Lever = cells
        .iter()
        .enumerate()
        .filter(|(position, _)| *position != current)
        .filter_map(|(position, cell)| {
            let (new_value, to, edge, distance) = domain.nearest(cell, value.value)?;
            Some(Candidate {
                edit: Edit::SetValue {
                    item: index,
                    value: new_value,
                },
                change: Change {
                    item: Some(items[index].id.to_string()),
                    subject: metric.name.clone(),
                    from: show(value.value, Some(metric.unit)),
                    to,
                    note: reference_at(value, edge, metric.unit),
                },
                rank: position.abs_diff(current),
                distance: Some(distance),
            })
        })
        .collect();
    lever.sort_by_key(|candidate| candidate.rank);
    Some(lever)
}

/// Where a constraint `a·value + Σ b·reference + c (>|>=) 0` changes truth, given the
/// item's references; `None` when it does not read the value or a reference is missing.
fn edge(constraint: &crate::check::solver::Constraint, value: &MetricValue) -> Option<Decimal> {
    let mut slope = Decimal::ZERO;
    let mut constant = constraint.constant;
    for (&slot, &coefficient) in &constraint.terms {
        if slot == Slot::Value.index() {
            slope = coefficient;
        } else {
            let given = Slot::ALL.get(slot)?.read(value)?;
            constant = constant.checked_add(coefficient.checked_mul(given)?)?;
        }
    }
    if slope.is_zero() {
        return None;
    }
    (-constant).checked_div(slope).map(|d| d.normalize())
}

/// What a new value is in terms of the item's references: the reference it equals
/// (`target`), else how far it is from the nearest (`5 points below England average`).
fn reference_at(value: &MetricValue, edge: Option<Decimal>, unit: Unit) -> Option<String> {
    let edge = edge?;
    use crate::ast::ReferenceKind as Kind;
    let references: Vec<(Kind, Decimal)> = [
        (Kind::Target, value.target),
        (Kind::EnglandAverage, value.england_average),
        (Kind::RegionalAverage, value.regional_average),
        (Kind::ComparatorAverage, value.comparator_average),
        (Kind::Previous, value.previous),
    ]
    .into_iter()
    .filter_map(|(kind, reference)| reference.map(|r| (kind, r)))
    .collect();
    let (kind, reference) = references
        .into_iter()
        .min_by_key(|(_, reference)| edge.saturating_sub(*reference).abs())?;
    let name = reference_name(&kind);
    let difference = edge.checked_sub(reference)?;
    Some(if difference.is_zero() {
        name.to_string()
    } else if difference.is_sign_negative() {
        format!("{} below {name}", amount(-difference, Some(unit)))
    } else {
        format!("{} above {name}", amount(difference, Some(unit)))
    })
}

/// A piece of the value line between thresholds.
#[derive(Clone, Copy, Debug)]
enum Cell {
    /// Exactly a threshold.
    Point(Decimal),
    /// Strictly between two thresholds (`None`: unbounded).
    Open(Option<Decimal>, Option<Decimal>),
}

impl Cell {
    fn contains(&self, x: Decimal) -> bool {
        match *self {
            Cell::Point(p) => x == p,
            Cell::Open(low, high) => low.is_none_or(|l| x > l) && high.is_none_or(|h| x < h),
        }
    }
}

fn cells(edges: &[Decimal]) -> Vec<Cell> {
    let mut cells = vec![Cell::Open(None, edges.first().copied())];
    for (i, edge) in edges.iter().enumerate() {
        cells.push(Cell::Point(*edge));
        cells.push(Cell::Open(Some(*edge), edges.get(i + 1).copied()));
    }
    cells
}

/// The values a metric can take: never negative, at most 100 for a percentage and the
/// catalogue's maximum for a score, whole for a count.
struct Domain {
    high: Option<Decimal>,
    whole: bool,
    unit: Unit,
}

type Nearest = (Decimal, String, Option<Decimal>, (Decimal, bool));

impl Domain {
    fn of(metric: &Metric) -> Domain {
        Domain {
            high: match metric.unit {
                Unit::Percent => Some(Decimal::ONE_HUNDRED),
                Unit::Score => metric.max,
                _ => None,
            },
            whole: metric.unit == Unit::Count,
            unit: metric.unit,
        }
    }

    fn allows(&self, x: Decimal) -> bool {
        x >= Decimal::ZERO
            && self.high.is_none_or(|h| x <= h)
            && (!self.whole || x.fract().is_zero())
    }

    /// The value of the cell to evaluate, how to write it, the threshold it sits at or just
    /// past, and how far it is from `from`; `None` when no allowed value lies in the cell.
    fn nearest(&self, cell: &Cell, from: Decimal) -> Option<Nearest> {
        let unit = Some(self.unit);
        match *cell {
            Cell::Point(p) => {
                let distance = p.checked_sub(from)?.abs().normalize();
                self.allows(p)
                    .then(|| (p, show(p, unit), Some(p), (distance, false)))
            }
            Cell::Open(low, high) => {
                let above = low.is_some_and(|l| l >= from);
                if self.whole {
                    let n = if above {
                        low?.floor().checked_add(Decimal::ONE)?
                    } else {
                        high?.ceil().checked_sub(Decimal::ONE)?
                    };
                    let inside = Cell::Open(low, high).contains(n) && self.allows(n);
                    let distance = n.checked_sub(from)?.abs();
                    return inside.then(|| (n, show(n, unit), None, (distance, false)));
                }
                // Below zero or past the top of the scale there is nothing to reach.
                let floor = low.map_or(Decimal::ZERO, |l| l.max(Decimal::ZERO));
                let ceiling = match (high, self.high) {
                    (Some(h), Some(top)) => Some(h.min(top)),
                    (h, top) => h.or(top),
                };
                // The cell excludes a threshold it starts or ends at; zero and the top of
                // the scale it includes.
                let open_below = low.is_some_and(|l| l >= Decimal::ZERO);
                let open_above = high.is_some_and(|h| self.high.is_none_or(|top| h <= top));
                if ceiling.is_some_and(|c| c < floor || (c == floor && (open_below || open_above)))
                {
                    return None;
                }
                if above {
                    let l = low?;
                    let inner = match ceiling {
                        Some(c) => midpoint(l, c)?,
                        None => l.checked_add(Decimal::ONE)?,
                    };
                    Some((
                        inner,
                        format!("above {}", show(l, unit)),
                        Some(l),
                        (l.checked_sub(from)?.normalize(), true),
                    ))
                } else {
                    let h = high?;
                    Some((
                        midpoint(floor, h)?,
                        format!("below {}", show(h, unit)),
                        Some(h),
                        (from.checked_sub(h)?.normalize(), true),
                    ))
                }
            }
        }
    }
}

fn findings_lever(items: &[Item], kind: FindingKind) -> Lever {
    let now = items.iter().filter(|item| kind.matches(item)).count() as u32;
    (1..=MOST_FINDINGS_ADDED)
        .map(|count| Candidate {
            change: Change {
                item: None,
                subject: kind.describe(),
                from: now.to_string(),
                to: (now + count).to_string(),
                note: None,
            },
            edit: Edit::AddFindings {
                kind: kind.clone(),
                count,
            },
            rank: count as usize,
            distance: None,
        })
        .collect()
}

/// The statement's evidence with some edits made.
fn edited(statement: &str, items: &[Item], edits: &[&Edit]) -> Vec<Item> {
    let mut changed = items.to_vec();
    for edit in edits {
        match edit {
            Edit::SetValue { item, value } => {
                if let Some(ItemContent::Metric(metric)) =
                    changed.get_mut(*item).map(|item| &mut item.content)
                {
                    metric.value = *value;
                }
            }
            Edit::AddFindings { kind, count } => {
                for n in 0..*count {
                    changed.push(Item::supposed(
                        format!("added-finding-{}", n + 1),
                        statement,
                        kind.category,
                        ItemContent::Finding(Finding {
                            text: kind.describe(),
                            sentiment: kind.sentiment,
                            tags: kind.tag.iter().cloned().collect(),
                        }),
                    ));
                }
            }
        }
    }
    changed
}

fn score_with(pack: &Pack, rules: &StatementRules, items: &[Item], edits: &[&Edit]) -> Option<u8> {
    let changed = edited(&rules.statement, items, edits);
    statement_score(pack, rules, &changed.iter().collect::<Vec<_>>())
}

/// The smallest sets of lever changes after which `goal` holds of the score: every single
/// change that does it, else every pair; each lever at its nearest candidate that works.
fn smallest_sets(
    pack: &Pack,
    rules: &StatementRules,
    items: &[Item],
    levers: &[Lever],
    goal: impl Fn(u8) -> bool,
) -> Vec<ChangeSet> {
    let mut budget = BUDGET;
    let mut reaches = |edits: &[&Edit]| -> Option<u8> {
        if budget == 0 {
            return None;
        }
        budget -= 1;
        score_with(pack, rules, items, edits).filter(|s| goal(*s))
    };
    for size in 1..=MOST_LEVERS {
        let mut found: Vec<(usize, ChangeSet)> = Vec::new();
        for chosen in combinations(levers.len(), size) {
            let mut tries: Vec<Vec<&Candidate>> = vec![Vec::new()];
            for &lever in &chosen {
                tries = tries
                    .into_iter()
                    .flat_map(|prefix| {
                        levers[lever].iter().map(move |candidate| {
                            let mut next = prefix.clone();
                            next.push(candidate);
                            next
                        })
                    })
                    .collect();
            }
            tries.sort_by_key(|t| t.iter().map(|c| c.rank).sum::<usize>());
            let hit = tries.into_iter().find_map(|candidates| {
                let edits: Vec<&Edit> = candidates.iter().map(|c| &c.edit).collect();
                reaches(&edits).map(|score| (candidates, score))
            });
            if let Some((candidates, score)) = hit {
                let rank = candidates.iter().map(|c| c.rank).sum();
                let changes = candidates.iter().map(|c| c.change.clone()).collect();
                found.push((rank, ChangeSet { score, changes }));
            }
        }
        if !found.is_empty() {
            found.sort_by_key(|(rank, _)| *rank);
            return found
                .into_iter()
                .take(MOST_SETS)
                .map(|(_, set)| set)
                .collect();
        }
    }
    Vec::new()
}

/// Every way to choose `size` of `n` indices, in order.
fn combinations(n: usize, size: usize) -> Vec<Vec<usize>> {
    match size {
        0 => vec![Vec::new()],
        _ => (0..n)
            .flat_map(|first| {
                combinations(n, size - 1)
                    .into_iter()
                    .filter(move |rest| rest.first().is_none_or(|&next| next > first))
                    .map(move |mut rest| {
                        rest.insert(0, first);
                        rest
                    })
            })
            .collect(),
    }
}

/// Rules with an effect that did not fire but would after one change within the metric's
/// tolerance (the band the pack treats as "in line"), or one more finding.
fn near_misses(
    pack: &Pack,
    rules: &StatementRules,
    items: &[Item],
    levers: &[Lever],
) -> Vec<NearMiss> {
    let view = StatementEvidence {
        items: items.iter().collect(),
    };
    let mut misses = Vec::new();
    for rule in &rules.rules {
        if rule.ast.effect.kind == EffectKind::NoEffect || rule_fires(rule, &view, pack) {
            continue;
        }
        let nearest = levers
            .iter()
            .filter_map(|lever| {
                lever.iter().find(|candidate| {
                    let changed = edited(&rules.statement, items, &[&candidate.edit]);
                    let view = StatementEvidence {
                        items: changed.iter().collect(),
                    };
                    rule_fires(rule, &view, pack)
                })
            })
            .filter_map(|candidate| within_margin(pack, items, candidate))
            .min_by(|a, b| a.0.cmp(&b.0));
        if let Some((_, candidate, margin)) = nearest {
            misses.push(NearMiss {
                rule: rule.id.clone(),
                effect: rule.ast.effect.to_string(),
                change: candidate.change.clone(),
                margin,
            });
        }
    }
    misses
}

/// A candidate close enough to count as a near miss, with a key to pick the nearest (a
/// fraction of the tolerance; one finding counts as the whole tolerance) and its margin.
fn within_margin<'c>(
    pack: &Pack,
    items: &[Item],
    candidate: &'c Candidate,
) -> Option<(Decimal, &'c Candidate, String)> {
    match (&candidate.edit, candidate.distance) {
        (Edit::AddFindings { count, .. }, _) => {
            (*count == 1).then(|| (Decimal::ONE, candidate, "1 more finding".to_string()))
        }
        (Edit::SetValue { item, .. }, Some((distance, strictly))) => {
            let value = items.get(*item)?.metric()?;
            let metric = pack.catalogue.metric(value.metric?);
            let tolerance = metric.tolerance.unwrap_or(pack.tolerance);
            let band = match tolerance.unit {
                crate::ast::MarginUnit::Points => tolerance.amount,
                crate::ast::MarginUnit::Percent => value
                    .value
                    .abs()
                    .checked_mul(tolerance.amount)?
                    .checked_div(Decimal::ONE_HUNDRED)?,
            };
            let close = match strictly {
                true => distance < band,
                false => distance <= band,
            };
            if !close || band.is_zero() {
                return None;
            }
            let words = amount(distance, Some(metric.unit));
            let margin = if strictly {
                format!("more than {words}")
            } else {
                words
            };
            Some((distance.checked_div(band)?, candidate, margin))
        }
        _ => None,
    }
}

/// Halfway between two numbers; `None` past the range of exact decimals.
fn midpoint(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)?.checked_div(Decimal::TWO)
}
