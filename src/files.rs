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

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so an
/// interrupted run leaves the old file or the new one, never half of either. A file that
/// began with a UTF-8 byte order mark keeps it.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let name = path.display().to_string();
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{file_name}.assure-tmp-{}", std::process::id()));
    let had_bom = std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(b"\xef\xbb\xbf"));
    let contents = if had_bom {
        format!("\u{feff}{text}")
    } else {
        text.to_string()
    };
    let written =
        std::fs::write(&temporary, contents).and_then(|()| std::fs::rename(&temporary, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        Diagnostic::error(format!("cannot write `{name}`: {}", io_reason(&e)))
    })
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}
