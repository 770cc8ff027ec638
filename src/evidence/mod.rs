//! Evidence files: YAML -> typed, validated evidence. Strict: unknown fields, duplicate
//! keys, unknown statements or categories and impossible values are errors with a location;
//! an unknown metric is a warning and the item is kept as uncited evidence.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lang::ast::{Category, ReferenceKind, Sentiment, Strength};
use crate::pack::catalogue::{Catalogue, MetricId, UnitProblem};
use crate::pack::framework::Framework;
use crate::source::diagnostic::{
    Diagnostic, Failure, Severity, SourceFile, Worded, did_you_mean, nearest,
};
use crate::source::file_kind::{FileKind, explain_wrong_kind, foreign};
use crate::source::number::parse_quantity;
use crate::source::shapes::Quantity;
use crate::source::yaml::{self, Spanned};

pub mod import;
mod include;
mod json;
mod problem;
pub(crate) mod read;

use problem::Problem;

/// The fields of an evidence file as read, before any check: what a test case's inline
/// `evidence:` mapping holds too, so both are checked by [`Evidence::from_document`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "assure evidence file",
    description = "One council's evidence for one assessment period (docs/evidence.md)."
)]
pub struct EvidenceDocument {
    /// The council the evidence is about.
    #[schemars(with = "String")]
    authority: Spanned<String>,
    code: Option<String>,
    as_of: Option<String>,
    /// Other evidence files whose items are this file's too, by path relative to this
    /// file: a council's national data beside its own findings (docs/evidence.md).
    #[schemars(with = "Option<Vec<String>>")]
    include: Option<Vec<Spanned<String>>>,
    /// Required unless the file includes others.
    items: Option<Vec<ItemEntry>>,
}

/// One piece of evidence: a metric (`metric` and `value`) or a finding (`finding` and
/// `sentiment`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ItemEntry {
    /// Unique in the file; justifications cite it.
    #[schemars(with = "String")]
    id: Spanned<String>,
    /// The quality statement the item bears on (or `statements` for several).
    #[schemars(with = "Option<String>")]
    statement: Option<Spanned<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    statements: Option<Vec<Spanned<String>>>,
    /// `people's experience`, `feedback from staff and leaders`, `feedback from partners`,
    /// `processes`, `outcomes` or `observation`.
    #[schemars(with = "Option<String>")]
    category: Option<Spanned<String>>,
    /// A metric of the catalogue, by name, alias or code.
    #[schemars(with = "Option<String>")]
    metric: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    value: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    target: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    england_average: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    regional_average: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    comparator_average: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    previous: Option<Spanned<String>>,
    /// The margin of error of `value` (a survey's 95% confidence half-width), in the
    /// metric's own units: a difference inside it is not a difference (docs/language.md).
    #[schemars(with = "Option<Quantity>")]
    margin: Option<Spanned<String>>,
    /// What was found, in words.
    #[schemars(with = "Option<String>")]
    finding: Option<Spanned<String>>,
    /// `positive`, `negative` or `mixed`.
    #[schemars(with = "Option<String>")]
    sentiment: Option<Spanned<String>>,
    /// `strong` where the source calls the practice exceptional or the failing significant;
    /// `normal` (the default) otherwise. Findings only.
    #[schemars(with = "Option<String>")]
    strength: Option<Spanned<String>>,
    tags: Option<Vec<String>>,
    period: Option<String>,
    source: Option<String>,
}

/// One council's evidence for one assessment period.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub authority: String,
    pub code: Option<String>,
    pub as_of: Option<String>,
    pub items: Vec<Item>,
    /// Problems that do not stop scoring (unknown metrics, repeated metrics).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
    #[serde(skip)]
    pub file: Arc<SourceFile>,
    /// The files `include:` read, in the order read (every one hashed in the record).
    #[serde(skip)]
    pub included: Vec<Arc<SourceFile>>,
}

