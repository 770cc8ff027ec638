//! Explanations, what would move a score, and evidence gaps on the bundled examples: as
//! snapshots a reviewer reads, and as properties checked through the public API, apart
//! from the code that found them: every move reaches its score, every move is honest, and
//! gaps and moves agree.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::path::Path;

use assure::advice::{self, Change, ChangeKind, ChangeSet, GapKind, StatementAdvice};
use assure::evidence::Evidence;
use assure::lang::ast::{Sentiment, Strength};
use assure::pack::Pack;
use assure::pack::catalogue::Polarity;
use assure::report::{explain, gaps};
use assure::source::diagnostic::SourceFile;
use rust_decimal::Decimal;

const EXAMPLES: [&str; 9] = [
    "examples/barnet.yaml",
    "examples/darlington.yaml",
    "examples/derbyshire.yaml",
    "examples/hartlepool.yaml",
    "examples/hounslow.yaml",
    "examples/medway.yaml",
    "examples/staffordshire.yaml",
    "examples/sunderland.yaml",
    "examples/surrey.yaml",
];

fn default_pack() -> Pack {
    assure::load_pack(None).expect("the default pack loads")
}

fn advised(
    pack: &Pack,
    path: &str,
    only: Option<&str>,
) -> (assure::Assessment, Vec<StatementAdvice>) {
    let evidence = assure::load_evidence(Path::new(path), pack).expect("the evidence loads");
    let assessment = assure::assess(&evidence, pack);
    let advice = match only {
        Some(id) => vec![advice::advise_statement(&evidence, pack, id)],
        None => advice::advise(&evidence, pack, &assessment),
    };
    (assessment, advice)
}

#[test]
fn explain_staffordshire_care_provision() {
    let pack = default_pack();
    let (assessment, advice) = advised(
        &pack,
        "examples/staffordshire.yaml",
        Some("care-provision-integration-continuity"),
    );
    let evidence = assure::load_evidence(Path::new("examples/staffordshire.yaml"), &pack)
        .expect("the evidence loads");
    let explanations = explain::explanations(&assessment, &advice, &evidence, &pack);
    assert_eq!(explanations.len(), 1);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("explain_staffordshire_care_provision", explain::text(&explanations));
    });
}

#[test]
fn gaps_of_medway() {
    let (assessment, advice) = advised(&default_pack(), "examples/medway.yaml", None);
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("gaps_medway", gaps::text(&assessment, &advice));
    });
}

/// Every change set, applied to the evidence file, gives the score it claims: values are
/// written into their items and added findings appended as items, and the edited text is
/// loaded and scored as any file is.
#[test]
fn every_reported_move_reaches_its_score() {
    let pack = default_pack();
    let (mut values, mut findings) = (0, 0);
    for path in EXAMPLES {
        let (assessment, advice) = advised(&pack, path, None);
        let text = std::fs::read_to_string(path).expect("readable");
        for (result, advice) in assessment.statements.iter().zip(&advice) {
            for set in advice.raise.iter().chain(&advice.drop) {
                let rescored = score_edited(&pack, &text, &result.id, set);
                assert_eq!(
                    rescored,
                    Some(set.score),
                    "{path} {}: {:?}",
                    result.id,
                    set.changes
                );
                for change in &set.changes {
                    match change.kind {
                        ChangeKind::Value => values += 1,
                        ChangeKind::Findings => findings += 1,
                    }
                }
            }
        }
    }
    assert!(
        values >= 3 && findings >= 50,
        "only {values} value changes and {findings} added findings were checked"
    );
}

/// No raise offers worse evidence, and no drop better: checked from the changes' own
/// terms (the finding's sentiment, the value's direction against the catalogue).
#[test]
fn every_reported_move_is_honest() {
    let pack = default_pack();
    for path in EXAMPLES {
        let (_, advice) = advised(&pack, path, None);
        for advice in &advice {
            assert_honest(&pack, path, advice);
        }
    }
}

