//! `assure calibrate`: the pack's scores against the scores CQC published.

use std::path::{Path, PathBuf};

use crate::run::problem::Problem;
use crate::run::{Done, Outcome, Progress, Verdict};
use crate::source::diagnostic::Worded;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CalibrationFormat {
    Text,
    /// A Markdown page, as docs/calibration.md.
    Md,
    Json,
}

/// What `assure calibrate` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// A YAML list of published assessments.
    pub published: PathBuf,
    /// Evidence files or directories, matched to entries by file name; none for the files
    /// the entries name, beside the published-scores file.
    pub evidence: Vec<PathBuf>,
    /// A rule pack; the built-in pack when `None`.
    pub rules: Option<PathBuf>,
    pub format: CalibrationFormat,
    pub output: Option<PathBuf>,
}

/// Writes the calibration report; [`Verdict::Differs`] when some compared score disagrees.
pub fn calibrate<'a>(request: &Request, progress: &dyn Progress) -> Outcome<'a> {
    Outcome::of(|warnings| {
        let published = request.published.as_path();
        let pack = crate::load_pack(request.rules.as_deref())?;
        let entries = crate::compare::calibration::load_published(published, &pack.framework)?;
        let given = crate::evidence_paths(&request.evidence)?;
        let paths = crate::compare::calibration::evidence_for(&entries, &given)?;
        let scored = crate::run::load::load_all(&paths, &pack, true, progress, warnings)?;
        let Some(calibration) = crate::compare::calibration::calibrate(&entries, &scored) else {
            return Err(Problem::NoPublishedAssessments {
                published: published.to_path_buf(),
            }
            .unplaced()
            .into());
        };
        let report = match request.format {
            CalibrationFormat::Text => crate::report::calibration::text(&calibration),
            CalibrationFormat::Md => {
                let command = command_line(published, &request.evidence, request.rules.as_deref());
                crate::report::calibration::markdown(&calibration, &command)
            }
            CalibrationFormat::Json => crate::report::calibration::json(&calibration)?,
        };
        let stdout = crate::run::emit(report, request.output.as_deref())?;
        Ok(Done::new(
            Verdict::from_passed(calibration.matches()),
            stdout,
        ))
    })
}

/// The command that regenerates a calibration page (without the output options, so the
/// page reads the same however it was written).
fn command_line(published: &Path, evidence: &[PathBuf], rules: Option<&Path>) -> String {
    let mut words = vec![
        "assure calibrate".to_string(),
        published.display().to_string(),
    ];
    words.extend(evidence.iter().map(|path| path.display().to_string()));
    if let Some(rules) = rules {
        words.push(format!("--rules {}", rules.display()));
    }
    words.push("--format md".to_string());
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::command_line;
    use std::path::{Path, PathBuf};

    #[test]
    fn the_command_line_leaves_out_the_output_options() {
        let evidence = vec![PathBuf::from("examples")];
        assert_eq!(
            command_line(Path::new("published.yaml"), &evidence, None),
            "assure calibrate published.yaml examples --format md"
        );
        assert_eq!(
            command_line(Path::new("p.yaml"), &[], Some(Path::new("rules/x"))),
            "assure calibrate p.yaml --rules rules/x --format md"
        );
    }
}
