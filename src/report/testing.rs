//! Renderers of an `assure test` run: text for a terminal, stable JSON for scripts, and
//! JUnit XML for CI (built with quick-junit's types: one testsuite per case file, one
//! testcase per case). They only format the [`TestRun`]; nothing is evaluated here.

use std::fmt::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::packtest::coverage::Coverage;
use crate::packtest::run::{
    CaseErrorReport, CaseResult, CaseStatus, Expectation, ExpectationFailure, Summary, TestRun,
};

/// A line per case, then each failure and each error in full, coverage, and the summary.
pub fn text(run: &TestRun) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::source::escape::text(&text_unescaped(run)).into_owned()
}

fn text_unescaped(run: &TestRun) -> String {
    let mut out = String::new();
    for entry in entries(run) {
        let _ = match entry {
            Entry::Case(case) if case.status == CaseStatus::Passed => {
                writeln!(out, "pass   {}", case.name)
            }
            Entry::Case(case) => writeln!(out, "FAIL   {}", case.name),
            Entry::Error(error) => writeln!(out, "ERROR  {}", error_title(error)),
        };
    }
    let failed: Vec<&CaseResult> = run
        .cases
        .iter()
        .filter(|c| c.status == CaseStatus::Failed)
        .collect();
    if !failed.is_empty() {
        out.push_str("\nfailures:\n");
        for case in failed {
            out.push('\n');
            out.push_str(&failure_text(case));
        }
    }
    if !run.errors.is_empty() {
        out.push_str("\nerrors:\n");
        for error in &run.errors {
            out.push('\n');
            out.push_str(&error_text(error));
        }
    }
    out.push('\n');
    out.push_str(&coverage_text(&run.coverage));
    out.push('\n');
    out.push_str(&summary(&run.summary));
    out.push('\n');
    out
}

/// `12 passed, 1 failed, 0 errors`.
pub fn summary(summary: &Summary) -> String {
    let errors = if summary.errors == 1 {
        "1 error".to_string()
    } else {
        format!("{} errors", summary.errors)
    };
    format!(
        "{} passed, {} failed, {errors}",
        summary.passed, summary.failed
    )
}

/// The run as pretty-printed JSON with stable keys.
pub fn json(run: &TestRun) -> Result<String, crate::source::diagnostic::Diagnostic> {
    super::json::pretty(run)
}

/// The run as JUnit XML: a testsuite per case file (cases and errors in file order), and a
/// `coverage` testsuite when a minimum coverage was asked for.
pub fn junit(run: &TestRun) -> String {
    let mut report = Report::new("assure test");
    for file in &run.files {
        let mut suite = TestSuite::new(file.as_str());
        for entry in entries(run).into_iter().filter(|e| e.file() == file) {
            let case = match entry {
                Entry::Case(case) => {
                    let status = match case.status {
                        CaseStatus::Passed => TestCaseStatus::success(),
                        CaseStatus::Failed => {
                            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                            let first = case.failures.first().map(expectation_line);
                            status.set_message(first.unwrap_or_default());
                            status.set_description(failure_text(case));
                            status
                        }
                    };
                    TestCase::new(case.name.as_str(), status)
                }
                Entry::Error(error) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                    let first = error.problems.first().map(|p| p.message.clone());
                    status.set_message(first.unwrap_or_default());
                    status.set_description(error_text(error));
                    TestCase::new(error_title(error), status)
                }
            };
            let mut case = case;
            case.set_classname(file.as_str());
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    if let Some(minimum) = run.coverage.minimum {
        let mut suite = TestSuite::new("coverage");
        let status = if run.coverage.met {
            TestCaseStatus::success()
        } else {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(below_minimum(&run.coverage, minimum));
            status.set_description(coverage_text(&run.coverage));
            status
        };
        suite.add_test_case(TestCase::new(
            format!("rule coverage at least {minimum}%"),
            status,
        ));
        report.add_test_suite(suite);
    }
    // Writing to a string cannot fail; an empty report would show it did.
    report.to_string().unwrap_or_default()
}

/// A case or an error, for listing both in file order.
enum Entry<'a> {
    Case(&'a CaseResult),
    Error(&'a CaseErrorReport),
}

impl Entry<'_> {
    fn file(&self) -> &str {
        match self {
            Entry::Case(case) => &case.file,
            Entry::Error(error) => &error.file,
        }
    }

    fn line(&self) -> usize {
        match self {
            Entry::Case(case) => case.line,
            Entry::Error(error) => error.line,
        }
    }
}

/// Cases and errors together, by file (in the run's order) then line.
fn entries(run: &TestRun) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = run
        .cases
        .iter()
        .map(Entry::Case)
        .chain(run.errors.iter().map(Entry::Error))
        .collect();
    let file_index = |entry: &Entry<'_>| run.files.iter().position(|f| f == entry.file());
    entries.sort_by_key(|entry| (file_index(entry), entry.line()));
    entries
}

