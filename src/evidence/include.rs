//! Evidence from several files: a file may `include:` others, by path relative to it, and
//! their items are its items too. Each file is read and checked on its own terms, so a
//! problem in an included file is shown in that file; ids must be unique across the whole
//! set; a file may not include itself, directly or through another, nor be included twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::problem::Problem;
use super::{Evidence, EvidenceDocument, Item, Reader};
use crate::pack::catalogue::Catalogue;
use crate::pack::framework::Framework;
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded};
use crate::source::files::read_source;
use crate::source::yaml::{self, Spanned};

/// Reads a document and everything it includes as one council's evidence: the file's own
/// items first, then each included file's, in the order listed.
pub(super) fn load(
    parsed: EvidenceDocument,
    file: &Arc<SourceFile>,
    framework: &Framework,
    catalogue: &Catalogue,
) -> Result<Evidence, Failure> {
    let mut set = Set {
        framework,
        catalogue,
        errors: Vec::new(),
        warnings: Vec::new(),
        items: Vec::new(),
        origins: Vec::new(),
        files: vec![Arc::clone(file)],
        ids: HashMap::new(),
        reading: vec![identity(&file.name)],
    };
    let authority = parsed.authority.value.trim().to_string();
    let (code, as_of) = (parsed.code.clone(), parsed.as_of.clone());
    set.document(parsed, 0);
    if !set.errors.is_empty() {
        return Err(Failure::new(set.errors));
    }
    let files: Vec<&Arc<SourceFile>> = set.origins.iter().map(|i| &set.files[*i]).collect();
    let mut reader = Reader {
        file,
        framework,
        catalogue,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    reader.warn_repeated_metrics(&set.items, &files);
    let mut warnings = set.warnings;
    warnings.extend(reader.warnings);
    let included = set.files.split_off(1);
    Ok(Evidence {
        authority,
        code,
        as_of,
        items: set.items,
        warnings,
        file: Arc::clone(file),
        included,
    })
}

struct Set<'a> {
    framework: &'a Framework,
    catalogue: &'a Catalogue,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    items: Vec<Item>,
    /// For each item, the index in `files` of the file it is in.
    origins: Vec<usize>,
    /// Every file read, the first the one loaded.
    files: Vec<Arc<SourceFile>>,
    /// Item id -> index into `items` of the item that first used it.
    ids: HashMap<Arc<str>, usize>,
    /// The files being read, outermost first, as compared for cycles.
    reading: Vec<PathBuf>,
}

impl Set<'_> {
    /// Reads one file's document: its items, then what it includes.
    fn document(&mut self, parsed: EvidenceDocument, index: usize) {
        let file = Arc::clone(&self.files[index]);
        if parsed.items.is_none() && parsed.include.is_none() {
            self.errors
                .push(Problem::NoItems.at(&file, yaml::span_of(&file, &parsed.authority)));
            return;
        }
        let mut reader = Reader {
            file: &file,
            framework: self.framework,
            catalogue: self.catalogue,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let items = reader.items(parsed.items.unwrap_or_default());
        self.errors.extend(reader.errors);
        self.warnings.extend(reader.warnings);
        for item in items {
            self.add(item, index);
        }
        for entry in parsed.include.unwrap_or_default() {
            self.include(&file, &entry, parsed.code.as_deref());
        }
    }

    /// Adds an item, unless its id is taken by an item of another file.
    fn add(&mut self, item: Item, origin: usize) {
        if let Some(&first) = self.ids.get(&item.id) {
            let earlier = &self.files[self.origins[first]];
            let (line, _) = earlier.line_column(self.items[first].id_span.start);
            let problem = Problem::RepeatedId {
                id: item.id.to_string(),
                first_line: line,
                first_file: Some(earlier.name.clone()),
            };
            self.errors
                .push(problem.at(&self.files[origin], item.id_span.clone()));
            return;
        }
        self.ids.insert(Arc::clone(&item.id), self.items.len());
        self.items.push(item);
        self.origins.push(origin);
    }

    fn include(&mut self, from: &Arc<SourceFile>, entry: &Spanned<String>, code: Option<&str>) {
        let at = yaml::span_of(from, entry);
        let written = entry.value.trim();
        let path = match Path::new(&from.name).parent() {
            Some(dir) => dir.join(written),
            None => PathBuf::from(written),
        };
        let path = tidy(&path);
        let identity = identity(&path.display().to_string());
        if self.reading.contains(&identity) {
            let problem = Problem::IncludesItself {
                written: written.to_string(),
                chain: self.files.iter().map(|f| f.name.clone()).collect(),
            };
            self.errors.push(problem.at(from, at));
            return;
        }
        if let Some(earlier) = self
            .files
            .iter()
            .find(|f| self::identity(&f.name) == identity)
        {
            let problem = Problem::IncludedTwice {
                written: written.to_string(),
                earlier: earlier.name.clone(),
            };
            self.errors.push(problem.at(from, at));
            return;
        }
        let source = match read_source(&path) {
            Ok(source) => source,
            Err(problem) => {
                let problem = Problem::CannotInclude {
                    written: written.to_string(),
                    reason: problem.message,
                };
                self.errors.push(problem.at(from, at));
                return;
            }
        };
        let parsed = match Evidence::parse(&source) {
            Ok(parsed) => parsed,
            Err(failure) => {
                self.errors.extend(failure.diagnostics);
                return;
            }
        };
        if let (Some(ours), Some(theirs)) = (code, parsed.code.as_deref())
            && !ours.trim().eq_ignore_ascii_case(theirs.trim())
        {
            let problem = Problem::OtherCouncil {
                written: written.to_string(),
                theirs: theirs.to_string(),
                ours: ours.to_string(),
            };
            self.errors.push(problem.at(from, at));
            return;
        }
        self.files.push(source);
        let index = self.files.len() - 1;
        self.reading.push(identity);
        self.document(parsed, index);
        self.reading.pop();
    }
}

/// A path as compared for cycles and repeats: the file itself where it exists, else the
/// path tidied.
fn identity(name: &str) -> PathBuf {
    let path = Path::new(name);
    path.canonicalize().unwrap_or_else(|_| tidy(path))
}

/// `a/b/../c` as `a/c`, without touching the disk.
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
