//! `assure diff`: which scores a change to a pack moves, and which rules moved them.

use std::path::PathBuf;

use crate::run::load::assess_all;
use crate::run::{Done, Outcome, Progress, Verdict};
use crate::score::assessment::Assessment;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Md,
    Json,
}

/// What `assure diff` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// The pack before: a directory, a file, or `git:REV:PATH`.
    pub old: String,
    /// The pack after, in the same forms.
    pub new: String,
    /// Evidence files, or directories of them, scored with both packs.
    pub evidence: Vec<PathBuf>,
    pub format: DiffFormat,
    pub output: Option<PathBuf>,
}

/// Writes what moves between the two packs; [`Verdict::Differs`] when some score moves.
pub fn diff<'a>(request: &Request, progress: &dyn Progress) -> Outcome<'a> {
    Outcome::of(|warnings| {
        let old_pack = crate::load_pack_files(&crate::pack_files_from(&request.old)?)?;
        let new_pack = crate::load_pack_files(&crate::pack_files_from(&request.new)?)?;
        let paths = crate::evidence_paths(&request.evidence)?;
        let before = assess_all(&paths, &old_pack, true, progress, warnings)?;
        let after = assess_all(&paths, &new_pack, false, progress, warnings)?;
        let pairs: Vec<(Assessment, Assessment)> = before.into_iter().zip(after).collect();
        let diff = crate::compare::diff::diff(&old_pack, &new_pack, &pairs);
        let report = match request.format {
            DiffFormat::Text => crate::report::diff::text(&diff),
            DiffFormat::Md => crate::report::diff::markdown(&diff),
            DiffFormat::Json => crate::report::diff::json(&diff)?,
        };
        let stdout = crate::run::emit(report, request.output.as_deref())?;
        Ok(Done::new(Verdict::from_passed(!diff.moved()), stdout))
    })
}
