//! Errors and warnings about input files, with the place they point at.
//!
//! Every stage reports problems as [`Diagnostic`]s that carry the file, the byte span and
//! (through [`SourceFile`]) the text, so the command line can render them with the offending
//! line underlined. Nothing here prints: rendering returns a string.

use crate::source::limits::YamlLimit;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// A loaded input file: its name as shown to the user and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// The file on disk began with a UTF-8 byte order mark (not part of `text`), which
    /// `fmt` keeps when it rewrites the file.
    bom: bool,
    /// `sha256:` of the text, found on first use: every case of a case file is evidence
    /// from the same file, and hashing it for each would be quadratic.
    hash: OnceLock<String>,
    /// Byte offset of each line's start, found on first use: every justification and
    /// finding names a line, and scanning from the top each time is quadratic in a
    /// large pack.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<SourceFile> {
        SourceFile::read(name, text, false)
    }

    /// A file read from disk, remembering whether it began with a byte order mark.
    pub(crate) fn read(
        name: impl Into<String>,
        text: impl Into<String>,
        bom: bool,
    ) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            bom,
            hash: OnceLock::new(),
            line_starts: OnceLock::new(),
        })
    }

    /// `sha256:` and the hex digest of the text (what an evidence file is pinned by).
    pub fn sha256(&self) -> &str {
        self.hash
            .get_or_init(|| crate::source::digest::sha256(self.text.as_bytes()))
    }

    /// Whether the file on disk began with a UTF-8 byte order mark.
    pub fn had_byte_order_mark(&self) -> bool {
        self.bom
    }

    /// Where each line starts. A line ends at a line feed, a carriage return and line
    /// feed, or a carriage return alone (old Mac files), as YAML reads them.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let breaks = bytes.iter().enumerate().filter_map(|(i, byte)| match byte {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                _ => None,
            });
            std::iter::once(0).chain(breaks).collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        // The last line that starts at or before the offset.
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// The byte offset of a 1-based line and character column.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let starts = self.line_starts();
        let Some(&start) = line.checked_sub(1).and_then(|index| starts.get(index)) else {
            return self.text.len();
        };
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        let within: usize = self.text[start..end]
            .chars()
            .take(column.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + within
    }

    /// The whole lines a byte range touches: where the first starts, where the last ends
    /// (after its line break), and the first's 1-based number.
    fn lines_around(&self, span: &Range<usize>) -> (Range<usize>, usize) {
        let starts = self.line_starts();
        let first = starts.partition_point(|&start| start <= span.start);
        let last_offset = span.end.saturating_sub(1).max(span.start);
        let last = starts.partition_point(|&start| start <= last_offset);
        let end = starts.get(last).copied().unwrap_or(self.text.len());
        (starts[first - 1]..end.max(starts[first - 1]), first)
    }
}

/// Two files are the same file when their names and texts are; what is worked out from
/// the text on first use does not count.
impl PartialEq for SourceFile {
    fn eq(&self, other: &SourceFile) -> bool {
        self.name == other.name && self.text == other.text && self.bom == other.bom
    }
}

impl Eq for SourceFile {}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// What makes a problem a finding of `assure check`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingCode {
    pub code: &'static str,
    pub rule: Option<String>,
}

/// What each stage's `Problem` enum says of itself. The ways a problem becomes a
/// [`Diagnostic`] (about no file, a file, or a place in one) are written once, here.
pub trait Worded {
    fn severity(&self) -> Severity;
    fn message(&self) -> String;
    /// The short label under the marked text.
    fn label(&self) -> Option<&str>;
    /// What to do about it.
    fn help(&self) -> Option<String>;
    /// The finding code, for a problem `assure check` also reports as a finding.
    fn code(&self) -> Option<&'static str> {
        None
    }
    /// The rule a coded problem is about.
    fn rule(&self) -> Option<&str> {
        None
    }

    /// The problem about no file (a command-line argument, an output path).
    fn unplaced(&self) -> Diagnostic {
        let mut diagnostic =
            Diagnostic::worded(self.severity(), self.message(), self.label(), self.help());
        if let Some(code) = self.code() {
            diagnostic = diagnostic.with_code(code);
            if let Some(rule) = self.rule() {
                diagnostic = diagnostic.about_rule(rule);
            }
        }
        diagnostic
    }

    /// The problem at `span` of `file`.
    fn at(&self, file: &Arc<SourceFile>, span: Range<usize>) -> Diagnostic {
        self.unplaced().at(file, span)
    }

    /// The problem about `file` as a whole.
    fn in_file(&self, file: &Arc<SourceFile>) -> Diagnostic {
        self.unplaced().in_file(file)
    }
}