/// A citable piece of evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Shared with every trace and citation that names the item.
    pub id: Arc<str>,
    pub statements: Vec<String>,
    pub category: Category,
    pub period: Option<String>,
    pub source: Option<String>,
    /// Byte range of the item's id in the file.
    #[serde(skip)]
    pub id_span: Range<usize>,
    pub content: ItemContent,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemContent {
    Metric(MetricValue),
    Finding(Finding),
}

/// A measured value with its comparators.
#[derive(Debug, Clone, Serialize)]
pub struct MetricValue {
    /// The name as the evidence wrote it.
    pub name: String,
    /// The catalogue metric it matched, if any.
    #[serde(skip)]
    pub metric: Option<MetricId>,
    pub value: Decimal,
    pub target: Option<Decimal>,
    pub england_average: Option<Decimal>,
    pub regional_average: Option<Decimal>,
    pub comparator_average: Option<Decimal>,
    pub previous: Option<Decimal>,
    /// The value's margin of error, where the source gives one: comparisons read it in
    /// place of the tolerance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Decimal>,
    /// The value was written with a `%` sign: how reports show a metric the catalogue
    /// lacks, which has no unit of its own.
    #[serde(skip)]
    pub percent_sign: bool,
}

impl MetricValue {
    /// A value with no comparators, margin or `%` sign: what is supposed or built, not read
    /// from a file (advice's supposed items, check's counterexamples, tests).
    pub fn bare(name: String, metric: Option<MetricId>, value: Decimal) -> MetricValue {
        MetricValue {
            name,
            metric,
            value,
            target: None,
            england_average: None,
            regional_average: None,
            comparator_average: None,
            previous: None,
            margin: None,
            percent_sign: false,
        }
    }

    /// The comparator a rule reference reads, or the literal itself.
    pub fn reference(&self, kind: &ReferenceKind) -> Option<Decimal> {
        match kind {
            ReferenceKind::Target => self.target,
            ReferenceKind::EnglandAverage => self.england_average,
            ReferenceKind::RegionalAverage => self.regional_average,
            ReferenceKind::ComparatorAverage => self.comparator_average,
            ReferenceKind::Previous => self.previous,
            ReferenceKind::Literal { value, .. } => Some(*value),
        }
    }
}

/// A qualitative finding from people, staff, partners or inspection.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub text: String,
    pub sentiment: Sentiment,
    pub strength: Strength,
    pub tags: Vec<String>,
}

impl Item {
    /// An item no file holds: a what-if analysis's changed or added evidence, bearing on
    /// one statement, with no source and no place in a file.
    pub(crate) fn supposed(
        id: String,
        statement: &str,
        category: Category,
        content: ItemContent,
    ) -> Item {
        Item {
            id: id.into(),
            statements: vec![statement.to_string()],
            category,
            period: None,
            source: None,
            id_span: 0..0,
            content,
        }
    }

    pub fn metric(&self) -> Option<&MetricValue> {
        match &self.content {
            ItemContent::Metric(metric) => Some(metric),
            ItemContent::Finding(_) => None,
        }
    }

    pub fn finding(&self) -> Option<&Finding> {
        match &self.content {
            ItemContent::Finding(finding) => Some(finding),
            ItemContent::Metric(_) => None,
        }
    }

    pub fn bears_on(&self, statement: &str) -> bool {
        self.statements.iter().any(|s| s == statement)
    }
}

impl Evidence {
    /// Reads and validates an evidence file against the framework and catalogue.
    pub fn load(
        file: &Arc<SourceFile>,
        framework: &Framework,
        catalogue: &Catalogue,
    ) -> Result<Evidence, Failure> {
        if let Some(document) = json::document(&file.text)
            && let Ok(evidence) = Evidence::from_document(document, file, framework, catalogue)
            && evidence.warnings.is_empty()
        {
            return Ok(evidence);
        }
        let loaded = Evidence::parse(file)
            .and_then(|document| Evidence::from_document(document, file, framework, catalogue));
        loaded.map_err(|failure| match foreign(file, FileKind::Evidence) {
            Some(foreign) => Failure::from(foreign),
            None => failure,
        })
    }

