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

/// Newcomers' first mistakes (issue 21) get a next step.
mod newcomers {
    use super::*;

    /// A statement is found by its name or id in any case, as a person would type it.
    #[test]
    fn a_statement_is_named_in_any_case() {
        for given in ["Safeguarding", "SAFEGUARDING", "safeguarding"] {
            let output = assure(&["explain", "examples/medway.yaml", "--statement", given]);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{given}: {}",
                stderr(&output)
            );
            assert!(
                stdout(&output).starts_with("Medway Council: Safeguarding (safeguarding)"),
                "{given}"
            );
        }
        let by_name = assure(&[
            "explain",
            "examples/medway.yaml",
            "--statement",
            "Assessing needs",
        ]);
        assert!(stdout(&by_name).starts_with("Medway Council: Assessing needs (assessing-needs)"));
        let wrong = assure(&["explain", "examples/medway.yaml", "--statement", "Safe"]);
        assert_eq!(wrong.status.code(), Some(2));
        assert!(stdout(&wrong).is_empty());
        assert!(
            stderr(&wrong).contains("`Safe` is not a quality statement"),
            "{}",
            stderr(&wrong)
        );
    }

    /// `explain examples`: one file is wanted, so the message names the files in it.
    #[test]
    fn a_directory_where_a_file_is_wanted_names_its_files() {
        let output = assure(&["explain", "examples"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stdout(&output).is_empty());
        let message = stderr(&output);
        assert!(
            message.contains("`examples` is a directory, expected a file"),
            "{message}"
        );
        assert!(
            message.contains("name one of the files in it (barnet.yaml, darlington.yaml"),
            "{message}"
        );
        assert!(message.contains("e.g. `examples/barnet.yaml`"), "{message}");
    }

    /// A workbook that opens on a cover page: the sheets that hold a table are named.
    #[test]
    fn a_workbook_with_a_cover_page_points_to_its_tables() {
        let dir = scratch("cover-page");
        let path = dir.join("evidence.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let cover = book.add_worksheet();
        cover.set_name("Cover").unwrap();
        cover
            .write_string(0, 0, "Self-assessment evidence")
            .unwrap();
        let data = book.add_worksheet();
        data.set_name("Evidence 2024").unwrap();
        for (column, header) in ["statement", "category", "finding", "sentiment"]
            .into_iter()
            .enumerate()
        {
            data.write_string(0, u16::try_from(column).unwrap(), header)
                .unwrap();
        }
        book.save(&path).unwrap();
        let output = assure_in(&dir, &["import", "evidence.xlsx"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stdout(&output).is_empty());
        let message = stderr(&output);
        assert!(
            message.contains("the first sheet, \"Cover\", has no row of evidence headers"),
            "{message}"
        );
        assert!(
            message.contains(
                "the sheets that look like tables: \"Evidence 2024\"; read one with `--sheet 'Evidence 2024'`"
            ),
            "{message}"
        );
        assert!(
            std::fs::read_dir(&dir).unwrap().count() == 1,
            "nothing written"
        );
    }

    /// One fraction is "1 number", not "1 numbers".
    #[test]
    fn one_fraction_is_one_number() {
        let dir = scratch("one-fraction");
        std::fs::write(
            dir.join("t.csv"),
            "authority,statement,category,metric,value\nMedway Council,assessing-needs,processes,care act assessments completed within 28 days,0.635\n",
        )
        .unwrap();
        std::fs::write(dir.join("map.yaml"), "fractions: auto\n").unwrap();
        let output = assure_in(&dir, &["import", "t.csv", "--map", "map.yaml"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let message = stderr(&output);
        assert!(message.contains("(1 number: 0.635 is 63.5%)"), "{message}");
        assert!(
            stdout(&output).contains("value: 63.5%"),
            "{}",
            stdout(&output)
        );
    }

    /// `fmt --check` of a formatted pack says nothing and exits 0; `check` of a clean pack
    /// says so in one line.
    #[test]
    fn success_is_quiet() {
        let output = assure(&["fmt", "--check", "rules/cqc-la"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stdout(&output).is_empty() && stderr(&output).is_empty());
        let check = assure(&["check", "rules/cqc-la"]);
        assert_eq!(check.status.code(), Some(0));
        assert_eq!(stdout(&check), "no findings\n");
    }

    /// The default pack copied anywhere keeps its tests: no case reaches outside the pack
    /// for its evidence.
    #[test]
    fn a_copied_pack_keeps_its_tests() {
        fn copy(from: &std::path::Path, to: &std::path::Path) {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                let target = to.join(entry.file_name());
                if entry.file_type().unwrap().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    std::fs::copy(entry.path(), target).unwrap();
                }
            }
        }
        let dir = scratch("copied-pack");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        copy(&root.join("rules/cqc-la"), &dir.join("our-pack"));
        let output = assure_in(&dir, &["test", "our-pack"]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        assert!(
            stdout(&output).contains(" passed, 0 failed, 0 errors"),
            "{}",
            stdout(&output)
        );
    }
}
