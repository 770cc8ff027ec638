//! Trying changed evidence: a statement's score, or what its rules see, after some edits.
//! The moves and the gaps of a statement ask the same [`Trials`], and each score is worked
//! out once, by the real scorer (`statement_score`), so where they meet they cannot differ.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use rust_decimal::Decimal;

use super::Direction;
use crate::evidence::{Finding, Item, ItemContent, MetricValue};
use crate::lang::ast::{Category, Sentiment, Strength, same_words};
use crate::pack::catalogue::MetricId;
use crate::pack::{Pack, StatementRules};
use crate::score::statement_score;

/// One change to a statement's evidence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Edit {
    /// Give the metric item at this index (in the statement's evidence) a new value.
    SetValue { item: usize, value: Decimal },
    /// Add findings of one kind.
    AddFindings { kind: FindingKind, count: u32 },
    /// Give the metric item at this index the references it lacks (see [`References`]).
    Complete { item: usize, references: References },
    /// Add an item giving a metric the file lacks.
    AddMetric {
        metric: MetricId,
        category: Category,
        value: Decimal,
        references: References,
    },
}

/// A metric item's references in a fixed order: target, England, regional and comparator
/// averages, previous value.
pub(super) type References = [Option<Decimal>; 5];

pub(super) fn references(value: &MetricValue) -> References {
    [
        value.target,
        value.england_average,
        value.regional_average,
        value.comparator_average,
        value.previous,
    ]
}

fn set_references(value: &mut MetricValue, references: &References, only_missing: bool) {
    let slots = [
        &mut value.target,
        &mut value.england_average,
        &mut value.regional_average,
        &mut value.comparator_average,
        &mut value.previous,
    ];
    for (slot, given) in slots.into_iter().zip(references) {
        if given.is_some() && (slot.is_none() || !only_missing) {
            *slot = *given;
        }
    }
}

/// A kind of finding to add.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct FindingKind {
    pub category: Category,
    pub sentiment: Sentiment,
    pub strength: Strength,
    pub tag: Option<String>,
}

impl FindingKind {
    /// One such finding, noun first: `strong negative finding from processes tagged "x"`.
    pub fn subject(&self) -> String {
        let mut text = String::new();
        if self.strength == Strength::Strong {
            text.push_str("strong ");
        }
        text.push_str(self.sentiment.as_str());
        text.push_str(" finding from ");
        text.push_str(self.category.as_str());
        if let Some(tag) = &self.tag {
            text.push_str(&format!(" tagged \"{tag}\""));
        }
        text
    }

    /// Whether an item of the file is a finding of this kind (a normal kind counts strong
    /// findings too: they are findings of that sentiment all the same).
    pub fn matches(&self, item: &Item) -> bool {
        item.category == self.category
            && item.finding().is_some_and(|f| {
                f.sentiment == self.sentiment
                    && (self.strength == Strength::Normal || f.strength == Strength::Strong)
                    && self
                        .tag
                        .as_ref()
                        .is_none_or(|tag| f.tags.iter().any(|t| same_words(t, tag)))
            })
    }

    /// A positive finding is better evidence; a negative or mixed one brings a shortfall.
    pub fn direction(&self) -> Direction {
        match self.sentiment {
            Sentiment::Positive => Direction::Better,
            Sentiment::Negative | Sentiment::Mixed => Direction::Worse,
        }
    }
}

/// The trials of one statement: its pack, rules and evidence, and every score tried so far.
pub(super) struct Trials<'a> {
    pub pack: &'a Pack,
    pub rules: &'a StatementRules,
    pub items: &'a [Item],
    scores: RefCell<HashMap<Vec<Edit>, Option<u8>>>,
    evaluations: Cell<usize>,
}

impl<'a> Trials<'a> {
    pub fn new(pack: &'a Pack, rules: &'a StatementRules, items: &'a [Item]) -> Trials<'a> {
        Trials {
            pack,
            rules,
            items,
            scores: RefCell::new(HashMap::new()),
            evaluations: Cell::new(0),
        }
    }

    /// The score with these edits made; `None` when the statement would not be scored.
    pub fn score(&self, edits: &[&Edit]) -> Option<u8> {
        let key: Vec<Edit> = edits.iter().map(|&edit| edit.clone()).collect();
        if let Some(score) = self.scores.borrow().get(&key) {
            return *score;
        }
        self.evaluations.set(self.evaluations.get() + 1);
        let score = self.view(edits, |items| statement_score(self.pack, self.rules, items));
        self.scores.borrow_mut().insert(key, score);
        score
    }

    /// How many scores have been worked out (not counting repeats).
    pub fn evaluations(&self) -> usize {
        self.evaluations.get()
    }

    /// Calls `look` with the statement's evidence as it would be with these edits made.
    /// Only the changed and added items are new; the rest are the file's own.
    pub fn view<R>(&self, edits: &[&Edit], look: impl FnOnce(&[&Item]) -> R) -> R {
        let mut replaced: Vec<(usize, Item)> = Vec::new();
        let mut added: Vec<Item> = Vec::new();
        for edit in edits {
            match edit {
                Edit::SetValue { item, value } => {
                    self.change(&mut replaced, *item, |m| m.value = *value);
                }
                Edit::Complete { item, references } => {
                    self.change(&mut replaced, *item, |m| {
                        set_references(m, references, true)
                    });
                }
                Edit::AddFindings { kind, count } => {
                    for n in 0..*count {
                        added.push(self.supposed(
                            format!("supposed-{}-{}", added.len() + 1, n + 1),
                            kind.category,
                            ItemContent::Finding(Finding {
                                text: kind.subject(),
                                sentiment: kind.sentiment,
                                strength: kind.strength,
                                tags: kind.tag.iter().cloned().collect(),
                            }),
                        ));
                    }
                }
                Edit::AddMetric {
                    metric,
                    category,
                    value,
                    references,
                } => {
                    let mut given = MetricValue::bare(
                        self.pack.catalogue.metric(*metric).name.clone(),
                        Some(*metric),
                        *value,
                    );
                    set_references(&mut given, references, false);
                    added.push(self.supposed(
                        format!("supposed-metric-{}", added.len() + 1),
                        *category,
                        ItemContent::Metric(given),
                    ));
                }
            }
        }
        let mut items: Vec<&Item> = self
            .items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                replaced
                    .iter()
                    .find(|(at, _)| *at == index)
                    .map_or(item, |(_, changed)| changed)
            })
            .collect();
        items.extend(added.iter());
        look(&items)
    }

    /// Changes the metric of the item at `index`, once copied into `replaced`.
    fn change(
        &self,
        replaced: &mut Vec<(usize, Item)>,
        index: usize,
        edit: impl FnOnce(&mut MetricValue),
    ) {
        let position = match replaced.iter().position(|(at, _)| *at == index) {
            Some(position) => position,
            None => match self.items.get(index) {
                Some(item) => {
                    replaced.push((index, item.clone()));
                    replaced.len() - 1
                }
                None => return,
            },
        };
        if let ItemContent::Metric(metric) = &mut replaced[position].1.content {
            edit(metric);
        }
    }

    fn supposed(&self, id: String, category: Category, content: ItemContent) -> Item {
        Item::supposed(id, &self.rules.statement, category, content)
    }
}
