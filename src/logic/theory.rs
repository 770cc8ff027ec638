//! Deciding one conjunction of literals, split into independent theories: per metric, the
//! linear constraints over its value and references; counts of kinds of items (findings,
//! and metric items judged against their reference); and presence of items and categories.
//! A satisfiable conjunction comes with a [`Model`]: the evidence profile that satisfies it.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::formula::{Count, Kind, Lit, SLOTS, Slot};
use super::lowering::Lowering;
use super::solver::{self, Constraint, Outcome, Problem};
use crate::lang::ast::{Category, Sentiment};
use crate::pack::Pack;
use crate::pack::catalogue::{MetricId, Unit};

/// One metric item of a model: its category and the slots it gives.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricItem {
    pub metric: MetricId,
    pub category: Category,
    /// Indexed by [`Slot::index`]; `Value` is always given.
    pub slots: [Option<Decimal>; SLOTS],
}

/// A number of alike findings.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingGroup {
    pub category: Category,
    pub sentiment: Sentiment,
    pub strong: bool,
    pub tags: Vec<String>,
    pub count: u32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub metrics: Vec<MetricItem>,
    pub findings: Vec<FindingGroup>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Decided<T> {
    Sat(T),
    Unsat,
    Undecided,
}

impl<T> Decided<T> {
    /// Over alternatives: the first that is satisfiable (the rest are not tried); else
    /// undecided if any was; else unsatisfiable.
    pub fn first_sat(answers: impl IntoIterator<Item = Decided<T>>) -> Decided<T> {
        let mut undecided = false;
        for answer in answers {
            match answer {
                Decided::Sat(found) => return Decided::Sat(found),
                Decided::Unsat => {}
                Decided::Undecided => undecided = true,
            }
        }
        if undecided {
            Decided::Undecided
        } else {
            Decided::Unsat
        }
    }
}

pub type Answer = Decided<Model>;

const SENTIMENTS: [Sentiment; 3] = [Sentiment::Positive, Sentiment::Negative, Sentiment::Mixed];
/// How a metric item can count as evidence: positive, negative, in line.
const TONES: [Option<Sentiment>; 3] = [Some(Sentiment::Positive), Some(Sentiment::Negative), None];
/// Most ways of judging the metric items of one conjunction tried before it is undecided.
const MAX_JUDGINGS: usize = 729;

fn tone_index(tone: Option<Sentiment>) -> usize {
    TONES.iter().position(|t| *t == tone).unwrap_or(2)
}

/// For every catalogue metric, a value and target that judge it each way, where the
/// metric's range allows: how a profile's judged metric items are written out.
pub struct Spares {
    witnesses: Vec<[Option<(Decimal, Decimal)>; 3]>,
}

impl Spares {
    pub fn new(pack: &Pack) -> Spares {
        let lowering = Lowering { pack };
        let witnesses = (0..pack.catalogue.metrics().len())
            .map(|metric| {
                TONES.map(|tone| {
                    let judged = lowering.judgement(metric, Slot::Target, tone, false);
                    let mut presence = BTreeMap::new();
                    presence.insert((metric, Slot::Target), true);
                    // A readable reference first: half the range, else 20.
                    let entry = pack.catalogue.metric(metric);
                    let typical = match entry.unit {
                        Unit::Percent => Decimal::from(50),
                        _ => entry
                            .max
                            .and_then(|m| m.checked_div(Decimal::TWO))
                            .map_or(Decimal::from(20), |half| half.floor()),
                    };
                    let at = |r: Decimal| {
                        let var = [(Slot::Target.index(), Decimal::ONE)];
                        vec![
                            Constraint::new(var, -r, false),
                            Constraint::new([(Slot::Target.index(), -Decimal::ONE)], r, false),
                        ]
                    };
                    [at(typical), Vec::new()].into_iter().find_map(|extra| {
                        let mut constraints = judged.clone();
                        constraints.extend(extra);
                        match metric_values(pack, metric, &presence, &constraints) {
                            Decided::Sat(slots) => {
                                Some((slots[Slot::Value.index()]?, slots[Slot::Target.index()]?))
                            }
                            _ => None,
                        }
                    })
                })
            })
            .collect();
        Spares { witnesses }
    }

