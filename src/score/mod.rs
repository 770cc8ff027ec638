//! Forming each statement's score from its fired rules, then rolling up themes and the
//! overall result (docs/scoring.md). Pure: evidence x pack -> [`Assessment`].

pub mod assessment;
pub(crate) mod confidence;
pub(crate) mod eval;
pub mod rollup;

use std::collections::HashMap;
use std::sync::Arc;

use crate::evidence::{Evidence, Item};
use crate::lang::ast::{Category, EffectKind};
use crate::pack::framework::{Framework, Statement};
use crate::pack::{Method, Pack, PackRule, StatementRules};
use crate::score::assessment::{
    Arithmetic, Assessment, CategoryScore, ConfidenceLevel, DecisionRecord, EngineInfo,
    EvidenceInfo, EvidenceRef, IncludedFile, Justification, Overall, OverallRange, PackInfo,
    RuleTrace, StatementResult, Status, ThemeResult,
};
use crate::score::eval::{
    RuleOutcome, StatementEvidence, categories_present, evaluate_rule, rule_verdict,
};
use crate::score::rollup::{
    exact_percent, percent_rounded_up, position_in_band, score_for_percent,
};

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
    let overall = overall(framework, &statements);
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
                included: evidence
                    .included
                    .iter()
                    .map(|file| IncludedFile {
                        file: file.name.clone(),
                        hash: file.sha256().to_string(),
                    })
                    .collect(),
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

/// CQC's roll-up over the scored statements. With any statement unscored the result is
/// partial: no rating, only the band its percentage falls in.
fn overall(framework: &Framework, statements: &[StatementResult]) -> Overall {
    let (total, scored) = sum_scores(statements.iter());
    let percent = percent_rounded_up(total, scored);
    let band = |p: u32| framework.band_for(p).map(|(_, band)| band.rating.clone());
    let rating = percent.and_then(band);
    let partial = (scored as usize) < statements.len();
    Overall {
        rating: if partial { None } else { rating.clone() },
        percent,
        exact_percent: exact_percent(total, scored),
        position: percent.and_then(|p| position_in_band(framework, p)),
        total,
        max: 4 * scored,
        statements_scored: scored as usize,
        statements_total: statements.len(),
        partial,
        indicative_rating: if partial { rating } else { None },
        range: range(statements, total, scored, &band),
    }
}

/// The overall percentage if every low-confidence statement moved one down, or one up.
fn range(
    statements: &[StatementResult],
    total: u32,
    scored: u32,
    band: &dyn Fn(u32) -> Option<String>,
) -> Option<OverallRange> {
    let low: Vec<&StatementResult> = statements
        .iter()
        .filter(|s| {
            s.confidence
                .as_ref()
                .is_some_and(|c| c.level == ConfidenceLevel::Low)
        })
        .collect();
    if low.is_empty() {
        return None;
    }
    // Each moves one step, within 1..4.
    let (mut down, mut up) = (0, 0);
    for statement in &low {
        let score = statement.score.unwrap_or(1);
        down += u32::from(score > 1);
        up += u32::from(score < 4);
    }
    let low_percent = percent_rounded_up(total - down, scored)?;
    let high_percent = percent_rounded_up(total + up, scored)?;
    Some(OverallRange {
        low_percent,
        high_percent,
        low_rating: band(low_percent),
        high_rating: band(high_percent),
        statements: low.iter().map(|s| s.id.clone()).collect(),
    })
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
        confidence: None,
    };
    let Some(rules) = rules.filter(|r| !r.rules.is_empty()) else {
        result.reason = Some("the pack has no rules for this statement".to_string());
        return result;
    };
    let outcomes = evaluate_all(rules, &items, pack);
    let formed = form_score(pack, rules, &items, &outcomes);
    match formed.score {
        Some(score) => {
            result.status = Status::Scored;
            result.score = Some(score);
            result.descriptor = pack.framework.descriptor(score).map(str::to_string);
            result.confidence = Some(confidence::judge(pack, rules, &items, score));
        }
        None if items.is_empty() => {
            result.reason = Some("no evidence for this statement".to_string());
        }
        None => {
            result.reason = Some("no rule could read this statement's evidence".to_string());
        }
    }
    result.arithmetic = formed.arithmetic;
    result.categories = formed.categories;
    for evaluated in outcomes {
        let Evaluated {
            rule,
            category,
            outcome,
        } = evaluated;
        if outcome.fired {
            result.justifications.push(justification(
                rule,
                category,
                outcome,
                rules.baseline,
                sources,
            ));
        } else if outcome.not_evaluable {
            result
                .not_evaluable
                .push(rule_trace(rule, category, outcome));
        } else {
            result.not_fired.push(rule_trace(rule, category, outcome));
        }
    }
    // Most impact first; the pack's order breaks ties, so the order is stable.
    result
        .justifications
        .sort_by_key(|j| std::cmp::Reverse(j.impact.abs()));
    result
}

