//! The evidence a statement lacks, ranked by how much it would firm up the score.
//!
//! Absence never scores, so a gap is measured by confidence (src/score/confidence.rs): one item
//! that agrees with the statement's score is supposed, the statement is scored and its
//! confidence judged again with it, and the steps gained (not scored, low, medium, high)
//! rank the gaps, then the pack's weight for the category. A gap is one of:
//!
//! - no evidence from a category CQC uses (or one a rule names); for a statement with no
//!   evidence at all, these are what would let it be scored;
//! - a metric given without a target or England average, which cannot count as evidence;
//! - a reference a rule compares a given metric with, or a metric a rule compares, that the
//!   file lacks (their values are solved for, [`super::witness`]).
//!
//! Each gap also gives the scores the statement could have once it is given, counting a
//! strength only upwards and a shortfall only downwards ([`super::honest`]). The scores come
//! from the same trials as the moves, so a gap and a move never disagree.

use rust_decimal::Decimal;

use super::trial::{Edit, FindingKind, References, Trials, references};
use super::witness::{Read, metric_tests, witnesses};
use super::{Direction, EvidenceGap, GapKind, Supposed};
use crate::evidence::{Item, MetricValue};
use crate::lang::ast::{Category, Noun, Sentiment, Strength, Test};
use crate::logic::formula::Slot;
use crate::pack::catalogue::MetricId;
use crate::score::assessment::ConfidenceLevel;
use crate::score::confidence::{CQC_CATEGORIES, judge};
use crate::score::eval::{judging, reference_name};

/// The gaps of one statement, the one that would firm its score up most first.
pub(super) fn gaps(trials: &Trials) -> Vec<EvidenceGap> {
    let now = trials.score(&[]);
    let study = Study {
        trials,
        now,
        before: now.and_then(|score| confidence(trials, &[], Some(score))),
        supposed: match now {
            Some(score) if score >= 3 => Supposed::Strength,
            Some(_) => Supposed::Shortfall,
            None => Supposed::Either,
        },
    };
    let mut gaps = study.categories();
    gaps.extend(study.unjudged_metrics());
    gaps.extend(study.compared_metrics());
    let order = |c: Option<Category>| {
        c.and_then(|c| CQC_CATEGORIES.iter().position(|q| *q == c))
            .unwrap_or(CQC_CATEGORIES.len())
    };
    gaps.sort_by(|a, b| {
        b.gain
            .cmp(&a.gain)
            .then(b.weight.cmp(&a.weight))
            .then(a.kind.cmp(&b.kind))
            .then(order(a.category).cmp(&order(b.category)))
            .then(a.wanted.cmp(&b.wanted))
    });
    gaps
}

/// The statement's confidence with these edits made, at `score`.
fn confidence(trials: &Trials, edits: &[&Edit], score: Option<u8>) -> Option<ConfidenceLevel> {
    let score = score?;
    Some(trials.view(edits, |items| {
        judge(trials.pack, trials.rules, items, score).level
    }))
}

/// Steps of confidence: not scored, low, medium, high.
fn steps(level: Option<ConfidenceLevel>) -> i8 {
    match level {
        None => 0,
        Some(ConfidenceLevel::Low) => 1,
        Some(ConfidenceLevel::Medium) => 2,
        Some(ConfidenceLevel::High) => 3,
    }
}

/// One way a gap could be filled, and what it would show.
struct Outcome {
    edit: Edit,
    /// A strength, a shortfall, or neither (a value solved for a rule's comparisons, or a
    /// measure in line with its reference).
    shows: Option<Direction>,
    /// Whether it agrees with the score, and so measures the gain.
    agrees: bool,
}

struct Study<'t, 'a> {
    trials: &'t Trials<'a>,
    now: Option<u8>,
    before: Option<ConfidenceLevel>,
    /// What an item agreeing with the score shows.
    supposed: Supposed,
}

impl Study<'_, '_> {
    fn agrees(&self, shows: Direction) -> bool {
        matches!(
            (self.supposed, shows),
            (Supposed::Either, _)
                | (Supposed::Strength, Direction::Better)
                | (Supposed::Shortfall, Direction::Worse)
        )
    }