    pub(crate) fn witness(
        &self,
        metric: MetricId,
        tone: Option<Sentiment>,
    ) -> Option<(Decimal, Decimal)> {
        self.witnesses.get(metric)?[tone_index(tone)]
    }
}

/// What a conjunction is decided against.
pub struct Context<'a> {
    pub pack: &'a Pack,
    /// Metrics the rules in question read: no item of theirs is added beyond what the
    /// literals ask for.
    pub avoid: &'a BTreeSet<MetricId>,
    pub spares: &'a Spares,
}

/// How a metric item the literals read counts as evidence.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Judging {
    /// No test here counts metric items: nothing to decide.
    Irrelevant,
    /// No target and no England average: not judged, not counted.
    Unjudged,
    By(Slot, Option<Sentiment>),
}

/// Decides a conjunction.
pub fn decide(lits: &[Lit], ctx: &Context) -> Answer {
    let mut presence: BTreeMap<(MetricId, Slot), bool> = BTreeMap::new();
    let mut linear: BTreeMap<MetricId, Vec<Constraint>> = BTreeMap::new();
    let mut categories: BTreeMap<Category, bool> = BTreeMap::new();
    let mut counts: Vec<&Count> = Vec::new();
    for lit in lits {
        match lit {
            Lit::Present {
                metric,
                slot,
                present,
            } => {
                if presence.insert((*metric, *slot), *present) == Some(!present) {
                    return Decided::Unsat;
                }
            }
            Lit::Linear { metric, constraint } => {
                linear.entry(*metric).or_default().push(constraint.clone())
            }
            Lit::Category { category, present } => {
                if categories.insert(*category, *present) == Some(!present) {
                    return Decided::Unsat;
                }
            }
            Lit::Count(count) => counts.push(count),
        }
    }
    // A reference is only given on an item that exists.
    let given: Vec<MetricId> = presence
        .iter()
        .filter(|(_, present)| **present)
        .map(|((metric, _), _)| *metric)
        .chain(linear.keys().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if given
        .iter()
        .any(|m| presence.get(&(*m, Slot::Value)) == Some(&false))
    {
        return Decided::Unsat;
    }
    let forbidden: BTreeSet<Category> = categories
        .iter()
        .filter(|(_, present)| !**present)
        .map(|(c, _)| *c)
        .collect();
    let allowed: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| !forbidden.contains(c))
        .collect();
    if !given.is_empty() && allowed.is_empty() {
        return Decided::Unsat;
    }
    let counts_metrics = counts
        .iter()
        .any(|c| c.terms.iter().any(|(s, _)| s.metrics));
    let options: Vec<Vec<Judging>> = given
        .iter()
        .map(|metric| match counts_metrics {
            false => vec![Judging::Irrelevant],
            true => judgings(*metric, &presence, &linear),
        })
        .collect();
    let combinations: usize = options
        .iter()
        .try_fold(1usize, |n, o| n.checked_mul(o.len()))
        .unwrap_or(usize::MAX);
    if combinations > MAX_JUDGINGS {
        return Decided::Undecided;
    }
    let problem = Conjunction {
        ctx,
        presence: &presence,
        linear: &linear,
        categories: &categories,
        counts: &counts,
        allowed: &allowed,
        given: &given,
    };
    Decided::first_sat((0..combinations).map(|index| {
        // The index-th combination, in mixed radix.
        let mut rest = index;
        let mut chosen = Vec::with_capacity(options.len());
        for choices in &options {
            chosen.push(choices[rest % choices.len()]);
            rest /= choices.len();
        }
        // A judged item whose margin of error no literal speaks of is tried without one
        // first (the plainer counterexample), then with one: a margin can be any width, so
        // with one is the wider choice, and if that fails so does every other.
        let outcome = problem.attempt(&chosen, false);
        if outcome == Decided::Unsat && problem.margin_free(&chosen) {
            problem.attempt(&chosen, true)
        } else {
            outcome
        }
    }))
}

