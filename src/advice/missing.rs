//! Evidence a statement's rules read that the file lacks, ranked by how far it could move
//! the score.
//!
//! A gap's reach is computed, not guessed. For a missing metric (or a missing reference of a
//! metric that is there), every test of the statement's rules on that metric is either true
//! or false once it is given; each combination the arithmetic allows is solved exactly for
//! a witness (src/check/solver.rs), the witness is added to the file, and the real evaluator
//! scores the statement. The scores seen are exactly the scores the metric could lead to,
//! all else as it is. For a category with no findings, every mix of up to three findings of
//! the kinds the rules count is tried the same way.

use rust_decimal::Decimal;

use super::{EvidenceGap, GapKind};
use crate::ast::{Category, Comparison, Sentiment, Strength, Test};
use crate::catalogue::{MetricId, Unit};
use crate::check::formula::{Lowering, MetricComparison, Slot};
use crate::check::solver::{self, Constraint, Outcome, Problem};
use crate::eval::reference_name;
use crate::evidence::{Finding, Item, ItemContent, MetricValue};
use crate::pack::{Pack, StatementRules};
use crate::score::statement_score;

/// Most tests of one metric whose outcomes are combined (2^n combinations).
const MOST_TESTS: usize = 10;
/// Most findings added to an empty category.
const MOST_FINDINGS: usize = 3;

/// The gaps of one statement, given its rules and its evidence, most potent first.
pub fn gaps(pack: &Pack, rules: &StatementRules, items: &[Item]) -> Vec<EvidenceGap> {
    let now =
        statement_score(pack, rules, &items.iter().collect::<Vec<_>>()).unwrap_or(rules.baseline);
    let study = Study {
        pack,
        rules,
        items,
        statement: &rules.statement,
    };
    let mut gaps: Vec<EvidenceGap> = Vec::new();
    for (metric, tests) in study.metric_tests() {
        let given = items.iter().find_map(|item| {
            item.metric()
                .filter(|m| m.metric == Some(metric))
                .map(|m| (item, m))
        });
        match given {
            None => gaps.push(study.missing_metric(metric, &tests, now)),
            Some((item, value)) => {
                gaps.extend(study.missing_references(metric, item, value, &tests, now))
            }
        }
    }
    gaps.extend(study.missing_findings(now));
    gaps.sort_by(|a, b| {
        let reach = |g: &EvidenceGap| g.could_raise.max(g.could_lower);
        let total = |g: &EvidenceGap| g.could_raise + g.could_lower;
        reach(b)
            .cmp(&reach(a))
            .then(total(b).cmp(&total(a)))
            .then(a.kind.cmp(&b.kind))
            .then(a.wanted.cmp(&b.wanted))
    });
    gaps
}

/// One statement's rules and evidence.
struct Study<'a> {
    pack: &'a Pack,
    rules: &'a StatementRules,
    items: &'a [Item],
    statement: &'a str,
}

/// A metric test, with the rule that holds it.
struct Read<'a> {
    rule: &'a str,
    comparison: MetricComparison,
}