/// A pack that scores backwards: a cap on absence (any evidence from processes lifts it,
/// a shortfall too) and a rule that rewards shortfalls. Its advice is still honest, and
/// Medway's learning statement is never told to add a negative finding to rise.
#[test]
fn a_backward_pack_gets_honest_advice() {
    let mut text = String::from(
        "pack: backward\nversion: 0.1.0\nframework: cqc-local-authority-2024\nweights:\n  people's experience: 2\n",
    );
    for statement in [
        "assessing-needs",
        "supporting-healthier-lives",
        "equity-in-experience-and-outcomes",
        "care-provision-integration-continuity",
        "partnerships-and-communities",
        "safe-pathways-systems-transitions",
        "safeguarding",
        "governance-management-sustainability",
        "learning-improvement-innovation",
    ] {
        text.push_str(&format!(
            "---\nstatement: {statement}\nmethod: categories\nrules:\n\
             \x20 - id: {statement}-balance\n    rule: at least as much negative as positive evidence lowers score\n\
             \x20 - id: {statement}-absent\n    rule: no evidence from processes caps score at 2\n\
             \x20 - id: {statement}-rewarded\n    rule: any negative finding from feedback from partners raises score\n"
        ));
    }
    let pack = Pack::load(
        &[SourceFile::new("backward.yaml", text)],
        assure::builtin_framework().unwrap(),
        assure::builtin_catalogue().unwrap(),
    )
    .unwrap_or_else(|problems| panic!("{problems:?}"));
    let mut raises = 0;
    for path in EXAMPLES {
        let (assessment, advice) = advised(&pack, path, None);
        let text = std::fs::read_to_string(path).expect("readable");
        for (result, advice) in assessment.statements.iter().zip(&advice) {
            assert_honest(&pack, path, advice);
            for set in advice.raise.iter().chain(&advice.drop) {
                assert_eq!(score_edited(&pack, &text, &result.id, set), Some(set.score));
            }
            raises += advice.raise.len();
        }
    }
    assert!(raises > 0, "the backward pack offered no raise at all");
    let (assessment, advice) = advised(
        &pack,
        "examples/medway.yaml",
        Some("learning-improvement-innovation"),
    );
    let evidence = assure::load_evidence(Path::new("examples/medway.yaml"), &pack)
        .expect("the evidence loads");
    let words = explain::text(&explain::explanations(
        &assessment,
        &advice,
        &evidence,
        &pack,
    ));
    let raise = words
        .split("What would raise it")
        .nth(1)
        .and_then(|rest| rest.split("What would lower it").next())
        .unwrap();
    assert!(raise.contains("positive finding from processes"), "{raise}");
    assert!(!raise.contains("negative"), "{raise}");
    assert!(!raise.contains("mixed"), "{raise}");
}

