//! The pack compiled into the binary (framework, catalogue and the default pack), and
//! reading a pack from a directory, a single file or a git revision.

use std::path::Path;
use std::sync::Arc;

use crate::pack::Pack;
use crate::pack::catalogue::Catalogue;
use crate::pack::framework::Framework;
use crate::pack::problem::Problem;
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded};
use crate::source::files::{read_all, read_source, yaml_files_in};

/// The built-in files, named as they sit in the repository.
const FRAMEWORK: (&str, &str) = (
    "rules/framework.yaml",
    include_str!("../../rules/framework.yaml"),
);
const METRICS: (&str, &str) = (
    "rules/metrics.yaml",
    include_str!("../../rules/metrics.yaml"),
);

/// The default pack's files (a test checks this list against `rules/cqc-la/`).
pub const DEFAULT_PACK: &[(&str, &str)] = &[
    (
        "rules/cqc-la/pack.yaml",
        include_str!("../../rules/cqc-la/pack.yaml"),
    ),
    (
        "rules/cqc-la/assessing-needs.yaml",
        include_str!("../../rules/cqc-la/assessing-needs.yaml"),
    ),
    (
        "rules/cqc-la/supporting-healthier-lives.yaml",
        include_str!("../../rules/cqc-la/supporting-healthier-lives.yaml"),
    ),
    (
        "rules/cqc-la/equity-in-experience-and-outcomes.yaml",
        include_str!("../../rules/cqc-la/equity-in-experience-and-outcomes.yaml"),
    ),
    (
        "rules/cqc-la/care-provision-integration-continuity.yaml",
        include_str!("../../rules/cqc-la/care-provision-integration-continuity.yaml"),
    ),
    (
        "rules/cqc-la/partnerships-and-communities.yaml",
        include_str!("../../rules/cqc-la/partnerships-and-communities.yaml"),
    ),
    (
        "rules/cqc-la/safe-pathways-systems-transitions.yaml",
        include_str!("../../rules/cqc-la/safe-pathways-systems-transitions.yaml"),
    ),
    (
        "rules/cqc-la/safeguarding.yaml",
        include_str!("../../rules/cqc-la/safeguarding.yaml"),
    ),
    (
        "rules/cqc-la/governance-management-sustainability.yaml",
        include_str!("../../rules/cqc-la/governance-management-sustainability.yaml"),
    ),
    (
        "rules/cqc-la/learning-improvement-innovation.yaml",
        include_str!("../../rules/cqc-la/learning-improvement-innovation.yaml"),
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
                let problem = Problem::NoYamlFiles {
                    directory: path.to_path_buf(),
                };
                return Err(problem.unplaced().into());
            }
            read_all(&paths)
        }
        Some(path) => Ok(vec![read_source(path)?]),
    }
}

/// The files of a pack named on the command line: a directory or file, or `git:REV:PATH`
/// for the pack as it was at a revision of the current repository.
pub fn pack_files_from(argument: &str) -> Result<Vec<Arc<SourceFile>>, Failure> {
    if argument.starts_with(crate::source::git::PREFIX) {
        crate::source::git::pack_files(argument)
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
            crate::source::file_kind::foreign(file, crate::source::file_kind::FileKind::Pack)
                .map(|d| (file, d))
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