/// The ways a metric item can be judged, given what the literals say of its target and
/// England average: the target where it is given, else the England average, else none.
fn judgings(
    metric: MetricId,
    presence: &BTreeMap<(MetricId, Slot), bool>,
    linear: &BTreeMap<MetricId, Vec<Constraint>>,
) -> Vec<Judging> {
    let state = |slot: Slot| {
        let used = linear
            .get(&metric)
            .is_some_and(|cs| cs.iter().any(|c| c.terms.contains_key(&slot.index())));
        match presence.get(&(metric, slot)) {
            Some(true) => Some(true),
            Some(false) => Some(false),
            None if used => Some(true),
            None => None,
        }
    };
    let (target, england) = (state(Slot::Target), state(Slot::England));
    let mut out = Vec::new();
    if target != Some(true) && england != Some(true) {
        out.push(Judging::Unjudged);
    }
    if target != Some(false) {
        out.extend(TONES.map(|tone| Judging::By(Slot::Target, tone)));
    }
    if target != Some(true) && england != Some(false) {
        out.extend(TONES.map(|tone| Judging::By(Slot::England, tone)));
    }
    out
}

/// One conjunction, split by theory.
struct Conjunction<'a> {
    ctx: &'a Context<'a>,
    presence: &'a BTreeMap<(MetricId, Slot), bool>,
    linear: &'a BTreeMap<MetricId, Vec<Constraint>>,
    categories: &'a BTreeMap<Category, bool>,
    counts: &'a [&'a Count],
    allowed: &'a [Category],
    given: &'a [MetricId],
}

