//! `assure check`: the validator's findings about a pack.

use std::path::PathBuf;

use crate::run::{Done, Outcome, Stdout, Verdict};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
}

/// What `--deny` makes a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

/// What `assure check` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// A rule pack; the built-in pack when `None`.
    pub pack: Option<PathBuf>,
    pub format: CheckFormat,
    pub deny: Option<Deny>,
}

/// The pack's findings, for standard output; [`Verdict::Differs`] when there are errors
/// (or warnings, denied). A pack that fails to load with coded problems (an unknown
/// metric, say) is still checked: those problems are its findings.
pub fn check<'a>(request: &Request) -> Outcome<'a> {
    Outcome::of(|_| {
        let findings = match crate::load_pack(request.pack.as_deref()) {
            Ok(pack) => crate::check::check(&pack),
            Err(failure) => crate::check::load_findings(&failure).ok_or(failure)?,
        };
        let report = match request.format {
            CheckFormat::Text => crate::report::check::text(&findings),
            CheckFormat::Json => crate::report::check::json(&findings)?,
            CheckFormat::Sarif => {
                let base = std::env::current_dir()
                    .ok()
                    .map(|dir| dir.display().to_string());
                crate::report::check::sarif(&findings, base.as_deref())?
            }
        };
        let fails = crate::check::fails(&findings, request.deny == Some(Deny::Warnings));
        Ok(Done::new(
            Verdict::from_passed(!fails),
            Stdout::Bytes(report.into_bytes()),
        ))
    })
}