    /// Measures a gap by its outcomes: the confidence with the agreeing one (the least,
    /// where several agree), and the honest range of scores.
    fn gap(
        &self,
        kind: GapKind,
        category: Option<Category>,
        wanted: String,
        rules: Vec<String>,
        outcomes: &[Outcome],
        supposed: Supposed,
    ) -> EvidenceGap {
        let trials = self.trials;
        let scored: Vec<(&Outcome, Option<u8>)> = outcomes
            .iter()
            .map(|outcome| (outcome, trials.score(&[&outcome.edit])))
            .collect();
        let after = scored
            .iter()
            .filter(|(outcome, _)| outcome.agrees)
            .map(|(outcome, score)| confidence(trials, &[&outcome.edit], *score))
            .min_by_key(|level| steps(*level))
            .flatten();
        let (mut lowest, mut highest) = (self.now, self.now);
        for (outcome, score) in &scored {
            let Some(score) = *score else { continue };
            let (up, down) = match (self.now, outcome.shows) {
                (None, _) | (_, None) => (true, true),
                (Some(_), Some(Direction::Better)) => (true, false),
                (Some(_), Some(Direction::Worse)) => (false, true),
            };
            if up && highest.is_none_or(|h| score > h) {
                highest = Some(score);
            }
            if down && lowest.is_none_or(|l| score < l) {
                lowest = Some(score);
            }
        }
        EvidenceGap {
            kind,
            category,
            wanted,
            rules,
            weight: category.map_or(1, |c| trials.pack.weights.of(c)),
            supposed,
            confidence_before: self.before,
            confidence_after: after,
            gain: steps(after) - steps(self.before),
            lowest,
            highest,
        }
    }

    /// Categories with no evidence at all that the rules read.
    fn categories(&self) -> Vec<EvidenceGap> {
        let trials = self.trials;
        let mut categories: Vec<Category> = CQC_CATEGORIES.to_vec();
        for rule in &trials.rules.rules {
            for test in rule.ast.all_tests() {
                if let Test::Findings(f) = test
                    && let Some(c) = f.category
                    && !categories.contains(&c)
                {
                    categories.push(c);
                }
                if let Test::NoEvidenceFrom { category, .. } = test
                    && !categories.contains(category)
                {
                    categories.push(*category);
                }
            }
        }
        let mut gaps = Vec::new();
        for category in categories {
            if trials.items.iter().any(|item| item.category == category) {
                continue;
            }
            let rules = reading(trials, |test| match test {
                Test::Findings(f) => f.category.is_none_or(|c| c == category),
                Test::NoEvidenceFrom { category: c, .. } => *c == category,
                _ => false,
            });
            if rules.is_empty() {
                continue;
            }
            // The same edits as the moves' first candidates, so the trials are shared.
            let one = |sentiment: Sentiment| Edit::AddFindings {
                kind: FindingKind {
                    category,
                    sentiment,
                    strength: Strength::Normal,
                    tag: None,
                },
                count: 1,
            };
            let outcomes = [
                Outcome {
                    edit: one(Sentiment::Positive),
                    shows: Some(Direction::Better),
                    agrees: self.agrees(Direction::Better),
                },
                Outcome {
                    edit: one(Sentiment::Negative),
                    shows: Some(Direction::Worse),
                    agrees: self.agrees(Direction::Worse),
                },
                Outcome {
                    edit: one(Sentiment::Mixed),
                    shows: Some(Direction::Worse),
                    agrees: false,
                },
            ];
            gaps.push(self.gap(
                GapKind::Category,
                Some(category),
                format!("evidence from {}", category.as_str()),
                rules,
                &outcomes,
                self.supposed,
            ));
        }
        gaps
    }

