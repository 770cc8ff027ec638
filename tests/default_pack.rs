//! The default pack (`rules/cqc-la/`) as a product: it covers every statement with grounded
//! rules, reproduces the scores CQC published for the bundled examples, keeps
//! docs/calibration.md current, and can move a statement both ways.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assure::assessment::{Assessment, StatementResult};
use assure::ast::{Category, Test};
use assure::calibration::{self, Calibration};
use assure::diagnostic::SourceFile;
use assure::evidence::Evidence;
use assure::pack::Pack;

const PUBLISHED: &str = "examples/published/published-scores.yaml";
const CALIBRATION_PAGE: &str = "docs/calibration.md";
/// The command docs/calibration.md says regenerates it.
const CALIBRATE: &str =
    "assure calibrate examples/published/published-scores.yaml examples --format md";

fn pack() -> Pack {
    assure::load_pack(None).expect("the default pack loads")
}

fn score_file(path: &str) -> Assessment {
    let pack = pack();
    let evidence = assure::load_evidence(Path::new(path), &pack).expect("evidence loads");
    assure::assess(&evidence, &pack)
}

fn statement<'a>(assessment: &'a Assessment, id: &str) -> &'a StatementResult {
    assessment
        .statements
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no statement {id}"))
}

fn fired(statement: &StatementResult) -> Vec<&str> {
    statement.justifications.iter().map(|j| &*j.rule).collect()
}

fn calibration() -> Calibration {
    let pack = pack();
    let published = calibration::load_published(Path::new(PUBLISHED), &pack.framework)
        .expect("the published scores load");
    let given = assure::evidence_paths(&[PathBuf::from("examples")]).expect("examples/ reads");
    let paths = calibration::evidence_for(&published, &given)
        .expect("every published council has an evidence file");
    let scored: Vec<(Evidence, Assessment)> = paths
        .iter()
        .map(|path| {
            let evidence = assure::load_evidence(path, &pack).expect("evidence loads");
            let assessment = assure::assess(&evidence, &pack);
            (evidence, assessment)
        })
        .collect();
    calibration::calibrate(&published, &scored).expect("two councils")
}

#[test]
fn default_pack_reproduces_every_published_score() {
    let calibration = calibration();
    assert_eq!(calibration.councils.len(), 2);
    let mut differences = Vec::new();
    for council in &calibration.councils {
        if !council.overall_matches() {
            differences.push(format!(
                "{}: published {:?}, proposed {:?}",
                council.authority, council.published, council.proposed
            ));
        }
        for s in council.statements.iter().filter(|s| !s.matches()) {
            differences.push(format!(
                "{} / {}: published {:?}, proposed {:?}",
                council.authority, s.id, s.published, s.proposed
            ));
        }
        assert_eq!(council.statements_published(), 9, "{}", council.authority);
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn calibration_page_is_current() {
    let expected = assure::report::calibration::markdown(&calibration(), CALIBRATE);
    let page = std::fs::read_to_string(CALIBRATION_PAGE).unwrap_or_default();
    assert!(
        page == expected,
        "{CALIBRATION_PAGE} is out of date; regenerate it with\n  \
         cargo run -- calibrate {PUBLISHED} examples --format md -o {CALIBRATION_PAGE}\n\
         and review the difference"
    );
}

#[test]
fn every_statement_has_grounded_rules_reading_every_category() {
    let pack = pack();
    assert_eq!(pack.statements.len(), 9, "a file for every statement");
    let wanted = [
        Category::PeoplesExperience,
        Category::FeedbackFromStaffAndLeaders,
        Category::FeedbackFromPartners,
        Category::Processes,
    ];
    for statement in &pack.statements {
        assert!(
            statement.rules.len() >= 8,
            "{} has {} rules",
            statement.statement,
            statement.rules.len()
        );
        let mut read = BTreeSet::new();
        for rule in &statement.rules {
            let grounded = rule.why.as_deref().is_some_and(|w| !w.trim().is_empty())
                && !rule.cites.is_empty()
                && rule.cites.iter().all(|c| !c.trim().is_empty());
            assert!(grounded, "{} needs a why and cites", rule.id);
            for test in rule.ast.all_tests() {
                match test {
                    Test::Findings(findings) => read.extend(findings.category),
                    Test::NoEvidenceFrom { category, .. } => {
                        read.insert(*category);
                    }
                    _ => {}
                }
            }
        }
        for category in wanted {
            assert!(
                read.contains(&category),
                "{} never reads {}",
                statement.statement,
                category.as_str()
            );
        }
    }
}

#[test]
fn strong_evidence_from_every_side_raises_a_statement_to_four() {
    let assessment = score_file("tests/default-pack/exceptional.yaml");
    let needs = statement(&assessment, "assessing-needs");
    assert_eq!(needs.score, Some(4));
    assert!(fired(needs).contains(&"an-consistently-positive"));
    let safeguarding = statement(&assessment, "safeguarding");
    assert_eq!(safeguarding.score, Some(4));
    assert!(fired(safeguarding).contains(&"sg-feel-safe-above-england"));
    assert!(fired(safeguarding).contains(&"sg-consistently-positive"));
}

#[test]
fn serious_shortfalls_take_a_statement_to_one() {
    let assessment = score_file("tests/default-pack/significant-shortfalls.yaml");
    let needs = statement(&assessment, "assessing-needs");
    assert_eq!(needs.score, Some(1));
    for rule in [
        "an-people-mostly-negative",
        "an-process-shortfalls",
        "an-mostly-shortfalls",
        "an-assessment-waits",
    ] {
        assert!(fired(needs).contains(&rule), "{rule} should fire");
    }
    let safeguarding = statement(&assessment, "safeguarding");
    assert_eq!(safeguarding.score, Some(1));
    assert_eq!(safeguarding.arithmetic.cap, Some(1));
    assert!(fired(safeguarding).contains(&"sg-triage-serious"));
}

#[test]
fn exceptional_needs_measured_outcomes() {
    // Staffordshire's safe pathways evidence is positive from every side but has no
    // outcome measures: the consistent-positive rule fires and the outcomes cap holds it at 3.
    let assessment = score_file("examples/staffordshire.yaml");
    let pathways = statement(&assessment, "safe-pathways-systems-transitions");
    assert_eq!(pathways.arithmetic.adjusted, 4);
    assert_eq!(pathways.score, Some(3));
    assert!(fired(pathways).contains(&"sp-exceptional-needs-outcomes"));
}

#[test]
fn a_council_without_evidence_is_not_shown_as_good() {
    let pack = pack();
    let file = SourceFile::new(
        "empty.yaml",
        "authority: Nothing Yet Council (fictional)\nitems: []\n",
    );
    let evidence = Evidence::load(&file, &pack.framework, &pack.catalogue).expect("loads");
    let assessment = assure::assess(&evidence, &pack);
    for s in &assessment.statements {
        assert_eq!(s.score, Some(2), "{}", s.id);
        assert!(
            fired(s)
                .iter()
                .any(|r| r.ends_with("-needs-process-evidence"))
        );
    }
    assert_eq!(
        assessment.overall.rating.as_deref(),
        Some("Requires improvement")
    );
}
