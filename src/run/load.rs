//! Reading and scoring evidence files for the commands that need them whole: all or
//! nothing, one file per core.

use std::path::{Path, PathBuf};

use crate::advice::StatementAdvice;
use crate::evidence::Evidence;
use crate::pack::Pack;
use crate::run::Progress;
use crate::run::problem::Problem;
use crate::score::assessment::Assessment;
use crate::source::diagnostic::{Diagnostic, Failure, Worded};

/// Scores every file, noting evidence warnings in `warnings` when `warn` (a second pack
/// scoring the same files does not note them again). All or nothing: one bad file means
/// no assessments, so nothing partial is ever reported.
pub(crate) fn assess_all(
    paths: &[PathBuf],
    pack: &Pack,
    warn: bool,
    progress: &dyn Progress,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Assessment>, Failure> {
    let loaded = load_all(paths, pack, warn, progress, warnings)?;
    Ok(loaded
        .into_iter()
        .map(|(_, assessment)| assessment)
        .collect())
}

/// [`assess_all`], keeping each file's evidence beside its assessment.
pub(crate) fn load_all(
    paths: &[PathBuf],
    pack: &Pack,
    warn: bool,
    progress: &dyn Progress,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(Evidence, Assessment)>, Failure> {
    let step = progress.start("scoring", paths.len());
    let loaded = crate::source::batch::map(
        paths,
        |path| {
            crate::load_evidence(path, pack).map(|evidence| {
                let assessment = crate::assess(&evidence, pack);
                (evidence, assessment)
            })
        },
        |done| step.set(done),
    );
    step.finish();
    let mut assessments = Vec::new();
    let mut problems = Vec::new();
    for result in loaded {
        match result {
            Ok((evidence, assessment)) => {
                if warn {
                    warnings.extend(evidence.warnings.iter().cloned());
                }
                assessments.push((evidence, assessment));
            }
            Err(failure) => problems.extend(failure.diagnostics),
        }
    }
    if problems.is_empty() {
        Ok(assessments)
    } else {
        Err(Failure::new(problems))
    }
}

/// Scores one evidence file and works out the advice for each statement (or only one).
pub(crate) fn advised(
    path: &Path,
    pack: &Pack,
    only: Option<&str>,
    progress: &dyn Progress,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Evidence, Assessment, Vec<StatementAdvice>), Failure> {
    let mut loaded = load_all(&[path.to_path_buf()], pack, true, progress, warnings)?;
    let Some((evidence, assessment)) = loaded.pop() else {
        return Err(Problem::NotRead {
            path: path.to_path_buf(),
        }
        .unplaced()
        .into());
    };
    let advice = match only {
        Some(id) => vec![crate::advice::advise_statement(&evidence, pack, id)],
        None => crate::advice::advise(&evidence, pack, &assessment),
    };
    Ok((evidence, assessment, advice))
}
