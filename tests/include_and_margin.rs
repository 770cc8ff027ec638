//! Evidence from several files (`include:`) and the margin of error (issue 20).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{assure, scratch, stderr, stdout};

fn pack() -> assure::pack::Pack {
    assure::load_pack(None).expect("the default pack loads")
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("a directory");
    }
    std::fs::write(path, text).expect("written");
}

const NATIONAL: &str = "authority: Staffordshire
code: E10000028
items:
  - id: ascof-1d
    statement: assessing-needs
    category: people's experience
    metric: satisfied with care and support
    value: 68.1%
    england_average: 64.4%
    margin: 2.3
";

const OWN: &str = "authority: Staffordshire County Council
code: E10000028
include: [national/ascof.yaml]
items:
  - id: own-finding
    statement: assessing-needs
    category: processes
    finding: Assessments were timely.
    sentiment: positive
";

#[test]
fn an_included_files_items_are_the_councils_evidence_and_each_file_is_hashed() {
    let dir = scratch("include-basic");
    write(&dir.join("national/ascof.yaml"), NATIONAL);
    write(&dir.join("council.yaml"), OWN);
    let evidence = assure::load_evidence(&dir.join("council.yaml"), &pack()).expect("loads");
    let ids: Vec<&str> = evidence.items.iter().map(|i| &*i.id).collect();
    assert_eq!(ids, ["own-finding", "ascof-1d"], "own items first");
    assert_eq!(evidence.authority, "Staffordshire County Council");
    assert_eq!(evidence.included.len(), 1);
    let assessment = assure::assess(&evidence, &pack());
    let record = serde_json::to_value(&assessment.record.evidence).expect("json");
    let included = record["included"].as_array().expect("included files");
    assert_eq!(included.len(), 1);
    assert!(
        included[0]["file"]
            .as_str()
            .expect("a name")
            .ends_with("national/ascof.yaml")
    );
    assert!(
        included[0]["hash"]
            .as_str()
            .expect("a hash")
            .starts_with("sha256:")
    );
    // A file without includes records none (and its JSON is as before).
    let plain = assure::load_evidence(&dir.join("national/ascof.yaml"), &pack()).expect("loads");
    let record =
        serde_json::to_value(&assure::assess(&plain, &pack()).record.evidence).expect("json");
    assert!(record.get("included").is_none());
    // The same file written as JSON takes the fast path and gives the same evidence.
    let json = serde_json::json!({
        "authority": "Staffordshire County Council",
        "code": "E10000028",
        "include": ["national/ascof.yaml"],
        "items": [{"id": "own-finding", "statement": "assessing-needs", "category": "processes",
                   "finding": "Assessments were timely.", "sentiment": "positive"}]
    });
    write(&dir.join("council.json"), &json.to_string());
    let from_json = assure::load_evidence(&dir.join("council.json"), &pack()).expect("loads");
    assert_eq!(
        serde_json::to_value(&from_json.items).expect("json"),
        serde_json::to_value(&evidence.items).expect("json")
    );
}

