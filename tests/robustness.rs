//! Hostile and broken input: each case is refused with exit 2, nothing on standard output,
//! and a message (snapshotted, so wording and position show in review) that names the file
//! and, where there is one, the line and column. The inputs too large to keep in git are
//! written here; the small ones are fixtures in tests/fixtures/{evidence,packs,parse}.
//! Then: no command writes to its inputs, and a run killed part way leaves no partial output.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::{assure, assure_in, scratch, stderr, stdout};

const ITEM: &str = "  - id: x\n    statement: assessing-needs\n    category: processes\n    finding: A finding.\n    sentiment: positive\n";

const PACK_HEAD: &str = "pack: hostile\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n  - id: r1\n    why: w\n    cites: c\n    rule: ";

fn evidence(items: &str) -> String {
    format!("authority: Hostile Council\nitems:\n{items}")
}

/// Runs `args` in `dir`, expects a refusal, and returns the message.
fn refused(dir: &Path, args: &[&str]) -> String {
    let output = assure_in(dir, args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?} should fail with exit 2:\n{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "", "nothing on stdout when {args:?} fails");
    stderr(&output)
}

fn snapshot(name: &str, message: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, message);
    });
}

#[test]
fn a_file_over_16_mib_is_refused_before_it_is_read() {
    let dir = scratch("hostile-huge");
    let padding = "# padding\n".repeat(17 * 1024 * 1024 / 10);
    std::fs::write(dir.join("huge.yaml"), evidence(ITEM) + &padding).unwrap();
    snapshot("hostile_huge_file", &refused(&dir, &["score", "huge.yaml"]));
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_at_the_size_limit() {
    if Path::new("/dev/zero").exists() {
        let message = refused(Path::new("/"), &["score", "/dev/zero"]);
        assert!(message.contains("larger than 16 MiB"), "{message}");
    }
}

#[test]
fn a_line_over_1_mib_is_refused_where_it_passes_the_limit() {
    let dir = scratch("hostile-long-line");
    let item = ITEM.replace("A finding.", &"very long ".repeat(120_000));
    std::fs::write(dir.join("long-line.yaml"), evidence(&item)).unwrap();
    snapshot(
        "hostile_long_line",
        &refused(&dir, &["score", "long-line.yaml"]),
    );
}

#[test]
fn an_alias_that_multiplies_text_is_refused() {
    let dir = scratch("hostile-alias-text");
    let item = ITEM.replace("A finding.", &format!("&text {}", "x".repeat(200_000)));
    let copies = "*text, ".repeat(200);
    let text = evidence(&format!("{item}    tags: [{copies}]\n"));
    std::fs::write(dir.join("alias-text.yaml"), text).unwrap();
    let message = refused(&dir, &["score", "alias-text.yaml"]);
    // The snippet line is 200,000 characters of `x`; the first line says it all.
    snapshot("hostile_alias_text", message.lines().next().unwrap_or(""));
}

#[test]
fn a_rule_sentence_of_100000_words_is_refused() {
    let dir = scratch("hostile-long-sentence");
    let sentence = format!("{}above 28 lowers score", "waiting ".repeat(100_000));
    std::fs::write(dir.join("pack.yaml"), format!("{PACK_HEAD}{sentence}\n")).unwrap();
    std::fs::write(dir.join("council.yaml"), evidence(ITEM)).unwrap();
    snapshot(
        "hostile_sentence_of_100000_words",
        &refused(&dir, &["score", "--rules", "pack.yaml", "council.yaml"]),
    );
}

/// 1,000 `not`s overflowed the parser's stack before the nesting limit.
#[test]
fn a_thousand_nots_are_refused_without_overflowing_the_stack() {
    let dir = scratch("hostile-nots");
    let sentence = format!(
        "{}care act assessment waiting days above 28 lowers score",
        "not ".repeat(450)
    );
    std::fs::write(dir.join("pack.yaml"), format!("{PACK_HEAD}{sentence}\n")).unwrap();
    let message = refused(&dir, &["check", "pack.yaml"]);
    assert!(message.contains("more than 24 levels deep"), "{message}");
    let sentence = format!(
        "{}care act assessment waiting days above 28{} lowers score",
        "(".repeat(900),
        ")".repeat(900)
    );
    std::fs::write(dir.join("pack.yaml"), format!("{PACK_HEAD}{sentence}\n")).unwrap();
    let message = refused(&dir, &["check", "pack.yaml"]);
    assert!(message.contains("more than 24 levels deep"), "{message}");
}

#[test]
fn missing_files_and_directories_are_named() {
    let dir = scratch("hostile-paths");
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    std::fs::write(dir.join("council.yaml"), evidence(ITEM)).unwrap();
    let cases = [
        refused(&dir, &["score", "nowhere.yaml"]),
        refused(&dir, &["score", "--rules", "nowhere", "council.yaml"]),
        refused(&dir, &["calibrate", "folder", "council.yaml"]),
        refused(&dir, &["score", "council.yaml", "-o", "folder"]),
        refused(&dir, &["score", "folder"]),
    ];
    snapshot("hostile_paths", &cases.join("\n"));
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn no_command_writes_to_its_inputs() {
    let dir = scratch("inputs-untouched");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::create_dir_all(dir.join("published")).unwrap();
    std::fs::copy(
        root.join("examples/published/published-scores.yaml"),
        dir.join("published/published-scores.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("pack")).unwrap();
    for entry in std::fs::read_dir(root.join("rules/cqc-la")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.join("pack").join(path.file_name().unwrap())).unwrap();
        }
    }
    let before = contents(&dir);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let runs: &[&[&str]] = &[
        &["score", "medway.yaml", "staffordshire.yaml"],
        &[
            "score",
            "--rules",
            "pack",
            "medway.yaml",
            "--format",
            "json",
            "-o",
            "out/score.json",
        ],
        &[
            "score",
            "staffordshire.yaml",
            "--format",
            "html",
            "-o",
            "out/report.html",
        ],
        &[
            "score",
            "medway.yaml",
            "staffordshire.yaml",
            "--format",
            "md",
            "-o",
            "out/md",
        ],
        &["explain", "medway.yaml", "--rules", "pack"],
        &["gaps", "staffordshire.yaml", "-o", "out/gaps.txt"],
        &["check", "pack"],
        &["fmt", "--check", "pack"],
        &["diff", "pack", "pack", "medway.yaml"],
        &["calibrate", "published/published-scores.yaml", "."],
    ];
    for args in runs {
        let output = assure_in(&dir, args);
        assert!(
            output.status.code().is_some_and(|code| code < 2),
            "{args:?} failed:\n{}",
            stderr(&output)
        );
    }
    let after = contents(&dir);
    for (name, bytes) in &before {
        assert_eq!(after.get(name), Some(bytes), "{name} changed");
    }
    let written: Vec<&String> = after
        .keys()
        .filter(|name| !before.contains_key(*name))
        .collect();
    assert!(
        written.iter().all(|name| name.starts_with("out/")),
        "written outside out/: {written:?}"
    );
    assert_eq!(written.len(), 5, "{written:?}");
}

/// A run killed at any moment leaves either no output file or the whole of it: output is
/// written to a temporary file beside the target and renamed over it.
#[test]
fn a_killed_run_leaves_no_partial_output() {
    let dir = scratch("killed-run");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("examples/staffordshire.yaml"),
        dir.join("council.yaml"),
    )
    .unwrap();
    let args = [
        "score",
        "council.yaml",
        "--format",
        "html",
        "-o",
        "report.html",
    ];
    let complete = assure_in(&dir, &args);
    assert!(complete.status.success(), "{}", stderr(&complete));
    let expected = std::fs::read(dir.join("report.html")).unwrap();
    for step in 0..12u64 {
        std::fs::remove_file(dir.join("report.html")).ok();
        let mut child = Command::new(env!("CARGO_BIN_EXE_assure"))
            .args(args)
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(step * step * 10));
        child.kill().ok();
        child.wait().unwrap();
        if let Ok(written) = std::fs::read(dir.join("report.html")) {
            assert_eq!(
                written,
                expected,
                "a partial report after {} ms",
                step * step * 10
            );
        }
    }
}

