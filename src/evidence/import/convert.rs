//! Rows into evidence items. Every check the evidence loader makes is made here first, on
//! the cell, so a problem names the row and column it is in rather than a line of a file
//! the user never wrote. A row with any problem is bad as a whole.

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use crate::lang::ast::{Category, Sentiment, Strength};
use crate::pack::catalogue::{Catalogue, MetricId, Unit, UnitProblem};
use crate::pack::framework::Framework;
use crate::source::diagnostic::Diagnostic;
use crate::source::number::parse_quantity;

use super::columns::{Defaults, check_defaults, check_required, resolve_columns};
use super::mapping::{Field, Fractions, Mapping, UnknownMetrics};
use super::names::{category_of, statements_of};
use super::problem::Problem;
use super::table::{CellValue, Row, Table};

/// A number for the evidence file, and whether to write it with a `%` sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Number {
    pub value: Decimal,
    pub percent: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Metric {
        name: String,
        metric: Option<MetricId>,
        /// The value first, then the comparators given, in evidence order.
        numbers: Vec<(Field, Number)>,
    },
    Finding {
        text: String,
        sentiment: Sentiment,
        strength: Strength,
        tags: Vec<String>,
    },
}

/// An evidence item made from one row.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemOut {
    pub row: u32,
    pub id: String,
    pub statements: Vec<String>,
    pub category: Category,
    pub content: Content,
    pub period: Option<String>,
    pub source: Option<String>,
}

/// A row that could not be read, with every problem found in it.
#[derive(Clone, Debug)]
pub struct BadRow {
    pub row: u32,
    pub problems: Vec<Diagnostic>,
}

/// The table read as evidence: the good rows as items, and the bad rows.
#[derive(Clone, Debug)]
pub struct Converted {
    pub authority: String,
    pub code: Option<String>,
    pub as_of: Option<String>,
    pub items: Vec<ItemOut>,
    pub bad_rows: Vec<BadRow>,
    /// Rows that are not blank.
    pub rows_read: usize,
}

/// Values a comparator cell may hold to say it has no value: official statistics mark
/// suppressed and missing figures this way.
const NOT_AVAILABLE: &[&str] = &[
    "-", "–", "—", "n/a", "na", "..", ":", "x", "[x]", "[c]", "[z]", "[u]",
];

/// Reads the table's rows as evidence. `Err` when the table as a whole cannot be read
/// (a required column missing, an unknown default); bad rows are returned, not failed.
/// Warnings go to `warnings` either way.
pub fn convert(
    table: &Table,
    mapping: &Mapping,
    fractions: Fractions,
    catalogue: &Catalogue,
    framework: &Framework,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Converted, Vec<Diagnostic>> {
    // Every problem with the mapping and the columns at once, not one per run.
    let (columns, defaults) = match resolve_columns(table, mapping, warnings) {
        Ok(columns) => {
            let defaults = check_required(table, mapping, &columns, framework)?;
            (columns, defaults)
        }
        Err(mut errors) => {
            if let Err(more) = check_defaults(mapping, framework) {
                errors.extend(more);
            }
            return Err(errors);
        }
    };
    let converter = Converter {
        table,
        mapping,
        columns: &columns,
        catalogue,
        framework,
        defaults: &defaults,
    };
    let mut parsed: Vec<Parsed> = table
        .rows
        .iter()
        .filter(|row| !converter.is_blank(row))
        .map(|row| converter.parse(row, warnings))
        .collect();
    let scaled = converter.fraction_columns(&parsed, fractions, warnings);
    for row in &mut parsed {
        converter.check_numbers(row, &scaled);
        row.build();
    }
    let (authority, code, as_of) = converter.council(&mut parsed)?;
    converter.assign_ids(&mut parsed);
    converter.warn_repeated_metrics(&parsed, warnings);
    let rows_read = parsed.len();
    let mut items = Vec::new();
    let mut bad_rows = Vec::new();
    for row in parsed {
        match row.item {
            Some(item) if row.problems.is_empty() => items.push(item),
            _ => bad_rows.push(BadRow {
                row: row.row.number,
                problems: row.problems,
            }),
        }
    }
    Ok(Converted {
        authority,
        code,
        as_of,
        items,
        bad_rows,
        rows_read,
    })
}

/// A number as read from a cell, before the fraction rule: whether it was marked as a
/// percentage (a `%` sign, or a workbook's percentage format).
#[derive(Clone, Copy, Debug)]
struct Raw {
    value: Decimal,
    marked: bool,
    column: usize,
}

/// A row as read in the first pass.
struct Parsed<'t> {
    row: &'t Row,
    problems: Vec<Diagnostic>,
    statements: Option<Vec<String>>,
    category: Option<Category>,
    /// The metric or finding as far as it could be read.
    content: Option<Content>,
    period: Option<String>,
    source: Option<String>,
    /// The item, once every part is read (see [`Parsed::build`]).
    item: Option<ItemOut>,
    /// The metric's numbers before the fraction rule, by field.
    raw: Vec<(Field, Raw)>,
    /// The id the row gives, if any.
    given_id: Option<String>,
    /// The council columns' cells: (field, column, text).
    council: Vec<(Field, usize, String)>,
}

