//! Unit tests of the agreement figures: kappa against hand-worked and published values,
//! the edge cases, and what a group of councils counts.

use rust_decimal::Decimal;

use super::*;
use crate::compare::calibration::problem::Problem;
use crate::source::diagnostic::{SourceFile, Worded};
use std::sync::Arc;

fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// A confusion matrix of scores from `low` to `low + K - 1`, rows the first list.
fn matrix<const K: usize>(first: &[u8], second: &[u8], low: u8) -> [[u32; K]; K] {
    let mut m = [[0u32; K]; K];
    for (a, b) in first.iter().zip(second) {
        m[usize::from(a - low)][usize::from(b - low)] += 1;
    }
    m
}

/// Worked by hand. Ten statements, rows published, columns proposed:
///
/// ```text
///        1  2  3  4   row
///   1    0  0  0  0    0
///   2    0  3  1  0    4
///   3    0  1  4  0    5
///   4    0  0  1  0    1
/// column 0  4  6  0   N = 10
/// ```
///
/// Observed: Σ d² O = 1 (2→3) + 1 (3→2) + 1 (4→3) = 3.
/// Expected × N: Σ d² row_i column_j = 1·4·6 (2,3) + 1·5·4 (3,2) + 4·1·4 (4,2) + 1·1·6 (4,3)
/// = 24 + 20 + 16 + 6 = 66.
/// kappa = 1 - 10·3 / 66 = 36/66 = 6/11 = 0.5454…
#[test]
fn kappa_of_a_hand_worked_example() {
    let observed = [[0, 0, 0, 0], [0, 3, 1, 0], [0, 1, 4, 0], [0, 0, 1, 0]];
    let kappa = quadratic_weighted_kappa(&observed).expect("defined");
    let six_elevenths = Decimal::from(6) / Decimal::from(11);
    assert!((kappa - six_elevenths).abs() < d("1e-26"), "{kappa}");
    let agreement = Agreement::of([
        (2, 2),
        (2, 2),
        (2, 2),
        (2, 3),
        (3, 2),
        (3, 3),
        (3, 3),
        (3, 3),
        (3, 3),
        (4, 3),
    ]);
    assert_eq!(agreement.confusion, observed);
    assert_eq!(agreement.kappa, Some(d("0.545")));
    assert_eq!((agreement.exact, agreement.compared), (7, 10));
    assert_eq!(agreement.exact_percent, Some(d("70.0")));
    assert_eq!(agreement.within_one, 10);
    assert_eq!(agreement.within_one_percent, Some(d("100.0")));
}

/// The two examples of Maple's `EssayTools[QuadraticWeightedKappa]` documentation, scores
/// 1 to 10: 0.758620689655172 (= 22/29) and 0.438095238095238 (= 46/105).
#[test]
fn kappa_matches_published_examples() {
    let first = [9, 7, 8, 7, 6, 8, 3, 5, 10];
    let kappa = |second: &[u8]| {
        quadratic_weighted_kappa(&matrix::<10>(&first, second, 1)).expect("defined")
    };
    let one = kappa(&[8, 8, 6, 6, 7, 6, 1, 4, 8]);
    assert_eq!(one.round_dp(15), d("0.758620689655172"));
    assert!((one - Decimal::from(22) / Decimal::from(29)).abs() < d("1e-26"));
    let two = kappa(&[3, 5, 6, 6, 7, 6, 1, 4, 8]);
    assert_eq!(two.round_dp(15), d("0.438095238095238"));
}

/// A six-category matrix worked in a widely read Stack Exchange question on quadratic
/// kappa, whose answer is given as 0.817 (exactly 437/535).
#[test]
fn kappa_of_a_six_category_matrix() {
    let observed = [
        [9, 5, 2, 0, 0, 0],
        [4, 7, 1, 0, 0, 0],
        [1, 2, 4, 0, 1, 0],
        [0, 1, 1, 5, 1, 0],
        [0, 0, 0, 1, 2, 1],
        [0, 0, 0, 0, 0, 1],
    ];
    let kappa = quadratic_weighted_kappa(&observed).expect("defined");
    assert_eq!(kappa.round_dp(3), d("0.817"));
    assert!((kappa - Decimal::from(437) / Decimal::from(535)).abs() < d("1e-26"));
}

