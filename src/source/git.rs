//! Reading a rule pack as it was at a git revision of the current repository, so that CI
//! can compare a branch's pack with its base: `git:REV:PATH`.

use std::process::Command;
use std::sync::Arc;

use crate::source::diagnostic::{Diagnostic, Failure, SourceFile};

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
        return Err(Diagnostic::error(format!(
            "`{argument}` is not `git:REV:PATH`: expected a revision, a colon and a path"
        ))
        .into());
    };
    // Git would read an argument that starts with `-` as an option, not a revision.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(Diagnostic::error(format!(
            "`{argument}` names no revision, or one that starts with `-`: expected `git:REV:PATH` with a branch, tag or commit as REV"
        ))
        .with_help("write the revision as git names it, e.g. `git:origin/main:rules/cqc-la`")
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
                return Err(Diagnostic::error(format!(
                    "`{argument}` holds no YAML files; expected a rule pack"
                ))
                .into());
            }
            names
                .into_iter()
                .map(|name| blob(&format!("{object}/{name}")))
                .collect()
        }
        other => Err(Diagnostic::error(format!(
            "`{argument}` is a git {other}, expected a pack file or directory"
        ))
        .into()),
    }
}

/// Runs git and returns its standard output; a failure carries git's own message.
fn git(args: &[&str]) -> Result<String, Failure> {
    let output = Command::new("git").args(args).output().map_err(|e| {
        Diagnostic::error(format!("cannot run git: {e}"))
            .with_help("`git:REV:PATH` needs git on the PATH and a repository here")
    })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        return Err(Diagnostic::error(format!(
            "git {} failed: {}",
            args.join(" "),
            message.trim()
        ))
        .into());
    }
    String::from_utf8(output.stdout).map_err(|_| {
        Diagnostic::error(format!(
            "git {} printed text that is not UTF-8",
            args.join(" ")
        ))
        .into()
    })
}
