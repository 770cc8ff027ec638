//! Any text as a pack's case file, read from disk inside a pack folder the way `assure
//! test` reads it, run and rendered every way: never a panic; the evidence a case names is
//! read only inside the pack (a valid evidence file beside the pack must never be
//! scored); a file inside the pack that is not evidence is never shown; the text report
//! holds no terminal control.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assure::pack::Pack;
use libfuzzer_sys::fuzz_target;

/// Words only the planted files hold: none may reach a report or a message.
const SECRETS: [&str; 2] = ["hunter2-outside", "hunter2-inside"];

const PACK: &str = "pack: fuzz\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nrules:\n  - id: waits-long\n    why: w\n    cites: c\n    rule: care act assessment waiting days above 28 lowers score\n";

const EVIDENCE: &str = "authority: Fuzz Council\nitems:\n  - id: waits\n    statement: assessing-needs\n    category: processes\n    metric: care act assessment waiting days\n    value: 40\n";

/// A folder with the pack (and its evidence, a file that is not evidence, and a link out)
/// and, beside the pack, a valid evidence file holding a secret.
fn layout() -> &'static (PathBuf, Pack) {
    static LAYOUT: OnceLock<(PathBuf, Pack)> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("assure-fuzz-cases-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let pack = root.join("pack");
        std::fs::create_dir_all(pack.join("tests")).expect("scratch");
        std::fs::create_dir_all(pack.join("evidence")).expect("scratch");
        std::fs::write(pack.join("pack.yaml"), PACK).expect("pack");
        std::fs::write(pack.join("evidence/council.yaml"), EVIDENCE).expect("evidence");
        std::fs::write(pack.join("evidence/secret.txt"), "password: hunter2-inside\n")
            .expect("secret");
        std::fs::write(
            root.join("secret.yaml"),
            EVIDENCE.replace("Fuzz Council", "hunter2-outside"),
        )
        .expect("secret");
        let _ = std::os::unix::fs::symlink(root.join("secret.yaml"), pack.join("evidence/out.yaml"));
        let loaded = assure::load_pack(Some(&pack)).expect("the fuzz pack loads");
        (pack, loaded)
    })
}

fn no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "a planted file was shown:\n{text}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if SECRETS.iter().any(|s| text.contains("hunter2") || text.contains(s)) {
        return;
    }
    let (pack_dir, pack) = layout();
    let case_file = pack_dir.join("tests/cases.yaml");
    if std::fs::write(&case_file, text).is_err() {
        return;
    }
    assure::source::inputs::forget();
    match assure::load_cases(Some(Path::new(pack_dir)), None, None, pack) {
        Err(failure) => no_secret(&failure.render()),
        Ok(files) => {
            let run = assure::packtest::run::run(pack, &files, None);
            let text = assure::report::testing::text(&run);
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "a control character in the text report"
            );
            no_secret(&text);
            no_secret(&assure::report::testing::json(&run).expect("JSON"));
            no_secret(&assure::report::testing::junit(&run));
            for warning in &run.warnings {
                no_secret(&warning.render());
            }
        }
    }
});
