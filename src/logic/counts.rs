//! Finding tests as linear constraints over counts of *kinds* of items (src/eval.rs
//! `finding_test`, copied case for case). A kind is what decides whether a test counts an
//! item: for a finding its category, sentiment, strength and tags; for a metric item of the
//! catalogue (read only by untagged tests of `evidence`) its category and how it compares
//! with its reference: positive, negative or in line. Metric items are never strong.

use super::formula::{Formula, Lit, Parts, Reading, Scope, World};
use crate::lang::ast::{Category, FindingTest, Noun, Quantifier, Sentiment, normalise_words};

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
    fn of(sentiment: Option<Sentiment>) -> Tone {
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

/// Lowers one finding test for a reading.
pub fn finding_parts(test: &FindingTest, reading: &Reading) -> Parts {
    let always = Formula::And(Vec::new());
    let never = Formula::Or(Vec::new());
    // In one category's view a test of another category reads nothing.
    let pool = match (reading.scope, test.category) {
        (Scope::Whole, pool) => pool,
        (Scope::View(view), None) => Some(view),
        (Scope::View(view), Some(c)) if c == view => Some(view),
        (Scope::View(_), Some(_)) => {
            return Parts {
                known: never,
                unknown: always.clone(),
                holds: always.clone(),
                fails: always,
            };
        }
    };
    let mut tags: Vec<String> = test.tags.iter().map(|t| normalise_words(t)).collect();
    tags.sort();
    tags.dedup();
    let metrics = test.noun == Noun::Evidence && tags.is_empty();
    let on_topic = Selector {
        pool,
        tags,
        findings: true,
        metrics,
        tone: Tone::Any,
        strong: false,
    };
    let matching = Selector {
        tone: Tone::of(test.sentiment),
        strong: test.strong,
        ..on_topic.clone()
    };
    let row = |terms: Vec<(Selector, i64)>, constant: i64, strict: bool| {
        count_lit(terms, constant, strict, reading)
    };
    let at_least = |selector: &Selector, n: i64| row(vec![(selector.clone(), 1)], -n, false);
    let at_most = |selector: &Selector, n: i64| row(vec![(selector.clone(), -1)], n, false);
    let (holds, fails) = match test.quantifier {
        Quantifier::Any => (at_least(&matching, 1), at_most(&matching, 0)),
        Quantifier::No => (at_most(&matching, 0), at_least(&matching, 1)),
        Quantifier::AtLeast(0) => (always.clone(), never.clone()),
        Quantifier::AtLeast(n) => (
            at_least(&matching, i64::from(n)),
            at_most(&matching, i64::from(n) - 1),
        ),
        // More than half of the pool: 2m > p.
        Quantifier::Most => (
            row(vec![(matching.clone(), 2), (on_topic.clone(), -1)], 0, true),
            row(
                vec![(on_topic.clone(), 1), (matching.clone(), -2)],
                0,
                false,
            ),
        ),
        Quantifier::Outweighs { other, strict } => {
            // The tally weighs the whole pool, whatever `strong` says.
            let side = |tone| Selector {
                tone,
                strong: false,
                ..on_topic.clone()
            };
            let weighed = side(Tone::of(test.sentiment));
            let against = side(Tone::Is(other));
            let mixed = side(Tone::Is(Sentiment::Mixed));
            if strict {
                (
                    row(vec![(weighed.clone(), 1), (against.clone(), -1)], 0, true),
                    row(vec![(against, 1), (weighed, -1)], 0, false),
                )
            } else {
                // w >= a, and some weight on the weighed side: w + mixed >= 1.
                (
                    Formula::And(vec![
                        row(vec![(weighed.clone(), 1), (against.clone(), -1)], 0, false),
                        row(vec![(weighed.clone(), 1), (mixed.clone(), 1)], -1, false),
                    ]),
                    Formula::Or(vec![
                        row(vec![(against, 1), (weighed.clone(), -1)], 0, true),
                        row(vec![(weighed, -1), (mixed, -1)], 0, false),
                    ]),
                )
            }
        }
        Quantifier::Categories(n) => spread(&matching, n, reading),
    };
    Parts {
        known: at_least(&on_topic, 1),
        unknown: at_most(&on_topic, 0),
        holds,
        fails,
    }
}

/// Matching items in at least `n` categories: some `n` categories each have one; fails
/// when all but some `n - 1` have none.
fn spread(matching: &Selector, n: u32, reading: &Reading) -> (Formula, Formula) {
    let candidates: Vec<Category> = match matching.pool {
        Some(c) => vec![c],
        None => Category::ALL.to_vec(),
    };
    let n = n as usize;
    let in_category = |category: Category, present: bool| {
        let selector = Selector {
            pool: Some(category),
            ..matching.clone()
        };
        match present {
            true => count_lit(vec![(selector, 1)], -1, false, reading),
            false => count_lit(vec![(selector, -1)], 0, false, reading),
        }
    };
    if n == 0 {
        return (Formula::And(Vec::new()), Formula::Or(Vec::new()));
    }
    let holds = Formula::Or(
        subsets(&candidates, n)
            .into_iter()
            .map(|s| Formula::And(s.into_iter().map(|c| in_category(c, true)).collect()))
            .collect(),
    );
    let fails = Formula::Or(
        subsets(&candidates, n - 1)
            .into_iter()
            .map(|kept| {
                Formula::And(
                    candidates
                        .iter()
                        .filter(|c| !kept.contains(c))
                        .map(|c| in_category(*c, false))
                        .collect(),
                )
            })
            .collect(),
    );
    (holds, fails)
}

/// Every subset of `size` elements, in order; none when `size` exceeds the set.
fn subsets(of: &[Category], size: usize) -> Vec<Vec<Category>> {
    if size == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for (index, first) in of.iter().enumerate() {
        for mut rest in subsets(&of[index + 1..], size - 1) {
            rest.insert(0, *first);
            out.push(rest);
        }
    }
    out
}

/// A count constraint read in a world: an added or re-judged item shifts the constant by
/// what it adds to each count; the doubled world counts findings twice.
pub fn count_lit(
    terms: Vec<(Selector, i64)>,
    constant: i64,
    strict: bool,
    reading: &Reading,
) -> Formula {
    let shift: i64 = terms
        .iter()
        .map(|(selector, coefficient)| coefficient * delta(selector, &reading.world))
        .sum();
    Formula::Lit(Lit::Count(Count {
        terms,
        constant: constant + shift,
        strict,
        doubled: reading.world == World::Doubled,
    }))
}

/// How much a count over `selector` changes from the profile to the world.
fn delta(selector: &Selector, world: &World) -> i64 {
    let one = |kind: &Kind| i64::from(selector.counts(kind));
    match world {
        World::Same | World::Doubled => 0,
        World::Added(kind) => one(kind),
        World::Rejudged { category, from, to } => {
            one(&Kind::Metric {
                category: *category,
                tone: *to,
            }) - one(&Kind::Metric {
                category: *category,
                tone: *from,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_of_two_from_four() {
        let four = &Category::ALL[..4];
        assert_eq!(subsets(four, 2).len(), 6);
        assert_eq!(subsets(four, 0), vec![Vec::<Category>::new()]);
        assert!(subsets(four, 5).is_empty());
    }

    #[test]
    fn metric_items_are_read_only_by_untagged_evidence_and_never_strong() {
        let inline = Kind::Metric {
            category: Category::Processes,
            tone: None,
        };
        let evidence = Selector {
            pool: None,
            tags: Vec::new(),
            findings: true,
            metrics: true,
            tone: Tone::Any,
            strong: false,
        };
        assert!(evidence.counts(&inline));
        let negative = Selector {
            tone: Tone::Is(Sentiment::Negative),
            ..evidence.clone()
        };
        assert!(!negative.counts(&inline));
        let strong = Selector {
            strong: true,
            ..evidence.clone()
        };
        assert!(!strong.counts(&inline));
        let findings = Selector {
            metrics: false,
            ..evidence
        };
        assert!(!findings.counts(&inline));
    }
}
