//! Exact findings about what rules can do: conditions that can never hold, rules that pull
//! opposite ways on the same evidence, rules implied by others, rules that can never change
//! the score. Every question is a satisfiability question over [`formula`]s; a "yes" comes
//! with a model that the real evaluator confirms, and a question the solver cannot settle
//! within its bounds is reported, never passed over.

use std::collections::BTreeSet;

use super::{Finding, Location};
use crate::lang::ast::{Category, EffectKind, Test};
use crate::logic::counterexample::Counterexample;
use crate::logic::formula::{Formula, Reading, dnf};
use crate::logic::lowering::Lowering;
use crate::logic::theory::{Context, Decided, Model, Spares, decide};
use crate::pack::catalogue::MetricId;
use crate::pack::{Method, Pack, PackRule, StatementRules};
use crate::source::codes;

/// Most conjunctions a formula may expand to before the question counts as undecided.
const MAX_CONJUNCTIONS: usize = 20_000;

/// Questions about pairs of rules are the one part of `check` that grows with the square
/// of a pack. Only rules that read a common metric or finding pool are compared, and at
/// most this many pairs of them per statement (the default pack compares at most 54).
pub const MAX_PAIRS: usize = 5_000;

/// And only until the normal forms of their questions have reached this many terms
/// (literals, summed over the conjunctions decided), per statement: the default pack's
/// statements need a few hundred, and sixty rules of twenty `or`s each would take
/// seconds. What is left uncompared is reported as one A205 finding.
pub const MAX_PAIR_WORK: usize = 500_000;

pub fn analyse(pack: &Pack, spares: &Spares) -> Vec<Finding> {
    let mut findings = Vec::new();
    for statement in &pack.statements {
        Analysis {
            pack,
            statement,
            spares,
            work: std::cell::Cell::new(0),
        }
        .run(&mut findings);
    }
    findings
}

/// Under `method: categories` raises, lowers and `has no effect` read one category's
/// evidence at a time; caps and lifts read the whole statement's (src/score/mod.rs).
pub fn per_category(statement: &StatementRules, rule: &PackRule) -> bool {
    statement.method == Method::Categories
        && !matches!(
            rule.ast.effect.kind,
            EffectKind::CapAt(_) | EffectKind::LiftTo(_)
        )
}

/// The categories worth trying one at a time for these rules: every category they name,
/// and one they do not (the others behave alike).
pub fn representatives(rules: &[&PackRule]) -> Vec<Category> {
    let named = named_categories(rules);
    let mut out: Vec<Category> = named.iter().copied().collect();
    out.extend(Category::ALL.into_iter().find(|c| !named.contains(c)));
    out.sort();
    out
}

/// The categories the rules name, in `from` or `no evidence from`.
pub fn named_categories(rules: &[&PackRule]) -> BTreeSet<Category> {
    rules
        .iter()
        .flat_map(|rule| rule.ast.all_tests())
        .filter_map(|test| match test {
            Test::Findings(f) => f.category,
            Test::NoEvidenceFrom { category, .. } => Some(*category),
            _ => None,
        })
        .collect()
}

struct Analysis<'a> {
    pack: &'a Pack,
    statement: &'a StatementRules,
    spares: &'a Spares,
    /// Terms of the conjunctions built and decided so far for this statement's questions.
    work: std::cell::Cell<usize>,
}

/// What a rule reads, worked out once: pairs compare it many times.
struct Reads {
    metrics: BTreeSet<MetricId>,
    pools: BTreeSet<Option<Category>>,
}

