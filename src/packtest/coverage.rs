//! How much of a pack its test cases exercise (docs/testing.md). A rule is covered when it
//! fired in some case and stayed silent (was evaluated and did not fire) in another; a test
//! of a compound rule is covered when it was seen true in some case and false in another.
//! Read from the cases' assessments: nothing is evaluated again here.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::pack::Pack;
use crate::score::assessment::{Assessment, ConditionTrace, Truth};

/// Coverage of a pack by a run's cases. Percentages are whole numbers rounded down, so a
/// pack is never shown as 100% covered when it is not.
#[derive(Debug, Serialize)]
pub struct Coverage {
    pub rules_total: usize,
    pub rules_covered: usize,
    pub percent: u32,
    /// The `--min-coverage` asked for, if any.
    pub minimum: Option<u8>,
    /// Whether rule coverage reaches the minimum (always, without one).
    pub met: bool,
    /// Tests of compound rules (more than one test, counting `unless`).
    pub conditions_total: usize,
    /// Those seen both true and false.
    pub conditions_covered: usize,
    pub conditions_percent: u32,
    /// Every rule of the pack, in pack order.
    pub rules: Vec<RuleCoverage>,
}

/// How one rule was exercised.
#[derive(Debug, Serialize)]
pub struct RuleCoverage {
    pub rule: String,
    pub statement: String,
    pub file: String,
    pub line: usize,
    /// Cases in which it fired.
    pub fired: usize,
    /// Cases in which it was evaluated and did not fire.
    pub silent: usize,
    /// Cases in which it could not be evaluated for lack of evidence.
    pub not_evaluable: usize,
    pub covered: bool,
    /// Each test of a compound rule, in the order written; empty for a one-test rule.
    pub conditions: Vec<ConditionCoverage>,
}

impl RuleCoverage {
    /// What is missing: `never fired`, `never stayed silent`, or both.
    pub fn missing(&self) -> Option<&'static str> {
        match (self.fired > 0, self.silent > 0) {
            (true, true) => None,
            (true, false) => Some("never stayed silent"),
            (false, true) => Some("never fired"),
            (false, false) if self.not_evaluable > 0 => {
                Some("never evaluated: every case lacked its evidence")
            }
            (false, false) => Some("never fired or stayed silent"),
        }
    }
}

/// How one test of a compound rule was seen.
#[derive(Debug, Serialize)]
pub struct ConditionCoverage {
    /// The test in canonical words.
    pub test: String,
    /// Whether it sits in the rule's `unless` exception.
    pub exception: bool,
    pub seen_true: bool,
    pub seen_false: bool,
}

impl ConditionCoverage {
    pub fn covered(&self) -> bool {
        self.seen_true && self.seen_false
    }
}

/// What happened to a rule in one case.
enum Outcome {
    Fired,
    Silent,
    NotEvaluable,
}

/// Measures coverage from the assessments of the cases that ran.
pub fn measure(pack: &Pack, assessments: &[Assessment], minimum: Option<u8>) -> Coverage {
    let mut seen: BTreeMap<&str, Vec<(Outcome, &[ConditionTrace])>> = BTreeMap::new();
    for statement in assessments.iter().flat_map(|a| &a.statements) {
        let fired = statement
            .justifications
            .iter()
            .map(|j| (&*j.rule, Outcome::Fired, j.conditions.as_slice()));
        let silent = statement
            .not_fired
            .iter()
            .map(|t| (&*t.rule, Outcome::Silent, t.conditions.as_slice()));
        let unknown = statement
            .not_evaluable
            .iter()
            .map(|t| (&*t.rule, Outcome::NotEvaluable, t.conditions.as_slice()));
        for (rule, outcome, conditions) in fired.chain(silent).chain(unknown) {
            seen.entry(rule).or_default().push((outcome, conditions));
        }
    }
    let rules: Vec<RuleCoverage> = pack
        .rules()
        .map(|(statement, rule)| {
            let outcomes = seen.get(rule.id.as_str()).map_or(&[][..], Vec::as_slice);
            let count = |wanted: fn(&Outcome) -> bool| {
                outcomes
                    .iter()
                    .filter(|(outcome, _)| wanted(outcome))
                    .count()
            };
            let fired = count(|o| matches!(o, Outcome::Fired));
            let silent = count(|o| matches!(o, Outcome::Silent));
            let tests = rule.ast.all_tests();
            let conditions = if tests.len() > 1 {
                let in_condition = rule.ast.condition.tests().len();
                tests
                    .iter()
                    .enumerate()
                    .map(|(index, test)| {
                        let holds = |truth: Truth| {
                            outcomes.iter().any(|(_, traces)| {
                                traces.len() == tests.len()
                                    && traces.get(index).is_some_and(|t| t.holds == truth)
                            })
                        };
                        ConditionCoverage {
                            test: test.to_string(),
                            exception: index >= in_condition,
                            seen_true: holds(Truth::True),
                            seen_false: holds(Truth::False),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let (line, _) = rule.origin.file.line_column(rule.origin.id_span.start);
            RuleCoverage {
                rule: rule.id.clone(),
                statement: statement.statement.clone(),
                file: rule.origin.file.name.clone(),
                line,
                fired,
                silent,
                not_evaluable: count(|o| matches!(o, Outcome::NotEvaluable)),
                covered: fired > 0 && silent > 0,
                conditions,
            }
        })
        .collect();
    let rules_covered = rules.iter().filter(|r| r.covered).count();
    let conditions_total = rules.iter().map(|r| r.conditions.len()).sum();
    let conditions_covered = rules
        .iter()
        .flat_map(|r| &r.conditions)
        .filter(|c| c.covered())
        .count();
    let met =
        minimum.is_none_or(|minimum| rules_covered * 100 >= usize::from(minimum) * rules.len());
    Coverage {
        rules_total: rules.len(),
        rules_covered,
        percent: percent_down(rules_covered, rules.len()),
        minimum,
        met,
        conditions_total,
        conditions_covered,
        conditions_percent: percent_down(conditions_covered, conditions_total),
        rules,
    }
}

/// `part` of `whole` as a whole percentage rounded down; 100 when there is nothing to cover.
fn percent_down(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 100;
    }
    u32::try_from(part * 100 / whole).unwrap_or(100)
}
