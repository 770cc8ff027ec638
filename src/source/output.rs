//! Writing what `-o` names, safely whatever the name turns out to be.
//!
//! Every file a run reads is noted by its identity (device and inode), and every folder it
//! lists for packs, cases or evidence ([`crate::source::inputs`]). A destination is checked against them
//! before anything is written, so `./x`, `../dir/x`, a symbolic link and a hard link to an
//! input are all refused, and so is a new file that a later run would read as part of a
//! pack. A regular file is written through a temporary file beside it (created
//! exclusively, under an unpredictable name) and a rename; a character device or a pipe is
//! written to directly; the destination is never read.

use std::fs::{Metadata, Permissions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::source::diagnostic::{Diagnostic, Failure, Worded};
use crate::source::files::io_reason;
use crate::source::inputs;
use crate::source::problem::Problem;

/// A checked place to write.
#[derive(Debug)]
pub struct Destination {
    /// The path as the user wrote it, for messages.
    shown: String,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// A regular file, new or replaced: `real` is the path with symbolic links resolved, so
    /// a link stays a link and the file it points to is replaced.
    File {
        real: PathBuf,
        permissions: Option<Permissions>,
    },
    /// A character device or a pipe: written straight to.
    Stream(PathBuf),
}

impl Destination {
    /// Checks that `path` may be written: not a file or listed folder this run read, not a
    /// directory, in a folder that exists, and a regular file, a character device or a pipe.
    pub fn check(path: &Path) -> Result<Destination, Diagnostic> {
        let shown = path.display().to_string();
        let cannot = |e: std::io::Error| {
            Problem::CannotWrite {
                path: shown.clone(),
                reason: io_reason(&e),
            }
            .unplaced()
        };
        if ends_with_separator(path) {
            return Err(Problem::OutputEndsWithSeparator { path: shown }.unplaced());
        }
        let kind = match std::fs::metadata(path) {
            Ok(metadata) => {
                let kind = metadata.file_type();
                if kind.is_dir() {
                    return Err(Problem::OutputIsADirectory { path: shown }.unplaced());
                }
                if kind.is_file() {
                    refuse_input(&metadata, &shown)?;
                    let real = std::fs::canonicalize(path).map_err(cannot)?;
                    refuse_listed_folder(&real, &shown)?;
                    Kind::File {
                        real,
                        permissions: Some(metadata.permissions()),
                    }
                } else if is_stream(&metadata) {
                    Kind::Stream(path.to_path_buf())
                } else {
                    return Err(Problem::OutputIsSpecial {
                        path: shown,
                        kind: special_kind(&metadata),
                    }
                    .unplaced());
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if std::fs::symlink_metadata(path).is_ok() {
                    return Err(Problem::WriteThroughDanglingLink { path: shown }.unplaced());
                }
                let folder = folder_of(path);
                let real_folder = std::fs::canonicalize(folder).map_err(|e| {
                    match e.kind() {
                        std::io::ErrorKind::NotFound => Problem::NoSuchFolder {
                            path: shown.clone(),
                            folder: folder.display().to_string(),
                        },
                        _ => Problem::UnreachableFolder {
                            path: shown.clone(),
                            reason: io_reason(&e),
                        },
                    }
                    .unplaced()
                })?;
                if !real_folder.is_dir() {
                    return Err(Problem::FolderNotADirectory {
                        path: shown,
                        folder: folder.display().to_string(),
                    }
                    .unplaced());
                }
                let name = path.file_name().unwrap_or_default();
                let real = real_folder.join(name);
                refuse_listed_folder(&real, &shown)?;
                Kind::File {
                    real,
                    permissions: None,
                }
            }
            Err(error) => return Err(cannot(error)),
        };
        Ok(Destination { shown, kind })
    }

    /// The error for a write to this destination that failed.
    fn cannot_write(&self, error: &std::io::Error) -> Diagnostic {
        Problem::CannotWrite {
            path: self.shown.clone(),
            reason: io_reason(error),
        }
        .unplaced()
    }

    /// Writes `bytes` whole: a regular file holds its old content or the new, never part.
    pub fn write(&self, bytes: &[u8]) -> Result<(), Diagnostic> {
        let failed = |e: std::io::Error| self.cannot_write(&e);
        match &self.kind {
            Kind::File { real, permissions } => {
                write_replacing(real, permissions.as_ref(), bytes).map_err(failed)
            }
            Kind::Stream(path) => std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut stream| stream.write_all(bytes))
                .map_err(failed),
        }
    }
}

impl Destination {
    /// Writes what `produce` writes, as it goes, so a long report need not be held in
    /// memory: a regular file still holds its old content or the whole new one.
    pub fn write_with(
        &self,
        produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        let failed = |e: std::io::Error| self.cannot_write(&e);
        match &self.kind {
            Kind::File { real, permissions } => {
                let mut temporary = temporary_beside(real).map_err(failed)?;
                let mut out = std::io::BufWriter::new(temporary.as_file_mut());
                produce(&mut out)
                    .and_then(|()| out.flush())
                    .map_err(failed)?;
                drop(out);
                finish(temporary, real, permissions.as_ref()).map_err(failed)
            }
            Kind::Stream(path) => {
                let stream = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(failed)?;
                let mut out = std::io::BufWriter::new(stream);
                produce(&mut out).and_then(|()| out.flush()).map_err(failed)
            }
        }
    }
}

/// Writes what `produce` writes to `output`, checked first, or to `stdout` (the caller's
/// standard output) when there is none.
pub(crate) fn write_streamed(
    output: Option<&Path>,
    stdout: &mut dyn Write,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match output {
        Some(path) => Ok(Destination::check(path)?.write_with(produce)?),
        None => {
            let mut out = std::io::BufWriter::new(stdout);
            produce(&mut out).and_then(|()| out.flush()).map_err(|e| {
                Failure::from(
                    Problem::CannotWriteStdout {
                        reason: io_reason(&e),
                    }
                    .unplaced(),
                )
            })
        }
    }
}

/// Checks every destination, then writes each: none is written unless all can be.
pub fn write_all(outputs: &[(&Path, &[u8])]) -> Result<(), Failure> {
    let mut checked = Vec::with_capacity(outputs.len());
    let mut problems = Vec::new();
    for (path, text) in outputs {
        match Destination::check(path) {
            Ok(destination) => checked.push((destination, *text)),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::new(problems));
    }
    for (destination, text) in &checked {
        destination.write(text)?;
    }
    Ok(())
}

/// Rewrites a file in place (what `fmt` does to a pack): through a temporary file and a
/// rename, keeping its permissions and, when `bom`, a leading byte order mark.
pub fn write_atomically(path: &Path, text: &str, bom: bool) -> Result<(), Diagnostic> {
    let shown = path.display().to_string();
    let failed = |e: std::io::Error| {
        Problem::CannotWrite {
            path: shown.clone(),
            reason: io_reason(&e),
        }
        .unplaced()
    };
    let real = std::fs::canonicalize(path).map_err(failed)?;
    let permissions = std::fs::metadata(&real).map_err(failed)?.permissions();
    let contents = if bom {
        format!("\u{feff}{text}")
    } else {
        text.to_string()
    };
    write_replacing(&real, Some(&permissions), contents.as_bytes()).map_err(failed)
}

/// Writes a temporary file in `real`'s folder and renames it over `real`. The temporary
/// file is created exclusively under a random name, so a planted file or link is never
/// followed; it is removed if anything fails.
fn write_replacing(
    real: &Path,
    permissions: Option<&Permissions>,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut temporary = temporary_beside(real)?;
    temporary.write_all(bytes)?;
    finish(temporary, real, permissions)
}

/// A new temporary file in `real`'s folder, named after it.
fn temporary_beside(real: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let name = real.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".assure-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // A new file gets the usual permissions (the umask applies); a replaced one keeps its.
        builder.permissions(Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder_of(real))
}

/// Flushes a written temporary file to disk and renames it over `real`.
fn finish(
    temporary: tempfile::NamedTempFile,
    real: &Path,
    permissions: Option<&Permissions>,
) -> std::io::Result<()> {
    temporary.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        temporary.as_file().set_permissions(permissions.clone())?;
    }
    temporary.persist(real).map_err(|e| e.error)?;
    Ok(())
}

