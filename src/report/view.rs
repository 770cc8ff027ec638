//! What every part of a council report reads: the report's inputs, an evidence item as the
//! report shows it, and the small words (sentences, signs, anchors) page one, the
//! statements and the sources share.

use serde::Serialize;

use crate::advice::StatementAdvice;
use crate::evidence::{Evidence, Item, ItemContent};
use crate::pack::Pack;
use crate::score::assessment::Assessment;

use super::links::{Sources, source_anchor};
use super::reasons;

/// What a council report is made from.
pub struct CouncilReport<'a> {
    pub assessment: &'a Assessment,
    /// What [`crate::advice::advise`] made of the same assessment.
    pub advice: &'a [StatementAdvice],
    /// The evidence that was scored, for the words of each item.
    pub evidence: &'a Evidence,
    /// The pack that scored it, for the framework's texts and the metrics' units.
    pub pack: &'a Pack,
}

/// One evidence item as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub id: String,
    pub anchor: String,
    /// What it shows, in a word or two: `shortfall`, `worse than England average`.
    pub shows: String,
    /// The finding's words, or the metric with its value and comparators, units kept.
    pub text: String,
    pub period: Option<String>,
    /// The number of its source in the report's list of sources.
    pub source: Option<usize>,
    pub source_anchor: Option<String>,
    /// Whether some rule reads it; those none reads are listed again at the end.
    pub read: bool,
}

impl CouncilReport<'_> {
    pub(super) fn item(&self, id: &str) -> Option<&Item> {
        self.evidence.items.iter().find(|i| &*i.id == id)
    }

    /// An item with what it shows and says, its source numbered.
    pub(super) fn evidence_view(
        &self,
        item: &Item,
        anchor: String,
        sources: &mut Sources,
    ) -> EvidenceView {
        let source = item.source.as_deref().map(|s| sources.number(s));
        EvidenceView {
            id: item.id.to_string(),
            anchor,
            shows: reasons::shows(item, self.pack),
            text: self.item_text(item),
            period: item.period.clone(),
            source,
            source_anchor: source.map(source_anchor),
            read: !self
                .assessment
                .uncited_evidence
                .iter()
                .any(|reference| reference.id == item.id),
        }
    }

    /// A finding's words, or a metric's value with every comparator the file gives.
    fn item_text(&self, item: &Item) -> String {
        match &item.content {
            ItemContent::Finding(finding) => finding.text.clone(),
            ItemContent::Metric(metric) => {
                let unit = reasons::unit(metric, self.pack);
                let show = |value| crate::score::eval::show(value, unit);
                let comparators: Vec<String> = [
                    ("target", metric.target),
                    ("England average", metric.england_average),
                    ("regional average", metric.regional_average),
                    ("comparator average", metric.comparator_average),
                    ("previous", metric.previous),
                ]
                .into_iter()
                .filter_map(|(name, value)| value.map(|v| format!("{name} {}", show(v))))
                .collect();
                let mut text = format!("{}: {}", metric.name, show(metric.value));
                if !comparators.is_empty() {
                    text.push_str(&format!(" ({})", comparators.join(", ")));
                }
                text
            }
        }
    }
}

/// Words as a sentence: a capital first and a full stop last.
pub(super) fn sentence(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// `+1`, `−2` (with a true minus sign, as printed).
pub(super) fn signed(n: i32) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        format!("−{}", n.unsigned_abs())
    }
}

/// An HTML id from a prefix and an id from the framework: letters, digits and hyphens
/// only, so it needs no escaping in a link.
pub(super) fn anchor(prefix: &str, id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{slug}")
}