impl Parsed<'_> {
    /// The item, when every part of it was read.
    fn build(&mut self) {
        if let (Some(statements), Some(category), Some(content)) =
            (self.statements.take(), self.category, self.content.take())
        {
            self.item = Some(ItemOut {
                row: self.row.number,
                id: String::new(),
                statements,
                category,
                content,
                period: self.period.take(),
                source: self.source.take(),
            });
        }
    }
}

struct Converter<'a> {
    table: &'a Table,
    mapping: &'a Mapping,
    columns: &'a BTreeMap<Field, usize>,
    catalogue: &'a Catalogue,
    framework: &'a Framework,
    defaults: &'a Defaults,
}

impl<'a> Converter<'a> {
    /// A row with nothing in any column that holds an item's field.
    fn is_blank(&self, row: &Row) -> bool {
        self.columns
            .iter()
            .filter(|(field, _)| !matches!(field, Field::Authority | Field::Code | Field::AsOf))
            .all(|(_, &column)| row.cell(column).is_none_or(|cell| cell.value.is_empty()))
    }

    fn report(&self, row: &Row, column: Option<usize>, problem: Problem) -> Diagnostic {
        self.table.report(row, column, problem)
    }

    /// The text of a field's cell: `Ok(None)` when the table has no such column or the cell
    /// is empty.
    fn text(&self, row: &Row, field: Field) -> Result<Option<String>, Diagnostic> {
        let Some(&column) = self.columns.get(&field) else {
            return Ok(None);
        };
        let Some(cell) = row.cell(column) else {
            return Ok(None);
        };
        let problem = match &cell.value {
            CellValue::Empty => return Ok(None),
            CellValue::Text(text) if text.is_empty() => return Ok(None),
            CellValue::Text(text) => return Ok(Some(text.clone())),
            CellValue::Number { value, .. } => return Ok(Some(value.to_string())),
            CellValue::Bool(value) => return Ok(Some(value.to_string())),
            CellValue::Date => Problem::DateNotText,
            CellValue::Error(error) => Problem::ExcelErrorNotText {
                error: error.clone(),
            },
            CellValue::Unreadable(why) => Problem::UnreadableCell { why: why.clone() },
        };
        Err(self.report(row, Some(column), problem))
    }

