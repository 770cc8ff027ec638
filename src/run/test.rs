//! `assure test`: a pack's test cases, and how much of the pack they exercise.

use std::path::PathBuf;

use crate::run::{Done, Outcome, Verdict};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Text,
    Json,
    Junit,
}

/// What `assure test` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// A rule pack; the built-in pack (and its own cases) when `None`.
    pub pack: Option<PathBuf>,
    /// The case files: a directory of them, or one file; the pack's `tests/` when `None`.
    pub cases: Option<PathBuf>,
    /// The folder a case's evidence file must be in.
    pub evidence_root: Option<PathBuf>,
    pub format: TestFormat,
    /// The least per cent of the pack's rules the cases must cover.
    pub min_coverage: Option<u8>,
    pub output: Option<PathBuf>,
}

/// Runs the pack's test cases and writes the report; [`Verdict::Differs`] when a case
/// failed or could not be loaded, or coverage is below the minimum.
pub fn test<'a>(request: &Request) -> Outcome<'a> {
    Outcome::of(|warnings| {
        let pack_path = request.pack.as_deref();
        let pack = crate::load_pack(pack_path)?;
        let loaded = crate::load_cases(
            pack_path,
            request.cases.as_deref(),
            request.evidence_root.as_deref(),
            &pack,
        )?;
        let run = crate::packtest::run::run(&pack, &loaded, request.min_coverage);
        warnings.extend(run.warnings.iter().cloned());
        let report = match request.format {
            TestFormat::Text => crate::report::testing::text(&run),
            TestFormat::Json => crate::report::testing::json(&run)?,
            TestFormat::Junit => crate::report::testing::junit(&run),
        };
        let stdout = crate::run::emit(report, request.output.as_deref())?;
        Ok(Done::new(Verdict::from_passed(run.passed()), stdout))
    })
}
