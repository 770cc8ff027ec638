//! `assure gaps`: the evidence the pack would read but the file lacks.

use std::path::PathBuf;

use crate::run::explain::DataFormat;
use crate::run::{Done, Outcome, Progress};

/// What `assure gaps` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// One evidence file.
    pub evidence: PathBuf,
    /// A rule pack; the built-in pack when `None`.
    pub rules: Option<PathBuf>,
    pub format: DataFormat,
    pub output: Option<PathBuf>,
}

/// Lists the file's gaps, ranked by how far each could move the score.
pub fn gaps<'a>(request: &Request, progress: &dyn Progress) -> Outcome<'a> {
    Outcome::of(|warnings| {
        let pack = crate::load_pack(request.rules.as_deref())?;
        let (_, assessment, advice) =
            crate::run::load::advised(&request.evidence, &pack, None, progress, warnings)?;
        let report = match request.format {
            DataFormat::Text => crate::report::gaps::text(&assessment, &advice),
            DataFormat::Json => crate::report::gaps::json(&assessment, &advice)?,
        };
        Ok(Done::passed(crate::run::emit(
            report,
            request.output.as_deref(),
        )?))
    })
}
