//! Reading input files: size limit, UTF-8 check, and errors that name the file; listing a
//! folder's input files. Every file read and folder listed is noted by its identity
//! ([`crate::source::inputs`]), so that `-o` can refuse to write over anything the run read,
//! however the path was spelt.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded};
use crate::source::limits::{MAX_FILE_BYTES, MAX_LINE_BYTES};
use crate::source::problem::Problem;

/// Reads a text file as a [`SourceFile`] named as the user wrote the path.
pub fn read_source(path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes(path, &name)?;
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = match text.strip_prefix('\u{feff}') {
                Some(rest) => rest.trim_start_matches('\u{feff}').to_string(),
                None => text,
            };
            let source = SourceFile::read(name, text, bom);
            within_limits(&source)?;
            Ok(source)
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let ours = crate::source::file_kind::begins_as_ours(&prefix);
            let source = SourceFile::new(name, prefix);
            let problem = Problem::NotUtf8.at(&source, valid..valid);
            // A file that is not one of ours may be anything: say where, not what.
            Err(if ours { problem } else { problem.hiding_text() })
        }
    }
}

/// Reads a whole input file within the size limit, and notes it as read.
pub(crate) fn read_bytes(path: &Path, name: &str) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |e: std::io::Error| {
        Problem::CannotRead {
            name: name.to_string(),
            reason: io_reason(&e),
        }
        .unplaced()
    };
    let metadata = std::fs::metadata(path).map_err(cannot)?;
    if metadata.is_dir() {
        return Err(Problem::IsADirectory {
            name: name.to_string(),
            files: name_a_file_in(path, name),
        }
        .unplaced());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(name));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    if let Ok(opened) = file.metadata() {
        crate::source::inputs::note_read(&opened, name);
    }
    // Read at most one byte past the limit: a device or a file still growing has no
    // trustworthy length in its metadata.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name));
    }
    Ok(bytes)
}

fn too_large(name: &str) -> Diagnostic {
    Problem::TooLarge {
        name: name.to_string(),
    }
    .unplaced()
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
            let problem = Problem::LineTooLong {
                length: line.trim_end().len(),
            }
            .at(source, cut..cut);
            return Err(if crate::source::file_kind::begins_as_ours(&source.text) {
                problem
            } else {
                problem.hiding_text()
            });
        }
        start += line.len();
    }
    Ok(())
}

/// An I/O error in plain words, without the operating system's error number.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    // ELOOP: the kind that names it is not stable yet.
    const LOOP: i32 = 40;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::NotADirectory => "a part of the path is a file, not a directory".to_string(),
        ErrorKind::IsADirectory => "it is a directory".to_string(),
        ErrorKind::StorageFull => "the disk is full".to_string(),
        ErrorKind::BrokenPipe => "the program reading it stopped reading".to_string(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        _ if error.raw_os_error() == Some(LOOP) => {
            "its symbolic links go round in a loop".to_string()
        }
        _ => error.to_string(),
    }
}

/// A next step for a directory given where one file is wanted: the files it holds, so the
/// reader can name one (`assure explain examples` means one of `examples/*.yaml`).
fn name_a_file_in(path: &Path, name: &str) -> String {
    const SHOWN: usize = 5;
    let mut files: Vec<String> = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|file| !file.starts_with('.'))
        .collect();
    files.sort();
    let folder = name.trim_end_matches('/');
    match files.first() {
        None => "it holds no files: name a file, not a directory".to_string(),
        Some(first) => {
            let listed: Vec<&str> = files.iter().take(SHOWN).map(String::as_str).collect();
            let more = files.len().saturating_sub(SHOWN);
            let rest = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(
                "name one of the files in it ({}{rest}), e.g. `{folder}/{first}`",
                listed.join(", ")
            )
        }
    }
}
/// The YAML files of `dir`, sorted by name.
pub(crate) fn yaml_files_in(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    files_in(dir, &["yaml", "yml"])
}

/// The files of `dir` with one of `extensions`, sorted by name. An entry with such a name
/// that cannot be read as a file (a directory, a broken or looping link, a device) is an
/// error naming it, never skipped: a pack missing a file scores differently.
pub(crate) fn files_in(
    dir: &Path,
    extensions: &'static [&'static str],
) -> Result<Vec<PathBuf>, Failure> {
    let cannot_list = |e: std::io::Error| {
        Problem::CannotReadDirectory {
            directory: dir.display().to_string(),
            reason: io_reason(&e),
        }
        .unplaced()
    };
    let entries = std::fs::read_dir(dir).map_err(cannot_list)?;
    crate::source::inputs::note_listed(dir, extensions);
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.map_err(cannot_list)?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e.to_lowercase().as_str()));
        if !wanted {
            continue;
        }
        match not_a_file(&path) {
            Some(problem) => problems.push(problem.unplaced()),
            None => paths.push(path),
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        return Err(Failure::new(problems));
    }
    paths.sort();
    Ok(paths)
}

/// Why a listed entry cannot be read as an input file, if it cannot.
pub(crate) fn not_a_file(path: &Path) -> Option<Problem> {
    let name = path.display().to_string();
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    Some(match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => return None,
        Ok(metadata) if metadata.is_dir() => Problem::EntryIsADirectory { name },
        Ok(_) if link => Problem::EntryLinksToSpecial { name },
        Ok(_) => Problem::EntryIsSpecial { name },
        Err(error) if link && error.kind() == std::io::ErrorKind::NotFound => {
            Problem::EntryLinksToNothing { name }
        }
        Err(error) => Problem::EntryUnreadable {
            name,
            reason: io_reason(&error),
        },
    })
}

/// Reads every file of `paths`, or fails with every one that cannot be read.
pub(crate) fn read_all(paths: &[PathBuf]) -> Result<Vec<Arc<SourceFile>>, Failure> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read_source(path) {
            Ok(file) => files.push(file),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Failure::new(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::{files_in, not_a_file};
    use crate::source::diagnostic::Worded;
    use crate::source::problem::Problem;

    #[test]
    fn a_folder_named_like_a_yaml_file_is_reported_as_its_problem() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("rules.yaml");
        std::fs::create_dir(&inner).unwrap();
        let name = inner.display().to_string();
        assert_eq!(
            not_a_file(&inner),
            Some(Problem::EntryIsADirectory { name: name.clone() })
        );
        let listed = files_in(dir.path(), &["yaml"]).err().map(|f| f.diagnostics);
        assert_eq!(
            listed,
            Some(vec![Problem::EntryIsADirectory { name }.unplaced()])
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_is_reported_as_its_problem() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("gone.yaml");
        std::os::unix::fs::symlink(dir.path().join("missing.yaml"), &link).unwrap();
        assert_eq!(
            not_a_file(&link),
            Some(Problem::EntryLinksToNothing {
                name: link.display().to_string()
            })
        );
        let file = dir.path().join("here.yaml");
        std::fs::write(&file, "pack: x\n").unwrap();
        assert_eq!(not_a_file(&file), None);
    }
}
