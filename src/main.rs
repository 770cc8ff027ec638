//! The `assure` command line: parses arguments, calls the library, prints, and maps
//! failures to exit codes (0 done, 1 a check found differences, 2 bad input).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use assure::evidence::Evidence;

#[path = "cli/progress.rs"]
mod progress;
#[path = "cli/streamed.rs"]
mod streamed;

use assure::report::schema::{SchemaKind, schema_json};
use assure::{Assessment, Failure};
use progress::Progress;

#[derive(Parser)]
#[command(
    name = "assure",
    version,
    about = "Score adult social care evidence against the CQC assessment framework"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Propose a 1-4 score for each quality statement, with the rules and evidence behind it.
    Score {
        /// Evidence files, or directories of them.
        #[arg(required = true)]
        evidence: Vec<PathBuf>,
        /// A rule pack (directory or single YAML file); the built-in pack by default.
        #[arg(long, value_name = "PACK")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the report here instead of standard output (atomically); with `md`,
        /// `html` or `docx` and several evidence files, a directory for one report per
        /// council. A `docx` report always needs it.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Explain a statement's score: every rule, fired or not, each test's values against its
    /// reference, near misses, and what would raise or lower the score.
    Explain {
        /// One evidence file.
        evidence: PathBuf,
        /// The quality statement to explain (its id); every statement by default.
        #[arg(long, value_name = "ID")]
        statement: Option<String>,
        /// A rule pack (directory or single YAML file); the built-in pack by default.
        #[arg(long, value_name = "PACK")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = DataFormat::Text)]
        format: DataFormat,
        /// Write the report here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the evidence the pack would read but the file lacks, by statement and category,
    /// ranked by how far it could move the score.
    Gaps {
        /// One evidence file.
        evidence: PathBuf,
        /// A rule pack (directory or single YAML file); the built-in pack by default.
        #[arg(long, value_name = "PACK")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = DataFormat::Text)]
        format: DataFormat,
        /// Write the report here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Compare the pack's scores with scores CQC published for the same councils, and with
    /// two naive baselines, on the statements the evidence covers.
    ///
    /// Exits 0 when every compared statement score and overall result agrees, 1 when any
    /// differs.
    Calibrate {
        /// A YAML list of published assessments (authority, file, overall, percent, scores,
        /// and optionally split: development or held-out).
        published: PathBuf,
        /// Evidence files or directories, matched to entries by file name; by default the
        /// files the entries name, beside the published-scores file.
        evidence: Vec<PathBuf>,
        /// A rule pack (directory or single YAML file); the built-in pack by default.
        #[arg(long, value_name = "PACK")]
        rules: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CalibrationFormat::Text)]
        format: CalibrationFormat,
        /// Write the report here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show which scores a change to a pack moves, and which rules moved them.
    ///
    /// Exits 0 when nothing moves, 1 when a statement score or overall result moves.
    Diff {
        /// The pack before: a directory, a file, or `git:REV:PATH` (PATH from the repository
        /// root) for the pack at a git revision, e.g. `git:origin/main:rules/cqc-la`.
        old: String,
        /// The pack after, in the same forms.
        new: String,
        /// Evidence files, or directories of them, to score with both packs.
        #[arg(required = true)]
        evidence: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Write the report here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Rewrite every rule sentence of a pack in canonical form, leaving the rest of each file
    /// as written.
    ///
    /// Exits 1 with `--check` when a file would change.
    Fmt {
        /// A pack directory or single-file pack; the built-in pack (only with `--check`) by
        /// default.
        pack: Option<PathBuf>,
        /// Change nothing; list the files and rules that would change.
        #[arg(long)]
        check: bool,
    },
    /// Check a rule pack for mistakes: unknown tags, contradictions, conflicts, gaps.
    ///
    /// Exits 0 when clean (or only warnings), 1 when there are errors (or warnings with
    /// `--deny warnings`), 2 when the pack cannot be read.
    Check {
        /// A rule pack (directory or single YAML file); the built-in pack by default.
        pack: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Treat warnings as failures.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
    },
    /// Run a pack's test cases and measure how much of the pack they exercise.
    ///
    /// Exits 0 when every case passes (and rule coverage reaches `--min-coverage`), 1 when a
    /// case fails or cannot be loaded or coverage is below the minimum, 2 when the pack, a
    /// case file or an evidence file cannot be read.
    Test {
        /// A rule pack (directory or single YAML file); the built-in pack by default.
        pack: Option<PathBuf>,
        /// The case files: a directory of them, or one file; by default the pack
        /// directory's `tests/` (the built-in pack's own cases without PACK).
        #[arg(long, value_name = "DIR")]
        cases: Option<PathBuf>,
        /// The folder a case's evidence file must be in; by default the pack directory, or
        /// the folder of `--cases` when the cases are kept apart from the pack.
        #[arg(long, value_name = "DIR")]
        evidence_root: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = TestFormat::Text)]
        format: TestFormat,
        /// Fail when fewer than N per cent of the pack's rules are covered.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
        min_coverage: Option<u8>,
        /// Write the report here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of a file `assure` reads, for an editor's YAML language server.
    Schema {
        #[arg(value_enum)]
        kind: SchemaFile,
        /// Write the schema here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Make an evidence file from a table of metrics and findings: a CSV file, or a sheet
    /// of an Excel workbook (.xlsx).
    ///
    /// Writes nothing and exits 2 when the table or any row of it cannot be read, naming
    /// each row and column; with `--skip-bad-rows`, writes the rows that read and lists the
    /// others.
    Import {
        /// The table: a .csv file or an .xlsx workbook.
        table: PathBuf,
        /// The sheet of a workbook to read; the first by default.
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// A mapping file: which columns hold which field, the council, defaults
        /// (docs/import.md). Common headers are recognised without one.
        #[arg(long, value_name = "MAPPING")]
        map: Option<PathBuf>,
        /// Write the rows that read, listing the others on standard error, instead of
        /// writing nothing.
        #[arg(long)]
        skip_bad_rows: bool,
        /// A rule pack whose metric catalogue names the metrics; the built-in pack by
        /// default.
        #[arg(long, value_name = "PACK")]
        rules: Option<PathBuf>,
        /// From a national ASCOF file: the council to import, by name (any year's) or ONS
        /// code (docs/national-data.md).
        #[arg(long, value_name = "NAME|ONS-CODE", conflicts_with = "all")]
        authority: Option<String>,
        /// From a national ASCOF file: every council, one file each, into `-o DIR`.
        #[arg(long, requires = "output")]
        all: bool,
        /// From a national ASCOF file: the year to import (the latest by default), or the
        /// year of an open-data release.
        #[arg(long, value_name = "YYYY-YY")]
        year: Option<String>,
        /// Write the evidence here instead of standard output (atomically); with `--all`,
        /// the directory for the files.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaFile {
    /// An evidence file.
    Evidence,
    /// A document of a rule pack (header, statement rules, or metrics).
    Pack,
    /// A pack's test case file.
    Cases,
}

#[derive(Clone, Copy, ValueEnum)]
enum TestFormat {
    Text,
    Json,
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    Warnings,
}

/// Formats of the analyses that are not a report to circulate (`explain`, `gaps`).
#[derive(Clone, Copy, ValueEnum)]
enum DataFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum CalibrationFormat {
    Text,
    /// A Markdown page, as docs/calibration.md.
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// One Markdown report per council.
    Md,
    /// One self-contained HTML report per council.
    Html,
    /// One Word document per council, for a committee pack (needs `-o FILE|DIR`).
    Docx,
}

/// Exit code when a check ran and found differences.
const DIFFERS: u8 = 1;
/// Exit code for input that cannot be read or is not valid.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Score {
            evidence,
            rules,
            format,
            output,
        } => finish(score(
            &evidence,
            rules.as_deref(),
            format,
            output.as_deref(),
        )),
        Command::Explain {
            evidence,
            statement,
            rules,
            format,
            output,
        } => finish(explain(
            &evidence,
            statement.as_deref(),
            rules.as_deref(),
            format,
            output.as_deref(),
        )),
        Command::Gaps {
            evidence,
            rules,
            format,
            output,
        } => finish(gaps(&evidence, rules.as_deref(), format, output.as_deref())),
        Command::Calibrate {
            published,
            evidence,
            rules,
            format,
            output,
        } => {
            let reproduced = calibrate(
                &published,
                &evidence,
                rules.as_deref(),
                format,
                output.as_deref(),
            );
            match reproduced {
                Ok(false) => ExitCode::from(DIFFERS),
                other => finish(other.map(|_| ())),
            }
        }
        Command::Diff {
            old,
            new,
            evidence,
            format,
            output,
        } => match diff(&old, &new, &evidence, format, output.as_deref()) {
            Ok(false) => ExitCode::from(DIFFERS),
            other => finish(other.map(|_| ())),
        },
        Command::Fmt { pack, check } => match format(pack.as_deref(), check) {
            Ok(false) => ExitCode::from(DIFFERS),
            other => finish(other.map(|_| ())),
        },
        Command::Check { pack, format, deny } => match check(pack.as_deref(), format) {
            Ok(findings) if assure::check::fails(&findings, deny == Some(Deny::Warnings)) => {
                ExitCode::from(DIFFERS)
            }
            other => finish(other.map(|_| ())),
        },
        Command::Test {
            pack,
            cases,
            evidence_root,
            format,
            min_coverage,
            output,
        } => match test(
            pack.as_deref(),
            cases.as_deref(),
            evidence_root.as_deref(),
            format,
            min_coverage,
            output.as_deref(),
        ) {
            Ok(false) => ExitCode::from(DIFFERS),
            other => finish(other.map(|_| ())),
        },
        Command::Schema { kind, output } => {
            let kind = match kind {
                SchemaFile::Evidence => SchemaKind::Evidence,
                SchemaFile::Pack => SchemaKind::Pack,
                SchemaFile::Cases => SchemaKind::Cases,
            };
            finish(emit(&schema_json(kind), output.as_deref()))
        }
        Command::Import {
            table,
            sheet,
            map,
            skip_bad_rows,
            rules,
            authority,
            all,
            year,
            output,
        } if authority.is_some() || all || year.is_some() => {
            let request = assure::evidence::import::ascof::Request {
                authority,
                all,
                year,
                sheet,
            };
            finish(national_import(
                &table,
                &request,
                map.is_some() || skip_bad_rows,
                rules.as_deref(),
                output.as_deref(),
            ))
        }
        Command::Import {
            table,
            sheet,
            map,
            skip_bad_rows,
            rules,
            output,
            ..
        } => finish(import(
            &table,
            sheet.as_deref(),
            map.as_deref(),
            skip_bad_rows,
            rules.as_deref(),
            output.as_deref(),
        )),
    }
}

