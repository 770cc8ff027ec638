//! Reading a rule pack as it was at a git revision of the current repository, so that CI
//! can compare a branch's pack with its base: `git:REV:PATH`.

use std::process::Command;
use std::sync::Arc;

use crate::source::diagnostic::{Failure, SourceFile, Worded};
use crate::source::problem::Problem;

/// The prefix that marks a pack argument as a git revision.
pub const PREFIX: &str = "git:";

/// The files of the pack at `PATH` in revision `REV`, from an argument `git:REV:PATH`
/// (`PATH` is relative to the repository root, as in `git show REV:PATH`). A directory
/// gives its YAML files sorted by name, as a pack directory on disk does.
/// One file of a revision, held to the same limits as a file on disk.
fn blob(object: &str) -> Result<Arc<SourceFile>, Failure> {
    let source = SourceFile::new(format!("{PREFIX}{object}"), git(&["show", object])?);
    crate::source::files::within_limits(&source)?;
    Ok(source)
}

pub fn pack_files(argument: &str) -> Result<Vec<Arc<SourceFile>>, Failure> {
    let spec = argument.strip_prefix(PREFIX).unwrap_or(argument);
    let Some((rev, path)) = spec.split_once(':') else {
        return Err(Problem::NotGitSpec {
            argument: argument.to_string(),
        }
        .unplaced()
        .into());
    };
    // Git would read an argument that starts with `-` as an option, not a revision.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Problem::NoRevision {
            argument: argument.to_string(),
        }
        .unplaced()
        .into());
    }
    let path = path.trim_end_matches('/');
    let object = format!("{rev}:{path}");
    match git(&["cat-file", "-t", &object])?.trim() {
        "blob" => Ok(vec![blob(&object)?]),
        "tree" => {
            let listing = git(&["ls-tree", "--name-only", &object])?;
            let mut names: Vec<&str> = listing
                .lines()
                .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
                .collect();
            names.sort_unstable();
            if names.is_empty() {
                return Err(Problem::GitTreeHoldsNoYaml {
                    argument: argument.to_string(),
                }
                .unplaced()
                .into());
            }
            names
                .into_iter()
                .map(|name| blob(&format!("{object}/{name}")))
                .collect()
        }
        other => Err(Problem::GitWrongObject {
            argument: argument.to_string(),
            kind: other.to_string(),
        }
        .unplaced()
        .into()),
    }
}

/// Runs git and returns its standard output; a failure carries git's own message.
fn git(args: &[&str]) -> Result<String, Failure> {
    let output = Command::new("git").args(args).output().map_err(|e| {
        Problem::CannotRunGit {
            reason: e.to_string(),
        }
        .unplaced()
    })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(Problem::GitFailed {
            command: args.join(" "),
            message: message.trim().to_string(),
        }
        .unplaced()
        .into());
    }
    String::from_utf8(output.stdout).map_err(|_| {
        Problem::GitNotUtf8 {
            command: args.join(" "),
        }
        .unplaced()
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::pack_files;
    use crate::source::diagnostic::Worded;
    use crate::source::problem::Problem;

    #[test]
    fn a_malformed_git_argument_is_reported_as_its_problem() {
        let problems = |argument: &str| pack_files(argument).err().map(|f| f.diagnostics);
        assert_eq!(
            problems("git:main"),
            Some(vec![
                Problem::NotGitSpec {
                    argument: "git:main".to_string()
                }
                .unplaced()
            ])
        );
        assert_eq!(
            problems("git:-x:rules"),
            Some(vec![
                Problem::NoRevision {
                    argument: "git:-x:rules".to_string()
                }
                .unplaced()
            ])
        );
    }
}
