//! Finding and reading a pack's test case files, and the folder their evidence must stay
//! inside.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::pack::Pack;
use crate::packtest::cases::{CaseFile, tidy_path};
use crate::packtest::problem::Problem;
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile};
use crate::source::files::{read_all, read_source, yaml_files_in};

/// The default pack's test cases (a test checks this list against `rules/cqc-la/tests/`).
pub const DEFAULT_PACK_CASES: &[(&str, &str)] = &[
    (
        "rules/cqc-la/tests/absence.yaml",
        include_str!("../../rules/cqc-la/tests/absence.yaml"),
    ),
    (
        "rules/cqc-la/tests/assessing-needs.yaml",
        include_str!("../../rules/cqc-la/tests/assessing-needs.yaml"),
    ),
    (
        "rules/cqc-la/tests/care-provision-integration-continuity.yaml",
        include_str!("../../rules/cqc-la/tests/care-provision-integration-continuity.yaml"),
    ),
    (
        "rules/cqc-la/tests/equity-in-experience-and-outcomes.yaml",
        include_str!("../../rules/cqc-la/tests/equity-in-experience-and-outcomes.yaml"),
    ),
    (
        "rules/cqc-la/tests/governance-management-sustainability.yaml",
        include_str!("../../rules/cqc-la/tests/governance-management-sustainability.yaml"),
    ),
    (
        "rules/cqc-la/tests/learning-improvement-innovation.yaml",
        include_str!("../../rules/cqc-la/tests/learning-improvement-innovation.yaml"),
    ),
    (
        "rules/cqc-la/tests/partnerships-and-communities.yaml",
        include_str!("../../rules/cqc-la/tests/partnerships-and-communities.yaml"),
    ),
    (
        "rules/cqc-la/tests/safe-pathways-systems-transitions.yaml",
        include_str!("../../rules/cqc-la/tests/safe-pathways-systems-transitions.yaml"),
    ),
    (
        "rules/cqc-la/tests/safeguarding.yaml",
        include_str!("../../rules/cqc-la/tests/safeguarding.yaml"),
    ),
    (
        "rules/cqc-la/tests/supporting-healthier-lives.yaml",
        include_str!("../../rules/cqc-la/tests/supporting-healthier-lives.yaml"),
    ),
];

/// Loads a pack's test cases: the files of `cases` (a directory's YAML files sorted by name,
/// or one file), else the `tests/` directory of a pack directory, else (no pack named) the
/// default pack's cases compiled into the binary. Fails when no case file can be found or
/// read, or an evidence file a case names cannot be read.
///
/// A case file may name evidence only inside `evidence_root`: by default the pack's
/// directory, or the folder of the case files when they are named apart from a pack
/// directory. The built-in cases read only the bundled examples. A case file can come
/// from anyone (a pull request, say), so it must not be able to read the machine's files.
pub fn load_cases(
    pack_path: Option<&Path>,
    cases: Option<&Path>,
    evidence_root: Option<&Path>,
    pack: &Pack,
) -> Result<Vec<CaseFile>, Failure> {
    let files = case_files(pack_path, cases)?;
    let root = match (evidence_root, cases, pack_path) {
        (Some(root), _, _) => Some(root.to_path_buf()),
        (None, None, Some(pack)) if pack.is_dir() => Some(pack.to_path_buf()),
        (None, Some(cases), Some(pack))
            if pack.is_dir() && tidy_path(cases).starts_with(tidy_path(pack)) =>
        {
            Some(pack.to_path_buf())
        }
        (None, Some(cases), _) if cases.is_dir() => Some(cases.to_path_buf()),
        (None, Some(cases), _) => Some(folder_of(cases).to_path_buf()),
        _ => None,
    };
    let root = match root {
        Some(root) => Some(EvidenceRoot::new(&root)?),
        None => None,
    };
    let mut read = |path: &Path| -> Result<Arc<SourceFile>, Diagnostic> {
        let Some(root) = &root else {
            let path = path.display().to_string();
            return Err(Problem::BuiltInReadsOnlyExamples { path }.into());
        };
        root.admit(path)?;
        read_source(path)
    };
    crate::packtest::cases::load(&files, pack, &mut read)
}

/// The folder a case file's evidence must stay inside, as given and with links resolved.
struct EvidenceRoot {
    shown: String,
    tidy: PathBuf,
    real: PathBuf,
}

impl EvidenceRoot {
    fn new(root: &Path) -> Result<EvidenceRoot, Diagnostic> {
        let shown = root.display().to_string();
        let real = std::fs::canonicalize(root).map_err(|e| Problem::EvidenceRootUnreadable {
            folder: shown.clone(),
            reason: crate::source::files::io_reason(&e),
        })?;
        if !real.is_dir() {
            return Err(Problem::EvidenceRootNotADirectory { folder: shown }.into());
        }
        Ok(EvidenceRoot {
            shown,
            tidy: tidy_path(&absolute(root)),
            real,
        })
    }

    /// An error, before the file is touched, when `path` leads outside the root: by `..`
    /// or, once links are resolved, by a symbolic link. Whether a file outside exists is
    /// never told.
    fn admit(&self, path: &Path) -> Result<(), Diagnostic> {
        let outside = || {
            Diagnostic::from(Problem::EvidenceOutsideRoot {
                path: path.display().to_string(),
                root: self.shown.clone(),
            })
        };
        if !tidy_path(&absolute(path)).starts_with(&self.tidy) {
            return Err(outside());
        }
        match std::fs::canonicalize(path) {
            Ok(real) if !real.starts_with(&self.real) => Err(outside()),
            _ => Ok(()),
        }
    }
}

/// `path` from the filesystem root, without resolving links.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .map(|dir| dir.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn case_files(
    pack_path: Option<&Path>,
    cases: Option<&Path>,
) -> Result<Vec<Arc<SourceFile>>, Failure> {
    let folder = match (cases, pack_path) {
        (Some(cases), _) if !cases.is_dir() => return Ok(vec![read_source(cases)?]),
        (Some(cases), _) => cases.to_path_buf(),
        (None, None) => {
            return Ok(DEFAULT_PACK_CASES
                .iter()
                .map(|(name, text)| SourceFile::new(*name, *text))
                .collect());
        }
        (None, Some(pack)) if pack.is_dir() => pack.join("tests"),
        (None, Some(pack)) => {
            let pack = pack.display().to_string();
            return Err(Diagnostic::from(Problem::SingleFilePackHasNoTests { pack }).into());
        }
    };
    if !folder.is_dir() {
        let folder = folder.display().to_string();
        return Err(Diagnostic::from(Problem::NoCasesDirectory { folder }).into());
    }
    let paths = yaml_files_in(&folder)?;
    if paths.is_empty() {
        let folder = folder.display().to_string();
        return Err(Diagnostic::from(Problem::NoCaseFiles { folder }).into());
    }
    read_all(&paths)
}
