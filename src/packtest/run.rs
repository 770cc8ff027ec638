//! Running a pack's test cases (docs/testing.md): each case's evidence is scored with the
//! pack exactly as `assure score` would, and every expectation is compared with the result.
//! Pure: loaded cases x pack -> [`TestRun`], which the renderers in `report::testing` read.
//! Field names are the stable keys of `assure test --format json`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lang::ast::Condition;
use crate::pack::Pack;
use crate::packtest::cases::{Case, CaseEntry, CaseError, CaseFile, RuleExpectation};
use crate::packtest::coverage::{Coverage, measure};
use crate::score::assess;
use crate::score::assessment::{Assessment, PackInfo, StatementResult, Truth};
use crate::score::eval;
use crate::source::diagnostic::Diagnostic;

/// Everything one `assure test` run found.
#[derive(Debug, Serialize)]
pub struct TestRun {
    pub pack: PackInfo,
    pub summary: Summary,
    /// Case files in the order read, each with its cases and errors.
    pub files: Vec<String>,
    /// Cases that ran, in file order.
    pub cases: Vec<CaseResult>,
    /// Cases, or whole case files, that could not be loaded.
    pub errors: Vec<CaseErrorReport>,
    pub coverage: Coverage,
    /// Warnings about the cases' evidence (an unknown metric, say): they do not fail a case.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Passed,
    Failed,
}

/// One case that ran: whether it passed, what failed, and what the pack proposed.
#[derive(Debug, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub file: String,
    pub line: usize,
    pub status: CaseStatus,
    pub failures: Vec<ExpectationFailure>,
    /// The proposed score of every statement, in framework order (`null`: not scored).
    pub scores: Vec<StatementScore>,
    /// The proposed overall rating and percentage (`null`: not rated).
    pub overall: Option<String>,
    pub percent: Option<u32>,
    /// For each statement a failed expectation names, the rules that fired there.
    pub fired: BTreeMap<String, Vec<FiredRule>>,
}

#[derive(Debug, Serialize)]
pub struct StatementScore {
    pub statement: String,
    pub score: Option<u8>,
}

#[derive(Debug, Serialize)]
pub struct FiredRule {
    pub rule: String,
    pub effect: String,
}

/// Which kind of expectation failed: the key it is written under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    Scores,
    Overall,
    Percent,
    Fired,
    NotFired,
}

impl Expectation {
    pub fn key(self) -> &'static str {
        match self {
            Expectation::Scores => "scores",
            Expectation::Overall => "overall",
            Expectation::Percent => "percent",
            Expectation::Fired => "fired",
            Expectation::NotFired => "not_fired",
        }
    }
}

/// One expectation that the result did not meet.
#[derive(Debug, Serialize)]
pub struct ExpectationFailure {
    pub expectation: Expectation,
    pub statement: Option<String>,
    pub rule: Option<String>,
    /// Line in the case file where the expectation is written.
    pub line: usize,
    pub expected: String,
    pub actual: String,
}

