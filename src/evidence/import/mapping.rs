//! The mapping file (`--map`): which columns hold which evidence field, and what to assume
//! where the table is silent. Read strictly, like every other YAML file: an unknown or
//! repeated key is an error with its line and column. The header names recognised without
//! a mapping are here too.

use std::sync::Arc;

use serde::Deserialize;

use crate::lang::ast::normalise_words;
use crate::source::diagnostic::{Diagnostic, SourceFile, Worded};
use crate::source::yaml::{self, Spanned};

use super::problem::Problem;

/// A field of the evidence a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Id,
    Statement,
    Category,
    Metric,
    Value,
    Target,
    EnglandAverage,
    RegionalAverage,
    ComparatorAverage,
    Previous,
    Margin,
    Period,
    Source,
    Finding,
    Sentiment,
    Strength,
    Tags,
    Authority,
    Code,
    AsOf,
}

impl Field {
    pub const ALL: [Field; 20] = [
        Field::Id,
        Field::Statement,
        Field::Category,
        Field::Metric,
        Field::Value,
        Field::Target,
        Field::EnglandAverage,
        Field::RegionalAverage,
        Field::ComparatorAverage,
        Field::Previous,
        Field::Margin,
        Field::Period,
        Field::Source,
        Field::Finding,
        Field::Sentiment,
        Field::Strength,
        Field::Tags,
        Field::Authority,
        Field::Code,
        Field::AsOf,
    ];

    /// The numbers of a metric: the value, its comparators and its margin of error, in
    /// evidence order.
    pub const NUMBERS: [Field; 7] = [
        Field::Value,
        Field::Target,
        Field::EnglandAverage,
        Field::RegionalAverage,
        Field::ComparatorAverage,
        Field::Previous,
        Field::Margin,
    ];

    /// The field's name in an evidence file and in a mapping's `columns:`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Statement => "statement",
            Field::Category => "category",
            Field::Metric => "metric",
            Field::Value => "value",
            Field::Target => "target",
            Field::EnglandAverage => "england_average",
            Field::RegionalAverage => "regional_average",
            Field::ComparatorAverage => "comparator_average",
            Field::Previous => "previous",
            Field::Margin => "margin",
            Field::Period => "period",
            Field::Source => "source",
            Field::Finding => "finding",
            Field::Sentiment => "sentiment",
            Field::Strength => "strength",
            Field::Tags => "tags",
            Field::Authority => "authority",
            Field::Code => "code",
            Field::AsOf => "as_of",
        }
    }

    /// Headers that mean this field without a mapping, compared after
    /// [`normalise_header`]. `code` is not among them: a column headed `code` more often
    /// holds a metric's code than the council's.
    pub fn default_headers(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "item id"],
            Field::Statement => &["statement", "statements", "quality statement"],
            Field::Category => &["category", "evidence category"],
            Field::Metric => &[
                "metric",
                "metric name",
                "measure",
                "measure name",
                "indicator",
                "indicator name",
            ],
            Field::Value => &[
                "value",
                "council value",
                "la value",
                "local value",
                "local authority value",
                "result",
            ],
            Field::Target => &["target", "local target"],
            Field::EnglandAverage => &["england", "england average", "england value"],
            Field::RegionalAverage => &[
                "region",
                "regional average",
                "region average",
                "regional value",
            ],
            Field::ComparatorAverage => &[
                "comparator",
                "comparator average",
                "comparators",
                "nearest neighbours",
                "nearest neighbour average",
            ],
            Field::Previous => &["previous", "previous value", "last year", "previous year"],
            Field::Margin => &["margin", "margin of error", "moe", "confidence interval"],
            Field::Period => &["period", "year", "time period", "reporting period"],
            Field::Source => &["source", "data source"],
            Field::Finding => &["finding", "findings"],
            Field::Sentiment => &["sentiment"],
            Field::Strength => &["strength"],
            Field::Tags => &["tags", "tag"],
            Field::Authority => &["authority", "council", "local authority"],
            Field::Code => &["ons code", "authority code", "la code"],
            Field::AsOf => &["as of", "as at"],
        }
    }

    /// The field a header means without a mapping, if any.
    pub fn for_header(header: &str) -> Option<Field> {
        let normal = normalise_header(header);
        Field::ALL
            .into_iter()
            .find(|field| field.default_headers().contains(&normal.as_str()))
    }
}

