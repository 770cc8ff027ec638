//! An ASCOF table's rows as observations: one area's value (or margin of error) for one
//! measure in one year. Every row the importer reads is checked, whichever council is
//! wanted, so a damaged file is refused whole: each problem names its row and column.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::lang::ast::normalise_words;
use crate::pack::catalogue::{Catalogue, MetricId};
use crate::pack::measure_codes::Year;
use crate::source::diagnostic::Diagnostic;

use super::councils::type_key;
use super::layout::{Columns, Layout};
use crate::evidence::import::problem::Problem;
use crate::evidence::import::table::{CellValue, Row, Table, decimal_from_float};

/// The kind of area a row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Council,
    Region,
    England,
    CouncilType,
}

/// What a row says: a number, or that the figure is not given (`[x]`, `..`, empty).
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    Number(Decimal),
    NotGiven(String),
}

/// What a row measures: the outcome itself, or its margin of error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Outcome,
    Margin,
}

/// Where an observation is, for the key of [`Observations`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub year: Year,
    pub level: Level,
    /// The ONS code (upper case); for a council type its [`type_key`]; for England
    /// [`ENGLAND`].
    pub area: String,
    pub metric: MetricId,
    pub kind: Kind,
}

/// One observation and the row it came from.
#[derive(Clone, Debug)]
pub struct Observed {
    pub figure: Figure,
    /// Index into the table's rows.
    pub row: usize,
    /// The measure's code as the row writes it.
    pub code: String,
}

/// Every observation of the file, and each council's names by year.
#[derive(Debug, Default)]
pub struct Observations {
    pub by_key: HashMap<Key, Observed>,
    /// ONS code (upper case) -> (year, name as written) for every council row.
    pub council_names: HashMap<String, Vec<(Year, String)>>,
    /// Every year with a row.
    pub years: Vec<Year>,
}

/// The area of England's rows.
pub const ENGLAND: &str = "england";

/// Values that mean "not given": official statistics mark suppressed and missing figures so.
const NOT_GIVEN: &[&str] = &[
    "", "-", "–", "—", "..", ":", "*", "x", "c", "z", "u", "n/a", "na", "[x]", "[c]", "[z]", "[u]",
];

