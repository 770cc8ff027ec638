//! Reading input files: size limit, UTF-8 check, and errors that name the file.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};

/// Largest input file read, in bytes. Evidence and packs are hand-sized; this refuses
/// runaway inputs before any parsing starts.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a text file as a [`SourceFile`] named as the user wrote the path.
pub fn read_source(path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let name = path.display().to_string();
    let metadata = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(format!("cannot read `{name}`: {}", io_reason(&e))))?;
    if metadata.is_dir() {
        return Err(Diagnostic::error(format!(
            "`{name}` is a directory, expected a file"
        )));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(format!(
            "`{name}` is {} bytes; the limit is {MAX_FILE_BYTES} bytes",
            metadata.len()
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read `{name}`: {}", io_reason(&e))))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(
            name,
            text.trim_start_matches('\u{feff}').to_string(),
        )),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let source = SourceFile::new(name, prefix);
            Err(Diagnostic::error("the file is not valid UTF-8 text")
                .at(&source, valid..valid)
                .with_label("invalid byte here")
                .with_help("save the file as UTF-8"))
        }
    }
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}