/// One problem found in an input, pointing at where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The file, when the problem is inside one.
    pub source: Option<Arc<SourceFile>>,
    /// Byte range in the file's text that the problem points at.
    pub span: Option<Range<usize>>,
    /// A short label under the marked text.
    pub label: Option<Box<str>>,
    /// What to do about it.
    pub help: Option<Box<str>>,
    /// Further named lines under the source, before the help: (`see also`, a place).
    /// Boxed, not a `Vec`, to keep diagnostics small in `Result`s.
    pub notes: Box<[(&'static str, String)]>,
    /// For a problem `assure check` reports as a finding: its code and the rule it is
    /// about. Boxed, as most problems have none, to keep diagnostics small.
    finding: Option<Box<FindingCode>>,
    /// The place is named but its text not shown: the file may not be ours to show.
    text_hidden: bool,
    /// The bound of `source::limits` the input passed, when that is the problem.
    limit: Option<YamlLimit>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            source: None,
            span: None,
            label: None,
            help: None,
            notes: Box::default(),
            finding: None,
            text_hidden: false,
            limit: None,
        }
    }

    /// A stage's problem, worded: the one way each stage's `Problem` enum becomes a
    /// diagnostic (its place is added after).
    pub fn worded(
        severity: Severity,
        message: String,
        label: Option<&str>,
        help: Option<String>,
    ) -> Diagnostic {
        let mut diagnostic = Diagnostic {
            severity,
            ..Diagnostic::error(message)
        };
        if let Some(label) = label {
            diagnostic = diagnostic.with_label(label);
        }
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Points the diagnostic at a byte range of a file.
    pub fn at(mut self, source: &Arc<SourceFile>, span: Range<usize>) -> Diagnostic {
        self.source = Some(Arc::clone(source));
        self.span = Some(span);
        self
    }

    /// Names the file without a position in it.
    pub fn in_file(mut self, source: &Arc<SourceFile>) -> Diagnostic {
        self.source = Some(Arc::clone(source));
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into().into_boxed_str());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// Adds a line `= name: text` under the source.
    pub fn with_note(mut self, name: &'static str, text: impl Into<String>) -> Diagnostic {
        let mut notes = std::mem::take(&mut self.notes).into_vec();
        notes.push((name, text.into()));
        self.notes = notes.into_boxed_slice();
        self
    }

    /// Names the place (`file:line:column`) without showing the file's text there.
    pub fn hiding_text(mut self) -> Diagnostic {
        self.text_hidden = true;
        self
    }

    /// Tags the diagnostic with a finding code (see docs/check.md).
    /// Marks the problem as a finding of `assure check`, with its stable code
    /// (`crate::source::codes::UNKNOWN_METRIC`).
    pub fn with_code(mut self, code: &'static str) -> Diagnostic {
        self.finding = Some(Box::new(FindingCode { code, rule: None }));
        self
    }

    /// Names the rule a coded problem is about, for a pack that did not load.
    pub fn about_rule(mut self, id: &str) -> Diagnostic {
        if let Some(finding) = &mut self.finding {
            finding.rule = Some(id.to_string());
        }
        self
    }

    /// Marks the problem as the input passing `limit`.
    pub fn with_limit(mut self, limit: YamlLimit) -> Diagnostic {
        self.limit = Some(limit);
        self
    }

    /// The bound the input passed, when that is the problem.
    pub fn limit(&self) -> Option<YamlLimit> {
        self.limit
    }

    /// The finding code, `A001`, if the problem has one.
    pub fn code(&self) -> Option<&'static str> {
        self.finding.as_ref().map(|finding| finding.code)
    }

    /// The rule a coded problem is about, when it is about one.
    pub fn rule(&self) -> Option<&str> {
        self.finding.as_ref()?.rule.as_deref()
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or just `file`, or nothing.
    pub fn location(&self) -> Option<String> {
        let source = self.source.as_ref()?;
        Some(match &self.span {
            Some(span) => {
                let (line, column) = source.line_column(span.start);
                format!("{}:{line}:{column}", source.name)
            }
            None => source.name.clone(),
        })
    }

    /// The diagnostic as plain text: a `file:line:column: error: message` line, then the
    /// source line with the problem underlined, then the help.
    pub fn render(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // rustc's style: `error[A001]` when the problem has a finding code.
        let severity = match self.code() {
            Some(code) => format!("{severity}[{code}]"),
            None => severity.to_string(),
        };
        let mut out = match self.location() {
            Some(location) => format!("{location}: {severity}: {}\n", self.message),
            None => format!("{severity}: {}\n", self.message),
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_level(level.clone());
        let mut has_body = false;
        if let (Some(source), Some(span), false) = (&self.source, &self.span, self.text_hidden) {
            let span = clamp_span(&source.text, span.clone());
            // Only the lines the span touches: the renderer reads all it is given, and a
            // large file with many problems would be read once per problem.
            let (lines, first_line) = source.lines_around(&span);
            let shifted = span.start - lines.start..span.end - lines.start;
            let annotation = AnnotationKind::Primary
                .span(shifted)
                .label(self.label.as_deref().unwrap_or_default());
            // A carriage return alone ends a line too; the renderer knows only line feeds.
            let excerpt = lone_returns_as_line_feeds(&source.text[lines]);
            group = group.element(
                Snippet::source(excerpt)
                    .line_start(first_line)
                    .annotation(annotation),
            );
            has_body = true;
        }
        for (name, text) in self.notes.iter() {
            group = group.element(Level::NOTE.with_name(*name).message(text.as_str()));
            has_body = true;
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(&**help));
            has_body = true;
        }
        if has_body {
            out.push_str(&Renderer::plain().render(&[group]));
            out.push('\n');
        }
        // A file's text reaches the terminal: controls are shown, never acted on.
        match crate::source::escape::text(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(shown) => shown,
        }
    }
}

