//! Fixture folders -> insta snapshots (in the top-level `snapshots/`). A file named `err_*`
//! must fail, and its snapshot holds the rendered error, so a change of wording or position
//! shows in review; any other fixture must load, and its snapshot shows what was read.

// Tests say what they expect with `expect`; a failure is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use assure::source::diagnostic::{Diagnostic, SourceFile};

use serde_json::Value;

mod common;
use common::ast_json;

/// The fixture path relative to the crate root, as a user would type it.
fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
}

fn is_error_case(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("err_"))
}

/// Removes every `span` key, so two trees can be compared for meaning alone.
#[test]
fn rule_sentences() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!("fixtures/parse/*.rule", |path| {
            let text = std::fs::read_to_string(path).expect("fixture is readable");
            let sentence = text.trim_end_matches(['\n', '\r']);
            let parsed = assure::lang::parse::parse_rule(sentence);
            if is_error_case(path) {
                let error = parsed.expect_err("an err_ fixture must not parse");
                let source = SourceFile::new(relative(path).display().to_string(), sentence);
                let mut diagnostic = Diagnostic::error(error.message)
                    .at(&source, error.span.start..error.span.end)
                    .with_label(error.label);
                if let Some(help) = error.help {
                    diagnostic = diagnostic.with_help(help);
                }
                insta::assert_snapshot!(diagnostic.render());
            } else {
                let rule = parsed.unwrap_or_else(|e| panic!("{} should parse: {e:?}", path.display()));
                let canonical = rule.to_string();
                // Printing then parsing gives the same tree; printing that again, the same text.
                let reparsed = assure::lang::parse::parse_rule(&canonical)
                    .unwrap_or_else(|e| panic!("canonical form `{canonical}` should parse: {e:?}"));
                assert_eq!(ast_json(&rule), ast_json(&reparsed), "round trip of `{sentence}`");
                assert_eq!(reparsed.to_string(), canonical, "printing is stable for `{sentence}`");
                let ast = serde_json::to_string_pretty(&ast_json(&rule)).expect("json");
                insta::assert_snapshot!(format!("input:     {sentence}\ncanonical: {canonical}\n\n{ast}"));
            }
        });
    });
}

#[test]
fn evidence_files() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!("fixtures/evidence/*.yaml", |path| {
            let loaded = assure::load_evidence(relative(path), &pack);
            if is_error_case(path) {
                let failure = loaded.expect_err("an err_ fixture must not load");
                insta::assert_snapshot!(failure.render());
            } else {
                let evidence = loaded.unwrap_or_else(|f| panic!("{} should load:\n{}", path.display(), f.render()));
                let warnings: Vec<String> = evidence.warnings.iter().map(Diagnostic::render).collect();
                let items = serde_json::to_string_pretty(&evidence.items).expect("json");
                insta::assert_snapshot!(format!("warnings:\n{}\nitems:\n{items}", warnings.join("\n")));
            }
        });
    });
}

#[test]
fn rule_packs() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!("fixtures/packs/*", |path| {
            let loaded = assure::load_pack(Some(relative(path)));
            if is_error_case(path) {
                let failure = loaded.expect_err("an err_ pack must not load");
                insta::assert_snapshot!(failure.render());
            } else {
                let pack = loaded.unwrap_or_else(|f| panic!("{} should load:\n{}", path.display(), f.render()));
                let rules: Vec<String> = pack
                    .rules()
                    .map(|(statement, rule)| format!("{} {}: {}", statement.statement, rule.id, rule.ast))
                    .collect();
                insta::assert_snapshot!(format!("{} {}\n{}", pack.name, pack.version, rules.join("\n")));
            }
        });
    });
}

/// The full JSON score of every bundled example: any change to the default pack, the
/// engine or the examples shows here as a reviewed diff.
#[test]
fn bundled_examples_score() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!(env!("CARGO_MANIFEST_DIR"), "examples/*.yaml", |path| {
            if path.file_name().is_some_and(|n| n == "published-scores.yaml") {
                return;
            }
            let evidence = assure::load_evidence(relative(path), &pack).expect("example loads");
            let assessment = assure::assess(&evidence, &pack);
            insta::assert_snapshot!(assure::report::json::render(&[assessment]).expect("JSON"));
        });
    });
}

