//! Forming each statement's score from its fired rules, then rolling up themes and the
//! overall result (docs/scoring.md). Pure: evidence x pack -> [`Assessment`].

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::assessment::{
    Arithmetic, Assessment, CategoryScore, DecisionRecord, EngineInfo, EvidenceInfo, EvidenceRef,
    Justification, Overall, PackInfo, RuleTrace, StatementResult, Status, ThemeResult,
};
use crate::ast::{Category, EffectKind, Test};
use crate::catalogue::MetricId;
use crate::eval::{RuleOutcome, StatementEvidence, categories_present, evaluate_rule, rule_fires};
use crate::evidence::{Evidence, Item};
use crate::framework::Statement;
use crate::pack::{Method, Pack, PackRule, StatementRules};
use crate::rollup::{exact_percent, percent_rounded_up, position_in_band, score_for_percent};

/// Scores one council's evidence with a pack.
pub fn assess(evidence: &Evidence, pack: &Pack) -> Assessment {
    let framework = &pack.framework;
    let sources = sources(evidence);
    let mut statements = Vec::new();
    for theme in &framework.themes {
        for statement in &theme.statements {
            statements.push(score_statement(
                evidence, pack, &sources, &theme.id, statement,
            ));
        }
    }
    let themes = framework
        .themes
        .iter()
        .map(|theme| {
            let ids: Vec<String> = theme.statements.iter().map(|s| s.id.clone()).collect();
            let (total, scored) = sum_scores(statements.iter().filter(|s| ids.contains(&s.id)));
            ThemeResult {
                id: theme.id.clone(),
                name: theme.name.clone(),
                percent: percent_rounded_up(total, scored),
                total,
                max: 4 * scored,
                statements: ids,
            }
        })
        .collect();
    let (total, scored) = sum_scores(statements.iter());
    let percent = percent_rounded_up(total, scored);
    let overall = Overall {
        rating: percent
            .and_then(|p| framework.band_for(p))
            .map(|(_, band)| band.rating.clone()),
        percent,
        exact_percent: exact_percent(total, scored),
        position: percent.and_then(|p| position_in_band(framework, p)),
        total,
        max: 4 * scored,
        statements_scored: scored as usize,
        statements_total: statements.len(),
    };
    let pack_info = PackInfo {
        name: pack.name.clone(),
        version: pack.version.clone(),
        hash: pack.hash.clone(),
    };
    Assessment {
        authority: evidence.authority.clone(),
        code: evidence.code.clone(),
        as_of: evidence.as_of.clone(),
        pack: pack_info.clone(),
        record: DecisionRecord {
            engine: EngineInfo {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            pack: pack_info,
            evidence: EvidenceInfo {
                file: evidence.file.name.clone(),
                hash: evidence.file.sha256().to_string(),
            },
            rules_evaluated: Arc::clone(&pack.rule_ids),
        },
        overall,
        themes,
        statements,
        uncited_evidence: uncited(evidence, pack),
        warnings: evidence.warnings.iter().map(ToString::to_string).collect(),
    }
}

fn sum_scores<'a>(statements: impl Iterator<Item = &'a StatementResult>) -> (u32, u32) {
    statements
        .filter_map(|s| s.score)
        .fold((0, 0), |(total, count), score| {
            (total + u32::from(score), count + 1)
        })
}

fn score_statement(
    evidence: &Evidence,
    pack: &Pack,
    sources: &Sources<'_>,
    theme: &str,
    statement: &Statement,
) -> StatementResult {
    let items: Vec<&Item> = evidence.items_for(&statement.id).collect();
    let rules = pack.statement_rules(&statement.id);
    let mut result = StatementResult {
        id: statement.id.clone(),
        name: statement.name.clone(),
        theme: theme.to_string(),
        status: Status::NotScored,
        score: None,
        descriptor: None,
        baseline: rules.map_or(crate::pack::DEFAULT_BASELINE, |r| r.baseline),
        method: rules.map_or(Method::Statement, |r| r.method),
        arithmetic: Arithmetic::default(),
        reason: None,
        justifications: Vec::new(),
        not_fired: Vec::new(),
        not_evaluable: Vec::new(),
        categories: Vec::new(),
        evidence_count: items.len(),
    };
    let Some(rules) = rules.filter(|r| !r.rules.is_empty()) else {
        result.reason = Some("the pack has no rules for this statement".to_string());
        return result;
    };
    let view = StatementEvidence {
        items: items.clone(),
    };
    let outcomes = evaluate_all(rules, &view, pack);
    let formed = form_score(pack, rules, &items, &outcomes);
    if formed.scored {
        result.status = Status::Scored;
        result.score = Some(formed.score);
        result.descriptor = pack.framework.descriptor(formed.score).map(str::to_string);
    } else {
        result.reason =
            Some("no evidence for this statement, and no rule moved its score".to_string());
    }
    result.arithmetic = formed.arithmetic;
    result.categories = formed.categories;
    for (rule, outcome) in outcomes {
        if outcome.fired {
            result
                .justifications
                .push(justification(rule, outcome, rules.baseline, sources));
        } else if outcome.not_evaluable {
            result.not_evaluable.push(rule_trace(rule, outcome));
        } else {
            result.not_fired.push(rule_trace(rule, outcome));
        }
    }
    // Most impact first; the pack's order breaks ties, so the order is stable.
    result
        .justifications
        .sort_by_key(|j| std::cmp::Reverse(j.impact.abs()));
    result
}