/// Runs a pack's test cases and writes the report; `Ok(false)` when a case failed or could
/// not be loaded, or coverage is below the minimum.
fn test(
    pack_path: Option<&Path>,
    cases: Option<&Path>,
    evidence_root: Option<&Path>,
    format: TestFormat,
    min_coverage: Option<u8>,
    output: Option<&Path>,
) -> Result<bool, Failure> {
    let pack = assure::load_pack(pack_path)?;
    let loaded = assure::load_cases(pack_path, cases, evidence_root, &pack)?;
    let run = assure::packtest::run::run(&pack, &loaded, min_coverage);
    for warning in &run.warnings {
        eprint!("{}", warning.render());
    }
    let report = match format {
        TestFormat::Text => assure::report::testing::text(&run),
        TestFormat::Json => assure::report::testing::json(&run),
        TestFormat::Junit => assure::report::testing::junit(&run),
    };
    emit(&report, output)?;
    Ok(run.passed())
}

/// Formats a pack in place, or with `check` only reports; `Ok(false)` when `check` found
/// files that would change.
fn format(pack: Option<&Path>, check: bool) -> Result<bool, Failure> {
    if pack.is_none() && !check {
        return Err(assure::Diagnostic::error(
            "the built-in pack cannot be rewritten; name a pack directory or file, or use `--check`",
        )
        .into());
    }
    let files = assure::pack_files(pack)?;
    let loaded = assure::load_pack_files(&files)?;
    let formatted = assure::pack::formatter::format_pack(&loaded)?;
    assure::pack::formatter::verify(&loaded, &files, &formatted)?;
    let mut stdout = std::io::stdout().lock();
    for file in &formatted {
        let verb = if check {
            "would reformat"
        } else {
            "reformatted"
        };
        let line = format!("{verb} {} ({})", file.file.name, file.rules.join(", "));
        let _ = writeln!(stdout, "{}", assure::source::escape::text(&line));
        if !check {
            assure::write_atomically(
                Path::new(&file.file.name),
                &file.text,
                file.file.had_byte_order_mark(),
            )?;
        }
    }
    Ok(!check || formatted.is_empty())
}

