//! Which of `assure`'s files a text begins as, from its first field, so that a message about
//! a file that is none of them (a key, a password file, `/proc/self/environ`) never shows
//! any of its text: a pack or a test case can name any path, and its errors are printed
//! and written into reports.

use crate::source::diagnostic::{Diagnostic, SourceFile, Worded};
use crate::source::problem::Problem;

/// The kinds of file `assure` reads as YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Evidence,
    Pack,
    Cases,
}

impl FileKind {
    const ALL: [FileKind; 3] = [FileKind::Evidence, FileKind::Pack, FileKind::Cases];

    /// The top-level fields a file of this kind may begin with.
    fn fields(self) -> &'static [&'static str] {
        match self {
            FileKind::Evidence => &["authority", "code", "as_of", "items"],
            FileKind::Pack => &[
                "pack",
                "version",
                "framework",
                "tolerance",
                "description",
                "statement",
                "baseline",
                "method",
                "rules",
                "metrics",
            ],
            FileKind::Cases => &["cases"],
        }
    }

    fn noun(self) -> &'static str {
        match self {
            FileKind::Evidence => "an evidence file",
            FileKind::Pack => "a rule pack file",
            FileKind::Cases => "a test case file",
        }
    }

    fn starts(self) -> &'static str {
        match self {
            FileKind::Evidence => "`authority:` and `items:`",
            FileKind::Pack => "`pack:` or `statement:`",
            FileKind::Cases => "`cases:`",
        }
    }

    /// Whether `text` begins as a file of this kind.
    pub fn begins(self, text: &str) -> bool {
        first_key(text).is_some_and(|key| self.fields().contains(&key))
    }
}

/// Whether `text` begins as any file `assure` reads.
pub fn begins_as_ours(text: &str) -> bool {
    FileKind::ALL.iter().any(|kind| kind.begins(text))
}

/// For a file that failed to load as `expected` and begins as none of `assure`'s files:
/// one error that names it and says what it is not, with none of its text. `None` when
/// the file begins as one of ours, whose own errors are shown.
pub fn foreign(file: &std::sync::Arc<SourceFile>, expected: FileKind) -> Option<Diagnostic> {
    // An empty file has its own message, which shows nothing.
    if begins_as_ours(&file.text) || file.text.trim().is_empty() {
        return None;
    }
    Some(
        Problem::Foreign {
            name: file.name.clone(),
            noun: expected.noun(),
            starts: expected.starts(),
        }
        .unplaced(),
    )
}

/// For a file that failed to load as `expected` but begins as another of `assure`'s files
/// (a pack given where evidence is wanted, say): a help line that says what it looks like.
/// Told from the file's first field, never from the wording of its error.
pub fn wrong_kind_help(text: &str, expected: FileKind) -> Option<&'static str> {
    let found = FileKind::ALL
        .into_iter()
        .find(|kind| *kind != expected && kind.begins(text))?;
    Some(match (expected, found) {
        (FileKind::Evidence, FileKind::Pack) => {
            "this looks like a rule pack; an evidence file starts with `authority:` and `items:`"
        }
        (FileKind::Evidence, _) => {
            "this looks like a test case file; an evidence file starts with `authority:` and `items:`"
        }
        (FileKind::Pack, FileKind::Evidence) => {
            "this looks like an evidence file; a rule pack starts with `pack:` or `statement:`"
        }
        (FileKind::Pack, _) => {
            "this looks like a test case file; a rule pack starts with `pack:` or `statement:`"
        }
        (FileKind::Cases, FileKind::Evidence) => {
            "this looks like an evidence file; a case file lists `cases:`, each with `name`, `evidence` and `expect`"
        }
        (FileKind::Cases, _) => {
            "this looks like a rule pack; a case file lists `cases:`, each with `name`, `evidence` and `expect`"
        }
    })
}

/// `diagnostic`, with [`wrong_kind_help`] as its help when `text` begins as another kind.
pub fn explain_wrong_kind(diagnostic: Diagnostic, text: &str, expected: FileKind) -> Diagnostic {
    match wrong_kind_help(text, expected) {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// The first top-level key, after comments, blank lines, directives and a document
/// marker: `authority` of `authority: Kent`, `{"authority": ...}` and `'authority': Kent`.
fn first_key(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        let line_end = trimmed.find(['\n', '\r']).unwrap_or(trimmed.len());
        let line = trimmed[..line_end].trim_end();
        if line.starts_with('#') || line.starts_with('%') || line == "---" {
            rest = &trimmed[line_end..];
            continue;
        }
        rest = trimmed;
        break;
    }
    let rest = rest.strip_prefix("--- ").unwrap_or(rest);
    let rest = rest.strip_prefix('{').unwrap_or(rest).trim_start();
    let (key, after) = match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let inner = &rest[1..];
            let end = inner.find(quote)?;
            (&inner[..end], inner[end + 1..].trim_start())
        }
        _ => {
            let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
            let end = line.find(':')?;
            (line[..end].trim_end(), &line[end..])
        }
    };
    after.starts_with(':').then_some(key)
}

#[cfg(test)]
mod tests {
    use super::{FileKind, first_key};

    #[test]
    fn the_first_key_is_found_in_yaml_and_json() {
        assert_eq!(
            first_key("# c\n\n---\nauthority: Kent\n"),
            Some("authority")
        );
        assert_eq!(first_key("{\"authority\": \"Kent\"}"), Some("authority"));
        assert_eq!(first_key("'pack': x"), Some("pack"));
        assert_eq!(first_key("--- {cases: []}"), Some("cases"));
        assert_eq!(first_key("{\n  \"authority\": \"X\""), Some("authority"));
        assert_eq!(first_key("# old Mac\rauthority: X\r"), Some("authority"));
        assert_eq!(first_key("root:x:0:0:root:/root:/bin/bash"), Some("root"));
        assert_eq!(first_key("- a list"), None);
        assert_eq!(first_key("PATH=/usr/bin\0HOME=/root"), None);
    }

    #[test]
    fn kinds_are_told_apart() {
        assert!(FileKind::Evidence.begins("authority: Kent\nitems: []\n"));
        assert!(!FileKind::Evidence.begins("pack: x\n"));
        assert!(FileKind::Pack.begins("statement: safeguarding\n"));
        assert!(FileKind::Cases.begins("cases:\n"));
        assert!(!super::begins_as_ours("root:x:0:0:root:/root:/bin/bash\n"));
    }
}