/// One evaluation of a rule: on the whole statement, or under `method: categories` on one
/// category's evidence.
struct Evaluated<'r> {
    rule: &'r PackRule,
    category: Option<Category>,
    outcome: RuleOutcome,
}

/// Under `method: categories`, caps and floors bound the statement, so they read all of its
/// evidence; raises, lowers and `has no effect` score one category, so they read its own.
pub(crate) fn bounds_statement(rule: &PackRule) -> bool {
    matches!(
        rule.ast.effect.kind,
        EffectKind::CapAt(_) | EffectKind::LiftTo(_)
    )
}

fn evaluate_all<'r>(rules: &'r StatementRules, items: &[&Item], pack: &Pack) -> Vec<Evaluated<'r>> {
    let whole = StatementEvidence {
        items: items.to_vec(),
    };
    let mut out = Vec::new();
    match rules.method {
        Method::Statement => {
            for rule in &rules.rules {
                out.push(Evaluated {
                    rule,
                    category: None,
                    outcome: evaluate_rule(rule, &whole, pack),
                });
            }
        }
        Method::Categories => {
            for rule in rules.rules.iter().filter(|r| bounds_statement(r)) {
                out.push(Evaluated {
                    rule,
                    category: None,
                    outcome: evaluate_rule(rule, &whole, pack),
                });
            }
            for category in categories_present(items) {
                let view = category_view(items, category);
                for rule in rules.rules.iter().filter(|r| !bounds_statement(r)) {
                    out.push(Evaluated {
                        rule,
                        category: Some(category),
                        outcome: evaluate_rule(rule, &view, pack),
                    });
                }
            }
        }
    }
    out
}

fn category_view<'e>(items: &[&'e Item], category: Category) -> StatementEvidence<'e> {
    StatementEvidence {
        items: items
            .iter()
            .copied()
            .filter(|item| item.category == category)
            .collect(),
    }
}

/// A statement's score from its rules' outcomes.
struct Formed {
    /// `None` when it is not scored: no evidence, or none any rule could read.
    score: Option<u8>,
    arithmetic: Arithmetic,
    categories: Vec<CategoryScore>,
}