    /// The number in a field's cell, before the fraction rule.
    fn number(&self, row: &Row, field: Field) -> Result<Option<Raw>, Diagnostic> {
        let Some(&column) = self.columns.get(&field) else {
            return Ok(None);
        };
        let Some(cell) = row.cell(column) else {
            return Ok(None);
        };
        let at = |problem: Problem| self.report(row, Some(column), problem);
        match &cell.value {
            CellValue::Empty => Ok(None),
            CellValue::Text(text) if text.is_empty() => Ok(None),
            CellValue::Text(text)
                if field != Field::Value
                    && NOT_AVAILABLE.contains(&text.to_lowercase().as_str()) =>
            {
                Ok(None)
            }
            CellValue::Text(text) => {
                let plain = without_thousands_separators(text);
                match parse_quantity(&plain) {
                    Ok(quantity) => Ok(Some(Raw {
                        value: quantity.value,
                        marked: quantity.percent_sign,
                        column,
                    })),
                    Err(problem) => Err(at(Problem::NotANumber(problem))),
                }
            }
            CellValue::Number {
                value,
                percent_format: true,
            } => match value.checked_mul(Decimal::ONE_HUNDRED) {
                Some(shown) => Ok(Some(Raw {
                    value: shown.normalize(),
                    marked: true,
                    column,
                })),
                None => Err(at(Problem::TooLargeForPercentage { value: *value })),
            },
            CellValue::Number { value, .. } => Ok(Some(Raw {
                value: *value,
                marked: false,
                column,
            })),
            CellValue::Bool(value) => Err(at(Problem::BoolNotNumber { value: *value })),
            CellValue::Date => Err(at(Problem::DateNotNumber)),
            CellValue::Error(error) => Err(at(Problem::ExcelErrorNotNumber {
                error: error.clone(),
            })),
            CellValue::Unreadable(why) => Err(at(Problem::UnreadableCell { why: why.clone() })),
        }
    }

