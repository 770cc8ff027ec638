//! Any bytes as a table to import, as CSV or (when they start like a zip file) as an .xlsx
//! workbook: importing never panics, errors and warnings render, and whatever is imported
//! loads as evidence (the importer proves that itself; a failed proof would be an error).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use assure::evidence::import::{ImportOptions, import};
use assure::pack::Pack;
use libfuzzer_sys::fuzz_target;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| assure::load_pack(None).expect("the default pack loads"))
}

/// The importer reads a path, so each input is written to a file of this process's own.
fn scratch(extension: &str) -> PathBuf {
    std::env::temp_dir().join(format!("assure-fuzz-{}.{extension}", std::process::id()))
}

fuzz_target!(|data: &[u8]| {
    let extension = if data.starts_with(b"PK") { "xlsx" } else { "csv" };
    let path = scratch(extension);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let pack = pack();
    let options = ImportOptions {
        skip_bad_rows: data.len() % 2 == 0,
        ..ImportOptions::default()
    };
    match import(&path, &options, &pack.catalogue, &pack.framework) {
        Ok(imported) => {
            for warning in &imported.warnings {
                let _ = warning.render();
            }
        }
        Err(failure) => {
            let _ = failure.render();
        }
    }
});
