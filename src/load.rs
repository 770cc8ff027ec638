//! The I/O edge of the library: finds and reads packs and evidence files, and supplies the
//! built-in framework, catalogue and default pack compiled into the binary.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cases::CaseFile;
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
    Pack::load(files, builtin_framework()?, builtin_catalogue()?).map_err(Failure::new)
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
pub fn load_cases(
    pack_path: Option<&Path>,
    cases: Option<&Path>,
    pack: &Pack,
) -> Result<Vec<CaseFile>, Failure> {
    let files = case_files(pack_path, cases)?;
    let mut read = |path: &Path| -> Result<Arc<SourceFile>, Diagnostic> { read_source(path) };
    crate::cases::load(&files, pack, &mut read)
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

fn files_in(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(format!("cannot read directory `{}`: {e}", dir.display()))
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e.to_lowercase().as_str()))
        })
        .collect();
    paths.sort();
    Ok(paths)
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