impl<'a> Study<'a> {
    /// Every metric the rules compare, with the comparisons, in the order rules name them.
    fn metric_tests(&self) -> Vec<(MetricId, Vec<Read<'a>>)> {
        let lowering = Lowering { pack: self.pack };
        let mut by_metric: Vec<(MetricId, Vec<Read<'a>>)> = Vec::new();
        for rule in &self.rules.rules {
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

    fn score(&self, items: &[Item]) -> Option<u8> {
        statement_score(self.pack, self.rules, &items.iter().collect::<Vec<_>>())
    }

    fn missing_metric(&self, metric: MetricId, reads: &[Read], now: u8) -> EvidenceGap {
        let entry = self.pack.catalogue.metric(metric);
        let category = entry.category.unwrap_or(Category::Processes);
        let scores = self.reachable(metric, reads, &[], |value| {
            let mut items = self.items.to_vec();
            items.push(Item::supposed(
                "added-metric".to_string(),
                self.statement,
                category,
                ItemContent::Metric(value),
            ));
            items
        });
        gap(
            GapKind::Metric,
            entry.category,
            entry.name.clone(),
            reads.iter().map(|r| r.rule),
            &scores,
            now,
        )
    }

    /// A gap for each reference a comparison needs that the item does not give.
    fn missing_references(
        &self,
        metric: MetricId,
        item: &Item,
        value: &MetricValue,
        reads: &[Read],
        now: u8,
    ) -> Vec<EvidenceGap> {
        let entry = self.pack.catalogue.metric(metric);
        let mut slots: Vec<Slot> = reads
            .iter()
            .filter_map(|r| r.comparison.reference)
            .filter(|slot| slot.read(value).is_none())
            .collect();
        slots.sort();
        slots.dedup();
        slots
            .into_iter()
            .map(|slot| {
                let reading: Vec<&Read> = reads
                    .iter()
                    .filter(|r| r.comparison.reference == Some(slot))
                    .collect();
                let fixed: Vec<(Slot, Decimal)> = Slot::ALL
                    .into_iter()
                    .filter_map(|s| s.read(value).map(|v| (s, v)))
                    .collect();
                let owned: Vec<Read> = reading
                    .iter()
                    .map(|r| Read {
                        rule: r.rule,
                        comparison: r.comparison.clone(),
                    })
                    .collect();
                let scores = self.reachable(metric, &owned, &fixed, |completed| {
                    let mut items = self.items.to_vec();
                    if let Some(ItemContent::Metric(m)) = items
                        .iter_mut()
                        .find(|i| i.id == item.id)
                        .map(|i| &mut i.content)
                    {
                        *m = completed;
                    }
                    items
                });
                gap(
                    GapKind::Reference,
                    Some(item.category),
                    format!("the {} for {}", slot_label(slot), entry.name),
                    reading.iter().map(|r| r.rule),
                    &scores,
                    now,
                )
            })
            .collect()
    }

    /// Every score the statement can have once the metric's tests are all known: each
    /// combination of their outcomes is solved for a witness, which is scored.
    fn reachable(
        &self,
        metric: MetricId,
        reads: &[Read],
        fixed: &[(Slot, Decimal)],
        with: impl Fn(MetricValue) -> Vec<Item>,
    ) -> Vec<u8> {
        let entry = self.pack.catalogue.metric(metric);
        let mut comparisons: Vec<&MetricComparison> = Vec::new();
        for read in reads {
            if !comparisons.iter().any(|c| {
                c.holds == read.comparison.holds && c.reference == read.comparison.reference
            }) {
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
            base.extend(domain(*slot, entry.unit, entry.max));
        }
        for (slot, value) in fixed {
            let x = slot.index();
            base.push(Constraint::new([(x, Decimal::ONE)], -*value, false));
            base.push(Constraint::new([(x, -Decimal::ONE)], *value, false));
        }
        let integer: Vec<bool> = Slot::ALL
            .iter()
            .map(|slot| *slot == Slot::Value && entry.unit == Unit::Count)
            .collect();
        let mut scores: Vec<u8> = Vec::new();
        for pattern in 0..(1u32 << comparisons.len()) {
            for constraints in alternatives(&comparisons, pattern) {
                let mut all = base.clone();
                all.extend(constraints);
                let problem = Problem {
                    integer: integer.clone(),
                    constraints: all,
                };
                let Outcome::Sat(point) = solver::solve(&problem) else {
                    continue;
                };
                let value = witness(&point, &used, entry.name.clone(), metric);
                if let Some(score) = self.score(&with(value)) {
                    scores.push(score);
                }
                break;
            }
        }
        scores
    }

    /// Categories the rules count findings from (or need evidence from) that have none.
    fn missing_findings(&self, now: u8) -> Vec<EvidenceGap> {
        let mut wanted: Vec<WantedFindings> = Vec::new();
        for rule in &self.rules.rules {
            for test in rule.ast.all_tests() {
                // `no evidence from` is answered by any item of the category; a count of
                // findings only by findings.
                let (category, sentiment, tags, any_item) = match test {
                    Test::Findings(f) => (f.category, f.sentiment, f.tags.clone(), false),
                    Test::NoEvidenceFrom { category, .. } => {
                        (Some(*category), None, Vec::new(), true)
                    }
                    _ => continue,
                };
                let present = self.items.iter().any(|item| {
                    (any_item || item.finding().is_some())
                        && category.is_none_or(|c| item.category == c)
                });
                if present {
                    continue;
                }
                let index = match wanted.iter().position(|w| w.category == category) {
                    Some(index) => index,
                    None => {
                        wanted.push(WantedFindings {
                            category,
                            rules: Vec::new(),
                            sentiments: Vec::new(),
                            tags: Vec::new(),
                        });
                        wanted.len() - 1
                    }
                };
                let entry = &mut wanted[index];
                if !entry.rules.contains(&rule.id.as_str()) {
                    entry.rules.push(&rule.id);
                }
                if let Some(s) = sentiment
                    && !entry.sentiments.contains(&s)
                {
                    entry.sentiments.push(s);
                }
                for tag in tags {
                    if !entry.tags.contains(&tag) {
                        entry.tags.push(tag);
                    }
                }
            }
        }
        wanted
            .into_iter()
            .map(
                |WantedFindings {
                     category,
                     rules,
                     mut sentiments,
                     tags,
                 }| {
                    for s in [Sentiment::Positive, Sentiment::Negative] {
                        if !sentiments.contains(&s) {
                            sentiments.push(s);
                        }
                    }
                    let kinds: Vec<(Sentiment, Option<String>)> = sentiments
                        .iter()
                        .flat_map(|s| {
                            std::iter::once(None)
                                .chain(tags.iter().cloned().map(Some))
                                .map(move |tag| (*s, tag))
                        })
                        .collect();
                    let filed = category.unwrap_or(Category::PeoplesExperience);
                    let mut scores = Vec::new();
                    for mix in mixes(kinds.len(), MOST_FINDINGS) {
                        let mut items = self.items.to_vec();
                        for (n, &kind) in mix.iter().enumerate() {
                            let (sentiment, tag) = &kinds[kind];
                            items.push(Item {
                                id: format!("added-finding-{}", n + 1).into(),
                                statements: vec![self.statement.to_string()],
                                category: filed,
                                period: None,
                                source: None,
                                id_span: 0..0,
                                content: ItemContent::Finding(Finding {
                                    text: "added".to_string(),
                                    sentiment: *sentiment,
                                    strength: Strength::Normal,
                                    tags: tag.iter().cloned().collect(),
                                }),
                            });
                        }
                        scores.extend(self.score(&items));
                    }
                    let wanted = match category {
                        Some(c) => format!("findings from {}", c.as_str()),
                        None => "findings (any category)".to_string(),
                    };
                    gap(
                        GapKind::Findings,
                        category,
                        wanted,
                        rules.into_iter(),
                        &scores,
                        now,
                    )
                },
            )
            .collect()
    }
}

/// Findings of a category (or any, `None`) that the rules count and the file lacks.
struct WantedFindings<'r> {
    category: Option<Category>,
    rules: Vec<&'r str>,
    /// The sentiments the rules count.
    sentiments: Vec<Sentiment>,
    /// The tags the rules narrow to.
    tags: Vec<String>,
}

fn gap<'r>(
    kind: GapKind,
    category: Option<Category>,
    wanted: String,
    rules: impl Iterator<Item = &'r str>,
    scores: &[u8],
    now: u8,
) -> EvidenceGap {
    let mut ids: Vec<String> = Vec::new();
    for rule in rules {
        if !ids.iter().any(|id| id == rule) {
            ids.push(rule.to_string());
        }
    }
    let lowest = scores.iter().copied().min();
    let highest = scores.iter().copied().max();
    EvidenceGap {
        kind,
        category,
        wanted,
        rules: ids,
        lowest,
        highest,
        could_raise: highest.map_or(0, |h| h.saturating_sub(now)),
        could_lower: lowest.map_or(0, |l| now.saturating_sub(l)),
    }
}

/// The constraint sets under which exactly the tests in `pattern` (bit i for test i) hold:
/// a test holds when all its constraints do, and fails when any one fails, so a failing
/// test with two constraints gives two alternatives.
fn alternatives(comparisons: &[&MetricComparison], pattern: u32) -> Vec<Vec<Constraint>> {
    let mut sets: Vec<Vec<Constraint>> = vec![Vec::new()];
    for (i, comparison) in comparisons.iter().enumerate() {
        if pattern & (1 << i) != 0 {
            for set in &mut sets {
                set.extend(comparison.holds.iter().cloned());
            }
        } else {
            sets = sets
                .into_iter()
                .flat_map(|set| {
                    comparison.holds.iter().map(move |c| {
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
fn domain(slot: Slot, unit: Unit, max: Option<Decimal>) -> Vec<Constraint> {
    let x = slot.index();
    let mut constraints = vec![Constraint::new([(x, Decimal::ONE)], Decimal::ZERO, false)];
    let top = match unit {
        Unit::Percent => Some(Decimal::ONE_HUNDRED),
        Unit::Score => max,
        _ => None,
    };
    if let Some(top) = top {
        constraints.push(Constraint::new([(x, -Decimal::ONE)], top, false));
    }
    constraints
}

fn witness(point: &[Decimal], used: &[Slot], name: String, metric: MetricId) -> MetricValue {
    let at = |slot: Slot| {
        used.contains(&slot)
            .then(|| point.get(slot.index()).copied())
            .flatten()
            .map(|d| d.normalize())
    };
    MetricValue {
        name,
        metric: Some(metric),
        value: at(Slot::Value).unwrap_or_default(),
        target: at(Slot::Target),
        england_average: at(Slot::England),
        regional_average: at(Slot::Regional),
        comparator_average: at(Slot::Comparator),
        previous: at(Slot::Previous),
    }
}

fn slot_label(slot: Slot) -> String {
    use crate::ast::ReferenceKind as Kind;
    let kind = match slot {
        Slot::Target => Kind::Target,
        Slot::England => Kind::EnglandAverage,
        Slot::Regional => Kind::RegionalAverage,
        Slot::Comparator => Kind::ComparatorAverage,
        Slot::Previous | Slot::Value => Kind::Previous,
    };
    match slot {
        Slot::Previous => "previous value".to_string(),
        _ => reference_name(&kind).to_string(),
    }
}

/// Every multiset of at most `most` picks from `n` kinds, as sorted index lists.
fn mixes(n: usize, most: usize) -> Vec<Vec<usize>> {
    let mut all: Vec<Vec<usize>> = Vec::new();
    let mut frontier: Vec<Vec<usize>> = vec![Vec::new()];
    for _ in 0..most {
        let mut next = Vec::new();
        for mix in &frontier {
            let from = mix.last().copied().unwrap_or(0);
            for kind in from..n {
                let mut grown = mix.clone();
                grown.push(kind);
                next.push(grown);
            }
        }
        all.extend(next.iter().cloned());
        frontier = next;
    }
    all
}
