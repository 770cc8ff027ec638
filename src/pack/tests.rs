//! The built-in pack: every file embedded, every statement scored, the framework in step
//! with the language.

use crate::builtin_framework;
use crate::source::diagnostic::Worded;

#[test]
fn the_embedded_pack_is_every_file_of_rules_cqc_la() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cqc-la"))
            .expect("the pack directory")
            .filter_map(Result::ok)
            .map(|entry| format!("rules/cqc-la/{}", entry.file_name().to_string_lossy()))
            .filter(|name| name.ends_with(".yaml"))
            .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = crate::pack::builtin::DEFAULT_PACK
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "add new pack files to DEFAULT_PACK in src/pack/builtin.rs"
    );
}

#[test]
fn the_default_pack_loads_and_covers_every_statement() {
    let pack = crate::load_pack(None).expect("the default pack loads");
    let framework = builtin_framework().expect("framework loads");
    for statement in framework.statements() {
        let rules = pack
            .statement_rules(&statement.id)
            .expect("a statement file");
        assert!(!rules.rules.is_empty(), "{} has rules", statement.id);
    }
}

#[test]
fn the_framework_lists_the_languages_categories() {
    let framework = builtin_framework().expect("framework loads");
    let names: Vec<&str> = framework
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let language: Vec<&str> = crate::lang::ast::Category::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, language);
}

#[test]
fn a_bad_tolerance_is_a_problem_not_text() {
    use crate::pack::catalogue::Tolerance;
    use crate::pack::problem::Problem;
    assert_eq!(
        Tolerance::parse("-2 points"),
        Err(Problem::NegativeTolerance)
    );
    assert!(matches!(
        Tolerance::parse("five points"),
        Err(Problem::BadTolerance(error)) if error.message == "`five` is not a number"
    ));
    assert_eq!(
        Tolerance::parse("10%").map(|t| t.to_string()),
        Ok("10%".to_string())
    );
}

#[test]
fn problems_word_their_help_from_their_data() {
    use crate::pack::problem::Problem;
    let unknown = Problem::UnknownMetric {
        metric: "made up".to_string(),
        rule: "r1".to_string(),
        suggestion: None,
    };
    assert_eq!(unknown.message(), "unknown metric `made up` in rule `r1`");
    assert_eq!(
        unknown.help().as_deref(),
        Some("add it to the pack's metrics.yaml with its unit and polarity")
    );
    assert_eq!(unknown.code(), Some(crate::source::codes::UNKNOWN_METRIC));

    let wrong = Problem::WrongUnit {
        value: rust_decimal::Decimal::from(28),
        literal: crate::lang::ast::LiteralUnit::Percent,
        metric: "care act assessment waiting days".to_string(),
        unit: crate::pack::unit::Unit::Days,
    };
    assert_eq!(
        wrong.message(),
        "`28%` is not in the unit of `care act assessment waiting days`, which is measured in days"
    );
    assert_eq!(
        wrong.help().as_deref(),
        Some("write the threshold as evidence gives the value: `28` or with `days`")
    );

    let twice = Problem::DuplicateRuleId {
        id: "r1".to_string(),
        first_file: "pack/a.yaml".to_string(),
        first_line: 7,
    };
    assert_eq!(
        twice.help().as_deref(),
        Some("first used at pack/a.yaml:7; rule ids must be unique in a pack")
    );
    assert_eq!(twice.label(), Some("second use"));
}

#[test]
fn an_unknown_metric_keeps_its_code_and_rule_at_the_edge() {
    use crate::source::diagnostic::SourceFile;
    let files = [
        SourceFile::new(
            "pack.yaml",
            "pack: small\nversion: 1.0.0\nframework: cqc-local-authority-2024\n",
        ),
        SourceFile::new(
            "safeguarding.yaml",
            "statement: safeguarding\nrules:\n  - id: r1\n    rule: made up measure above 5 lowers score\n",
        ),
    ];
    let problems = crate::pack::builtin::load_pack_files(&files)
        .expect_err("an unknown metric stops the load")
        .diagnostics;
    let [problem] = problems.as_slice() else {
        panic!("one problem, not {problems:?}");
    };
    assert_eq!(problem.code(), Some(crate::source::codes::UNKNOWN_METRIC));
    assert_eq!(problem.rule(), Some("r1"));
    assert_eq!(
        problem.label.as_deref(),
        Some("not in the metric catalogue")
    );
    assert_eq!(
        problem.location().as_deref(),
        Some("safeguarding.yaml:4:11")
    );
}
