//! Where `-o` may write (docs/robustness.md): never over a file the run read, however the
//! path is spelt; never a new file into a folder the run read a pack, cases or evidence
//! from; a character device or a pipe written to directly and never replaced; a directory,
//! a missing folder or a dangling link refused clearly; every destination checked before
//! the first is written. The property test at the end tries every command against every
//! file it reads, under every spelling.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

mod common;
use common::{assure_in, scratch, stderr, stdout};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy(from: &str, to: &Path) {
    if let Some(folder) = to.parent() {
        std::fs::create_dir_all(folder).unwrap();
    }
    std::fs::copy(root().join(from), to).unwrap();
}

/// A folder with a pack and its cases, evidence, published scores, a table and a mapping:
/// everything some command reads.
fn workspace(name: &str) -> PathBuf {
    let dir = scratch(name);
    for file in ["pack.yaml", "assessing-needs.yaml", "safeguarding.yaml"] {
        copy(
            &format!("tests/fixtures/cases/pack/{file}"),
            &dir.join("pack").join(file),
        );
    }
    for file in ["waits.yaml", "people.yaml"] {
        copy(
            &format!("tests/fixtures/cases/pack/tests/{file}"),
            &dir.join("pack/tests").join(file),
        );
    }
    copy(
        "tests/fixtures/cases/evidence/slow-council.yaml",
        &dir.join("evidence/slow-council.yaml"),
    );
    copy("examples/medway.yaml", &dir.join("council.yaml"));
    std::fs::create_dir_all(dir.join("published")).unwrap();
    std::fs::write(
        dir.join("published/published-scores.yaml"),
        "- authority: Staffordshire County Council\n  file: staffordshire.yaml\n  overall: Good\n  scores: {assessing-needs: 3}\n\
         - authority: Medway Council\n  file: medway.yaml\n  overall: Requires improvement\n  scores: {assessing-needs: 2}\n",
    )
    .unwrap();
    for file in ["medway.yaml", "staffordshire.yaml"] {
        copy(
            &format!("examples/{file}"),
            &dir.join("published").join(file),
        );
    }
    copy("tests/fixtures/import/mapping.csv", &dir.join("table.csv"));
    copy("tests/fixtures/import/mapping.yaml", &dir.join("map.yaml"));
    dir
}

/// Every file under `dir` with its bytes (links read through).
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, bytes);
            }
        }
    }
    files
}

/// A command, and the files of the workspace it reads.
struct Run {
    args: &'static [&'static str],
    reads: &'static [&'static str],
}

const RUNS: &[Run] = &[
    Run {
        args: &["score", "--rules", "pack", "council.yaml"],
        reads: &[
            "council.yaml",
            "pack/pack.yaml",
            "pack/assessing-needs.yaml",
            "pack/safeguarding.yaml",
        ],
    },
    Run {
        args: &[
            "score",
            "--rules",
            "pack",
            "council.yaml",
            "--format",
            "html",
        ],
        reads: &["council.yaml", "pack/safeguarding.yaml"],
    },
    Run {
        args: &["explain", "--rules", "pack/pack.yaml", "council.yaml"],
        reads: &["council.yaml", "pack/pack.yaml"],
    },
    Run {
        args: &[
            "gaps",
            "--rules",
            "pack",
            "council.yaml",
            "--format",
            "json",
        ],
        reads: &["council.yaml", "pack/assessing-needs.yaml"],
    },
    Run {
        args: &["test", "pack", "--evidence-root", "."],
        reads: &[
            "pack/pack.yaml",
            "pack/tests/waits.yaml",
            "pack/tests/people.yaml",
            "evidence/slow-council.yaml",
        ],
    },
    Run {
        args: &["diff", "pack", "pack", "council.yaml", "--format", "md"],
        reads: &["council.yaml", "pack/safeguarding.yaml"],
    },
    Run {
        args: &[
            "calibrate",
            "published/published-scores.yaml",
            "--rules",
            "pack",
            "--format",
            "json",
        ],
        reads: &[
            "published/published-scores.yaml",
            "published/medway.yaml",
            "published/staffordshire.yaml",
            "pack/assessing-needs.yaml",
        ],
    },
    Run {
        args: &[
            "import",
            "table.csv",
            "--map",
            "map.yaml",
            "--rules",
            "pack",
        ],
        reads: &["table.csv", "map.yaml", "pack/pack.yaml"],
    },
];

