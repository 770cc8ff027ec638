//! Invariants a pack should keep for any evidence (docs/check.md, "Invariants"):
//!
//! - monotone (A301): one more negative finding, or a metric made worse, never raises a
//!   statement's score; one more positive finding, or a metric made better, never lowers it;
//! - scale-free (A302): the same evidence given twice over leaves every score unchanged;
//! - absence (A303): no rule lowers or caps a score because evidence is missing.
//!
//! Candidates come from the solver, exactly, rule by rule ([`symbolic`]), and from a
//! bounded search over small evidence profiles, which also finds what no single rule does
//! (a category scored on its own, the banding of a percentage) ([`search`]). A violation is
//! only reported once the real scorer (`score::statement_score`) has shown it: the
//! finding carries the evidence before and after, and both scores.

mod search;
mod symbolic;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rust_decimal::Decimal;

use super::satisfiability::per_category;
use super::{Finding, Location};
use crate::evidence::Item;
use crate::lang::ast::{
    Category, EffectKind, Noun, Sentiment, Span, Strength, Test, normalise_words,
};
use crate::logic::counterexample::{Change, CounterFinding, CounterMetric, Counterexample};
use crate::logic::formula::{SLOTS, Slot};
use crate::logic::lowering::Lowering;
use crate::logic::solver::{self, Constraint, Outcome, Problem};
use crate::logic::theory::Spares;
use crate::pack::catalogue::{MetricId, Unit};
use crate::pack::{Pack, PackRule, StatementRules};
use crate::score::eval::{StatementEvidence, rule_fires};
use crate::source::codes;

/// What a statement's rules tell apart in a finding or a metric item: whether any reads
/// strength, the tags they count (each alone, and none), and whether any weighs judged
/// metrics. The kinds of item worth trying are built from these.
pub(super) struct Distinctions {
    pub strong: bool,
    pub tag_options: Vec<Vec<String>>,
    pub judged: bool,
}

impl Distinctions {
    pub fn of(statement: &StatementRules) -> Distinctions {
        let tests: Vec<&Test> = statement
            .rules
            .iter()
            .flat_map(|r| r.ast.all_tests())
            .collect();
        let mut tag_options: Vec<Vec<String>> = vec![Vec::new()];
        for test in &tests {
            if let Test::Findings(f) = test {
                for tag in &f.tags {
                    let tag = vec![normalise_words(tag)];
                    if !tag_options.contains(&tag) {
                        tag_options.push(tag);
                    }
                }
            }
        }
        Distinctions {
            strong: tests
                .iter()
                .any(|t| matches!(t, Test::Findings(f) if f.strong)),
            tag_options,
            judged: tests.iter().any(
                |t| matches!(t, Test::Findings(f) if f.noun == Noun::Evidence && f.tags.is_empty()),
            ),
        }
    }
}

pub fn analyse(pack: &Pack, spares: &Spares) -> Vec<Finding> {
    // Statements with the same rules (the default pack's nine) are analysed once.
    let mut cache: BTreeMap<String, Analysis> = BTreeMap::new();
    let mut findings = Vec::new();
    for statement in pack.statements.iter().filter(|s| !s.rules.is_empty()) {
        let outcome = cache
            .entry(structure(statement))
            .or_insert_with(|| Checker::new(pack, spares, statement).analysis());
        findings.extend(
            outcome
                .violations
                .iter()
                .filter_map(|v| v.finding(statement)),
        );
        for (property, index) in &outcome.undecided {
            if let Some(rule) = statement.rules.get(*index) {
                findings.push(Finding::new(
                    codes::UNDECIDED,
                    format!(
                        "could not decide whether rule `{}` keeps the statement's score {} within the analysis bounds",
                        rule.id,
                        property.promise()
                    ),
                    Location::of_rule(rule),
                ));
            }
        }
    }
    findings
}

/// What decides a statement's scores, whatever its id and its rules' ids.
fn structure(statement: &StatementRules) -> String {
    let mut key = format!("{:?} {}", statement.method, statement.baseline);
    for rule in &statement.rules {
        key.push('\n');
        key.push_str(&rule.ast.to_string());
    }
    key
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Property {
    Monotone,
    ScaleFree,
    Absence,
}

impl Property {
    fn promise(self) -> &'static str {
        match self {
            Property::Monotone => "monotone (more negative evidence never raises it)",
            Property::ScaleFree => "the same when every item is given twice",
            Property::Absence => "free of missing evidence",
        }
    }
}

/// What the analysis of one statement's rules shows.
struct Analysis {
    violations: Vec<Violation>,
    /// Questions (by property and rule index) beyond the bounds with nothing shown.
    undecided: Vec<(Property, usize)>,
}