/// `text` with each carriage return that no line feed follows made a line feed (the same
/// length, so spans stay put).
fn lone_returns_as_line_feeds(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let fixed: String = text
        .char_indices()
        .map(|(i, c)| if c == '\r' && lone(i) { '\n' } else { c })
        .collect();
    std::borrow::Cow::Owned(fixed)
}

/// Keeps a span on character boundaries and inside the text; an empty span at the end of a
/// line is widened to one character so the caret shows.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len())).max(start);
    if start == end {
        let next = text[start..].chars().next().map_or(0, char::len_utf8);
        return start..start + next;
    }
    start..end
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location() {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Diagnostics that stop a command: at least one is an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
}

impl Failure {
    pub fn new(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure { diagnostics }
    }

    pub fn render(&self) -> String {
        self.diagnostics
            .iter()
            .map(Diagnostic::render)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl From<Diagnostic> for Failure {
    fn from(diagnostic: Diagnostic) -> Failure {
        Failure::new(vec![diagnostic])
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.diagnostics {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// The closest names to `wanted` among `candidates`, best first, for "did you mean".
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    most: usize,
) -> Vec<&'a str> {
    // A near miss is about as long as what it misses; comparing costs the product of the
    // lengths, so a name of thousands of characters is compared by its start alone.
    const COMPARED_CHARS: usize = 200;
    let wanted: String = wanted
        .chars()
        .take(COMPARED_CHARS)
        .collect::<String>()
        .to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wanted, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(similarity, _)| *similarity >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(most)
        .map(|(_, name)| name)
        .collect()
}

/// `did you mean `a`?` or `did you mean `a`, `b` or `c`?`.
pub fn did_you_mean(names: &[&str]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [rest @ .., last] => Some(format!("did you mean {} or {last}?", rest.join(", "))),
    }
}
