//! Reading input files: size limit, UTF-8 check, and errors that name the file.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};

use crate::limits::{MAX_FILE_BYTES, MAX_LINE_BYTES};

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
        return Err(too_large(&name));
    }
    // Read at most one byte past the limit: a device or a file still growing has no
    // trustworthy length in its metadata.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Diagnostic::error(format!("cannot read `{name}`: {}", io_reason(&e))))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(&name));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let source = SourceFile::new(name, text.trim_start_matches('\u{feff}').to_string());
            within_limits(&source)?;
            Ok(source)
        }
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

fn too_large(name: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "`{name}` is larger than {} MiB, the limit for an input file",
        MAX_FILE_BYTES / (1024 * 1024)
    ))
    .with_help(
        "a pack or one council's evidence is a few hundred KiB at most; is this the right file?",
    )
}

/// Refuses text read from elsewhere than a file (a git revision) that is over the file
/// size limit, and any text with a line longer than [`MAX_LINE_BYTES`], pointing where
/// the line passes it.
pub(crate) fn within_limits(source: &Arc<SourceFile>) -> Result<(), Diagnostic> {
    if source.text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(&source.name));
    }
    let mut start = 0;
    for line in source.text.split_inclusive('\n') {
        if line.len() > MAX_LINE_BYTES {
            let mut cut = start + MAX_LINE_BYTES;
            while !source.text.is_char_boundary(cut) {
                cut -= 1;
            }
            return Err(Diagnostic::error(format!(
                "this line is {} bytes long; the limit is {} MiB per line",
                line.trim_end().len(),
                MAX_LINE_BYTES / (1024 * 1024)
            ))
            .at(source, cut..cut)
            .with_label("the line passes the limit here")
            .with_help("break long text over several lines (YAML folds them back together)"));
        }
        start += line.len();
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, so an
/// interrupted run leaves the old file or the new one, never half of either. A file that
/// began with a UTF-8 byte order mark keeps it.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let had_bom = std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(b"\xef\xbb\xbf"));
    if had_bom {
        write_bytes_atomically(path, format!("\u{feff}{text}").as_bytes())
    } else {
        write_bytes_atomically(path, text.as_bytes())
    }
}

/// [`write_atomically`] for a file that is not text (a Word document).
pub fn write_bytes_atomically(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(Diagnostic::error(format!(
            "`{name}` is a directory, expected the name of a file to write"
        )));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(".{file_name}.assure-tmp-{}", std::process::id()));
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
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