    /// First pass over a row: every field read and checked, except the metric's numbers
    /// against its unit (they wait for the fraction rule) and the id.
    fn parse(&self, row: &'a Row, warnings: &mut Vec<Diagnostic>) -> Parsed<'a> {
        let mut problems = Vec::new();
        let mut take = |result: Result<Option<String>, Diagnostic>| match result {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                None
            }
        };
        let given_id = take(self.text(row, Field::Id));
        let statement_text = take(self.text(row, Field::Statement));
        let category_text = take(self.text(row, Field::Category));
        let metric_text = take(self.text(row, Field::Metric));
        let finding_text = take(self.text(row, Field::Finding));
        let sentiment_text = take(self.text(row, Field::Sentiment));
        let strength_text = take(self.text(row, Field::Strength));
        let tags_text = take(self.text(row, Field::Tags));
        let period = take(self.text(row, Field::Period))
            .or_else(|| self.mapping.written.defaults.period.clone());
        let source = take(self.text(row, Field::Source))
            .or_else(|| self.mapping.written.defaults.source.clone());
        let mut council = Vec::new();
        for field in [Field::Authority, Field::Code, Field::AsOf] {
            if let (Some(text), Some(&column)) =
                (take(self.text(row, field)), self.columns.get(&field))
            {
                council.push((field, column, text));
            }
        }
        let column = |field: Field| self.columns.get(&field).copied();

        let statements = match statement_text {
            Some(text) => match statements_of(&text, self.framework) {
                Ok(ids) => Some(ids),
                Err(problem) => {
                    problems.push(self.report(row, column(Field::Statement), problem));
                    None
                }
            },
            None => match &self.defaults.statements {
                Some(ids) => Some(ids.clone()),
                None => {
                    problems.push(self.report(
                        row,
                        column(Field::Statement),
                        Problem::NoStatementInRow,
                    ));
                    None
                }
            },
        };
        let category = match category_text {
            Some(text) => match category_of(&text) {
                Ok(category) => Some(category),
                Err(problem) => {
                    problems.push(self.report(row, column(Field::Category), problem));
                    None
                }
            },
            None => match self.defaults.category {
                Some(category) => Some(category),
                None => {
                    problems.push(self.report(
                        row,
                        column(Field::Category),
                        Problem::NoCategoryInRow,
                    ));
                    None
                }
            },
        };

        let mut raw = Vec::new();
        let content = match (metric_text, finding_text) {
            (Some(name), None) => {
                for (field, text) in [
                    (Field::Sentiment, &sentiment_text),
                    (Field::Strength, &strength_text),
                    (Field::Tags, &tags_text),
                ] {
                    if text.is_some() {
                        problems.push(self.report(
                            row,
                            column(field),
                            Problem::FindingFieldOnMetric {
                                field: field.name(),
                            },
                        ));
                    }
                }
                let year = period
                    .as_deref()
                    .and_then(crate::pack::measure_codes::Year::parse);
                let metric = lookup(self.catalogue, &name, year);
                if metric.is_none() {
                    self.unknown_metric(row, &name, &mut problems, warnings);
                }
                // A name the evidence loader would not know (`ASCOF 1B`) is written as the
                // catalogue names the metric.
                let name = match metric {
                    Some(id) if self.catalogue.lookup(&name).is_none() => {
                        self.catalogue.metric(id).name.clone()
                    }
                    _ => name,
                };
                for field in Field::NUMBERS {
                    match self.number(row, field) {
                        Ok(Some(number)) => raw.push((field, number)),
                        Ok(None) if field == Field::Value => problems.push(self.report(
                            row,
                            column(Field::Value),
                            Problem::NoValue {
                                metric: name.trim().to_string(),
                            },
                        )),
                        Ok(None) => {}
                        Err(problem) => problems.push(problem),
                    }
                }
                Some(Content::Metric {
                    name: name.trim().to_string(),
                    metric,
                    numbers: Vec::new(),
                })
            }
            (None, Some(text)) => {
                for field in Field::NUMBERS {
                    let filled = column(field)
                        .and_then(|c| row.cell(c))
                        .is_some_and(|cell| !cell.value.is_empty());
                    if filled {
                        problems.push(self.report(
                            row,
                            column(field),
                            Problem::MetricFieldOnFinding {
                                field: field.name(),
                            },
                        ));
                    }
                }
                let sentiment = match sentiment_text {
                    None => {
                        problems.push(self.report(
                            row,
                            column(Field::Sentiment),
                            Problem::NoSentiment,
                        ));
                        None
                    }
                    Some(text) => {
                        let sentiment = Sentiment::parse(&text);
                        if sentiment.is_none() {
                            problems.push(self.report(
                                row,
                                column(Field::Sentiment),
                                Problem::UnknownSentiment {
                                    given: text.clone(),
                                },
                            ));
                        }
                        sentiment
                    }
                };
                let strength = match strength_text {
                    None => Some(Strength::Normal),
                    Some(text) => {
                        let strength = Strength::parse(&text);
                        if strength.is_none() {
                            problems.push(self.report(
                                row,
                                column(Field::Strength),
                                Problem::UnknownStrength {
                                    given: text.clone(),
                                },
                            ));
                        }
                        strength
                    }
                };
                sentiment
                    .zip(strength)
                    .map(|(sentiment, strength)| Content::Finding {
                        text,
                        sentiment,
                        strength,
                        tags: tags_text.as_deref().map(tags_of).unwrap_or_default(),
                    })
            }
            (Some(_), Some(_)) => {
                problems.push(self.report(row, column(Field::Finding), Problem::MetricAndFinding));
                None
            }
            (None, None) => {
                let at = column(Field::Metric).or(column(Field::Finding));
                problems.push(self.report(row, at, Problem::NeitherMetricNorFinding));
                None
            }
        };
        Parsed {
            row,
            problems,
            statements,
            category,
            content,
            period,
            source,
            item: None,
            raw,
            given_id,
            council,
        }
    }

    fn unknown_metric(
        &self,
        row: &Row,
        name: &str,
        problems: &mut Vec<Diagnostic>,
        warnings: &mut Vec<Diagnostic>,
    ) {
        let column = self.columns.get(&Field::Metric).copied();
        let name = name.trim();
        match self.mapping.unknown_metrics {
            UnknownMetrics::Error => {
                let help = self.catalogue.suggestion(name).unwrap_or_else(|| {
                    "name a metric of the catalogue (rules/metrics.yaml) by its name, an alias or its ASCOF code, or keep it as evidence no rule reads with `unknown_metrics: keep` in a mapping file".to_string()
                });
                let problem = Problem::UnknownMetric {
                    name: name.to_string(),
                    help,
                };
                problems.push(self.report(row, column, problem));
            }
            UnknownMetrics::Keep => {
                let problem = Problem::UnknownMetricKept {
                    name: name.to_string(),
                    suggestion: self.catalogue.suggestion(name),
                };
                warnings.push(self.report(row, column, problem));
            }
        }
    }