/// A check fixture's findings: a pack that fails to load with coded problems has those as
/// its findings. Each fixture shows one kind of finding, so gaps (which almost any small
/// pack has) are left out except in the gap fixture.
fn check_fixture(path: &Path) -> (Option<assure::pack::Pack>, Vec<assure::check::Finding>) {
    let shows_gaps = path.file_stem().is_some_and(|stem| stem == "gap");
    match assure::load_pack(Some(path)) {
        Ok(pack) => {
            let mut findings = assure::check::check(&pack);
            findings.retain(|f| shows_gaps || f.code != "A206");
            (Some(pack), findings)
        }
        Err(failure) => {
            let findings = assure::check::load_findings(&failure).unwrap_or_else(|| {
                panic!(
                    "{} should load or have coded errors:\n{}",
                    path.display(),
                    failure.render()
                )
            });
            (None, findings)
        }
    }
}

/// Every counterexample, run through the real evaluator, makes its rules fire.
fn assert_counterexamples_fire(pack: &assure::pack::Pack, findings: &[assure::check::Finding]) {
    for finding in findings {
        assert!(
            !finding.message.contains("please report"),
            "{}",
            finding.message
        );
        // A gap's example is one that no rule scores; check confirms that with the
        // evaluator itself before reporting it.
        let Some(example) = finding
            .counterexample
            .as_ref()
            .filter(|_| finding.code != "A206")
        else {
            continue;
        };
        let found: Vec<(&str, &assure::pack::PackRule)> = pack
            .rules()
            .filter(|(_, rule)| finding.rules.contains(&rule.id))
            .map(|(statement, rule)| (statement.statement.as_str(), rule))
            .collect();
        assert_eq!(found.len(), finding.rules.len(), "{}", finding.message);
        let statement = found[0].0;
        if let Some(change) = &finding.change {
            // An invariant's example: the real scorer gives the scores it states, and they
            // move the wrong way.
            assert_eq!(
                example.score(pack, statement),
                change.score_before,
                "{}",
                finding.message
            );
            assert_eq!(
                change.after.score(pack, statement),
                change.score_after,
                "{}",
                finding.message
            );
            let (before, after) = (change.score_before, change.score_after);
            let wrong = match finding.code {
                "A301" => before != after && before.is_some() && after.is_some(),
                "A302" => before != after,
                _ => true,
            };
            assert!(wrong, "{}", finding.message);
            continue;
        }
        let rules: Vec<&assure::pack::PackRule> = found.iter().map(|(_, rule)| *rule).collect();
        let fired = example.fired(pack, statement, &rules);
        assert!(
            fired.iter().all(|f| *f),
            "counterexample `{example}` for `{}`: {fired:?}",
            finding.message
        );
    }
}

#[test]
fn check_findings() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!("fixtures/check/*.yaml", |path| {
            let (pack, findings) = check_fixture(relative(path));
            if let Some(pack) = &pack {
                assert_counterexamples_fire(pack, &findings);
            }
            insta::assert_snapshot!(assure::report::check::text(&findings));
        });
    });
}

#[test]
fn the_default_pack_is_clean_and_its_counterexamples_fire() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let findings = assure::check::check(&pack);
    assert_counterexamples_fire(&pack, &findings);
    assert!(
        findings.is_empty(),
        "{}",
        assure::report::check::text(&findings)
    );
}

#[test]
fn check_json_has_stable_keys() {
    let (_, findings) = check_fixture(Path::new("tests/fixtures/check/conflict.yaml"));
    let json = assure::report::check::json(&findings).expect("JSON");
    let value: Value = serde_json::from_str(&json).expect("valid JSON");
    for finding in value.as_array().expect("an array") {
        for key in ["code", "name", "severity", "message", "help", "locations"] {
            assert!(finding.get(key).is_some(), "{key} in {finding}");
        }
    }
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("check_conflict_json", json);
    });
}