    /// Metric items with neither a target nor an England average, where a rule counts
    /// evidence from their category: without one they cannot count.
    fn unjudged_metrics(&self) -> Vec<EvidenceGap> {
        let trials = self.trials;
        let pack = trials.pack;
        let mut gaps = Vec::new();
        for (index, item) in trials.items.iter().enumerate() {
            let Some(value) = item.metric() else { continue };
            let Some(id) = value.metric else { continue };
            if judging(pack, value).is_some() || !first_in_category(trials.items, index, id) {
                continue;
            }
            let rules = reading(trials, |test| {
                matches!(test, Test::Findings(f) if f.noun == Noun::Evidence
                    && f.tags.is_empty()
                    && f.category.is_none_or(|c| c == item.category))
            });
            if rules.is_empty() {
                continue;
            }
            let metric = pack.catalogue.metric(id);
            // A target judged each way it could be, verified by the evaluator's own rule.
            let with_target = |shows: Option<Sentiment>| {
                targets(
                    value,
                    metric.highest(),
                    value
                        .margin
                        .unwrap_or(metric.tolerance.unwrap_or(pack.tolerance).amount),
                )
                .into_iter()
                .find(|&target| {
                    let mut completed = value.clone();
                    completed.target = Some(target);
                    judging(pack, &completed).map(|j| j.sentiment(value.value)) == Some(shows)
                })
                .map(|target| Edit::Complete {
                    item: index,
                    references: [Some(target), None, None, None, None],
                })
            };
            let better = with_target(Some(Sentiment::Positive));
            let worse = with_target(Some(Sentiment::Negative));
            // In line is the agreeing one where no target could show what the score says.
            let lean_missing = match self.supposed {
                Supposed::Strength => better.is_none(),
                Supposed::Shortfall => worse.is_none(),
                _ => better.is_none() && worse.is_none(),
            };
            let mut outcomes = Vec::new();
            for (edit, shows) in [
                (better, Some(Direction::Better)),
                (with_target(None), None),
                (worse, Some(Direction::Worse)),
            ] {
                let Some(edit) = edit else { continue };
                let agrees = match shows {
                    Some(direction) => self.agrees(direction),
                    None => lean_missing,
                };
                outcomes.push(Outcome {
                    edit,
                    shows,
                    agrees,
                });
            }
            let wanted = match metric.local {
                true => format!("a target for {} (it cannot count without one)", metric.name),
                false => format!(
                    "a target or England average for {} (it cannot count without one)",
                    metric.name
                ),
            };
            gaps.push(self.gap(
                GapKind::Reference,
                Some(item.category),
                wanted,
                rules,
                &outcomes,
                if lean_missing {
                    Supposed::SameScore
                } else {
                    self.supposed
                },
            ));
        }
        gaps
    }

    /// Metrics the rules compare that the file lacks, and references of given metrics the
    /// comparisons need.
    fn compared_metrics(&self) -> Vec<EvidenceGap> {
        let trials = self.trials;
        let pack = trials.pack;
        let mut gaps = Vec::new();
        for (metric, reads) in metric_tests(pack, trials.rules) {
            let entry = pack.catalogue.metric(metric);
            let given = trials.items.iter().enumerate().find_map(|(index, item)| {
                item.metric()
                    .filter(|m| m.metric == Some(metric))
                    .map(|m| (index, item, m))
            });
            let Some((index, item, value)) = given else {
                let category = entry.category.unwrap_or(Category::Processes);
                let all: Vec<&Read> = reads.iter().collect();
                let edits = witnesses(pack, metric, &all, &[])
                    .into_iter()
                    .map(|w| Edit::AddMetric {
                        metric,
                        category,
                        value: w[Slot::Value.index()].unwrap_or_default(),
                        references: [w[1], w[2], w[3], w[4], w[5]],
                    })
                    .collect();
                gaps.push(self.solved(
                    GapKind::Metric,
                    Some(category),
                    entry.name.clone(),
                    reads.iter().map(|r| r.rule),
                    edits,
                ));
                continue;
            };
            let mut slots: Vec<Slot> = reads
                .iter()
                .filter_map(|r| r.comparison.reference)
                .filter(|slot| slot.read(value).is_none())
                .collect();
            slots.sort();
            slots.dedup();
            for slot in slots {
                let reading: Vec<&Read> = reads
                    .iter()
                    .filter(|r| r.comparison.reference == Some(slot))
                    .collect();
                let fixed: Vec<(Slot, Decimal)> = Slot::ALL
                    .into_iter()
                    .filter_map(|s| s.read(value).map(|v| (s, v)))
                    .collect();
                let edits = witnesses(pack, metric, &reading, &fixed)
                    .into_iter()
                    .map(|w| Edit::Complete {
                        item: index,
                        references: missing_only(value, [w[1], w[2], w[3], w[4], w[5]]),
                    })
                    .collect();
                gaps.push(self.solved(
                    GapKind::Reference,
                    Some(item.category),
                    format!("the {} for {}", slot_label(slot), entry.name),
                    reading.iter().map(|r| r.rule),
                    edits,
                ));
            }
        }
        gaps
    }

