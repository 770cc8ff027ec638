//! The `assure` binary as a user runs it: exit codes, where output goes, and that a failed
//! run prints nothing on stdout and writes nothing.

// Tests say what they expect with `expect`; a failure is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

mod common;
use common::{assure, scratch, stderr, stdout};

#[test]
fn scores_the_sample_evidence_as_text() {
    let output = assure(&["score", "examples/staffordshire.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("Staffordshire County Council\n"), "{text}");
    assert!(text.contains("Overall: "), "{text}");
    assert!(
        text.contains("Care provision, integration and continuity"),
        "{text}"
    );
}

#[test]
fn json_has_the_stable_keys() {
    let output = assure(&["score", "examples/medway.yaml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["authority"], "Medway Council");
    let record = &json["record"];
    for key in ["name", "version", "hash"] {
        assert!(json["pack"][key].is_string(), "pack.{key}");
        assert_eq!(record["pack"][key], json["pack"][key], "record.pack.{key}");
    }
    assert!(
        json["pack"]["hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("sha256:"))
    );
    assert!(json["overall"].get("rating").is_some());
    assert!(json["overall"].get("percent").is_some());
    let themes = json["themes"].as_array().expect("themes");
    assert_eq!(themes.len(), 4);
    assert!(
        themes
            .iter()
            .all(|t| t["id"].is_string() && t.get("percent").is_some())
    );
    let statements = json["statements"].as_array().expect("statements");
    assert_eq!(statements.len(), 9);
    for statement in statements {
        assert!(statement["id"].is_string());
        assert!(statement.get("score").is_some());
        assert!(statement["baseline"].is_u64());
        for justification in statement["justifications"]
            .as_array()
            .expect("justifications")
        {
            assert!(justification["rule"].is_string());
            assert!(justification["effect"].is_string());
            assert!(justification["evidence"].is_array());
            assert!(justification["text"].is_string());
        }
    }
}

#[test]
fn same_input_gives_the_same_bytes() {
    let first = assure(&["score", "examples/", "--format", "json"]);
    let second = assure(&["score", "examples/", "--format", "json"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn a_directory_scores_every_evidence_file_in_it() {
    let output = assure(&["score", "examples", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let authorities: Vec<&str> = json
        .as_array()
        .expect("an array for several files")
        .iter()
        .filter_map(|a| a["authority"].as_str())
        .collect();
    // In file-name order.
    assert_eq!(
        authorities,
        [
            "London Borough of Barnet",
            "Darlington Borough Council",
            "Derbyshire County Council",
            "Hartlepool Borough Council",
            "London Borough of Hounslow",
            "Medway Council",
            "Staffordshire County Council",
            "Sunderland City Council",
            "Surrey County Council"
        ]
    );
}

#[test]
fn bad_evidence_exits_2_with_a_location_and_no_stdout() {
    let output = assure(&[
        "score",
        "examples/staffordshire.yaml",
        "tests/fixtures/evidence/err_unknown_item_field.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        output.stdout.is_empty(),
        "nothing on stdout: {}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("tests/fixtures/evidence/err_unknown_item_field.yaml:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_bad_pack_exits_2() {
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        "--rules",
        "tests/fixtures/packs/err_syntax_error_late_line.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("did you mean `below`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_file_exits_2() {
    let output = assure(&["score", "no/such/file.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`no/such/file.yaml`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn output_file_is_written_and_never_over_an_input() {
    let dir = scratch("output_file");
    let report = dir.join("report.json");
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        "--format",
        "json",
        "-o",
        report.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&report).expect("report written");
    assert!(written.contains("\"authority\": \"Medway Council\""));
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");

    let input = dir.join("evidence.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/medway.yaml"),
        &input,
    )
    .expect("copy");
    let before = std::fs::read(&input).expect("read");
    let input_arg = input.to_str().expect("utf-8");
    let output = assure(&["score", input_arg, "-o", input_arg]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("this run read it as an input"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(&input).expect("read"),
        before,
        "the input is untouched"
    );
}

#[test]
fn the_categories_method_scores_each_category_then_bands_the_percentage() {
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        "--rules",
        "tests/packs/categories-method.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let statement = &json["statements"][0];
    assert_eq!(statement["id"], "assessing-needs");
    assert_eq!(statement["method"], "categories");
    let categories: Vec<(String, u64)> = statement["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["category"].as_str().unwrap_or("").to_string(),
                c["score"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // processes 3-1, people 3-1: 4 of 8 = 50%: band 2. Staff feedback, which no rule of
    // this pack reads, gives no category score (it would otherwise count as a 3).
    assert_eq!(
        categories,
        [
            ("people's experience".to_string(), 2),
            ("processes".to_string(), 2)
        ]
    );
    assert_eq!(statement["score"], 2);
    // Statements the pack has no rules for are not scored.
    assert_eq!(json["statements"][1]["status"], "not_scored");
    assert_eq!(json["overall"]["statements_scored"], 1);
}

#[test]
fn calibrate_exits_0_when_every_compared_score_agrees() {
    // Sunderland alone: CQC scored all nine statements 3, and so does the pack.
    let dir = scratch("calibrate-agrees");
    let published = dir.join("published.yaml");
    std::fs::write(
        &published,
        "- authority: Sunderland City Council\n  file: sunderland.yaml\n  overall: Good\n  scores: {assessing-needs: 3, supporting-healthier-lives: 3, equity-in-experience-and-outcomes: 3, care-provision-integration-continuity: 3, partnerships-and-communities: 3, safe-pathways-systems-transitions: 3, safeguarding: 3, governance-management-sustainability: 3, learning-improvement-innovation: 3}\n",
    )
    .expect("write");
    let output = assure(&[
        "calibrate",
        published.to_str().expect("utf-8"),
        "examples",
        "--format",
        "md",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.contains("every compared score agrees"), "{page}");
    assert!(page.contains("## What the pack adds"), "{page}");
    assert!(
        page.contains("| Sunderland City Council | Good | Good, 75% | agrees |"),
        "{page}"
    );
}

#[test]
fn calibrate_exits_1_when_some_compared_score_differs() {
    let output = assure(&[
        "calibrate",
        "examples/published/published-scores.yaml",
        "examples",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["councils"].as_array().map(Vec::len), Some(9));
    assert_eq!(json["agreement"]["all"]["pack"]["exact"], 45);
    assert_eq!(json["agreement"]["all"]["pack"]["compared"], 52);
}

#[test]
fn calibrate_names_the_line_of_a_bad_published_score() {
    let dir = scratch("calibrate-bad");
    let published = dir.join("published.yaml");
    std::fs::write(
        &published,
        "- authority: Medway Council\n  file: medway.yaml\n  overall: Requires improvement\n  scores: {assesing-needs: 2}\n",
    )
    .expect("write");
    let output = assure(&["calibrate", published.to_str().expect("utf-8"), "examples"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    let message = stderr(&output);
    assert!(message.contains("published.yaml:4:"), "{message}");
    assert!(
        message.contains("unknown quality statement `assesing-needs`"),
        "{message}"
    );
    assert!(message.contains("assessing-needs"), "{message}");
}

#[test]
fn fmt_check_names_files_that_would_change_and_writes_nothing() {
    let dir = scratch("fmt-check");
    let pack = dir.join("pack.yaml");
    std::fs::copy("tests/fixtures/fmt/messy.yaml", &pack).expect("copy");
    let before = std::fs::read(&pack).expect("read");
    let path = pack.to_str().expect("utf-8");
    let output = assure(&["fmt", path, "--check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("would reformat"),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("pack.yaml"));
    assert_eq!(std::fs::read(&pack).expect("read"), before);

    let output = assure(&["fmt", path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_ne!(std::fs::read(&pack).expect("read"), before);
    let output = assure(&["fmt", path, "--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).is_empty());
}

#[test]
fn fmt_checks_the_built_in_pack_but_will_not_rewrite_it() {
    assert_eq!(assure(&["fmt", "--check"]).status.code(), Some(0));
    let output = assure(&["fmt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--check"), "{}", stderr(&output));
}

#[test]
fn fmt_refuses_a_pack_that_does_not_load() {
    let output = assure(&["fmt", "tests/fixtures/packs/err_unknown_metric.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
}

#[test]
fn check_of_the_default_pack_exits_0_even_denying_warnings() {
    let output = assure(&["check", "--deny", "warnings"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("no findings\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_exits_0_on_warnings_and_1_when_they_are_denied() {
    let pack = "tests/fixtures/check/unknown_tag.yaml";
    let output = assure(&["check", pack]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("warning[A103]"),
        "{}",
        stdout(&output)
    );
    let denied = assure(&["check", pack, "--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1), "{}", stdout(&denied));
}

#[test]
fn check_exits_1_on_errors_including_coded_load_errors() {
    for pack in [
        "tests/fixtures/check/unsatisfiable.yaml",
        "tests/fixtures/check/unknown_metric.yaml",
    ] {
        let output = assure(&["check", pack]);
        assert_eq!(output.status.code(), Some(1), "{pack}: {}", stdout(&output));
        assert!(stdout(&output).contains("error[A"), "{}", stdout(&output));
    }
}

#[test]
fn check_exits_2_when_the_pack_cannot_be_read() {
    for pack in [
        "tests/fixtures/packs/err_syntax_error_late_line.yaml",
        "tests/fixtures/check/no-such-pack.yaml",
    ] {
        let output = assure(&["check", pack]);
        assert_eq!(output.status.code(), Some(2), "{pack}");
        assert!(output.stdout.is_empty(), "{pack}: {}", stdout(&output));
        assert!(stderr(&output).contains("error"), "{}", stderr(&output));
    }
}

#[test]
fn check_formats_json_and_sarif() {
    let pack = "tests/fixtures/check/conflict.yaml";
    let json = assure(&["check", pack, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(value.as_array().is_some_and(|a| !a.is_empty()));
    let sarif = assure(&["check", pack, "--format", "sarif"]);
    let value: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    assert_eq!(value["version"], "2.1.0");
    let uri = &value["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, pack);
}

#[test]
fn test_exits_0_when_every_case_passes() {
    let output = assure(&[
        "test",
        "tests/fixtures/cases/pack",
        "--evidence-root",
        "tests/fixtures/cases",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("6 passed, 0 failed, 0 errors\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn test_of_the_built_in_pack_runs_its_own_cases() {
    let output = assure(&["test", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["pack"]["name"], "cqc-la");
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(json["summary"]["errors"], 0);
}

#[test]
fn test_runs_the_built_in_cases_outside_the_repository() {
    // The cases and the sample evidence they name are compiled into the binary.
    let dir = scratch("test-anywhere");
    let output = Command::new(env!("CARGO_BIN_EXE_assure"))
        .arg("test")
        .current_dir(&dir)
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn test_exits_1_when_a_case_fails_or_cannot_be_loaded() {
    for cases in [
        "tests/fixtures/cases/failing",
        "tests/fixtures/cases/errors",
    ] {
        let output = assure(&[
            "test",
            "tests/fixtures/cases/pack",
            "--cases",
            cases,
            "--evidence-root",
            "tests/fixtures/cases",
        ]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{cases}: {}",
            stdout(&output)
        );
        assert!(stdout(&output).contains(" failed, "), "{}", stdout(&output));
    }
}

#[test]
fn test_exits_1_when_coverage_is_below_the_minimum() {
    let pack = "tests/fixtures/cases/pack";
    let root = "tests/fixtures/cases";
    let met = assure(&[
        "test",
        pack,
        "--evidence-root",
        root,
        "--min-coverage",
        "71",
    ]);
    assert_eq!(met.status.code(), Some(0), "{}", stdout(&met));
    let below = assure(&[
        "test",
        pack,
        "--evidence-root",
        root,
        "--min-coverage",
        "72",
    ]);
    assert_eq!(below.status.code(), Some(1), "{}", stdout(&below));
    assert!(
        stdout(&below).contains("rule coverage 71% is below the minimum of 72%"),
        "{}",
        stdout(&below)
    );
    let junit = assure(&[
        "test",
        pack,
        "--evidence-root",
        root,
        "--min-coverage",
        "72",
        "--format",
        "junit",
    ]);
    assert_eq!(junit.status.code(), Some(1));
    assert!(stdout(&junit).contains("<testcase name=\"rule coverage at least 72%\">"));
    let invalid = assure(&["test", pack, "--min-coverage", "101"]);
    assert_eq!(invalid.status.code(), Some(2));
}

#[test]
fn test_exits_2_with_nothing_on_stdout_when_input_cannot_be_read() {
    let dir = scratch("test-unreadable");
    let missing_evidence = dir.join("cases.yaml");
    std::fs::write(
        &missing_evidence,
        "cases:\n  - name: one\n    evidence: no-such-evidence.yaml\n    expect: {overall: Good}\n",
    )
    .expect("write");
    let missing_evidence = missing_evidence.to_str().expect("utf-8");
    for args in [
        vec!["test", "tests/fixtures/cases/no-such-pack"],
        vec!["test", "tests/packs/categories-method.yaml"],
        vec![
            "test",
            "tests/fixtures/cases/pack",
            "--cases",
            "no/such/dir",
        ],
        vec![
            "test",
            "tests/fixtures/cases/pack",
            "--cases",
            missing_evidence,
        ],
    ] {
        let output = assure(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stdout(&output)
        );
        assert!(output.stdout.is_empty(), "{args:?}: {}", stdout(&output));
        assert!(stderr(&output).contains("error"), "{}", stderr(&output));
    }
    let output = assure(&[
        "test",
        "tests/fixtures/cases/pack",
        "--cases",
        missing_evidence,
    ]);
    let message = stderr(&output);
    assert!(
        message.contains("cases.yaml:3:15: error: cannot read"),
        "{message}"
    );
    assert!(message.contains("no-such-evidence.yaml"), "{message}");
}

#[test]
fn test_writes_its_report_atomically_and_the_same_bytes_each_time() {
    let dir = scratch("test-output");
    let report = dir.join("junit.xml");
    let report_arg = report.to_str().expect("utf-8");
    let args = [
        "test",
        "tests/fixtures/cases/pack",
        "--cases",
        "tests/fixtures/cases/failing",
        "--evidence-root",
        "tests/fixtures/cases",
        "--format",
        "junit",
        "-o",
        report_arg,
    ];
    let output = assure(&args);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let first = std::fs::read(&report).expect("report written");
    assert!(first.starts_with(b"<?xml"));
    assure(&args);
    assert_eq!(std::fs::read(&report).expect("report"), first);
    let leftovers = std::fs::read_dir(&dir).expect("dir").count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
    let case_file = "tests/fixtures/cases/failing/expectations.yaml";
    let refused = assure(&[
        "test",
        "tests/fixtures/cases/pack",
        "--cases",
        case_file,
        "-o",
        case_file,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("this run read it as an input"));

    // Nor over the evidence a case names.
    let evidence = dir.join("evidence.yaml");
    std::fs::copy("tests/fixtures/cases/evidence/slow-council.yaml", &evidence).expect("copy");
    let cases = dir.join("cases.yaml");
    std::fs::write(
        &cases,
        "cases:\n  - name: one\n    evidence: evidence.yaml\n    expect: {overall: Inadequate}\n",
    )
    .expect("write");
    let before = std::fs::read(&evidence).expect("read");
    let evidence_arg = evidence.to_str().expect("utf-8");
    let cases_arg = cases.to_str().expect("utf-8");
    let pack = "tests/fixtures/cases/pack";
    let refused = assure(&["test", pack, "--cases", cases_arg, "-o", evidence_arg]);
    assert_eq!(refused.status.code(), Some(2), "{}", stdout(&refused));
    assert_eq!(std::fs::read(&evidence).expect("read"), before);
}

#[test]
fn the_decision_record_pins_engine_pack_evidence_and_rules() {
    let output = assure(&["score", "examples/medway.yaml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let record = &json["record"];
    assert_eq!(record["engine"]["name"], "assure");
    assert_eq!(record["engine"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(record["evidence"]["file"], "examples/medway.yaml");
    // The evidence hash is the file's own: an inspector can check it with sha256sum.
    let bytes = std::fs::read("examples/medway.yaml").expect("the example reads");
    assert_eq!(
        record["evidence"]["hash"].as_str(),
        Some(assure::source::digest::sha256(&bytes).as_str())
    );
    let pack = assure::load_pack(None).expect("the default pack loads");
    let evaluated: Vec<&str> = record["rules_evaluated"]
        .as_array()
        .expect("rules_evaluated")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    let ids: Vec<&str> = pack.rules().map(|(_, rule)| rule.id.as_str()).collect();
    assert_eq!(evaluated, ids);
}

#[test]
fn the_pack_hash_ignores_file_order_layout_and_comments() {
    // The same pack written differently: files in another order (renamed), comments gone,
    // sentences spelled untidily. Its hash must not change; a changed rule must change it.
    let original = assure::load_pack(Some(Path::new("rules/cqc-la"))).expect("pack loads");
    let dir = scratch("pack-hash");
    for (index, entry) in std::fs::read_dir("rules/cqc-la")
        .expect("pack dir")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .enumerate()
    {
        let text = std::fs::read_to_string(entry.path()).expect("pack file");
        let rewritten: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .map(|line| {
                line.replace("    rule: ", "    rule:   ")
                    .replace(" lowers score", "  lowers  score")
            })
            .collect::<Vec<_>>()
            .join("\n");
        // Reverse the order files are read in by naming them backwards.
        let name = format!("{:02}-{}", 99 - index, entry.file_name().to_string_lossy());
        std::fs::write(dir.join(name), rewritten + "\n").expect("write copy");
    }
    let copy = assure::load_pack(Some(&dir)).expect("the copy loads");
    assert_eq!(copy.hash, original.hash);

    let some_file = std::fs::read_dir(&dir)
        .expect("copy dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            !p.ends_with("pack.yaml")
                && std::fs::read_to_string(p).is_ok_and(|t| t.contains("lowers  score"))
        })
        .expect("a statement file");
    let text = std::fs::read_to_string(&some_file).expect("read");
    std::fs::write(
        &some_file,
        text.replacen("lowers  score", "lowers score by 2", 1),
    )
    .expect("write");
    let changed = assure::load_pack(Some(&dir)).expect("the changed copy loads");
    assert_ne!(changed.hash, original.hash);
    std::fs::remove_dir_all(&dir).ok();
}

const DIFF_OLD: &str = "tests/fixtures/diff/old.yaml";
const DIFF_NEW: &str = "tests/fixtures/diff/new.yaml";
const DIFF_EVIDENCE: [&str; 2] = [
    "tests/fixtures/diff/slow-council.yaml",
    "tests/fixtures/diff/quick-council.yaml",
];

#[test]
fn diff_exits_1_when_a_score_moves_and_0_when_none_does() {
    let mut moved = vec!["diff", DIFF_OLD, DIFF_NEW];
    moved.extend(DIFF_EVIDENCE);
    let output = assure(&moved);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("Assessing needs: 4 -> 2"));

    let mut same = vec!["diff", DIFF_OLD, DIFF_OLD];
    same.extend(DIFF_EVIDENCE);
    let output = assure(&same);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("no rule changes"));
}

#[test]
fn diff_with_unreadable_input_exits_2_and_prints_nothing() {
    for args in [
        vec![
            "diff",
            "tests/fixtures/diff/missing.yaml",
            DIFF_NEW,
            DIFF_EVIDENCE[0],
        ],
        vec![
            "diff",
            DIFF_OLD,
            DIFF_NEW,
            "tests/fixtures/diff/missing.yaml",
        ],
        vec![
            "diff",
            "git:no-such-revision:rules/cqc-la",
            DIFF_NEW,
            DIFF_EVIDENCE[0],
        ],
        vec!["diff", "git:no-colon", DIFF_NEW, DIFF_EVIDENCE[0]],
    ] {
        let output = assure(&args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(stderr(&output).contains("error"), "{args:?}");
    }
}

#[test]
fn diff_reads_a_pack_from_a_git_revision() {
    let in_git = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !in_git {
        eprintln!("skipped: not in a git work tree, so `git:REV:PATH` cannot be tried");
        return;
    }
    // The committed default pack against itself: it loads from git and nothing moves.
    let output = assure(&[
        "diff",
        "git:HEAD:rules/cqc-la",
        "git:HEAD:rules/cqc-la",
        "examples/medway.yaml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("cqc-la "),
        "{}",
        stdout(&output)
    );
    assert!(stdout(&output).contains("nothing moves"));
}

#[test]
fn explain_names_an_unknown_statement_with_the_nearest() {
    let output = assure(&[
        "explain",
        "examples/medway.yaml",
        "--statement",
        "safeguardin",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert!(
        err.contains("`safeguardin` is not a quality statement"),
        "{err}"
    );
    assert!(err.contains("did you mean `safeguarding`"), "{err}");
}

#[test]
fn explain_json_holds_the_statement_and_its_advice() {
    let output = assure(&[
        "explain",
        "examples/staffordshire.yaml",
        "--statement",
        "partnerships-and-communities",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let explained = json.as_array().expect("a list");
    assert_eq!(explained.len(), 1);
    let one = &explained[0];
    assert_eq!(one["statement"]["id"], "partnerships-and-communities");
    let score = one["statement"]["score"].as_u64().expect("scored");
    assert_eq!(one["advice"]["score"], score);
    // Every raise is above the score and made of changes for the better, every drop below
    // it and made of changes for the worse.
    for (sets, above, direction) in [("raise", true, "better"), ("drop", false, "worse")] {
        let sets = one["advice"][sets].as_array().expect("change sets");
        assert!(!sets.is_empty(), "no {direction} change moves it");
        for set in sets {
            let to = set["score"].as_u64().expect("a score");
            assert_eq!(to > score, above, "{set}");
            let changes = set["changes"].as_array().expect("changes");
            assert!(changes.iter().all(|c| c["direction"] == direction), "{set}");
        }
    }
    assert!(one["advice"]["near_misses"].is_array());
    let gaps = one["advice"]["gaps"].as_array().expect("gaps");
    assert!(gaps.iter().all(|g| g["confidence_before"].is_string()));
}

#[test]
fn gaps_lists_every_statement_and_fails_cleanly_on_bad_input() {
    let output = assure(&["gaps", "examples/medway.yaml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["statements"].as_array().map(Vec::len), Some(9));
    let missing = assure(&["gaps", "no-such-file.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
    assert!(stderr(&missing).contains("no-such-file.yaml"));
}
