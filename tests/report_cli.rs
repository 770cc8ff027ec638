//! `assure score --format md|html` as a user runs it: one report to standard output or a
//! file, one per council into a directory, and the refusals (several reports without a
//! directory, a report over an input, two councils with one file name), each with exit 2,
//! nothing on standard output and nothing written.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

mod common;
use common::{assure, scratch, stderr, stdout};

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8")
}

#[test]
fn one_file_prints_one_report() {
    let output = assure(&["score", "examples/medway.yaml", "--format", "md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("# Medway Council: proposed CQC assessment\n"));

    let output = assure(&["score", "examples/medway.yaml", "--format", "html"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<h1>Medway Council: proposed CQC assessment</h1>"));
}

#[test]
fn one_file_is_written_to_a_named_file() {
    let dir = scratch("report-one-file");
    let report = dir.join("medway-report.html");
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        "--format",
        "html",
        "-o",
        arg(&report),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("<h1>Medway Council")
    );
    assert_eq!(
        files_in(&dir),
        ["medway-report.html"],
        "no temporary file left"
    );
}

#[test]
fn one_file_into_an_existing_directory_takes_its_stem() {
    let dir = scratch("report-one-into-dir");
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        "--format",
        "md",
        "-o",
        arg(&dir),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert_eq!(files_in(&dir), ["medway.md"]);
}

#[test]
fn several_files_need_a_directory() {
    let output = assure(&["score", "examples", "--format", "md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(
        message.contains(
            "9 evidence files make 9 reports, one per council, but no directory was named for them"
        ),
        "{message}"
    );
    assert!(message.contains("`-o DIR`"), "{message}");

    let dir = scratch("report-dir-is-a-file");
    let file = dir.join("reports");
    std::fs::write(&file, "keep me").unwrap();
    let output = assure(&["score", "examples", "--format", "md", "-o", arg(&file)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is a file; one report per council needs a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn several_files_write_one_report_each_into_a_new_directory() {
    let dir = scratch("report-several").join("board-papers");
    let output = assure(&[
        "score",
        "examples/staffordshire.yaml",
        "examples/medway.yaml",
        "--format",
        "html",
        "-o",
        arg(&dir),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert_eq!(files_in(&dir), ["medway.html", "staffordshire.html"]);
    let medway = std::fs::read_to_string(dir.join("medway.html")).unwrap();
    assert!(medway.contains("<h1>Medway Council"));
    let staffordshire = std::fs::read_to_string(dir.join("staffordshire.html")).unwrap();
    assert!(staffordshire.contains("<h1>Staffordshire County Council"));

    // Again into the same, now existing, directory, as Markdown: the same reports as one
    // file at a time would print.
    let output = assure(&["score", "examples", "--format", "md", "-o", arg(&dir)]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let single = assure(&["score", "examples/medway.yaml", "--format", "md"]);
    assert_eq!(
        std::fs::read(dir.join("medway.md")).unwrap(),
        single.stdout,
        "the same report either way"
    );
}

#[test]
fn a_report_never_overwrites_an_input() {
    let dir = scratch("report-over-input");
    // An evidence file whose report would take its own name.
    let input = dir.join("medway.md");
    std::fs::copy("examples/medway.yaml", &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let output = assure(&[
        "score",
        "examples/staffordshire.yaml",
        arg(&input),
        "--format",
        "md",
        "-o",
        arg(&dir),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("this run read it as an input"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is untouched"
    );
    assert_eq!(
        files_in(&dir),
        ["medway.md"],
        "no other report written either"
    );

    let output = assure(&["score", arg(&input), "--format", "html", "-o", arg(&input)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("this run read it as an input"));
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn two_councils_with_one_file_name_are_refused() {
    let dir = scratch("report-same-stem");
    std::fs::create_dir_all(dir.join("copy")).unwrap();
    let copy = dir.join("copy").join("medway.yaml");
    std::fs::copy("examples/medway.yaml", &copy).unwrap();
    let out = dir.join("out");
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        arg(&copy),
        "--format",
        "md",
        "-o",
        arg(&out),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("would both be reported as"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn bad_evidence_prints_no_report() {
    for format in ["md", "html"] {
        let output = assure(&[
            "score",
            "tests/fixtures/evidence/err_unknown_item_field.yaml",
            "--format",
            format,
        ]);
        assert_eq!(output.status.code(), Some(2));
        assert!(output.stdout.is_empty(), "{}", stdout(&output));
        assert!(stderr(&output).contains("err_unknown_item_field.yaml:"));
    }
}

#[test]
fn text_and_json_still_go_to_one_output() {
    let output = assure(&["score", "examples", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(9));
}

#[test]
fn a_word_report_needs_a_file_or_a_directory() {
    let output = assure(&["score", "examples/medway.yaml", "--format", "docx"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing printed");
    assert!(
        stderr(&output).contains("a Word document is not text to print"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("`-o FILE.docx`"));

    let dir = scratch("report-docx");
    let file = dir.join("medway.docx");
    let output = assure(&[
        "score",
        "examples/medway.yaml",
        "--format",
        "docx",
        "-o",
        arg(&file),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip package");

    let several = dir.join("pack");
    let output = assure(&[
        "score",
        "examples/staffordshire.yaml",
        "examples/medway.yaml",
        "--format",
        "docx",
        "-o",
        arg(&several),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(files_in(&several), ["medway.docx", "staffordshire.docx"]);
    assert_eq!(
        std::fs::read(several.join("medway.docx")).unwrap(),
        bytes,
        "the same document either way"
    );
}
