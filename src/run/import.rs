//! `assure import`: an evidence file from a table of a council's own metrics and findings,
//! or from a national ASCOF file (one council, or every council into a directory).

use std::path::{Path, PathBuf};

use crate::evidence::import::ascof;
use crate::run::problem::Problem;
use crate::run::{Done, Outcome, Stdout};
use crate::source::diagnostic::{Diagnostic, Failure, Worded};

/// What `assure import` takes.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The table: a .csv file or an .xlsx workbook.
    pub table: PathBuf,
    /// The sheet of a workbook to read; the first by default.
    pub sheet: Option<String>,
    /// A mapping file (docs/import.md).
    pub map: Option<PathBuf>,
    /// Write the rows that read, listing the others as warnings, instead of nothing.
    pub skip_bad_rows: bool,
    /// A rule pack whose metric catalogue names the metrics; the built-in pack when `None`.
    pub rules: Option<PathBuf>,
    /// From a national ASCOF file: the council to import, by name or ONS code.
    pub authority: Option<String>,
    /// From a national ASCOF file: every council, one file each, into `output`.
    pub all: bool,
    /// From a national ASCOF file: the year to import.
    pub year: Option<String>,
    /// Where to write instead of standard output; with `all`, the directory.
    pub output: Option<PathBuf>,
}

impl Request {
    /// Whether the table is a national ASCOF file: a council, every council or a year is
    /// asked for.
    fn is_national(&self) -> bool {
        self.authority.is_some() || self.all || self.year.is_some()
    }
}

/// Imports the table, written whole or not at all; the notes (rows skipped, columns not
/// read) are the warnings.
pub fn import<'a>(request: &Request) -> Outcome<'a> {
    Outcome::of(|notes| match request.is_national() {
        true => national(request, notes),
        false => table(request, notes),
    })
    .listed()
}

/// A table of a council's own evidence; with `skip_bad_rows`, the rows that read, with
/// the others among the notes.
fn table<'a>(request: &Request, notes: &mut Vec<Diagnostic>) -> Result<Done<'a>, Failure> {
    let output = request.output.as_deref();
    let pack = crate::load_pack(request.rules.as_deref())?;
    let options = crate::evidence::import::ImportOptions {
        sheet: request.sheet.clone(),
        mapping: request.map.clone(),
        skip_bad_rows: request.skip_bad_rows,
        output_name: output.map(|path| path.display().to_string()),
    };
    let imported = crate::evidence::import::import(
        &request.table,
        &options,
        &pack.catalogue,
        &pack.framework,
    )?;
    notes.extend(imported.notes());
    Ok(Done::passed(crate::run::emit(imported.yaml, output)?))
}

/// Councils from a national ASCOF file: one evidence file to `output` (or standard
/// output), or with `all` one per council into the directory `output`. Every council is
/// imported and every target checked before the first file is written.
fn national<'a>(request: &Request, notes: &mut Vec<Diagnostic>) -> Result<Done<'a>, Failure> {
    if request.map.is_some() || request.skip_bad_rows {
        return Err(Problem::NationalWithTableOptions.unplaced().into());
    }
    let output = request.output.as_deref();
    let national = ascof::Request {
        authority: request.authority.clone(),
        all: request.all,
        year: request.year.clone(),
        sheet: request.sheet.clone(),
    };
    let pack = crate::load_pack(request.rules.as_deref())?;
    let imported = ascof::import(&request.table, &national, &pack.catalogue, &pack.framework)?;
    notes.extend(
        imported
            .councils
            .iter()
            .flat_map(|c| c.warnings.iter().cloned()),
    );
    let (Some(dir), true) = (output, request.all) else {
        let Some(council) = imported.councils.into_iter().next() else {
            return Err(Problem::NoCouncilImported.unplaced().into());
        };
        return Ok(Done::passed(crate::run::emit(council.yaml, output)?));
    };
    let targets = council_files(dir, &imported)?;
    crate::run::write_into(
        dir,
        &crate::run::pairs(
            &targets,
            imported.councils.iter().map(|c| c.yaml.as_bytes()),
        ),
    )?;
    Ok(Done {
        note: Some(format!(
            "wrote {} evidence files for ASCOF {} into {}",
            targets.len(),
            imported.year,
            dir.display()
        )),
        ..Done::passed(Stdout::Bytes(Vec::new()))
    })
}

/// `DIR/<council's file name>` for each council imported.
fn council_files(dir: &Path, imported: &ascof::Imported) -> Result<Vec<PathBuf>, Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Problem::CouncilDirectoryIsFile {
            dir: dir.to_path_buf(),
        }
        .unplaced()
        .into());
    }
    Ok(imported
        .councils
        .iter()
        .map(|c| dir.join(&c.file_name))
        .collect())
}
