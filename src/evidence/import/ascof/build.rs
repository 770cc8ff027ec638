//! One council's observations as evidence: each measure of the year an item with its value,
//! the England, regional and council-type averages, last year's value of the same measure
//! (by metric, so never another measure that shares its code) and its margin of error.

use std::collections::BTreeMap;

use crate::evidence::import::convert::{Content, Converted, ItemOut, Number};
use crate::evidence::import::mapping::Field;
use crate::evidence::import::problem::Problem;
use crate::pack::catalogue::{Catalogue, MetricId, Unit};
use crate::pack::measure_codes::Year;
use crate::source::diagnostic::{Diagnostic, Worded};

use super::councils::{Council, type_key};
use super::rows::{ENGLAND, Figure, Key, Kind, Level, Observations};

/// What one council's import holds before it is written.
pub struct Built {
    pub converted: Converted,
    /// Measures whose value the file does not give, as `code name (what it says)`.
    pub not_given: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// Which council, and which year, to build.
pub struct Wanted<'a> {
    pub ons_code: &'a str,
    /// Its name that year.
    pub name: &'a str,
    pub year: Year,
    /// Its type and region, if known.
    pub place: Option<&'a Council>,
}

/// The council's evidence for the year.
pub fn council(
    observations: &Observations,
    table_rows: &[crate::evidence::import::table::Row],
    wanted: &Wanted<'_>,
    source: &str,
    catalogue: &Catalogue,
) -> Result<Built, Diagnostic> {
    let Wanted {
        ons_code,
        name,
        year,
        place,
    } = *wanted;
    let mut warnings = Vec::new();
    if place.is_none() {
        warnings.push(
            Problem::NotInCouncilList {
                name: name.to_string(),
                code: ons_code.to_string(),
            }
            .unplaced(),
        );
    }
    // The council's measures this year, in code order.
    let mut measures: BTreeMap<String, MetricId> = BTreeMap::new();
    for (key, observed) in &observations.by_key {
        if key.year == year
            && key.level == Level::Council
            && key.area == ons_code
            && key.kind == Kind::Outcome
        {
            measures.insert(sort_key(&observed.code), key.metric);
        }
    }
    let figure = |level: Level, area: &str, year: Year, metric: MetricId, kind: Kind| {
        let key = Key {
            year,
            level,
            area: area.to_string(),
            metric,
            kind,
        };
        match observations.by_key.get(&key).map(|o| &o.figure) {
            Some(Figure::Number(value)) => Some(*value),
            _ => None,
        }
    };
    let mut items = Vec::new();
    let mut not_given = Vec::new();
    for metric in measures.into_values() {
        let key = Key {
            year,
            level: Level::Council,
            area: ons_code.to_string(),
            metric,
            kind: Kind::Outcome,
        };
        let Some(observed) = observations.by_key.get(&key) else {
            continue;
        };
        let entry = catalogue.metric(metric);
        let value = match &observed.figure {
            Figure::Number(value) => *value,
            Figure::NotGiven(said) => {
                not_given.push(format!("{} {} ({said})", observed.code, entry.name));
                continue;
            }
        };
        if entry.statements.is_empty() {
            return Err(Problem::NoStatementsForMetric {
                metric: entry.name.clone(),
            }
            .unplaced());
        }
        let percent = entry.unit == Unit::Percent;
        let mut numbers = vec![(Field::Value, Number { value, percent })];
        let mut push = |field: Field, value: Option<rust_decimal::Decimal>| {
            if let Some(value) = value {
                numbers.push((field, Number { value, percent }));
            }
        };
        push(
            Field::EnglandAverage,
            figure(Level::England, ENGLAND, year, metric, Kind::Outcome),
        );
        push(
            Field::RegionalAverage,
            place.and_then(|p| figure(Level::Region, &p.region_code, year, metric, Kind::Outcome)),
        );
        push(
            Field::ComparatorAverage,
            place.and_then(|p| {
                figure(
                    Level::CouncilType,
                    &type_key(&p.council_type),
                    year,
                    metric,
                    Kind::Outcome,
                )
            }),
        );
        let previous = year.previous().and_then(|last| {
            figure(Level::Council, ons_code, last, metric, Kind::Outcome).or_else(|| {
                let predecessor = place.and_then(|p| p.predecessor.as_deref())?;
                figure(Level::Council, predecessor, last, metric, Kind::Outcome)
            })
        });
        push(Field::Previous, previous);
        // A margin is in the measure's own units (percentage points), written plain.
        if let Some(margin) = figure(Level::Council, ons_code, year, metric, Kind::Margin) {
            numbers.push((
                Field::Margin,
                Number {
                    value: margin,
                    percent: false,
                },
            ));
        }
        let code = catalogue.code_in(metric, year).unwrap_or(&observed.code);
        items.push(ItemOut {
            row: table_rows[observed.row].number,
            id: format!("ascof-{year}-{}", code.to_lowercase()),
            statements: entry.statements.clone(),
            category: entry
                .category
                .unwrap_or(crate::lang::ast::Category::Processes),
            content: Content::Metric {
                name: entry.name.clone(),
                metric: Some(metric),
                numbers,
            },
            period: Some(year.to_string()),
            source: Some(format!(
                "ASCOF {year} measure {code} (NHS England), {source}"
            )),
        });
    }
    if !not_given.is_empty() {
        warnings.push(
            Problem::MeasuresNotGiven {
                name: name.to_string(),
                code: ons_code.to_string(),
                year,
                not_given: not_given.clone(),
            }
            .unplaced(),
        );
    }
    let rows_read = items.len() + not_given.len();
    Ok(Built {
        converted: Converted {
            authority: name.to_string(),
            code: Some(ons_code.to_string()),
            as_of: Some(format!("{}-03-31", year.start + 1)),
            items,
            bad_rows: Vec::new(),
            rows_read,
        },
        not_given,
        warnings,
    })
}

/// Codes in their published order: `2D1` before `2D2` before `2E`, `3D1A` before `3D2A`.
fn sort_key(code: &str) -> String {
    code.to_uppercase()
}

/// The comment lines after the first: where the averages come from, the licence, and what
/// was left out.
pub fn header_comments(place: Option<&Council>, not_given: &[String]) -> String {
    let mut out = String::new();
    if let Some(place) = place {
        out.push_str(&format!(
            "# Regional average: {}; comparator average: {} (council type).\n",
            place.region, place.council_type
        ));
    }
    out.push_str(
        "# Contains public sector information licensed under the Open Government Licence v3.0.\n",
    );
    for missing in not_given {
        out.push_str(&format!("# Not given in the file, left out: {missing}.\n"));
    }
    out
}