/// Which way a change of evidence may move a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Way {
    /// More negative evidence: the score must not rise.
    Worse,
    /// More positive evidence: the score must not fall.
    Better,
    /// The same evidence: the score must not move.
    Same,
}

/// A change to an evidence profile.
#[derive(Clone, Debug)]
enum Move {
    /// One more finding.
    Add(CounterFinding),
    /// A metric item's value moved, its reference kept.
    Rejudge {
        index: usize,
        value: Decimal,
        worse: bool,
    },
    /// Every item given twice over.
    Double,
    /// One more metric item: evidence that was missing.
    Give(CounterMetric),
}

impl Move {
    fn way(&self) -> Way {
        match self {
            Move::Add(f) if f.sentiment == Sentiment::Negative => Way::Worse,
            Move::Add(_) => Way::Better,
            Move::Rejudge { worse: true, .. } => Way::Worse,
            Move::Rejudge { .. } => Way::Better,
            Move::Double | Move::Give(_) => Way::Same,
        }
    }

    fn apply(&self, before: &Counterexample) -> Counterexample {
        let mut after = before.clone();
        match self {
            Move::Add(finding) => {
                let alike = after.findings.iter_mut().find(|f| {
                    f.sentiment == finding.sentiment
                        && f.strength == finding.strength
                        && f.category == finding.category
                        && f.tags == finding.tags
                });
                match alike {
                    Some(group) => group.count += finding.count,
                    None => after.findings.push(finding.clone()),
                }
            }
            Move::Rejudge { index, value, .. } => {
                if let Some(metric) = after.metrics.get_mut(*index) {
                    metric.value = *value;
                }
            }
            Move::Double => {
                after.metrics.extend(before.metrics.iter().cloned());
                for finding in &mut after.findings {
                    finding.count *= 2;
                }
            }
            Move::Give(metric) => after.metrics.push(metric.clone()),
        }
        after
    }

    /// The change in words.
    fn words(&self, before: &Counterexample) -> String {
        match self {
            Move::Add(f) => {
                let strong = match f.strength {
                    Strength::Strong => " strong",
                    Strength::Normal => "",
                };
                let mut text = format!(
                    "one more{strong} {} finding from {}",
                    f.sentiment.as_str(),
                    f.category.as_str()
                );
                if !f.tags.is_empty() {
                    let tags: Vec<String> = f.tags.iter().map(|t| format!("\"{t}\"")).collect();
                    text.push_str(&format!(" tagged {}", tags.join(", ")));
                }
                text
            }
            Move::Rejudge {
                index,
                value,
                worse,
            } => {
                let metric = before.metrics.get(*index);
                format!(
                    "`{}` made {}: {} instead of {}",
                    metric.map_or("", |m| m.metric.as_str()),
                    if *worse { "worse" } else { "better" },
                    value.normalize(),
                    metric.map_or(Decimal::ZERO, |m| m.value)
                )
            }
            Move::Double => "every item given twice over".to_string(),
            Move::Give(metric) => format!(
                "with `{}` given ({}, from {})",
                metric.metric,
                metric.value,
                metric.category.as_str()
            ),
        }
    }
}

/// A rule whose verdict a change turns: it starts or stops firing, on the whole statement
/// (`None`) or in one category's evidence.
#[derive(Clone, Debug, PartialEq)]
struct Turn {
    rule: usize,
    starts: bool,
    category: Option<Category>,
}

/// A shown violation of one property, by rule index (statements alike share it).
#[derive(Clone, Debug)]
struct Violation {
    property: Property,
    /// The rules responsible, primary first.
    rules: Vec<usize>,
    /// For an absence: the test that holds because evidence is missing.
    at: Option<Span>,
    before: Counterexample,
    what: String,
    after: Counterexample,
    scores: (Option<u8>, Option<u8>),
    turns: Vec<Turn>,
    /// Categories scored after the change that were not before, with their scores.
    newly_scored: Vec<(Category, u8)>,
}