#[test]
fn the_same_run_twice_gives_the_same_bytes() {
    let first = assure(&[
        "score",
        "examples/medway.yaml",
        "examples/staffordshire.yaml",
        "--format",
        "json",
    ]);
    let second = assure(&[
        "score",
        "examples/medway.yaml",
        "examples/staffordshire.yaml",
        "--format",
        "json",
    ]);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    let first = assure(&["score", "examples/staffordshire.yaml", "--format", "html"]);
    let second = assure(&["score", "examples/staffordshire.yaml", "--format", "html"]);
    assert_eq!(first.stdout, second.stdout);
}

/// Numbers at the limit (just under one trillion, or with 26 decimal places) go through
/// every command, with margins at the limit too: every sum and product the engine forms
/// fits (issue 18: a 28-digit value or margin panicked with "Multiplication overflowed").
#[test]
fn numbers_at_the_limit_go_through_every_command() {
    let dir = scratch("numbers-at-the-limit");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join("tests/fixtures/evidence/ok_values_at_the_limit.yaml"),
        dir.join("council.yaml"),
    )
    .unwrap();
    let rules = [
        "care act assessment waiting days worse than previous by more than 999999999999% lowers score",
        "people waiting for a care act assessment improving by at least 999999999999.99 points raises score",
        "satisfied with care and support worse than england average by more than 0.0000000000000000000000001% lowers score",
        "care act assessment waiting days in line with target has no effect",
        "care act assessment waiting days below 999999999999 days lowers score",
    ];
    let mut pack = String::from(
        "pack: limits\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n",
    );
    for (i, rule) in rules.iter().enumerate() {
        pack.push_str(&format!(
            "  - id: r{i}\n    why: w\n    cites: c\n    rule: {rule}\n"
        ));
    }
    std::fs::write(dir.join("pack.yaml"), pack).unwrap();
    std::fs::write(
        dir.join("cases.yaml"),
        "cases:\n  - name: at the limit\n    evidence: council.yaml\n    expect: {fired: {assessing-needs: [r0]}}\n",
    )
    .unwrap();
    let runs: &[&[&str]] = &[
        &["score", "council.yaml"],
        &[
            "score",
            "council.yaml",
            "--rules",
            "pack.yaml",
            "--format",
            "json",
        ],
        &[
            "score",
            "council.yaml",
            "--rules",
            "pack.yaml",
            "--format",
            "html",
        ],
        &["explain", "council.yaml", "--rules", "pack.yaml"],
        &["gaps", "council.yaml", "--rules", "pack.yaml"],
        &["check", "pack.yaml"],
        &["test", "pack.yaml", "--cases", "cases.yaml"],
        &["diff", "pack.yaml", "pack.yaml", "council.yaml"],
    ];
    for args in runs {
        let output = assure_in(&dir, args);
        assert!(
            output.status.code().is_some_and(|code| code < 2),
            "{args:?}:\n{}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("panicked"), "{args:?}");
    }
}
