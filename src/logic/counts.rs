//! Finding tests as linear constraints over counts of *kinds* of items (src/score/eval.rs
//! `finding_test`, copied case for case). A kind is what decides whether a test counts an
//! item: for a finding its category, sentiment, strength and tags; for a metric item of the
//! catalogue (read only by untagged tests of `evidence`) its category and how it compares
//! with its reference: positive, negative or in line. Metric items are never strong.

use super::formula::{Count, Formula, Kind, Lit, Parts, Reading, Scope, Selector, Tone, World};
use crate::lang::ast::{Category, FindingTest, Noun, Quantifier, Sentiment, normalise_words};

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
