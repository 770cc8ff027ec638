//! The formulas rule conditions become (src/logic/lowering.rs makes them): two-valued, over
//! literals on a metric item's slots, categories and counts of kinds of items, with the
//! three-valued semantics of src/score/eval.rs made explicit: a test is *known* when its
//! evidence is there, and a rule fires when its condition is known true and its `unless` is
//! not known true.

use rust_decimal::Decimal;

use super::solver::Constraint;
use crate::evidence::MetricValue;
use crate::lang::ast::{Category, ReferenceKind, Sentiment, Span};
use crate::pack::catalogue::MetricId;

/// The value of a metric item, and the references it may give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    Value,
    Target,
    England,
    Regional,
    Comparator,
    Previous,
    /// The value's margin of error: where an item gives one, it is the band in place of
    /// the tolerance (eval.rs `band`).
    Margin,
}

/// How many slots a metric item has.
pub const SLOTS: usize = 7;

impl Slot {
    pub const ALL: [Slot; SLOTS] = [
        Slot::Value,
        Slot::Target,
        Slot::England,
        Slot::Regional,
        Slot::Comparator,
        Slot::Previous,
        Slot::Margin,
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
            Slot::Margin => value.margin,
        }
    }

    pub(super) fn of(kind: &ReferenceKind) -> Option<Slot> {
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

/// What a rule is read against: the whole statement's evidence or one category's (under
/// `method: categories`, raises and lowers read each category's own), and the evidence
/// profile being solved for or a changed copy of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub scope: Scope,
    pub world: World,
    /// An absence test (by its span in the rule) read as if its evidence were given.
    pub flipped: Option<Span>,
}

impl Reading {
    pub const WHOLE: Reading = Reading {
        scope: Scope::Whole,
        world: World::Same,
        flipped: None,
    };

    pub fn view(category: Category) -> Reading {
        Reading {
            scope: Scope::View(category),
            ..Reading::WHOLE
        }
    }

    pub fn in_world(&self, world: World) -> Reading {
        Reading {
            world,
            ..self.clone()
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Whole,
    /// One category's items only. Metric tests are lowered as for the whole statement, so a
    /// caller reading a view either restricts the profile to the category or reads no metric.
    View(Category),
}

/// The evidence a formula speaks of, relative to the profile the solver builds.
#[derive(Clone, Debug, PartialEq)]
pub enum World {
    Same,
    /// Every item given twice over, under new ids.
    Doubled,
    /// One more item of a kind.
    Added(Kind),
    /// One metric item of a category judged another way (its value made worse or better).
    Rejudged {
        category: Category,
        from: Option<Sentiment>,
        to: Option<Sentiment>,
    },
}

impl World {
    /// The category the world gives an item it may not have had.
    pub(super) fn adds_to(&self) -> Option<Category> {
        match self {
            World::Added(kind) => Some(kind.category()),
            _ => None,
        }
    }
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
    /// A linear constraint over counts of kinds of items.
    Count(Count),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Lit(Lit),
}

impl Formula {
    pub(super) fn lit(lit: Lit) -> Formula {
        Formula::Lit(lit)
    }

    pub fn always() -> Formula {
        Formula::And(Vec::new())
    }

    pub fn never() -> Formula {
        Formula::Or(Vec::new())
    }
}

/// One test: when it is known, when not, and when it holds and fails (given it is known).
pub struct Parts {
    pub known: Formula,
    pub unknown: Formula,
    pub holds: Formula,
    pub fails: Formula,
}

/// Which sentiment a selector wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tone {
    /// Any item of the pool, a metric in line with its reference included.
    Any,
    Is(Sentiment),
    /// A metric item within the tolerance of its reference: counted, with no sentiment.
    InLine,
}

impl Tone {
    pub(super) fn of(sentiment: Option<Sentiment>) -> Tone {
        sentiment.map_or(Tone::Any, Tone::Is)
    }
}

/// A set of kinds: the items one count is over.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Selector {
    /// `None`: every category.
    pub pool: Option<Category>,
    /// Normalised and sorted; a finding is counted if it carries any. Empty: no narrowing.
    pub tags: Vec<String>,
    pub findings: bool,
    /// Metric items judged against their reference (untagged `evidence` tests only).
    pub metrics: bool,
    pub tone: Tone,
    /// Only strong findings.
    pub strong: bool,
}