impl Conjunction<'_> {
    /// Whether some judged item's margin of error is left open by the literals.
    fn margin_free(&self, chosen: &[Judging]) -> bool {
        self.given.iter().zip(chosen).any(|(metric, judging)| {
            matches!(judging, Judging::By(..))
                && !self.presence.contains_key(&(*metric, Slot::Margin))
        })
    }

    /// Decides the conjunction with the given metric items judged as chosen; `margins`
    /// gives a margin of error to each judged item whose margin the literals leave open.
    fn attempt(&self, chosen: &[Judging], margins: bool) -> Answer {
        let pack = self.ctx.pack;
        let lowering = Lowering { pack };
        let mut items = Vec::new();
        let mut judged = Vec::new();
        for (metric, judging) in self.given.iter().zip(chosen) {
            let mut presence = self.presence.clone();
            let mut constraints = self.linear.get(metric).cloned().unwrap_or_default();
            let mut require = |slot: Slot, present: bool| {
                presence.insert((*metric, slot), present) != Some(!present)
            };
            // The band a judgement reads: the margin of error where the item gives one.
            let margin = match self.presence.get(&(*metric, Slot::Margin)) {
                Some(given) => *given,
                None => margins,
            };
            let consistent = match judging {
                Judging::Irrelevant => true,
                Judging::Unjudged => require(Slot::Target, false) && require(Slot::England, false),
                Judging::By(Slot::Target, tone) => {
                    constraints.extend(lowering.judgement(*metric, Slot::Target, *tone, margin));
                    judged.push((*metric, *tone));
                    require(Slot::Target, true) && require(Slot::Margin, margin)
                }
                Judging::By(slot, tone) => {
                    constraints.extend(lowering.judgement(*metric, *slot, *tone, margin));
                    judged.push((*metric, *tone));
                    require(Slot::Target, false)
                        && require(*slot, true)
                        && require(Slot::Margin, margin)
                }
            };
            if !consistent {
                return Decided::Unsat;
            }
            match metric_values(pack, *metric, &presence, &constraints) {
                Decided::Sat(slots) => items.push(MetricItem {
                    metric: *metric,
                    // Placed where counted below, else in the first category allowed.
                    category: self.allowed[0],
                    slots,
                }),
                Decided::Unsat => return Decided::Unsat,
                Decided::Undecided => return Decided::Undecided,
            }
        }
        let mut fixed = [0u32; 3];
        for (_, tone) in &judged {
            fixed[tone_index(*tone)] += 1;
        }
        let solved = match self.solve_counts(fixed) {
            Decided::Sat(solved) => solved,
            Decided::Unsat => return Decided::Unsat,
            Decided::Undecided => return Decided::Undecided,
        };
        self.realise(items, &judged, solved)
    }

    /// Whole numbers of items of each kind meeting every count; `fixed` metric items of each
    /// tone are the given ones, the rest are items of metrics no literal reads.
    fn solve_counts(&self, fixed: [u32; 3]) -> Decided<Vec<(Kind, u32)>> {
        let needs_metrics = fixed.iter().any(|n| *n > 0)
            || self
                .counts
                .iter()
                .any(|c| c.terms.iter().any(|(s, _)| s.metrics));
        if self.counts.is_empty() && !needs_metrics {
            return Decided::Sat(Vec::new());
        }
        let kinds = self.kinds(needs_metrics);
        // One row per count: coefficients by kind, a constant and strictness.
        let mut rows: Vec<(Vec<Decimal>, Decimal, bool)> = Vec::new();
        for count in self.counts {
            let coefficients = kinds
                .iter()
                .map(|kind| {
                    // Given twice over, every item counts twice, metric items as findings.
                    let scale = if count.doubled { 2 } else { 1 };
                    let sum: i64 = count
                        .terms
                        .iter()
                        .filter(|(selector, _)| selector.counts(kind))
                        .map(|(_, coefficient)| coefficient * scale)
                        .sum();
                    Decimal::from(sum)
                })
                .collect();
            rows.push((coefficients, Decimal::from(count.constant), count.strict));
        }
        if needs_metrics {
            rows.extend(self.capacity(&kinds, fixed));
        }
        // Kinds with the same column behave alike: one variable stands for them all.
        let mut columns: BTreeMap<Vec<Decimal>, usize> = BTreeMap::new();
        let mut representatives = Vec::new();
        for index in 0..kinds.len() {
            let column: Vec<Decimal> = rows.iter().map(|(c, _, _)| c[index]).collect();
            if column.iter().all(|c| c.is_zero()) || columns.contains_key(&column) {
                continue;
            }
            columns.insert(column, representatives.len());
            representatives.push(index);
        }
        let mut problem = Problem {
            integer: vec![true; representatives.len()],
            constraints: Vec::new(),
        };
        for var in 0..representatives.len() {
            problem
                .constraints
                .push(Constraint::new([(var, Decimal::ONE)], Decimal::ZERO, false));
        }
        for (coefficients, constant, strict) in &rows {
            let terms = representatives
                .iter()
                .enumerate()
                .map(|(var, kind)| (var, coefficients[*kind]));
            problem
                .constraints
                .push(Constraint::new(terms, *constant, *strict));
        }
        match solver::solve(&problem) {
            Outcome::Sat(point) => {
                let mut out = Vec::new();
                for (var, kind) in representatives.iter().enumerate() {
                    let count = point.get(var).and_then(|c| u32::try_from(*c).ok());
                    let Some(count) = count else {
                        return Decided::Undecided;
                    };
                    if count > 0 {
                        out.push((kinds[*kind].clone(), count));
                    }
                }
                Decided::Sat(out)
            }
            Outcome::Unsat => Decided::Unsat,
            Outcome::Undecided => Decided::Undecided,
        }
    }

    /// Every kind of item the counts can tell apart, in the categories allowed.
    fn kinds(&self, metrics: bool) -> Vec<Kind> {
        let selectors = || {
            self.counts
                .iter()
                .flat_map(|c| c.terms.iter().map(|(s, _)| s))
        };
        let mut lists: Vec<Vec<String>> = selectors()
            .map(|s| s.tags.clone())
            .filter(|t| !t.is_empty())
            .collect();
        lists.sort();
        lists.dedup();
        // The tag sets a finding can have that hit different lists: unions of single tags'.
        let tags: BTreeSet<&String> = lists.iter().flatten().collect();
        let mut patterns: Vec<(Vec<bool>, Vec<String>)> =
            vec![(vec![false; lists.len()], Vec::new())];
        for tag in tags {
            let single: Vec<bool> = lists.iter().map(|l| l.contains(tag)).collect();
            let mut added = Vec::new();
            for (hits, with) in &patterns {
                let union: Vec<bool> = hits.iter().zip(&single).map(|(a, b)| *a || *b).collect();
                if !patterns.iter().chain(&added).any(|(h, _)| *h == union) {
                    let mut tags = with.clone();
                    tags.push(tag.clone());
                    added.push((union, tags));
                }
            }
            patterns.extend(added);
        }
        let strengths: &[bool] = match selectors().any(|s| s.strong) {
            true => &[false, true],
            false => &[false],
        };
        let mut kinds = Vec::new();
        for category in self.allowed.iter().copied() {
            for sentiment in SENTIMENTS {
                for strong in strengths {
                    for (_, tags) in &patterns {
                        kinds.push(Kind::Finding {
                            category,
                            sentiment,
                            strong: *strong,
                            tags: tags.clone(),
                        });
                    }
                }
            }
            if metrics {
                kinds.extend(TONES.map(|tone| Kind::Metric { category, tone }));
            }
        }
        kinds
    }

    /// Metric items of each tone: at least the given ones, and no more than those unless
    /// some metric no literal reads can be judged so (one such metric can give any number
    /// of items: every item counts, repeats included).
    fn capacity(&self, kinds: &[Kind], fixed: [u32; 3]) -> Vec<(Vec<Decimal>, Decimal, bool)> {
        let of_tone = |tone: usize| -> Vec<Decimal> {
            kinds
                .iter()
                .map(|k| match k {
                    Kind::Metric { tone: t, .. } if tone_index(*t) == tone => Decimal::ONE,
                    _ => Decimal::ZERO,
                })
                .collect()
        };
        let mut rows = Vec::new();
        for (tone, given) in fixed.iter().enumerate() {
            rows.push((of_tone(tone), -Decimal::from(*given), false));
            let witnessed = (0..self.ctx.pack.catalogue.metrics().len())
                .filter(|m| !self.given.contains(m) && !self.ctx.avoid.contains(m))
                .any(|m| self.ctx.spares.witness(m, TONES[tone]).is_some());
            if !witnessed {
                let at_most = of_tone(tone).into_iter().map(|c| -c).collect();
                rows.push((at_most, Decimal::from(*given), false));
            }
        }
        rows
    }

    /// The solved counts as evidence items: findings in groups; judged metric items, the
    /// given ones first, then items of metrics no literal reads; and an item for each
    /// category that must have evidence and has none.
    fn realise(
        &self,
        mut metrics: Vec<MetricItem>,
        judged: &[(MetricId, Option<Sentiment>)],
        solved: Vec<(Kind, u32)>,
    ) -> Answer {
        let mut findings = Vec::new();
        let mut judged_items: Vec<(Category, Option<Sentiment>, u32)> = Vec::new();
        for (kind, count) in solved {
            match kind {
                Kind::Finding {
                    category,
                    sentiment,
                    strong,
                    tags,
                } => findings.push(FindingGroup {
                    category,
                    sentiment,
                    strong,
                    tags,
                    count,
                }),
                Kind::Metric { category, tone } => judged_items.push((category, tone, count)),
            }
        }
        for (metric, tone) in judged {
            let slot = judged_items
                .iter_mut()
                .find(|(_, t, n)| t == tone && *n > 0);
            let Some((category, _, n)) = slot else {
                return Decided::Undecided;
            };
            *n -= 1;
            if let Some(item) = metrics.iter_mut().find(|m| m.metric == *metric) {
                item.category = *category;
            }
        }
        let mut unused: Vec<MetricId> = (0..self.ctx.pack.catalogue.metrics().len())
            .filter(|m| !self.ctx.avoid.contains(m) && !self.given.contains(m))
            .collect();
        for (category, tone, n) in judged_items {
            for _ in 0..n {
                // A metric may give several items: each counts.
                let Some(&metric) = unused
                    .iter()
                    .find(|m| self.ctx.spares.witness(**m, tone).is_some())
                else {
                    return Decided::Undecided;
                };
                let Some((value, target)) = self.ctx.spares.witness(metric, tone) else {
                    return Decided::Undecided;
                };
                let mut slots = [None; SLOTS];
                slots[Slot::Value.index()] = Some(value);
                slots[Slot::Target.index()] = Some(target);
                metrics.push(MetricItem {
                    metric,
                    category,
                    slots,
                });
            }
        }
        let mut model = Model { metrics, findings };
        // A category that must have evidence and has none yet gets an item of a metric no
        // rule here reads, with no reference, so no test changes.
        for (category, present) in self.categories {
            let has = model.metrics.iter().any(|m| m.category == *category)
                || model.findings.iter().any(|f| f.category == *category);
            if *present && !has {
                if unused.is_empty() {
                    return Decided::Undecided;
                }
                let metric = unused.remove(0);
                let mut slots = [None; SLOTS];
                slots[Slot::Value.index()] = Some(Decimal::ZERO);
                model.metrics.push(MetricItem {
                    metric,
                    category: *category,
                    slots,
                });
            }
        }
        Decided::Sat(model)
    }
}