/// Prints the pack's findings. A pack that fails to load with coded problems (an unknown
/// metric, say) is still checked: those problems are its findings.
fn check(pack: Option<&Path>, format: CheckFormat) -> Result<Vec<assure::check::Finding>, Failure> {
    let findings = match assure::load_pack(pack) {
        Ok(pack) => assure::check::check(&pack),
        Err(failure) => assure::check::load_findings(&failure).ok_or(failure)?,
    };
    let report = match format {
        CheckFormat::Text => assure::report::check::text(&findings),
        CheckFormat::Json => assure::report::check::json(&findings),
        CheckFormat::Sarif => {
            let base = std::env::current_dir()
                .ok()
                .map(|dir| dir.display().to_string());
            assure::report::check::sarif(&findings, base.as_deref())
        }
    };
    emit(&report, None)?;
    Ok(findings)
}

fn finish(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprint!("{}", failure.render());
            ExitCode::from(BAD_INPUT)
        }
    }
}

fn score(
    evidence: &[PathBuf],
    rules: Option<&Path>,
    format: Format,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let pack = assure::load_pack(rules)?;
    let paths = assure::evidence_paths(evidence)?;
    let kind = match format {
        Format::Text => streamed::Kind::Text,
        Format::Json => streamed::Kind::Json,
        Format::Md | Format::Html | Format::Docx => {
            return council_reports(&paths, &pack, format, output);
        }
    };
    // All the evidence is read and checked before the first assessment is written.
    let evidence = streamed::load_every(&paths, &pack)?;
    assure::source::output::write_streamed(output, |out| {
        streamed::write(out, &evidence, &pack, kind)
    })
}

