//! The bounded search: every evidence profile of up to [`MAX_ITEMS`] items over the kinds of
//! item the statement's rules tell apart (a finding of each sentiment, strength and tag the
//! rules name, and a metric item judged each way, in each category worth trying), changed
//! every way the properties speak of, and scored by the real scorer. It finds what no single
//! rule does: a category scored on its own joining the statement's percentage, the banding
//! of that percentage, caps and lifts over the whole statement.

use rust_decimal::Decimal;

use super::{Checker, Distinctions, Move, Property, Violation, is_worse};
use crate::evidence::{Finding, Item, ItemContent, MetricValue};
use crate::lang::ast::{Category, Sentiment, Strength};
use crate::logic::counterexample::{CounterFinding, CounterMetric, Counterexample};

/// Most items in a profile searched.
pub(super) const MAX_ITEMS: usize = 3;
/// Most kinds of item searched with [`MAX_ITEMS`]; with more, profiles of two items.
pub(super) const MAX_KINDS: usize = 30;
/// Most violations of one property the search reports for one statement.
const MAX_SHOWN: usize = 3;

const TONES: [Option<Sentiment>; 3] = [Some(Sentiment::Positive), None, Some(Sentiment::Negative)];

/// A kind of item and the evidence items that stand for it.
struct Kind {
    /// One item per use in a profile (metric items must be distinct metrics; a finding
    /// may be repeated).
    items: Vec<Item>,
    /// For a metric item: each use given twice (a new id, the same metric), and judged
    /// each other way, with its tone.
    twins: Vec<Item>,
    retoned: Vec<Vec<(Option<Sentiment>, Item)>>,
    tone: Option<Option<Sentiment>>,
}

impl Checker<'_> {
    pub(super) fn search(&self, found: &mut Vec<Violation>) {
        let kinds = self.kinds();
        let size = if kinds.len() <= MAX_KINDS {
            MAX_ITEMS
        } else {
            MAX_ITEMS - 1
        };
        let adds: Vec<&Item> = kinds
            .iter()
            .filter(|k| k.tone.is_none())
            .filter_map(|k| k.items.first())
            .filter(|item| {
                item.finding()
                    .is_some_and(|f| f.sentiment != Sentiment::Mixed)
            })
            .collect();
        let mut shown = [0usize; 2];
        let mut profile: Vec<usize> = Vec::new();
        loop {
            if !advance(&mut profile, kinds.len(), size) {
                break;
            }
            let Some(refs) = build(&kinds, &profile) else {
                continue;
            };
            let Some(was) = crate::score::statement_score(self.pack, self.statement, &refs) else {
                continue;
            };
            let score =
                |items: &[&Item]| crate::score::statement_score(self.pack, self.statement, items);
            if shown[0] < MAX_SHOWN {
                for item in &adds {
                    let mut after = refs.clone();
                    after.push(item);
                    let worse = item
                        .finding()
                        .is_some_and(|f| f.sentiment == Sentiment::Negative);
                    if let Some(now) = score(&after)
                        && (if worse { now > was } else { now < was })
                    {
                        let mv = Move::Add(counter_finding(item));
                        shown[0] += usize::from(self.show(Property::Monotone, &refs, &mv, found));
                    }
                }
                for (position, (kind, use_)) in uses(&profile).into_iter().enumerate() {
                    let Some(tone) = kinds[kind].tone else {
                        continue;
                    };
                    for (to, item) in &kinds[kind].retoned[use_] {
                        let mut after = refs.clone();
                        after[position] = item;
                        let worse = is_worse(tone, *to);
                        if let Some(now) = score(&after)
                            && (if worse { now > was } else { now < was })
                        {
                            let value = item.metric().map_or(Decimal::ZERO, |m| m.value);
                            // Its place among the profile's metric items.
                            let index = refs[..position]
                                .iter()
                                .filter(|i| i.metric().is_some())
                                .count();
                            let mv = Move::Rejudge {
                                index,
                                value,
                                worse,
                            };
                            shown[0] +=
                                usize::from(self.show(Property::Monotone, &refs, &mv, found));
                        }
                    }
                }
            }
            if shown[1] < MAX_SHOWN {
                let mut doubled = refs.clone();
                for (kind, use_) in uses(&profile) {
                    let twin = match kinds[kind].tone {
                        Some(_) => kinds[kind].twins.get(use_),
                        None => kinds[kind].items.first(),
                    };
                    doubled.extend(twin);
                }
                if score(&doubled).is_some_and(|now| now != was) {
                    shown[1] +=
                        usize::from(self.show(Property::ScaleFree, &refs, &Move::Double, found));
                }
            }
            if shown.iter().all(|n| *n >= MAX_SHOWN) {
                break;
            }
        }
    }

    /// The violation, confirmed on the profile written as a counterexample.
    fn show(
        &self,
        property: Property,
        refs: &[&Item],
        mv: &Move,
        found: &mut Vec<Violation>,
    ) -> bool {
        let before = counterexample(refs);
        match self.confirm(property, &before, mv) {
            Some(violation) => self.record(found, violation),
            None => false,
        }
    }

    /// The kinds of item the statement's rules tell apart, in the categories worth trying
    /// (with a second category of the same weight, so a new category can be tried).
    fn kinds(&self) -> Vec<Kind> {
        let Distinctions {
            strong,
            tag_options,
            judged,
        } = Distinctions::of(self.statement);
        let mut categories = self.categories();
        if let Some(extra) = Category::ALL.into_iter().find(|c| {
            !categories.contains(c)
                && categories
                    .iter()
                    .any(|k| self.pack.weights.of(*k) == self.pack.weights.of(*c))
        }) {
            categories.push(extra);
        }
        let statement = &self.statement.statement;
        let mut metrics = self.judgeable();
        let mut kinds = Vec::new();
        for category in categories {
            for sentiment in [Sentiment::Positive, Sentiment::Negative, Sentiment::Mixed] {
                for strength in [Strength::Normal, Strength::Strong]
                    .into_iter()
                    .filter(|s| strong || *s == Strength::Normal)
                {
                    for tags in &tag_options {
                        let item = Item::supposed(
                            format!("s{}", kinds.len() + 1),
                            statement,
                            category,
                            ItemContent::Finding(Finding {
                                text: "search".to_string(),
                                sentiment,
                                strength,
                                tags: tags.clone(),
                            }),
                        );
                        kinds.push(Kind {
                            items: vec![item],
                            twins: Vec::new(),
                            retoned: Vec::new(),
                            tone: None,
                        });
                    }
                }
            }
            if !judged {
                continue;
            }
            for tone in TONES {
                let mut kind = Kind {
                    items: Vec::new(),
                    twins: Vec::new(),
                    retoned: Vec::new(),
                    tone: Some(tone),
                };
                for _ in 0..MAX_ITEMS {
                    let Some((metric, witnesses)) = metrics.pop() else {
                        break;
                    };
                    let id = format!("s{}-{}", kinds.len() + 1, kind.items.len() + 1);
                    let item = |id: String, tone: Option<Sentiment>| {
                        let (value, target) = witnesses[tone_index(tone)];
                        let name = self.pack.catalogue.metric(metric).name.clone();
                        Item::supposed(
                            id,
                            statement,
                            category,
                            ItemContent::Metric(MetricValue {
                                target: Some(target),
                                ..MetricValue::bare(name, Some(metric), value)
                            }),
                        )
                    };
                    kind.items.push(item(id.clone(), tone));
                    kind.twins.push(item(format!("{id}-twice"), tone));
                    kind.retoned.push(
                        TONES
                            .into_iter()
                            .filter(|t| *t != tone)
                            .map(|t| (t, item(format!("{id}-moved"), t)))
                            .collect(),
                    );
                }
                kinds.push(kind);
            }
        }
        kinds
    }

    /// Metrics no rule of the statement reads that can be judged every way at one target,
    /// with the values that do it; the last is used first.
    fn judgeable(&self) -> Vec<(usize, [(Decimal, Decimal); 3])> {
        let mut out: Vec<(usize, [(Decimal, Decimal); 3])> = self
            .unread_metrics()
            .filter_map(|metric| {
                let [a, b, c] = TONES.map(|t| self.spares.witness(metric, t));
                let witnesses = [a?, b?, c?];
                let target = witnesses[0].1;
                witnesses
                    .iter()
                    .all(|(_, t)| *t == target)
                    .then_some((metric, witnesses))
            })
            .collect();
        out.reverse();
        out
    }
}

