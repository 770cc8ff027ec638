//! The levers of a statement's evidence: the things in it that can change, each with its
//! candidate changes, nearest first.
//!
//! A metric item's value can move (its references stay as they are: a council moves its
//! own figures, not the England average). Every test of it, a comparison or its judgement
//! as evidence against its target or England average give or take the tolerance, is a
//! threshold on its value once the references are fixed, so the thresholds cut the value
//! line into cells within which every rule behaves the same; one candidate per cell, taken
//! at the edge nearest today's value, covers every value exactly.
//!
//! Findings can be added: positive, negative or mixed, normal or (where a rule reads
//! strength) strong, in each of the four categories CQC uses and any a rule names, and with
//! each tag a rule counts, since a balance or a spread reads any category.

use rust_decimal::Decimal;

use super::trial::{Edit, FindingKind, Trials};
use super::{AddedFinding, Change, ChangeKind, Direction};
use crate::evidence::MetricValue;
use crate::lang::ast::{Category, Noun, Sentiment, Strength, Test, normalise_words};
use crate::logic::formula::Slot;
use crate::logic::lowering::Lowering;
use crate::pack::catalogue::{Metric, Polarity, Unit};
use crate::score::confidence::CQC_CATEGORIES;
use crate::score::eval::{Judging, amount, judging, reference_name, show};

/// Most findings of one kind added on their own; beside another change, at most
/// [`PAIRED_REACH`].
const MOST_FINDINGS_ADDED: u32 = 6;
/// How far each lever of a pair may go: findings added, or cells of the value line.
pub(super) const PAIRED_REACH: usize = 3;

/// A candidate change of one lever.
#[derive(Clone, Debug)]
pub(super) struct Candidate {
    pub edit: Edit,
    pub change: Change,
    /// How many cells (or findings) away from the evidence as it is: 1 is the nearest.
    pub rank: usize,
    /// How far the value moves, and whether it must move strictly further than that.
    pub distance: Option<(Decimal, bool)>,
    /// The item's category, or the category findings are added to.
    pub category: Category,
    /// The kind of finding added, for added findings.
    pub kind: Option<FindingKind>,
}

/// The candidates of one lever, nearest first.
pub(super) type Lever = Vec<Candidate>;

/// Every lever of the statement: findings first (people's experience first), then metric
/// items in the file's order.
pub(super) fn levers(trials: &Trials) -> Vec<Lever> {
    let tests: Vec<&Test> = trials
        .rules
        .rules
        .iter()
        .flat_map(|rule| rule.ast.all_tests())
        .collect();
    let mut levers: Vec<Lever> = finding_kinds(&tests)
        .into_iter()
        .map(|kind| findings_lever(trials, kind))
        .collect();
    levers.extend(
        (0..trials.items.len())
            .filter_map(|index| metric_lever(trials, &tests, index))
            .filter(|lever| !lever.is_empty()),
    );
    levers
}

/// The kinds of finding worth adding.
fn finding_kinds(tests: &[&Test]) -> Vec<FindingKind> {
    let mut categories: Vec<Category> = CQC_CATEGORIES.to_vec();
    let mut strong = false;
    for test in tests {
        let named = match test {
            Test::Findings(f) => {
                strong |= f.strong;
                f.category
            }
            Test::NoEvidenceFrom { category, .. } => Some(*category),
            _ => None,
        };
        if let Some(category) = named
            && !categories.contains(&category)
        {
            categories.push(category);
        }
    }
    const SENTIMENTS: [Sentiment; 3] = [Sentiment::Positive, Sentiment::Negative, Sentiment::Mixed];
    let mut kinds: Vec<FindingKind> = Vec::new();
    let mut add = |kind: FindingKind| {
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    };
    for &category in &categories {
        for sentiment in SENTIMENTS {
            add(FindingKind {
                category,
                sentiment,
                strength: Strength::Normal,
                tag: None,
            });
            if strong && sentiment != Sentiment::Mixed {
                add(FindingKind {
                    category,
                    sentiment,
                    strength: Strength::Strong,
                    tag: None,
                });
            }
        }
    }
    // A tagged test counts findings with its tag only: one tag is enough to reach it.
    for test in tests {
        let Test::Findings(f) = test else { continue };
        let Some(tag) = f.tags.first() else { continue };
        let sentiments = f.sentiment.map_or(SENTIMENTS.to_vec(), |s| vec![s]);
        let named: Vec<Category> = match f.category {
            Some(category) => vec![category],
            None => categories.clone(),
        };
        for category in named {
            for &sentiment in &sentiments {
                add(FindingKind {
                    category,
                    sentiment,
                    strength: if f.strong {
                        Strength::Strong
                    } else {
                        Strength::Normal
                    },
                    tag: Some(normalise_words(tag)),
                });
            }
        }
    }
    kinds
}

