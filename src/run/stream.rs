//! `score --format text|json` over many evidence files: every file is read and checked
//! first (one bad file and nothing is written), then scored a few files per core at a
//! time and written as it goes, so thousands of files never sit in memory as assessments
//! at once. The bytes are those of rendering every assessment together.

use std::io::Write;
use std::path::PathBuf;

use serde::ser::{SerializeSeq, Serializer};

use crate::evidence::Evidence;
use crate::pack::Pack;
use crate::run::{Progress, Step};
use crate::score::assessment::Assessment;
use crate::source::diagnostic::{Diagnostic, Failure};

/// How many files are scored together, per core: enough to keep every core busy.
const FILES_PER_CORE: usize = 8;

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Text,
    Json,
}

/// Reads and checks every evidence file, noting their warnings in `warnings`; all or
/// nothing.
pub(crate) fn load_every(
    paths: &[PathBuf],
    pack: &Pack,
    progress: &dyn Progress,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Evidence>, Failure> {
    let step = progress.start("reading", paths.len());
    let loaded = crate::source::batch::map(
        paths,
        |path| crate::load_evidence(path, pack),
        |done| step.set(done),
    );
    step.finish();
    let mut every = Vec::with_capacity(loaded.len());
    let mut problems = Vec::new();
    for result in loaded {
        match result {
            Ok(evidence) => {
                warnings.extend(evidence.warnings.iter().cloned());
                every.push(evidence);
            }
            Err(failure) => problems.extend(failure.diagnostics),
        }
    }
    match problems.is_empty() {
        true => Ok(every),
        false => Err(Failure::new(problems)),
    }
}

/// Scores and writes every file's assessment, in input order.
pub(crate) fn write(
    out: &mut dyn Write,
    evidence: &[Evidence],
    pack: &Pack,
    kind: Kind,
    progress: &dyn Progress,
) -> std::io::Result<()> {
    let step = progress.start("scoring", evidence.len());
    let result = match (kind, evidence) {
        (Kind::Text, _) => {
            let mut first = true;
            each(evidence, pack, &*step, |assessment| {
                if !std::mem::take(&mut first) {
                    out.write_all(b"\n")?;
                }
                let one = crate::report::text::render(std::slice::from_ref(&assessment));
                out.write_all(one.as_bytes())
            })
        }
        // One file is an object, several an array (report::json::render).
        (Kind::Json, [one]) => {
            let assessment = crate::assess(one, pack);
            let json = crate::report::json::render(std::slice::from_ref(&assessment))
                .map_err(|problem| std::io::Error::other(problem.message))?;
            out.write_all(json.as_bytes())
        }
        (Kind::Json, _) => {
            let mut json = serde_json::Serializer::pretty(&mut *out);
            let mut array = json.serialize_seq(Some(evidence.len())).map_err(to_io)?;
            each(evidence, pack, &*step, |assessment| {
                array.serialize_element(&assessment).map_err(to_io)
            })?;
            array.end().map_err(to_io)?;
            out.write_all(b"\n")
        }
    };
    step.finish();
    result
}

/// Scores the files a chunk at a time, one file per core, and hands each assessment on in
/// input order.
fn each(
    evidence: &[Evidence],
    pack: &Pack,
    step: &dyn Step,
    mut take: impl FnMut(Assessment) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done = 0;
    for chunk in evidence.chunks(cores * FILES_PER_CORE) {
        for assessment in crate::source::batch::map(chunk, |e| crate::assess(e, pack), |_| {}) {
            take(assessment)?;
        }
        done += chunk.len();
        step.set(done);
    }
    Ok(())
}

fn to_io(error: serde_json::Error) -> std::io::Error {
    std::io::Error::other(error)
}
