//! Checks of one rule (or one statement) at a time against the framework and catalogue:
//! hygiene, tag vocabulary, references a metric cannot have, polarity, and coverage.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{Finding, Location};
use crate::lang::ast::{
    Category, Comparison, Condition, EffectKind, Quantifier, ReferenceKind, Test, ThresholdOp,
};
use crate::pack::catalogue::Polarity;
use crate::pack::{Pack, PackRule, StatementRules};
use crate::source::codes;
use crate::source::diagnostic::{did_you_mean, nearest};

/// The four categories CQC uses for local authorities; every statement should read each.
const MAIN_CATEGORIES: [Category; 4] = [
    Category::PeoplesExperience,
    Category::FeedbackFromStaffAndLeaders,
    Category::FeedbackFromPartners,
    Category::Processes,
];

pub fn lint(pack: &Pack) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (statement, rule) in pack.rules() {
        hygiene(rule, &mut findings);
        tags(pack, rule, &mut findings);
        references(pack, rule, &mut findings);
        polarity(pack, statement, rule, &mut findings);
        monotone(pack, statement, rule, &mut findings);
    }
    coverage(pack, &mut findings);
    findings
}

fn hygiene(rule: &PackRule, findings: &mut Vec<Finding>) {
    if rule.why.as_deref().is_none_or(|why| why.trim().is_empty()) {
        findings.push(Finding::new(
            codes::MISSING_WHY,
            format!("rule `{}` has no `why`", rule.id),
            Location::of_rule(rule),
        ));
    }
    if rule.cites.iter().all(|cite| cite.trim().is_empty()) {
        findings.push(Finding::new(
            codes::MISSING_CITES,
            format!("rule `{}` has no `cites`", rule.id),
            Location::of_rule(rule),
        ));
    }
}

fn tags(pack: &Pack, rule: &PackRule, findings: &mut Vec<Finding>) {
    let vocabulary: Vec<&str> = pack.framework.tags.iter().map(String::as_str).collect();
    for test in rule.ast.all_tests() {
        let Test::Findings(finding_test) = test else {
            continue;
        };
        for tag in &finding_test.tags {
            if pack.framework.knows_tag(tag) {
                continue;
            }
            let mut finding = Finding::new(
                codes::UNKNOWN_TAG,
                format!(
                    "rule `{}` tests the tag `{tag}`, which is not in the framework's tag vocabulary",
                    rule.id
                ),
                Location::in_rule(rule, finding_test.span),
            );
            if let Some(help) = did_you_mean(&nearest(tag, vocabulary.iter().copied(), 3)) {
                finding = finding.with_help(help);
            }
            findings.push(finding);
        }
    }
}

fn references(pack: &Pack, rule: &PackRule, findings: &mut Vec<Finding>) {
    for test in rule.ast.all_tests() {
        let Test::Metric(metric_test) = test else {
            continue;
        };
        let reference = match &metric_test.comparison {
            Comparison::Threshold { reference, .. }
            | Comparison::Relative { reference, .. }
            | Comparison::InLineWith { reference } => reference,
            Comparison::Trend { .. } | Comparison::Missing => continue,
        };
        let average = matches!(
            reference.kind,
            ReferenceKind::EnglandAverage
                | ReferenceKind::RegionalAverage
                | ReferenceKind::ComparatorAverage
        );
        let Some(id) = pack.catalogue.lookup(&metric_test.metric.name) else {
            continue;
        };
        let metric = pack.catalogue.metric(id);
        if average && metric.local {
            findings.push(Finding::new(
                codes::UNAVAILABLE_REFERENCE,
                format!(
                    "`{}` is a local measure with no {}; rule `{}` can never be evaluated",
                    metric.name,
                    crate::score::eval::reference_name(&reference.kind),
                    rule.id
                ),
                Location::in_rule(rule, reference.span),
            ));
        }
    }
}

/// Which way an effect pulls the score from the statement's baseline.
fn pull(effect: EffectKind, baseline: u8) -> i8 {
    match effect {
        EffectKind::Lower(_) => -1,
        EffectKind::Raise(_) => 1,
        EffectKind::CapAt(n) if n < baseline => -1,
        EffectKind::LiftTo(n) if n > baseline => 1,
        _ => 0,
    }
}