    /// Reads a file's YAML into the evidence types without checking it against the
    /// framework or catalogue: the part of loading no evaluator can avoid (the
    /// benchmarks measure scoring against it).
    pub fn parse(file: &Arc<SourceFile>) -> Result<EvidenceDocument, Failure> {
        yaml::from_source(file)
            .map_err(|d| Failure::from(explain_wrong_kind(d, &file.text, FileKind::Evidence)))
    }

    /// Checks evidence already read from `file` (a whole evidence file, or a mapping inside
    /// a test case file) against the framework and catalogue. Spans point into `file`.
    /// Files it includes are read from disk, relative to `file`'s name, and checked the
    /// same way; a problem in one is located in it.
    pub fn from_document(
        parsed: EvidenceDocument,
        file: &Arc<SourceFile>,
        framework: &Framework,
        catalogue: &Catalogue,
    ) -> Result<Evidence, Failure> {
        include::load(parsed, file, framework, catalogue)
    }

    /// Items that bear on a statement, in file order.
    pub fn items_for<'a>(&'a self, statement: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |item| item.bears_on(statement))
    }
}

/// A pack given as an evidence file: say what it is.
/// An item's content once its fields have been checked.
enum Checked {
    Metric(MetricValue),
    Finding(Sentiment, Strength),
}

