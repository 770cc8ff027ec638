//! A fast path for evidence written as JSON.
//!
//! The YAML reader keeps each value's place in the file, so that messages can point at it.
//! That costs several times what serde_json takes to read the same text. JSON evidence is
//! therefore read by serde_json first. If anything would need a message, the file is read
//! again the ordinary way, which says where: an error, a warning, or a value this path does
//! not read exactly as YAML would (`null`, `true`, a list where text belongs). A file that
//! passes gives the same evidence either way (tests/json_evidence.rs).

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_saphyr::Location;

use super::{EvidenceDocument, ItemEntry};
use crate::source::yaml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document<'a> {
    #[serde(borrow)]
    authority: &'a RawValue,
    #[serde(borrow, default)]
    code: Option<&'a RawValue>,
    #[serde(borrow, default)]
    as_of: Option<&'a RawValue>,
    #[serde(borrow, default)]
    include: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    items: Option<Vec<Entry<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry<'a> {
    #[serde(borrow)]
    id: &'a RawValue,
    #[serde(borrow, default)]
    statement: Option<&'a RawValue>,
    #[serde(borrow, default)]
    statements: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    category: Option<&'a RawValue>,
    #[serde(borrow, default)]
    metric: Option<&'a RawValue>,
    #[serde(borrow, default)]
    value: Option<&'a RawValue>,
    #[serde(borrow, default)]
    target: Option<&'a RawValue>,
    #[serde(borrow, default)]
    england_average: Option<&'a RawValue>,
    #[serde(borrow, default)]
    regional_average: Option<&'a RawValue>,
    #[serde(borrow, default)]
    comparator_average: Option<&'a RawValue>,
    #[serde(borrow, default)]
    previous: Option<&'a RawValue>,
    #[serde(borrow, default)]
    margin: Option<&'a RawValue>,
    #[serde(borrow, default)]
    finding: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sentiment: Option<&'a RawValue>,
    #[serde(borrow, default)]
    strength: Option<&'a RawValue>,
    #[serde(borrow, default)]
    tags: Option<Vec<&'a RawValue>>,
    #[serde(borrow, default)]
    period: Option<&'a RawValue>,
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
}

/// The document, if `text` is JSON that this path reads exactly as the YAML reader would.
pub(super) fn document(text: &str) -> Option<EvidenceDocument> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let document: Document<'_> = serde_json::from_str(text).ok()?;
    Some(EvidenceDocument {
        authority: spanned(document.authority)?,
        code: present(document.code, scalar)?,
        as_of: present(document.as_of, scalar)?,
        include: present(document.include, |raws| {
            raws.into_iter().map(spanned).collect::<Option<Vec<_>>>()
        })?,
        items: present(document.items, |entries| {
            entries.into_iter().map(entry).collect::<Option<Vec<_>>>()
        })?,
    })
}

fn entry(entry: Entry<'_>) -> Option<ItemEntry> {
    let field = |raw: Option<&RawValue>| present(raw, spanned);
    let list = |raws: Option<Vec<&RawValue>>| {
        present(raws, |raws| {
            raws.into_iter().map(scalar).collect::<Option<Vec<_>>>()
        })
    };
    Some(ItemEntry {
        id: spanned(entry.id)?,
        statement: field(entry.statement)?,
        statements: list(entry.statements)?.map(|ids| ids.into_iter().map(unplaced).collect()),
        category: field(entry.category)?,
        metric: field(entry.metric)?,
        value: field(entry.value)?,
        target: field(entry.target)?,
        england_average: field(entry.england_average)?,
        regional_average: field(entry.regional_average)?,
        comparator_average: field(entry.comparator_average)?,
        previous: field(entry.previous)?,
        margin: field(entry.margin)?,
        finding: field(entry.finding)?,
        sentiment: field(entry.sentiment)?,
        strength: field(entry.strength)?,
        tags: list(entry.tags)?,
        period: present(entry.period, scalar)?,
        source: present(entry.source, scalar)?,
    })
}

/// An optional field read by `read`: `Some(None)` when it is absent or `null`, `None` when
/// it is there but cannot be read on this path.
fn present<T, U>(raw: Option<T>, read: impl FnOnce(T) -> Option<U>) -> Option<Option<U>> {
    match raw {
        None => Some(None),
        Some(raw) => read(raw).map(Some),
    }
}

/// A JSON string or number as the text YAML would give: a number keeps its digits as
/// written, so `63.50` stays exact. Anything else is left to the YAML reader.
fn scalar(raw: &RawValue) -> Option<String> {
    let text = raw.get();
    match text.as_bytes().first()? {
        b'"' => serde_json::from_str(text).ok(),
        b'-' | b'0'..=b'9' => Some(text.to_string()),
        _ => None,
    }
}

fn spanned(raw: &RawValue) -> Option<Spanned<String>> {
    scalar(raw).map(unplaced)
}

fn unplaced(value: String) -> Spanned<String> {
    Spanned::new(value, Location::UNKNOWN, Location::UNKNOWN)
}