impl Violation {
    fn finding(&self, statement: &StatementRules) -> Option<Finding> {
        let rule = |index: usize| statement.rules.get(index);
        let id = |index: usize| rule(index).map_or("", |r| r.id.as_str());
        let score = |s: Option<u8>| s.map_or("not scored".to_string(), |s| s.to_string());
        let (before, after) = (score(self.scores.0), score(self.scores.1));
        let cause = self.cause(&id);
        let (code, message) = match self.property {
            Property::Monotone => {
                let moved = if self.scores.1 > self.scores.0 {
                    "raises"
                } else {
                    "lowers"
                };
                (
                    codes::EVIDENCE_NOT_MONOTONE,
                    format!(
                        "in `{}`, {} {moved} the score from {before} to {after}: {cause}",
                        statement.statement, self.what
                    ),
                )
            }
            Property::ScaleFree => (
                codes::NOT_SCALE_FREE,
                format!(
                    "in `{}`, the same evidence given twice over moves the score from {before} to {after}: {cause}",
                    statement.statement
                ),
            ),
            Property::Absence => {
                let primary = self.rules.first().copied().unwrap_or(0);
                let test = match (rule(primary), self.at) {
                    (Some(r), Some(span)) => r.text.get(span.start..span.end).unwrap_or(""),
                    _ => "",
                };
                let does = match rule(primary).map(|r| r.ast.effect.kind) {
                    Some(EffectKind::CapAt(_)) => "caps",
                    _ => "lowers",
                };
                (
                    codes::ABSENCE_SCORED,
                    format!(
                        "rule `{}` {does} the score because evidence is missing: it fires when `{test}` holds (score {before}; {after} once the evidence is given)",
                        id(primary)
                    ),
                )
            }
        };
        let place = |index: usize, span: Option<Span>| {
            rule(index).map(|r| match span {
                Some(span) => Location::in_rule(r, span),
                None => Location::of_rule(r),
            })
        };
        let primary = self
            .rules
            .first()
            .and_then(|index| place(*index, self.at))
            .or_else(|| {
                statement.origin.as_ref().map(|(file, span)| Location {
                    file: Arc::clone(file),
                    span: span.clone(),
                })
            });
        let primary = primary.or_else(|| statement.rules.first().map(Location::of_rule))?;
        let mut finding = Finding::new(code, message, primary);
        for index in self.rules.iter().skip(1) {
            if let Some(at) = place(*index, None) {
                finding = finding.also_at(at);
            }
        }
        finding.counterexample = Some(self.before.clone());
        finding.change = Some(Change {
            what: self.what.clone(),
            after: self.after.clone(),
            score_before: self.scores.0,
            score_after: self.scores.1,
        });
        finding.rules = self.rules.iter().map(|i| id(*i).to_string()).collect();
        Some(finding)
    }

