//! The one place that knows which YAML library is used (serde-saphyr; serde_yaml is
//! deprecated and archived). Loaders deserialize through [`from_source`] and take spans
//! from [`Spanned`] values; errors come back as [`Diagnostic`]s pointing into the file.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::source::diagnostic::{Diagnostic, SourceFile, Worded};
use crate::source::limits::{self, YamlLimit};

pub use serde_saphyr::Spanned;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        budget: Some(limits::yaml_budget()),
        // YAML 1.2 booleans only: `y`, `no` and `on` are text, as a reader means them.
        strict_booleans: true,
    }
}

/// For reading the shape of a file whose parts are then read strictly one by one: a
/// repeated key keeps its first value, so the part that repeats it can be blamed alone.
fn first_wins_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::FirstWins,
        budget: Some(limits::yaml_budget()),
        strict_booleans: true,
    }
}

fn refuse_empty(source: &Arc<SourceFile>) -> Result<(), Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(crate::source::problem::Problem::Empty.at(source, 0..0));
    }
    Ok(())
}

/// Deserializes a whole file, refusing duplicate keys and alias bombs.
pub fn from_source<T: DeserializeOwned>(source: &Arc<SourceFile>) -> Result<T, Diagnostic> {
    from_text(source, &source.text)
}

/// Deserializes `text`, which is the source's text or a copy of it with parts blanked out
/// (see [`blank_outside`]), so problems point at the same places in the source.
pub fn from_text<T: DeserializeOwned>(
    source: &Arc<SourceFile>,
    text: &str,
) -> Result<T, Diagnostic> {
    refuse_empty(source)?;
    serde_saphyr::from_str_with_options(text, options())
        .map_err(|error| to_diagnostic(source, &error))
}

/// Like [`from_text`], but a repeated key keeps its first value instead of failing.
pub fn from_text_first_wins<T: DeserializeOwned>(
    source: &Arc<SourceFile>,
    text: &str,
) -> Result<T, Diagnostic> {
    refuse_empty(source)?;
    serde_saphyr::from_str_with_options(text, first_wins_options())
        .map_err(|error| to_diagnostic(source, &error))
}

/// Where each entry of a block list lies in `text`: from its dash to the next entry's dash
/// (or the end of the list). `starts` are the byte offsets where the
/// entries' values begin, in order. `None` unless every entry is introduced by its own
/// `- `: a flow list (`[a, b]`) cannot be cut this way.
pub fn block_list_ranges(text: &str, starts: &[usize]) -> Option<Vec<Range<usize>>> {
    // Where each entry's dash is: the first non-blank before its value.
    let dashes: Vec<usize> = starts
        .iter()
        .map(|&start| {
            let before = text.get(..start)?;
            let dash = before
                .trim_end_matches([' ', '\t', '\n', '\r'])
                .len()
                .checked_sub(1)?;
            (before.as_bytes().get(dash) == Some(&b'-')).then_some(dash)
        })
        .collect::<Option<_>>()?;
    // The last entry ends where the list does: at the first line, after the entry's own,
    // that is neither blank nor a comment and is indented no deeper than the dashes.
    let last_end = dashes.last().map_or(text.len(), |&dash| {
        let line_start = text[..dash].rfind('\n').map_or(0, |i| i + 1);
        let indent = dash - line_start;
        let rest_start = text[dash..].find('\n').map_or(text.len(), |i| dash + i + 1);
        let mut offset = rest_start;
        for line in text[rest_start..].split_inclusive('\n') {
            let content = line.trim_start_matches([' ', '\t']);
            let depth = line.len() - content.len();
            let blank = content.trim().is_empty() || content.starts_with('#');
            if !blank && depth <= indent {
                return offset;
            }
            offset += line.len();
        }
        text.len()
    });
    let ends = dashes.iter().skip(1).copied().chain([last_end]);
    Some(
        dashes
            .iter()
            .zip(ends)
            .map(|(&dash, end)| dash..end)
            .collect(),
    )
}

/// A copy of `text` with everything outside `keep` blanked (line breaks kept), so the part
/// can be read on its own with the lines, columns and byte offsets it has in the file.
pub fn blank_outside(text: &str, keep: &Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, ch) in text.char_indices() {
        if matches!(ch, '\n' | '\r') || keep.contains(&index) {
            out.push(ch);
        } else {
            // A blanked character keeps its width in bytes, so offsets stay where they were.
            out.extend(std::iter::repeat_n(' ', ch.len_utf8()));
        }
    }
    out
}

