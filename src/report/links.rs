//! Sources as the reports show them: each distinct source once, numbered in the order the
//! report first cites it, and every `http://` or `https://` address in its text a link.
//! Other schemes (`javascript:`, `file:`, ...) stay text, so a source cannot run or fetch
//! anything.

use serde::Serialize;

/// A run of text, and where it links when it is an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// The address, when this run is one.
    pub href: Option<String>,
}

/// Text cut into plain runs and `http(s)` addresses. An address ends at white space or a
/// character no address holds (`<`, `>`, `"`), and punctuation that ends a sentence or a
/// bracket it did not open is left outside it:
/// `(see https://example.org/a_(b).)` links `https://example.org/a_(b)`.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut rest = text;
    while let Some(start) = next_address(rest) {
        let (before, from) = rest.split_at(start);
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(from.len());
        let address = trim_address(&from[..end]);
        push_text(&mut out, before);
        out.push(Segment {
            text: address.to_string(),
            href: Some(address.to_string()),
        });
        rest = &from[address.len()..];
    }
    push_text(&mut out, rest);
    out
}

/// Where the next `http://` or `https://` starts, at the start of a word or after
/// punctuation (so `xhttps://` is not an address).
fn next_address(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let at = from + found;
        let tail = &text[at..];
        let boundary = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|scheme| tail.starts_with(scheme));
        let host = scheme.map_or("", |scheme| &tail[scheme.len()..]);
        if scheme.is_some() && boundary && host.chars().next().is_some_and(|c| c.is_alphanumeric())
        {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// An address without the punctuation that follows it in the sentence.
fn trim_address(candidate: &str) -> &str {
    let mut address = candidate;
    loop {
        let Some(last) = address.chars().next_back() else {
            return address;
        };
        let unbalanced = |open: char, close: char| {
            last == close && address.matches(open).count() < address.matches(close).count()
        };
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'')
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            address = &address[..address.len() - last.len_utf8()];
        } else {
            return address;
        }
    }
}

fn push_text(out: &mut Vec<Segment>, text: &str) {
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.href.is_none() => last.text.push_str(text),
        _ => out.push(Segment {
            text: text.to_string(),
            href: None,
        }),
    }
}

/// One source as the report lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub number: usize,
    pub anchor: String,
    pub text: String,
    pub segments: Vec<Segment>,
}

/// The report's sources, numbered as first cited.
#[derive(Debug, Default)]
pub struct Sources {
    sources: Vec<String>,
}

impl Sources {
    /// The number of `source`, given it one if it is new.
    pub fn number(&mut self, source: &str) -> usize {
        let source = source.trim();
        match self.sources.iter().position(|s| s == source) {
            Some(index) => index + 1,
            None => {
                self.sources.push(source.to_string());
                self.sources.len()
            }
        }
    }

    pub fn views(&self) -> Vec<SourceView> {
        self.sources
            .iter()
            .zip(1..)
            .map(|(text, number)| SourceView {
                number,
                anchor: source_anchor(number),
                text: text.clone(),
                segments: segments(text),
            })
            .collect()
    }
}

pub fn source_anchor(number: usize) -> String {
    format!("source-{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(text: &str) -> Vec<(String, bool)> {
        segments(text)
            .into_iter()
            .map(|s| (s.text, s.href.is_some()))
            .collect()
    }

    #[test]
    fn addresses_become_links_and_the_rest_stays_text() {
        assert_eq!(
            linked("CQC report (Medway), Assessing needs (https://cqc.org.uk./a/b-1)."),
            [
                ("CQC report (Medway), Assessing needs (".to_string(), false),
                ("https://cqc.org.uk./a/b-1".to_string(), true),
                (").".to_string(), false),
            ]
        );
        assert_eq!(
            linked("see http://example.org/a_(b), then"),
            [
                ("see ".to_string(), false),
                ("http://example.org/a_(b)".to_string(), true),
                (", then".to_string(), false),
            ]
        );
    }

    #[test]
    fn other_schemes_and_bare_words_are_text() {
        for text in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "an https:// with nothing after",
            "xhttps://example.org",
            "ftp://example.org",
        ] {
            assert!(segments(text).iter().all(|s| s.href.is_none()), "{text}");
        }
        assert!(segments("").is_empty());
    }

    #[test]
    fn sources_are_numbered_once_in_order_of_first_citation() {
        let mut sources = Sources::default();
        assert_eq!(sources.number("b"), 1);
        assert_eq!(sources.number("a"), 2);
        assert_eq!(sources.number(" b "), 1);
        let views = sources.views();
        assert_eq!(views.len(), 2);
        assert_eq!(views[1].anchor, "source-2");
    }
}
