//! The commands' entry points: what each leaves to show, and what it refuses before
//! reading anything.

use std::path::PathBuf;

use crate::run::{Outcome, Quiet, Stdout, Verdict, Warnings};
use crate::source::diagnostic::Diagnostic;

/// The outcome's verdict and standard output (the rest of the run done), or its failure
/// rendered.
fn finished(outcome: Outcome) -> Result<(Verdict, Vec<u8>), String> {
    let done = outcome.result.map_err(|failure| failure.render())?;
    let mut stdout = Vec::new();
    done.stdout
        .write_to(&mut stdout)
        .map_err(|failure| failure.render())?;
    Ok((done.verdict, stdout))
}

fn score(evidence: &[&str], format: crate::run::score::Format) -> crate::run::score::Request {
    crate::run::score::Request {
        evidence: evidence.iter().map(PathBuf::from).collect(),
        rules: None,
        format,
        output: None,
    }
}

#[test]
fn warnings_follow_one_another_or_are_listed_as_errors_are() {
    let warnings = vec![Diagnostic::warning("one"), Diagnostic::warning("two")];
    let apart = Warnings {
        diagnostics: warnings.clone(),
        listed: false,
    };
    assert_eq!(apart.render(), "warning: one\nwarning: two\n");
    let listed = Warnings {
        diagnostics: warnings,
        listed: true,
    };
    assert_eq!(listed.render(), "warning: one\n\nwarning: two\n");
    assert_eq!(Warnings::default().render(), "");
}

#[test]
fn score_as_text_writes_what_rendering_every_assessment_writes() {
    let request = score(
        &["examples/staffordshire.yaml"],
        crate::run::score::Format::Text,
    );
    let outcome = crate::run::score::score(&request, &Quiet);
    assert!(outcome.warnings.diagnostics.is_empty());
    assert!(matches!(
        outcome.result.as_ref().map(|done| &done.stdout),
        Ok(Stdout::Later(_))
    ));
    let (verdict, stdout) = finished(outcome).unwrap();
    let pack = crate::load_pack(None).unwrap();
    let evidence = crate::load_evidence("examples/staffordshire.yaml".as_ref(), &pack).unwrap();
    let expected = crate::report::text::render(&[crate::assess(&evidence, &pack)]);
    assert_eq!(verdict, Verdict::Passed);
    assert_eq!(String::from_utf8(stdout).unwrap(), expected);
}

#[test]
fn evidence_warnings_are_kept_when_another_file_fails() {
    let request = score(
        &[
            "tests/fixtures/evidence/ok_unknown_metric_warned.yaml",
            "tests/fixtures/evidence/err_null_value.yaml",
        ],
        crate::run::score::Format::Text,
    );
    let outcome = crate::run::score::score(&request, &Quiet);
    assert_eq!(outcome.warnings.diagnostics.len(), 1);
    assert!(!outcome.warnings.listed);
    let failure = finished(outcome).unwrap_err();
    assert!(
        failure.contains("err_null_value.yaml:2:12: error"),
        "{failure}"
    );
}

#[test]
fn several_reports_without_a_directory_are_refused_before_any_is_read() {
    let request = score(
        &["examples/staffordshire.yaml", "no-such-file.yaml"],
        crate::run::score::Format::Md,
    );
    let failure = finished(crate::run::score::score(&request, &Quiet)).unwrap_err();
    assert!(
        failure.contains("2 evidence files make 2 reports"),
        "{failure}"
    );
}

#[test]
fn explain_names_the_nearest_statement_for_a_misspelt_one() {
    let request = crate::run::explain::Request {
        evidence: PathBuf::from("examples/staffordshire.yaml"),
        statement: Some("safeguardin".to_string()),
        rules: None,
        format: crate::run::explain::DataFormat::Text,
        output: None,
    };
    let failure = finished(crate::run::explain::explain(&request, &Quiet)).unwrap_err();
    assert!(
        failure.contains("`safeguardin` is not a quality statement (by id or name)"),
        "{failure}"
    );
    assert!(failure.contains("did you mean `safeguarding`"), "{failure}");
}

#[test]
fn check_passes_the_built_in_pack_and_writes_its_findings() {
    let request = crate::run::check::Request {
        pack: None,
        format: crate::run::check::CheckFormat::Json,
        deny: Some(crate::run::check::Deny::Warnings),
    };
    let (verdict, stdout) = finished(crate::run::check::check(&request)).unwrap();
    assert_eq!(verdict, Verdict::Passed);
    assert!(stdout.starts_with(b"{") || stdout.starts_with(b"["));
}

#[test]
fn fmt_will_not_rewrite_the_built_in_pack() {
    let request = crate::run::fmt::Request {
        pack: None,
        check: false,
    };
    let failure = finished(crate::run::fmt::fmt(&request)).unwrap_err();
    assert!(failure.contains("the built-in pack cannot be rewritten"));
    let checked = crate::run::fmt::fmt(&crate::run::fmt::Request {
        pack: None,
        check: true,
    });
    assert_eq!(finished(checked).unwrap(), (Verdict::Passed, Vec::new()));
}

#[test]
fn a_national_file_is_not_read_with_a_mapping() {
    let request = crate::run::import::Request {
        table: PathBuf::from("tests/fixtures/ascof/trend_extract.csv"),
        authority: Some("Staffordshire".to_string()),
        skip_bad_rows: true,
        ..Default::default()
    };
    let outcome = crate::run::import::import(&request);
    assert!(outcome.warnings.listed);
    let failure = finished(outcome).unwrap_err();
    assert!(failure.contains("`--map` and `--skip-bad-rows` are for tables"));
}

#[test]
fn every_council_of_a_national_file_goes_into_a_directory_not_a_file() {
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let request = crate::run::import::Request {
        table: PathBuf::from("tests/fixtures/ascof/trend_extract.csv"),
        all: true,
        output: Some(file),
        ..Default::default()
    };
    let failure = finished(crate::run::import::import(&request)).unwrap_err();
    assert!(
        failure.contains("is a file; `--all` writes one file per council into a directory"),
        "{failure}"
    );

    let dir = scratch.path().join("new/councils");
    let request = crate::run::import::Request {
        output: Some(dir.clone()),
        ..request
    };
    let done = crate::run::import::import(&request).result.unwrap();
    let note = done.note.unwrap();
    assert!(
        note.starts_with("wrote 9 evidence files for ASCOF"),
        "{note}"
    );
    assert!(matches!(done.stdout, Stdout::Bytes(bytes) if bytes.is_empty()));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 9);
}

#[test]
fn a_report_written_to_a_file_leaves_nothing_for_standard_output() {
    let scratch = tempfile::tempdir().unwrap();
    let target = scratch.path().join("evidence.schema.json");
    let request = crate::run::schema::Request {
        kind: crate::run::schema::SchemaFile::Evidence,
        output: Some(target.clone()),
    };
    let (verdict, stdout) = finished(crate::run::schema::schema(&request)).unwrap();
    assert_eq!((verdict, stdout), (Verdict::Passed, Vec::new()));
    let written = std::fs::read_to_string(&target).unwrap();
    assert_eq!(
        written,
        crate::report::schema::schema_json(crate::report::schema::SchemaKind::Evidence).unwrap()
    );
}