/// Blanks `range` of `text` in place (line breaks kept), so the rest reads as if it were
/// not there, at the same places. `range` starts and ends on character boundaries.
pub fn blank_inside(text: &mut String, range: &Range<usize>) {
    let Some(part) = text.get(range.clone()) else {
        return;
    };
    let blanked: String = part
        .chars()
        .map(|c| match c {
            '\n' | '\r' => c.to_string(),
            c => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(range.clone(), &blanked);
}

/// Deserializes every `---`-separated document of a file.
pub fn documents_from_source<T: DeserializeOwned>(
    source: &Arc<SourceFile>,
) -> Result<Vec<T>, Diagnostic> {
    refuse_empty(source)?;
    serde_saphyr::from_str_multiple_with_options::<T, Vec<T>>(&source.text, options())
        .map_err(|error| to_diagnostic(source, &error))
}

fn to_diagnostic(source: &Arc<SourceFile>, error: &serde_saphyr::Error) -> Diagnostic {
    let (message, limit) = match original(error) {
        serde_saphyr::Error::Budget { breach, .. } => over_budget(breach),
        original => (tidy_message(&original.to_string()), None),
    };
    let mut problem = Problem::of(&message);
    let mut diagnostic = Diagnostic::error(message.clone());
    if let Some(limit) = limit {
        diagnostic = diagnostic.with_limit(limit);
    }
    if problem == Problem::DuplicateKey {
        diagnostic = diagnostic.with_code(crate::source::codes::DUPLICATE_KEY);
    }
    match error.location() {
        Some(location) if location.line() > 0 => {
            // The byte offset when there is one: it is right whatever ends the lines.
            let mut offset = location.span().byte_offset().map_or_else(
                || source.offset_of(location.line() as usize, location.column() as usize),
                |offset| offset as usize,
            );
            let mut message = message;
            if problem == Problem::Tab {
                // The scanner stops at the value before the tab; point at the tab.
                match tab_in_indentation(&source.text, offset) {
                    Some(tab) => {
                        offset = tab;
                        message = "a tab in the indentation: YAML indents with spaces".to_string();
                    }
                    None => problem = Problem::Other,
                }
            }
            if message.starts_with("the value carries a type tag")
                && let Some(tag) = tag_before(&source.text, offset)
            {
                message = format!("the value is tagged `{tag}`, which makes it not text");
            }
            let help = problem.help(&message);
            let span = match problem {
                Problem::UnknownField | Problem::DuplicateKey => {
                    key_span(&source.text, offset, &message)
                }
                _ => offset..offset,
            };
            diagnostic.message = message;
            let diagnostic = diagnostic.at(source, span).with_label(problem.label());
            match help {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            }
        }
        _ => diagnostic.in_file(source),
    }
}

/// What the parser's error is, told once from its (tidied) words, the one place they are
/// read: the label and help follow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    DuplicateKey,
    /// The scanner met a tab; said as one only when the tab is in a line's indentation.
    Tab,
    TypeTag,
    EmptyValue,
    SecondDocument,
    ExpectedList,
    ExpectedOneValue,
    UnknownField,
    Other,
}

impl Problem {
    fn of(message: &str) -> Problem {
        if message.starts_with("duplicate key") {
            Problem::DuplicateKey
        } else if message.contains("found a tab") {
            Problem::Tab
        } else if message.contains("type tag") {
            Problem::TypeTag
        } else if message.contains("not an empty value") {
            Problem::EmptyValue
        } else if message.starts_with("a second YAML document") {
            Problem::SecondDocument
        } else if message.starts_with("expected a list") {
            Problem::ExpectedList
        } else if message.starts_with("expected string scalar")
            || message.starts_with("expected a single value")
        {
            Problem::ExpectedOneValue
        } else if message.starts_with("unknown field") {
            Problem::UnknownField
        } else {
            Problem::Other
        }
    }

    /// What to do about it; for an unknown field, the nearest of the fields expected.
    fn help(self, message: &str) -> Option<String> {
        let fixed = match self {
            Problem::Tab => "replace the tab with spaces",
            Problem::TypeTag => "remove the tag, and quote the value if it should stay text",
            Problem::EmptyValue => "give a value, or leave the key out",
            Problem::SecondDocument => {
                "remove the `---` line, or put the second document in a file of its own"
            }
            Problem::ExpectedList => "write a list, e.g. `[respite, unpaid carers]`",
            Problem::ExpectedOneValue => "write one value, e.g. `63%`",
            Problem::UnknownField => return near_field(message),
            Problem::DuplicateKey | Problem::Other => return None,
        };
        Some(fixed.to_string())
    }

    fn label(self) -> &'static str {
        match self {
            Problem::UnknownField => "not a field here",
            Problem::DuplicateKey => "already given above",
            _ => "here",
        }
    }
}

