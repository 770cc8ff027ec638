//! `score --format text|json` over many evidence files: every file is read and checked
//! first (one bad file and nothing is written), then scored a few files per core at a
//! time and written as it goes, so thousands of files never sit in memory as assessments
//! at once. The bytes are those of rendering every assessment together.

use std::io::Write;
use std::path::PathBuf;

use assure::Failure;
use assure::evidence::Evidence;
use assure::pack::Pack;
use serde::ser::{SerializeSeq, Serializer};

use crate::progress::Progress;

/// How many files are scored together, per core: enough to keep every core busy.
const FILES_PER_CORE: usize = 8;

#[derive(Clone, Copy)]
pub enum Kind {
    Text,
    Json,
}

/// Reads and checks every evidence file, printing their warnings; all or nothing.
pub fn load_every(paths: &[PathBuf], pack: &Pack) -> Result<Vec<Evidence>, Failure> {
    let progress = Progress::new("reading", paths.len());
    let loaded = assure::source::batch::map(
        paths,
        |path| assure::load_evidence(path, pack),
        |done| progress.set(done),
    );
    progress.finish();
    let mut every = Vec::with_capacity(loaded.len());
    let mut problems = Vec::new();
    for result in loaded {
        match result {
            Ok(evidence) => {
                for warning in &evidence.warnings {
                    eprint!("{}", warning.render());
                }
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
pub fn write(
    out: &mut dyn Write,
    evidence: &[Evidence],
    pack: &Pack,
    kind: Kind,
) -> std::io::Result<()> {
    let progress = Progress::new("scoring", evidence.len());
    let result = match (kind, evidence) {
        (Kind::Text, _) => {
            let mut first = true;
            each(evidence, pack, &progress, |assessment| {
                if !std::mem::take(&mut first) {
                    out.write_all(b"\n")?;
                }
                let one = assure::report::text::render(std::slice::from_ref(&assessment));
                out.write_all(one.as_bytes())
            })
        }
        // One file is an object, several an array (report::json::render).
        (Kind::Json, [one]) => {
            let assessment = assure::assess(one, pack);
            let json = assure::report::json::render(std::slice::from_ref(&assessment));
            out.write_all(json.as_bytes())
        }
        (Kind::Json, _) => {
            let mut json = serde_json::Serializer::pretty(&mut *out);
            let mut array = json.serialize_seq(Some(evidence.len())).map_err(to_io)?;
            each(evidence, pack, &progress, |assessment| {
                array.serialize_element(&assessment).map_err(to_io)
            })?;
            array.end().map_err(to_io)?;
            out.write_all(b"\n")
        }
    };
    progress.finish();
    result
}

/// Scores the files a chunk at a time, one file per core, and hands each assessment on in
/// input order.
fn each(
    evidence: &[Evidence],
    pack: &Pack,
    progress: &Progress,
    mut take: impl FnMut(assure::Assessment) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut done = 0;
    for chunk in evidence.chunks(cores * FILES_PER_CORE) {
        for assessment in assure::source::batch::map(chunk, |e| assure::assess(e, pack), |_| {}) {
            take(assessment)?;
        }
        done += chunk.len();
        progress.set(done);
    }
    Ok(())
}

fn to_io(error: serde_json::Error) -> std::io::Error {
    std::io::Error::other(error)
}