/// The text without surrounding spaces, reusing its allocation when there are none.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    framework: &'a Framework,
    catalogue: &'a Catalogue,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn at<T>(&self, value: &Spanned<T>) -> Range<usize> {
        yaml::span_of(self.file, value)
    }

    /// Reports a problem at a value, among the errors or the warnings as it is.
    fn report<T>(&mut self, value: &Spanned<T>, problem: Problem) {
        let severity = problem.severity();
        let diagnostic = problem.at(self.file, self.at(value));
        match severity {
            Severity::Error => self.errors.push(diagnostic),
            Severity::Warning => self.warnings.push(diagnostic),
        }
    }

    fn items(&mut self, entries: Vec<ItemEntry>) -> Vec<Item> {
        let repeats = self.repeated_ids(&entries);
        let mut items = Vec::with_capacity(entries.len());
        for (entry, repeat) in entries.into_iter().zip(repeats) {
            if !repeat && let Some(item) = self.item(entry) {
                items.push(item);
            }
        }
        items
    }

    /// Reports each id used a second time, and marks its entry to be skipped.
    fn repeated_ids(&mut self, entries: &[ItemEntry]) -> Vec<bool> {
        // Id -> (index, line) of its first entry.
        let mut first: HashMap<&str, (usize, usize)> = HashMap::with_capacity(entries.len());
        let mut repeats = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let id = entry.id.value.trim();
            let line = self.file.line_column(self.at(&entry.id).start).0;
            let (first_index, first_line) = *first.entry(id).or_insert((index, line));
            let repeat = first_index != index;
            if repeat {
                self.report(
                    &entry.id,
                    Problem::RepeatedId {
                        id: id.to_string(),
                        first_line,
                        first_file: None,
                    },
                );
            }
            repeats.push(repeat);
        }
        repeats
    }

    fn item(&mut self, entry: ItemEntry) -> Option<Item> {
        let id_span = self.at(&entry.id);
        let statements = self.statements(&entry);
        let category = self.category(&entry);
        let content = match self.content(&entry)? {
            Checked::Metric(value) => ItemContent::Metric(value),
            // The finding's words move into the item rather than being copied.
            Checked::Finding(sentiment, strength) => ItemContent::Finding(Finding {
                text: entry.finding.map(|f| trimmed(f.value)).unwrap_or_default(),
                sentiment,
                strength,
                tags: entry.tags.unwrap_or_default(),
            }),
        };
        Some(Item {
            id: Arc::from(entry.id.value.trim()),
            statements: statements?,
            category: category?,
            period: entry.period,
            source: entry.source,
            id_span,
            content,
        })
    }

    fn statements(&mut self, entry: &ItemEntry) -> Option<Vec<String>> {
        let given: Vec<&Spanned<String>> = match (&entry.statement, &entry.statements) {
            (Some(one), None) => vec![one],
            (None, Some(many)) if !many.is_empty() => many.iter().collect(),
            (Some(one), Some(_)) => {
                self.report(one, Problem::BothStatementFields);
                return None;
            }
            _ => {
                self.report(
                    &entry.id,
                    Problem::NoStatement {
                        item: entry.id.value.clone(),
                    },
                );
                return None;
            }
        };
        let mut ids = Vec::new();
        for spanned in given {
            let id = spanned.value.trim();
            if self.framework.statement(id).is_some() {
                ids.push(id.to_string());
            } else {
                let help = self.framework.statement_help(id);
                self.report(
                    spanned,
                    Problem::UnknownStatement {
                        id: id.to_string(),
                        help,
                    },
                );
            }
        }
        (ids.len() == entry.statements.as_ref().map_or(1, Vec::len)).then_some(ids)
    }

    fn category(&mut self, entry: &ItemEntry) -> Option<Category> {
        let Some(spanned) = &entry.category else {
            self.report(
                &entry.id,
                Problem::NoCategory {
                    item: entry.id.value.clone(),
                },
            );
            return None;
        };
        let category = Category::parse(&spanned.value);
        if category.is_none() {
            let help = Category::unknown_help(&spanned.value);
            self.report(
                spanned,
                Problem::UnknownCategory {
                    given: spanned.value.clone(),
                    help,
                },
            );
        }
        category
    }

    fn content(&mut self, entry: &ItemEntry) -> Option<Checked> {
        match (&entry.metric, &entry.finding) {
            (Some(metric), None) => self.metric_value(entry, metric).map(Checked::Metric),
            (None, Some(finding)) => self
                .finding(entry, finding)
                .map(|(sentiment, strength)| Checked::Finding(sentiment, strength)),
            (Some(metric), Some(_)) => {
                self.report(metric, Problem::MetricAndFinding);
                None
            }
            (None, None) => {
                self.report(
                    &entry.id,
                    Problem::NeitherMetricNorFinding {
                        item: entry.id.value.clone(),
                    },
                );
                None
            }
        }
    }

    fn metric_value(&mut self, entry: &ItemEntry, name: &Spanned<String>) -> Option<MetricValue> {
        if let Some(sentiment) = &entry.sentiment {
            self.report(sentiment, Problem::SentimentOnMetric);
        }
        if let Some(strength) = &entry.strength {
            self.report(strength, Problem::StrengthOnMetric);
        }
        let metric = self.catalogue.lookup(&name.value);
        if metric.is_none() {
            let suggestion = self.catalogue.suggestion(&name.value);
            self.report(
                name,
                Problem::UnknownMetric {
                    name: name.value.trim().to_string(),
                    suggestion,
                },
            );
        }
        let Some(value_text) = &entry.value else {
            self.report(
                name,
                Problem::NoValue {
                    item: entry.id.value.clone(),
                },
            );
            return None;
        };
        let percent_sign = value_text.value.trim_end().ends_with('%');
        let value = self.number(value_text, "value", metric);
        let target = self.optional_number(&entry.target, "target", metric);
        let england_average =
            self.optional_number(&entry.england_average, "england_average", metric);
        let regional_average =
            self.optional_number(&entry.regional_average, "regional_average", metric);
        let comparator_average =
            self.optional_number(&entry.comparator_average, "comparator_average", metric);
        let previous = self.optional_number(&entry.previous, "previous", metric);
        let margin = self.optional_number(&entry.margin, "margin", metric);
        Some(MetricValue {
            name: name.value.trim().to_string(),
            metric,
            value: value?,
            target: target?,
            england_average: england_average?,
            regional_average: regional_average?,
            comparator_average: comparator_average?,
            previous: previous?,
            margin: margin?,
            percent_sign,
        })
    }

    /// `Some(None)` when absent, `None` when present but wrong (already reported).
    fn optional_number(
        &mut self,
        text: &Option<Spanned<String>>,
        field: &'static str,
        metric: Option<MetricId>,
    ) -> Option<Option<Decimal>> {
        match text {
            Some(text) => self.number(text, field, metric).map(Some),
            None => Some(None),
        }
    }

    fn number(
        &mut self,
        text: &Spanned<String>,
        field: &'static str,
        metric: Option<MetricId>,
    ) -> Option<Decimal> {
        let quantity = match parse_quantity(&text.value) {
            Ok(quantity) => quantity,
            Err(problem) => {
                self.report(text, Problem::NotANumber { field, problem });
                return None;
            }
        };
        let value = quantity.value;
        // A metric the catalogue lacks has no unit to hold the value to.
        let Some(metric) = metric.map(|id| self.catalogue.metric(id)) else {
            return Some(value);
        };
        let Some(problem) = metric.unit_problem(value, quantity.percent_sign) else {
            return Some(value);
        };
        let name = metric.name.clone();
        let unit = metric.unit.as_str();
        let problem = match problem {
            UnitProblem::PercentSign => Problem::PercentSign {
                field,
                metric: name,
                unit,
            },
            UnitProblem::Negative => Problem::Negative {
                field,
                metric: name,
                unit,
            },
            UnitProblem::OverHundred => Problem::OverHundred { field, value },
            UnitProblem::NotWhole => Problem::NotWhole {
                field,
                value,
                metric: name,
            },
            UnitProblem::OverMax(max) => Problem::OverMax {
                field,
                value,
                metric: name,
                max,
            },
        };
        self.report(text, problem);
        None
    }

    /// Checks a finding item's fields, and reads its sentiment and strength.
    fn finding(
        &mut self,
        entry: &ItemEntry,
        text: &Spanned<String>,
    ) -> Option<(Sentiment, Strength)> {
        for (field, value) in [
            ("value", &entry.value),
            ("target", &entry.target),
            ("england_average", &entry.england_average),
            ("regional_average", &entry.regional_average),
            ("comparator_average", &entry.comparator_average),
            ("previous", &entry.previous),
            ("margin", &entry.margin),
        ] {
            if let Some(value) = value {
                self.report(value, Problem::MetricFieldOnFinding { field });
            }
        }
        let Some(sentiment_text) = &entry.sentiment else {
            self.report(
                text,
                Problem::NoSentiment {
                    item: entry.id.value.clone(),
                },
            );
            return None;
        };
        let Some(sentiment) = Sentiment::parse(&sentiment_text.value) else {
            let suggestion = did_you_mean(&nearest(
                &sentiment_text.value,
                ["positive", "negative", "mixed"],
                3,
            ));
            self.report(
                sentiment_text,
                Problem::UnknownSentiment {
                    given: sentiment_text.value.clone(),
                    suggestion,
                },
            );
            return None;
        };
        let strength = match &entry.strength {
            None => Strength::Normal,
            Some(given) => match Strength::parse(&given.value) {
                Some(strength) => strength,
                None => {
                    let suggestion = did_you_mean(&nearest(&given.value, ["strong", "normal"], 3));
                    self.report(
                        given,
                        Problem::UnknownStrength {
                            given: given.value.clone(),
                            suggestion,
                        },
                    );
                    return None;
                }
            },
        };
        Some((sentiment, strength))
    }

    /// A metric given twice for one statement: rules read the first; say so. `files[i]` is
    /// the file item `i` is in.
    fn warn_repeated_metrics(&mut self, items: &[Item], files: &[&Arc<SourceFile>]) {
        let mut first: BTreeMap<(&str, MetricId), &Item> = BTreeMap::new();
        for (item, file) in items.iter().zip(files) {
            let Some(id) = item.metric().and_then(|m| m.metric) else {
                continue;
            };
            for statement in &item.statements {
                if let Some(earlier) = first.get(&(statement.as_str(), id)) {
                    let problem = Problem::RepeatedMetric {
                        metric: self.catalogue.metric(id).name.clone(),
                        statement: statement.clone(),
                        first: earlier.id.to_string(),
                        second: item.id.to_string(),
                    };
                    self.warnings.push(problem.at(file, item.id_span.clone()));
                } else {
                    first.insert((statement.as_str(), id), item);
                }
            }
        }
    }
}
