//! Reading case files: the embedded cases, tidied evidence paths, and a case list cut into
//! its entries; each problem of a case file as its `Problem`.

use crate::packtest::cases::CaseEntry;
use crate::packtest::problem::Problem;
use crate::source::diagnostic::{Diagnostic, SourceFile, Worded};

#[test]
fn the_embedded_cases_are_every_file_of_rules_cqc_la_tests() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cqc-la/tests"))
            .expect("the pack's tests directory")
            .filter_map(Result::ok)
            .map(|entry| format!("rules/cqc-la/tests/{}", entry.file_name().to_string_lossy()))
            .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
            .collect();
    on_disk.sort();
    let embedded: Vec<String> = crate::packtest::read::DEFAULT_PACK_CASES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(
        on_disk, embedded,
        "add new case files, in name order, to DEFAULT_PACK_CASES in src/packtest/read.rs"
    );
}

#[test]
fn evidence_paths_from_case_files_are_tidied() {
    use crate::packtest::cases::tidy_path;
    use std::path::Path;
    assert_eq!(
        tidy_path(Path::new(
            "rules/cqc-la/tests/../../../examples/medway.yaml"
        )),
        Path::new("examples/medway.yaml")
    );
    assert_eq!(tidy_path(Path::new("./a/./b.yaml")), Path::new("a/b.yaml"));
    assert_eq!(
        tidy_path(Path::new("../a/b.yaml")),
        Path::new("../a/b.yaml")
    );
    assert_eq!(
        tidy_path(Path::new("a/../../b.yaml")),
        Path::new("../b.yaml")
    );
}

#[test]
fn a_block_list_is_cut_into_entries_with_their_offsets() {
    let text = "cases:\n  - name: a\n    x: 1\n  # note\n  - name: b\nother: 2\n";
    let starts = [
        text.find("name: a").expect("a"),
        text.find("name: b").expect("b"),
    ];
    let ranges = crate::source::yaml::block_list_ranges(text, &starts).expect("a block list");
    let entries: Vec<String> = ranges
        .iter()
        .zip(starts)
        .map(|(range, start)| crate::source::yaml::blank_outside(text, &(start..range.end)))
        .collect();
    assert_eq!(
        entries[0],
        "      \n    name: a\n    x: 1\n  # note\n           \n        \n"
    );
    assert_eq!(
        entries[1],
        "      \n           \n        \n        \n    name: b\n        \n"
    );
    assert!(entries.iter().all(|e| e.len() == text.len()));
    let flow = "cases: [{name: a}, {name: b}]\n";
    let starts = [
        flow.find("{name: a").expect("a"),
        flow.find("{name: b").expect("b"),
    ];
    assert_eq!(crate::source::yaml::block_list_ranges(flow, &starts), None);
    let mut blanked = text.to_string();
    crate::source::yaml::blank_inside(&mut blanked, &ranges[0]);
    assert_eq!(
        blanked,
        "cases:\n           \n        \n        \n  - name: b\nother: 2\n"
    );
}

/// The default pack's case files given as text, naming no evidence file.
fn load_cases_text(text: &str) -> (std::sync::Arc<SourceFile>, Vec<CaseEntry>) {
    let pack = crate::load_pack(None).expect("the default pack loads");
    let file = SourceFile::new("c.yaml", text);
    let mut no_files = |_: &std::path::Path| -> Result<_, Diagnostic> {
        Err(Diagnostic::error("no evidence file is read here"))
    };
    let mut loaded =
        crate::packtest::cases::load(&[std::sync::Arc::clone(&file)], &pack, &mut no_files)
            .expect("no evidence file is named");
    (file, loaded.remove(0).entries)
}

/// The diagnostics of each entry that could not be loaded.
fn errors(entries: &[CaseEntry]) -> Vec<&[Diagnostic]> {
    entries
        .iter()
        .filter_map(|entry| match entry {
            CaseEntry::Error(error) => Some(error.diagnostics.as_slice()),
            CaseEntry::Case(_) => None,
        })
        .collect()
}

/// The byte range of the `nth` (from 0) `needle` in `text`.
fn span_of(text: &str, needle: &str, nth: usize) -> std::ops::Range<usize> {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(at, _)| at)
        .expect("the needle is in the text");
    start..start + needle.len()
}

const EVIDENCE: &str = "evidence: {authority: A, items: []}";

#[test]
fn a_case_with_a_bad_expectation_is_the_problem_at_its_value() {
    let text = format!(
        "cases:\n  - name: one\n    {EVIDENCE}\n    expect: {{percent: 101, scores: {{assesing-needs: 3}}}}\n"
    );
    let (file, entries) = load_cases_text(&text);
    let percent = Problem::PercentOutOfRange { percent: 101 };
    let statement = Problem::UnknownStatement {
        id: "assesing-needs".to_string(),
        help: "did you mean `assessing-needs`?".to_string(),
    };
    assert_eq!(
        errors(&entries),
        [[
            percent.at(&file, span_of(&text, "101", 0)),
            statement.at(&file, span_of(&text, "assesing-needs", 0)),
        ]]
    );
}

#[test]
fn two_cases_of_one_name_and_a_case_that_expects_nothing_are_their_problems() {
    let text = format!(
        "cases:\n  - name: one\n    {EVIDENCE}\n    expect: {{overall: Good}}\n  - name: one\n    {EVIDENCE}\n    expect: {{}}\n"
    );
    let (file, entries) = load_cases_text(&text);
    let duplicate = Problem::DuplicateName {
        name: "one".to_string(),
        first: "c.yaml:2".to_string(),
    };
    // An empty flow mapping is marked by its opening brace.
    let empty = span_of(&text, "{", 3);
    assert_eq!(
        errors(&entries),
        [[
            duplicate.at(&file, span_of(&text, "one", 1)),
            Problem::ExpectsNothing.at(&file, empty),
        ]]
    );
}

#[test]
fn a_file_without_cases_and_an_absolute_evidence_path_are_their_problems() {
    let (file, entries) = load_cases_text("cases: []\n");
    assert_eq!(errors(&entries), [[Problem::NoCases.in_file(&file)]]);
    let text =
        "cases:\n  - name: one\n    evidence: /etc/council.yaml\n    expect: {overall: Good}\n";
    let (file, entries) = load_cases_text(text);
    let absolute = Problem::AbsoluteEvidencePath.at(&file, span_of(text, "/etc/council.yaml", 0));
    assert_eq!(absolute.label.as_deref(), Some("an absolute path"));
    assert_eq!(errors(&entries), [[absolute]]);
}

#[test]
fn a_problem_says_what_its_data_makes_it() {
    let other = Problem::RuleOfOtherStatement {
        rule: "r1".to_string(),
        owner: "safeguarding".to_string(),
        statement: "assessing-needs".to_string(),
    };
    assert_eq!(
        other.message(),
        "rule `r1` scores `safeguarding`, not `assessing-needs`"
    );
    assert_eq!(
        other.help().as_deref(),
        Some("list it under `safeguarding:`")
    );
    let score = Problem::BadScore {
        written: "5".to_string(),
    };
    assert_eq!(
        score.message(),
        "expected a score from 1 to 4 or `not scored`, not `5`"
    );
    assert_eq!(score.help(), None);
    let outside = Diagnostic::from(Problem::EvidenceOutsideRoot {
        path: "../secret.yaml".to_string(),
        root: "cases".to_string(),
    });
    assert_eq!(outside.source, None);
    assert_eq!(
        outside.message,
        "`../secret.yaml` is outside `cases`, the folder a case's evidence must be in"
    );
}