/// A header as compared: case, spaces, `_` and `-` do not matter, and a trailing
/// parenthesised note goes (`Value (%)` is `value`).
pub fn normalise_header(header: &str) -> String {
    let trimmed = header.trim();
    let without_note = match trimmed.strip_suffix(')').and_then(|t| t.rfind('(')) {
        Some(open) if open > 0 => &trimmed[..open],
        _ => trimmed,
    };
    normalise_words(without_note)
}

/// Whether numbers of percentage metrics are fractions (0.635 for 63.5%).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fractions {
    /// Decide column by column (docs/import.md).
    Auto,
    Yes,
    No,
}

/// What to do with a metric the catalogue does not know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnknownMetrics {
    /// The row is bad: an imported file should be clean.
    #[default]
    Error,
    /// Keep it, as evidence files do, as evidence no rule reads (with a warning).
    Keep,
}

/// The mapping file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFile {
    pub authority: Option<Spanned<String>>,
    pub code: Option<String>,
    pub as_of: Option<String>,
    pub sheet: Option<String>,
    pub header_row: Option<Spanned<u32>>,
    pub fractions: Option<Spanned<String>>,
    pub unknown_metrics: Option<Spanned<String>>,
    #[serde(default)]
    pub columns: Columns,
    #[serde(default)]
    pub defaults: Defaults,
}

/// `columns:`: a header for each field, as the table writes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    pub id: Option<Spanned<String>>,
    pub statement: Option<Spanned<String>>,
    pub category: Option<Spanned<String>>,
    pub metric: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub england_average: Option<Spanned<String>>,
    pub regional_average: Option<Spanned<String>>,
    pub comparator_average: Option<Spanned<String>>,
    pub previous: Option<Spanned<String>>,
    pub margin: Option<Spanned<String>>,
    pub period: Option<Spanned<String>>,
    pub source: Option<Spanned<String>>,
    pub finding: Option<Spanned<String>>,
    pub sentiment: Option<Spanned<String>>,
    pub strength: Option<Spanned<String>>,
    pub tags: Option<Spanned<String>>,
    pub authority: Option<Spanned<String>>,
    pub code: Option<Spanned<String>>,
    pub as_of: Option<Spanned<String>>,
}

impl Columns {
    /// The header named for a field, if the mapping names one.
    pub fn get(&self, field: Field) -> Option<&Spanned<String>> {
        match field {
            Field::Id => self.id.as_ref(),
            Field::Statement => self.statement.as_ref(),
            Field::Category => self.category.as_ref(),
            Field::Metric => self.metric.as_ref(),
            Field::Value => self.value.as_ref(),
            Field::Target => self.target.as_ref(),
            Field::EnglandAverage => self.england_average.as_ref(),
            Field::RegionalAverage => self.regional_average.as_ref(),
            Field::ComparatorAverage => self.comparator_average.as_ref(),
            Field::Previous => self.previous.as_ref(),
            Field::Margin => self.margin.as_ref(),
            Field::Period => self.period.as_ref(),
            Field::Source => self.source.as_ref(),
            Field::Finding => self.finding.as_ref(),
            Field::Sentiment => self.sentiment.as_ref(),
            Field::Strength => self.strength.as_ref(),
            Field::Tags => self.tags.as_ref(),
            Field::Authority => self.authority.as_ref(),
            Field::Code => self.code.as_ref(),
            Field::AsOf => self.as_of.as_ref(),
        }
    }
}

/// `defaults:`: what a row without the column (or with the cell empty) gets.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub statement: Option<Spanned<String>>,
    pub category: Option<Spanned<String>>,
    pub period: Option<String>,
    pub source: Option<String>,
}

