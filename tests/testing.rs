//! `assure test` on fixture case sets: the text, JSON and JUnit reports of a passing, a
//! failing and an error set are snapshots, and the default pack's own cases pass.

// Tests say what they expect with `expect`; a failure is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use assure::packtest::run::TestRun;

const PACK: &str = "tests/fixtures/cases/pack";

fn run(cases: Option<&str>, minimum: Option<u8>) -> TestRun {
    let pack_path = Path::new(PACK);
    let pack = assure::load_pack(Some(pack_path)).expect("the fixture pack loads");
    let loaded = assure::load_cases(
        Some(pack_path),
        cases.map(Path::new),
        Some(Path::new("tests/fixtures/cases")),
        &pack,
    )
    .expect("the case files and their evidence can be read");
    assure::packtest::run::run(&pack, &loaded, minimum)
}

/// The three reports of one run, snapshotted as `cases_{name}_{format}`.
fn snapshot_reports(name: &str, run: &TestRun) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("cases_{name}_text"), assure::report::testing::text(run));
        insta::assert_snapshot!(format!("cases_{name}_json"), assure::report::testing::json(run).expect("JSON"));
        insta::assert_snapshot!(format!("cases_{name}_junit"), assure::report::testing::junit(run));
    });
}

#[test]
fn a_passing_set_from_the_packs_own_tests_directory() {
    let run = run(None, Some(50));
    assert!(run.passed(), "{}", assure::report::testing::text(&run));
    assert_eq!(run.summary.passed, 6);
    snapshot_reports("passing", &run);
}

#[test]
fn a_failing_set() {
    let run = run(Some("tests/fixtures/cases/failing"), None);
    assert!(!run.passed());
    assert_eq!(
        (run.summary.passed, run.summary.failed, run.summary.errors),
        (1, 3, 0)
    );
    snapshot_reports("failing", &run);
}

#[test]
fn an_error_set() {
    let run = run(Some("tests/fixtures/cases/errors"), None);
    assert!(!run.passed());
    assert_eq!(
        (run.summary.passed, run.summary.failed, run.summary.errors),
        (2, 0, 6)
    );
    snapshot_reports("errors", &run);
}

