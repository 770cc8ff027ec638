//! The I/O edge of the library: finds and reads packs and evidence files, and supplies the
//! built-in framework, catalogue and default pack compiled into the binary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cases::{CaseFile, tidy_path};
use crate::catalogue::Catalogue;
use crate::diagnostic::{Diagnostic, Failure, SourceFile};
use crate::evidence::Evidence;
use crate::files::read_source;
use crate::framework::Framework;
use crate::pack::Pack;

/// The built-in files, named as they sit in the repository.
const FRAMEWORK: (&str, &str) = (
    "rules/framework.yaml",
    include_str!("../rules/framework.yaml"),
);
const METRICS: (&str, &str) = ("rules/metrics.yaml", include_str!("../rules/metrics.yaml"));

/// The default pack's files (a test checks this list against `rules/cqc-la/`).
pub const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "rules/cqc-la/pack.yaml",
        include_str!("../rules/cqc-la/pack.yaml"),
    ),
    (
        "rules/cqc-la/assessing-needs.yaml",
        include_str!("../rules/cqc-la/assessing-needs.yaml"),
    ),
    (
        "rules/cqc-la/supporting-healthier-lives.yaml",
        include_str!("../rules/cqc-la/supporting-healthier-lives.yaml"),
    ),
    (
        "rules/cqc-la/equity-in-experience-and-outcomes.yaml",
        include_str!("../rules/cqc-la/equity-in-experience-and-outcomes.yaml"),
    ),
    (
        "rules/cqc-la/care-provision-integration-continuity.yaml",
        include_str!("../rules/cqc-la/care-provision-integration-continuity.yaml"),
    ),
    (
        "rules/cqc-la/partnerships-and-communities.yaml",
        include_str!("../rules/cqc-la/partnerships-and-communities.yaml"),
    ),
    (
        "rules/cqc-la/safe-pathways-systems-transitions.yaml",
        include_str!("../rules/cqc-la/safe-pathways-systems-transitions.yaml"),
    ),
    (
        "rules/cqc-la/safeguarding.yaml",
        include_str!("../rules/cqc-la/safeguarding.yaml"),
    ),
    (
        "rules/cqc-la/governance-management-sustainability.yaml",
        include_str!("../rules/cqc-la/governance-management-sustainability.yaml"),
    ),
    (
        "rules/cqc-la/learning-improvement-innovation.yaml",
        include_str!("../rules/cqc-la/learning-improvement-innovation.yaml"),
    ),
];

/// The default pack's test cases (a test checks this list against `rules/cqc-la/tests/`).
pub const DEFAULT_PACK_CASES: &[(&str, &str)] = &[
    (
        "rules/cqc-la/tests/absence.yaml",
        include_str!("../rules/cqc-la/tests/absence.yaml"),
    ),
    (
        "rules/cqc-la/tests/assessing-needs.yaml",
        include_str!("../rules/cqc-la/tests/assessing-needs.yaml"),
    ),
    (
        "rules/cqc-la/tests/care-provision-integration-continuity.yaml",
        include_str!("../rules/cqc-la/tests/care-provision-integration-continuity.yaml"),
    ),
    (
        "rules/cqc-la/tests/equity-in-experience-and-outcomes.yaml",
        include_str!("../rules/cqc-la/tests/equity-in-experience-and-outcomes.yaml"),
    ),
    (
        "rules/cqc-la/tests/governance-management-sustainability.yaml",
        include_str!("../rules/cqc-la/tests/governance-management-sustainability.yaml"),
    ),
    (
        "rules/cqc-la/tests/learning-improvement-innovation.yaml",
        include_str!("../rules/cqc-la/tests/learning-improvement-innovation.yaml"),
    ),
    (
        "rules/cqc-la/tests/partnerships-and-communities.yaml",
        include_str!("../rules/cqc-la/tests/partnerships-and-communities.yaml"),
    ),
    (
        "rules/cqc-la/tests/safe-pathways-systems-transitions.yaml",
        include_str!("../rules/cqc-la/tests/safe-pathways-systems-transitions.yaml"),
    ),
    (
        "rules/cqc-la/tests/safeguarding.yaml",
        include_str!("../rules/cqc-la/tests/safeguarding.yaml"),
    ),
    (
        "rules/cqc-la/tests/supporting-healthier-lives.yaml",
        include_str!("../rules/cqc-la/tests/supporting-healthier-lives.yaml"),
    ),
];

