//! Rule by rule, exactly: an evidence profile on which one change (a finding added, a metric
//! item judged another way, everything doubled, missing evidence given) turns the rule's
//! verdict the wrong way. Each profile found is then scored by the real scorer, and kept
//! only if the statement's score moves the wrong way too; if it does not (another rule
//! masks it), the question is asked again with every other rule's verdict held fixed.

use super::{Checker, Distinctions, Move, Property, Violation, is_worse, pull, retoned, tone_of};
use crate::check::satisfiability::{per_category, satisfiable};
use crate::lang::ast::{Category, Comparison, Sentiment, Strength, Test};
use crate::logic::counterexample::{CounterFinding, CounterMetric, Counterexample};
use crate::logic::formula::{Formula, Kind, Reading, Scope, World};
use crate::logic::lowering::{Lowering, is_absence};
use crate::logic::theory::Decided;
use crate::pack::{Method, PackRule};
use crate::score::eval::{StatementEvidence, rule_fires};

/// One way of changing a profile, as the solver sees it and as evidence.
struct Step {
    world: World,
    /// What the profile must already hold for the change to apply.
    needs: Formula,
    /// The same change on a profile, once the solver has built one.
    apply: Apply,
    way_worse: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// A violation is recorded.
    Shown,
    /// The rule cannot turn this way here.
    Impossible,
    /// It can, but the statement's score did not show it.
    Masked,
    /// The question is beyond the analysis bounds.
    Undecided,
}

enum Apply {
    Add(CounterFinding),
    Rejudge {
        category: Category,
        from: Option<Sentiment>,
        to: Option<Sentiment>,
    },
    Double,
}