impl Analysis<'_> {
    fn run(&self, findings: &mut Vec<Finding>) {
        let lowering = Lowering { pack: self.pack };
        let mut live = Vec::new();
        for rule in &self.statement.rules {
            if self.single(rule, &lowering, findings) {
                let reads = Reads {
                    metrics: reads_metrics(self.pack, &[rule]),
                    pools: reads_pools(rule),
                };
                live.push((rule, reads));
            }
        }
        let index = EvidenceIndex::of(&live);
        let mut compared = 0usize;
        'rules: for (i, (a, reads_a)) in live.iter().enumerate() {
            for j in index.partners(i, reads_a) {
                let Some((b, reads_b)) = live.get(j) else {
                    continue;
                };
                if compared >= MAX_PAIRS || self.work.get() >= MAX_PAIR_WORK {
                    findings.extend(self.pairs_skipped(compared, a, live.len() - i));
                    break 'rules;
                }
                compared += 1;
                let avoid: BTreeSet<MetricId> =
                    reads_a.metrics.union(&reads_b.metrics).copied().collect();
                self.conflict(a, b, &lowering, &avoid, findings);
                self.redundant(a, b, &lowering, &avoid, findings);
                self.shadowed(a, b, &lowering, &avoid, findings);
                self.shadowed(b, a, &lowering, &avoid, findings);
            }
        }
    }

    /// The one finding for the pairs the budget left uncompared: those of `from` and the
    /// rules after it.
    fn pairs_skipped(&self, compared: usize, from: &PackRule, left: usize) -> Option<Finding> {
        let statement = &self.statement.statement;
        let at = match &self.statement.origin {
            Some((file, span)) => Location {
                file: std::sync::Arc::clone(file),
                span: span.clone(),
            },
            None => Location::of_rule(self.statement.rules.first()?),
        };
        let mut finding = Finding::new(
            codes::UNDECIDED,
            format!(
                "the rules of `{statement}` from `{}` on ({left} rules) were not all compared with the rules they share evidence with, for conflicts, redundancy or shadowing: the analysis compares at most {MAX_PAIRS} pairs per statement, and stops once their questions have reached {MAX_PAIR_WORK} terms in normal form; it stopped after {compared} pairs",
                from.id
            ),
            at,
        )
        .with_help("split the statement's rules into smaller groups that read different evidence, or check a smaller pack");
        finding.rules = vec![from.id.clone()];
        Some(finding)
    }

    /// A formula about rules that read the same evidence (all the whole statement's, or all
    /// one category's under `method: categories`), where it can hold.
    fn read_together(&self, rules: &[&PackRule], build: &dyn Fn(&Reading) -> Formula) -> Formula {
        match rules.iter().any(|r| per_category(self.statement, r)) {
            false => build(&Reading::WHOLE),
            true => Formula::Or(
                representatives(rules)
                    .into_iter()
                    .map(|c| {
                        let lowering = Lowering { pack: self.pack };
                        Formula::And(vec![lowering.only(c), build(&Reading::view(c))])
                    })
                    .collect(),
            ),
        }
    }

    /// Findings about one rule; `true` when the rule can fire at all.
    fn single(&self, rule: &PackRule, lowering: &Lowering, findings: &mut Vec<Finding>) -> bool {
        let avoid = reads_metrics(self.pack, &[rule]);
        let scoped = per_category(self.statement, rule);
        let mut checks = vec![(
            lowering.condition_true(rule),
            codes::UNSATISFIABLE,
            format!("the condition of rule `{}` can never be true", rule.id),
            "whether its condition can hold",
        )];
        if scoped {
            checks.push((
                self.read_together(&[rule], &|r| lowering.condition_true_as(rule, r)),
                codes::DEAD,
                format!(
                    "rule `{}` never fires: under `method: categories` it reads one category's evidence at a time, and its condition never holds on one category's evidence",
                    rule.id
                ),
                "whether its condition can hold on one category's evidence",
            ));
        }
        checks.push((
            self.read_together(&[rule], &|r| lowering.fires_as(rule, r)),
            codes::DEAD,
            format!(
                "rule `{}` never fires: its `unless` holds whenever its condition does",
                rule.id
            ),
            "whether it can fire",
        ));
        for (formula, code, impossible, question) in checks {
            match self.satisfiable(&formula, &avoid) {
                Decided::Unsat => {
                    findings.push(Finding::new(code, impossible, Location::of_rule(rule)));
                    return false;
                }
                Decided::Undecided => {
                    findings.push(self.undecided(rule, None, question));
                    return false;
                }
                Decided::Sat(_) => {}
            }
        }
        let dead = match rule.ast.effect.kind {
            EffectKind::CapAt(n) if n >= 4 => {
                Some(format!("caps the score at {n}, and no score is above 4"))
            }
            EffectKind::LiftTo(n) if n <= 1 => Some(format!(
                "lifts the score to at least {n}, and no score is below 1"
            )),
            _ => None,
        };
        if let Some(why) = dead {
            findings.push(Finding::new(
                codes::DEAD,
                format!("rule `{}` can never change the score: it {why}", rule.id),
                Location::of_rule(rule),
            ));
        }
        true
    }

    fn conflict(
        &self,
        a: &PackRule,
        b: &PackRule,
        lowering: &Lowering,
        avoid: &BTreeSet<MetricId>,
        findings: &mut Vec<Finding>,
    ) {
        let opposite = match (a.ast.effect.kind, b.ast.effect.kind) {
            (EffectKind::Raise(_), EffectKind::Lower(_))
            | (EffectKind::Lower(_), EffectKind::Raise(_)) => true,
            (EffectKind::CapAt(cap), EffectKind::LiftTo(floor))
            | (EffectKind::LiftTo(floor), EffectKind::CapAt(cap)) => cap < floor,
            _ => false,
        };
        if !opposite {
            return;
        }
        let both = self.read_together(&[a, b], &|r| {
            Formula::And(vec![lowering.fires_as(a, r), lowering.fires_as(b, r)])
        });
        match self.satisfiable(&both, avoid) {
            Decided::Unsat => {}
            Decided::Undecided => {
                findings.push(self.undecided(a, Some(b), "whether the two can both fire"))
            }
            Decided::Sat(model) => {
                let example = Counterexample::from_model(&model, self.pack);
                let fired = example.fired(self.pack, &self.statement.statement, &[a, b]);
                if fired != [true, true] {
                    findings.push(self.unverified(a, Some(b)));
                    return;
                }
                findings.push(
                    Finding::new(
                        codes::CONFLICT,
                        format!(
                            "rules `{}` ({}) and `{}` ({}) read the same evidence and can both fire on it{}",
                            a.id,
                            describe(a.ast.effect.kind),
                            b.id,
                            describe(b.ast.effect.kind),
                            match per_category(self.statement, a) {
                                true => " (in one category's evidence)",
                                false => "",
                            },
                        ),
                        Location::of_rule(a),
                    )
                    .also_at(Location::of_rule(b))
                    .with_counterexample(example, &[a, b]),
                );
            }
        }
    }

    fn redundant(
        &self,
        a: &PackRule,
        b: &PackRule,
        lowering: &Lowering,
        avoid: &BTreeSet<MetricId>,
        findings: &mut Vec<Finding>,
    ) {
        let same =
            a.ast.effect.kind == b.ast.effect.kind && a.ast.effect.kind != EffectKind::NoEffect;
        if !same {
            return;
        }
        let a_implies_b = self.implies(a, b, lowering, avoid);
        let b_implies_a = self.implies(b, a, lowering, avoid);
        let (narrow, wide) = match (a_implies_b, b_implies_a) {
            (Decided::Undecided, _) | (_, Decided::Undecided) => {
                findings.push(self.undecided(a, Some(b), "whether one implies the other"));
                return;
            }
            (Decided::Unsat, _) => (a, b),
            (_, Decided::Unsat) => (b, a),
            _ => return,
        };
        findings.push(
            Finding::new(
                codes::REDUNDANT,
                format!(
                    "whenever rule `{}` fires, rule `{}` fires too, with the same effect ({})",
                    narrow.id,
                    wide.id,
                    describe(narrow.ast.effect.kind)
                ),
                Location::of_rule(narrow),
            )
            .also_at(Location::of_rule(wide)),
        );
    }

    /// A raise that only ever fires together with a cap at or below the baseline (or a lower
    /// with a floor at or above it) can never take the score past the baseline its way.
    fn shadowed(
        &self,
        a: &PackRule,
        b: &PackRule,
        lowering: &Lowering,
        avoid: &BTreeSet<MetricId>,
        findings: &mut Vec<Finding>,
    ) {
        let baseline = self.statement.baseline;
        let blocked = match (a.ast.effect.kind, b.ast.effect.kind) {
            (EffectKind::Raise(_), EffectKind::CapAt(cap)) if cap <= baseline => "raise",
            (EffectKind::Lower(_), EffectKind::LiftTo(floor)) if floor >= baseline => "lower",
            _ => return,
        };
        let answer = match per_category(self.statement, a) {
            false => self.implies(a, b, lowering, avoid),
            // `a` reads one category, `b` the whole statement. Exact only when no metric
            // test is involved (each metric item then is the first of its metric both in its
            // category and in the statement); otherwise nothing is claimed.
            true if !avoid.is_empty() => return,
            true => {
                let counter = Formula::Or(
                    representatives(&[a, b])
                        .into_iter()
                        .map(|c| {
                            let view = Reading::view(c);
                            Formula::And(vec![
                                lowering.category(c, true, &Reading::WHOLE),
                                lowering.fires_as(a, &view),
                                lowering.does_not_fire(b),
                            ])
                        })
                        .collect(),
                );
                self.satisfiable(&counter, avoid)
            }
        };
        match answer {
            Decided::Unsat => findings.push(
                Finding::new(
                    codes::DEAD,
                    format!(
                        "whenever rule `{}` fires, rule `{}` {} (baseline {baseline}), so the {blocked} can never move the score past the baseline",
                        a.id,
                        b.id,
                        describe(b.ast.effect.kind)
                    ),
                    Location::of_rule(a),
                )
                .also_at(Location::of_rule(b)),
            ),
            Decided::Undecided => findings.push(self.undecided(a, Some(b), "whether one implies the other")),
            Decided::Sat(_) => {}
        }
    }

    /// `Unsat` when whenever `a` fires, `b` fires (the two read the same evidence).
    fn implies(
        &self,
        a: &PackRule,
        b: &PackRule,
        lowering: &Lowering,
        avoid: &BTreeSet<MetricId>,
    ) -> Decided<Model> {
        let counter = self.read_together(&[a, b], &|r| {
            Formula::And(vec![
                lowering.fires_as(a, r),
                lowering.does_not_fire_as(b, r),
            ])
        });
        self.satisfiable(&counter, avoid)
    }

    fn satisfiable(&self, formula: &Formula, avoid: &BTreeSet<MetricId>) -> Decided<Model> {
        counted(self.pack, self.spares, formula, avoid, &self.work)
    }

    fn undecided(&self, a: &PackRule, b: Option<&PackRule>, question: &str) -> Finding {
        let (subject, mut finding_at) = match b {
            Some(b) => (
                format!("rules `{}` and `{}`", a.id, b.id),
                Some(Location::of_rule(b)),
            ),
            None => (format!("rule `{}`", a.id), None),
        };
        let mut finding = Finding::new(
            codes::UNDECIDED,
            format!("could not decide {question} for {subject} within the analysis bounds"),
            Location::of_rule(a),
        );
        if let Some(at) = finding_at.take() {
            finding = finding.also_at(at);
        }
        finding
    }

    fn unverified(&self, a: &PackRule, b: Option<&PackRule>) -> Finding {
        let mut finding = self.undecided(a, b, "whether the two can both fire");
        finding
            .message
            .push_str(" (the solver's example did not make both fire; please report this)");
        finding
    }
}

