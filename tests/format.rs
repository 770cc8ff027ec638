//! `assure fmt`: canonical sentences, nothing else touched, idempotent, meaning kept; and the
//! printer's round trip (print, parse, same tree; print again, same text) as a property over
//! generated sentences.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use proptest::prelude::*;

use assure::pack::formatter::{format_pack, verify};

mod common;
use common::ast_json;

const MESSY: &str = "tests/fixtures/fmt/messy.yaml";

fn format_file(path: &Path) -> (String, Vec<String>) {
    let files = assure::pack_files(Some(path)).expect("reads");
    let pack = assure::load_pack_files(&files).expect("loads");
    let formatted = format_pack(&pack).expect("formats");
    verify(&pack, &files, &formatted).expect("keeps the meaning");
    match formatted.as_slice() {
        [] => (files[0].text.clone(), Vec::new()),
        [one] => (one.text.clone(), one.rules.clone()),
        _ => panic!("one file"),
    }
}

#[test]
fn formats_only_the_sentences() {
    let (text, rules) = format_file(Path::new(MESSY));
    assert_eq!(
        rules,
        [
            "plain-spacing",
            "double-quoted",
            "single-quoted",
            "folded",
            "quoted-metric-first"
        ]
    );
    let original = std::fs::read_to_string(MESSY).unwrap();
    // Every line that holds no sentence is byte for byte the same.
    let kept = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.trim_start().starts_with("rule:") && line.starts_with("    "))
            .filter(|line| line.contains(':'))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(kept(&original), kept(&text));
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("fmt_messy_pack", text);
    });
}

#[test]
fn formatting_twice_changes_nothing_more() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fmt-twice");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("messy.yaml");
    let (once, _) = format_file(Path::new(MESSY));
    std::fs::write(&copy, &once).unwrap();
    let (twice, changed) = format_file(&copy);
    assert!(changed.is_empty(), "{changed:?}");
    assert_eq!(once, twice);
}

#[test]
fn the_default_pack_is_canonical() {
    let pack = assure::load_pack(None).unwrap();
    assert!(format_pack(&pack).unwrap().is_empty());
}

/// Sentences in the language, spelled untidily: random keyword case, extra spaces, an
/// optional `the` before `score`.
fn sentence() -> impl Strategy<Value = String> {
    let metric = prop::sample::select(vec![
        "supported living sourced within timescale",
        "choice over services",
        "care home admissions 65 and over",
        "social care-related quality of life",
        "\"feel safe\"",
        "people waiting for a care act assessment",
        "care act assessment waiting days",
    ]);
    let reference = prop::sample::select(vec![
        "target",
        "england average",
        "regional average",
        "comparator average",
        "previous",
        "75%",
        "28 days",
        "0.5",
        "12",
    ]);
    let margin = prop::sample::select(vec![
        "",
        " by more than 5 points",
        " by at least 2 points",
        " by more than 10%",
    ]);
    let metric_test = (
        metric.clone(),
        prop::sample::select(vec![
            "below",
            "above",
            "at or below",
            "at or above",
            "worse than",
            "better than",
            "in line with",
        ]),
        reference,
        margin.clone(),
    )
        .prop_map(|(m, op, r, margin)| {
            let margin = if op == "in line with" { "" } else { margin };
            // A stated threshold carries a unit only when the metric is measured in it.
            let percent = [
                "supported living sourced within timescale",
                "choice over services",
                "\"feel safe\"",
            ]
            .contains(&m);
            let days = m == "care act assessment waiting days";
            let r = match r {
                "75%" if !percent => "75",
                "28 days" if !days => "28",
                r => r,
            };
            format!("{m} {op} {r}{margin}")
        });
    let trend = (
        metric.clone(),
        prop::sample::select(vec!["improving", "declining", "is missing"]),
    )
        .prop_map(|(m, t)| format!("{m} {t}"));
    let findings = (
        prop::sample::select(vec!["any", "no", "at least 3", "most"]),
        prop::sample::select(vec!["", " positive", " negative", " mixed"]),
        prop::sample::select(vec![
            "",
            " from people's experience",
            " from feedback from partners",
            " from processes",
        ]),
        prop::sample::select(vec![
            "",
            " tagged \"waiting lists\"",
            " tagged \"a\", \"b\"",
        ]),
    )
        .prop_map(|(q, s, c, t)| {
            let noun = if q == "any" { "finding" } else { "findings" };
            // `most` compares one sentiment with the rest, so it needs one.
            let s = if q == "most" && s.is_empty() {
                " negative"
            } else {
                s
            };
            format!("{q}{s} {noun}{c}{t}")
        });
    let evidence = prop::sample::select(vec![
        "no evidence from outcomes".to_string(),
        "no evidence of choice over services".to_string(),
    ]);
    let test = prop_oneof![metric_test, trend, findings, evidence];
    let condition = test.prop_recursive(3, 8, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} and {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} or {b}")),
            inner.clone().prop_map(|a| format!("not ({a})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a} or {b}) and {a}")),
        ]
    });
    let effect = prop::sample::select(vec![
        "lowers score",
        "lowers the score by 2",
        "raises score",
        "caps score at 2",
        "lifts score to at least 2",
        "has no effect",
    ]);
    let unless = prop::option::of(prop::sample::select(vec![
        "choice over services improving",
        "any positive finding from processes",
    ]));
    (condition, effect, unless, any::<u64>()).prop_map(|(c, e, u, noise)| {
        let sentence = match u {
            Some(u) => format!("{c} {e} unless {u}"),
            None => format!("{c} {e}"),
        };
        untidy(&sentence, noise)
    })
}