/// The CQC framework compiled into the binary.
pub fn builtin_framework() -> Result<Framework, Failure> {
    Framework::load(&SourceFile::new(FRAMEWORK.0, FRAMEWORK.1)).map_err(Failure::from)
}

/// The metric catalogue compiled into the binary.
pub fn builtin_catalogue() -> Result<Catalogue, Failure> {
    let mut catalogue = Catalogue::default();
    catalogue
        .extend_from(&SourceFile::new(METRICS.0, METRICS.1))
        .map_err(Failure::new)?;
    Ok(catalogue)
}

/// Loads a pack from a directory or a single YAML file; `None` means the default pack.
pub fn load_pack(path: Option<&Path>) -> Result<Pack, Failure> {
    load_pack_files(&pack_files(path)?)
}

/// The files of a pack, read but not yet parsed: a directory's YAML files sorted by name,
/// a single file, or (for `None`) the default pack compiled into the binary.
pub fn pack_files(path: Option<&Path>) -> Result<Vec<Arc<SourceFile>>, Failure> {
    match path {
        None => Ok(DEFAULT_PACK
            .iter()
            .map(|(name, text)| SourceFile::new(*name, *text))
            .collect()),
        Some(path) if path.is_dir() => {
            let paths = yaml_files_in(path)?;
            if paths.is_empty() {
                return Err(Diagnostic::error(format!(
                    "`{}` holds no YAML files; expected a rule pack",
                    path.display()
                ))
                .into());
            }
            read_all(&paths)
        }
        Some(path) => Ok(vec![read_source(path)?]),
    }
}

/// The files of a pack named on the command line: a directory or file, or `git:REV:PATH`
/// for the pack as it was at a revision of the current repository.
pub fn pack_files_from(argument: &str) -> Result<Vec<Arc<SourceFile>>, Failure> {
    if argument.starts_with(crate::git::PREFIX) {
        crate::git::pack_files(argument)
    } else {
        pack_files(Some(Path::new(argument)))
    }
}

/// Parses and checks a pack's files against the built-in framework and catalogue.
pub fn load_pack_files(files: &[Arc<SourceFile>]) -> Result<Pack, Failure> {
    Pack::load(files, builtin_framework()?, builtin_catalogue()?)
        .map_err(|problems| Failure::new(without_foreign_text(files, problems)))
}

/// A pack file that begins as none of `assure`'s files gets one message naming it in
/// place of its own problems, which could quote it.
fn without_foreign_text(files: &[Arc<SourceFile>], problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept = Vec::with_capacity(problems.len());
    let mut named: Vec<&Arc<SourceFile>> = Vec::new();
    for problem in problems {
        let file = problem
            .source
            .as_ref()
            .and_then(|source| files.iter().find(|file| Arc::ptr_eq(file, source)));
        match file.and_then(|file| {
            crate::file_kind::foreign(file, crate::file_kind::FileKind::Pack).map(|d| (file, d))
        }) {
            Some((file, foreign)) => {
                if !named.iter().any(|seen| Arc::ptr_eq(seen, file)) {
                    named.push(file);
                    kept.push(foreign);
                }
            }
            None => kept.push(problem),
        }
    }
    kept
}

