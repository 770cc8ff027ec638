//! `assure explain`: a statement's score, every rule fired or not, and what would move it.

use std::path::PathBuf;

use crate::run::problem::Problem;
use crate::run::{Done, Outcome, Progress};
use crate::source::diagnostic::{Diagnostic, Worded};

/// Formats of the analyses that are not a report to circulate (`explain`, `gaps`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DataFormat {
    Text,
    Json,
}

/// What `assure explain` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// One evidence file.
    pub evidence: PathBuf,
    /// The quality statement to explain, by id or name in any case; every one when `None`.
    pub statement: Option<String>,
    /// A rule pack; the built-in pack when `None`.
    pub rules: Option<PathBuf>,
    pub format: DataFormat,
    pub output: Option<PathBuf>,
}

/// Explains the statement's score (or every statement's).
pub fn explain<'a>(request: &Request, progress: &dyn Progress) -> Outcome<'a> {
    Outcome::of(|warnings| {
        let pack = crate::load_pack(request.rules.as_deref())?;
        let statement = match request.statement.as_deref() {
            Some(given) => Some(statement_id(&pack.framework, given)?),
            None => None,
        };
        let (loaded, assessment, advice) = crate::run::load::advised(
            &request.evidence,
            &pack,
            statement.as_deref(),
            progress,
            warnings,
        )?;
        let explanations =
            crate::report::explain::explanations(&assessment, &advice, &loaded, &pack);
        let report = match request.format {
            DataFormat::Text => crate::report::explain::text(&explanations),
            DataFormat::Json => crate::report::explain::json(&explanations)?,
        };
        Ok(Done::passed(crate::run::emit(
            report,
            request.output.as_deref(),
        )?))
    })
}

/// The id of the statement `given` names (by id or name, in any case), or an error that
/// suggests the nearest.
fn statement_id(
    framework: &crate::pack::framework::Framework,
    given: &str,
) -> Result<String, Diagnostic> {
    if let Some(found) = framework.statement_named(given) {
        return Ok(found.id.clone());
    }
    Err(Problem::UnknownStatement {
        given: given.to_string(),
        help: framework.statement_help(given),
    }
    .unplaced())
}