fn evaluate_all<'r>(
    rules: &'r StatementRules,
    view: &StatementEvidence<'_>,
    pack: &Pack,
) -> Vec<(&'r PackRule, RuleOutcome)> {
    rules
        .rules
        .iter()
        .map(|rule| (rule, evaluate_rule(rule, view, pack)))
        .collect()
}

/// A statement's score from its rules' outcomes.
struct Formed {
    score: u8,
    /// False when there is no evidence and no fired rule moves the score.
    scored: bool,
    arithmetic: Arithmetic,
    categories: Vec<CategoryScore>,
}

fn form_score(
    pack: &Pack,
    rules: &StatementRules,
    items: &[&Item],
    outcomes: &[(&PackRule, RuleOutcome)],
) -> Formed {
    let fired: Vec<&(&PackRule, RuleOutcome)> = outcomes.iter().filter(|(_, o)| o.fired).collect();
    let effects: Vec<EffectKind> = fired.iter().map(|(rule, _)| rule.ast.effect.kind).collect();
    let (score, arithmetic, categories) = match rules.method {
        Method::Statement => {
            let (score, arithmetic) = combine(rules.baseline, &effects);
            (score, arithmetic, Vec::new())
        }
        Method::Categories => score_by_categories(pack, rules, items, &fired),
    };
    Formed {
        score,
        scored: is_scored(items, rules.baseline, &effects),
        arithmetic,
        categories,
    }
}

/// With no evidence, a baseline score would be a guess: a statement is scored only if it
/// has evidence or a fired rule moves it (for example a rule on evidence that should be
/// there).
fn is_scored(items: &[&Item], baseline: u8, fired: &[EffectKind]) -> bool {
    !items.is_empty() || fired.iter().any(|effect| impact(*effect, baseline) != 0)
}

/// The score a statement's rules give these items; `None` when it would not be scored.
/// What-if analyses call this on changed evidence, so it builds no report.
pub(crate) fn statement_score(pack: &Pack, rules: &StatementRules, items: &[&Item]) -> Option<u8> {
    let view = StatementEvidence {
        items: items.to_vec(),
    };
    if rules.method == Method::Categories {
        // Categories are scored from the evidence each rule cited: that needs the traces.
        let outcomes = evaluate_all(rules, &view, pack);
        let formed = form_score(pack, rules, items, &outcomes);
        return formed.scored.then_some(formed.score);
    }
    let effects: Vec<EffectKind> = rules
        .rules
        .iter()
        .filter(|rule| rule_fires(rule, &view, pack))
        .map(|rule| rule.ast.effect.kind)
        .collect();
    let (score, _) = combine(rules.baseline, &effects);
    is_scored(items, rules.baseline, &effects).then_some(score)
}

/// Baseline, summed adjustments, lowest cap, highest floor (the cap wins a collision),
/// clamped to 1..4.
pub fn combine(baseline: u8, effects: &[EffectKind]) -> (u8, Arithmetic) {
    let mut arithmetic = Arithmetic::default();
    for effect in effects {
        match *effect {
            EffectKind::Raise(n) => arithmetic.adjustment += i32::from(n),
            EffectKind::Lower(n) => arithmetic.adjustment -= i32::from(n),
            EffectKind::CapAt(n) => arithmetic.cap = Some(arithmetic.cap.map_or(n, |c| c.min(n))),
            EffectKind::LiftTo(n) => {
                arithmetic.floor = Some(arithmetic.floor.map_or(n, |f| f.max(n)))
            }
            EffectKind::NoEffect => {}
        }
    }
    arithmetic.adjusted = i32::from(baseline) + arithmetic.adjustment;
    let mut score = arithmetic.adjusted;
    if let Some(cap) = arithmetic.cap {
        score = score.min(i32::from(cap));
    }
    if let Some(floor) = arithmetic.floor {
        score = score.max(i32::from(floor));
    }
    if let (Some(cap), Some(floor)) = (arithmetic.cap, arithmetic.floor)
        && cap < floor
    {
        score = i32::from(cap);
        arithmetic.collision = Some(format!(
            "the cap at {cap} overrides the lift to at least {floor}"
        ));
    }
    let clamped = score.clamp(1, 4);
    arithmetic.clamped = clamped != score;
    (clamped as u8, arithmetic)
}

