//! What this run has read: every input file by its identity (device and inode), and every
//! folder listed for packs, cases or evidence, so that [`crate::source::output`] can refuse
//! to write over any of them however the path is spelt.

use std::collections::BTreeMap;
use std::fs::Metadata;
use std::path::Path;
use std::sync::Mutex;

/// A file's identity: the same for every path that leads to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct FileId(u64, u64);

impl FileId {
    #[cfg(unix)]
    fn of(metadata: &Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId(metadata.dev(), metadata.ino())
    }
}

/// What this process has read: files by identity with the name first used for each, and
/// folders listed with the file extensions the listing took.
struct ReadSoFar {
    files: BTreeMap<FileId, String>,
    folders: BTreeMap<FileId, (String, &'static [&'static str])>,
}

static READ: Mutex<ReadSoFar> = Mutex::new(ReadSoFar {
    files: BTreeMap::new(),
    folders: BTreeMap::new(),
});

/// Notes an input file as read (its metadata taken from the open file, so it is the file
/// that was read whichever link led to it).
pub(crate) fn note_read(metadata: &Metadata, name: &str) {
    if let Ok(mut read) = READ.lock() {
        read.files
            .entry(FileId::of(metadata))
            .or_insert_with(|| name.to_string());
    }
}

/// Notes a folder listed for input files with `extensions`.
pub(crate) fn note_listed(folder: &Path, extensions: &'static [&'static str]) {
    if let (Ok(metadata), Ok(mut read)) = (std::fs::metadata(folder), READ.lock()) {
        read.folders
            .entry(FileId::of(&metadata))
            .or_insert_with(|| (folder.display().to_string(), extensions));
    }
}

/// Forgets what the process has read: for a long-lived process that runs one command
/// after another (the fuzzer), so one run's inputs do not guard the next's outputs.
pub fn forget() {
    if let Ok(mut read) = READ.lock() {
        read.files.clear();
        read.folders.clear();
    }
}

/// The name a file was first read by, if this run read it.
pub(crate) fn read_as(metadata: &Metadata) -> Option<String> {
    let read = READ.lock().ok()?;
    read.files.get(&FileId::of(metadata)).cloned()
}

/// The name a folder was listed by and the extensions the listing took, if this run listed
/// it.
pub(crate) fn listed_as(folder: &Metadata) -> Option<(String, &'static [&'static str])> {
    let read = READ.lock().ok()?;
    read.folders.get(&FileId::of(folder)).cloned()
}
