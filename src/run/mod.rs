//! One entry point per command: each takes a request (the command's options, as library
//! types), composes the stages before it, and returns an [`Outcome`] for the command line
//! to show: the warnings for standard error, what goes to standard output, and a
//! [`Verdict`]. Files `-o` names are written here, through the checked
//! [`crate::source::output`]; nothing here touches standard output or standard error, which
//! the caller hands over as a writer ([`Stdout::write_to`]) and a [`Progress`].

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::run::problem::Problem;
use crate::source::diagnostic::{Diagnostic, Failure, Worded};

pub mod calibrate;
pub mod check;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod gaps;
pub mod import;
mod load;
mod problem;
pub mod schema;
pub mod score;
mod stream;
pub mod test;

#[cfg(test)]
mod tests;

/// Whether a command that compares found what it looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Done; a check found nothing wrong (exit code 0).
    Passed,
    /// A check ran and found differences: a score moved, a case failed, a file would
    /// change (exit code 1).
    Differs,
}

impl Verdict {
    /// [`Verdict::Passed`] when `passed`.
    pub fn from_passed(passed: bool) -> Verdict {
        match passed {
            true => Verdict::Passed,
            false => Verdict::Differs,
        }
    }
}

/// What a command leaves to show: its warnings, shown first whatever follows, then either
/// what it did or why it stopped.
#[derive(Debug)]
pub struct Outcome<'a> {
    pub warnings: Warnings,
    pub result: Result<Done<'a>, Failure>,
}

impl<'a> Outcome<'a> {
    /// Runs `command`, keeping the warnings it notes even when it then fails.
    pub(crate) fn of(
        command: impl FnOnce(&mut Vec<Diagnostic>) -> Result<Done<'a>, Failure>,
    ) -> Outcome<'a> {
        let mut diagnostics = Vec::new();
        let result = command(&mut diagnostics);
        Outcome {
            warnings: Warnings {
                diagnostics,
                listed: false,
            },
            result,
        }
    }

    /// The warnings laid out as errors are: a blank line between them.
    pub(crate) fn listed(mut self) -> Outcome<'a> {
        self.warnings.listed = true;
        self
    }
}

/// Warnings for standard error.
#[derive(Debug, Default)]
pub struct Warnings {
    pub diagnostics: Vec<Diagnostic>,
    /// Laid out as a [`Failure`] is, with a blank line between (an import's notes), rather
    /// than one straight after another (evidence and test warnings).
    pub listed: bool,
}

impl Warnings {
    /// The warnings as standard error shows them.
    pub fn render(&self) -> String {
        match self.listed {
            true => Failure::new(self.diagnostics.clone()).render(),
            false => self.diagnostics.iter().map(Diagnostic::render).collect(),
        }
    }
}

/// What a command did.
#[derive(Debug)]
pub struct Done<'a> {
    pub verdict: Verdict,
    /// What goes to standard output (nothing when it went to `-o`).
    pub stdout: Stdout<'a>,
    /// A line for standard error once everything is written.
    pub note: Option<String>,
}

impl<'a> Done<'a> {
    fn new(verdict: Verdict, stdout: Stdout<'a>) -> Done<'a> {
        Done {
            verdict,
            stdout,
            note: None,
        }
    }

    fn passed(stdout: Stdout<'a>) -> Done<'a> {
        Done::new(Verdict::Passed, stdout)
    }
}

/// What goes to standard output.
pub enum Stdout<'a> {
    /// These bytes, written whole (none when the output went to a file).
    Bytes(Vec<u8>),
    /// The rest of the run, which writes as it goes (to standard output or to `-o`): left
    /// until the warnings are shown, so they come first, as they did before it began.
    Later(Rest<'a>),
}

/// The rest of a run that writes as it goes, given standard output.
pub type Rest<'a> = Box<dyn FnOnce(&mut dyn Write) -> Result<(), Failure> + 'a>;

impl Stdout<'_> {
    /// Writes to `stdout` what goes there, and finishes the run.
    pub fn write_to(self, stdout: &mut dyn Write) -> Result<(), Failure> {
        match self {
            Stdout::Bytes(bytes) => write_stdout(stdout, &bytes),
            Stdout::Later(rest) => rest(stdout),
        }
    }
}

impl std::fmt::Debug for Stdout<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stdout::Bytes(bytes) => f.debug_tuple("Bytes").field(&bytes.len()).finish(),
            Stdout::Later(_) => f.write_str("Later"),
        }
    }
}

/// Where a long run says how far it has got: the command line shows a bar on a terminal;
/// [`Quiet`] shows nothing.
pub trait Progress: Sync {
    /// A step over `total` files, e.g. "scoring".
    fn start(&self, verb: &str, total: usize) -> Box<dyn Step + '_>;
}

/// One step of a [`Progress`].
pub trait Step: Sync {
    /// `done` of the files have been dealt with.
    fn set(&self, done: usize);
    /// The step is over.
    fn finish(&self);
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _verb: &str, _total: usize) -> Box<dyn Step + '_> {
        Box::new(Quiet)
    }
}

impl Step for Quiet {
    fn set(&self, _done: usize) {}
    fn finish(&self) {}
}

/// The report for standard output, or with `output` written there (never over a file the
/// run read, a regular file atomically) and nothing for standard output.
fn emit(report: impl Into<Vec<u8>>, output: Option<&Path>) -> Result<Stdout<'static>, Failure> {
    let report = report.into();
    match output {
        Some(output) => {
            crate::source::output::write_all(&[(output, &report)])?;
            Ok(Stdout::Bytes(Vec::new()))
        }
        None => Ok(Stdout::Bytes(report)),
    }
}

fn write_stdout(stdout: &mut dyn Write, bytes: &[u8]) -> Result<(), Failure> {
    stdout.write_all(bytes).map_err(|e| {
        Problem::CannotWriteStdout {
            reason: e.to_string(),
        }
        .unplaced()
        .into()
    })
}

/// `-o out/`: a path that ends with a separator names a directory, existing or not.
fn names_a_directory(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

/// Writes one file per entry of `outputs` into `dir`, creating it when it does not exist:
/// a new directory holds nothing to check; an existing one has every target checked (never
/// a file the run read) before the first is written.
fn write_into(dir: &Path, outputs: &[(&Path, &[u8])]) -> Result<(), Failure> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Problem::CannotCreateDirectory {
                dir: dir.to_path_buf(),
                reason: e.to_string(),
            }
            .unplaced()
        })?;
    }
    crate::source::output::write_all(outputs)
}

/// `outputs` as the pairs [`crate::source::output::write_all`] takes.
fn pairs<'p>(
    targets: &'p [PathBuf],
    bytes: impl Iterator<Item = &'p [u8]>,
) -> Vec<(&'p Path, &'p [u8])> {
    targets.iter().map(PathBuf::as_path).zip(bytes).collect()
}
