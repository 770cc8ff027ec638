//! Explanations, what would move a score, and evidence gaps on the bundled examples, as
//! snapshots a reviewer reads: a change in any reported change, margin or gap shows here.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::path::Path;

use assure::advice::{self, StatementAdvice};
use assure::report::{explain, gaps};

fn advised(path: &str, only: Option<&str>) -> (assure::Assessment, Vec<StatementAdvice>) {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let evidence = assure::load_evidence(Path::new(path), &pack).expect("the evidence loads");
    let assessment = assure::assess(&evidence, &pack);
    let advice = match only {
        Some(id) => vec![advice::advise_statement(&evidence, &pack, id)],
        None => advice::advise(&evidence, &pack, &assessment),
    };
    (assessment, advice)
}

#[test]
fn explain_staffordshire_care_provision() {
    // The statement of the seed text: CQC scored it 3.
    let (assessment, advice) = advised(
        "examples/staffordshire.yaml",
        Some("care-provision-integration-continuity"),
    );
    let explanations = explain::explanations(&assessment, &advice);
    assert_eq!(explanations.len(), 1);
    assert_eq!(explanations[0].statement.score, Some(3));
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("explain_staffordshire_care_provision", explain::text(&explanations));
    });
}

#[test]
fn gaps_of_medway() {
    let (assessment, advice) = advised("examples/medway.yaml", None);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("gaps_medway", gaps::text(&assessment, &advice));
    });
}

/// Every change set, applied to the evidence, gives the score it claims: checked by
/// scoring an edited copy of the file through the public API, not the code that found it.
#[test]
fn every_reported_move_reaches_its_score() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let mut checked = 0;
    for path in ["examples/staffordshire.yaml", "examples/medway.yaml"] {
        let (assessment, advice) = advised(path, None);
        let text = std::fs::read_to_string(path).expect("readable");
        for (result, advice) in assessment.statements.iter().zip(&advice) {
            for set in advice.raise.iter().chain(&advice.drop) {
                let metric_changes: Vec<_> =
                    set.changes.iter().filter(|c| c.item.is_some()).collect();
                // Added findings are not a value to write back; the unit tests cover them.
                if metric_changes.len() != set.changes.len() {
                    continue;
                }
                let mut edited = text.clone();
                for change in &metric_changes {
                    let value = written(&change.to);
                    edited = set_value(&edited, change.item.as_deref().unwrap(), &value);
                }
                let file = assure::diagnostic::SourceFile::new("edited.yaml", edited);
                let evidence =
                    assure::evidence::Evidence::load(&file, &pack.framework, &pack.catalogue)
                        .expect("edited evidence loads");
                let rescored = assure::assess(&evidence, &pack);
                let statement = rescored
                    .statements
                    .iter()
                    .find(|s| s.id == result.id)
                    .unwrap();
                assert_eq!(
                    statement.score,
                    Some(set.score),
                    "{path} {}: {:?}",
                    result.id,
                    set.changes
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 5,
        "only {checked} change sets could be written back"
    );
}

/// A value to write for a change's target: `75%` as it is, and `above 75%` or `below 75%`
/// a thousandth past the threshold (the evidence values here have at most two decimals, so
/// no other threshold lies that close).
fn written(to: &str) -> String {
    let (sign, number) = match to.split_once(' ') {
        Some(("above", rest)) => (1, rest),
        Some(("below", rest)) => (-1, rest),
        _ => return to.to_string(),
    };
    let (digits, unit) = number.split_at(
        number
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(number.len()),
    );
    let value: rust_decimal::Decimal = digits.parse().expect("a number");
    let nudged = value + rust_decimal::Decimal::new(sign, 3);
    format!("{nudged}{unit}")
}

/// Rewrites the `value:` line of the item with this id.
fn set_value(text: &str, id: &str, value: &str) -> String {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.trim_start().starts_with("- id:") {
            inside = line.trim_start().trim_start_matches("- id:").trim() == id;
        }
        if inside && line.trim_start().starts_with("value:") {
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push(format!("{indent}value: {value}"));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}
