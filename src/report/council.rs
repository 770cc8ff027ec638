//! One council's report as data: every sentence, number, link and anchor the Markdown,
//! HTML and Word reports show, worked out here so that each format only arranges it.
//! Nothing is evaluated again; this reads the assessment, the advice, the evidence (for
//! what each item says) and the pack (for the framework's texts and the metrics' units).
//!
//! The report opens with page one ([`super::summary`]): the result, the nine statements
//! each with one sentence of why, the changes that would most move the result and the gaps
//! that matter most. The detail follows, one statement at a time
//! ([`super::statement`]), then the sources, the decision record and the warnings.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::evidence::ItemContent;
use crate::score::assessment::OverallRange;

use super::charts::{self, Charts};
use super::links::{SourceView, Sources};
use super::reasons;
use super::statement::{self, ThemeView};
use super::summary::{self, SummaryView};
use super::view::{CouncilReport, anchor};

/// Everything a report reads.
#[derive(Debug, Serialize)]
pub struct Context {
    pub authority: String,
    pub code: Option<String>,
    pub as_of: Option<String>,
    /// What each printed page's foot says beside its number: the council, and the date of
    /// its evidence where the file gives one (never today's date: same input, same bytes).
    pub footer: String,
    pub summary: SummaryView,
    pub overall: OverallView,
    pub bands: Vec<BandView>,
    pub themes: Vec<ThemeView>,
    pub charts: Charts,
    pub sources: Vec<SourceView>,
    pub record: RecordView,
    /// The items no rule reads (unknown metrics, measures with no reference to judge them
    /// by), each shown under its statement and named again here.
    pub uncited: Vec<UnreadView>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OverallView {
    pub rating: Option<String>,
    pub percent: Option<u32>,
    /// The unrounded percentage, shown beside the published one when rounding up moved it.
    pub exact_percent: Option<String>,
    pub position: Option<String>,
    pub total: u32,
    pub max: u32,
    pub statements_scored: usize,
    pub statements_total: usize,
    /// Not every statement is scored: no rating, only the band the percentage falls in.
    pub partial: bool,
    pub indicative_rating: Option<String>,
    /// Where the result could fall if the low-confidence statements moved, in words.
    pub range: Option<String>,
}

/// A rating band and its whole-percentage range.
#[derive(Debug, Serialize)]
pub struct BandView {
    pub rating: String,
    pub range: String,
    /// Whether the overall result falls in it.
    pub current: bool,
}

/// An item no rule reads, named and linked to where its statement shows it.
#[derive(Debug, Serialize)]
pub struct UnreadView {
    pub id: String,
    pub name: String,
    pub anchor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RecordView {
    pub engine: String,
    pub pack: String,
    pub pack_hash: String,
    pub evidence_file: String,
    pub evidence_hash: String,
    pub rules_evaluated: usize,
}

impl CouncilReport<'_> {
    pub fn context(&self) -> Context {
        let a = self.assessment;
        let mut sources = Sources::default();
        let themes: Vec<ThemeView> = a
            .themes
            .iter()
            .map(|theme| ThemeView {
                id: theme.id.clone(),
                anchor: anchor("theme", &theme.id),
                name: theme.name.clone(),
                percent: theme.percent,
                total: theme.total,
                max: theme.max,
                statements: a
                    .statements
                    .iter()
                    .filter(|s| s.theme == theme.id)
                    .map(|s| {
                        let advice = self.advice.iter().find(|x| x.statement == s.id);
                        statement::view(self, s, advice, &mut sources)
                    })
                    .collect(),
            })
            .collect();
        let uncited = a
            .uncited_evidence
            .iter()
            .filter_map(|reference| self.item(&reference.id))
            .map(|item| UnreadView {
                id: item.id.to_string(),
                name: match &item.content {
                    ItemContent::Metric(metric) => metric.name.clone(),
                    ItemContent::Finding(_) => reasons::gist(item, self.pack)
                        .trim_matches(['“', '”'])
                        .to_string(),
                },
                anchor: themes
                    .iter()
                    .flat_map(|t| &t.statements)
                    .flat_map(|s| &s.shows)
                    .flat_map(|c| &c.items)
                    .find(|e| e.id == *item.id)
                    .map(|e| e.anchor.clone()),
            })
            .collect();
        let record = &a.record;
        Context {
            authority: a.authority.clone(),
            code: a.code.clone(),
            as_of: a.as_of.clone(),
            footer: match &a.as_of {
                Some(date) => format!("{}, evidence as of {date}", a.authority),
                None => a.authority.clone(),
            },
            summary: summary::view(self, &themes),
            overall: OverallView {
                rating: a.overall.rating.clone(),
                percent: a.overall.percent,
                exact_percent: a
                    .overall
                    .exact_percent
                    .filter(|exact| Some(*exact) != a.overall.percent.map(Decimal::from))
                    .map(|exact| exact.to_string()),
                position: a.overall.position.clone(),
                total: a.overall.total,
                max: a.overall.max,
                statements_scored: a.overall.statements_scored,
                statements_total: a.overall.statements_total,
                partial: a.overall.partial,
                indicative_rating: a.overall.indicative_rating.clone(),
                range: a.overall.range.as_ref().map(range_words),
            },
            bands: self.bands(),
            themes,
            charts: charts::charts(a, self.evidence, self.pack),
            sources: sources.views(),
            record: RecordView {
                engine: format!("{} {}", record.engine.name, record.engine.version),
                pack: format!("{} {}", record.pack.name, record.pack.version),
                pack_hash: record.pack.hash.clone(),
                evidence_file: record.evidence.file.clone(),
                evidence_hash: record.evidence.hash.clone(),
                rules_evaluated: record.rules_evaluated.len(),
            },
            uncited,
            warnings: a.warnings.clone(),
        }
    }

    fn bands(&self) -> Vec<BandView> {
        let ratings = &self.pack.framework.ratings;
        let current = self.assessment.overall.rating.as_deref().or(self
            .assessment
            .overall
            .indicative_rating
            .as_deref());
        ratings
            .iter()
            .zip(ratings.iter().skip(1).map(|b| Some(b.from)).chain([None]))
            .map(|(band, next)| BandView {
                rating: band.rating.clone(),
                range: match next {
                    Some(next) => format!("{}–{}%", band.from, next.saturating_sub(1)),
                    None => format!("{}% and above", band.from),
                },
                current: current == Some(band.rating.as_str()),
            })
            .collect()
    }
}

/// `64%–81% (Good either way) if its 2 low-confidence statements each moved one up or down`.
fn range_words(range: &OverallRange) -> String {
    let ratings = match (&range.low_rating, &range.high_rating) {
        (Some(low), Some(high)) if low == high => format!(" ({low} either way)"),
        (Some(low), Some(high)) => format!(" ({low} to {high})"),
        _ => String::new(),
    };
    let which = match range.statements.len() {
        1 => "its one low-confidence statement moved".to_string(),
        n => format!("its {n} low-confidence statements each moved"),
    };
    format!(
        "{}%–{}%{ratings} if {which} one up or down",
        range.low_percent, range.high_percent
    )
}
