//! One escaping function per kind of output, for text that came from a pack, an evidence
//! file, a case file or a published-scores file: [`text`] for the terminal and plain-text
//! reports, [`markdown`], [`markdown_code`] and [`markdown_link`] for Markdown, and
//! [`text`] again before minijinja's HTML escaping. JSON, JUnit and SARIF are written by
//! their serialisers, which escape for themselves.
//!
//! A control character (ESC, BEL, NUL, a lone carriage return) could move a terminal's
//! cursor, recolour it or rewrite what it shows, and the Unicode direction overrides can
//! make text read differently from what it holds. Each becomes one visible character of
//! its own, so columns and the carets under a source line stay where they were: the
//! "control pictures" `␛`, `␇`, `␀` for C0 controls and DEL, `�` for the rest.

use std::borrow::Cow;

/// `text` safe to print on a terminal: every control character but newline and tab, and
/// every direction override, replaced by a visible stand-in of the same width.
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| stand_in(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| stand_in(c).unwrap_or(c)).collect())
}

/// The stand-in for a character a terminal would act on rather than show.
fn stand_in(c: char) -> Option<char> {
    match c {
        '\n' | '\t' => None,
        // U+2400 CONTROL PICTURE FOR NULL, and on through U+241F.
        '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// Text as literal Markdown: characters that would start markup are backslash-escaped, so
/// a finding or an authority's name cannot become a link, raw HTML, bold or a table cell
/// break; a line break becomes a space, so it cannot end a list item or table row or start
/// a heading. `_`, `#` and `~` are left alone: they are common in the URLs of sources,
/// which GitHub links only when unbroken; mid-line they can at worst italicise a word,
/// and no value starts a line. Controls become their stand-ins ([`text`]).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(stand_in(c).unwrap_or(c)),
        }
    }
    out
}

/// A Markdown code span holding `text` literally: fenced with one more backtick than the
/// longest run inside it, pipes escaped so it can sit in a table cell, on one line.
pub fn markdown_code(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let body: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c => stand_in(c).unwrap_or(c),
        })
        .collect::<String>()
        .replace('|', "\\|");
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// A source as a Markdown link when it is a plain web address (`<https://...>`), else as
/// escaped text: an address with a space or a `<` or `>` in it would end the link early.
pub fn markdown_link(source: &str) -> String {
    let web = source.starts_with("https://") || source.starts_with("http://");
    let plain = !source
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '\\' | '`') || stand_in(c).is_some());
    if web && plain {
        format!("<{source}>")
    } else {
        markdown(source)
    }
}

/// Text as a quoted CSS string (the printed footer's `content:`): quotes and backslashes
/// escaped, and `<`, `>`, `&` and line breaks as CSS escapes, so nothing can end the
/// string or the `<style>` element around it; other controls are dropped.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len().saturating_add(2));
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\n' | '\r' | '\u{c}' => {
                out.push_str(&format!("\\{:x} ", u32::from(c)));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(
            css_string("Medway \"</style><script>\\"),
            "\"Medway \\\"\\3c /style\\3e \\3c script\\3e \\\\\""
        );
        assert_eq!(css_string("a\nb"), "\"a\\a b\"");
    }

    #[test]
    fn terminal_controls_become_visible_stand_ins() {
        assert_eq!(text("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            text("a\u{1b}[31mred\u{7}\0"),
            "a\u{241b}[31mred\u{2407}\u{2400}"
        );
        assert_eq!(text("over\rwrite"), "over\u{240d}write");
        assert_eq!(text("\u{202e}txt.exe"), "\u{fffd}txt.exe");
        assert_eq!(text("\u{9b}31m"), "\u{fffd}31m");
        // One character each, so a caret under the line stays in its column.
        assert_eq!(text("a\u{1b}b").chars().count(), 3);
    }

    #[test]
    fn markdown_leaves_no_markup() {
        assert_eq!(
            markdown("<script>alert(1)</script> [x](y) a|b *c*\n# d"),
            "\\<script\\>alert(1)\\</script\\> \\[x\\](y) a\\|b \\*c\\* # d"
        );
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(markdown("bell\u{7}"), "bell\u{2407}");
    }

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(markdown_code("plain"), "`plain`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("a\nb"), "`a b`");
        assert_eq!(markdown_code("x` <b>`"), "`` x` <b>` ``");
    }

    #[test]
    fn links_are_links_only_when_they_are_plain_addresses() {
        assert_eq!(
            markdown_link("https://cqc.org.uk/x"),
            "<https://cqc.org.uk/x>"
        );
        assert_eq!(
            markdown_link("https://x> <script>"),
            "https://x\\> \\<script\\>"
        );
        assert_eq!(markdown_link("CQC report, page 3"), "CQC report, page 3");
    }
}
