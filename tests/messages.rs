//! Messages in the project's own words (issue 18, class 9) that need the command line or a
//! generated input: a `git:` revision that would reach git as an option, SARIF addresses of
//! awkward file names, a check finding's rule named in every format, and a table too large
//! for one evidence file. The file-shaped cases are fixtures in tests/fixtures/evidence and
//! tests/fixtures/packs, snapshotted by tests/fixtures.rs.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use serde_json::Value;

mod common;
use common::{assure, assure_in, scratch, stderr, stdout};

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// `git:-x:PATH` and `git::PATH` are refused before git runs.
#[test]
fn a_revision_that_starts_with_a_dash_never_reaches_git() {
    let mut messages = Vec::new();
    for old in [
        "git:--output=/tmp/assure-pwned:rules/cqc-la",
        "git::rules/cqc-la",
    ] {
        let output = assure(&["diff", old, "rules/cqc-la", "examples/medway.yaml"]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(stdout(&output).is_empty());
        messages.push(stderr(&output));
    }
    assert!(!std::path::Path::new("/tmp/assure-pwned").exists());
    snapshot("messages_git_revision", &messages.join("\n"));
}

/// A pack file whose name holds a space, `#` and `%` is addressed by a percent-encoded URI.
#[test]
fn sarif_addresses_are_percent_encoded() {
    let dir = scratch("sarif-uri");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("tests/fixtures/check/unknown_metric.yaml"),
        dir.join("my pack #1 100%.yaml"),
    )
    .unwrap();
    let output = assure_in(
        &dir,
        &["check", "my pack #1 100%.yaml", "--format", "sarif"],
    );
    let sarif: Value = serde_json::from_str(&stdout(&output)).expect("SARIF is JSON");
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "my%20pack%20%231%20100%25.yaml");
}

/// The finding for an unknown metric in a rule names the rule in text, JSON and SARIF.
#[test]
fn a_finding_about_a_rule_names_it_in_every_format() {
    let pack = "tests/fixtures/check/unknown_metric.yaml";
    let text = stdout(&assure(&["check", pack]));
    assert!(text.contains("in rule `an-typo`"), "{text}");
    let json: Value =
        serde_json::from_str(&stdout(&assure(&["check", pack, "--format", "json"]))).expect("JSON");
    assert_eq!(json[0]["rules"], serde_json::json!(["an-typo"]), "{json}");
    assert!(
        json[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("an-typo"))
    );
    let sarif: Value =
        serde_json::from_str(&stdout(&assure(&["check", pack, "--format", "sarif"])))
            .expect("SARIF");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["properties"]["rules"],
        serde_json::json!(["an-typo"])
    );
    assert!(
        result["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("an-typo"))
    );
    // And a logic finding on a pack that loads names both of its rules.
    let json: Value = serde_json::from_str(&stdout(&assure(&[
        "check",
        "tests/fixtures/check/redundant.yaml",
        "--format",
        "json",
    ])))
    .expect("JSON");
    let redundant = json
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == "A203")
        .expect("a redundancy finding");
    assert_eq!(
        redundant["rules"].as_array().map(Vec::len),
        Some(2),
        "{redundant}"
    );
}

/// A table of 50,000 findings makes more values than an evidence file may hold: said at
/// the row where the limit is passed, not as a fault in the written evidence.
#[test]
fn a_table_too_large_for_one_evidence_file_is_refused_at_its_row() {
    let dir = scratch("import-too-many-rows");
    let mut table = String::from("authority,statement,category,finding,sentiment\n");
    for row in 0..50_000 {
        table.push_str(&format!(
            "X,safeguarding,processes,Finding {row},positive\n"
        ));
    }
    std::fs::write(dir.join("rows.csv"), table).unwrap();
    let output = assure_in(&dir, &["import", "rows.csv", "-o", "out.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!dir.join("out.yaml").exists());
    let message = stderr(&output);
    assert!(!message.contains("bug"), "{message}");
    snapshot("messages_table_too_large", &message);
}