#[test]
fn json_has_the_stable_keys() {
    let run = run(Some("tests/fixtures/cases/failing"), Some(90));
    let json: serde_json::Value =
        serde_json::from_str(&assure::report::testing::json(&run).expect("JSON"))
            .expect("valid JSON");
    for key in ["pack", "summary", "files", "cases", "errors", "coverage"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    for case in json["cases"].as_array().expect("cases") {
        for key in [
            "name", "file", "line", "status", "failures", "scores", "overall", "percent", "fired",
        ] {
            assert!(case.get(key).is_some(), "{key} in {case}");
        }
        for failure in case["failures"].as_array().expect("failures") {
            for key in [
                "expectation",
                "statement",
                "rule",
                "line",
                "expected",
                "actual",
            ] {
                assert!(failure.get(key).is_some(), "{key} in {failure}");
            }
        }
    }
    let coverage = &json["coverage"];
    assert_eq!(coverage["minimum"], 90);
    assert_eq!(coverage["met"], false);
    for rule in coverage["rules"].as_array().expect("rules") {
        for key in [
            "rule",
            "statement",
            "file",
            "line",
            "fired",
            "silent",
            "not_evaluable",
            "covered",
            "conditions",
        ] {
            assert!(rule.get(key).is_some(), "{key} in {rule}");
        }
    }
}

#[test]
fn coverage_needs_a_rule_to_fire_in_one_case_and_stay_silent_in_another() {
    let run = run(None, None);
    let rule = |id: &str| {
        run.coverage
            .rules
            .iter()
            .find(|r| r.rule == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    let waits = rule("waits-long");
    assert!(waits.covered);
    assert!(waits.fired > 0 && waits.silent > 0);
    // Both its tests, the condition and the `unless`, were seen true and false.
    assert_eq!(waits.conditions.len(), 2);
    assert!(waits.conditions.iter().all(|c| c.seen_true && c.seen_false));
    assert!(waits.conditions[1].exception);
    // Slow council is the only safeguarding evidence: the rule fired and was never silent.
    let late = rule("enquiries-late");
    assert!(!late.covered);
    assert_eq!(late.missing(), Some("never stayed silent"));
    // One-test rules have no condition coverage of their own.
    assert!(late.conditions.is_empty());
    assert_eq!(
        (run.coverage.rules_covered, run.coverage.rules_total),
        (5, 7)
    );
    assert_eq!(run.coverage.percent, 71, "5 of 7 is 71.4%, rounded down");
}

#[test]
fn min_coverage_compares_exactly() {
    // 5 of 7 rules is 71.4%: a minimum of 71 is met, 72 is not.
    assert!(run(None, Some(71)).coverage.met);
    assert!(!run(None, Some(72)).coverage.met);
    assert!(!run(None, Some(72)).passed());
}

#[test]
fn the_pack_loader_does_not_read_the_tests_directory() {
    let pack = assure::load_pack(Some(Path::new(PACK))).expect("the fixture pack loads");
    assert_eq!(pack.rules().count(), 7);
}

#[test]
fn the_default_packs_own_cases_pass() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let loaded = assure::load_cases(None, None, None, &pack).expect("the built-in cases load");
    // The pack ships with cases that cover every rule: each fires in one case and stays
    // silent in another.
    let run = assure::packtest::run::run(&pack, &loaded, Some(100));
    assert!(run.passed(), "{}", assure::report::testing::text(&run));
    assert!(run.coverage.met, "{}", assure::report::testing::text(&run));
    assert!(run.summary.passed >= 100);
    assert_eq!(
        run.files.len(),
        10,
        "a case file per statement, and councils.yaml"
    );
}

#[test]
fn inline_evidence_is_checked_like_an_evidence_file_and_points_into_the_case_file() {
    let run = run(Some("tests/fixtures/cases/errors/bad-evidence.yaml"), None);
    let over = run
        .errors
        .iter()
        .find(|e| e.case.as_deref() == Some("a percentage over 100"))
        .expect("the case is an error");
    let problem = &over.problems[0];
    assert_eq!(
        problem.location.as_deref(),
        Some("tests/fixtures/cases/errors/bad-evidence.yaml:11:18")
    );
    assert!(
        problem.message.contains("a percentage runs from 0 to 100"),
        "{}",
        problem.message
    );
}

/// Loads case files given as text against the fixture pack; evidence paths cannot be read.
fn load_text(files: &[(&str, &str)]) -> Vec<assure::packtest::cases::CaseFile> {
    let pack = assure::load_pack(Some(Path::new(PACK))).expect("the fixture pack loads");
    let sources: Vec<_> = files
        .iter()
        .map(|(name, text)| assure::source::diagnostic::SourceFile::new(*name, *text))
        .collect();
    let mut no_files = |path: &Path| {
        Err(assure::Diagnostic::error(format!(
            "no file `{}`",
            path.display()
        )))
    };
    assure::packtest::cases::load(&sources, &pack, &mut no_files).expect("no evidence file is read")
}

fn outcomes(file: &assure::packtest::cases::CaseFile) -> Vec<String> {
    file.entries
        .iter()
        .map(|entry| match entry {
            assure::packtest::cases::CaseEntry::Case(case) => format!("ok {}", case.name),
            assure::packtest::cases::CaseEntry::Error(error) => error
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect()
}

const CASE: &str = "evidence: {authority: A, items: []}\n    expect: {overall: Good}";

#[test]
fn a_repeated_key_spoils_only_its_own_case() {
    let text =
        format!("cases:\n  - name: one\n    {CASE}\n    name: again\n  - name: two\n    {CASE}\n");
    let loaded = load_text(&[("c.yaml", &text)]);
    assert_eq!(
        outcomes(&loaded[0]),
        ["c.yaml:5:5: duplicate key `name`", "ok two"]
    );
}

#[test]
fn a_repeated_cases_key_is_the_files_problem() {
    let text = format!("cases:\n  - name: one\n    {CASE}\ncases: []\n");
    let loaded = load_text(&[("c.yaml", &text)]);
    assert_eq!(outcomes(&loaded[0]), ["c.yaml:5:1: duplicate key `cases`"]);
}

#[test]
fn a_flow_list_of_cases_is_read_whole() {
    let text = "cases: [{name: one, evidence: {authority: A, items: []}, expect: {overall: Good}}, {name: two, evidence: {authority: A, items: []}, expect: {overall: Good}}]\n";
    let loaded = load_text(&[("c.yaml", text)]);
    assert_eq!(outcomes(&loaded[0]), ["ok one", "ok two"]);
}

#[test]
fn an_evidence_file_given_as_cases_says_what_it_is() {
    let loaded = load_text(&[("e.yaml", "authority: A\nitems: []\n")]);
    let assure::packtest::cases::CaseEntry::Error(error) = &loaded[0].entries[0] else {
        panic!("an error");
    };
    assert!(
        error.diagnostics[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("this looks like an evidence file")),
        "{:?}",
        error.diagnostics
    );
}

#[test]
fn an_evidence_file_that_cannot_be_read_stops_the_run() {
    let pack = assure::load_pack(Some(Path::new(PACK))).expect("the fixture pack loads");
    let text =
        "cases:\n  - name: one\n    evidence: ../missing.yaml\n    expect: {overall: Good}\n";
    let sources = vec![assure::source::diagnostic::SourceFile::new(
        "cases/c.yaml",
        text,
    )];
    let mut no_files = |path: &Path| {
        Err(assure::Diagnostic::error(format!(
            "cannot read `{}`",
            path.display()
        )))
    };
    let failure =
        assure::packtest::cases::load(&sources, &pack, &mut no_files).expect_err("unreadable");
    assert_eq!(
        failure.to_string(),
        "cases/c.yaml:3:15: cannot read `missing.yaml`\n"
    );
}

/// A case file may name evidence only inside its folder (here the case files' own, as they
/// sit apart from the pack), and a file that is not evidence is named but never shown:
/// each hostile case file's report or error is a snapshot, and none holds a secret.
#[test]
fn hostile_case_files_read_nothing_outside_their_folder() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!("fixtures/cases/hostile/err_*.yaml", |path| {
            let cases = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap_or(path)
                .display()
                .to_string();
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_assure"))
                .args(["test", PACK, "--cases", &cases])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .expect("the binary runs");
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            for secret in ["root:", "hunter2", "s3cr3t", "PATH=", "PRIVATE"] {
                assert!(!stdout.contains(secret) && !stderr.contains(secret), "{secret} shown:\n{stdout}\n{stderr}");
            }
            let code = output.status.code().unwrap_or(-1);
            assert!(code == 1 || code == 2, "{cases}: exit {code}");
            // The case's errors, without the coverage that follows them.
            let errors = stdout.split("\nrule coverage").next().unwrap_or("");
            insta::assert_snapshot!(format!("exit {code}\n{errors}{stderr}"));
        });
    });
}

/// A link inside the folder that leads outside it is refused like `..`.
#[test]
fn a_link_out_of_the_case_folder_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("case-link-out");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    std::os::unix::fs::symlink("/etc/passwd", dir.join("council.yaml")).expect("link");
    std::fs::write(
        dir.join("cases.yaml"),
        "cases:\n  - name: linked\n    evidence: council.yaml\n    expect: {overall: Good}\n",
    )
    .expect("write");
    let cases = dir.join("cases.yaml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_assure"))
        .args(["test", PACK, "--cases"])
        .arg(&cases)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("council.yaml` is outside"), "{stderr}");
    assert!(!stderr.contains("root:"), "{stderr}");
}
