//! `assure score`: every evidence file scored, as text or JSON written as it goes, or as
//! one report per council (Markdown, HTML, Word).

use std::path::{Path, PathBuf};

use crate::pack::Pack;
use crate::run::problem::Problem;
use crate::run::stream::{self, Kind};
use crate::run::{Done, Outcome, Progress, Stdout};
use crate::source::diagnostic::{Diagnostic, Failure, Worded};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// One Markdown report per council.
    Md,
    /// One self-contained HTML report per council.
    Html,
    /// One Word document per council, for a committee pack (needs `-o FILE|DIR`).
    Docx,
}

/// What `assure score` takes.
#[derive(Clone, Debug)]
pub struct Request {
    /// Evidence files, or directories of them.
    pub evidence: Vec<PathBuf>,
    /// A rule pack; the built-in pack when `None`.
    pub rules: Option<PathBuf>,
    pub format: Format,
    /// Where to write instead of standard output: with one report per council and several
    /// evidence files, a directory.
    pub output: Option<PathBuf>,
}

/// Scores the evidence. All of it is read and checked before the first assessment is
/// written; the scoring and writing are left to [`Stdout::Later`], after the warnings.
pub fn score<'a>(request: &'a Request, progress: &'a dyn Progress) -> Outcome<'a> {
    Outcome::of(|warnings| {
        let pack = crate::load_pack(request.rules.as_deref())?;
        let paths = crate::evidence_paths(&request.evidence)?;
        let output = request.output.as_deref();
        let kind = match request.format {
            Format::Text => Kind::Text,
            Format::Json => Kind::Json,
            Format::Md | Format::Html | Format::Docx => {
                return council_reports(paths, pack, request.format, output, progress, warnings);
            }
        };
        let evidence = stream::load_every(&paths, &pack, progress, warnings)?;
        Ok(Done::passed(Stdout::Later(Box::new(move |stdout| {
            crate::source::output::write_streamed(output, stdout, |out| {
                stream::write(out, &evidence, &pack, kind, progress)
            })
        }))))
    })
}

/// One Markdown, HTML or Word report per council: for one evidence file to `output` or
/// standard output (or into `output` when it is a directory), for several into the
/// directory `output` as `<evidence file stem>.md|html|docx`. Every report is rendered,
/// and every target checked, before the first is written.
fn council_reports<'a>(
    paths: Vec<PathBuf>,
    pack: Pack,
    format: Format,
    output: Option<&'a Path>,
    progress: &'a dyn Progress,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Done<'a>, Failure> {
    let extension = match format {
        Format::Html => "html",
        Format::Docx => "docx",
        _ => "md",
    };
    let plan =
        plan_reports(&paths, format, output, extension).map_err(|problem| problem.unplaced())?;
    let scored = crate::run::load::load_all(&paths, &pack, true, progress, warnings)?;
    Ok(Done::passed(Stdout::Later(Box::new(move |stdout| {
        // The advice behind each report scores thousands of variants: one council per core.
        let step = progress.start("writing reports", scored.len());
        let rendered = crate::source::batch::map(
            &scored,
            |(evidence, assessment)| {
                let advice = crate::advice::advise(evidence, &pack, assessment);
                let report = crate::report::CouncilReport {
                    assessment,
                    advice: &advice,
                    evidence,
                    pack: &pack,
                };
                match format {
                    Format::Html => crate::report::html(&report).map(String::into_bytes),
                    Format::Docx => crate::report::docx(&report),
                    _ => crate::report::markdown(&report).map(String::into_bytes),
                }
            },
            |done| step.set(done),
        );
        step.finish();
        let reports = rendered.into_iter().collect::<Result<Vec<Vec<u8>>, _>>()?;
        match plan {
            Plan::Into(dir, targets) => crate::run::write_into(
                dir,
                &crate::run::pairs(&targets, reports.iter().map(Vec::as_slice)),
            ),
            Plan::One => match reports.into_iter().next() {
                None => Ok(()),
                Some(report) => crate::run::emit(report, output)?.write_to(stdout),
            },
        }
    }))))
}

/// Where the reports go.
#[derive(Debug, PartialEq, Eq)]
enum Plan<'a> {
    /// One report, to `-o FILE` or standard output.
    One,
    /// One report per evidence file, into the directory, as these files.
    Into(&'a Path, Vec<PathBuf>),
}

/// Where the reports for `paths` go, refusing before anything is read what cannot be
/// written: a Word document to standard output, several reports to one file or none,
/// two reports to the same file.
fn plan_reports<'a>(
    paths: &[PathBuf],
    format: Format,
    output: Option<&'a Path>,
    extension: &str,
) -> Result<Plan<'a>, Problem> {
    if matches!(format, Format::Docx) && output.is_none() {
        return Err(Problem::WordToStdout);
    }
    match output {
        Some(dir) if paths.len() > 1 || dir.is_dir() || crate::run::names_a_directory(dir) => {
            Ok(Plan::Into(dir, report_paths(paths, dir, extension)?))
        }
        _ if paths.len() > 1 => Err(Problem::ReportsNeedDirectory {
            files: paths.len(),
            extension: extension.to_string(),
        }),
        _ => Ok(Plan::One),
    }
}

