//! Hostile text (tests/fixtures/escape) through every output: no terminal control reaches
//! text, Markdown or HTML; no markup survives into Markdown or HTML; a value cannot break
//! a table row, a code span or a link, or start a heading. The Markdown pages of
//! `calibrate` and `diff` and the text of `score` are snapshots, so the escaping is reviewed.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

mod common;
use common::{assure, stderr, stdout};

const DIR: &str = "tests/fixtures/escape";

fn run(args: &[&str]) -> String {
    let output = assure(args);
    assert!(
        output.status.code().is_some_and(|code| code < 2),
        "{args:?}: {}",
        stderr(&output)
    );
    assert_no_controls(&stderr(&output), args);
    stdout(&output)
}

fn assert_no_controls(text: &str, what: &[&str]) {
    let control = text.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\t')) || ('\u{202a}'..='\u{202e}').contains(c)
    });
    assert!(control.is_none(), "{what:?} printed {control:?}:\n{text}");
}

/// Markup from the files appears only escaped: in HTML as entities, in Markdown behind a
/// backslash (a `<` that starts a link to a web address is the report's own).
fn assert_no_markup(text: &str, what: &[&str]) {
    let html = what.contains(&"html");
    let text = &if html {
        text.to_string()
    } else {
        without_code_spans(text)
    };
    // A Markdown link's syntax is only text in HTML.
    let markups: &[&str] = match html {
        true => &["<script", "<img", "<b>", "<i>", "href=\"javascript"],
        false => &["<script", "<img", "<b>", "<i>", "](javascript"],
    };
    for markup in markups {
        let unescaped = text
            .match_indices(markup)
            .any(|(at, _)| html || !text[..at].ends_with('\\'));
        assert!(!unescaped, "{what:?} holds {markup}:\n{text}");
    }
}

/// Markdown with its code spans taken out: inside one, `<b>` is shown, not markup.
fn without_code_spans(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let fence = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let after = &rest[start + fence..];
        let mut search = 0;
        let close = loop {
            let Some(at) = after[search..].find('`') else {
                break None;
            };
            let at = search + at;
            let run = after[at..].len() - after[at..].trim_start_matches('`').len();
            if run == fence {
                break Some(at);
            }
            search = at + run;
        };
        match close {
            Some(at) => rest = &after[at + fence..],
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn no_terminal_control_reaches_any_output() {
    let council = format!("{DIR}/council.yaml");
    let pack = format!("{DIR}/pack.yaml");
    let published = format!("{DIR}/published.yaml");
    let runs: Vec<Vec<&str>> = vec![
        vec!["score", &council],
        vec!["score", &council, "--rules", &pack],
        vec!["score", &council, "--format", "md"],
        vec!["score", &council, "--format", "html"],
        vec!["score", &council, "--format", "json"],
        vec!["explain", &council, "--rules", &pack],
        vec!["gaps", &council, "--rules", &pack],
        vec!["check", &pack],
        vec!["check", &pack, "--format", "sarif"],
        vec!["diff", &pack, "rules/cqc-la", &council],
        vec!["diff", &pack, "rules/cqc-la", &council, "--format", "md"],
        vec!["calibrate", &published, "--rules", &pack],
        vec!["calibrate", &published, "--rules", &pack, "--format", "md"],
    ];
    for args in &runs {
        assert_no_controls(&run(args), args);
    }
}

#[test]
fn markdown_and_html_hold_no_markup_from_the_files() {
    let council = format!("{DIR}/council.yaml");
    let pack = format!("{DIR}/pack.yaml");
    let published = format!("{DIR}/published.yaml");
    let runs: Vec<Vec<&str>> = vec![
        vec!["score", &council, "--rules", &pack, "--format", "md"],
        vec!["score", &council, "--rules", &pack, "--format", "html"],
        vec!["diff", &pack, "rules/cqc-la", &council, "--format", "md"],
        vec!["calibrate", &published, "--rules", &pack, "--format", "md"],
    ];
    for args in &runs {
        let out = run(args);
        assert_no_markup(&out, args);
        // No value starts a Markdown line of its own: a line break in a name became a
        // space (in HTML a line break is only a space anyway).
        for line in out.lines().filter(|_| !args.contains(&"html")) {
            assert!(
                !line.starts_with("# Outstanding") && !line.starts_with("## injected"),
                "{args:?}: {line}"
            );
        }
    }
}

#[test]
fn the_escaped_pages_are_reviewed() {
    let council = format!("{DIR}/council.yaml");
    let pack = format!("{DIR}/pack.yaml");
    let published = format!("{DIR}/published.yaml");
    snapshot(
        "escape_calibrate_markdown",
        &run(&["calibrate", &published, "--rules", &pack, "--format", "md"]),
    );
    let diff = run(&["diff", &pack, "rules/cqc-la", &council, "--format", "md"]);
    // The default pack adds over two hundred rules: keep the table, not the long list.
    let table = diff
        .split("\nChanged rules that moved nothing")
        .next()
        .unwrap_or("");
    snapshot("escape_diff_markdown", table);
    snapshot(
        "escape_score_text",
        &run(&["score", &council, "--rules", &pack]),
    );
}

/// An error in a file with terminal escapes in it shows them as stand-ins.
#[test]
fn messages_about_a_hostile_file_are_safe_to_print() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("escape-messages");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.yaml");
    std::fs::write(
        &file,
        "authority: \"\\e]2;pwned\\a\"\nitems:\n  - id: \"\\e[2Jx\"\n    statement: \"\\e[31mnowhere\"\n",
    )
    .unwrap();
    let output = assure(&["score", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert_no_controls(&message, &["score", "bad.yaml"]);
    assert!(message.contains("\u{241b}[31mnowhere"), "{message}");
}
