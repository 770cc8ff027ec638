//! `assure import`: a table of metrics and findings (a CSV file, or a sheet of an Excel
//! workbook) into an evidence file. How it reads a table is in docs/import.md.
//!
//! The table is read into [`table::Table`] (by [`csv`] or [`xlsx`]), its columns matched to
//! evidence fields by header or by a [`mapping`] file, and every row checked and turned into
//! an item by [`convert`], so that each problem names the row and column it is in. The
//! items are written as YAML by [`emit`], and the text is loaded with
//! [`Evidence::load`] before it is returned: what `import` gives back always loads, with
//! the values read from the table.
//!
//! ```no_run
//! use assure::evidence::import::{ImportOptions, import};
//! let pack = assure::load_pack(None).expect("the default pack loads");
//! let imported = import(
//!     "metrics.xlsx".as_ref(),
//!     &ImportOptions::default(),
//!     &pack.catalogue,
//!     &pack.framework,
//! )
//! .expect("every row reads");
//! print!("{}", imported.yaml);
//! ```

pub mod ascof;
mod columns;
pub(crate) mod convert;
pub mod csv;
pub(crate) mod emit;
pub(crate) mod mapping;
mod names;
pub(crate) mod problem;
pub(crate) mod table;
pub(crate) mod xlsx;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::evidence::{Evidence, ItemContent, MetricValue};
use crate::pack::catalogue::Catalogue;
use crate::pack::framework::Framework;
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded};
use crate::source::files::read_source;

use convert::{Content, Converted};
use mapping::{Field, Fractions, Mapping};
use problem::Problem;

/// How to import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// The sheet of a workbook to read; the mapping's `sheet`, else the first, by default.
    pub sheet: Option<String>,
    /// A mapping file (docs/import.md).
    pub mapping: Option<PathBuf>,
    /// Write the rows that read, and report the others, instead of failing.
    pub skip_bad_rows: bool,
    /// The name the evidence will be written under, for the proof that it loads.
    pub output_name: Option<String>,
}

/// A row left out under `skip_bad_rows`.
#[derive(Clone, Debug)]
pub struct SkippedRow {
    /// The row as the sheet numbers it.
    pub row: u32,
    /// Why: every problem found in it, each naming its row and column.
    pub problems: Vec<Diagnostic>,
}

/// An imported table.
#[derive(Debug)]
pub struct Imported {
    /// The evidence file's text.
    pub yaml: String,
    /// The same text loaded: the proof that it is valid evidence.
    pub evidence: Evidence,
    /// Rows left out (only under `skip_bad_rows`).
    pub skipped: Vec<SkippedRow>,
    /// Rows that were not blank.
    pub rows_read: usize,
    /// Problems that did not stop the import: columns not read, fractions assumed,
    /// unknown metrics kept, a metric repeated.
    pub warnings: Vec<Diagnostic>,
}

/// The kinds of file a table can come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Csv,
    Xlsx,
}

fn kind_of(path: &Path) -> Result<Kind, Diagnostic> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => Ok(Kind::Csv),
        "xlsx" | "xlsm" => Ok(Kind::Xlsx),
        "xls" | "xlsb" | "ods" => Err(Problem::OldSpreadsheet {
            file: path.display().to_string(),
            extension,
        }
        .unplaced()),
        _ => Err(Problem::NotCsvOrXlsx {
            file: path.display().to_string(),
        }
        .unplaced()),
    }
}