fn describe(effect: EffectKind) -> String {
    match effect {
        EffectKind::Lower(1) => "lowers the score".to_string(),
        EffectKind::Lower(n) => format!("lowers the score by {n}"),
        EffectKind::Raise(1) => "raises the score".to_string(),
        EffectKind::Raise(n) => format!("raises the score by {n}"),
        EffectKind::CapAt(n) => format!("caps the score at {n}"),
        EffectKind::LiftTo(n) => format!("lifts the score to at least {n}"),
        EffectKind::NoEffect => "has no effect".to_string(),
    }
}

/// The catalogue metrics rules read.
fn reads_metrics(pack: &Pack, rules: &[&PackRule]) -> BTreeSet<MetricId> {
    rules
        .iter()
        .flat_map(|rule| rule.ast.metric_names())
        .filter_map(|name| pack.catalogue.lookup(&name.name))
        .collect()
}

/// Finding pools a rule reads: `None` is every finding of the statement.
fn reads_pools(rule: &PackRule) -> BTreeSet<Option<Category>> {
    rule.ast
        .all_tests()
        .into_iter()
        .filter_map(|test| match test {
            Test::Findings(f) => Some(f.category),
            Test::NoEvidenceFrom { category, .. } => Some(Some(*category)),
            _ => None,
        })
        .collect()
}