/// Reads and validates one evidence file against a pack's framework and catalogue.
pub fn load_evidence(path: &Path, pack: &Pack) -> Result<Evidence, Failure> {
    let file = read_source(path)?;
    Evidence::load(&file, &pack.framework, &pack.catalogue)
}

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
            return Err(Diagnostic::error(format!(
                "the built-in cases read only the bundled examples, not `{}`",
                path.display()
            )));
        };
        root.admit(path)?;
        read_source(path)
    };
    crate::cases::load(&files, pack, &mut read)
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
        let real = std::fs::canonicalize(root).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read the evidence folder `{shown}`: {}",
                crate::files::io_reason(&e)
            ))
        })?;
        if !real.is_dir() {
            return Err(Diagnostic::error(format!(
                "the evidence folder `{shown}` is not a directory"
            )));
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
            Diagnostic::error(format!(
                "`{}` is outside `{}`, the folder a case's evidence must be in",
                path.display(),
                self.shown
            ))
            .with_help("keep evidence files beside the cases, or name a wider folder with `--evidence-root DIR`")
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
            return Err(Diagnostic::error(format!(
                "`{}` is a single-file pack, which has no `tests/` directory",
                pack.display()
            ))
            .with_help("name the case files with `--cases DIR`")
            .into());
        }
    };
    if !folder.is_dir() {
        return Err(Diagnostic::error(format!(
            "cannot read directory `{}`: no such directory",
            folder.display()
        ))
        .with_help("a pack keeps its test cases in `tests/`; or name them with `--cases DIR`")
        .into());
    }
    let paths = yaml_files_in(&folder)?;
    if paths.is_empty() {
        return Err(Diagnostic::error(format!(
            "`{}` holds no case files (.yaml, .yml)",
            folder.display()
        ))
        .into());
    }
    read_all(&paths)
}

/// Expands command-line evidence arguments: a directory means every YAML or JSON file in
/// it, sorted by name.
pub fn evidence_paths(arguments: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut paths = Vec::new();
    for argument in arguments {
        if argument.is_dir() {
            let found = files_in(argument, &["yaml", "yml", "json"])?;
            if found.is_empty() {
                return Err(Diagnostic::error(format!(
                    "`{}` holds no evidence files (.yaml, .yml, .json)",
                    argument.display()
                ))
                .into());
            }
            paths.extend(found);
        } else {
            paths.push(argument.clone());
        }
    }
    Ok(paths)
}

fn yaml_files_in(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    files_in(dir, &["yaml", "yml"])
}

/// The files of `dir` with one of `extensions`, sorted by name. An entry with such a name
/// that cannot be read as a file (a directory, a broken or looping link, a device) is an
/// error naming it, never skipped: a pack missing a file scores differently.
fn files_in(dir: &Path, extensions: &'static [&'static str]) -> Result<Vec<PathBuf>, Failure> {
    let cannot_list = |e: std::io::Error| {
        Diagnostic::error(format!(
            "cannot read directory `{}`: {}",
            dir.display(),
            crate::files::io_reason(&e)
        ))
    };
    let entries = std::fs::read_dir(dir).map_err(cannot_list)?;
    crate::output::note_listed(dir, extensions);
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.map_err(cannot_list)?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e.to_lowercase().as_str()));
        if !wanted {
            continue;
        }
        match not_a_file(&path) {
            Some(problem) => problems.push(problem),
            None => paths.push(path),
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        return Err(Failure::new(problems));
    }
    paths.sort();
    Ok(paths)
}

/// Why a listed entry cannot be read as an input file, if it cannot.
fn not_a_file(path: &Path) -> Option<Diagnostic> {
    let name = path.display();
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let problem = match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => return None,
        Ok(metadata) if metadata.is_dir() => format!("`{name}` is a directory, expected a file"),
        Ok(_) if link => format!(
            "`{name}` is a symbolic link to a device or other special file, expected a file"
        ),
        Ok(_) => format!("`{name}` is a device or other special file, expected a file"),
        Err(error) if link && error.kind() == std::io::ErrorKind::NotFound => {
            format!("`{name}` is a symbolic link to a file that does not exist")
        }
        Err(error) => format!("cannot read `{name}`: {}", crate::files::io_reason(&error)),
    };
    Some(
        Diagnostic::error(problem)
            .with_help("move it out of the folder, or put the file it stands for in its place"),
    )
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<Arc<SourceFile>>, Failure> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read_source(path) {
            Ok(file) => files.push(file),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Failure::new(problems))
    }
}