/// Found by the pack round-trip property: a sentence that opens with a quoted metric name
/// lost its opening quote when formatted, written double-quoted (`"\"feel safe\" ..."`)
/// or in a folded block.
#[test]
fn a_sentence_opening_with_a_quoted_name_formats() {
    let header = "pack: p\nversion: 1\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n  - id: r1\n";
    let cases = [
        (
            "    rule: \"\\\"feel safe\\\" below  previous lowers score\"\n",
            "    rule: \"feel safe below previous lowers score\"\n",
        ),
        (
            "    rule: >-\n      \"feel safe\" below  previous lowers score\n",
            "    rule: >-\n      feel safe below previous lowers score\n",
        ),
    ];
    for (written, expected) in cases {
        let text = format!("{header}{written}    why: w\n    cites: c\n");
        let files = [assure::source::diagnostic::SourceFile::new(
            "p.yaml",
            text.as_str(),
        )];
        let pack = assure::load_pack_files(&files).expect("loads");
        let formatted = format_pack(&pack).expect("formats");
        verify(&pack, &files, &formatted).expect("keeps the meaning");
        assert!(
            formatted[0].text.contains(expected),
            "{}",
            formatted[0].text
        );
    }
}

/// Upper-cases some keywords and doubles some spaces, driven by the bits of `noise`.
fn untidy(sentence: &str, noise: u64) -> String {
    let mut in_quotes = false;
    let mut out = String::new();
    for (index, word) in sentence.split(' ').enumerate() {
        let bit = |n: usize| noise >> ((index * 2 + n) % 64) & 1 == 1;
        if index > 0 {
            out.push_str(if bit(0) && !in_quotes { "  " } else { " " });
        }
        let quotes = word.matches('"').count();
        let keyword = !in_quotes && quotes == 0;
        if keyword && bit(1) && ["below", "and", "or", "score", "raises", "lowers"].contains(&word)
        {
            out.push_str(&word.to_uppercase());
        } else {
            out.push_str(word);
        }
        if quotes % 2 == 1 {
            in_quotes = !in_quotes;
        }
    }
    out
}

proptest! {
    #[test]
    fn printing_round_trips(sentence in sentence()) {
        let parsed = assure::lang::parse::parse_rule(&sentence)
            .unwrap_or_else(|e| panic!("`{sentence}` should parse: {}", e.message));
        let printed = parsed.to_string();
        let reparsed = assure::lang::parse::parse_rule(&printed)
            .unwrap_or_else(|e| panic!("canonical `{printed}` should parse: {}", e.message));
        prop_assert_eq!(ast_json(&parsed), ast_json(&reparsed), "tree of `{}`", printed);
        prop_assert_eq!(reparsed.to_string(), printed);
    }

    /// A whole pack, its sentences written in plain, quoted and folded YAML: formatting
    /// keeps its meaning (the same content hash), leaves every sentence canonical, and
    /// formatting the result again changes nothing.
    #[test]
    fn formatting_a_pack_round_trips_and_is_idempotent(
        sentences in proptest::collection::vec((sentence(), 0usize..3), 1..6)
    ) {
        let mut text = String::from("pack: generated\nversion: 1\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n");
        for (index, (sentence, style)) in sentences.iter().enumerate() {
            let scalar = match style {
                0 => format!("\"{}\"", sentence.replace('\\', "\\\\").replace('"', "\\\"")),
                1 => format!("'{}'", sentence.replace('\'', "''")),
                _ => format!(">-\n      {sentence}"),
            };
            text.push_str(&format!("  - id: r{index}\n    rule: {scalar}\n    why: w\n    cites: c\n"));
        }
        let files = [assure::source::diagnostic::SourceFile::new("generated.yaml", text.as_str())];
        let pack = assure::load_pack_files(&files)
            .unwrap_or_else(|f| panic!("generated pack should load:\n{}\n{text}", f.render()));
        let formatted = format_pack(&pack).expect("formats");
        verify(&pack, &files, &formatted).expect("keeps the meaning");
        let once = formatted.first().map_or(text.clone(), |f| f.text.clone());
        let again = assure::load_pack_files(&[assure::source::diagnostic::SourceFile::new("generated.yaml", once.as_str())])
            .expect("the formatted pack loads");
        prop_assert_eq!(&again.hash, &pack.hash);
        prop_assert!(format_pack(&again).expect("formats").is_empty(), "a second format changes:\n{}", once);
    }
}