/// Reads a table and makes it an evidence file. Fails, with every problem found, when the
/// table cannot be read or (unless `skip_bad_rows`) any row cannot; warnings come first
/// in the failure.
pub fn import(
    path: &Path,
    options: &ImportOptions,
    catalogue: &Catalogue,
    framework: &Framework,
) -> Result<Imported, Failure> {
    let kind = kind_of(path)?;
    let mapping = match &options.mapping {
        Some(mapping_path) => Mapping::load(&read_source(mapping_path)?)?,
        None => Mapping::default(),
    };
    if kind == Kind::Csv && options.sheet.is_some() {
        return Err(Problem::SheetOfCsv {
            file: path.display().to_string(),
        }
        .unplaced()
        .into());
    }
    let name = path.display().to_string();
    // A header row is one with a header the mapping names or an evidence field's name.
    let is_header = |text: &str| {
        Field::for_header(text).is_some()
            || Field::ALL.iter().any(|field| {
                mapping.written.columns.get(*field).is_some_and(|named| {
                    mapping::normalise_header(&named.value) == mapping::normalise_header(text)
                })
            })
    };
    let table = match kind {
        Kind::Csv => csv::read(&read_source(path)?, mapping.header_row(), &is_header)?,
        Kind::Xlsx => {
            let sheet = options
                .sheet
                .as_deref()
                .or(mapping.written.sheet.as_deref());
            xlsx::read(path, &name, sheet, mapping.header_row(), &is_header)?
        }
    };
    if let Some(layout) = ascof::layout_of(&table) {
        return Err(table
            .report_table(Problem::AscofNeedsCouncil {
                layout: layout.name(),
            })
            .into());
    }
    let fractions = mapping.fractions.unwrap_or(match kind {
        Kind::Xlsx => Fractions::Auto,
        Kind::Csv => Fractions::No,
    });
    let mut warnings = Vec::new();
    let converted = convert::convert(
        &table,
        &mapping,
        fractions,
        catalogue,
        framework,
        &mut warnings,
    );
    let converted = match converted {
        Ok(converted) => converted,
        Err(errors) => return Err(Failure::new(warnings.into_iter().chain(errors).collect())),
    };
    if !converted.bad_rows.is_empty() && !options.skip_bad_rows {
        let problems = converted.bad_rows.into_iter().flat_map(|row| row.problems);
        return Err(Failure::new(warnings.into_iter().chain(problems).collect()));
    }
    if converted.items.is_empty() {
        let problem = if converted.rows_read == 0 {
            Problem::HeaderButNoRows
        } else {
            Problem::NoRowRead {
                rows: converted.rows_read,
            }
        };
        let problems = converted.bad_rows.into_iter().flat_map(|row| row.problems);
        let all: Vec<Diagnostic> = warnings
            .into_iter()
            .chain(problems)
            .chain([table.report_table(problem)])
            .collect();
        return Err(Failure::new(all));
    }
    let origin = match &table.sheet {
        Some(sheet) => format!("{name}, sheet \"{sheet}\""),
        None => name.clone(),
    };
    let yaml = emit::evidence_yaml(&converted, &origin);
    let output_name = options
        .output_name
        .clone()
        .unwrap_or_else(|| "the imported evidence".to_string());
    let evidence = match prove(&yaml, &output_name, &converted, catalogue, framework) {
        Ok(evidence) => evidence,
        Err(failure) => {
            let failure = too_large_for_evidence(&yaml, &converted, &table, &failure)
                .map_or(failure, Failure::from);
            return Err(Failure::new(
                warnings.into_iter().chain(failure.diagnostics).collect(),
            ));
        }
    };
    // A skipped row's problems no longer stop the import: they are warnings now.
    let skipped = converted
        .bad_rows
        .into_iter()
        .map(|row| SkippedRow {
            row: row.row,
            problems: row
                .problems
                .into_iter()
                .map(|mut problem| {
                    problem.severity = crate::source::diagnostic::Severity::Warning;
                    problem
                })
                .collect(),
        })
        .collect();
    Ok(Imported {
        yaml,
        evidence,
        skipped,
        rows_read: converted.rows_read,
        warnings,
    })
}

impl Imported {
    /// What to tell the user besides the evidence: the warnings, each skipped row's
    /// problems, and a summary of what was skipped.
    pub fn notes(&self) -> Vec<Diagnostic> {
        let mut notes = self.warnings.clone();
        notes.extend(self.skipped.iter().flat_map(|row| row.problems.clone()));
        if self.skipped.is_empty() {
            return notes;
        }
        notes.push(
            Problem::SkippedRows {
                rows: self.skipped.iter().map(|row| row.row).collect(),
                read: self.rows_read,
                items: self.evidence.items.len(),
            }
            .unplaced(),
        );
        notes
    }
}

