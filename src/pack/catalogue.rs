//! The metric catalogue (`rules/metrics.yaml`, plus a pack's own `metrics.yaml`): each
//! metric's unit and polarity, and the names it is known by.

use std::collections::BTreeMap;
use std::sync::Arc;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lang::ast::{Category, MarginUnit, is_normalised, normalise_words};
use crate::pack::measure_codes::{CodeEntry, MeasureCode, Year};
use crate::pack::problem::Problem;
pub use crate::pack::unit::Unit;
use crate::source::diagnostic::{Diagnostic, SourceFile, Worded, did_you_mean, nearest};
use crate::source::number::parse_quantity;
use crate::source::shapes::Quantity;
use crate::source::yaml::{self, Spanned};

/// Which way is better for a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Higher,
    Lower,
}

/// The band around a reference inside which a value is "in line with" it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Tolerance {
    pub amount: Decimal,
    pub unit: MarginUnit,
}

impl Tolerance {
    /// The default: 5 points (see docs/scoring.md for why).
    pub const DEFAULT: Tolerance = Tolerance {
        amount: Decimal::from_parts(5, 0, 0, false, 0),
        unit: MarginUnit::Points,
    };

    /// Reads `5 points`, `5`, or `10%` (relative to the reference).
    pub fn parse(text: &str) -> Result<Tolerance, Problem> {
        let trimmed = text.trim();
        let (number, unit) = match trimmed
            .strip_suffix("points")
            .or_else(|| trimmed.strip_suffix("point"))
        {
            Some(rest) => (rest.trim(), MarginUnit::Points),
            None if trimmed.ends_with('%') => (trimmed, MarginUnit::Percent),
            None => (trimmed, MarginUnit::Points),
        };
        let quantity = parse_quantity(number).map_err(Problem::BadTolerance)?;
        if quantity.value.is_sign_negative() {
            return Err(Problem::NegativeTolerance);
        }
        Ok(Tolerance {
            amount: quantity.value,
            unit,
        })
    }
}

impl std::fmt::Display for Tolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unit {
            MarginUnit::Points => write!(f, "{} points", self.amount),
            MarginUnit::Percent => write!(f, "{}%", self.amount),
        }
    }
}

/// One metric as a catalogue file writes it.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MetricEntry {
    #[schemars(with = "String")]
    name: Spanned<String>,
    unit: Unit,
    better: Polarity,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    category: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    aliases: Vec<Spanned<String>>,
    /// A code that names the metric in every year.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    code: Option<Spanned<String>>,
    /// Codes that name the metric in some years only (`{code: "3A", from: 2023-24}`).
    #[serde(default)]
    #[schemars(with = "Vec<CodeEntry>")]
    codes: Vec<Spanned<CodeEntry>>,
    /// The quality statements the metric is read under, by id.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    statements: Vec<Spanned<String>>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    local: bool,
    #[serde(default)]
    #[schemars(with = "Option<Quantity>")]
    max: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<Quantity>")]
    tolerance: Option<Spanned<String>>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    metrics: Vec<MetricEntry>,
}

/// A metric known to the engine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metric {
    pub name: String,
    pub unit: Unit,
    pub better: Polarity,
    /// The evidence category the metric is usually filed under.
    pub category: Option<Category>,
    pub aliases: Vec<String>,
    /// Its published codes, each with the years it names this metric.
    pub codes: Vec<MeasureCode>,
    /// The quality statements the metric is read under, by id.
    pub statements: Vec<String>,
    pub source: Option<String>,
    /// A local-only measure: no England, regional or comparator average exists.
    pub local: bool,
    /// Upper bound for `score` units.
    pub max: Option<Decimal>,
    pub tolerance: Option<Tolerance>,
    pub description: Option<String>,
}

/// Why a value cannot be a metric's: the one set of rules that evidence files and
/// imported tables are both held to. Each caller words it for its reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitProblem {
    /// Written with `%`, but the metric is not a percentage.
    PercentSign,
    Negative,
    /// A percentage over 100.
    OverHundred,
    /// A count that is not whole.
    NotWhole,
    /// Over the metric's `max`.
    OverMax(Decimal),
}

impl Metric {
    /// The highest value evidence may give for this metric, if any: 100 for a percentage,
    /// otherwise its `max`. The loader holds every value to it.
    pub fn highest(&self) -> Option<Decimal> {
        match self.unit {
            Unit::Percent => Some(Decimal::ONE_HUNDRED),
            _ => self.max,
        }
    }