/// A kind of item.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Finding {
        category: Category,
        sentiment: Sentiment,
        strong: bool,
        /// Normalised tags that give the kind its hits.
        tags: Vec<String>,
    },
    /// A metric item judged against its target, else its England average: `None` is in line.
    Metric {
        category: Category,
        tone: Option<Sentiment>,
    },
}

impl Kind {
    pub fn category(&self) -> Category {
        match self {
            Kind::Finding { category, .. } | Kind::Metric { category, .. } => *category,
        }
    }
}

impl Selector {
    /// Whether the selector counts items of a kind.
    pub fn counts(&self, kind: &Kind) -> bool {
        if self.pool.is_some_and(|c| c != kind.category()) {
            return false;
        }
        match kind {
            Kind::Finding {
                sentiment,
                strong,
                tags,
                ..
            } => {
                let on_topic = self.tags.is_empty() || tags.iter().any(|t| self.tags.contains(t));
                let tone = match self.tone {
                    Tone::Any => true,
                    Tone::Is(wanted) => wanted == *sentiment,
                    Tone::InLine => false,
                };
                self.findings && on_topic && tone && (!self.strong || *strong)
            }
            Kind::Metric { tone, .. } => {
                let wanted = match self.tone {
                    Tone::Any => true,
                    Tone::Is(wanted) => *tone == Some(wanted),
                    Tone::InLine => tone.is_none(),
                };
                self.metrics && self.tags.is_empty() && wanted && !self.strong
            }
        }
    }

    /// Exactly the metric items of one category judged one way.
    pub fn metric_items(category: Category, tone: Option<Sentiment>) -> Selector {
        Selector {
            pool: Some(category),
            tags: Vec::new(),
            findings: false,
            metrics: true,
            tone: tone.map_or(Tone::InLine, Tone::Is),
            strong: false,
        }
    }
}

/// `Σ coefficient · count(selector) + constant > 0` (strict) or `>= 0`, over the evidence
/// profile, or over it given twice (every item, finding or metric, counts twice).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count {
    pub terms: Vec<(Selector, i64)>,
    pub constant: i64,
    pub strict: bool,
    pub doubled: bool,
}

impl Selector {
    /// Whether every kind this selector counts, `other` counts too.
    fn within(&self, other: &Selector) -> bool {
        let pool = other.pool.is_none() || other.pool == self.pool;
        let tags = other.tags.is_empty()
            || (!self.tags.is_empty() && self.tags.iter().all(|t| other.tags.contains(t)));
        // Metric items are counted only by untagged selectors.
        let metrics = !self.metrics || (other.metrics && other.tags.is_empty());
        let findings = !self.findings || other.findings;
        let tone = other.tone == Tone::Any || other.tone == self.tone;
        let strong = !other.strong || self.strong;
        pool && tags && metrics && findings && tone && strong
    }
}

impl Count {
    /// `count(selector) >= n` or `<= n` when the constraint is about one count alone.
    fn bound(&self) -> Option<(&Selector, bool, i64)> {
        match self.terms.as_slice() {
            // c + k >= 0 (or > 0): c >= -k (or -k + 1).
            [(selector, 1)] => Some((selector, true, -self.constant + i64::from(self.strict))),
            // -c + k >= 0: c <= k (or k - 1).
            [(selector, -1)] => Some((selector, false, self.constant - i64::from(self.strict))),
            _ => None,
        }
    }
}

/// Whether two counts contradict at sight: at least `n` of some items, and fewer than `n`
/// of a wider set (or a negative number of any). Pruned before any solving.
pub fn bounds_clash<'a>(counts: impl Iterator<Item = &'a Count> + Clone) -> bool {
    let bounds: Vec<(&Selector, bool, i64, bool)> = counts
        .filter_map(|c| c.bound().map(|(s, lower, n)| (s, lower, n, c.doubled)))
        .collect();
    bounds.iter().any(|(narrow, lower, at_least, doubled)| {
        *lower
            && bounds.iter().any(|(wide, is_lower, at_most, same)| {
                !*is_lower && doubled == same && at_least > at_most && narrow.within(wide)
            })
    }) || bounds.iter().any(|(_, lower, n, _)| !*lower && *n < 0)
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
    }) || bounds_clash(lits.iter().filter_map(|lit| match lit {
        Lit::Count(count) => Some(count),
        _ => None,
    }))
}