    /// The number columns whose plain numbers are fractions of percentage metrics.
    fn fraction_columns(
        &self,
        parsed: &[Parsed],
        fractions: Fractions,
        warnings: &mut Vec<Diagnostic>,
    ) -> HashSet<Field> {
        let mut scaled = HashSet::new();
        for field in Field::NUMBERS {
            if !self.columns.contains_key(&field) {
                continue;
            }
            let plain: Vec<Decimal> = parsed
                .iter()
                .filter(|row| self.unit_of(row) == Some(Unit::Percent))
                .flat_map(|row| row.raw.iter())
                .filter(|(f, raw)| *f == field && !raw.marked)
                .map(|(_, raw)| raw.value)
                .collect();
            let fractions_here = match fractions {
                Fractions::Yes => true,
                Fractions::No => false,
                Fractions::Auto => {
                    !plain.is_empty()
                        && plain
                            .iter()
                            .all(|v| *v >= Decimal::ZERO && *v <= Decimal::ONE)
                        && plain
                            .iter()
                            .any(|v| *v > Decimal::ZERO && *v < Decimal::ONE)
                }
            };
            if fractions_here {
                scaled.insert(field);
            }
            if let (true, Fractions::Auto, Some(&column)) =
                (fractions_here, fractions, self.columns.get(&field))
            {
                let problem = Problem::ReadAsFractions { count: plain.len() };
                let warning = problem.after(&format!("{}: ", self.table.column_place(column)));
                warnings.push(self.table.locate(warning, &self.table.header, Some(column)));
            }
        }
        scaled
    }

    fn unit_of(&self, row: &Parsed) -> Option<Unit> {
        match row.content.as_ref()? {
            Content::Metric {
                metric: Some(id), ..
            } => Some(self.catalogue.metric(*id).unit),
            _ => None,
        }
    }

    /// Second pass: the metric's numbers, fractions scaled, against its unit.
    fn check_numbers(&self, parsed: &mut Parsed, scaled: &HashSet<Field>) {
        let unit = self.unit_of(parsed);
        let row = parsed.row;
        let Some(Content::Metric {
            metric, numbers, ..
        }) = &mut parsed.content
        else {
            return;
        };
        for (field, raw) in &parsed.raw {
            let mut value = Some(raw.value);
            if unit == Some(Unit::Percent) && !raw.marked && scaled.contains(field) {
                value = raw
                    .value
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .map(|v| v.normalize());
            }
            // Held to the evidence loader's size limit, which the written file must pass.
            let (value, problem) = match value.map(|v| (v, crate::source::number::too_large(v))) {
                None => (
                    raw.value,
                    Some(Problem::TooLargeForPercentage { value: raw.value }),
                ),
                Some((value, Some(too_large))) => (value, Some(Problem::TooLarge(too_large))),
                Some((value, None)) => match metric {
                    Some(id) => (value, self.unit_problem(value, raw.marked, *id)),
                    None => (value, None),
                },
            };
            match problem {
                Some(problem) => parsed
                    .problems
                    .push(self.report(row, Some(raw.column), problem)),
                None => numbers.push((
                    *field,
                    Number {
                        value,
                        percent: match unit {
                            Some(unit) => unit == Unit::Percent,
                            None => raw.marked,
                        },
                    },
                )),
            }
        }
    }

    /// What is wrong with a value for a catalogue metric, by the evidence loader's rules,
    /// in words about the cell.
    fn unit_problem(&self, value: Decimal, marked: bool, id: MetricId) -> Option<Problem> {
        let entry = self.catalogue.metric(id);
        let metric = entry.name.clone();
        let unit = entry.unit.as_str();
        Some(match entry.unit_problem(value, marked)? {
            UnitProblem::PercentSign => Problem::PercentSign {
                value,
                metric,
                unit,
            },
            UnitProblem::Negative => Problem::Negative {
                value,
                metric,
                unit,
            },
            UnitProblem::OverHundred => Problem::OverHundred { value, metric },
            UnitProblem::NotWhole => Problem::NotWhole { value, metric },
            UnitProblem::OverMax(max) => Problem::OverMax { value, max, metric },
        })
    }