/// The value and references of one metric item.
fn metric_values(
    pack: &Pack,
    metric: MetricId,
    presence: &BTreeMap<(MetricId, Slot), bool>,
    constraints: &[Constraint],
) -> Decided<[Option<Decimal>; SLOTS]> {
    let entry = pack.catalogue.metric(metric);
    let mut used: BTreeSet<usize> = constraints
        .iter()
        .flat_map(|c| c.terms.keys().copied())
        .collect();
    used.insert(Slot::Value.index());
    for slot in Slot::ALL {
        match presence.get(&(metric, slot)) {
            Some(true) => {
                used.insert(slot.index());
            }
            Some(false) if used.contains(&slot.index()) && slot != Slot::Value => {
                return Decided::Unsat;
            }
            _ => {}
        }
    }
    let mut problem = Problem {
        integer: vec![entry.unit == Unit::Count; Slot::ALL.len()],
        constraints: constraints.to_vec(),
    };
    // The bounds the evidence loader enforces on every value of the item.
    for slot in &used {
        problem.constraints.push(Constraint::new(
            [(*slot, Decimal::ONE)],
            Decimal::ZERO,
            false,
        ));
        let upper = entry.highest();
        if let Some(upper) = upper {
            problem
                .constraints
                .push(Constraint::new([(*slot, -Decimal::ONE)], upper, false));
        }
    }
    match solver::solve(&problem) {
        Outcome::Sat(point) => {
            let mut slots = [None; SLOTS];
            for slot in used {
                if let (Some(target), Some(value)) = (slots.get_mut(slot), point.get(slot)) {
                    *target = Some(*value);
                }
            }
            Decided::Sat(slots)
        }
        Outcome::Unsat => Decided::Unsat,
        Outcome::Undecided => Decided::Undecided,
    }
}
