//! Writes converted rows as an evidence file. Text is written plain only when YAML reads
//! it back as the same string whatever it holds; anything else is double-quoted with every
//! character that could change its meaning escaped. The importer then loads what was
//! written to prove it (see `super::import`).

use std::fmt::Write as _;

use super::convert::{Content, Converted, Number};
use crate::lang::ast::Strength;

/// The evidence file's text, headed by a comment saying where it came from.
pub fn evidence_yaml(converted: &Converted, origin: &str) -> String {
    let mut out = String::new();
    let origin: String = origin
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let _ = writeln!(out, "# Imported by `assure import` from {origin}.");
    let _ = writeln!(out, "authority: {}", scalar(&converted.authority));
    if let Some(code) = &converted.code {
        let _ = writeln!(out, "code: {}", scalar(code));
    }
    if let Some(as_of) = &converted.as_of {
        let _ = writeln!(out, "as_of: {}", scalar(as_of));
    }
    if converted.items.is_empty() {
        out.push_str("items: []\n");
        return out;
    }
    out.push_str("items:\n");
    for item in &converted.items {
        let _ = writeln!(out, "  - id: {}", scalar(&item.id));
        match item.statements.as_slice() {
            [one] => {
                let _ = writeln!(out, "    statement: {}", scalar(one));
            }
            many => {
                let list: Vec<String> = many.iter().map(|s| flow_scalar(s)).collect();
                let _ = writeln!(out, "    statements: [{}]", list.join(", "));
            }
        }
        let _ = writeln!(out, "    category: {}", scalar(item.category.as_str()));
        match &item.content {
            Content::Metric { name, numbers, .. } => {
                let _ = writeln!(out, "    metric: {}", scalar(name));
                for (field, number) in numbers {
                    let _ = writeln!(out, "    {}: {}", field.name(), number_text(*number));
                }
            }
            Content::Finding {
                text,
                sentiment,
                strength,
                tags,
            } => {
                let _ = writeln!(out, "    finding: {}", scalar(text));
                let _ = writeln!(out, "    sentiment: {}", sentiment.as_str());
                if *strength == Strength::Strong {
                    let _ = writeln!(out, "    strength: strong");
                }
                if !tags.is_empty() {
                    let list: Vec<String> = tags.iter().map(|t| flow_scalar(t)).collect();
                    let _ = writeln!(out, "    tags: [{}]", list.join(", "));
                }
            }
        }
        if let Some(period) = &item.period {
            let _ = writeln!(out, "    period: {}", scalar(period));
        }
        if let Some(source) = &item.source {
            let _ = writeln!(out, "    source: {}", scalar(source));
        }
    }
    out
}

/// A number as the evidence file writes it: exact, with `%` for a percentage. Plain: the
/// evidence loader takes a value's digits as written (never through a float), and a
/// decimal prints without an exponent.
fn number_text(number: Number) -> String {
    if number.percent {
        format!("{}%", number.value)
    } else {
        number.value.to_string()
    }
}

/// `text` as a YAML scalar in block context: plain when that reads back unchanged, else
/// double-quoted.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text, false) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// `text` as an entry of a flow list (`[a, b]`), where `,`, `[`, `]`, `{` and `}` end a
/// plain scalar.
fn flow_scalar(text: &str) -> String {
    if is_plain_safe(text, true) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// Words YAML 1.1 or 1.2 readers take for something other than a string.
const SPECIAL_WORDS: &[&str] = &[
    "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
];

/// Whether YAML reads `text` back as exactly this string when written plain. Deliberately
/// narrower than YAML allows: it must start with a letter, hold no character that is
/// special anywhere in a plain scalar, and not be a word that reads as a boolean or null.
fn is_plain_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !text.ends_with(char::is_whitespace)
        && !text.ends_with(':')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.contains("  ")
        && text.chars().all(|c| {
            !c.is_control() && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        })
        && !(in_flow && text.contains([',', '[', ']', '{', '}']))
        && !SPECIAL_WORDS.contains(&text.to_lowercase().as_str())
}

/// A double-quoted scalar on one line: `\` and `"` escaped, and every control or
/// line-breaking character written as an escape.
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde::Deserialize;

    use super::*;
    use crate::source::diagnostic::SourceFile;

    #[derive(Deserialize)]
    struct One {
        text: String,
        list: Vec<String>,
    }

    /// What a YAML reader makes of `text` written by the emitter, plain and in a list.
    fn read_back(text: &str) -> (String, Vec<String>) {
        let yaml = format!("text: {}\nlist: [{}]\n", scalar(text), flow_scalar(text));
        let source: Arc<SourceFile> = SourceFile::new("t.yaml", yaml.clone());
        let one: One = crate::source::yaml::from_source(&source)
            .unwrap_or_else(|e| panic!("`{yaml}` does not read: {}", e.render()));
        (one.text, one.list)
    }

    #[test]
    fn awkward_text_reads_back_unchanged() {
        for text in [
            "Medway Council",
            "key: value",
            "ends with colon:",
            "a # not a comment",
            "#comment",
            "- dash",
            "? question",
            "\"quoted\"",
            "'single'",
            "it's fine",
            "back\\slash",
            "line\nbreak",
            "carriage\r\nreturn",
            "tab\there",
            "  leading spaces",
            "trailing space ",
            "two  spaces",
            "@at",
            "`tick`",
            "%percent",
            "&anchor",
            "*alias",
            "!tag",
            "|pipe",
            ">fold",
            "{brace}",
            "[bracket]",
            "a, b",
            "yes",
            "No",
            "null",
            "~",
            "true",
            "2024-12-31",
            "63%",
            "0.30000000000000004",
            "12 months to December 2024",
            "Skills for Care (2023/24): workforce, 'vacancy' rate",
            "unicode ✓ café",
            "next\u{85}line",
            "separator\u{2028}here",
            "bell\u{7}",
            "\u{feff}bom",
            "",
        ] {
            let (plain, list) = read_back(text);
            assert_eq!(plain, text, "as a value");
            if !text.is_empty() {
                assert_eq!(list, [text], "in a flow list");
            }
        }
    }

    #[test]
    fn plain_text_stays_plain() {
        assert_eq!(scalar("Medway Council"), "Medway Council");
        assert_eq!(scalar("people's experience"), "people's experience");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
    }
}
