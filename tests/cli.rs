//! The `assure` binary as a user runs it, where a transcript cannot say it: the same bytes
//! from two runs, no temporary file left beside an output, JSON too long to review as a
//! transcript but whose shape matters, the record checked against the library, and git.
//! Every other command line is a reviewed transcript in `tests/cmd/` (tests/transcripts.rs).

// Tests say what they expect with `expect`; a failure is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

mod common;
use common::{assure, scratch, stderr, stdout};

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
fn an_output_file_leaves_no_temporary_file_behind() {
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
    std::fs::read(&report).expect("report written");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
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
fn test_of_the_built_in_pack_runs_its_own_cases() {
    let output = assure(&["test", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json["pack"]["name"], "cqc-la");
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(json["summary"]["errors"], 0);
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
