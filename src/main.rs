//! The `assure` command line: parses arguments, hands each command to its entry point in
//! [`assure::run`], shows what it returns (standard output, warnings on standard error),
//! and maps the verdict or failure to an exit code (0 done, 1 a check found differences,
//! 2 bad input).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use assure::run::calibrate::CalibrationFormat;
use assure::run::check::{CheckFormat, Deny};
use assure::run::diff::DiffFormat;
use assure::run::explain::DataFormat;
use assure::run::schema::SchemaFile;
use assure::run::score::Format;
use assure::run::test::TestFormat;
use assure::run::{Outcome, Verdict};

#[path = "cli/progress.rs"]
mod progress;

use progress::Terminal;

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

/// Exit code when a check ran and found differences.
const DIFFERS: u8 = 1;
/// Exit code for input that cannot be read or is not valid.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    use assure::run::{calibrate, check, diff, explain, fmt, gaps, import, schema, score, test};
    let progress = Terminal;
    match Cli::parse().command {
        Command::Score {
            evidence,
            rules,
            format,
            output,
        } => show(score::score(
            &score::Request {
                evidence,
                rules,
                format,
                output,
            },
            &progress,
        )),
        Command::Explain {
            evidence,
            statement,
            rules,
            format,
            output,
        } => show(explain::explain(
            &explain::Request {
                evidence,
                statement,
                rules,
                format,
                output,
            },
            &progress,
        )),
        Command::Gaps {
            evidence,
            rules,
            format,
            output,
        } => show(gaps::gaps(
            &gaps::Request {
                evidence,
                rules,
                format,
                output,
            },
            &progress,
        )),
        Command::Calibrate {
            published,
            evidence,
            rules,
            format,
            output,
        } => show(calibrate::calibrate(
            &calibrate::Request {
                published,
                evidence,
                rules,
                format,
                output,
            },
            &progress,
        )),
        Command::Diff {
            old,
            new,
            evidence,
            format,
            output,
        } => show(diff::diff(
            &diff::Request {
                old,
                new,
                evidence,
                format,
                output,
            },
            &progress,
        )),
        Command::Fmt { pack, check } => show(fmt::fmt(&fmt::Request { pack, check })),
        Command::Check { pack, format, deny } => {
            show(check::check(&check::Request { pack, format, deny }))
        }
        Command::Test {
            pack,
            cases,
            evidence_root,
            format,
            min_coverage,
            output,
        } => show(test::test(&test::Request {
            pack,
            cases,
            evidence_root,
            format,
            min_coverage,
            output,
        })),
        Command::Schema { kind, output } => show(schema::schema(&schema::Request { kind, output })),
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
        } => show(import::import(&import::Request {
            table,
            sheet,
            map,
            skip_bad_rows,
            rules,
            authority,
            all,
            year,
            output,
        })),
    }
}

/// Shows what a command returned: its warnings on standard error, then what goes to
/// standard output (the rest of the run, when it writes as it goes), then its note; the
/// exit code from its verdict, or its failure on standard error and [`BAD_INPUT`].
fn show(outcome: Outcome) -> ExitCode {
    eprint!("{}", outcome.warnings.render());
    let finished = outcome.result.and_then(|done| {
        done.stdout.write_to(&mut std::io::stdout().lock())?;
        if let Some(note) = done.note {
            eprintln!("{note}");
        }
        Ok(done.verdict)
    });
    match finished {
        Ok(Verdict::Passed) => ExitCode::SUCCESS,
        Ok(Verdict::Differs) => ExitCode::from(DIFFERS),
        Err(failure) => {
            eprint!("{}", failure.render());
            ExitCode::from(BAD_INPUT)
        }
    }
}