/// The ways of naming one file: as read, through `./`, through `..`, from the root, and
/// by a symbolic or a hard link made for the purpose.
#[derive(Clone, Copy, Debug)]
enum Spelling {
    Plain,
    Dotted,
    Parent,
    Absolute,
    Symlink,
    Hardlink,
}

fn spell(dir: &Path, file: &str, spelling: Spelling) -> String {
    match spelling {
        Spelling::Plain => file.to_string(),
        Spelling::Dotted => format!("./{file}"),
        Spelling::Parent => format!("published/../{file}"),
        Spelling::Absolute => dir.join(file).display().to_string(),
        Spelling::Symlink => {
            std::os::unix::fs::symlink(dir.join(file), dir.join("link-out")).unwrap();
            "link-out".to_string()
        }
        Spelling::Hardlink => {
            std::fs::hard_link(dir.join(file), dir.join("hard-out")).unwrap();
            "hard-out".to_string()
        }
    }
}

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![
        Just(Spelling::Plain),
        Just(Spelling::Dotted),
        Just(Spelling::Parent),
        Just(Spelling::Absolute),
        Just(Spelling::Symlink),
        Just(Spelling::Hardlink),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the command and however its input is named, `-o` onto it is refused, and
    /// no file in the workspace changes.
    #[test]
    fn no_command_writes_over_a_file_it_read(run in 0..RUNS.len(), pick in any::<prop::sample::Index>(), spelling in spelling()) {
        let run = &RUNS[run];
        let file = run.reads[pick.index(run.reads.len())];
        let dir = workspace("outputs-property");
        let target = spell(&dir, file, spelling);
        let before = contents(&dir);
        let mut args: Vec<&str> = run.args.to_vec();
        args.extend(["-o", &target]);
        let output = assure_in(&dir, &args);
        prop_assert_eq!(output.status.code(), Some(2), "{:?}: {}", args, stderr(&output));
        prop_assert!(stderr(&output).contains("this run read it as an input"), "{}", stderr(&output));
        prop_assert_eq!(stdout(&output), "");
        prop_assert!(before == contents(&dir), "{:?} changed a file", args);
    }
}

fn snapshot(name: &str, message: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, message);
    });
}

fn refused(dir: &Path, args: &[&str]) -> String {
    let output = assure_in(dir, args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "", "{args:?}");
    stderr(&output)
}