fn polarity(pack: &Pack, statement: &StatementRules, rule: &PackRule, findings: &mut Vec<Finding>) {
    let pull = pull(rule.ast.effect.kind, statement.baseline);
    if pull == 0 {
        return;
    }
    let mut tests = Vec::new();
    signed_tests(&rule.ast.condition, false, &mut tests);
    for (test, negated) in tests {
        let Test::Metric(metric_test) = test else {
            continue;
        };
        let Comparison::Threshold { op, .. } = metric_test.comparison else {
            continue;
        };
        let Some(id) = pack.catalogue.lookup(&metric_test.metric.name) else {
            continue;
        };
        let metric = pack.catalogue.metric(id);
        // +1 when the test holds for higher values.
        let mut upward: i8 = match op {
            ThresholdOp::Above | ThresholdOp::AtOrAbove => 1,
            ThresholdOp::Below | ThresholdOp::AtOrBelow => -1,
        };
        if negated {
            upward = -upward;
        }
        let better_up: i8 = match metric.better {
            Polarity::Higher => 1,
            Polarity::Lower => -1,
        };
        // The test holds when the metric is better, and the rule pulls down (or the reverse).
        if upward * better_up != -pull {
            continue;
        }
        let (moves, does) = if pull < 0 {
            ("better", "lowers")
        } else {
            ("worse", "raises")
        };
        findings.push(Finding::new(
            codes::POLARITY,
            format!(
                "rule `{}` {does} the score when `{}` is {moves} ({} is better)",
                rule.id,
                metric.name,
                match metric.better {
                    Polarity::Higher => "higher",
                    Polarity::Lower => "lower",
                }
            ),
            Location::in_rule(rule, metric_test.span),
        ));
    }
}

/// Whether a test holds for better values of its metric (+1), for worse ones (-1), only
/// near a reference (0), or does not depend on the value at all (`None`).
fn sense(test: &crate::lang::ast::MetricTest, pack: &Pack) -> Option<i8> {
    let better_up: i8 = match pack
        .catalogue
        .metric(pack.catalogue.lookup(&test.metric.name)?)
        .better
    {
        Polarity::Higher => 1,
        Polarity::Lower => -1,
    };
    let towards = |direction: crate::lang::ast::Direction| match direction {
        crate::lang::ast::Direction::Better => 1,
        crate::lang::ast::Direction::Worse => -1,
    };
    match test.comparison {
        Comparison::Threshold { op, .. } => Some(match op {
            ThresholdOp::Above | ThresholdOp::AtOrAbove => better_up,
            ThresholdOp::Below | ThresholdOp::AtOrBelow => -better_up,
        }),
        Comparison::Relative { direction, .. } | Comparison::Trend { direction, .. } => {
            Some(towards(direction))
        }
        Comparison::InLineWith { .. } => Some(0),
        Comparison::Missing => None,
    }
}

