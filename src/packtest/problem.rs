//! Every problem the case files and their reading report, as data; each becomes a
//! [`Diagnostic`] where its file and span are known.

use crate::source::diagnostic::{Diagnostic, Severity, Worded};

/// Words that expect a statement to be left unscored, or the overall result unrated.
pub const NOT_SCORED: &str = "not scored";
pub const NOT_RATED: &str = "not rated";

/// A problem with a pack's test case files, or with finding them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A case file has `cases:` but no case under it.
    NoCases,
    /// A case's `name` is empty.
    UnnamedCase,
    /// A case has the name of an earlier case in the run (`first`: `file:line`).
    DuplicateName { name: String, first: String },
    /// A case names its evidence file by an absolute path.
    AbsoluteEvidencePath,
    /// The whole-file read and the entries found disagree on how many cases there are.
    CasesNotApart,
    /// More cases of one file failed to read than the loader reads again for.
    TooManyBrokenCases { limit: usize },
    /// `percent:` is outside 1 to 100.
    PercentOutOfRange { percent: u32 },
    /// A case's `expect:` gives no expectation at all.
    ExpectsNothing,
    /// A statement id the framework does not have.
    UnknownStatement { id: String, help: String },
    /// A score that is neither 1 to 4 nor `not scored`.
    BadScore { written: String },
    /// A rating the framework's bands do not have.
    UnknownRating { rating: String, help: String },
    /// A rule listed under a statement other than the one it scores.
    RuleOfOtherStatement {
        rule: String,
        owner: String,
        statement: String,
    },
    /// A rule id the pack does not have.
    UnknownRule { rule: String, help: String },
    /// A rule listed under both `fired` and `not_fired`.
    FiredAndNotFired { rule: String },
    /// The built-in cases name evidence other than the bundled examples.
    BuiltInReadsOnlyExamples { path: String },
    /// The evidence folder cannot be read (`reason`: what the system said).
    EvidenceRootUnreadable { folder: String, reason: String },
    /// The evidence folder is a file, not a directory.
    EvidenceRootNotADirectory { folder: String },
    /// An evidence path leads outside the evidence folder.
    EvidenceOutsideRoot { path: String, root: String },
    /// A single-file pack was given with no `--cases`.
    SingleFilePackHasNoTests { pack: String },
    /// The directory of case files does not exist.
    NoCasesDirectory { folder: String },
    /// The directory of case files holds no YAML file.
    NoCaseFiles { folder: String },
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn message(&self) -> String {
        match self {
            Problem::NoCases => "the file lists no cases".to_string(),
            Problem::UnnamedCase => "a case needs a name".to_string(),
            Problem::DuplicateName { name, .. } => format!("two cases are named `{name}`"),
            Problem::AbsoluteEvidencePath => {
                "a case names its evidence file by a path relative to the case file".to_string()
            }
            Problem::CasesNotApart => "the cases of this file could not be told apart; write each as its own `- name: ...` entry of `cases:`".to_string(),
            Problem::TooManyBrokenCases { limit } => format!(
                "more than {limit} cases of this file cannot be read, so the rest were not read"
            ),
            Problem::PercentOutOfRange { percent } => {
                format!("a percentage runs from 1 to 100, not {percent}")
            }
            Problem::ExpectsNothing => "the case expects nothing".to_string(),
            Problem::UnknownStatement { id, .. } => format!("unknown quality statement `{id}`"),
            Problem::BadScore { written } => {
                format!("expected a score from 1 to 4 or `{NOT_SCORED}`, not `{written}`")
            }
            Problem::UnknownRating { rating, .. } => format!("unknown rating `{rating}`"),
            Problem::RuleOfOtherStatement {
                rule,
                owner,
                statement,
            } => format!("rule `{rule}` scores `{owner}`, not `{statement}`"),
            Problem::UnknownRule { rule, .. } => format!("unknown rule `{rule}`"),
            Problem::FiredAndNotFired { rule } => {
                format!("rule `{rule}` is expected both to fire and not to fire")
            }
            Problem::BuiltInReadsOnlyExamples { path } => {
                format!("the built-in cases read only the bundled examples, not `{path}`")
            }
            Problem::EvidenceRootUnreadable { folder, reason } => {
                format!("cannot read the evidence folder `{folder}`: {reason}")
            }
            Problem::EvidenceRootNotADirectory { folder } => {
                format!("the evidence folder `{folder}` is not a directory")
            }
            Problem::EvidenceOutsideRoot { path, root } => {
                format!("`{path}` is outside `{root}`, the folder a case's evidence must be in")
            }
            Problem::SingleFilePackHasNoTests { pack } => {
                format!("`{pack}` is a single-file pack, which has no `tests/` directory")
            }
            Problem::NoCasesDirectory { folder } => {
                format!("cannot read directory `{folder}`: no such directory")
            }
            Problem::NoCaseFiles { folder } => {
                format!("`{folder}` holds no case files (.yaml, .yml)")
            }
        }
    }

    fn label(&self) -> Option<&str> {
        match self {
            Problem::AbsoluteEvidencePath => Some("an absolute path"),
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        let help = match self {
            Problem::NoCases => "add a case under `cases:`, or remove the file".to_string(),
            Problem::DuplicateName { first, .. } => {
                format!("first used at {first}; names must be unique in a run")
            }
            Problem::AbsoluteEvidencePath => "keep the evidence beside the cases and name it from there, e.g. `evidence/council.yaml`".to_string(),
            Problem::TooManyBrokenCases { .. } => "fix the cases listed, then run again".to_string(),
            Problem::ExpectsNothing => {
                "give at least one of `scores`, `overall`, `percent`, `fired` or `not_fired`"
                    .to_string()
            }
            Problem::UnknownStatement { help, .. }
            | Problem::UnknownRating { help, .. }
            | Problem::UnknownRule { help, .. } => help.clone(),
            Problem::RuleOfOtherStatement { owner, .. } => format!("list it under `{owner}:`"),
            Problem::FiredAndNotFired { .. } => {
                "keep it under `fired` or under `not_fired`, not both".to_string()
            }
            Problem::EvidenceOutsideRoot { .. } => "keep evidence files beside the cases, or name a wider folder with `--evidence-root DIR`".to_string(),
            Problem::SingleFilePackHasNoTests { .. } => {
                "name the case files with `--cases DIR`".to_string()
            }
            Problem::NoCasesDirectory { .. } => {
                "a pack keeps its test cases in `tests/`; or name them with `--cases DIR`"
                    .to_string()
            }
            Problem::UnnamedCase
            | Problem::CasesNotApart
            | Problem::PercentOutOfRange { .. }
            | Problem::BadScore { .. }
            | Problem::BuiltInReadsOnlyExamples { .. }
            | Problem::EvidenceRootUnreadable { .. }
            | Problem::EvidenceRootNotADirectory { .. }
            | Problem::NoCaseFiles { .. } => return None,
        };
        Some(help)
    }
}

/// A problem about no file, where `?` wants a diagnostic.
impl From<Problem> for Diagnostic {
    fn from(problem: Problem) -> Diagnostic {
        problem.unplaced()
    }
}