    /// A gap whose outcomes are solved values: the agreeing one leaves the score as it is,
    /// or, where none does, the least gain is given.
    fn solved<'r>(
        &self,
        kind: GapKind,
        category: Option<Category>,
        wanted: String,
        rules: impl Iterator<Item = &'r str>,
        edits: Vec<Edit>,
    ) -> EvidenceGap {
        let keeps: Vec<bool> = edits
            .iter()
            .map(|edit| self.now.is_some() && self.trials.score(&[edit]) == self.now)
            .collect();
        let any_keeps = keeps.iter().any(|k| *k);
        let outcomes: Vec<Outcome> = edits
            .into_iter()
            .zip(keeps)
            .map(|(edit, keeps)| Outcome {
                edit,
                shows: None,
                agrees: keeps || !any_keeps,
            })
            .collect();
        let mut ids: Vec<String> = Vec::new();
        for rule in rules {
            if !ids.iter().any(|id| id == rule) {
                ids.push(rule.to_string());
            }
        }
        self.gap(
            kind,
            category,
            wanted,
            ids,
            &outcomes,
            if any_keeps {
                Supposed::SameScore
            } else {
                Supposed::Either
            },
        )
    }
}

/// The rules with a test that `reads`, in pack order.
fn reading(trials: &Trials, reads: impl Fn(&Test) -> bool) -> Vec<String> {
    trials
        .rules
        .rules
        .iter()
        .filter(|rule| rule.ast.all_tests().into_iter().any(&reads))
        .map(|rule| rule.id.clone())
        .collect()
}

/// Whether the item at `index` is the first to give its metric in its category: only the
/// first counts.
fn first_in_category(items: &[Item], index: usize, metric: MetricId) -> bool {
    let category = items[index].category;
    !items[..index].iter().any(|other| {
        other.category == category && other.metric().is_some_and(|m| m.metric == Some(metric))
    })
}

/// Targets worth trying to judge `value` each way: the value itself (in line), below it and
/// above it by more than a tolerance, and the ends of the scale. The caller keeps the first
/// that the evaluator judges as it wants.
fn targets(value: &MetricValue, top: Option<Decimal>, tolerance: Decimal) -> Vec<Decimal> {
    let v = value.value;
    let mut candidates = vec![v];
    // Each past the range of exact decimals is left out.
    let two = Decimal::TWO;
    candidates.extend(
        [
            v.checked_sub(tolerance).and_then(|d| d.checked_div(two)),
            v.checked_div(two),
            Some(Decimal::ZERO),
            tolerance
                .checked_mul(two)
                .and_then(|t| v.checked_add(t))
                .and_then(|t| t.checked_add(Decimal::ONE)),
            v.checked_mul(two).and_then(|t| t.checked_add(Decimal::ONE)),
        ]
        .into_iter()
        .flatten(),
    );
    candidates.extend(top);
    candidates
        .into_iter()
        .map(|c| c.normalize())
        .filter(|c| !c.is_sign_negative() && top.is_none_or(|t| *c <= t))
        .collect()
}

/// Only the references the item lacks.
fn missing_only(value: &MetricValue, solved: References) -> References {
    let given = references(value);
    let mut out: References = [None; 5];
    for (i, slot) in out.iter_mut().enumerate() {
        if given[i].is_none() {
            *slot = solved[i];
        }
    }
    out
}

fn slot_label(slot: Slot) -> String {
    use crate::lang::ast::ReferenceKind as Kind;
    let kind = match slot {
        Slot::Target => Kind::Target,
        Slot::England => Kind::EnglandAverage,
        Slot::Regional => Kind::RegionalAverage,
        Slot::Comparator => Kind::ComparatorAverage,
        Slot::Previous | Slot::Value => Kind::Previous,
        Slot::Margin => return "margin of error".to_string(),
    };
    match slot {
        Slot::Previous => "previous value".to_string(),
        _ => reference_name(&kind).to_string(),
    }
}