/// The examples of the issue, one per command, and a new file into a folder read as a pack.
#[test]
fn the_inputs_of_every_command_are_refused_as_outputs() {
    let dir = workspace("outputs-inputs");
    let before = contents(&dir);
    let messages = [
        refused(
            &dir,
            &[
                "score",
                "--rules",
                "pack",
                "council.yaml",
                "-o",
                "pack/safeguarding.yaml",
            ],
        ),
        refused(
            &dir,
            &[
                "explain",
                "--rules",
                "pack/pack.yaml",
                "council.yaml",
                "-o",
                "./pack/../pack/pack.yaml",
            ],
        ),
        refused(
            &dir,
            &[
                "test",
                "pack",
                "--evidence-root",
                ".",
                "-o",
                "pack/tests/waits.yaml",
            ],
        ),
        refused(
            &dir,
            &[
                "import",
                "table.csv",
                "--map",
                "map.yaml",
                "--rules",
                "pack",
                "-o",
                "pack/x.yaml",
            ],
        ),
        refused(
            &dir,
            &[
                "test",
                "pack",
                "--evidence-root",
                ".",
                "-o",
                "pack/tests/new.yml",
            ],
        ),
    ];
    assert_eq!(before, contents(&dir));
    snapshot("outputs_refused_inputs", &messages.join("\n"));
    // A report is not a pack file: it may go beside the pack.
    let output = assure_in(
        &dir,
        &[
            "score",
            "--rules",
            "pack",
            "council.yaml",
            "-o",
            "pack/report.txt",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn destinations_that_cannot_be_written_are_named() {
    let dir = workspace("outputs-destinations");
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).unwrap();
    let messages = [
        refused(&dir, &["score", "council.yaml", "-o", "folder"]),
        refused(&dir, &["score", "council.yaml", "-o", "newdir/"]),
        refused(&dir, &["score", "council.yaml", "-o", "newdir/report.txt"]),
        refused(&dir, &["score", "council.yaml", "-o", "council.yaml/x"]),
        refused(&dir, &["score", "council.yaml", "-o", "dangling"]),
    ];
    snapshot("outputs_unwritable", &messages.join("\n"));
    assert!(!dir.join("nowhere").exists());
    // A dangling link left under target/ would trip the fixture tests' directory walk.
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `-o dir/` makes the directory for a council report.
#[test]
fn a_trailing_separator_names_a_new_directory_for_reports() {
    let dir = workspace("outputs-new-directory");
    let output = assure_in(
        &dir,
        &["score", "council.yaml", "--format", "md", "-o", "reports/"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(dir.join("reports/council.md").is_file());
}

/// Several reports: a destination that cannot be written stops the run before any is.
#[test]
fn every_destination_is_checked_before_any_is_written() {
    let dir = workspace("outputs-all-or-nothing");
    copy("examples/medway.yaml", &dir.join("a.yaml"));
    copy("examples/medway.yaml", &dir.join("b.yaml"));
    std::fs::create_dir_all(dir.join("out/b.html")).unwrap();
    let message = refused(
        &dir,
        &["score", "--format", "html", "a.yaml", "b.yaml", "-o", "out"],
    );
    assert!(!dir.join("out/a.html").exists(), "a.html was written");
    snapshot("outputs_all_or_nothing", &message);
}

/// A device is written to, not replaced; the target is never read (a pipe with no end
/// would hang a reader).
#[test]
fn a_character_device_or_a_pipe_is_written_directly() {
    let dir = workspace("outputs-special");
    let output = assure_in(&dir, &["score", "council.yaml", "-o", "/dev/null"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    use std::os::unix::fs::FileTypeExt;
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device(), "/dev/null was replaced");

    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let output = assure_in(&dir, &["score", "council.yaml", "-o", "pipe"]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let read = reader.join().unwrap();
        assert!(
            String::from_utf8_lossy(&read).contains("Medway Council"),
            "{read:?}"
        );
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced");
    }

    // Standard output by its /proc name, read by a pipe: written straight through.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_assure"))
        .args(["score", "council.yaml", "-o", "/proc/self/fd/1"])
        .current_dir(&dir)
        .output()
        .unwrap();
    if Path::new("/proc/self/fd/1").exists() {
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stdout(&output).contains("Medway Council"));
    }
}

/// A report replaced through a symbolic link replaces the file the link points to and
/// keeps the link, and a replaced file keeps its permissions; no temporary file is left.
#[test]
fn a_replaced_report_keeps_its_link_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = workspace("outputs-replace");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::write(dir.join("shared/report.txt"), "old").unwrap();
    std::fs::set_permissions(
        dir.join("shared/report.txt"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    std::os::unix::fs::symlink("shared/report.txt", dir.join("report.txt")).unwrap();
    let output = assure_in(&dir, &["score", "council.yaml", "-o", "report.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let link = std::fs::symlink_metadata(dir.join("report.txt")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let written = std::fs::read_to_string(dir.join("shared/report.txt")).unwrap();
    assert!(written.contains("Medway Council"));
    let mode = std::fs::metadata(dir.join("shared/report.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    let names: Vec<String> = std::fs::read_dir(dir.join("shared"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["report.txt"], "a temporary file was left behind");
}

/// A pack folder whose YAML entries are not all files is an error naming each, never
/// loaded with them left out.
#[test]
fn a_pack_folder_with_entries_that_are_not_files_is_refused() {
    let dir = workspace("outputs-pack-entries");
    let pack = dir.join("pack");
    std::os::unix::fs::symlink(pack.join("missing.yaml"), pack.join("dangling.yaml")).unwrap();
    std::os::unix::fs::symlink(pack.join("loop-b.yaml"), pack.join("loop-a.yaml")).unwrap();
    std::os::unix::fs::symlink(pack.join("loop-a.yaml"), pack.join("loop-b.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", pack.join("zero.yaml")).unwrap();
    std::fs::create_dir_all(pack.join("folder.yaml")).unwrap();
    let message = refused(&dir, &["score", "--rules", "pack", "council.yaml"]);
    snapshot("outputs_pack_entries", &message);
    let message = refused(&dir, &["check", "pack"]);
    assert!(message.contains("dangling.yaml"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A large file is replaced (it was once read whole first, to look for a byte order mark;
/// that the target is never read is shown by the pipe above, which a read would hang on).
#[test]
fn a_large_target_is_replaced() {
    let dir = workspace("outputs-large-target");
    let target = dir.join("big.txt");
    std::fs::File::create(&target)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let output = assure_in(&dir, &["score", "council.yaml", "-o", "big.txt"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(std::fs::metadata(&target).unwrap().len() < 1 << 20);
}
