//! `assure schema`: the schemas accept every file the project ships (the bundled examples,
//! the default pack and its test cases) and reject files the loaders reject for their
//! shape. Validation is by the `jsonschema` crate, independent of how the schemas were made.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{assure, stdout};
use jsonschema::Validator;
use serde_json::Value;

fn validator(kind: &str) -> Validator {
    let output = assure(&["schema", kind]);
    assert!(output.status.success(), "assure schema {kind} runs");
    let schema: Value = serde_json::from_str(&stdout(&output)).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// Every YAML document of a file, as JSON values (what an editor's language server sees).
fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("the file reads");
    serde_saphyr::from_multiple::<Value>(&text).expect("the file is YAML")
}

fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("the folder reads")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn errors(validator: &Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn assert_valid(validator: &Validator, path: &Path) {
    for document in documents(path) {
        let errors = errors(validator, &document);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_bundled_examples_fit_the_evidence_schema() {
    let evidence = validator("evidence");
    let files = yaml_files("examples");
    assert_eq!(files.len(), 9, "every bundled example");
    for path in files {
        assert_valid(&evidence, &path);
    }
}

#[test]
fn every_document_of_the_default_pack_fits_the_pack_schema() {
    let pack = validator("pack");
    let files = yaml_files("rules/cqc-la");
    assert!(files.len() >= 10, "the header and nine statements");
    for path in files {
        assert_valid(&pack, &path);
    }
}

#[test]
fn the_default_packs_test_cases_fit_the_cases_schema() {
    let cases = validator("cases");
    let files = yaml_files("rules/cqc-la/tests");
    assert!(!files.is_empty());
    for path in files {
        assert_valid(&cases, &path);
    }
}

/// Files the loaders refuse for their shape are refused by the schema too.
#[test]
fn known_bad_files_are_rejected() {
    let evidence = validator("evidence");
    let pack = validator("pack");
    let cases = validator("cases");
    let bad: [(&Validator, &str, &str); 8] = [
        (
            &evidence,
            "authority: X\nitems:\n  - id: a\n    statment: safeguarding\n",
            "misspelt field",
        ),
        (&evidence, "items: []\n", "no authority"),
        (
            &evidence,
            "authority: X\nitems:\n  - statement: safeguarding\n",
            "item without id",
        ),
        (
            &evidence,
            "authority: X\nitems:\n  - id: a\n    tags: respite\n",
            "tags as text",
        ),
        (&evidence, "authority: X\nitems: none\n", "items not a list"),
        (
            &pack,
            "statement: safeguarding\nrules:\n  - id: a\n    why: no sentence\n",
            "rule without a sentence",
        ),
        (
            &pack,
            "statement: safeguarding\nbaseline: 7\n",
            "baseline out of 1..4",
        ),
        (
            &cases,
            "cases:\n  - name: a\n    evidence: x.yaml\n    expect: {}\n    extra: 1\n",
            "unknown case field",
        ),
    ];
    for (validator, text, why) in bad {
        let document: Value = serde_saphyr::from_str(text).expect("YAML");
        assert!(!validator.is_valid(&document), "accepted: {why}");
    }
}

/// The negative cases above would pass vacuously if the schemas accepted nothing; the same
/// shapes, corrected, are accepted.
#[test]
fn corrected_files_are_accepted() {
    let evidence = validator("evidence");
    let good = "authority: X\nitems:\n  - id: a\n    statement: safeguarding\n    category: processes\n    metric: safeguarding enquiries concluded within 28 days\n    value: 63.5%\n    target: 70\n";
    let document: Value = serde_saphyr::from_str(good).expect("YAML");
    assert_eq!(errors(&evidence, &document), Vec::<String>::new());
    let pack = validator("pack");
    let good = "statement: safeguarding\nbaseline: 3\nrules:\n  - id: a\n    rule: any negative findings lowers score\n    cites: [CQC]\n";
    let document: Value = serde_saphyr::from_str(good).expect("YAML");
    assert_eq!(errors(&pack, &document), Vec::<String>::new());
}

#[test]
fn the_schema_is_written_atomically_to_a_file() {
    let dir = common::scratch("schema-output");
    let out = dir.join("evidence.schema.json");
    let output = assure(&["schema", "evidence", "-o", out.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(stdout(&output).is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(&out).expect("written");
    assert_eq!(written, stdout(&assure(&["schema", "evidence"])));
}