/// Scores one evidence file and works out the advice for each statement (or only one).
fn advised(
    path: &Path,
    pack: &assure::pack::Pack,
    only: Option<&str>,
) -> Result<(Evidence, Assessment, Vec<assure::advice::StatementAdvice>), Failure> {
    let mut loaded = load_all(&[path.to_path_buf()], pack, true)?;
    let Some((evidence, assessment)) = loaded.pop() else {
        return Err(assure::Diagnostic::error(format!("`{}` was not read", path.display())).into());
    };
    let advice = match only {
        Some(id) => vec![assure::advice::advise_statement(&evidence, pack, id)],
        None => assure::advice::advise(&evidence, pack, &assessment),
    };
    Ok((evidence, assessment, advice))
}

fn explain(
    evidence: &Path,
    statement: Option<&str>,
    rules: Option<&Path>,
    format: DataFormat,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let pack = assure::load_pack(rules)?;
    let statement = match statement {
        Some(given) => match pack.framework.statement_named(given) {
            Some(found) => Some(found.id.clone()),
            None => {
                let ids: Vec<&str> = pack.framework.statements().map(|s| s.id.as_str()).collect();
                let near = assure::source::diagnostic::nearest(given, ids.iter().copied(), 2);
                let help = assure::source::diagnostic::did_you_mean(&near)
                    .unwrap_or_else(|| format!("the statements are: {}", ids.join(", ")));
                return Err(assure::Diagnostic::error(format!(
                    "`{given}` is not a quality statement (by id or name)"
                ))
                .with_help(help)
                .into());
            }
        },
        None => None,
    };
    let (loaded, assessment, advice) = advised(evidence, &pack, statement.as_deref())?;
    let explanations = assure::report::explain::explanations(&assessment, &advice, &loaded, &pack);
    let report = match format {
        DataFormat::Text => assure::report::explain::text(&explanations),
        DataFormat::Json => assure::report::explain::json(&explanations),
    };
    emit(&report, output)
}