    /// What is wrong with `value` for this metric, if anything; `percent_sign` says it was
    /// written with `%`.
    pub fn unit_problem(&self, value: Decimal, percent_sign: bool) -> Option<UnitProblem> {
        if percent_sign && self.unit != Unit::Percent {
            Some(UnitProblem::PercentSign)
        } else if value.is_sign_negative() && !value.is_zero() {
            Some(UnitProblem::Negative)
        } else if self.unit == Unit::Percent && value > Decimal::ONE_HUNDRED {
            Some(UnitProblem::OverHundred)
        } else if self.unit == Unit::Count && !value.fract().is_zero() {
            Some(UnitProblem::NotWhole)
        } else {
            self.max
                .filter(|max| value > *max)
                .map(UnitProblem::OverMax)
        }
    }
}

/// Metrics by every name they answer to.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    metrics: Vec<Metric>,
    /// Normalised name or alias -> index into `metrics`.
    index: BTreeMap<String, usize>,
    /// Every code, normalised, with its years and metric: a code is a name only where it
    /// means one metric in every year it is used.
    codes: Vec<(String, MeasureCode, MetricId)>,
}

/// Index of a metric in its catalogue.
pub type MetricId = usize;

impl Catalogue {
    /// Reads a catalogue file and adds its metrics: a metric with a name already known
    /// replaces it (a pack's `metrics.yaml` overrides the built-in entry).
    pub fn extend_from(&mut self, source: &Arc<SourceFile>) -> Result<(), Vec<Diagnostic>> {
        let file: CatalogueFile = yaml::from_source(source).map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        for entry in file.metrics {
            match self.add(source, entry) {
                Ok(()) => {}
                Err(diagnostic) => problems.push(diagnostic),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    pub(crate) fn add(
        &mut self,
        source: &Arc<SourceFile>,
        entry: MetricEntry,
    ) -> Result<(), Diagnostic> {
        let at = |value: &Spanned<String>| yaml::span_of(source, value);
        let tolerance = match &entry.tolerance {
            Some(text) => Some(
                Tolerance::parse(&text.value).map_err(|problem| problem.at(source, at(text)))?,
            ),
            None => None,
        };
        let max = match &entry.max {
            Some(text) => Some(
                parse_quantity(&text.value)
                    .map(|q| q.value)
                    .map_err(|e| Problem::BadMax(e).at(source, at(text)))?,
            ),
            None => None,
        };
        let category = match &entry.category {
            Some(text) => Some(Category::parse(&text.value).ok_or_else(|| {
                Problem::NotACategory {
                    given: text.value.clone(),
                }
                .at(source, at(text))
            })?),
            None => None,
        };
        let name = entry.name.value.trim().to_string();
        let key = normalise_words(&name);
        // An entry whose name is already known replaces that metric in place.
        let id = match self.index.get(&key) {
            Some(&existing) if normalise_words(&self.metrics[existing].name) == key => existing,
            _ => self.metrics.len(),
        };
        let mut codes: Vec<(&Spanned<String>, MeasureCode)> = Vec::new();
        if let Some(code) = &entry.code {
            codes.push((code, MeasureCode::always(&code.value)));
        }
        let mut code_spans = Vec::new();
        for spanned in &entry.codes {
            let code = MeasureCode::from_entry(&spanned.value).map_err(|message| {
                Problem::BadCodeEntry(message).at(source, yaml::span_of(source, spanned))
            })?;
            code_spans.push((spanned, code));
        }
        let metric = Metric {
            name: name.clone(),
            unit: entry.unit,
            better: entry.better,
            category,
            aliases: entry
                .aliases
                .iter()
                .map(|a| a.value.trim().to_string())
                .collect(),
            codes: codes
                .iter()
                .map(|(_, c)| c.clone())
                .chain(code_spans.iter().map(|(_, c)| c.clone()))
                .collect(),
            statements: entry
                .statements
                .iter()
                .map(|s| s.value.trim().to_string())
                .collect(),
            source: entry.source,
            local: entry.local,
            max,
            tolerance,
            description: entry.description,
        };
        let mut names: Vec<(&Spanned<String>, String)> = vec![(&entry.name, key)];
        names.extend(entry.aliases.iter().map(|a| (a, normalise_words(&a.value))));
        for (spanned, key) in &names {
            let other = self.index.get(key).copied().or_else(|| {
                self.codes
                    .iter()
                    .find(|(code, _, other)| code == key && *other != id)
                    .map(|(_, _, other)| *other)
            });
            if let Some(other) = other
                && other != id
            {
                return Err(self.used_twice(source, spanned, other));
            }
        }
        // A code may be shared with another metric only in years the other does not use it.
        for (place, code) in codes
            .iter()
            .map(|(s, c)| (yaml::span_of(source, *s), c))
            .chain(
                code_spans
                    .iter()
                    .map(|(s, c)| (yaml::span_of(source, *s), c)),
            )
        {
            let key = normalise_words(&code.code);
            if let Some(&other) = self.index.get(&key)
                && other != id
            {
                let problem = Problem::NameUsedTwice {
                    name: code.code.clone(),
                    metric: self.metrics[other].name.clone(),
                };
                return Err(problem.at(source, place));
            }
            let clash = self.codes.iter().find(|(other_key, other_code, other)| {
                *other_key == key && *other != id && other_code.overlaps(code)
            });
            if let Some((_, other_code, other)) = clash {
                let problem = Problem::CodeUsedTwice {
                    code: code.code.clone(),
                    metric: self.metrics[*other].name.clone(),
                    other: other_code.clone(),
                };
                return Err(problem.at(source, place));
            }
        }
        if id < self.metrics.len() {
            self.index.retain(|_, existing| *existing != id);
            self.codes.retain(|(_, _, existing)| *existing != id);
        }
        for (_, key) in names {
            self.index.insert(key, id);
        }
        for code in &metric.codes {
            self.codes
                .push((normalise_words(&code.code), code.clone(), id));
        }
        if id == self.metrics.len() {
            self.metrics.push(metric);
        } else {
            self.metrics[id] = metric;
        }
        Ok(())
    }

    fn used_twice(
        &self,
        source: &Arc<SourceFile>,
        spanned: &Spanned<String>,
        other: MetricId,
    ) -> Diagnostic {
        Problem::NameUsedTwice {
            name: spanned.value.clone(),
            metric: self.metrics[other].name.clone(),
        }
        .at(source, yaml::span_of(source, spanned))
    }

    /// Finds a metric by name, alias or code: case, spaces, `_` and `-` do not matter.
    /// A code counts only where it means one metric in every year it is used: `1B`, which
    /// ASCOF renumbered, is found by [`Catalogue::by_code`] with its year.
    pub fn lookup(&self, name: &str) -> Option<MetricId> {
        let found = if is_normalised(name) {
            // Most names arrive as the catalogue writes them: no need to copy them.
            self.index.get(name).copied()
        } else {
            self.index.get(&normalise_words(name)).copied()
        };
        found.or_else(|| self.only_metric_with_code(&normalise_words(name)))
    }

    fn only_metric_with_code(&self, key: &str) -> Option<MetricId> {
        let mut ids = self
            .codes
            .iter()
            .filter(|(code, _, _)| code == key)
            .map(|(_, _, id)| *id);
        let first = ids.next()?;
        ids.all(|id| id == first).then_some(first)
    }

    /// The metric a code names in a year.
    pub fn by_code(&self, code: &str, year: Year) -> Option<MetricId> {
        let key = normalise_words(code);
        self.codes
            .iter()
            .find(|(known, measure, _)| *known == key && measure.covers(year))
            .map(|(_, _, id)| *id)
    }

    /// Every code used in a year, with its metric, in catalogue order.
    pub fn codes_in(&self, year: Year) -> Vec<(&str, MetricId)> {
        self.codes
            .iter()
            .filter(|(_, measure, _)| measure.covers(year))
            .map(|(_, measure, id)| (measure.code.as_str(), *id))
            .collect()
    }

    /// The metrics a code names in some year, each with its years: what to tell someone
    /// who wrote a renumbered code without a year.
    pub fn code_meanings(&self, code: &str) -> Vec<(&MeasureCode, MetricId)> {
        let key = normalise_words(code);
        self.codes
            .iter()
            .filter(|(known, _, _)| *known == key)
            .map(|(_, measure, id)| (measure, *id))
            .collect()
    }

    /// A metric's code in a year, if it has one.
    pub fn code_in(&self, id: MetricId, year: Year) -> Option<&str> {
        self.metrics[id]
            .codes
            .iter()
            .find(|code| code.covers(year))
            .map(|code| code.code.as_str())
    }

    pub fn metric(&self, id: MetricId) -> &Metric {
        &self.metrics[id]
    }

    pub fn metrics(&self) -> &[Metric] {
        &self.metrics
    }

    /// The catalogue names closest to an unknown one, best first.
    pub fn nearest_names(&self, name: &str) -> Vec<&str> {
        nearest(name, self.metrics.iter().map(|m| m.name.as_str()), 3)
    }

    /// A "did you mean" line for an unknown metric name.
    pub fn suggestion(&self, name: &str) -> Option<String> {
        did_you_mean(&self.nearest_names(name))
    }
}