/// Reads and checks every row the importer uses. `year` is the open-data release's year
/// (its rows do not say).
pub fn read(
    table: &Table,
    columns: &Columns,
    year: Option<Year>,
    catalogue: &Catalogue,
) -> Result<Observations, Vec<Diagnostic>> {
    let mut out = Observations::default();
    let mut problems = Vec::new();
    for (index, row) in table.rows.iter().enumerate() {
        if row.is_blank() {
            continue;
        }
        match observation(table, columns, row, year, catalogue) {
            Ok(None) => {}
            Ok(Some((key, name, observed))) => {
                if !out.years.contains(&key.year) {
                    out.years.push(key.year);
                }
                if key.level == Level::Council && key.kind == Kind::Outcome {
                    let names = out.council_names.entry(key.area.clone()).or_default();
                    if !names.iter().any(|(y, _)| *y == key.year) {
                        names.push((key.year, name));
                    }
                }
                if let Some(first) = out.by_key.get(&key) {
                    let first_row = table.rows[first.row].number;
                    problems.push(table.report(
                        row,
                        Some(columns.value),
                        Problem::FigureTwice { first_row },
                    ));
                    continue;
                }
                out.by_key.insert(key, observed_at(observed, index));
            }
            Err(problem) => problems.push(problem),
        }
        if problems.len() >= 20 {
            break;
        }
    }
    out.years.sort();
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn observed_at(mut observed: Observed, index: usize) -> Observed {
    observed.row = index;
    observed
}

fn text(row: &Row, column: usize) -> String {
    match row.cell(column).map(|c| &c.value) {
        Some(CellValue::Text(text)) => text.trim().to_string(),
        Some(CellValue::Number { value, .. }) => value.normalize().to_string(),
        _ => String::new(),
    }
}

/// One row as an observation; `None` for a row the importer does not read (a breakdown by
/// age or sex, a numerator or denominator).
fn observation(
    table: &Table,
    columns: &Columns,
    row: &Row,
    release_year: Option<Year>,
    catalogue: &Catalogue,
) -> Result<Option<(Key, String, Observed)>, Diagnostic> {
    let kind = match columns.measure_type.map(|c| normalise_words(&text(row, c))) {
        None => Kind::Outcome,
        Some(t) if t.is_empty() || t == "outcome" => Kind::Outcome,
        Some(t) if t == "margin of error" => Kind::Margin,
        Some(_) => return Ok(None),
    };
    if let Some(column) = columns.disaggregation {
        let breakdown = normalise_words(&text(row, column));
        if !(breakdown.is_empty() || breakdown == "total") {
            return Ok(None);
        }
    }
    if columns.layout == Layout::OpenData
        && let Some(code_column) = columns.breakdown_code
        && !text(row, code_column).eq_ignore_ascii_case(&text(row, columns.measure))
    {
        // A breakdown's own code (`1A1864`) beside its measure's (`1A`).
        return Ok(None);
    }
    let year = match (columns.year, release_year) {
        (Some(column), _) => {
            let written = text(row, column);
            Year::parse(&written).ok_or_else(|| {
                table.report(row, Some(column), Problem::NotAYear { given: written })
            })?
        }
        (None, Some(year)) => year,
        (None, None) => {
            return Err(table.report(row, None, Problem::NoYearInFile));
        }
    };
    let level_text = text(row, columns.level);
    let level = match normalise_words(&level_text).as_str() {
        "council" => Level::Council,
        "region" => Level::Region,
        "england" => Level::England,
        "council type" => Level::CouncilType,
        _ => {
            return Err(table.report(
                row,
                Some(columns.level),
                Problem::UnknownLevel { given: level_text },
            ));
        }
    };
    let name = text(row, columns.area);
    let ons = text(row, columns.ons_code).to_uppercase();
    let area = match level {
        Level::CouncilType => type_key(&name),
        Level::England => ENGLAND.to_string(),
        _ if ons.is_empty() || ons == "-" => {
            return Err(table.report(row, Some(columns.ons_code), Problem::NoOnsCode { name }));
        }
        _ => ons,
    };
    let code = text(row, columns.measure);
    let Some(metric) = catalogue.by_code(&code, year) else {
        return Err(unknown_code(
            table,
            row,
            columns.measure,
            &code,
            year,
            catalogue,
        ));
    };
    let figure = figure(table, row, columns.value, catalogue, metric)?;
    Ok(Some((
        Key {
            year,
            level,
            area,
            metric,
            kind,
        },
        name,
        Observed {
            figure,
            row: 0,
            code,
        },
    )))
}

fn unknown_code(
    table: &Table,
    row: &Row,
    column: usize,
    code: &str,
    year: Year,
    catalogue: &Catalogue,
) -> Diagnostic {
    let elsewhere: Vec<String> = catalogue
        .code_meanings(code)
        .iter()
        .map(|(measure, id)| {
            format!(
                "`{}` is `{}` {}",
                measure.code,
                catalogue.metric(*id).name,
                measure.describe().trim_start_matches(&measure.code).trim()
            )
        })
        .collect();
    let mut known: Vec<&str> = catalogue.codes_in(year).iter().map(|(c, _)| *c).collect();
    known.sort_unstable();
    known.dedup();
    let help = if elsewhere.is_empty() {
        format!("the ASCOF codes of {year} are: {}", known.join(", "))
    } else {
        format!(
            "{}; the ASCOF codes of {year} are: {}",
            elsewhere.join("; "),
            known.join(", ")
        )
    };
    table.report(
        row,
        Some(column),
        Problem::UnknownCode {
            code: code.to_string(),
            year,
            help,
        },
    )
}

/// A cell's figure, checked against the measure's unit.
fn figure(
    table: &Table,
    row: &Row,
    column: usize,
    catalogue: &Catalogue,
    metric: MetricId,
) -> Result<Figure, Diagnostic> {
    let value = match row.cell(column).map(|c| &c.value) {
        None | Some(CellValue::Empty) => return Ok(Figure::NotGiven("empty".to_string())),
        Some(CellValue::Number { value, .. }) => *value,
        Some(CellValue::Text(written)) => {
            if NOT_GIVEN.contains(&written.to_lowercase().as_str()) {
                return Ok(Figure::NotGiven(written.clone()));
            }
            number(written)
                .map_err(|reason| table.report(row, Some(column), Problem::NotAFigure { reason }))?
        }
        Some(other) => {
            return Err(table.report(
                row,
                Some(column),
                Problem::UnexpectedCell {
                    found: format!("{other:?}"),
                },
            ));
        }
    };
    let entry = catalogue.metric(metric);
    match entry.unit_problem(value, false) {
        None => Ok(Figure::Number(value)),
        Some(problem) => Err(table.report(
            row,
            Some(column),
            Problem::FigureOutOfRange {
                value,
                metric: entry.name.clone(),
                problem,
            },
        )),
    }
}

/// A figure as written: a plain decimal exactly, or (with 16 or more significant digits, or
/// an exponent) the float a spreadsheet's CSV export wrote out in full, read back as the
/// shortest decimal that is the same float: `19.600000000000001` is 19.6, as the workbook
/// shows it.
pub fn number(written: &str) -> Result<Decimal, String> {
    let not_a_number = || format!("`{written}` is not a number");
    let text = written.trim();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let unsigned = mantissa.strip_prefix('-').unwrap_or(mantissa);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if !digits(whole) || !fraction.is_none_or(digits) || !exponent_ok {
        return Err(not_a_number());
    }
    let significant = whole
        .chars()
        .chain(fraction.unwrap_or("").chars())
        .skip_while(|c| *c == '0')
        .count();
    if exponent.is_some() || significant >= 16 {
        let float: f64 = text.parse().map_err(|_| not_a_number())?;
        return decimal_from_float(float);
    }
    Decimal::from_str_exact(text).map_err(|_| not_a_number())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_artefacts_read_as_the_workbook_shows_them() {
        let n = |text: &str| number(text).map(|d| d.normalize().to_string());
        assert_eq!(n("19.600000000000001"), Ok("19.6".to_string()));
        assert_eq!(n("72.900000000000006"), Ok("72.9".to_string()));
        assert_eq!(n("5.0999999999999996"), Ok("5.1".to_string()));
        assert_eq!(n("2.5999999999999999E-2"), Ok("0.026".to_string()));
        assert_eq!(n("0.45500000000000002"), Ok("0.455".to_string()));
        assert_eq!(n("64.4"), Ok("64.4".to_string()));
        assert_eq!(n("100"), Ok("100".to_string()));
        // Fifteen significant digits are exact as written.
        assert_eq!(n("1.23456789012345"), Ok("1.23456789012345".to_string()));
        for bad in ["12.3.4", "1,2", "abc", "1e", ".5", "5.", "--1", "1e5e2"] {
            assert!(number(bad).is_err(), "{bad}");
        }
    }
}