fn gaps(
    evidence: &Path,
    rules: Option<&Path>,
    format: DataFormat,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let pack = assure::load_pack(rules)?;
    let (_, assessment, advice) = advised(evidence, &pack, None)?;
    let report = match format {
        DataFormat::Text => assure::report::gaps::text(&assessment, &advice),
        DataFormat::Json => assure::report::gaps::json(&assessment, &advice),
    };
    emit(&report, output)
}

/// One Markdown or HTML report per council: for one evidence file to `output` or standard
/// output (or into `output` when it is a directory), for several into the directory
/// `output` as `<evidence file stem>.md|html`. Every report is rendered, and every target
/// checked, before the first is written.
fn council_reports(
    paths: &[PathBuf],
    pack: &assure::pack::Pack,
    format: Format,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let extension = match format {
        Format::Html => "html",
        Format::Docx => "docx",
        _ => "md",
    };
    if matches!(format, Format::Docx) && output.is_none() {
        return Err(assure::Diagnostic::error(
            "a Word document is not text to print: name a file or a directory for it",
        )
        .with_help("write it with `-o FILE.docx`, or `-o DIR` for one per council")
        .into());
    }
    let directory = match output {
        Some(dir) if paths.len() > 1 || dir.is_dir() || names_a_directory(dir) => Some(dir),
        _ if paths.len() > 1 => {
            return Err(assure::Diagnostic::error(format!(
                "{} evidence files make {} reports, one per council, but no directory was named for them",
                paths.len(),
                paths.len()
            ))
            .with_help(format!(
                "write them into a directory with `-o DIR`, as `DIR/<evidence file name>.{extension}`"
            ))
            .into());
        }
        _ => None,
    };
    let targets = match directory {
        Some(dir) => Some(report_paths(paths, dir, extension)?),
        None => None,
    };
    let scored = load_all(paths, pack, true)?;
    // The advice behind each report scores thousands of variants: one council per core.
    let progress = Progress::new("writing reports", scored.len());
    let rendered = assure::source::batch::map(
        &scored,
        |(evidence, assessment)| {
            let advice = assure::advice::advise(evidence, pack, assessment);
            let report = assure::report::CouncilReport {
                assessment,
                advice: &advice,
                evidence,
                pack,
            };
            match format {
                Format::Html => assure::report::html(&report).map(String::into_bytes),
                Format::Docx => assure::report::docx(&report),
                _ => assure::report::markdown(&report).map(String::into_bytes),
            }
        },
        |done| progress.set(done),
    );
    progress.finish();
    let reports = rendered.into_iter().collect::<Result<Vec<Vec<u8>>, _>>()?;
    let (Some(dir), Some(targets)) = (directory, targets) else {
        return reports
            .first()
            .map_or(Ok(()), |report| emit_report(report, output));
    };
    // A new directory holds nothing to check; an existing one has every target checked
    // before the first is written.
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| {
            assure::Diagnostic::error(format!("cannot create directory `{}`: {e}", dir.display()))
        })?;
    }
    let outputs: Vec<(&Path, &[u8])> = targets
        .iter()
        .map(PathBuf::as_path)
        .zip(reports.iter().map(Vec::as_slice))
        .collect();
    assure::source::output::write_all(&outputs)
}

/// `-o out/`: a path that ends with a separator names a directory, existing or not.
fn names_a_directory(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR)
}