/// Where a gap and a move say what one finding in a missing category would do, they say
/// the same: a strength there raising the score to the gap's highest is a raise of the
/// moves, and a shortfall lowering it to its lowest is a drop.
#[test]
fn gaps_and_moves_agree() {
    let pack = default_pack();
    let mut compared = 0;
    for path in EXAMPLES {
        let (assessment, advice) = advised(&pack, path, None);
        for (result, advice) in assessment.statements.iter().zip(&advice) {
            let Some(score) = result.score else { continue };
            for gap in advice.gaps.iter().filter(|g| g.kind == GapKind::Category) {
                let category = gap.category.unwrap();
                let single = |sets: &[ChangeSet], sentiments: &[Sentiment], to: u8| {
                    sets.iter().any(|set| {
                        set.score == to
                            && matches!(set.changes.as_slice(), [change]
                                if change.added == Some(1)
                                && change.finding.as_ref().is_some_and(|f| f.category == category
                                    && sentiments.contains(&f.sentiment)
                                    && f.strength == Strength::Normal))
                    })
                };
                if let Some(high) = gap.highest.filter(|h| *h > score) {
                    assert!(
                        single(&advice.raise, &[Sentiment::Positive], high),
                        "{path} {}: {gap:?} {:?}",
                        result.id,
                        advice.raise
                    );
                    compared += 1;
                }
                if let Some(low) = gap.lowest.filter(|l| *l < score) {
                    assert!(
                        single(&advice.drop, &[Sentiment::Negative, Sentiment::Mixed], low),
                        "{path} {}: {gap:?} {:?}",
                        result.id,
                        advice.drop
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 10, "only {compared} gaps could be compared");
}

fn assert_honest(pack: &Pack, path: &str, advice: &StatementAdvice) {
    for (sets, raise) in [(&advice.raise, true), (&advice.drop, false)] {
        for set in sets {
            for change in &set.changes {
                assert_eq!(
                    better(pack, change),
                    raise,
                    "{path} {}: {} offered to {}",
                    advice.statement,
                    change,
                    if raise { "raise" } else { "lower" }
                );
            }
        }
    }
}

/// Whether a change makes the evidence better, worked out from its own terms.
fn better(pack: &Pack, change: &Change) -> bool {
    match change.kind {
        ChangeKind::Findings => {
            change.finding.as_ref().expect("an added finding").sentiment == Sentiment::Positive
        }
        ChangeKind::Value => {
            let metric = pack
                .catalogue
                .metric(pack.catalogue.lookup(&change.subject).expect("a metric"));
            let from = number(&change.from);
            let to = number(&change.to);
            match metric.better {
                Polarity::Higher => to > from,
                Polarity::Lower => to < from,
            }
        }
    }
}

fn number(text: &str) -> Decimal {
    let digits: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().expect("a number")
}

/// The statement's score once the set's changes are written into the file's text.
fn score_edited(pack: &Pack, text: &str, statement: &str, set: &ChangeSet) -> Option<u8> {
    let mut edited = text.to_string();
    let mut added = 0;
    for change in &set.changes {
        match change.kind {
            ChangeKind::Value => {
                edited = set_value(
                    &edited,
                    change.item.as_deref().unwrap(),
                    &written(&change.to),
                );
            }
            ChangeKind::Findings => {
                let finding = change.finding.as_ref().unwrap();
                for _ in 0..change.added.unwrap() {
                    added += 1;
                    edited = append_finding(&edited, statement, added, finding);
                }
            }
        }
    }
    let file = SourceFile::new("edited.yaml", edited);
    let evidence = Evidence::load(&file, &pack.framework, &pack.catalogue)
        .unwrap_or_else(|failure| panic!("{}", failure.render()));
    let rescored = assure::assess(&evidence, pack);
    rescored
        .statements
        .iter()
        .find(|s| s.id == statement)
        .unwrap()
        .score
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
    let value: Decimal = digits.parse().expect("a number");
    let nudged = value + Decimal::new(sign, 3);
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

/// Appends a finding to the file's items (the last key of every example), indented as
/// the file's first item is.
fn append_finding(
    text: &str,
    statement: &str,
    n: usize,
    finding: &assure::advice::AddedFinding,
) -> String {
    let indent = text
        .lines()
        .find(|line| line.trim_start().starts_with("- id:"))
        .map(|line| &line[..line.len() - line.trim_start().len()])
        .unwrap_or("");
    let category = finding.category.as_str();
    let mut item = format!(
        "\n{indent}- id: supposed-{n}\n{indent}  statement: {statement}\n{indent}  category: \"{category}\"\n{indent}  finding: Added.\n{indent}  sentiment: {}\n",
        finding.sentiment.as_str()
    );
    if finding.strength == Strength::Strong {
        item.push_str(&format!("{indent}  strength: strong\n"));
    }
    if let Some(tag) = &finding.tag {
        item.push_str(&format!("{indent}  tags: [\"{tag}\"]\n"));
    }
    format!("{}\n{item}", text.trim_end())
}