/// The key a message names in backticks (`unknown field `valeu``), underlined where it is
/// written at `offset` (bare or quoted); only the place when the text there is not it.
fn key_span(text: &str, offset: usize, message: &str) -> Range<usize> {
    let key = message.split('`').nth(1).filter(|key| !key.is_empty());
    let Some(key) = key else {
        return offset..offset;
    };
    let rest = text.get(offset..).unwrap_or_default();
    let written = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
        .into_iter()
        .find(|form| rest.starts_with(form.as_str()));
    match written {
        Some(form) => offset..offset.saturating_add(form.len()),
        None => offset..offset,
    }
}

/// Where `key` is written as the key of the value that starts at `value_start`: its last
/// writing before the value that only a `:` (and a closing quote) separates from it. For
/// a map whose keys carry no span of their own.
pub fn key_before(text: &str, value_start: usize, key: &str) -> Option<Range<usize>> {
    let before = text.get(..value_start)?;
    let mut end = before.len();
    while let Some(at) = before.get(..end)?.rfind(key) {
        let after = before.get(at.saturating_add(key.len())..)?;
        let after = after.trim_start_matches(['"', '\'']).trim_start();
        if after.starts_with(':') && after[1..].trim().is_empty() {
            return Some(at..at.saturating_add(key.len()));
        }
        end = at;
    }
    None
}

/// The first tab in the leading white space of a line, from the line of `offset` on.
fn tab_in_indentation(text: &str, offset: usize) -> Option<usize> {
    let line_start = text.get(..offset)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let mut at = line_start;
    for line in text.get(line_start..)?.split_inclusive(['\n', '\r']) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            return Some(at + tab);
        }
        at += line.len();
    }
    None
}

/// The tag (`!!int`, `!local`) written just before the value at `offset`, on its line.
fn tag_before(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let line = &before[before.rfind(['\n', '\r']).map_or(0, |i| i + 1)..];
    let word = line.trim_end().rsplit([' ', '\t']).next()?;
    word.starts_with('!').then_some(word)
}

/// "Did you mean" for an unknown field, among the fields the message says are expected.
fn near_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest
        .split_once("expected one of: ")?
        .1
        .split(", ")
        .map(|name| name.trim_matches('`'))
        .collect();
    crate::source::diagnostic::did_you_mean(&crate::source::diagnostic::nearest(field, expected, 1))
}

/// The error itself, without the wrappers that add a snippet or an alias's two locations
/// (the location reported is still where the alias was used).
fn original(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error: inner, .. }
    | serde_saphyr::Error::WithSnippet { error: inner, .. } = error
    {
        error = inner;
    }
    error
}

/// A resource limit, said in the file's terms with the number it passed.
fn over_budget(breach: &serde_saphyr::budget::BudgetBreach) -> (String, Option<YamlLimit>) {
    use serde_saphyr::budget::BudgetBreach as B;
    let (message, limit) = match breach {
        B::Depth { .. } => (
            format!(
                "lists and mappings are nested more than {} levels deep",
                limits::MAX_YAML_DEPTH
            ),
            YamlLimit::Depth,
        ),
        B::Nodes { .. } | B::Events { .. } => (
            format!(
                "the file holds more than {} values (aliases counted as often as they are used)",
                limits::MAX_YAML_NODES
            ),
            YamlLimit::Values,
        ),
        B::Aliases { .. } | B::Anchors { .. } => (
            format!(
                "the file uses more than {} anchors or aliases (`&name`, `*name`)",
                limits::MAX_YAML_ALIASES
            ),
            YamlLimit::Aliases,
        ),
        B::ScalarBytes { .. } => (
            format!(
                "the file's text adds up to more than {} MiB once aliases are expanded",
                limits::MAX_YAML_SCALAR_BYTES / (1024 * 1024)
            ),
            YamlLimit::Text,
        ),
        B::Documents { .. } => (
            format!(
                "the file holds more than {} `---`-separated documents",
                limits::MAX_YAML_DOCUMENTS
            ),
            YamlLimit::Documents,
        ),
        other => {
            let message =
                format!("the file is too large or too complex to read safely ({other:?})");
            return (message, None);
        }
    };
    (message, Some(limit))
}