    /// The council: from the mapping, else from its column, which must say the same in
    /// every row.
    fn council(
        &self,
        parsed: &mut [Parsed],
    ) -> Result<(String, Option<String>, Option<String>), Vec<Diagnostic>> {
        let written = &self.mapping.written;
        let mut found: HashMap<Field, (String, u32)> = HashMap::new();
        for row in parsed.iter_mut() {
            for (field, column, text) in &row.council {
                let given = match field {
                    Field::Authority => written.authority.is_some(),
                    Field::Code => written.code.is_some(),
                    _ => written.as_of.is_some(),
                };
                if given {
                    continue;
                }
                match found.get(field) {
                    Some((first, first_row)) if first != text => {
                        row.problems.push(self.report(
                            row.row,
                            Some(*column),
                            Problem::CouncilDiffers {
                                given: text.clone(),
                                first: first.clone(),
                                first_row: *first_row,
                            },
                        ));
                    }
                    Some(_) => {}
                    None => {
                        found.insert(*field, (text.clone(), row.row.number));
                    }
                }
            }
        }
        let mut take = |field: Field| found.remove(&field).map(|(text, _)| text);
        let authority = match &written.authority {
            Some(authority) => Some(authority.value.trim().to_string()),
            None => take(Field::Authority),
        };
        let code = written.code.clone().or_else(|| take(Field::Code));
        let as_of = written.as_of.clone().or_else(|| take(Field::AsOf));
        match authority.filter(|a| !a.is_empty()) {
            Some(authority) => Ok((authority, code, as_of)),
            None => Err(vec![self.table.report_table(Problem::NoCouncil)]),
        }
    }

    /// Ids: the row's own (unique), else made from the statement and the metric or the
    /// finding's first words, with `-2`, `-3` on repeats.
    fn assign_ids(&self, parsed: &mut [Parsed]) {
        let mut owner: HashMap<String, u32> = HashMap::new();
        let column = self.columns.get(&Field::Id).copied();
        for row in parsed.iter_mut() {
            let Some(id) = &row.given_id else { continue };
            match owner.get(id) {
                Some(first) => row.problems.push(self.report(
                    row.row,
                    column,
                    Problem::RepeatedId {
                        id: id.clone(),
                        first_row: *first,
                    },
                )),
                None => {
                    owner.insert(id.clone(), row.row.number);
                }
            }
        }
        let mut taken: HashSet<String> = owner.into_keys().collect();
        // The next suffix to try for each made id: every one below it is taken, so a
        // table of thousands of rows of one metric is not searched from `-2` each time.
        let mut next: HashMap<String, u32> = HashMap::new();
        for row in parsed.iter_mut() {
            let given = row.given_id.clone();
            let Some(item) = &mut row.item else { continue };
            item.id = match given {
                Some(id) => id,
                None => {
                    let base = made_id(item);
                    let mut id = base.clone();
                    if taken.contains(&id) {
                        let n = next.entry(base.clone()).or_insert(2);
                        loop {
                            id = format!("{base}-{n}");
                            *n += 1;
                            if !taken.contains(&id) {
                                break;
                            }
                        }
                    }
                    taken.insert(id.clone());
                    id
                }
            };
        }
    }