/// A table too large for one evidence file: the written evidence passes a limit the loader
/// holds every file to (its size, or the number of values in it). Said in the table's
/// terms, at the row where the limit is passed, instead of as a fault in the evidence.
fn too_large_for_evidence(
    yaml: &str,
    converted: &Converted,
    table: &table::Table,
    failure: &Failure,
) -> Option<Diagnostic> {
    use crate::source::limits::{MAX_FILE_BYTES, MAX_YAML_NODES};
    let rows = converted.items.len();
    let (limit, at) = if yaml.len() as u64 > MAX_FILE_BYTES {
        let within = (0..=MAX_FILE_BYTES as usize)
            .rev()
            .find(|&i| yaml.is_char_boundary(i))
            .unwrap_or(0);
        (
            format!("{} MiB of text", MAX_FILE_BYTES / (1024 * 1024)),
            within,
        )
    } else {
        let breach = failure
            .diagnostics
            .iter()
            .find(|d| d.limit() == Some(crate::source::limits::YamlLimit::Values))?;
        let at = breach.span.as_ref().map_or(yaml.len(), |span| span.start);
        (format!("{MAX_YAML_NODES} values"), at)
    };
    // The item the limit is passed in, and the row it came from.
    let item = yaml
        .get(..at)?
        .matches("\n  - id: ")
        .count()
        .saturating_sub(1);
    let row = converted.items.get(item)?.row;
    let problem = Problem::TooLargeForEvidence { rows, limit, row };
    Some(match table.rows.iter().find(|r| r.number == row) {
        Some(found) => table.locate(problem.unplaced(), found, None),
        None => table.report_table(problem),
    })
}

/// Loads the written text as evidence and checks that it holds what was read: every item,
/// with the same values, exactly. A difference is a bug in the importer, reported as one
/// rather than written.
pub(crate) fn prove(
    yaml: &str,
    name: &str,
    converted: &Converted,
    catalogue: &Catalogue,
    framework: &Framework,
) -> Result<Evidence, Failure> {
    let file: Arc<SourceFile> = SourceFile::new(name, yaml);
    let bug = |problem: Problem| Failure::from(problem.unplaced());
    let evidence = Evidence::load(&file, framework, catalogue).map_err(|failure| {
        let mut failure = failure;
        failure
            .diagnostics
            .insert(0, Problem::WrittenDoesNotLoad.unplaced());
        failure
    })?;
    if evidence.items.len() != converted.items.len() || evidence.authority != converted.authority {
        return Err(bug(Problem::WrittenItemsDiffer));
    }
    for (read, written) in converted.items.iter().zip(&evidence.items) {
        let same_place = *written.id == *read.id
            && written.statements == read.statements
            && written.category == read.category
            && written.period == read.period
            && written.source == read.source;
        let same_content = match (&read.content, &written.content) {
            (
                Content::Metric {
                    name,
                    metric,
                    numbers,
                },
                ItemContent::Metric(value),
            ) => {
                *name == value.name
                    && *metric == value.metric
                    && Field::NUMBERS.iter().all(|field| {
                        let read = numbers
                            .iter()
                            .find(|(f, _)| f == field)
                            .map(|(_, n)| n.value);
                        read == number_of(value, *field)
                    })
            }
            (
                Content::Finding {
                    text,
                    sentiment,
                    strength,
                    tags,
                },
                ItemContent::Finding(finding),
            ) => {
                *text == finding.text
                    && *sentiment == finding.sentiment
                    && *strength == finding.strength
                    && *tags == finding.tags
            }
            _ => false,
        };
        if !same_place || !same_content {
            return Err(bug(Problem::WrittenRowDiffers {
                row: read.row,
                id: read.id.clone(),
            }));
        }
    }
    Ok(evidence)
}

/// A metric item's value or comparator, by field.
fn number_of(value: &MetricValue, field: Field) -> Option<rust_decimal::Decimal> {
    match field {
        Field::Value => Some(value.value),
        Field::Target => value.target,
        Field::EnglandAverage => value.england_average,
        Field::RegionalAverage => value.regional_average,
        Field::ComparatorAverage => value.comparator_average,
        Field::Previous => value.previous,
        Field::Margin => value.margin,
        _ => None,
    }
}
