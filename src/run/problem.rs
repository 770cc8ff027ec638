//! Every problem the command entry points report themselves, as data: what went wrong and
//! the paths and numbers that say so. None points into a file (they are about the
//! command's arguments and outputs), so each becomes a [`Diagnostic`] in no file, once, at
//! the edge.

use std::path::PathBuf;

use crate::source::diagnostic::{Severity, Worded};

/// A problem with a command's arguments, or with writing what it made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// `calibrate`'s published-scores file lists no assessments.
    NoPublishedAssessments { published: PathBuf },
    /// `explain --statement` names no statement of the framework.
    UnknownStatement {
        given: String,
        /// The nearest statement ids, or all of them.
        help: String,
    },
    /// `fmt` without `--check` was given no pack to rewrite.
    BuiltinPackNotWritable,
    /// Standard output cannot be written.
    CannotWriteStdout { reason: String },
    /// A directory for the outputs cannot be created.
    CannotCreateDirectory { dir: PathBuf, reason: String },
    /// `score --format docx` was given no `-o`.
    WordToStdout,
    /// Several evidence files make several reports, but no directory was named.
    ReportsNeedDirectory { files: usize, extension: String },
    /// The `-o` for one report per council is a file.
    ReportDirectoryIsFile { dir: PathBuf },
    /// Two evidence files of the same stem would write the same report.
    SameReportName {
        first: PathBuf,
        second: PathBuf,
        target: PathBuf,
    },
    /// An evidence file to advise on gave no assessment.
    NotRead { path: PathBuf },
    /// `--map` or `--skip-bad-rows` was given for a national ASCOF file.
    NationalWithTableOptions,
    /// A national ASCOF import gave no council.
    NoCouncilImported,
    /// The `-o` for `import --all` is a file.
    CouncilDirectoryIsFile { dir: PathBuf },
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn message(&self) -> String {
        match self {
            Problem::NoPublishedAssessments { published } => {
                format!("`{}` lists no published assessments", published.display())
            }
            Problem::UnknownStatement { given, .. } => {
                format!("`{given}` is not a quality statement (by id or name)")
            }
            Problem::BuiltinPackNotWritable => "the built-in pack cannot be rewritten; name a pack directory or file, or use `--check`".to_string(),
            Problem::CannotWriteStdout { reason } => {
                format!("cannot write to standard output: {reason}")
            }
            Problem::CannotCreateDirectory { dir, reason } => {
                format!("cannot create directory `{}`: {reason}", dir.display())
            }
            Problem::WordToStdout => {
                "a Word document is not text to print: name a file or a directory for it"
                    .to_string()
            }
            Problem::ReportsNeedDirectory { files, .. } => format!(
                "{files} evidence files make {files} reports, one per council, but no directory was named for them"
            ),
            Problem::ReportDirectoryIsFile { dir } => format!(
                "`{}` is a file; one report per council needs a directory",
                dir.display()
            ),
            Problem::SameReportName {
                first,
                second,
                target,
            } => format!(
                "`{}` and `{}` would both be reported as `{}`",
                first.display(),
                second.display(),
                target.display()
            ),
            Problem::NotRead { path } => format!("`{}` was not read", path.display()),
            Problem::NationalWithTableOptions => "`--map` and `--skip-bad-rows` are for tables of a council's own evidence; a national ASCOF file is read by its layout".to_string(),
            Problem::NoCouncilImported => "no council was imported".to_string(),
            Problem::CouncilDirectoryIsFile { dir } => format!(
                "`{}` is a file; `--all` writes one file per council into a directory",
                dir.display()
            ),
        }
    }

    /// The short label under the marked text: none, as no problem here marks any.
    fn label(&self) -> Option<&str> {
        None
    }

    fn help(&self) -> Option<String> {
        match self {
            Problem::UnknownStatement { help, .. } => Some(help.clone()),
            Problem::WordToStdout => {
                Some("write it with `-o FILE.docx`, or `-o DIR` for one per council".to_string())
            }
            Problem::ReportsNeedDirectory { extension, .. } => Some(format!(
                "write them into a directory with `-o DIR`, as `DIR/<evidence file name>.{extension}`"
            )),
            Problem::SameReportName { .. } => {
                Some("give the evidence files different names".to_string())
            }
            Problem::NoPublishedAssessments { .. }
            | Problem::BuiltinPackNotWritable
            | Problem::CannotWriteStdout { .. }
            | Problem::CannotCreateDirectory { .. }
            | Problem::ReportDirectoryIsFile { .. }
            | Problem::NotRead { .. }
            | Problem::NationalWithTableOptions
            | Problem::NoCouncilImported
            | Problem::CouncilDirectoryIsFile { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Problem;
    use crate::source::diagnostic::Worded;
    use std::path::PathBuf;

    #[test]
    fn each_problem_words_its_message_and_help() {
        let two = Problem::ReportsNeedDirectory {
            files: 2,
            extension: "html".to_string(),
        };
        assert_eq!(
            two.message(),
            "2 evidence files make 2 reports, one per council, but no directory was named for them"
        );
        assert_eq!(
            two.help().as_deref(),
            Some("write them into a directory with `-o DIR`, as `DIR/<evidence file name>.html`")
        );
        let dir = Problem::CouncilDirectoryIsFile {
            dir: PathBuf::from("out.yaml"),
        };
        assert_eq!(
            dir.message(),
            "`out.yaml` is a file; `--all` writes one file per council into a directory"
        );
        assert_eq!(dir.help(), None);
        let statement = Problem::UnknownStatement {
            given: "safe".to_string(),
            help: "did you mean `safe-systems`?".to_string(),
        };
        let rendered = statement.unplaced().render();
        assert!(
            rendered.contains("`safe` is not a quality statement (by id or name)"),
            "{rendered}"
        );
        assert!(
            rendered.contains("did you mean `safe-systems`?"),
            "{rendered}"
        );
    }
}
