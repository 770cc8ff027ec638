//! Any bytes as a path for `-o`, spelt from parts of a scratch folder: the inputs a run
//! read (a pack folder and an evidence file), links to them (symbolic and hard), a
//! dangling link, a link to /dev/null, folders and new names, through `.` and `..`. Never
//! a panic; no input changes, whatever the spelling; no new file appears in the folder
//! read as a pack with an extension it reads; /dev/null stays a device; whatever is
//! reported written holds exactly the report.
#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

const PARTS: [&str; 16] = [
    "pack", "a.yaml", "b.yml", "new.yaml", "ev.yaml", "other.txt", "sub", "link-a",
    "link-pack", "dangling", "null", "hard-ev", ".", "..", "report.txt", "",
];

const REPORT: &[u8] = b"the report\n";

fn scratch() -> PathBuf {
    let root = std::env::temp_dir().join(format!("assure-fuzz-output-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("pack")).expect("scratch");
    std::fs::create_dir_all(root.join("sub")).expect("scratch");
    std::fs::write(root.join("pack/a.yaml"), "pack: a\n").expect("write");
    std::fs::write(root.join("pack/b.yml"), "statement: b\n").expect("write");
    std::fs::write(root.join("ev.yaml"), "authority: x\nitems: []\n").expect("write");
    std::fs::write(root.join("other.txt"), "other\n").expect("write");
    let link = |to: &Path, name: &str| {
        let _ = std::os::unix::fs::symlink(to, root.join(name));
    };
    link(&root.join("pack/a.yaml"), "link-a");
    link(&root.join("pack"), "link-pack");
    link(&root.join("nowhere"), "dangling");
    link(Path::new("/dev/null"), "null");
    let _ = std::fs::hard_link(root.join("ev.yaml"), root.join("hard-ev"));
    root
}

/// Every regular file under `dir`, by path, with its bytes (links not followed).
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file()
                && let Ok(bytes) = std::fs::read(&path)
            {
                found.insert(path, bytes);
            }
        }
    }
    found
}

/// A path under `root` from the bytes: each byte picks a part; `..` never climbs above
/// `root`, so the run writes nowhere else.
fn spell(root: &Path, data: &[u8]) -> PathBuf {
    let mut path = root.to_path_buf();
    let mut depth = 0usize;
    for byte in data.iter().take(6) {
        let part = PARTS[*byte as usize % PARTS.len()];
        match part {
            ".." if depth == 0 => continue,
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
        path.push(part);
    }
    path
}

fuzz_target!(|data: &[u8]| {
    let root = scratch();
    assure::source::inputs::forget();
    // What a run reads: the pack folder (listed) and the evidence file.
    assure::pack_files(Some(&root.join("pack"))).expect("the pack reads");
    assure::pack_files(Some(&root.join("ev.yaml"))).expect("the evidence reads");
    let before = files(&root);
    let (first, second) = data.split_at(data.len() / 2);
    let targets = [spell(&root, first), spell(&root, second)];
    let outcome = match data.first().map(|b| b % 2) {
        Some(0) => {
            let pairs: Vec<(&Path, &[u8])> = targets.iter().map(|t| (t.as_path(), REPORT)).collect();
            assure::source::output::write_all(&pairs).map(|()| targets.to_vec())
        }
        _ => assure::source::output::write_all(&[(targets[0].as_path(), REPORT)]).map(|()| vec![targets[0].clone()]),
    };
    let after = files(&root);
    let inputs = ["pack/a.yaml", "pack/b.yml", "ev.yaml", "hard-ev"];
    for input in inputs {
        let path = root.join(input);
        assert_eq!(before.get(&path), after.get(&path), "{input} changed");
    }
    for path in after.keys() {
        let in_pack = path.parent() == Some(&root.join("pack"));
        let read_kind = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        assert!(
            !in_pack || !read_kind || before.contains_key(path),
            "{} was written into the folder read as a pack",
            path.display()
        );
    }
    use std::os::unix::fs::FileTypeExt;
    let null = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(null.file_type().is_char_device(), "/dev/null was replaced");
    if let Ok(written) = outcome {
        for target in written {
            if std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
                let text = std::fs::read(&target).unwrap_or_default();
                assert_eq!(text, REPORT, "{} does not hold the report", target.display());
            }
        }
    }
});
