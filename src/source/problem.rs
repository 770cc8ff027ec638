//! Every problem found reading input files and writing outputs, as data: what went wrong
//! and the names and numbers that say so. Each becomes a [`Diagnostic`] once, at the edge,
//! where the file and span are known.

use crate::source::diagnostic::{Severity, Worded};
use crate::source::limits::{MAX_FILE_BYTES, MAX_LINE_BYTES};

/// The help for an entry of a listed folder that cannot be read as a file.
const ENTRY_HELP: &str = "move it out of the folder, or put the file it stands for in its place";
/// The help for an output whose folder cannot be reached.
const FOLDER_HELP: &str = "create the directory first, or write somewhere else";

/// A problem reading an input file or folder, or writing an output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A file's bytes are not UTF-8.
    NotUtf8,
    /// A file is empty or only blank.
    Empty,
    /// A file cannot be opened or read; `reason` is the I/O error in plain words.
    CannotRead { name: String, reason: String },
    /// A directory is named where one file is wanted; `files` is the help naming its files.
    IsADirectory { name: String, files: String },
    /// A file or git blob is over the input size limit.
    TooLarge { name: String },
    /// A line is longer than the line limit; `length` is its length in bytes.
    LineTooLong { length: usize },
    /// A folder of inputs cannot be listed.
    CannotReadDirectory { directory: String, reason: String },
    /// An entry of a listed folder is a directory.
    EntryIsADirectory { name: String },
    /// An entry of a listed folder is a link to a device or other special file.
    EntryLinksToSpecial { name: String },
    /// An entry of a listed folder is a device or other special file.
    EntryIsSpecial { name: String },
    /// An entry of a listed folder is a link to nothing.
    EntryLinksToNothing { name: String },
    /// An entry of a listed folder cannot be read.
    EntryUnreadable { name: String, reason: String },
    /// A file begins as none of `assure`'s files; `noun` and `starts` name the expected kind.
    Foreign {
        name: String,
        noun: &'static str,
        starts: &'static str,
    },
    /// An output cannot be written; `reason` is the I/O error in plain words.
    CannotWrite { path: String, reason: String },
    /// An output is a symbolic link to a file that does not exist.
    WriteThroughDanglingLink { path: String },
    /// An output's folder does not exist.
    NoSuchFolder { path: String, folder: String },
    /// An output's folder cannot be reached for another reason.
    UnreachableFolder { path: String, reason: String },
    /// An output's folder is not a directory.
    FolderNotADirectory { path: String, folder: String },
    /// An output name ends with `/`.
    OutputEndsWithSeparator { path: String },
    /// An output is an existing directory.
    OutputIsADirectory { path: String },
    /// An output is a block device, a socket or another special file.
    OutputIsSpecial { path: String, kind: &'static str },
    /// Standard output cannot be written.
    CannotWriteStdout { reason: String },
    /// An output is a file this run read.
    OverwritesInput { path: String },
    /// An output would be a new input in a folder this run listed.
    IntoListedFolder {
        path: String,
        folder: String,
        extension: String,
    },
    /// A `git:` argument has no colon between revision and path.
    NotGitSpec { argument: String },
    /// A `git:` argument's revision is empty or starts with `-`.
    NoRevision { argument: String },
    /// A `git:` tree holds no YAML files.
    GitTreeHoldsNoYaml { argument: String },
    /// A `git:` object is neither a blob nor a tree; `kind` is git's word for it.
    GitWrongObject { argument: String, kind: String },
    /// Git cannot be started.
    CannotRunGit { reason: String },
    /// Git failed; `command` is its arguments and `message` what it printed.
    GitFailed { command: String, message: String },
    /// Git printed text that is not UTF-8.
    GitNotUtf8 { command: String },
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn message(&self) -> String {
        match self {
            Problem::NotUtf8 => "the file is not valid UTF-8 text".to_string(),
            Problem::Empty => "the file is empty".to_string(),
            Problem::CannotRead { name, reason } | Problem::EntryUnreadable { name, reason } => {
                format!("cannot read `{name}`: {reason}")
            }
            Problem::IsADirectory { name, .. } | Problem::EntryIsADirectory { name } => {
                format!("`{name}` is a directory, expected a file")
            }
            Problem::TooLarge { name } => format!(
                "`{name}` is larger than {} MiB, the limit for an input file",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            Problem::LineTooLong { length } => format!(
                "this line is {length} bytes long; the limit is {} MiB per line",
                MAX_LINE_BYTES / (1024 * 1024)
            ),
            Problem::CannotReadDirectory { directory, reason } => {
                format!("cannot read directory `{directory}`: {reason}")
            }
            Problem::EntryLinksToSpecial { name } => format!(
                "`{name}` is a symbolic link to a device or other special file, expected a file"
            ),
            Problem::EntryIsSpecial { name } => {
                format!("`{name}` is a device or other special file, expected a file")
            }
            Problem::EntryLinksToNothing { name } => {
                format!("`{name}` is a symbolic link to a file that does not exist")
            }
            Problem::Foreign { name, noun, starts } => {
                format!("`{name}` is not {noun}: it does not begin with {starts}")
            }
            Problem::CannotWrite { path, reason } | Problem::UnreachableFolder { path, reason } => {
                format!("cannot write `{path}`: {reason}")
            }
            Problem::WriteThroughDanglingLink { path } => format!(
                "cannot write `{path}`: it is a symbolic link to a file that does not exist"
            ),
            Problem::NoSuchFolder { path, folder } => {
                format!("cannot write `{path}`: the directory `{folder}` does not exist")
            }
            Problem::FolderNotADirectory { path, folder } => {
                format!("cannot write `{path}`: `{folder}` is not a directory")
            }
            Problem::OutputEndsWithSeparator { path } => {
                format!("`{path}` names a directory (it ends with `/`), but this writes one file")
            }
            Problem::OutputIsADirectory { path } => {
                format!("`{path}` is a directory, expected the name of a file to write")
            }
            Problem::OutputIsSpecial { path, kind } => {
                format!("`{path}` is {kind}; `-o` writes a file, a character device or a pipe")
            }
            Problem::CannotWriteStdout { reason } => {
                format!("cannot write to standard output: {reason}")
            }
            Problem::OverwritesInput { path } => {
                format!("refusing to write over `{path}`: this run read it as an input")
            }
            Problem::IntoListedFolder {
                path,
                folder,
                extension,
            } => format!(
                "refusing to write `{path}` into `{folder}`, which this run read its .{extension} files from"
            ),
            Problem::NotGitSpec { argument } => format!(
                "`{argument}` is not `git:REV:PATH`: expected a revision, a colon and a path"
            ),
            Problem::NoRevision { argument } => format!(
                "`{argument}` names no revision, or one that starts with `-`: expected `git:REV:PATH` with a branch, tag or commit as REV"
            ),
            Problem::GitTreeHoldsNoYaml { argument } => {
                format!("`{argument}` holds no YAML files; expected a rule pack")
            }
            Problem::GitWrongObject { argument, kind } => {
                format!("`{argument}` is a git {kind}, expected a pack file or directory")
            }
            Problem::CannotRunGit { reason } => format!("cannot run git: {reason}"),
            Problem::GitFailed { command, message } => format!("git {command} failed: {message}"),
            Problem::GitNotUtf8 { command } => {
                format!("git {command} printed text that is not UTF-8")
            }
        }
    }

    /// The short label under the marked text.
    fn label(&self) -> Option<&str> {
        match self {
            Problem::NotUtf8 => Some("invalid byte here"),
            Problem::LineTooLong { .. } => Some("the line passes the limit here"),
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        let help = match self {
            Problem::NotUtf8 => "save the file as UTF-8",
            Problem::Empty => "expected a YAML mapping",
            Problem::IsADirectory { files, .. } => files,
            Problem::TooLarge { .. } => {
                "a pack or one council's evidence is a few hundred KiB at most; is this the right file?"
            }
            Problem::LineTooLong { .. } => {
                "break long text over several lines (YAML folds them back together)"
            }
            Problem::EntryIsADirectory { .. }
            | Problem::EntryLinksToSpecial { .. }
            | Problem::EntryIsSpecial { .. }
            | Problem::EntryLinksToNothing { .. }
            | Problem::EntryUnreadable { .. } => ENTRY_HELP,
            Problem::Foreign { .. } => {
                "check the path; the file's text is not shown, as it may be anything at all"
            }
            Problem::NoSuchFolder { .. } | Problem::UnreachableFolder { .. } => FOLDER_HELP,
            Problem::OutputEndsWithSeparator { path } => {
                return Some(format!("give a file name, e.g. `{path}report`"));
            }
            Problem::OverwritesInput { .. } => "write the output somewhere else",
            Problem::IntoListedFolder { .. } => {
                "the next run would read it as an input; write the output somewhere else"
            }
            Problem::NoRevision { .. } => {
                "write the revision as git names it, e.g. `git:origin/main:rules/cqc-la`"
            }
            Problem::CannotRunGit { .. } => {
                "`git:REV:PATH` needs git on the PATH and a repository here"
            }
            _ => return None,
        };
        Some(help.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::Problem;
    use crate::source::diagnostic::Worded;

    #[test]
    fn each_problem_words_its_message_and_help() {
        let entry = Problem::EntryIsADirectory {
            name: "rules/x.yaml".to_string(),
        };
        assert_eq!(
            entry.message(),
            "`rules/x.yaml` is a directory, expected a file"
        );
        assert_eq!(
            entry.help().as_deref(),
            Some("move it out of the folder, or put the file it stands for in its place")
        );

        let slash = Problem::OutputEndsWithSeparator {
            path: "out/".to_string(),
        };
        assert_eq!(
            slash.help().as_deref(),
            Some("give a file name, e.g. `out/report`")
        );

        let long = Problem::LineTooLong { length: 2_000_000 };
        assert_eq!(
            long.message(),
            "this line is 2000000 bytes long; the limit is 1 MiB per line"
        );
        assert_eq!(long.label(), Some("the line passes the limit here"));
        assert_eq!(
            Problem::GitNotUtf8 {
                command: "show x".to_string()
            }
            .help(),
            None
        );
    }
}