#[test]
fn perfect_agreement_is_one_and_a_constant_guess_is_zero() {
    let perfect = Agreement::of([(1, 1), (2, 2), (3, 3), (4, 4), (3, 3)]);
    assert_eq!(perfect.kappa, Some(Decimal::ONE));
    // Always 3 against varied published scores: agreement no better than chance.
    let constant = Agreement::of([(2, 3), (3, 3), (3, 3), (4, 3)]);
    assert_eq!(constant.kappa, Some(Decimal::ZERO));
    assert_eq!((constant.exact, constant.within_one), (2, 4));
}

#[test]
fn kappa_is_negative_when_the_scores_run_against_each_other() {
    let reversed = Agreement::of([(1, 4), (2, 3), (3, 2), (4, 1)]);
    assert_eq!(reversed.kappa, Some(-Decimal::ONE));
    assert_eq!(reversed.within_one, 2);
}

#[test]
fn kappa_is_undefined_without_variation() {
    // Nothing compared.
    assert_eq!(quadratic_weighted_kappa(&[[0u32; 4]; 4]), None);
    let empty = Agreement::of([]);
    assert_eq!(empty.kappa, None);
    assert_eq!(empty.exact_percent, None);
    // Published all 3 and proposed all 3: no disagreement is expected by chance either.
    let all_threes = Agreement::of([(3, 3), (3, 3), (3, 3)]);
    assert_eq!(all_threes.kappa, None);
    assert_eq!(all_threes.exact_percent, Some(d("100.0")));
    // Published all 3 but proposed varied: defined (and no better than chance).
    let varied = Agreement::of([(3, 2), (3, 3), (3, 4)]);
    assert_eq!(varied.kappa, Some(Decimal::ZERO));
}

#[test]
fn scores_outside_one_to_four_are_not_counted() {
    let agreement = Agreement::of([(0, 3), (3, 5), (3, 3)]);
    assert_eq!(agreement.compared, 1);
}

#[test]
fn percentages_round_to_one_place_half_away_from_zero() {
    assert_eq!(percent(2, 3), Some(d("66.7")));
    assert_eq!(percent(1, 3), Some(d("33.3")));
    assert_eq!(percent(1, 8), Some(d("12.5")));
    assert_eq!(percent(1, 16), Some(d("6.3")));
    assert_eq!(percent(0, 0), None);
}

fn statement(
    id: &str,
    published: Option<u8>,
    proposed: Option<u8>,
    negatives: usize,
    items: usize,
) -> StatementCalibration {
    StatementCalibration {
        id: id.to_string(),
        name: id.to_string(),
        published,
        proposed,
        comparison: Comparison::of(published, items, proposed),
        evidence_items: items,
        negative_findings: negatives,
        baselines: (items > 0).then(|| Baselines::for_evidence(negatives)),
        fired: Vec::new(),
    }
}

fn council(
    authority: &str,
    split: Option<Split>,
    comparison: OverallComparison,
    statements: Vec<StatementCalibration>,
) -> CouncilCalibration {
    let outcome = |rating: &str| Outcome {
        rating: Some(rating.to_string()),
        percent: None,
    };
    CouncilCalibration {
        authority: authority.to_string(),
        evidence_file: format!("{authority}.yaml"),
        split,
        published_date: None,
        sources: Vec::new(),
        published: outcome("Good"),
        proposed: outcome("Good"),
        overall_comparison: comparison,
        statements_with_evidence: statements.iter().filter(|s| s.evidence_items > 0).count(),
        statements,
    }
}