/// A mapping read and checked, with the file it came from (for pointing at it).
#[derive(Debug, Default)]
pub struct Mapping {
    pub file: Option<Arc<SourceFile>>,
    pub written: MappingFile,
    pub fractions: Option<Fractions>,
    pub unknown_metrics: UnknownMetrics,
}

impl Mapping {
    /// Reads a mapping file.
    pub fn load(file: &Arc<SourceFile>) -> Result<Mapping, Diagnostic> {
        let written: MappingFile = yaml::from_source(file)?;
        let fractions = match &written.fractions {
            None => None,
            Some(text) => Some(match text.value.trim().to_lowercase().as_str() {
                "auto" => Fractions::Auto,
                "yes" | "true" => Fractions::Yes,
                "no" | "false" => Fractions::No,
                other => {
                    return Err(Problem::BadFractions {
                        given: other.to_string(),
                    }
                    .at(file, yaml::span_of(file, text)));
                }
            }),
        };
        let unknown_metrics = match &written.unknown_metrics {
            None => UnknownMetrics::Error,
            Some(text) => match text.value.trim().to_lowercase().as_str() {
                "error" => UnknownMetrics::Error,
                "keep" => UnknownMetrics::Keep,
                other => {
                    return Err(Problem::BadUnknownMetrics {
                        given: other.to_string(),
                    }
                    .at(file, yaml::span_of(file, text)));
                }
            },
        };
        if let Some(row) = &written.header_row
            && row.value == 0
        {
            return Err(Problem::HeaderRowZero.at(file, yaml::span_of(file, row)));
        }
        Ok(Mapping {
            file: Some(Arc::clone(file)),
            written,
            fractions,
            unknown_metrics,
        })
    }

    /// A problem pointing at a value of the mapping file.
    pub(crate) fn report_at<T>(&self, value: &Spanned<T>, problem: Problem) -> Diagnostic {
        match &self.file {
            Some(file) => problem.at(file, yaml::span_of(file, value)),
            None => problem.unplaced(),
        }
    }

    pub fn header_row(&self) -> Option<u32> {
        self.written.header_row.as_ref().map(|row| row.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_headers_are_recognised() {
        for (header, field) in [
            ("Metric", Field::Metric),
            ("Measure name", Field::Metric),
            ("LA value", Field::Value),
            ("Council  Value", Field::Value),
            ("Value (%)", Field::Value),
            ("England_average", Field::EnglandAverage),
            ("england-average", Field::EnglandAverage),
            ("Nearest neighbours", Field::ComparatorAverage),
            ("Quality statement", Field::Statement),
            ("Time period", Field::Period),
            ("Last year", Field::Previous),
            ("as_of", Field::AsOf),
        ] {
            assert_eq!(Field::for_header(header), Some(field), "{header}");
        }
        for header in ["Notes", "RAG", "code", "(%)", ""] {
            assert_eq!(Field::for_header(header), None, "{header}");
        }
    }

    #[test]
    fn a_mapping_is_read_strictly() {
        let file = SourceFile::new(
            "map.yaml",
            "authority: Medway Council\nfractions: yes\ncolumns:\n  value: LA value\ndefaults:\n  statement: assessing-needs\n",
        );
        let mapping = Mapping::load(&file).expect("loads");
        assert_eq!(mapping.fractions, Some(Fractions::Yes));
        assert_eq!(
            mapping.written.columns.value.map(|v| v.value),
            Some("LA value".to_string())
        );
        let file = SourceFile::new("map.yaml", "columns:\n  valeu: LA value\n");
        let error = Mapping::load(&file).expect_err("unknown field");
        assert!(error.message.contains("valeu"), "{}", error.message);
        let file = SourceFile::new("map.yaml", "fractions: maybe\n");
        let error = Mapping::load(&file).expect_err("bad fractions");
        assert_eq!(error.location().as_deref(), Some("map.yaml:1:12"));
    }
}