/// Two rules weigh different evidence unless they read a common metric or finding pool
/// (docs/check.md, "What counts as a conflict"). Rules that do not can neither conflict
/// nor imply one another (short of a rule that fires on any evidence at all). The
/// analysis finds such pairs through [`EvidenceIndex`]; this is what the index must agree
/// with.
#[cfg(test)]
fn share_evidence(a: &Reads, b: &Reads) -> bool {
    if !a.metrics.is_disjoint(&b.metrics) {
        return true;
    }
    a.pools.iter().any(|pa| {
        b.pools
            .iter()
            .any(|pb| pa.is_none() || pb.is_none() || pa == pb)
    })
}

/// Which live rules read each metric and finding pool, so that a rule's partners (the
/// later rules it shares evidence with, see [`share_evidence`]) are found without trying
/// every pair.
struct EvidenceIndex {
    by_metric: std::collections::BTreeMap<MetricId, Vec<usize>>,
    /// Rules reading the findings of one category.
    by_pool: std::collections::BTreeMap<Category, Vec<usize>>,
    /// Rules reading every finding of the statement, and rules reading any findings.
    every_pool: Vec<usize>,
    some_pool: Vec<usize>,
}

impl EvidenceIndex {
    fn of(live: &[(&PackRule, Reads)]) -> EvidenceIndex {
        let mut index = EvidenceIndex {
            by_metric: std::collections::BTreeMap::new(),
            by_pool: std::collections::BTreeMap::new(),
            every_pool: Vec::new(),
            some_pool: Vec::new(),
        };
        for (i, (_, reads)) in live.iter().enumerate() {
            for metric in &reads.metrics {
                index.by_metric.entry(*metric).or_default().push(i);
            }
            for pool in &reads.pools {
                match pool {
                    Some(category) => index.by_pool.entry(*category).or_default().push(i),
                    None => index.every_pool.push(i),
                }
            }
            if !reads.pools.is_empty() {
                index.some_pool.push(i);
            }
        }
        index
    }