fn tone_index(tone: Option<Sentiment>) -> usize {
    TONES.iter().position(|t| *t == tone).unwrap_or(1)
}

/// The next profile: a non-decreasing list of kind indexes, by length then in order.
fn advance(profile: &mut Vec<usize>, kinds: usize, size: usize) -> bool {
    if kinds == 0 {
        return false;
    }
    // Increase the last index that can grow, resetting those after it.
    let mut position = profile.len();
    while position > 0 {
        position -= 1;
        if profile[position] + 1 < kinds {
            let next = profile[position] + 1;
            for slot in &mut profile[position..] {
                *slot = next;
            }
            return true;
        }
    }
    if profile.len() >= size {
        return false;
    }
    *profile = vec![0; profile.len() + 1];
    true
}

/// Each entry of a profile with how many times its kind came before it.
fn uses(profile: &[usize]) -> Vec<(usize, usize)> {
    profile
        .iter()
        .enumerate()
        .map(|(i, kind)| (*kind, profile[..i].iter().filter(|k| *k == kind).count()))
        .collect()
}

/// The items of a profile, in its order; `None` when a metric kind has too few items.
fn build<'k>(kinds: &'k [Kind], profile: &[usize]) -> Option<Vec<&'k Item>> {
    uses(profile)
        .into_iter()
        .map(|(kind, use_)| {
            let kind = &kinds[kind];
            match kind.tone {
                Some(_) => kind.items.get(use_),
                None => kind.items.first(),
            }
        })
        .collect()
}

fn counter_finding(item: &Item) -> CounterFinding {
    let (sentiment, strength, tags) = item
        .finding()
        .map_or((Sentiment::Mixed, Strength::Normal, Vec::new()), |f| {
            (f.sentiment, f.strength, f.tags.clone())
        });
    CounterFinding {
        count: 1,
        sentiment,
        strength,
        category: item.category,
        tags,
    }
}

/// Items as a counterexample: metric items in order, alike findings counted together.
fn counterexample(items: &[&Item]) -> Counterexample {
    let mut out = Counterexample::default();
    for item in items {
        match &item.content {
            ItemContent::Metric(m) => out.metrics.push(CounterMetric {
                metric: m.name.clone(),
                category: item.category,
                value: m.value,
                target: m.target,
                england_average: m.england_average,
                regional_average: m.regional_average,
                comparator_average: m.comparator_average,
                previous: m.previous,
                margin: m.margin,
            }),
            ItemContent::Finding(_) => {
                let finding = counter_finding(item);
                let alike = out.findings.iter_mut().find(|f| {
                    f.sentiment == finding.sentiment
                        && f.strength == finding.strength
                        && f.category == finding.category
                        && f.tags == finding.tags
                });
                match alike {
                    Some(group) => group.count += 1,
                    None => out.findings.push(finding),
                }
            }
        }
    }
    out
}
