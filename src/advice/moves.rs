//! What would move a score: the smallest honest changes to a statement's evidence that
//! raise or lower it, and the rules within a small margin of firing.
//!
//! The changes come from the statement's levers ([`super::levers`]). Each search keeps only
//! the changes [`honest`] allows in its direction, so a score is never shown rising with a
//! shortfall or falling with a strength. Candidates are tried nearest first, every one by
//! the real scorer on the changed evidence.

use rust_decimal::Decimal;

use super::levers::{Candidate, Lever, PAIRED_REACH, levers};
use super::trial::{Edit, FindingKind, Trials};
use super::{ChangeSet, NearMiss, Toward, honest};
use crate::evidence::Item;
use crate::lang::ast::{Category, Sentiment, Strength};
use crate::pack::Method;
use crate::score::bounds_statement;
use crate::score::confidence::CQC_CATEGORIES;
use crate::score::eval::{StatementEvidence, amount, categories_present, rule_fires};

/// Most levers changed together: one, else two.
const MOST_LEVERS: usize = 2;
/// Most change sets reported in each direction: single changes, or else pairs (which
/// repeat one another more).
const MOST_SETS: usize = 8;
const MOST_PAIRS: usize = 3;
/// Most scores worked out for a statement in one direction, so that a statement with many
/// levers still answers quickly; what is found within it is exact.
const BUDGET: usize = 20_000;

/// What would move one statement's score, and its near misses.
#[derive(Debug, Default)]
pub struct Moves {
    /// The score as the evidence stands; `None` when the statement is not scored.
    pub score: Option<u8>,
    pub raise: Vec<ChangeSet>,
    pub drop: Vec<ChangeSet>,
    pub near_misses: Vec<super::NearMiss>,
}

/// Finds the smallest honest changes that raise or lower a scored statement, and the rules
/// that one small change would fire.
pub(super) fn moves(trials: &Trials) -> Moves {
    let levers = levers(trials);
    let score = trials.score(&[]);
    let mut moves = Moves {
        score,
        near_misses: near_misses(trials, &levers),
        ..Moves::default()
    };
    if let Some(score) = score {
        moves.raise = smallest_sets(trials, &levers, Toward::Raise, score);
        moves.drop = smallest_sets(trials, &levers, Toward::Lower, score);
    }
    moves
}

/// The levers with only the changes honest in this direction.
fn honest_levers(levers: &[Lever], toward: Toward) -> Vec<Lever> {
    levers
        .iter()
        .map(|lever| {
            lever
                .iter()
                .filter(|candidate| honest(&candidate.change, toward))
                .cloned()
                .collect::<Lever>()
        })
        .filter(|lever| !lever.is_empty())
        .collect()
}

/// A set found: its candidates and the score they reach.
struct Found<'c> {
    candidates: Vec<&'c Candidate>,
    score: u8,
}

impl Found<'_> {
    fn rank(&self) -> usize {
        self.candidates.iter().map(|c| c.rank).sum()
    }
}