    /// Why the score moved: the rules that start or stop firing, or a category newly scored.
    fn cause<'r>(&self, id: &dyn Fn(usize) -> &'r str) -> String {
        let mut parts: Vec<String> = self
            .turns
            .iter()
            .map(|turn| {
                let place = turn
                    .category
                    .map(|c| format!(" in {}", c.as_str()))
                    .unwrap_or_default();
                let verb = if turn.starts { "starts" } else { "stops" };
                format!("rule `{}` {verb} firing{place}", id(turn.rule))
            })
            .collect();
        for (category, score) in &self.newly_scored {
            parts.push(format!(
                "{} is now scored on its own evidence, at {score}",
                category.as_str()
            ));
        }
        if parts.is_empty() {
            "the rules' verdicts combine differently".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Checks one statement's rules.
struct Checker<'a> {
    pack: &'a Pack,
    spares: &'a Spares,
    statement: &'a StatementRules,
    /// Every metric the statement's rules read: evidence added to a profile avoids them.
    reads: BTreeSet<MetricId>,
    /// Questions the solver could not settle within its bounds.
    undecided: std::cell::RefCell<Vec<(Property, usize)>>,
}

impl<'a> Checker<'a> {
    fn new(pack: &'a Pack, spares: &'a Spares, statement: &'a StatementRules) -> Checker<'a> {
        let reads = statement
            .rules
            .iter()
            .flat_map(|rule| rule.ast.metric_names())
            .filter_map(|name| pack.catalogue.lookup(&name.name))
            .collect();
        Checker {
            pack,
            spares,
            statement,
            reads,
            undecided: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn analysis(&self) -> Analysis {
        let mut found = Vec::new();
        self.symbolic(&mut found);
        self.search(&mut found);
        found.sort_by_key(|v| (v.property, v.rules.first().copied()));
        // Undecided only where nothing was shown for the rule and property.
        let mut undecided = self.undecided.take();
        undecided.sort();
        undecided.dedup();
        undecided.retain(|(property, rule)| {
            !found
                .iter()
                .any(|v| v.property == *property && v.rules.first() == Some(rule))
        });
        Analysis {
            violations: found,
            undecided,
        }
    }

    /// Records a violation unless one of the property is already shown for its primary rule.
    fn record(&self, found: &mut Vec<Violation>, violation: Violation) -> bool {
        let primary = violation.rules.first().copied();
        let known = found
            .iter()
            .any(|v| v.property == violation.property && v.rules.first().copied() == primary);
        if !known {
            found.push(violation);
        }
        !known
    }

    fn score(&self, example: &Counterexample) -> Option<u8> {
        example.score(self.pack, &self.statement.statement)
    }

    /// The violation a move shows on a profile, if the real scorer shows it.
    fn confirm(&self, property: Property, before: &Counterexample, mv: &Move) -> Option<Violation> {
        let after = mv.apply(before);
        let (was, now) = (self.score(before)?, self.score(&after)?);
        let wrong = match mv.way() {
            Way::Worse => now > was,
            Way::Better => now < was,
            Way::Same => now != was,
        };
        if !wrong {
            return None;
        }
        Some(self.violation(property, before, mv, after, None))
    }

    fn violation(
        &self,
        property: Property,
        before: &Counterexample,
        mv: &Move,
        after: Counterexample,
        at: Option<(usize, Span)>,
    ) -> Violation {
        let was = self.fired(before);
        let now = self.fired(&after);
        let mut turns = Vec::new();
        for (rule, (was, now)) in was.iter().zip(&now).enumerate() {
            for place in now.difference(was) {
                turns.push(Turn {
                    rule,
                    starts: true,
                    category: *place,
                });
            }
            for place in was.difference(now) {
                turns.push(Turn {
                    rule,
                    starts: false,
                    category: *place,
                });
            }
        }
        let scored_before = self.scored_categories(before);
        let newly_scored: Vec<(Category, u8)> = self
            .scored_categories(&after)
            .into_iter()
            .filter(|c| !scored_before.contains(c))
            .map(|c| {
                // The category's own score: the baseline and what fires on its evidence.
                let effects: Vec<EffectKind> = now
                    .iter()
                    .zip(&self.statement.rules)
                    .filter(|(places, _)| places.contains(&Some(c)))
                    .map(|(_, rule)| rule.ast.effect.kind)
                    .collect();
                (
                    c,
                    crate::score::combine(self.statement.baseline, &effects).0,
                )
            })
            .collect();
        // What fires in a newly scored category is part of its score, said above.
        turns.retain(|t| {
            !t.category
                .is_some_and(|c| newly_scored.iter().any(|(n, _)| *n == c))
        });
        let mut rules: Vec<usize> = Vec::new();
        if let Some((rule, _)) = at {
            rules.push(rule);
        }
        for turn in &turns {
            if !rules.contains(&turn.rule) {
                rules.push(turn.rule);
            }
        }
        if rules.is_empty() {
            // A category scored on its own: the rules that score categories decide it.
            rules = (0..self.statement.rules.len())
                .filter(|i| per_category(self.statement, &self.statement.rules[*i]))
                .collect();
        }
        Violation {
            property,
            rules,
            at: at.map(|(_, span)| span),
            what: mv.words(before),
            before: before.clone(),
            scores: (self.score(before), self.score(&after)),
            after,
            turns,
            newly_scored,
        }
    }

    /// Where each rule fires: on the whole statement (`None`) or in a category's evidence.
    fn fired(&self, example: &Counterexample) -> Vec<BTreeSet<Option<Category>>> {
        let items = example.items(self.pack, &self.statement.statement);
        let whole: Vec<&Item> = items.iter().collect();
        let mut categories: Vec<Category> = items.iter().map(|i| i.category).collect();
        categories.sort();
        categories.dedup();
        self.statement
            .rules
            .iter()
            .map(|rule| {
                let mut places = BTreeSet::new();
                if per_category(self.statement, rule) {
                    for category in &categories {
                        let view = StatementEvidence {
                            items: whole
                                .iter()
                                .copied()
                                .filter(|i| i.category == *category)
                                .collect(),
                        };
                        if rule_fires(rule, &view, self.pack) {
                            places.insert(Some(*category));
                        }
                    }
                } else {
                    let view = StatementEvidence {
                        items: whole.clone(),
                    };
                    if rule_fires(rule, &view, self.pack) {
                        places.insert(None);
                    }
                }
                places
            })
            .collect()
    }

    /// Under `method: categories`, the categories some rule can read (so they are scored).
    fn scored_categories(&self, example: &Counterexample) -> Vec<Category> {
        if self.statement.method != crate::pack::Method::Categories {
            return Vec::new();
        }
        let items = example.items(self.pack, &self.statement.statement);
        let mut categories: Vec<Category> = items.iter().map(|i| i.category).collect();
        categories.sort();
        categories.dedup();
        categories
            .into_iter()
            .filter(|category| {
                let view = StatementEvidence {
                    items: items.iter().filter(|i| i.category == *category).collect(),
                };
                self.statement
                    .rules
                    .iter()
                    .filter(|r| per_category(self.statement, r))
                    .any(|r| !crate::score::eval::rule_verdict(r, &view, self.pack).not_evaluable)
            })
            .collect()
    }

    /// Metrics no rule of the statement reads, for items that change no test.
    fn unread_metrics(&self) -> impl Iterator<Item = MetricId> + '_ {
        (0..self.pack.catalogue.metrics().len()).filter(|m| !self.reads.contains(m))
    }

    /// A metric item no test reads: it only gives its category evidence.
    fn neutral(&self, category: Category, used: &Counterexample) -> Option<CounterMetric> {
        let metric = self.unread_metrics().find(|m| {
            let name = &self.pack.catalogue.metric(*m).name;
            !used.metrics.iter().any(|given| &given.metric == name)
        })?;
        Some(CounterMetric::bare(
            self.pack.catalogue.metric(metric).name.clone(),
            category,
            Decimal::ZERO,
        ))
    }
}

/// How a metric item counts as evidence (eval.rs `judged`): `None` when it is not judged
/// (no target and no England average), else its tone (`Some(None)` in line).
fn tone_of(pack: &Pack, metric: &CounterMetric) -> Option<Option<Sentiment>> {
    let id = pack.catalogue.lookup(&metric.metric)?;
    let (slot, reference) = match (metric.target, metric.england_average) {
        (Some(target), _) => (Slot::Target, target),
        (None, Some(england)) => (Slot::England, england),
        (None, None) => return None,
    };
    let mut point = [Decimal::ZERO; SLOTS];
    point[Slot::Value.index()] = metric.value;
    point[slot.index()] = reference;
    point[Slot::Margin.index()] = metric.margin.unwrap_or_default();
    let lowering = Lowering { pack };
    [Some(Sentiment::Positive), Some(Sentiment::Negative), None]
        .into_iter()
        .find(|tone| {
            lowering
                .judgement(id, slot, *tone, metric.margin.is_some())
                .iter()
                .all(|c| c.holds(&point) == Some(true))
        })
}

/// A value for a judged metric item, its reference kept, that judges it `tone`.
fn retoned(pack: &Pack, metric: &CounterMetric, tone: Option<Sentiment>) -> Option<Decimal> {
    let id = pack.catalogue.lookup(&metric.metric)?;
    let (slot, reference) = match (metric.target, metric.england_average) {
        (Some(target), _) => (Slot::Target, target),
        (None, Some(england)) => (Slot::England, england),
        (None, None) => return None,
    };
    let entry = pack.catalogue.metric(id);
    let value = Slot::Value.index();
    let mut constraints = Lowering { pack }.judgement(id, slot, tone, metric.margin.is_some());
    // The reference, and any margin of error, are kept as they are.
    let mut fixed = vec![(slot, reference)];
    fixed.extend(metric.margin.map(|margin| (Slot::Margin, margin)));
    for (slot, at) in fixed {
        constraints.push(Constraint::new([(slot.index(), Decimal::ONE)], -at, false));
        constraints.push(Constraint::new([(slot.index(), -Decimal::ONE)], at, false));
    }
    constraints.push(Constraint::new(
        [(value, Decimal::ONE)],
        Decimal::ZERO,
        false,
    ));
    let upper = entry.highest();
    if let Some(upper) = upper {
        constraints.push(Constraint::new([(value, -Decimal::ONE)], upper, false));
    }
    let problem = Problem {
        integer: (0..SLOTS)
            .map(|v| v == value && entry.unit == Unit::Count)
            .collect(),
        constraints,
    };
    match solver::solve(&problem) {
        Outcome::Sat(point) => point.get(value).map(|v| v.normalize()),
        _ => None,
    }
}

/// Whether `to` is the worse way from `from` for a judged item: negative below in line
/// below positive.
fn is_worse(from: Option<Sentiment>, to: Option<Sentiment>) -> bool {
    let rank = |tone: Option<Sentiment>| match tone {
        Some(Sentiment::Positive) => 2,
        None => 1,
        _ => 0,
    };
    rank(to) < rank(from)
}

/// Which way a rule pulls: +1 raises (or lifts), -1 lowers (or caps), 0 neither.
fn pull(rule: &PackRule) -> i8 {
    match rule.ast.effect.kind {
        EffectKind::Raise(_) => 1,
        EffectKind::LiftTo(n) if n > 1 => 1,
        EffectKind::Lower(_) => -1,
        EffectKind::CapAt(n) if n < 4 => -1,
        _ => 0,
    }
}