/// `DIR/<stem>.<extension>` for each evidence file; two files of the same stem would write
/// one report over the other, so that is an error.
fn report_paths(paths: &[PathBuf], dir: &Path, extension: &str) -> Result<Vec<PathBuf>, Problem> {
    if dir.exists() && !dir.is_dir() {
        return Err(Problem::ReportDirectoryIsFile {
            dir: dir.to_path_buf(),
        });
    }
    let mut targets: Vec<PathBuf> = Vec::new();
    for path in paths {
        let stem = path.file_stem().unwrap_or(path.as_os_str());
        let target = dir.join(stem).with_extension(extension);
        if let Some(index) = targets.iter().position(|t| *t == target) {
            return Err(Problem::SameReportName {
                first: paths[index].clone(),
                second: path.clone(),
                target,
            });
        }
        targets.push(target);
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::{Format, Plan, plan_reports, report_paths};
    use crate::run::problem::Problem;
    use crate::source::diagnostic::Worded;
    use std::path::{Path, PathBuf};

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn each_report_is_named_after_its_evidence_file() {
        let targets = report_paths(
            &paths(&["a/medway.yaml", "b/surrey.yml"]),
            Path::new("/nowhere/out"),
            "html",
        )
        .unwrap();
        assert_eq!(
            targets,
            paths(&["/nowhere/out/medway.html", "/nowhere/out/surrey.html"])
        );
    }

    #[test]
    fn two_evidence_files_of_the_same_stem_are_refused() {
        let failure = report_paths(
            &paths(&["a/medway.yaml", "b/medway.json"]),
            Path::new("/nowhere/out"),
            "md",
        )
        .unwrap_err();
        let message = failure.unplaced().render();
        assert!(
            message.contains(
                "`a/medway.yaml` and `b/medway.json` would both be reported as `/nowhere/out/medway.md`"
            ),
            "{message}"
        );
        assert!(message.contains("give the evidence files different names"));
    }

    #[test]
    fn a_file_is_not_a_directory_for_reports() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let failure = report_paths(&paths(&["a.yaml", "b.yaml"]), file.path(), "md").unwrap_err();
        assert!(
            failure
                .unplaced()
                .render()
                .contains("is a file; one report per council needs a directory")
        );
    }

    #[test]
    fn a_trailing_separator_names_a_directory_even_for_one_report() {
        let plan = plan_reports(
            &paths(&["x/medway.yaml"]),
            Format::Md,
            Some(Path::new("/nowhere/out/")),
            "md",
        )
        .unwrap();
        assert_eq!(
            plan,
            Plan::Into(
                Path::new("/nowhere/out/"),
                paths(&["/nowhere/out/medway.md"])
            )
        );
        assert!(crate::run::names_a_directory(Path::new("out/")));
        assert!(!crate::run::names_a_directory(Path::new("out")));
    }

    #[test]
    fn one_report_goes_to_the_file_or_standard_output() {
        let one = paths(&["medway.yaml"]);
        let file = Some(Path::new("/nowhere/medway.md"));
        assert_eq!(
            plan_reports(&one, Format::Md, file, "md").unwrap(),
            Plan::One
        );
        assert_eq!(
            plan_reports(&one, Format::Html, None, "html").unwrap(),
            Plan::One
        );
    }

    #[test]
    fn several_reports_need_a_directory() {
        let two = paths(&["a.yaml", "b.yaml"]);
        let failure = plan_reports(&two, Format::Md, None, "md").unwrap_err();
        assert!(
            failure
                .unplaced()
                .render()
                .contains("2 evidence files make 2 reports, one per council, but no directory")
        );
        let dir = plan_reports(&two, Format::Md, Some(Path::new("/nowhere/out")), "md").unwrap();
        assert!(matches!(dir, Plan::Into(_, targets) if targets.len() == 2));
    }

    #[test]
    fn a_word_document_is_never_printed() {
        let failure = plan_reports(&paths(&["a.yaml"]), Format::Docx, None, "docx").unwrap_err();
        assert!(
            failure
                .unplaced()
                .render()
                .contains("a Word document is not text to print")
        );
    }

    #[test]
    fn each_refusal_is_its_problem() {
        assert_eq!(
            plan_reports(&paths(&["a.yaml"]), Format::Docx, None, "docx"),
            Err(Problem::WordToStdout)
        );
        assert_eq!(
            plan_reports(&paths(&["a.yaml", "b.yaml"]), Format::Html, None, "html"),
            Err(Problem::ReportsNeedDirectory {
                files: 2,
                extension: "html".to_string()
            })
        );
        assert_eq!(
            report_paths(
                &paths(&["a/medway.yaml", "b/medway.json"]),
                Path::new("/nowhere/out"),
                "md"
            ),
            Err(Problem::SameReportName {
                first: PathBuf::from("a/medway.yaml"),
                second: PathBuf::from("b/medway.json"),
                target: PathBuf::from("/nowhere/out/medway.md"),
            })
        );
        let file = tempfile::NamedTempFile::new().unwrap();
        assert_eq!(
            report_paths(&paths(&["a.yaml", "b.yaml"]), file.path(), "md"),
            Err(Problem::ReportDirectoryIsFile {
                dir: file.path().to_path_buf()
            })
        );
    }
}