fn findings_lever(trials: &Trials, kind: FindingKind) -> Lever {
    let now = trials
        .items
        .iter()
        .filter(|item| kind.matches(item))
        .count() as u32;
    (1..=MOST_FINDINGS_ADDED)
        .map(|count| Candidate {
            change: Change {
                kind: ChangeKind::Findings,
                item: None,
                subject: kind.subject(),
                from: now.to_string(),
                to: (now + count).to_string(),
                added: Some(count),
                finding: Some(AddedFinding {
                    category: kind.category,
                    sentiment: kind.sentiment,
                    strength: kind.strength,
                    tag: kind.tag.clone(),
                }),
                note: None,
                direction: kind.direction(),
            },
            edit: Edit::AddFindings {
                kind: kind.clone(),
                count,
            },
            rank: count as usize,
            distance: None,
            category: kind.category,
            kind: Some(kind.clone()),
        })
        .collect()
}

/// The values of the metric item at `index` worth trying: one per cell of its value line.
/// Only the first item of a metric in its category can count (rules read the first), so
/// later ones have no lever.
fn metric_lever(trials: &Trials, tests: &[&Test], index: usize) -> Option<Lever> {
    let item = trials.items.get(index)?;
    let value = item.metric()?;
    let id = value.metric?;
    let earlier = trials.items[..index].iter().any(|other| {
        other.category == item.category && other.metric().is_some_and(|m| m.metric == Some(id))
    });
    if earlier {
        return None;
    }
    let pack = trials.pack;
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
        for constraint in comparison.for_item(value.margin.is_some()) {
            if let Some(edge) = edge(constraint, value) {
                edges.push(edge);
            }
        }
    }
    // Judged as evidence where a rule counts evidence from its category.
    let judged = judging(pack, value).filter(|_| {
        tests.iter().any(|test| {
            matches!(test, Test::Findings(f) if f.noun == Noun::Evidence
                && f.tags.is_empty()
                && f.category.is_none_or(|c| c == item.category))
        })
    });
    if let Some(judging) = judged {
        let edges_of = [
            judging.reference.checked_sub(judging.band),
            judging.reference.checked_add(judging.band),
        ];
        // Past the range of exact decimals there is no edge to offer.
        edges.extend(edges_of.into_iter().flatten().map(|edge| edge.normalize()));
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
            let better = match metric.better {
                Polarity::Higher => new_value > value.value,
                Polarity::Lower => new_value < value.value,
            };
            Some(Candidate {
                edit: Edit::SetValue {
                    item: index,
                    value: new_value,
                },
                change: Change {
                    kind: ChangeKind::Value,
                    item: Some(item.id.to_string()),
                    subject: metric.name.clone(),
                    from: show(value.value, Some(metric.unit)),
                    to,
                    added: None,
                    finding: None,
                    note: judged_note(judged, value.value, new_value, metric.unit)
                        .or_else(|| reference_at(value, edge, metric.unit)),
                    direction: if better {
                        Direction::Better
                    } else {
                        Direction::Worse
                    },
                },
                rank: position.abs_diff(current),
                distance: Some(distance),
                category: item.category,
                kind: None,
            })
        })
        .collect();
    lever.sort_by_key(|candidate| candidate.rank);
    Some(lever)
}

/// What the new value makes of the item as evidence, when that changes: `within 5 points
/// of target`, `more than 5 points above England average`.
fn judged_note(judging: Option<Judging>, old: Decimal, new: Decimal, unit: Unit) -> Option<String> {
    let judging = judging?;
    let now = judging.sentiment(new);
    if now == judging.sentiment(old) {
        return None;
    }
    let name = reference_name(&judging.kind);
    let band = amount(judging.band, Some(unit));
    let side = |sentiment: Sentiment| {
        let higher = (sentiment == Sentiment::Positive) == (judging.better == Polarity::Higher);
        if higher { "above" } else { "below" }
    };
    Some(match (now, judging.band.is_zero()) {
        (None, true) => name.to_string(),
        (None, false) => format!("within {band} of {name}"),
        (Some(sentiment), true) => format!("{} {name}", side(sentiment)),
        (Some(sentiment), false) => format!("more than {band} {} {name}", side(sentiment)),
    })
}

/// Where a constraint `a·value + Σ b·reference + c (>|>=) 0` changes truth, given the
/// item's references; `None` when it does not read the value or a reference is missing.
fn edge(constraint: &crate::logic::solver::Constraint, value: &MetricValue) -> Option<Decimal> {
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
    use crate::lang::ast::ReferenceKind as Kind;
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
        .filter_map(|(kind, reference)| {
            edge.checked_sub(reference)
                .map(|difference| (kind, reference, difference.abs()))
        })
        .min_by_key(|(_, _, distance)| *distance)
        .map(|(kind, reference, _)| (kind, reference))?;
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
            high: metric.highest(),
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

/// Halfway between two numbers; `None` past the range of exact decimals.
fn midpoint(a: Decimal, b: Decimal) -> Option<Decimal> {
    a.checked_add(b)?.checked_div(Decimal::TWO)
}