#[test]
fn check_sarif_is_well_formed() {
    let (_, findings) = check_fixture(Path::new("tests/fixtures/check/unsatisfiable.yaml"));
    let sarif = assure::report::check::sarif(&findings, None).expect("JSON");
    let value: Value = serde_json::from_str(&sarif).expect("valid JSON");
    assert_eq!(value["version"], "2.1.0");
    assert!(
        value["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("sarif-2.1.0"))
    );
    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(!rules.is_empty());
    for rule in rules {
        for key in ["id", "name", "shortDescription", "help"] {
            assert!(rule.get(key).is_some(), "{key} in {rule}");
        }
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        assert!(result["ruleId"].is_string(), "{result}");
        let physical = &result["locations"][0]["physicalLocation"];
        assert!(physical["artifactLocation"]["uri"].is_string(), "{result}");
        assert!(physical["region"]["startLine"].is_u64(), "{result}");
        assert!(physical["region"]["startColumn"].is_u64(), "{result}");
    }
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("check_unsatisfiable_sarif", sarif);
    });
}

/// An invariant finding carries its evidence before and after, and both scores, in JSON
/// and in SARIF (as words in the message and as data in the result's properties).
#[test]
fn check_json_and_sarif_carry_invariant_examples() {
    let (_, findings) = check_fixture(Path::new("tests/fixtures/check/not_scale_free.yaml"));
    let json = assure::report::check::json(&findings).expect("JSON");
    let value: Value = serde_json::from_str(&json).expect("valid JSON");
    let invariants: Vec<&Value> = value
        .as_array()
        .expect("an array")
        .iter()
        .filter(|f| f["code"] == "A302")
        .collect();
    assert_eq!(invariants.len(), 2, "{json}");
    for finding in &invariants {
        assert!(
            finding["counterexample"]["findings"].is_array(),
            "{finding}"
        );
        for key in ["what", "after", "score_before", "score_after"] {
            assert!(finding["change"].get(key).is_some(), "{key} in {finding}");
        }
    }
    let sarif = assure::report::check::sarif(&findings, None).expect("JSON");
    let value: Value = serde_json::from_str(&sarif).expect("valid JSON");
    let results = value["runs"][0]["results"].as_array().expect("results");
    let shown: Vec<&Value> = results.iter().filter(|r| r["ruleId"] == "A302").collect();
    assert_eq!(shown.len(), 2);
    for result in shown {
        let text = result["message"]["text"].as_str().unwrap_or("");
        assert!(
            text.contains("for example: ") && text.contains("then: "),
            "{text}"
        );
        assert!(
            result["properties"]["change"]["score_after"].is_u64(),
            "{result}"
        );
    }
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("check_not_scale_free_json", json);
    });
}

/// The default pack keeps the invariants check looks for: monotone, scale-free, and no
/// score lowered for missing evidence.
#[test]
fn the_default_pack_keeps_every_invariant() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let broken: Vec<assure::check::Finding> = assure::check::check(&pack)
        .into_iter()
        .filter(|f| f.code.starts_with("A3"))
        .collect();
    assert!(
        broken.is_empty(),
        "{}",
        assure::report::check::text(&broken)
    );
}

#[test]
fn diff_reports_name_each_move_and_its_cause() {
    let old = assure::load_pack(Some(Path::new("tests/fixtures/diff/old.yaml"))).expect("old");
    let new = assure::load_pack(Some(Path::new("tests/fixtures/diff/new.yaml"))).expect("new");
    let pairs: Vec<(assure::Assessment, assure::Assessment)> = [
        "tests/fixtures/diff/slow-council.yaml",
        "tests/fixtures/diff/quick-council.yaml",
    ]
    .iter()
    .map(|path| {
        let score = |pack: &assure::pack::Pack| {
            let evidence = assure::load_evidence(Path::new(path), pack).expect("evidence");
            assure::assess(&evidence, pack)
        };
        (score(&old), score(&new))
    })
    .collect();
    let diff = assure::compare::diff::diff(&old, &new, &pairs);
    assert!(diff.moved());
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("diff_text", assure::report::diff::text(&diff));
        insta::assert_snapshot!("diff_markdown", assure::report::diff::markdown(&diff));
        insta::assert_snapshot!("diff_json", assure::report::diff::json(&diff).expect("JSON"));
    });
}