/// A case, or a whole case file, that could not be loaded.
#[derive(Debug, Serialize)]
pub struct CaseErrorReport {
    /// The case's name, when the file was read far enough to know it.
    pub case: Option<String>,
    pub file: String,
    pub line: usize,
    pub problems: Vec<Problem>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

/// One problem of a case that could not be loaded.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// `file:line:column`.
    pub location: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl TestRun {
    /// Every case passed, none failed to load, and coverage met any minimum.
    pub fn passed(&self) -> bool {
        self.summary.failed == 0 && self.summary.errors == 0 && self.coverage.met
    }
}

/// Runs every loaded case. `minimum` is the rule coverage, in per cent, below which the run
/// fails.
pub fn run(pack: &Pack, files: &[CaseFile], minimum: Option<u8>) -> TestRun {
    let mut cases = Vec::new();
    let mut errors = Vec::new();
    let mut assessments = Vec::new();
    let mut warnings = Vec::new();
    for file in files {
        for entry in &file.entries {
            match entry {
                CaseEntry::Case(case) => {
                    let assessment = assess(&case.evidence, pack);
                    cases.push(check(pack, case, &file.file.name, &assessment));
                    warnings.extend(case.evidence.warnings.iter().cloned());
                    assessments.push(assessment);
                }
                CaseEntry::Error(error) => errors.push(error_report(error, &file.file.name)),
            }
        }
    }
    // Evidence named by several cases warns once.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.render()));
    let passed = cases
        .iter()
        .filter(|c| c.status == CaseStatus::Passed)
        .count();
    TestRun {
        pack: PackInfo {
            name: pack.name.clone(),
            version: pack.version.clone(),
            hash: pack.hash.clone(),
        },
        summary: Summary {
            passed,
            failed: cases.len() - passed,
            errors: errors.len(),
        },
        files: files.iter().map(|f| f.file.name.clone()).collect(),
        cases,
        errors,
        coverage: measure(pack, &assessments, minimum),
        warnings,
    }
}

fn error_report(error: &CaseError, file: &str) -> CaseErrorReport {
    CaseErrorReport {
        case: error.case.clone(),
        file: file.to_string(),
        line: error.line,
        problems: error
            .diagnostics
            .iter()
            .map(|d| Problem {
                location: d.location(),
                message: d.message.clone(),
                help: d.help.as_deref().map(str::to_string),
            })
            .collect(),
        diagnostics: error.diagnostics.clone(),
    }
}

/// Compares one case's expectations with its assessment.
fn check(pack: &Pack, case: &Case, file: &str, assessment: &Assessment) -> CaseResult {
    let statement = |id: &str| assessment.statements.iter().find(|s| s.id == id);
    let mut failures = Vec::new();
    for expected in &case.expect.scores {
        let actual = statement(&expected.statement).and_then(|s| s.score);
        if actual != expected.score {
            failures.push(ExpectationFailure {
                expectation: Expectation::Scores,
                statement: Some(expected.statement.clone()),
                rule: None,
                line: expected.line,
                expected: show_score(expected.score),
                actual: match statement(&expected.statement) {
                    Some(s) if s.score.is_none() => format!(
                        "not scored ({})",
                        s.reason.as_deref().unwrap_or("no reason given")
                    ),
                    _ => show_score(actual),
                },
            });
        }
    }
    let overall = &assessment.overall;
    if let Some(expected) = &case.expect.overall
        && expected.rating != overall.rating
    {
        failures.push(ExpectationFailure {
            expectation: Expectation::Overall,
            statement: None,
            rule: None,
            line: expected.line,
            expected: show_rating(expected.rating.as_deref()),
            actual: show_overall(assessment, false),
        });
    }
    if let Some(expected) = &case.expect.percent
        && Some(expected.percent) != overall.percent
    {
        failures.push(ExpectationFailure {
            expectation: Expectation::Percent,
            statement: None,
            rule: None,
            line: expected.line,
            expected: format!("{}%", expected.percent),
            actual: show_overall(assessment, true),
        });
    }
    for expected in &case.expect.fired {
        let result = statement(&expected.statement);
        if !result.is_some_and(|s| fired(s, &expected.rule)) {
            failures.push(rule_failure(
                Expectation::Fired,
                expected,
                "fires",
                why_silent(pack, result, &expected.rule),
            ));
        }
    }
    for expected in &case.expect.not_fired {
        if statement(&expected.statement).is_some_and(|s| fired(s, &expected.rule)) {
            failures.push(rule_failure(
                Expectation::NotFired,
                expected,
                "does not fire",
                "fired".to_string(),
            ));
        }
    }
    let mut fired_rules = BTreeMap::new();
    for id in failures.iter().filter_map(|f| f.statement.as_deref()) {
        if let Some(s) = statement(id) {
            fired_rules.insert(
                id.to_string(),
                s.justifications
                    .iter()
                    .map(|j| FiredRule {
                        rule: j.rule.to_string(),
                        effect: j.effect.to_string(),
                    })
                    .collect(),
            );
        }
    }
    CaseResult {
        name: case.name.clone(),
        file: file.to_string(),
        line: case.line,
        status: if failures.is_empty() {
            CaseStatus::Passed
        } else {
            CaseStatus::Failed
        },
        failures,
        scores: assessment
            .statements
            .iter()
            .map(|s| StatementScore {
                statement: s.id.clone(),
                score: s.score,
            })
            .collect(),
        overall: overall.rating.clone(),
        percent: overall.percent,
        fired: fired_rules,
    }
}

fn fired(statement: &StatementResult, rule: &str) -> bool {
    statement.justifications.iter().any(|j| *j.rule == *rule)
}

fn rule_failure(
    expectation: Expectation,
    expected: &RuleExpectation,
    wanted: &str,
    actual: String,
) -> ExpectationFailure {
    ExpectationFailure {
        expectation,
        statement: Some(expected.statement.clone()),
        rule: Some(expected.rule.clone()),
        line: expected.line,
        expected: wanted.to_string(),
        actual,
    }
}

/// Why a rule that should have fired did not.
fn why_silent(pack: &Pack, statement: Option<&StatementResult>, rule: &str) -> String {
    let Some(statement) = statement else {
        return "did not fire".to_string();
    };
    if let Some(trace) = statement.not_evaluable.iter().find(|t| *t.rule == *rule) {
        let missing: Vec<String> = trace.missing.iter().map(|m| format!("`{m}`")).collect();
        return format!("did not fire: not evaluable, lacks {}", missing.join(", "));
    }
    let trace = statement.not_fired.iter().find(|t| *t.rule == *rule);
    let ast = pack
        .rules()
        .find(|(_, r)| r.id == rule)
        .map(|(_, r)| &r.ast);
    if let (Some(trace), Some(ast)) = (trace, ast) {
        // The traces follow the rule's tests in order, condition first.
        let mut holds = trace.conditions.iter().map(|c| c.holds);
        if truth_of(&ast.condition, &mut holds) == Truth::True {
            return "did not fire: its `unless` exception held".to_string();
        }
    }
    "did not fire: its condition is false".to_string()
}

/// The three-valued truth of a condition from its tests' truths, taken in order.
fn truth_of(condition: &Condition, holds: &mut impl Iterator<Item = Truth>) -> Truth {
    match condition {
        Condition::Test(_) => holds.next().unwrap_or(Truth::Unknown),
        Condition::Not(inner, _) => match truth_of(inner, holds) {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        },
        Condition::And(parts, _) => {
            let values: Vec<Truth> = parts.iter().map(|p| truth_of(p, holds)).collect();
            eval::all(&values)
        }
        Condition::Or(parts, _) => {
            let values: Vec<Truth> = parts.iter().map(|p| truth_of(p, holds)).collect();
            eval::any(&values)
        }
    }
}

fn show_score(score: Option<u8>) -> String {
    score.map_or_else(|| "not scored".to_string(), |s| s.to_string())
}

fn show_rating(rating: Option<&str>) -> String {
    rating.unwrap_or("not rated").to_string()
}

/// The overall result, led by the rating or by the percentage.
fn show_overall(assessment: &Assessment, percent_first: bool) -> String {
    let overall = &assessment.overall;
    let scored = format!(
        "{} of {} statements scored",
        overall.statements_scored, overall.statements_total
    );
    match (&overall.rating, overall.percent) {
        (Some(rating), Some(percent)) if percent_first => {
            format!("{percent}% ({rating}, {scored})")
        }
        (Some(rating), Some(percent)) => format!("{rating} ({percent}%, {scored})"),
        (None, Some(percent)) if percent_first => format!("{percent}% (partial, {scored})"),
        (None, Some(percent)) => format!("not rated (partial: {percent}%, {scored})"),
        _ => "not rated (no statement scored)".to_string(),
    }
}
