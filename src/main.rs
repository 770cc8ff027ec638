//! The `assure` command line: parses arguments, calls the library, prints, and maps
//! failures to exit codes (0 done, 2 bad input).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use assure::{Assessment, Failure};

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
        /// Write the report here instead of standard output (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

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
    }
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
    let mut assessments: Vec<Assessment> = Vec::new();
    let mut problems = Vec::new();
    for path in &paths {
        match assure::load_evidence(path, &pack) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    eprint!("{}", warning.render());
                }
                assessments.push(assure::assess(&loaded, &pack));
            }
            Err(failure) => problems.extend(failure.diagnostics),
        }
    }
    // All or nothing: one bad file means no report, so nothing partial is ever written.
    if !problems.is_empty() {
        return Err(Failure::new(problems));
    }
    let report = match format {
        Format::Text => assure::report::text::render(&assessments),
        Format::Json => assure::report::json::render(&assessments),
    };
    let inputs: Vec<&Path> = paths.iter().map(PathBuf::as_path).chain(rules).collect();
    emit(&report, output, &inputs)
}

/// Prints the report, or writes it atomically to `output` (never over an input).
fn emit(report: &str, output: Option<&Path>, inputs: &[&Path]) -> Result<(), Failure> {
    let Some(output) = output else {
        let mut stdout = std::io::stdout().lock();
        return stdout.write_all(report.as_bytes()).map_err(|e| {
            assure::Diagnostic::error(format!("cannot write to standard output: {e}")).into()
        });
    };
    let same_file = |input: &&Path| match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if inputs.iter().any(same_file) {
        return Err(assure::Diagnostic::error(format!(
            "refusing to write over the input file `{}`",
            output.display()
        ))
        .into());
    }
    let directory = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = directory.join(format!(".{file_name}.assure-tmp-{}", std::process::id()));
    let written =
        std::fs::write(&temporary, report).and_then(|()| std::fs::rename(&temporary, output));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        assure::Diagnostic::error(format!("cannot write `{}`: {e}", output.display())).into()
    })
}
