//! `assure fmt`: rewrites every rule sentence of a pack in its canonical spelling and
//! touches nothing else. Comments, layout, other fields and each sentence's quoting style
//! stay as written; a plain sentence is quoted only when its canonical form needs it.

use std::ops::Range;
use std::sync::Arc;

use crate::pack::problem::Problem;
use crate::pack::{Pack, PackRule};
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded};

/// A pack file whose sentences are not all canonical, with its formatted text.
#[derive(Debug)]
pub struct Formatted {
    pub file: Arc<SourceFile>,
    pub text: String,
    /// Ids of the rules whose sentences changed, in file order.
    pub rules: Vec<String>,
}

/// One sentence to rewrite: the file range, its new text, and the rule's id.
struct Edit {
    range: Range<usize>,
    replacement: String,
    rule: String,
}

/// The files of a pack that formatting would change, in the order the pack read them.
pub fn format_pack(pack: &Pack) -> Result<Vec<Formatted>, Diagnostic> {
    let mut by_file: Vec<(Arc<SourceFile>, Vec<Edit>)> = Vec::new();
    for (_, rule) in pack.rules() {
        let canonical = rule.ast.to_string();
        if canonical == rule.text {
            continue;
        }
        let (range, replacement) = replacement(rule, &canonical)?;
        let edit = Edit {
            range,
            replacement,
            rule: rule.id.clone(),
        };
        match by_file
            .iter_mut()
            .find(|(file, _)| Arc::ptr_eq(file, &rule.origin.file))
        {
            Some((_, edits)) => edits.push(edit),
            None => by_file.push((Arc::clone(&rule.origin.file), vec![edit])),
        }
    }
    Ok(by_file
        .into_iter()
        .map(|(file, mut edits)| {
            edits.sort_by_key(|edit| edit.range.start);
            let rules = edits.iter().map(|edit| edit.rule.clone()).collect();
            let mut text = file.text.clone();
            // From the end, so earlier ranges stay valid.
            for edit in edits.iter().rev() {
                text.replace_range(edit.range.clone(), &edit.replacement);
            }
            Formatted { file, text, rules }
        })
        .collect())
}

/// Checks that the formatted files mean exactly what the originals meant: they load, every
/// sentence is now canonical, and the pack's content hash is unchanged. Nothing is written
/// unless this passes.
pub fn verify(
    original: &Pack,
    files: &[Arc<SourceFile>],
    formatted: &[Formatted],
) -> Result<(), Failure> {
    let files: Vec<Arc<SourceFile>> = files
        .iter()
        .map(
            |file| match formatted.iter().find(|f| f.file.name == file.name) {
                Some(f) => SourceFile::new(file.name.clone(), f.text.clone()),
                None => Arc::clone(file),
            },
        )
        .collect();
    let reloaded = crate::load_pack_files(&files)?;
    let unsettled: Vec<&str> = reloaded
        .rules()
        .filter(|(_, rule)| rule.ast.to_string() != rule.text)
        .map(|(_, rule)| rule.id.as_str())
        .collect();
    if !unsettled.is_empty() || reloaded.hash != original.hash {
        let problem = Problem::FormatChangesMeaning {
            unsettled: unsettled.into_iter().map(str::to_string).collect(),
        };
        return Err(problem.unplaced().into());
    }
    Ok(())
}

/// How a sentence is written in its file.
#[derive(Debug, PartialEq, Eq)]
enum Style {
    Plain,
    /// `>` or `|` block: the content can hold any text on one line.
    Block,
    DoubleQuoted,
    SingleQuoted,
}

/// The file range to replace and its new text, keeping the sentence's style.
fn replacement(rule: &PackRule, canonical: &str) -> Result<(Range<usize>, String), Diagnostic> {
    let text = &rule.origin.file.text;
    let span = rule.origin.sentence_span();
    let cannot = || {
        Problem::SentenceEndNotFound {
            rule: rule.id.clone(),
        }
        .at(&rule.origin.file, span.clone())
    };
    match style(text, span.start) {
        Style::Plain if is_plain_safe(canonical) => Ok((span, canonical.to_string())),
        Style::Plain => Ok((span, single_quoted(canonical))),
        Style::Block => Ok((span, canonical.to_string())),
        Style::DoubleQuoted => {
            let close = closing_quote(text, span.end, '"').ok_or_else(cannot)?;
            Ok((span.start - 1..close + 1, double_quoted(canonical)))
        }
        Style::SingleQuoted => {
            let close = closing_quote(text, span.end, '\'').ok_or_else(cannot)?;
            Ok((span.start - 1..close + 1, single_quoted(canonical)))
        }
    }
}

fn style(text: &str, start: usize) -> Style {
    let before = text.get(..start).unwrap_or("");
    match before.chars().last() {
        Some('"') => Style::DoubleQuoted,
        Some('\'') => Style::SingleQuoted,
        _ if crate::source::yaml::follows_block_header(text, start) => Style::Block,
        _ => Style::Plain,
    }
}

/// The offset of the quote that closes a quoted scalar whose content ends at `from`.
fn closing_quote(text: &str, from: usize, quote: char) -> Option<usize> {
    let rest = text.get(from..)?;
    let mut chars = rest.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        match ch {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                // In single quotes, `''` is an escaped quote, not the end.
                if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                    chars.next();
                    continue;
                }
                return Some(from + index);
            }
            _ => {}
        }
    }
    None
}

/// Whether YAML reads `text` back unchanged as a plain scalar.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !text.ends_with(char::is_whitespace)
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains(['\n', '\t'])
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn double_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_safety() {
        assert!(is_plain_safe("any negative finding lowers score"));
        assert!(is_plain_safe(
            "any negative finding tagged \"waiting lists\" lowers score"
        ));
        assert!(!is_plain_safe("\"quoted metric\" below 5% lowers score"));
        assert!(!is_plain_safe("a: b lowers score"));
        assert!(!is_plain_safe("x below 5 lowers score #1"));
    }

    #[test]
    fn finds_closing_quotes_past_escapes() {
        assert_eq!(closing_quote(r#"ab\"c" rest"#, 0, '"'), Some(5));
        assert_eq!(closing_quote("ab''c' rest", 0, '\''), Some(5));
        assert_eq!(closing_quote("abc", 0, '"'), None);
    }

    #[test]
    fn recognises_styles() {
        assert_eq!(style("rule: x", 6), Style::Plain);
        assert_eq!(style("rule: \"x", 7), Style::DoubleQuoted);
        assert_eq!(style("rule: 'x", 7), Style::SingleQuoted);
        assert_eq!(style("rule: >-\n      x", 15), Style::Block);
        assert_eq!(style("rule: |\n  x", 10), Style::Block);
        assert_eq!(style("rule: a\n  x", 10), Style::Plain);
    }
}