impl Checker<'_> {
    pub(super) fn symbolic(&self, found: &mut Vec<Violation>) {
        let lowering = Lowering { pack: self.pack };
        for (index, rule) in self.statement.rules.iter().enumerate() {
            let pull = pull(rule);
            if pull != 0 {
                for step in self.steps() {
                    // Worse evidence must not make a raise start or a lower stop.
                    let starts = step.way_worse == (pull > 0);
                    self.turn(index, rule, &step, starts, &lowering, found);
                }
            }
            let double = Step {
                world: World::Doubled,
                needs: Formula::always(),
                apply: Apply::Double,
                way_worse: false,
            };
            self.turn(index, rule, &double, true, &lowering, found);
            self.turn(index, rule, &double, false, &lowering, found);
            if pull < 0 {
                self.absence(index, rule, &lowering, found);
            }
        }
    }

    /// The changes worth trying: a negative or positive finding of each kind the rules tell
    /// apart, and each judged metric item made worse or better.
    fn steps(&self) -> Vec<Step> {
        let Distinctions {
            strong,
            tag_options,
            judged,
        } = Distinctions::of(self.statement);
        let strengths: &[bool] = if strong { &[false, true] } else { &[false] };
        let mut steps = Vec::new();
        for category in self.categories() {
            for sentiment in [Sentiment::Negative, Sentiment::Positive] {
                for strong in strengths {
                    for tags in &tag_options {
                        let kind = Kind::Finding {
                            category,
                            sentiment,
                            strong: *strong,
                            tags: tags.clone(),
                        };
                        steps.push(Step {
                            world: World::Added(kind),
                            needs: Formula::always(),
                            apply: Apply::Add(CounterFinding {
                                count: 1,
                                sentiment,
                                strength: if *strong {
                                    Strength::Strong
                                } else {
                                    Strength::Normal
                                },
                                category,
                                tags: tags.clone(),
                            }),
                            way_worse: sentiment == Sentiment::Negative,
                        });
                    }
                }
            }
            if !judged {
                continue;
            }
            let tones = [Some(Sentiment::Positive), None, Some(Sentiment::Negative)];
            for from in tones {
                for to in tones.into_iter().filter(|to| *to != from) {
                    steps.push(Step {
                        world: World::Rejudged { category, from, to },
                        needs: Lowering { pack: self.pack }.judged_item(category, from),
                        apply: Apply::Rejudge { category, from, to },
                        way_worse: is_worse(from, to),
                    });
                }
            }
        }
        steps
    }

    /// The categories worth trying: every one the rules name, and of the others one of each
    /// weight (alike otherwise).
    pub(super) fn categories(&self) -> Vec<Category> {
        let rules: Vec<&PackRule> = self.statement.rules.iter().collect();
        let named = crate::check::satisfiability::named_categories(&rules);
        let mut out: Vec<Category> = named.iter().copied().collect();
        let mut weights = Vec::new();
        for category in Category::ALL.into_iter().filter(|c| !named.contains(c)) {
            let weight = self.pack.weights.of(category);
            if !weights.contains(&weight) {
                weights.push(weight);
                out.push(category);
            }
        }
        out.sort();
        out
    }

    /// Where the rule is read: each category's evidence alone, or the whole statement's
    /// with some evidence in it.
    fn places(&self, rule: &PackRule, lowering: &Lowering) -> Vec<(Reading, Formula)> {
        if per_category(self.statement, rule) {
            self.categories()
                .into_iter()
                .map(|c| (Reading::view(c), lowering.only(c)))
                .collect()
        } else {
            let some = Formula::Or(
                self.categories()
                    .into_iter()
                    .map(|c| lowering.category(c, true, &Reading::WHOLE))
                    .collect(),
            );
            vec![(Reading::WHOLE, some)]
        }
    }

    /// A profile on which `step` makes the rule start firing (`starts`) or stop, scored.
    fn turn(
        &self,
        index: usize,
        rule: &PackRule,
        step: &Step,
        starts: bool,
        lowering: &Lowering,
        found: &mut Vec<Violation>,
    ) {
        let property = match step.apply {
            Apply::Double => Property::ScaleFree,
            _ => Property::Monotone,
        };
        if found
            .iter()
            .any(|v| v.property == property && v.rules.first() == Some(&index))
        {
            return;
        }
        for (reading, place) in self.places(rule, lowering) {
            if let (Scope::View(c), World::Added(kind)) = (reading.scope, &step.world)
                && kind.category() != c
            {
                continue;
            }
            if let (Scope::View(c), World::Rejudged { category, .. }) = (reading.scope, &step.world)
                && *category != c
            {
                continue;
            }
            let after = reading.in_world(step.world.clone());
            let (before_side, after_side) = match starts {
                true => (
                    lowering.does_not_fire_as(rule, &reading),
                    lowering.fires_as(rule, &after),
                ),
                false => (
                    lowering.fires_as(rule, &reading),
                    lowering.does_not_fire_as(rule, &after),
                ),
            };
            let question = Formula::And(vec![
                place.clone(),
                step.needs.clone(),
                before_side.clone(),
                after_side.clone(),
            ]);
            match self.answer(property, &question, step, found) {
                Answer::Shown => return,
                Answer::Impossible => continue,
                Answer::Undecided => {
                    self.undecided.borrow_mut().push((property, index));
                    continue;
                }
                Answer::Masked => {}
            }
            // Masked by another rule: hold every other rule's verdict fixed, on one
            // category's evidence where the statement is scored by category.
            let held = self.held(index, &reading, &after, lowering);
            let restricted = match (reading.scope, self.statement.method) {
                (Scope::Whole, Method::Categories) => Formula::Or(
                    self.categories()
                        .into_iter()
                        .map(|c| lowering.only(c))
                        .collect(),
                ),
                _ => Formula::always(),
            };
            let question = Formula::And(vec![
                place,
                restricted,
                step.needs.clone(),
                before_side,
                after_side,
                held,
            ]);
            if self.answer(property, &question, step, found) == Answer::Shown {
                return;
            }
        }
    }

    /// Every other rule fires both before and after the change, or neither. Asked only of
    /// profiles in one category (or scored on the whole statement), where each rule's own
    /// reading is the whole profile.
    fn held(
        &self,
        index: usize,
        before: &Reading,
        after: &Reading,
        lowering: &Lowering,
    ) -> Formula {
        let whole = |reading: &Reading| Reading::WHOLE.in_world(reading.world.clone());
        let (b, a) = (whole(before), whole(after));
        Formula::And(
            self.statement
                .rules
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, other)| {
                    Formula::Or(vec![
                        Formula::And(vec![
                            lowering.fires_as(other, &b),
                            lowering.fires_as(other, &a),
                        ]),
                        Formula::And(vec![
                            lowering.does_not_fire_as(other, &b),
                            lowering.does_not_fire_as(other, &a),
                        ]),
                    ])
                })
                .collect(),
        )
    }

    /// Solves a question and scores the profile it gives.
    fn answer(
        &self,
        property: Property,
        question: &Formula,
        step: &Step,
        found: &mut Vec<Violation>,
    ) -> Answer {
        let model = match satisfiable(self.pack, self.spares, question, &self.reads) {
            Decided::Sat(model) => model,
            Decided::Unsat => return Answer::Impossible,
            Decided::Undecided => return Answer::Undecided,
        };
        let before = Counterexample::from_model(&model, self.pack);
        let shown = self
            .as_move(&before, &step.apply)
            .and_then(|mv| self.confirm(property, &before, &mv))
            .is_some_and(|violation| self.record(found, violation));
        if shown { Answer::Shown } else { Answer::Masked }
    }

    fn as_move(&self, before: &Counterexample, apply: &Apply) -> Option<Move> {
        Some(match apply {
            Apply::Add(finding) => Move::Add(finding.clone()),
            Apply::Double => Move::Double,
            Apply::Rejudge { category, from, to } => {
                // An item of a metric no rule compares, judged `from` in the category.
                let index = before.metrics.iter().position(|m| {
                    m.category == *category
                        && tone_of(self.pack, m) == Some(*from)
                        && self
                            .pack
                            .catalogue
                            .lookup(&m.metric)
                            .is_some_and(|id| !self.reads.contains(&id))
                })?;
                let value = retoned(self.pack, &before.metrics[index], *to)?;
                Move::Rejudge {
                    index,
                    value,
                    worse: is_worse(*from, *to),
                }
            }
        })
    }

    /// A lowering rule that fires because an absence test holds: with the evidence given,
    /// that test alone would stop it. The example is asked for first with no other lowering
    /// rule firing, so giving the evidence shows in the score where it can.
    fn absence(
        &self,
        index: usize,
        rule: &PackRule,
        lowering: &Lowering,
        found: &mut Vec<Violation>,
    ) {
        for test in rule.ast.all_tests().into_iter().filter(|t| is_absence(t)) {
            for (reading, place) in self.places(rule, lowering) {
                let flipped = Reading {
                    flipped: Some(test.span()),
                    ..reading.clone()
                };
                let question = Formula::And(vec![
                    place,
                    lowering.fires_as(rule, &reading),
                    lowering.does_not_fire_as(rule, &flipped),
                ]);
                let others = Formula::And(
                    self.statement
                        .rules
                        .iter()
                        .enumerate()
                        .filter(|(i, other)| *i != index && pull(other) < 0)
                        .map(|(_, other)| {
                            let scope = match per_category(self.statement, other) {
                                true => reading.clone(),
                                false => Reading::WHOLE,
                            };
                            lowering.does_not_fire_as(other, &scope)
                        })
                        .collect(),
                );
                let alone = Formula::And(vec![question.clone(), others]);
                let mut shown = None;
                for (last, question) in [(false, alone), (true, question)] {
                    let model = match satisfiable(self.pack, self.spares, &question, &self.reads) {
                        Decided::Sat(model) => model,
                        Decided::Undecided if last && shown.is_none() => {
                            self.undecided.borrow_mut().push((Property::Absence, index));
                            continue;
                        }
                        _ => continue,
                    };
                    let before = Counterexample::from_model(&model, self.pack);
                    if !self.fires_on(rule, &reading, &before) {
                        continue;
                    }
                    let Some(given) = self.missing_evidence(rule, test, &before) else {
                        continue;
                    };
                    let mv = Move::Give(given);
                    let after = mv.apply(&before);
                    let violation = self.violation(
                        Property::Absence,
                        &before,
                        &mv,
                        after,
                        Some((index, test.span())),
                    );
                    let moved = violation.scores.0 != violation.scores.1;
                    if moved || shown.is_none() {
                        shown = Some(violation);
                    }
                    if moved {
                        break;
                    }
                }
                if let Some(violation) = shown {
                    self.record(found, violation);
                    return;
                }
            }
        }
    }

    /// Whether the real evaluator fires the rule on the profile, read as the solver read it.
    fn fires_on(&self, rule: &PackRule, reading: &Reading, example: &Counterexample) -> bool {
        let items = example.items(self.pack, &self.statement.statement);
        let view = StatementEvidence {
            items: items
                .iter()
                .filter(|i| match reading.scope {
                    Scope::View(c) => i.category == c,
                    Scope::Whole => true,
                })
                .collect(),
        };
        rule_fires(rule, &view, self.pack)
    }

    /// The evidence an absence test says is missing: an item of the category, or of the
    /// metric with a value that stops the rule where one does.
    fn missing_evidence(
        &self,
        rule: &PackRule,
        test: &Test,
        before: &Counterexample,
    ) -> Option<CounterMetric> {
        let home = before
            .metrics
            .first()
            .map(|m| m.category)
            .or_else(|| before.findings.first().map(|f| f.category))
            .unwrap_or(Category::PeoplesExperience);
        let (metric, category) = match test {
            Test::NoEvidenceFrom { category, .. } => return self.neutral(*category, before),
            Test::NoEvidenceOf { metric, .. } => (metric, home),
            Test::Metric(m) if m.comparison == Comparison::Missing => (&m.metric, home),
            _ => return None,
        };
        let id = self.pack.catalogue.lookup(&metric.name)?;
        let name = self.pack.catalogue.metric(id).name.clone();
        let item = |value| CounterMetric::bare(name.clone(), category, value);
        let candidates = value_candidates(rule, id, self.pack);
        let stops = candidates.iter().find(|value| {
            let mut after = before.clone();
            after.metrics.push(item(**value));
            !self.fires_on(rule, &Reading::WHOLE, &after)
        });
        Some(item(stops.copied().unwrap_or(rust_decimal::Decimal::ZERO)))
    }
}

/// Values of a metric worth trying: its range's ends and each threshold a rule compares it
/// with, and a step either side.
fn value_candidates(
    rule: &PackRule,
    metric: crate::pack::catalogue::MetricId,
    pack: &crate::pack::Pack,
) -> Vec<rust_decimal::Decimal> {
    use rust_decimal::Decimal;
    let entry = pack.catalogue.metric(metric);
    let upper = entry.highest();
    let mut out = vec![Decimal::ZERO];
    out.extend(upper);
    for test in rule.ast.all_tests() {
        if let Test::Metric(m) = test
            && pack.catalogue.lookup(&m.metric.name) == Some(metric)
            && let Comparison::Threshold { reference, .. } = &m.comparison
            && let crate::lang::ast::ReferenceKind::Literal { value, .. } = reference.kind
        {
            let near = [
                value.checked_sub(Decimal::ONE),
                Some(value),
                value.checked_add(Decimal::ONE),
            ];
            for v in near.into_iter().flatten() {
                if v >= Decimal::ZERO && upper.is_none_or(|u| v <= u) && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    out
}