    /// The rules after rule `i` that share evidence with it, in pack order.
    fn partners(&self, i: usize, reads: &Reads) -> Vec<usize> {
        let after = |list: &[usize]| list[list.partition_point(|&j| j <= i)..].to_vec();
        let listed = |list: Option<&Vec<usize>>| list.map_or(Vec::new(), |list| after(list));
        let mut partners = Vec::new();
        for metric in &reads.metrics {
            partners.extend(listed(self.by_metric.get(metric)));
        }
        for pool in &reads.pools {
            match pool {
                None => partners.extend(after(&self.some_pool)),
                Some(category) => {
                    partners.extend(listed(self.by_pool.get(category)));
                    partners.extend(after(&self.every_pool));
                }
            }
        }
        partners.sort_unstable();
        partners.dedup();
        partners
    }
}

/// Whether a formula can hold, with an evidence profile where it does.
pub fn satisfiable(
    pack: &Pack,
    spares: &Spares,
    formula: &Formula,
    avoid: &BTreeSet<MetricId>,
) -> Decided<Model> {
    counted(pack, spares, formula, avoid, &std::cell::Cell::new(0))
}

/// [`satisfiable`], adding the terms of the normal form it decided to `work`.
fn counted(
    pack: &Pack,
    spares: &Spares,
    formula: &Formula,
    avoid: &BTreeSet<MetricId>,
    work: &std::cell::Cell<usize>,
) -> Decided<Model> {
    let Some(conjunctions) = dnf(formula, MAX_CONJUNCTIONS) else {
        work.set(work.get() + MAX_CONJUNCTIONS);
        return Decided::Undecided;
    };
    work.set(work.get() + conjunctions.iter().map(Vec::len).sum::<usize>());
    let ctx = Context {
        pack,
        avoid,
        spares,
    };
    Decided::first_sat(
        conjunctions
            .iter()
            .map(|conjunction| decide(conjunction, &ctx)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index finds exactly the pairs that share evidence, in the default pack and in
    /// a pack whose rules read every kind of pool.
    #[test]
    fn the_index_finds_the_pairs_that_share_evidence() {
        let pack = crate::load_pack(None).expect("the default pack loads");
        for statement in &pack.statements {
            let live: Vec<(&PackRule, Reads)> = statement
                .rules
                .iter()
                .map(|rule| {
                    let reads = Reads {
                        metrics: reads_metrics(&pack, &[rule]),
                        pools: reads_pools(rule),
                    };
                    (rule, reads)
                })
                .collect();
            let index = EvidenceIndex::of(&live);
            for (i, (_, reads)) in live.iter().enumerate() {
                let brute: Vec<usize> = (i + 1..live.len())
                    .filter(|&j| share_evidence(reads, &live[j].1))
                    .collect();
                assert_eq!(index.partners(i, reads), brute, "{}", statement.statement);
            }
        }
    }
}