fn form_score(
    pack: &Pack,
    rules: &StatementRules,
    items: &[&Item],
    outcomes: &[Evaluated<'_>],
) -> Formed {
    let fired = |category: Option<Category>| -> Vec<EffectKind> {
        outcomes
            .iter()
            .filter(|e| e.outcome.fired && e.category == category)
            .map(|e| e.rule.ast.effect.kind)
            .collect()
    };
    match rules.method {
        Method::Statement => {
            let (score, arithmetic) = combine(rules.baseline, &fired(None));
            Formed {
                score: (!items.is_empty()).then_some(score),
                arithmetic,
                categories: Vec::new(),
            }
        }
        Method::Categories => {
            let mut categories = Vec::new();
            for category in categories_present(items) {
                let here: Vec<&Evaluated<'_>> = outcomes
                    .iter()
                    .filter(|e| e.category == Some(category))
                    .collect();
                // A category none of whose rules could read its evidence is not scored.
                if here.iter().all(|e| e.outcome.not_evaluable) {
                    continue;
                }
                let (score, _) = combine(rules.baseline, &fired(Some(category)));
                categories.push(CategoryScore {
                    category,
                    score,
                    weight: pack.weights.of(category),
                    rules: here
                        .iter()
                        .filter(|e| e.outcome.fired)
                        .map(|e| e.rule.id.clone())
                        .collect(),
                });
            }
            by_categories(pack, categories, &fired(None))
        }
    }
}

/// The categories' weighted percentage, banded, then bounded by the statement's caps and
/// floors.
fn by_categories(pack: &Pack, categories: Vec<CategoryScore>, bounds: &[EffectKind]) -> Formed {
    let total: u32 = categories
        .iter()
        .map(|c| u32::from(c.score) * u32::from(c.weight))
        .sum();
    let weight: u32 = categories.iter().map(|c| u32::from(c.weight)).sum();
    let Some(percent) = percent_rounded_up(total, weight) else {
        return Formed {
            score: None,
            arithmetic: Arithmetic::default(),
            categories,
        };
    };
    let banded = score_for_percent(&pack.framework, percent);
    let (score, mut arithmetic) = combine(banded, bounds);
    arithmetic.percent = Some(percent);
    Formed {
        score: Some(score),
        arithmetic,
        categories,
    }
}

/// Every statement's score in framework order (`None`: not scored), without the report:
/// the what-if path, which a property test holds to [`assess`].
pub fn scores(evidence: &Evidence, pack: &Pack) -> Vec<Option<u8>> {
    pack.framework
        .statements()
        .map(|statement| {
            let items: Vec<&Item> = evidence.items_for(&statement.id).collect();
            pack.statement_rules(&statement.id)
                .filter(|rules| !rules.rules.is_empty())
                .and_then(|rules| statement_score(pack, rules, &items))
        })
        .collect()
}

/// The score a statement's rules give these items; `None` when it would not be scored.
/// What-if analyses call this on changed evidence, so it builds no report.
pub(crate) fn statement_score(pack: &Pack, rules: &StatementRules, items: &[&Item]) -> Option<u8> {
    let effects = |view: &StatementEvidence<'_>, wanted: &dyn Fn(&PackRule) -> bool| {
        let mut effects = Vec::new();
        let mut evaluable = false;
        for rule in rules.rules.iter().filter(|r| wanted(r)) {
            let verdict = rule_verdict(rule, view, pack);
            evaluable |= !verdict.not_evaluable;
            if verdict.fired {
                effects.push(rule.ast.effect.kind);
            }
        }
        (effects, evaluable)
    };
    let whole = StatementEvidence {
        items: items.to_vec(),
    };
    match rules.method {
        Method::Statement => {
            let (fired, _) = effects(&whole, &|_| true);
            (!items.is_empty()).then(|| combine(rules.baseline, &fired).0)
        }
        Method::Categories => {
            let (bounds, _) = effects(&whole, &bounds_statement);
            let mut categories = Vec::new();
            for category in categories_present(items) {
                let view = category_view(items, category);
                let (fired, evaluable) = effects(&view, &|r| !bounds_statement(r));
                if evaluable {
                    categories.push(CategoryScore {
                        category,
                        score: combine(rules.baseline, &fired).0,
                        weight: pack.weights.of(category),
                        rules: Vec::new(),
                    });
                }
            }
            by_categories(pack, categories, &bounds).score
        }
    }
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
    category: Option<Category>,
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
        category,
    }
}

fn rule_trace(rule: &PackRule, category: Option<Category>, outcome: RuleOutcome) -> RuleTrace {
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
        category,
    }
}

/// Metric items that no rule of their statements reads: unknown metrics, metrics the pack
/// does not use there, and metrics that `evidence` would count but that give no target or
/// England average to be judged against. Findings are always readable, so never uncited.
fn uncited(evidence: &Evidence, pack: &Pack) -> Vec<EvidenceRef> {
    evidence
        .items
        .iter()
        .filter(|item| !item.statements.iter().any(|s| read_for(item, s, pack)))
        .map(|item| EvidenceRef {
            id: item.id.clone(),
            source: item.source.clone(),
        })
        .collect()
}

/// Whether some rule of `statement` reads `item`: every finding; a metric item when a rule
/// names its metric, or when the statement's rules weigh judged metrics and it gives a
/// target or England average to be judged against.
pub(crate) fn read_for(item: &Item, statement: &str, pack: &Pack) -> bool {
    let Some(value) = item.metric() else {
        return true;
    };
    let judged = value.target.is_some() || value.england_average.is_some();
    value.metric.is_some_and(|id| {
        pack.statement_rules(statement).is_some_and(|rules| {
            rules.reads.contains(&id) || (judged && rules.reads_judged_metrics)
        })
    })
}

#[cfg(test)]
mod tests;