/// The folder a path's file is in: `.` for a bare name.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn ends_with_separator(path: &Path) -> bool {
    let text = path.as_os_str().to_string_lossy();
    text.ends_with(std::path::MAIN_SEPARATOR) || text.ends_with('/')
}

/// An error when the destination is a file this run read.
fn refuse_input(metadata: &Metadata, shown: &str) -> Result<(), Diagnostic> {
    let Some(name) = inputs::read_as(metadata) else {
        return Ok(());
    };
    let mut diagnostic = Problem::OverwritesInput {
        path: shown.to_string(),
    }
    .unplaced();
    if name != shown {
        diagnostic = diagnostic.with_note("read as", name);
    }
    Err(diagnostic)
}

/// An error when the destination would be a new input: a file in a folder this run
/// listed for packs, cases or evidence, with an extension that listing takes.
fn refuse_listed_folder(real: &Path, shown: &str) -> Result<(), Diagnostic> {
    let Ok(folder) = std::fs::metadata(folder_of(real)) else {
        return Ok(());
    };
    let extension = real
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match inputs::listed_as(&folder) {
        Some((name, extensions)) if extensions.contains(&extension.as_str()) => {
            Err(Problem::IntoListedFolder {
                path: shown.to_string(),
                folder: name,
                extension,
            }
            .unplaced())
        }
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn is_stream(metadata: &Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    kind.is_char_device() || kind.is_fifo()
}

#[cfg(unix)]
fn special_kind(metadata: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}