#[test]
fn a_group_compares_only_published_statements_with_evidence() {
    let councils = [
        council(
            "A",
            Some(Split::Development),
            OverallComparison::Compared,
            vec![
                statement("s1", Some(2), Some(2), 1, 3),
                statement("s2", Some(3), Some(2), 0, 2),
                statement("s3", Some(3), Some(3), 0, 0),
                statement("s4", None, Some(3), 2, 4),
            ],
        ),
        council(
            "B",
            Some(Split::HeldOut),
            OverallComparison::PartialEvidence,
            vec![
                statement("s1", Some(3), Some(4), 2, 2),
                statement("s2", Some(1), None, 1, 1),
                statement("s3", Some(2), Some(3), 0, 0),
            ],
        ),
    ];
    let refs: Vec<&CouncilCalibration> = councils.iter().collect();
    let all = group(&refs);
    assert_eq!(all.published, 6);
    assert_eq!(all.no_evidence, 2, "s3 of both councils");
    assert_eq!(all.not_scored, 1, "B's s2");
    // Compared: A s1 (2,2), A s2 (3,2), B s1 (3,4).
    assert_eq!(all.pack.compared, 3);
    assert_eq!(all.pack.exact, 1);
    assert_eq!(all.pack.within_one, 3);
    // Always 3 on the same three: 2 no, 3 yes, 3 yes.
    assert_eq!((all.always_3.compared, all.always_3.exact), (3, 2));
    // Any negative: A s1 has one (2, right), A s2 none (3, right), B s1 two (2, wrong).
    assert_eq!((all.any_negative.compared, all.any_negative.exact), (3, 2));
    assert_eq!(all.any_negative.confusion[2][1], 1);
    assert_eq!((all.overall.compared, all.overall.agreeing), (1, 1));
    assert_eq!(all.overall.partial_evidence.len(), 1);
    assert_eq!(all.overall.partial_evidence[0].statements_with_evidence, 2);
    assert!(
        !councils[1].matches(),
        "an unscored statement with evidence disagrees"
    );
    assert!(
        councils[1].overall_matches(),
        "a partial council's rating is not compared"
    );
}

/// A published-scores fixture and the problems it was refused for.
fn refused(name: &str) -> (Arc<SourceFile>, Vec<crate::source::diagnostic::Diagnostic>) {
    let path = format!(
        "{}/tests/fixtures/calibrate/errors/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let framework = crate::pack::builtin::builtin_framework().expect("the built-in framework");
    let failure = load_published(std::path::Path::new(&path), &framework)
        .expect_err("the fixture is refused");
    let source = crate::source::files::read_source(std::path::Path::new(&path)).expect("read");
    (source, failure.diagnostics)
}

fn span_of(text: &str, needle: &str) -> std::ops::Range<usize> {
    let start = text.find(needle).expect("the needle is in the text");
    start..start + needle.len()
}

#[test]
fn an_unknown_split_is_its_problem_at_the_split() {
    let (source, diagnostics) = refused("unknown_split.yaml");
    let problem = Problem::UnknownSplit {
        split: "held out".to_string(),
        help: "did you mean `held-out`?".to_string(),
    };
    let span = span_of(&source.text, "held out\n");
    assert_eq!(diagnostics, [problem.at(&source, span.start..span.end - 1)]);
}

#[test]
fn an_unknown_rating_is_its_problem_at_the_rating() {
    let (source, diagnostics) = refused("unknown_rating.yaml");
    let problem = Problem::UnknownRating {
        rating: "Goood".to_string(),
        help: "did you mean `Good`? (expected one of: Inadequate, Requires improvement, Good, Outstanding)".to_string(),
    };
    assert_eq!(
        diagnostics,
        [problem.at(&source, span_of(&source.text, "Goood"))]
    );
}

#[test]
fn an_entry_without_evidence_given_is_its_problem() {
    let published = Published {
        authority: "Alpha Council".to_string(),
        evidence: "alpha.yaml".into(),
        file_name: "alpha.yaml".to_string(),
        published: None,
        overall: None,
        percent: None,
        scores: Vec::new(),
        split: None,
        sources: Vec::new(),
    };
    let failure = evidence_for(&[published], &["beta.yaml".into()]).expect_err("no alpha");
    let problem = Problem::NoEvidenceFile {
        file_name: "alpha.yaml".to_string(),
        authority: "Alpha Council".to_string(),
    };
    assert_eq!(
        failure.diagnostics,
        [crate::source::diagnostic::Diagnostic::from(problem)]
    );
}

#[test]
fn a_published_problem_says_what_its_data_makes_it() {
    let score = Problem::ScoreOutOfRange { score: 5 };
    assert_eq!(score.message(), "a score must be 1 to 4, not 5");
    assert_eq!(score.help(), None);
    let statement = Problem::UnknownStatement {
        id: "x".to_string(),
        help: None,
    };
    assert_eq!(statement.message(), "unknown quality statement `x`");
    assert_eq!(statement.help(), None);
}