/// A108: a metric test that can make the score fall when the metric improves (or rise when
/// it worsens), in the places A105 does not look: `in line with`, `unless` exceptions, and
/// caps and floors that sit at or beside the baseline. A pack with neither finding is
/// monotone: a better value never lowers a score.
fn monotone(pack: &Pack, statement: &StatementRules, rule: &PackRule, findings: &mut Vec<Finding>) {
    // +1 for a rule that can only raise the score, -1 for one that can only lower it.
    let way: i8 = match rule.ast.effect.kind {
        EffectKind::Lower(_) | EffectKind::CapAt(_) => -1,
        EffectKind::Raise(_) | EffectKind::LiftTo(_) => 1,
        EffectKind::NoEffect => return,
    };
    let reported_by_polarity = pull(rule.ast.effect.kind, statement.baseline) != 0;
    let mut tests = Vec::new();
    signed_tests(&rule.ast.condition, false, &mut tests);
    let in_condition = tests.len();
    if let Some(unless) = &rule.ast.unless {
        signed_tests(unless, false, &mut tests);
    }
    for (index, (test, negated)) in tests.into_iter().enumerate() {
        let Test::Metric(metric_test) = test else {
            continue;
        };
        let Some(mut sense) = sense(metric_test, pack) else {
            continue;
        };
        let in_unless = index >= in_condition;
        // Under `not`, or in the exception, a test that holds stops the rule instead.
        if negated != in_unless {
            sense = -sense;
        }
        if sense == way {
            continue;
        }
        let threshold = matches!(metric_test.comparison, Comparison::Threshold { .. });
        if threshold && !in_unless && reported_by_polarity {
            continue;
        }
        let name = pack
            .catalogue
            .lookup(&metric_test.metric.name)
            .map_or(metric_test.metric.name.as_str(), |id| {
                pack.catalogue.metric(id).name.as_str()
            });
        let how = if sense == 0 {
            "holds only near its reference, so a better value can make it start or stop holding"
        } else if way < 0 {
            "lets the rule fire when the metric gets better"
        } else {
            "lets the rule fire when the metric gets worse"
        };
        let place = if in_unless {
            " in the `unless` exception"
        } else {
            ""
        };
        findings.push(Finding::new(
            codes::NOT_MONOTONE,
            format!("rule `{}`: the test of `{name}`{place} {how}", rule.id),
            Location::in_rule(rule, metric_test.span),
        ));
    }
}

/// Tests with whether they sit under an odd number of `not`s.
fn signed_tests<'a>(condition: &'a Condition, negated: bool, out: &mut Vec<(&'a Test, bool)>) {
    match condition {
        Condition::Or(parts, _) | Condition::And(parts, _) => {
            parts.iter().for_each(|p| signed_tests(p, negated, out))
        }
        Condition::Not(inner, _) => signed_tests(inner, !negated, out),
        Condition::Test(test) => out.push((test, negated)),
    }
}

fn coverage(pack: &Pack, findings: &mut Vec<Finding>) {
    let mut without_rules = Vec::new();
    for statement in pack.framework.statements() {
        let rules = pack
            .statement_rules(&statement.id)
            .filter(|rules| !rules.rules.is_empty());
        let Some(rules) = rules else {
            without_rules.push(format!("`{}`", statement.id));
            continue;
        };
        let mut read = BTreeSet::new();
        for rule in &rules.rules {
            // Under `method: categories` a raise or lower reads each category's evidence on
            // its own, so a finding test that names no category reads every one.
            let each_category = super::satisfiability::per_category(rules, rule);
            for test in rule.ast.all_tests() {
                match test {
                    // A spread counts the categories themselves.
                    Test::Findings(f) if matches!(f.quantifier, Quantifier::Categories(_)) => {
                        read.extend(Category::ALL)
                    }
                    Test::Findings(f) if f.category.is_none() && each_category => {
                        read.extend(Category::ALL)
                    }
                    Test::Findings(f) => read.extend(f.category),
                    Test::NoEvidenceFrom { category, .. } => {
                        read.insert(*category);
                    }
                    _ => {}
                }
            }
        }
        let unread: Vec<&str> = MAIN_CATEGORIES
            .into_iter()
            .filter(|c| !read.contains(c))
            .map(Category::as_str)
            .collect();
        if let (Some((file, span)), false) = (&rules.origin, unread.is_empty()) {
            findings.push(Finding::new(
                codes::CATEGORY_NOT_READ,
                format!(
                    "no rule of `{}` reads evidence from {}",
                    rules.statement,
                    unread.join(", ")
                ),
                Location {
                    file: Arc::clone(file),
                    span: span.clone(),
                },
            ));
        }
    }
    if let (Some((file, span)), false) = (&pack.origin, without_rules.is_empty()) {
        findings.push(Finding::new(
            codes::STATEMENT_WITHOUT_RULES,
            format!(
                "the pack has no rules for {}, so {} never scored",
                without_rules.join(", "),
                if without_rules.len() == 1 {
                    "it is"
                } else {
                    "they are"
                }
            ),
            Location {
                file: Arc::clone(file),
                span: span.clone(),
            },
        ));
    }
}