fn error_title(error: &CaseErrorReport) -> String {
    match &error.case {
        Some(case) => case.clone(),
        None => error.file.clone(),
    }
}

/// A failed case: where it is, each failed expectation, and the rules that fired.
fn failure_text(case: &CaseResult) -> String {
    let mut out = format!("{} ({}:{})\n", case.name, case.file, case.line);
    for failure in &case.failures {
        let _ = writeln!(
            out,
            "  line {}: {}",
            failure.line,
            expectation_line(failure)
        );
    }
    for (statement, fired) in &case.fired {
        let rules: Vec<String> = fired
            .iter()
            .map(|f| format!("{} ({})", f.rule, f.effect))
            .collect();
        let rules = if rules.is_empty() {
            "none".to_string()
        } else {
            rules.join(", ")
        };
        let _ = writeln!(out, "  fired for {statement}: {rules}");
    }
    let overall_failed = case
        .failures
        .iter()
        .any(|f| matches!(f.expectation, Expectation::Overall | Expectation::Percent));
    if overall_failed {
        let scores: Vec<String> = case
            .scores
            .iter()
            .map(|s| {
                let score = s.score.map_or("-".to_string(), |n| n.to_string());
                format!("{} {score}", s.statement)
            })
            .collect();
        let _ = writeln!(out, "  scores: {}", scores.join(", "));
    }
    out
}

/// One failed expectation: the key it is written under, expected and actual.
fn expectation_line(failure: &ExpectationFailure) -> String {
    let key = match &failure.statement {
        Some(statement) => format!("{}.{statement}", failure.expectation.key()),
        None => failure.expectation.key().to_string(),
    };
    match (&failure.expectation, &failure.rule) {
        (Expectation::Fired, Some(rule)) => {
            format!("{key}: expected `{rule}` to fire; it {}", failure.actual)
        }
        (Expectation::NotFired, Some(rule)) => {
            format!(
                "{key}: expected `{rule}` not to fire; it {}",
                failure.actual
            )
        }
        _ => format!(
            "{key}: expected {}, got {}",
            failure.expected, failure.actual
        ),
    }
}

/// A case that cannot be loaded (titled, when its name is known), then its problems.
fn error_text(error: &CaseErrorReport) -> String {
    let title = match &error.case {
        Some(case) => format!("{case} ({}:{})\n", error.file, error.line),
        None => String::new(),
    };
    let problems: Vec<String> = error.diagnostics.iter().map(|d| d.render()).collect();
    title + &problems.join("\n")
}

fn below_minimum(coverage: &Coverage, minimum: u8) -> String {
    format!(
        "rule coverage {}% is below the minimum of {minimum}%",
        coverage.percent
    )
}

/// Rule coverage with the rules not covered, then condition coverage with the tests not
/// seen both ways.
fn coverage_text(coverage: &Coverage) -> String {
    let mut out = format!(
        "rule coverage: {} of {} rules ({}%) fired in one case and stayed silent in another\n",
        coverage.rules_covered, coverage.rules_total, coverage.percent
    );
    let uncovered: Vec<_> = coverage
        .rules
        .iter()
        .filter_map(|r| r.missing().map(|missing| (r, missing)))
        .collect();
    let rows: Vec<(&str, String, &str)> = uncovered
        .iter()
        .map(|(r, missing)| (r.rule.as_str(), format!("{}:{}", r.file, r.line), *missing))
        .collect();
    let id_width = rows.iter().map(|(id, _, _)| id.len()).max().unwrap_or(0);
    let at_width = rows.iter().map(|(_, at, _)| at.len()).max().unwrap_or(0);
    for (id, at, missing) in rows {
        let _ = writeln!(out, "  {id:id_width$}  {at:at_width$}  {missing}");
    }
    let _ = writeln!(
        out,
        "condition coverage: {} of {} tests of compound rules ({}%) seen both true and false",
        coverage.conditions_covered, coverage.conditions_total, coverage.conditions_percent
    );
    for rule in coverage
        .rules
        .iter()
        .filter(|r| r.conditions.iter().any(|c| !c.covered()))
    {
        let _ = writeln!(out, "  {}  {}:{}", rule.rule, rule.file, rule.line);
        for condition in rule.conditions.iter().filter(|c| !c.covered()) {
            let never = match (condition.seen_true, condition.seen_false) {
                (true, _) => "never false",
                (false, true) => "never true",
                (false, false) => "never true or false",
            };
            let unless = if condition.exception { "unless " } else { "" };
            let _ = writeln!(out, "    {unless}`{}`: {never}", condition.test);
        }
    }
    if let Some(minimum) = coverage.minimum
        && !coverage.met
    {
        let _ = writeln!(out, "{}", below_minimum(coverage, minimum));
    }
    out
}