/// The smallest sets of honest lever changes that move the score past `now`: every single
/// change that does it, else every pair; each lever at its nearest candidate that works.
fn smallest_sets(trials: &Trials, levers: &[Lever], toward: Toward, now: u8) -> Vec<ChangeSet> {
    let levers = honest_levers(levers, toward);
    let goal = |score: u8| match toward {
        Toward::Raise => score > now,
        Toward::Lower => score < now,
    };
    let start = trials.evaluations();
    let reaches = |edits: &[&Edit]| -> Option<u8> {
        if trials.evaluations() - start >= BUDGET {
            return None;
        }
        trials.score(edits).filter(|s| goal(*s))
    };
    for size in 1..=MOST_LEVERS {
        let mut found: Vec<(usize, Found)> = Vec::new();
        for chosen in combinations(levers.len(), size) {
            let mut tries: Vec<Vec<&Candidate>> = vec![Vec::new()];
            for &lever in &chosen {
                let reach = if size == 1 { usize::MAX } else { PAIRED_REACH };
                tries = tries
                    .into_iter()
                    .flat_map(|prefix| {
                        levers[lever]
                            .iter()
                            .filter(move |candidate| candidate.rank <= reach)
                            .map(move |candidate| {
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
                reaches(&edits).map(|score| Found { candidates, score })
            });
            if let Some(hit) = hit {
                found.push((chosen[0], hit));
            }
        }
        if !found.is_empty() {
            let most = if size == 1 { MOST_SETS } else { MOST_PAIRS };
            return ordered(without_stronger(found, toward))
                .into_iter()
                .enumerate()
                // One finding that does it is always shown: the gaps and the confidence
                // reasons speak of those.
                .filter(|(n, found)| *n < most || one_finding(found))
                .map(|(_, found)| ChangeSet {
                    score: found.score,
                    changes: found.candidates.iter().map(|c| c.change.clone()).collect(),
                })
                .collect();
        }
    }
    Vec::new()
}

/// Drops a single strong or mixed finding where a plain positive or negative one of the
/// same category (no more of them) moves the score as far: the mildest change that does
/// it is the one worth saying, and the one the confidence reasons name.
fn without_stronger(found: Vec<(usize, Found)>, toward: Toward) -> Vec<(usize, Found)> {
    let plain = |kind: &FindingKind| FindingKind {
        sentiment: match kind.sentiment {
            Sentiment::Mixed => Sentiment::Negative,
            sentiment => sentiment,
        },
        strength: Strength::Normal,
        ..kind.clone()
    };
    let single = |found: &Found| -> Option<(FindingKind, u32)> {
        match found.candidates.as_slice() {
            [candidate] => match (&candidate.kind, &candidate.edit) {
                (Some(kind), Edit::AddFindings { count, .. }) => Some((kind.clone(), *count)),
                _ => None,
            },
            _ => None,
        }
    };
    let as_far = |a: u8, b: u8| match toward {
        Toward::Raise => a >= b,
        Toward::Lower => a <= b,
    };
    let dominated: Vec<bool> = found
        .iter()
        .map(|(_, this)| {
            let Some((kind, count)) = single(this) else {
                return false;
            };
            let milder = plain(&kind);
            milder != kind
                && found.iter().any(|(_, other)| {
                    single(other).is_some_and(|(k, c)| k == milder && c <= count)
                        && as_far(other.score, this.score)
                })
        })
        .collect();
    found
        .into_iter()
        .zip(dominated)
        .filter(|(_, dominated)| !dominated)
        .map(|(found, _)| found)
        .collect()
}

/// Whether a set is one untagged finding of normal strength.
fn one_finding(found: &Found) -> bool {
    matches!(found.candidates.as_slice(), [candidate]
        if candidate.rank == 1
            && candidate.kind.as_ref().is_some_and(|k| k.strength == Strength::Normal && k.tag.is_none()))
}

/// Nearest first; then plain findings before strong or mixed ones, people's experience
/// first, and the levers' own order.
fn ordered(mut found: Vec<(usize, Found)>) -> Vec<Found> {
    found.sort_by_key(|(lever, found)| {
        let stronger = found
            .candidates
            .iter()
            .filter(|c| {
                c.kind.as_ref().is_some_and(|k| {
                    k.strength == Strength::Strong || k.sentiment == Sentiment::Mixed
                })
            })
            .count();
        (found.rank(), stronger, *lever)
    });
    found.into_iter().map(|(_, found)| found).collect()
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

/// The evidence a rule reads in one scope: a category's own, or (`None`) the statement's.
fn scoped<'i>(items: &[&'i Item], scope: Option<Category>) -> StatementEvidence<'i> {
    StatementEvidence {
        items: items
            .iter()
            .copied()
            .filter(|item| scope.is_none_or(|c| item.category == c))
            .collect(),
    }
}

/// Rules with an effect that did not fire but would after one honest change within the
/// metric's tolerance (the band the pack treats as "in line"), or one more finding. Under
/// `method: categories` a raise or lower is looked at in each category with evidence.
fn near_misses(trials: &Trials, levers: &[Lever]) -> Vec<NearMiss> {
    let pack = trials.pack;
    let mut misses = Vec::new();
    for rule in &trials.rules.rules {
        let Some(toward) = Toward::of_effect(rule.ast.effect.kind) else {
            continue;
        };
        let scopes: Vec<Option<Category>> =
            if trials.rules.method == Method::Statement || bounds_statement(rule) {
                vec![None]
            } else {
                let items: Vec<&Item> = trials.items.iter().collect();
                let mut present = categories_present(&items);
                // Categories in the order CQC lists them, people's experience first.
                present.sort_by_key(|c| CQC_CATEGORIES.iter().position(|q| q == c));
                present.into_iter().map(Some).collect()
            };
        for scope in scopes {
            let fires = |edits: &[&Edit]| {
                trials.view(edits, |items| rule_fires(rule, &scoped(items, scope), pack))
            };
            if fires(&[]) {
                continue;
            }
            let nearest = levers
                .iter()
                .flatten()
                .filter(|c| scope.is_none_or(|s| c.category == s))
                .filter(|c| honest(&c.change, toward))
                .filter_map(|c| within_margin(trials, c))
                .filter(|(_, c, _)| fires(&[&c.edit]))
                .min_by(|a, b| a.0.cmp(&b.0));
            if let Some((_, candidate, margin)) = nearest {
                misses.push(NearMiss {
                    rule: rule.id.clone(),
                    effect: rule.ast.effect.to_string(),
                    category: scope,
                    change: candidate.change.clone(),
                    margin,
                });
            }
        }
    }
    misses
}

/// A candidate close enough to count as a near miss, with a key to pick the nearest (a
/// fraction of the tolerance; one finding counts as the whole tolerance) and its margin.
fn within_margin<'c>(
    trials: &Trials,
    candidate: &'c Candidate,
) -> Option<(Decimal, &'c Candidate, String)> {
    match (&candidate.edit, candidate.distance) {
        (Edit::AddFindings { count, .. }, _) => {
            (*count == 1).then(|| (Decimal::ONE, candidate, "1 more finding".to_string()))
        }
        (Edit::SetValue { item, .. }, Some((distance, strictly))) => {
            let value = trials.items.get(*item)?.metric()?;
            let metric = trials.pack.catalogue.metric(value.metric?);
            // The value's margin of error where it has one, as the evaluator reads it.
            let band = crate::score::eval::band(trials.pack, metric, value, value.value)?.amount;
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