#[test]
fn problems_in_an_included_file_are_shown_in_that_file() {
    let dir = scratch("include-problems");
    write(&dir.join("council.yaml"), OWN);
    write(
        &dir.join("national/ascof.yaml"),
        &NATIONAL.replace("value: 68.1%", "value: 168.1%"),
    );
    let output = common::assure_in(&dir, &["score", "council.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("national/ascof.yaml:8:12: error: `value` is 168.1%, but a percentage runs from 0 to 100"),
        "{}",
        stderr(&output)
    );
    // An id used in both files is shown where it is used again.
    write(
        &dir.join("national/ascof.yaml"),
        &NATIONAL.replace("ascof-1d", "own-finding"),
    );
    let output = common::assure_in(&dir, &["score", "council.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("national/ascof.yaml:4:9: error: item id `own-finding` is used twice"),
        "{err}"
    );
    assert!(
        err.contains("first used in `council.yaml` at line 5"),
        "{err}"
    );
    // A cycle is an error at the include that closes it.
    write(
        &dir.join("national/ascof.yaml"),
        &NATIONAL.replace("items:", "include: [../council.yaml]\nitems:"),
    );
    let output = common::assure_in(&dir, &["score", "council.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("national/ascof.yaml:3:11: error: `../council.yaml` includes itself"),
        "{err}"
    );
    // A missing file is named where it is included.
    write(
        &dir.join("national/ascof.yaml"),
        &NATIONAL.replace("items:", "include: [gone.yaml]\nitems:"),
    );
    let output = common::assure_in(&dir, &["score", "council.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("error: cannot include `gone.yaml`"),
        "{}",
        stderr(&output)
    );
    // Another council's file is refused.
    write(
        &dir.join("national/ascof.yaml"),
        &NATIONAL.replace("E10000028", "E06000035"),
    );
    let output = common::assure_in(&dir, &["score", "council.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is evidence for another council (code E06000035, not E10000028)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_report_is_written_over_an_included_file() {
    let dir = scratch("include-output");
    write(&dir.join("national/ascof.yaml"), NATIONAL);
    write(&dir.join("council.yaml"), OWN);
    let before = std::fs::read_to_string(dir.join("national/ascof.yaml")).expect("reads");
    let output = common::assure_in(
        &dir,
        &["score", "council.yaml", "-o", "national/ascof.yaml"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("refusing to write over `national/ascof.yaml`: this run read it as an input"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("national/ascof.yaml")).expect("reads"),
        before
    );
}

#[test]
fn a_margin_of_error_replaces_the_tolerance_and_explain_says_so() {
    let dir = scratch("margin-explain");
    write(&dir.join("national/ascof.yaml"), NATIONAL);
    // 68.1% against 64.4% is 3.7 points: inside the pack's 5-point tolerance, outside the
    // survey's 2.3-point margin of error. So it is better than England.
    let output = assure(&[
        "explain",
        dir.join("national/ascof.yaml").to_str().expect("utf-8"),
        "--statement",
        "assessing-needs",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("ascof-1d: satisfied with care and support 68.1% vs England average 64.4% ± 2.3 points (margin of error): better"),
        "{text}"
    );
    // Without the margin the same value is in line.
    write(
        &dir.join("plain.yaml"),
        &NATIONAL.replace("    margin: 2.3\n", ""),
    );
    let output = assure(&[
        "explain",
        dir.join("plain.yaml").to_str().expect("utf-8"),
        "--statement",
        "assessing-needs",
    ]);
    assert!(
        stdout(&output).contains("68.1% vs England average 64.4% ± 5 points (tolerance): in line"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn rules_read_the_margin_in_place_of_the_tolerance() {
    let dir = scratch("margin-rules");
    let rules = dir.join("pack.yaml");
    write(
        &rules,
        "pack: margins\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n  - id: better\n    rule: satisfied with care and support better than england average raises score\n    why: w\n    cites: c\n  - id: level\n    rule: satisfied with care and support in line with england average has no effect\n    why: w\n    cites: c\n",
    );
    let pack = assure::load_pack(Some(&rules)).expect("the pack loads");
    let fired = |evidence_text: &str| -> Vec<String> {
        let path = dir.join("e.yaml");
        write(&path, evidence_text);
        let evidence = assure::load_evidence(&path, &pack).expect("loads");
        let assessment = assure::assess(&evidence, &pack);
        let statement = &assessment.statements[0];
        statement
            .justifications
            .iter()
            .map(|j| j.rule.to_string())
            .collect()
    };
    assert_eq!(fired(NATIONAL), ["better"]);
    assert_eq!(fired(&NATIONAL.replace("    margin: 2.3\n", "")), ["level"]);
    assert_eq!(
        fired(&NATIONAL.replace("margin: 2.3", "margin: 4")),
        ["level"]
    );
    // A margin belongs to metrics, and is held to the metric's unit.
    let path = dir.join("bad.yaml");
    write(&path, &NATIONAL.replace("margin: 2.3", "margin: -1"));
    let failure = assure::load_evidence(&path, &pack).expect_err("refused");
    assert!(
        failure.render().contains("`margin` cannot be negative"),
        "{}",
        failure.render()
    );
}