/// CQC's earlier method: each evidence category with evidence gets its own score from the
/// rules that read it; the statement score is their percentage, banded.
fn score_by_categories(
    pack: &Pack,
    rules: &StatementRules,
    items: &[&Item],
    fired: &[&(&PackRule, RuleOutcome)],
) -> (u8, Arithmetic, Vec<CategoryScore>) {
    let present = categories_present(items);
    let mut categories = Vec::new();
    for category in &present {
        let applying: Vec<&&(&PackRule, RuleOutcome)> = fired
            .iter()
            .filter(|(rule, outcome)| {
                rule_reads_category(rule, outcome, items, *category, &present)
            })
            .collect();
        let effects: Vec<EffectKind> = applying
            .iter()
            .map(|(rule, _)| rule.ast.effect.kind)
            .collect();
        let (score, _) = combine(rules.baseline, &effects);
        categories.push(CategoryScore {
            category: *category,
            score,
            rules: applying.iter().map(|(rule, _)| rule.id.clone()).collect(),
        });
    }
    let total: u32 = categories.iter().map(|c| u32::from(c.score)).sum();
    let percent = percent_rounded_up(total, categories.len() as u32);
    let score = percent.map_or(rules.baseline, |p| score_for_percent(&pack.framework, p));
    let arithmetic = Arithmetic {
        adjusted: i32::from(score),
        ..Arithmetic::default()
    };
    (score, arithmetic, categories)
}

/// A rule applies to a category when it cited evidence of that category or names it; a
/// rule that cited nothing (e.g. `no evidence from ...`) applies to every category.
fn rule_reads_category(
    rule: &PackRule,
    outcome: &RuleOutcome,
    items: &[&Item],
    category: Category,
    present: &[Category],
) -> bool {
    let cited = outcome.evidence();
    let cited_categories: BTreeSet<Category> = items
        .iter()
        .filter(|item| cited.contains(&item.id))
        .map(|item| item.category)
        .collect();
    let named = rule
        .ast
        .condition
        .tests()
        .into_iter()
        .any(|test| match test {
            Test::Findings(f) => f.category == Some(category),
            _ => false,
        });
    cited_categories.contains(&category)
        || named
        || (cited_categories.is_empty() && present.contains(&category))
}

/// The signed change a rule alone makes from the baseline.
fn impact(effect: EffectKind, baseline: u8) -> i32 {
    let baseline = i32::from(baseline);
    match effect {
        EffectKind::Raise(n) => i32::from(n),
        EffectKind::Lower(n) => -i32::from(n),
        EffectKind::CapAt(n) => (i32::from(n) - baseline).min(0),
        EffectKind::LiftTo(n) => (i32::from(n) - baseline).max(0),
        EffectKind::NoEffect => 0,
    }
}

/// Each evidence item's source, by id, for the citations of fired rules.
type Sources<'e> = HashMap<&'e str, Option<&'e String>>;

fn sources(evidence: &Evidence) -> Sources<'_> {
    evidence
        .items
        .iter()
        .map(|item| (&*item.id, item.source.as_ref()))
        .collect()
}

fn justification(
    rule: &PackRule,
    outcome: RuleOutcome,
    baseline: u8,
    sources: &Sources<'_>,
) -> Justification {
    let cited = outcome.evidence();
    let evidence_sources = cited
        .iter()
        .map(|id| EvidenceRef {
            id: id.clone(),
            source: sources.get(&**id).copied().flatten().cloned(),
        })
        .collect();
    Justification {
        rule: Arc::clone(&rule.plan.id),
        effect: Arc::clone(&rule.plan.effect),
        effect_kind: rule.ast.effect.kind,
        impact: impact(rule.ast.effect.kind, baseline),
        text: Arc::clone(&rule.plan.text),
        why: rule.why.clone(),
        cites: rule.cites.clone(),
        conditions: outcome.conditions,
        evidence: cited,
        evidence_sources,
        location: Arc::clone(&rule.plan.location),
    }
}

fn rule_trace(rule: &PackRule, outcome: RuleOutcome) -> RuleTrace {
    RuleTrace {
        rule: Arc::clone(&rule.plan.id),
        effect: Arc::clone(&rule.plan.effect),
        text: Arc::clone(&rule.plan.text),
        missing: if outcome.not_evaluable {
            outcome.missing()
        } else {
            Vec::new()
        },
        conditions: outcome.conditions,
        location: Arc::clone(&rule.plan.location),
    }
}

/// Metric items that no rule of their statements reads: unknown metrics, or metrics the
/// pack does not use there. Findings are always readable, so they are never uncited.
fn uncited(evidence: &Evidence, pack: &Pack) -> Vec<EvidenceRef> {
    let read = |statement: &str, id: MetricId| {
        pack.statement_rules(statement)
            .is_some_and(|rules| rules.reads.contains(&id))
    };
    evidence
        .items
        .iter()
        .filter(|item| {
            item.metric().is_some_and(|value| {
                value
                    .metric
                    .is_none_or(|id| !item.statements.iter().any(|s| read(s, id)))
            })
        })
        .map(|item| EvidenceRef {
            id: item.id.clone(),
            source: item.source.clone(),
        })
        .collect()
}