/// `DIR/<stem>.<extension>` for each evidence file; two files of the same stem would write
/// one report over the other, so that is an error.
fn report_paths(paths: &[PathBuf], dir: &Path, extension: &str) -> Result<Vec<PathBuf>, Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(assure::Diagnostic::error(format!(
            "`{}` is a file; one report per council needs a directory",
            dir.display()
        ))
        .into());
    }
    let mut targets: Vec<PathBuf> = Vec::new();
    for path in paths {
        let stem = path.file_stem().unwrap_or(path.as_os_str());
        let target = dir.join(stem).with_extension(extension);
        if let Some(index) = targets.iter().position(|t| *t == target) {
            return Err(assure::Diagnostic::error(format!(
                "`{}` and `{}` would both be reported as `{}`",
                paths[index].display(),
                path.display(),
                target.display()
            ))
            .with_help("give the evidence files different names")
            .into());
        }
        targets.push(target);
    }
    Ok(targets)
}

/// Scores every file, printing evidence warnings to stderr when `warn` (a second pack
/// scoring the same files does not print them again). All or nothing: one bad file means
/// no assessments, so nothing partial is ever reported.
fn assess_all(
    paths: &[PathBuf],
    pack: &assure::pack::Pack,
    warn: bool,
) -> Result<Vec<Assessment>, Failure> {
    let loaded = load_all(paths, pack, warn)?;
    Ok(loaded
        .into_iter()
        .map(|(_, assessment)| assessment)
        .collect())
}