/// serde-saphyr appends "at line L, column C" and library advice; the location is shown
/// separately, and the advice is about its API, not the user's file.
fn tidy_message(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    let message = message.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
    let message = message.replace("expected one of ", "expected one of: ");
    let message = message.trim_start_matches("error: ").to_string();
    // The library's type names, in the file's terms.
    let message = message
        .replace("into string", "into text")
        .replace("into u8", "into a whole number")
        .replace("into u32", "into a whole number");
    if let Some(what) = message
        .strip_prefix("cannot deserialize null into ")
        .map(|rest| rest.split(';').next().unwrap_or(rest).to_string())
    {
        return format!(
            "expected {}, not an empty value (`~`, `null` or nothing)",
            a_kind(&what)
        );
    }
    if message.starts_with("cannot deserialize tagged scalar") {
        return "the value carries a type tag (`!!int`, `!!float`, `!!bool`...), which makes it not text"
            .to_string();
    }
    if message.starts_with("multiple YAML documents detected") {
        return "a second YAML document starts here (after a `---` line), but this file is one document"
            .to_string();
    }
    let message = match message.as_str() {
        "expected sequence start" => "expected a list".to_string(),
        "invalid u8" => "expected a whole number from 0 to 255".to_string(),
        "invalid u32" => "expected a whole number".to_string(),
        // The parser's own guard against nesting, before the budget's depth is counted.
        "recursion limit exceeded" => format!(
            "lists and mappings are nested more than {} levels deep",
            limits::MAX_YAML_DEPTH
        ),
        "expected string scalar" => "expected a single value, not a list or a mapping".to_string(),
        _ => message,
    };
    if message.starts_with("duplicate mapping key") {
        return message.replacen("duplicate mapping key: ", "duplicate key `", 1) + "`";
    }
    message
}

/// `text` for "into text", `a list` for "into a sequence".
fn a_kind(what: &str) -> String {
    match what.trim() {
        "text" => "text".to_string(),
        "sequence" | "seq" => "a list".to_string(),
        "map" | "mapping" | "struct" => "a mapping".to_string(),
        other => other.to_string(),
    }
}

/// Whether the scalar content starting at `start` is a block scalar's: a block header
/// (`>-`, `|`, `>2`...) ends the last non-blank line before it.
pub fn follows_block_header(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("");
    let header = before.trim_end().rsplit('\n').next().unwrap_or("");
    let indicator = header
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
        .trim_end();
    indicator.ends_with('>') || indicator.ends_with('|')
}

/// The byte range of a spanned scalar in its file.
pub fn span_of<T>(source: &SourceFile, value: &Spanned<T>) -> Range<usize> {
    let location = value.referenced;
    if location.line() == 0 {
        // No place in the file: a value read by the JSON fast path.
        return 0..0;
    }
    let span = location.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(offset), Some(len)) => offset as usize..(offset + len) as usize,
        _ => {
            let offset = source.offset_of(location.line() as usize, location.column() as usize);
            offset..offset
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{blank_outside, from_source};
    use crate::source::diagnostic::{SourceFile, Worded};

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        value: u32,
    }

    #[test]
    fn a_key_is_found_before_its_value() {
        let text = "scores: {assessing-needs: 3, \"safeguarding\": 2}\n";
        let value = text.find('2').unwrap();
        let key = super::key_before(text, value, "safeguarding").unwrap();
        assert_eq!(&text[key], "safeguarding");
        let value = text.find('3').unwrap();
        let key = super::key_before(text, value, "assessing-needs").unwrap();
        assert_eq!(&text[key], "assessing-needs");
        assert_eq!(super::key_before(text, value, "needs: 3"), None);
    }

    #[test]
    fn a_blank_file_is_reported_as_empty() {
        let file = SourceFile::new("blank.yaml", "  \n\n");
        let loaded = from_source::<Item>(&file).err();
        assert_eq!(
            loaded,
            Some(crate::source::problem::Problem::Empty.at(&file, 0..0))
        );
    }

    #[test]
    fn an_unknown_or_repeated_key_is_underlined_whole() {
        let file = SourceFile::new("t.yaml", "valeu: 3\n");
        let problem = from_source::<Item>(&file).unwrap_err();
        assert_eq!(problem.span, Some(0..5), "{}", problem.render());
        let file = SourceFile::new("t.yaml", "value: 3\n'value': 4\n");
        let problem = from_source::<Item>(&file).unwrap_err();
        assert_eq!(problem.span, Some(9..16), "{}", problem.render());
    }

    #[test]
    fn blanking_keeps_every_offset_even_across_multibyte_characters() {
        let text = "a: “quoted” café\nb: 1\n";
        let second = text.find("b:").expect("the second line");
        let blanked = blank_outside(text, &(second..text.len()));
        assert_eq!(blanked.len(), text.len());
        assert_eq!(&blanked[second..], "b: 1\n");
        assert!(blanked[..second].trim().is_empty());
        assert!(blanked[..second].ends_with('\n'));
    }
}
