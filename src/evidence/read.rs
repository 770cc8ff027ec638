//! Finding and reading evidence files named on the command line.

use std::path::{Path, PathBuf};

use crate::evidence::Evidence;
use crate::evidence::problem::Problem;
use crate::pack::Pack;
use crate::source::diagnostic::{Failure, Worded};
use crate::source::files::{files_in, read_source};

/// Reads and validates one evidence file against a pack's framework and catalogue.
pub fn load_evidence(path: &Path, pack: &Pack) -> Result<Evidence, Failure> {
    let file = read_source(path)?;
    Evidence::load(&file, &pack.framework, &pack.catalogue)
}

/// Expands command-line evidence arguments: a directory means every YAML or JSON file in
/// it, sorted by name.
pub fn evidence_paths(arguments: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut paths = Vec::new();
    for argument in arguments {
        if argument.is_dir() {
            let found = files_in(argument, &["yaml", "yml", "json"])?;
            if found.is_empty() {
                let problem = Problem::NoEvidenceFiles {
                    directory: argument.display().to_string(),
                };
                return Err(problem.unplaced().into());
            }
            paths.extend(found);
        } else {
            paths.push(argument.clone());
        }
    }
    Ok(paths)
}