/// [`assess_all`], keeping each file's evidence beside its assessment.
fn load_all(
    paths: &[PathBuf],
    pack: &assure::pack::Pack,
    warn: bool,
) -> Result<Vec<(Evidence, Assessment)>, Failure> {
    let progress = Progress::new("scoring", paths.len());
    let loaded = assure::source::batch::map(
        paths,
        |path| {
            assure::load_evidence(path, pack).map(|evidence| {
                let assessment = assure::assess(&evidence, pack);
                (evidence, assessment)
            })
        },
        |done| progress.set(done),
    );
    progress.finish();
    let mut assessments = Vec::new();
    let mut problems = Vec::new();
    for result in loaded {
        match result {
            Ok((evidence, assessment)) => {
                for warning in evidence.warnings.iter().filter(|_| warn) {
                    eprint!("{}", warning.render());
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

/// Writes what moves between two packs; `Ok(false)` when some score moves.
fn diff(
    old: &str,
    new: &str,
    evidence: &[PathBuf],
    format: DiffFormat,
    output: Option<&Path>,
) -> Result<bool, Failure> {
    let old_pack = assure::load_pack_files(&assure::pack_files_from(old)?)?;
    let new_pack = assure::load_pack_files(&assure::pack_files_from(new)?)?;
    let paths = assure::evidence_paths(evidence)?;
    let before = assess_all(&paths, &old_pack, true)?;
    let after = assess_all(&paths, &new_pack, false)?;
    let pairs: Vec<(Assessment, Assessment)> = before.into_iter().zip(after).collect();
    let diff = assure::compare::diff::diff(&old_pack, &new_pack, &pairs);
    let report = match format {
        DiffFormat::Text => assure::report::diff::text(&diff),
        DiffFormat::Md => assure::report::diff::markdown(&diff),
        DiffFormat::Json => assure::report::diff::json(&diff),
    };
    emit(&report, output)?;
    Ok(!diff.moved())
}

/// Writes the calibration report; `Ok(false)` when some compared score disagrees.
fn calibrate(
    published: &Path,
    evidence: &[PathBuf],
    rules: Option<&Path>,
    format: CalibrationFormat,
    output: Option<&Path>,
) -> Result<bool, Failure> {
    let pack = assure::load_pack(rules)?;
    let entries = assure::compare::calibration::load_published(published, &pack.framework)?;
    let given = assure::evidence_paths(evidence)?;
    let paths = assure::compare::calibration::evidence_for(&entries, &given)?;
    let scored = load_all(&paths, &pack, true)?;
    let Some(calibration) = assure::compare::calibration::calibrate(&entries, &scored) else {
        return Err(assure::Diagnostic::error(format!(
            "`{}` lists no published assessments",
            published.display()
        ))
        .into());
    };
    let report = match format {
        CalibrationFormat::Text => assure::report::calibration::text(&calibration),
        CalibrationFormat::Md => {
            let command = command_line(published, evidence, rules);
            assure::report::calibration::markdown(&calibration, &command)
        }
        CalibrationFormat::Json => assure::report::calibration::json(&calibration),
    };
    emit(&report, output)?;
    Ok(calibration.matches())
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

/// Prints the report, or writes it to `output`: never over a file the run read, and a
/// regular file atomically (`assure::source::output`).
fn emit(report: &str, output: Option<&Path>) -> Result<(), Failure> {
    let Some(output) = output else {
        let mut stdout = std::io::stdout().lock();
        return stdout.write_all(report.as_bytes()).map_err(|e| {
            assure::Diagnostic::error(format!("cannot write to standard output: {e}")).into()
        });
    };
    assure::source::output::write_all(&[(output, report.as_bytes())])
}

/// [`emit`] for a council report, which may be a Word document: bytes, written to a file
/// (a Word document is refused before rendering when no file is named) or printed as text.
fn emit_report(report: &[u8], output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(output) => assure::source::output::write_all(&[(output, report)]),
        None => emit(&String::from_utf8_lossy(report), None),
    }
}

/// Imports a table as an evidence file, written whole or not at all; with `skip_bad_rows`,
/// the rows that read, with the others listed on standard error.
fn import(
    table: &Path,
    sheet: Option<&str>,
    map: Option<&Path>,
    skip_bad_rows: bool,
    rules: Option<&Path>,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let pack = assure::load_pack(rules)?;
    let options = assure::evidence::import::ImportOptions {
        sheet: sheet.map(str::to_string),
        mapping: map.map(Path::to_path_buf),
        skip_bad_rows,
        output_name: output.map(|path| path.display().to_string()),
    };
    let imported =
        assure::evidence::import::import(table, &options, &pack.catalogue, &pack.framework)?;
    let notes = imported.notes();
    if !notes.is_empty() {
        eprint!("{}", Failure::new(notes).render());
    }
    emit(&imported.yaml, output)
}

/// Imports councils from a national ASCOF file: one evidence file to `output` (or standard
/// output), or with `--all` one per council into the directory `output`. Every council is
/// imported and every target checked before the first file is written.
fn national_import(
    table: &Path,
    request: &assure::evidence::import::ascof::Request,
    table_options: bool,
    rules: Option<&Path>,
    output: Option<&Path>,
) -> Result<(), Failure> {
    if table_options {
        return Err(assure::Diagnostic::error(
            "`--map` and `--skip-bad-rows` are for tables of a council's own evidence; a national ASCOF file is read by its layout",
        )
        .into());
    }
    let pack = assure::load_pack(rules)?;
    let imported =
        assure::evidence::import::ascof::import(table, request, &pack.catalogue, &pack.framework)?;
    let notes: Vec<assure::Diagnostic> = imported
        .councils
        .iter()
        .flat_map(|c| c.warnings.iter().cloned())
        .collect();
    if !notes.is_empty() {
        eprint!("{}", Failure::new(notes).render());
    }
    let (Some(dir), true) = (output, request.all) else {
        let Some(council) = imported.councils.first() else {
            return Err(assure::Diagnostic::error("no council was imported").into());
        };
        return emit(&council.yaml, output);
    };
    if dir.exists() && !dir.is_dir() {
        return Err(assure::Diagnostic::error(format!(
            "`{}` is a file; `--all` writes one file per council into a directory",
            dir.display()
        ))
        .into());
    }
    let targets: Vec<PathBuf> = imported
        .councils
        .iter()
        .map(|c| dir.join(&c.file_name))
        .collect();
    // A new directory holds nothing to check; an existing one has every target checked
    // (never a file the run read) before the first is written.
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| {
            assure::Diagnostic::error(format!("cannot create directory `{}`: {e}", dir.display()))
        })?;
    }
    let outputs: Vec<(&Path, &[u8])> = targets
        .iter()
        .map(PathBuf::as_path)
        .zip(imported.councils.iter().map(|c| c.yaml.as_bytes()))
        .collect();
    assure::source::output::write_all(&outputs)?;
    eprintln!(
        "wrote {} evidence files for ASCOF {} into {}",
        targets.len(),
        imported.year,
        dir.display()
    );
    Ok(())
}
