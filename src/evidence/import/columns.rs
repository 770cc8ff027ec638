//! Which column of a table holds which evidence field, whether the table has the columns
//! it needs, and the mapping's defaults that stand in for missing ones. Problems here are
//! about the table as a whole, so they are all reported at once before any row is read.

use std::collections::{BTreeMap, HashSet};

use crate::lang::ast::Category;
use crate::pack::framework::Framework;
use crate::source::diagnostic::{Diagnostic, did_you_mean, nearest};

use super::mapping::{Field, Mapping, normalise_header};
use super::names::{category_of, statements_of};
use super::problem::{Needed, Problem};
use super::table::Table;

/// Which column holds each field: the mapping's `columns:` first, then headers recognised
/// by their names. Columns that hold no field are named in one warning.
pub(super) fn resolve_columns(
    table: &Table,
    mapping: &Mapping,
    warnings: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<Field, usize>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut columns: BTreeMap<Field, usize> = BTreeMap::new();
    for field in Field::ALL {
        let Some(named) = mapping.written.columns.get(field) else {
            continue;
        };
        let wanted = normalise_header(&named.value);
        let found = table
            .headers
            .iter()
            .position(|header| header.trim() == named.value.trim())
            .or_else(|| {
                table
                    .headers
                    .iter()
                    .position(|header| !header.is_empty() && normalise_header(header) == wanted)
            });
        match found {
            Some(column) => {
                if let Some((other, _)) = columns.iter().find(|(_, c)| **c == column) {
                    errors.push(mapping.report_at(
                        named,
                        Problem::ColumnNamedTwice {
                            letter: table.letter(column),
                            header: table.headers[column].clone(),
                            field: other.name(),
                        },
                    ));
                } else {
                    columns.insert(field, column);
                }
            }
            None => {
                let headers: Vec<&str> = table
                    .headers
                    .iter()
                    .filter(|h| !h.is_empty())
                    .map(String::as_str)
                    .collect();
                let help = did_you_mean(&nearest(&named.value, headers.iter().copied(), 2))
                    .unwrap_or_else(|| format!("the headers are: {}", table.header_list()));
                errors.push(mapping.report_at(
                    named,
                    Problem::NoColumnHeaded {
                        file: table.file.clone(),
                        sheet: table.sheet.clone(),
                        header: named.value.trim().to_string(),
                        header_row: table.header.number,
                        help,
                    },
                ));
            }
        }
    }
    let mapped: HashSet<usize> = columns.values().copied().collect();
    let mut recognised: BTreeMap<Field, usize> = BTreeMap::new();
    let mut unread = Vec::new();
    for (column, header) in table.headers.iter().enumerate() {
        if mapped.contains(&column) {
            continue;
        }
        let field = Field::for_header(header);
        match field {
            Some(field) if columns.contains_key(&field) => unread.push(column),
            Some(field) => {
                if let Some(&first) = recognised.get(&field) {
                    errors.push(table.report_table(Problem::TwoColumnsForField {
                        first_letter: table.letter(first),
                        first_header: table.headers[first].clone(),
                        letter: table.letter(column),
                        header: header.clone(),
                        field: field.name(),
                    }));
                } else {
                    recognised.insert(field, column);
                }
            }
            None => {
                let has_data = table
                    .rows
                    .iter()
                    .any(|row| row.cell(column).is_some_and(|cell| !cell.value.is_empty()));
                if !header.is_empty() || has_data {
                    unread.push(column);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    columns.extend(recognised);
    if !unread.is_empty() {
        let names: Vec<String> = unread
            .iter()
            .map(|&column| match table.headers[column].as_str() {
                "" => format!("{} (no header)", table.letter(column)),
                header => format!("{} ({header})", table.letter(column)),
            })
            .collect();
        let warning = Problem::ColumnsNotRead { columns: names }.after(&table.sheet_prefix());
        warnings.push(table.locate(warning, &table.header, unread.first().copied()));
    }
    Ok(columns)
}

/// Defaults from the mapping, checked.
pub(super) struct Defaults {
    pub statements: Option<Vec<String>>,
    pub category: Option<Category>,
}

/// The columns every table needs, and the defaults standing in for them.
pub(super) fn check_required(
    table: &Table,
    mapping: &Mapping,
    columns: &BTreeMap<Field, usize>,
    framework: &Framework,
) -> Result<Defaults, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let missing = |needed: Needed| {
        table.report_table(Problem::MissingColumn {
            needed,
            header_row: table.header.number,
            headers: table.header_list(),
        })
    };
    let has = |field: Field| columns.contains_key(&field);
    if !has(Field::Metric) && !has(Field::Finding) {
        errors.push(missing(Needed::MetricOrFinding));
    }
    if has(Field::Metric) && !has(Field::Value) {
        errors.push(missing(Needed::Value));
    }
    if has(Field::Finding) && !has(Field::Sentiment) {
        errors.push(missing(Needed::Sentiment));
    }
    let written = &mapping.written.defaults;
    let defaults = check_defaults(mapping, framework);
    if !has(Field::Statement) && written.statement.is_none() {
        errors.push(missing(Needed::Statement));
    }
    if !has(Field::Category) && written.category.is_none() {
        errors.push(missing(Needed::Category));
    }
    match defaults {
        Ok(defaults) if errors.is_empty() => Ok(defaults),
        Ok(_) => Err(errors),
        Err(more) => {
            errors.extend(more);
            Err(errors)
        }
    }
}

/// The mapping's default statement and category, checked against the framework.
pub(super) fn check_defaults(
    mapping: &Mapping,
    framework: &Framework,
) -> Result<Defaults, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let written = &mapping.written.defaults;
    let statements = match &written.statement {
        Some(text) => match statements_of(&text.value, framework) {
            Ok(ids) => Some(ids),
            Err(problem) => {
                errors.push(mapping.report_at(text, problem));
                None
            }
        },
        None => None,
    };
    let category = match &written.category {
        Some(text) => match category_of(&text.value) {
            Ok(category) => Some(category),
            Err(problem) => {
                errors.push(mapping.report_at(text, problem));
                None
            }
        },
        None => None,
    };
    if errors.is_empty() {
        Ok(Defaults {
            statements,
            category,
        })
    } else {
        Err(errors)
    }
}