    /// The same catalogue metric twice for one statement: rules read the first.
    fn warn_repeated_metrics(&self, parsed: &[Parsed], warnings: &mut Vec<Diagnostic>) {
        let mut first: HashMap<(&str, MetricId), u32> = HashMap::new();
        let column = self.columns.get(&Field::Metric).copied();
        for row in parsed.iter().filter(|row| row.problems.is_empty()) {
            let Some(item) = &row.item else { continue };
            let Content::Metric {
                metric: Some(id), ..
            } = &item.content
            else {
                continue;
            };
            for statement in &item.statements {
                match first.get(&(statement.as_str(), *id)) {
                    Some(earlier) => {
                        let problem = Problem::RepeatedMetric {
                            metric: self.catalogue.metric(*id).name.clone(),
                            statement: statement.clone(),
                            earlier: *earlier,
                        };
                        warnings.push(self.report(row.row, column, problem));
                    }
                    None => {
                        first.insert((statement.as_str(), *id), row.row.number);
                    }
                }
            }
        }
    }
}

/// A metric by name, alias or code, also as `ASCOF 1A` for the code `1A`. A code ASCOF
/// renumbered (`1B`) is read in the row's period where it gives a year (`2023-24`).
fn lookup(
    catalogue: &Catalogue,
    name: &str,
    year: Option<crate::pack::measure_codes::Year>,
) -> Option<MetricId> {
    let by_code = |code: &str| {
        catalogue
            .lookup(code)
            .or_else(|| year.and_then(|year| catalogue.by_code(code, year)))
    };
    by_code(name).or_else(|| {
        let trimmed = name.trim();
        let prefix = trimmed.get(..5)?;
        if !prefix.eq_ignore_ascii_case("ascof") {
            return None;
        }
        by_code(trimmed[5..].trim_start_matches([' ', ':', '-', '_']))
    })
}

/// `1,234` and `1,234.5` without their thousands separators; anything else as it is
/// (the number parser explains what is wrong with it).
fn without_thousands_separators(text: &str) -> String {
    let trimmed = text.trim();
    let body = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    let body = body.strip_suffix('%').unwrap_or(body).trim_end();
    let whole = body.split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = groups.clone().count() > 0
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if first_ok && rest_ok {
        trimmed.replace(',', "")
    } else {
        trimmed.to_string()
    }
}

/// Tags separated by `;`, or by `,` when there is no `;`.
fn tags_of(text: &str) -> Vec<String> {
    let separator = if text.contains(';') { ';' } else { ',' };
    text.split(separator)
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_string)
        .collect()
}

/// `assessing-needs-satisfied-with-care-and-support`: the first statement and the metric
/// (or the finding's first six words), lower case, words joined by `-`.
fn made_id(item: &ItemOut) -> String {
    let statement = item.statements.first().map_or("item", String::as_str);
    let what = match &item.content {
        Content::Metric { name, .. } => slug(name, 10),
        Content::Finding { text, .. } => slug(text, 6),
    };
    if what.is_empty() {
        statement.to_string()
    } else {
        format!("{statement}-{what}")
    }
}

/// At most `words` words of letters and digits, lower case, joined by `-`.
fn slug(text: &str, words: usize) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(words)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_go_only_where_they_are_well_placed() {
        assert_eq!(without_thousands_separators("1,234"), "1234");
        assert_eq!(without_thousands_separators("12,345,678.5"), "12345678.5");
        assert_eq!(without_thousands_separators("-1,234%"), "-1234%");
        assert_eq!(without_thousands_separators("1,23"), "1,23");
        assert_eq!(without_thousands_separators("1234,567"), "1234,567");
        assert_eq!(without_thousands_separators("63.5"), "63.5");
        assert_eq!(without_thousands_separators(",123"), ",123");
    }

    #[test]
    fn tags_split_on_semicolons_else_commas() {
        assert_eq!(
            tags_of("respite, unpaid carers"),
            ["respite", "unpaid carers"]
        );
        assert_eq!(tags_of("a, b; c"), ["a, b", "c"]);
        assert_eq!(tags_of(" ; "), Vec::<String>::new());
    }

    #[test]
    fn slugs_are_lower_case_words() {
        assert_eq!(
            slug("Supported living: sourced (within) timescale", 10),
            "supported-living-sourced-within-timescale"
        );
        assert_eq!(
            slug("People's views were mixed about respite care and more", 6),
            "people-s-views-were-mixed-about"
        );
    }
}
