//! Every problem a published-scores file and its evidence pairing report, as data; each
//! becomes a [`Diagnostic`] where its file and span are known.

use crate::source::diagnostic::{Diagnostic, Severity, Worded};

/// A problem with a published-scores file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// An `overall:` rating the framework's bands do not have.
    UnknownRating { rating: String, help: String },
    /// A statement id under `scores:` the framework does not have.
    UnknownStatement { id: String, help: Option<String> },
    /// A published score outside 1 to 4.
    ScoreOutOfRange { score: u8 },
    /// A `split:` that is neither `development` nor `held-out`.
    UnknownSplit { split: String, help: String },
    /// No evidence file given on the command line has the name an entry gives.
    NoEvidenceFile {
        file_name: String,
        authority: String,
    },
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn message(&self) -> String {
        match self {
            Problem::UnknownRating { rating, .. } => format!("unknown rating `{rating}`"),
            Problem::UnknownStatement { id, .. } => format!("unknown quality statement `{id}`"),
            Problem::ScoreOutOfRange { score } => format!("a score must be 1 to 4, not {score}"),
            Problem::UnknownSplit { split, .. } => format!("unknown split `{split}`"),
            Problem::NoEvidenceFile {
                file_name,
                authority,
            } => format!("no evidence file named `{file_name}` was given for {authority}"),
        }
    }

    fn label(&self) -> Option<&str> {
        None
    }

    fn help(&self) -> Option<String> {
        match self {
            Problem::UnknownRating { help, .. } | Problem::UnknownSplit { help, .. } => {
                Some(help.clone())
            }
            Problem::UnknownStatement { help, .. } => help.clone(),
            Problem::ScoreOutOfRange { .. } | Problem::NoEvidenceFile { .. } => None,
        }
    }
}

/// A problem about no file, where `?` wants a diagnostic.
impl From<Problem> for Diagnostic {
    fn from(problem: Problem) -> Diagnostic {
        problem.unplaced()
    }
}
