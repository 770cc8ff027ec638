//! Which column of a table holds which evidence field, whether the table has the columns
//! it needs, and the mapping's defaults that stand in for missing ones. Problems here are
//! about the table as a whole, so they are all reported at once before any row is read.

use std::collections::{BTreeMap, HashSet};

use crate::lang::ast::Category;
use crate::pack::framework::Framework;
use crate::source::diagnostic::{Diagnostic, did_you_mean, nearest};

use super::mapping::{Field, Mapping, normalise_header};
use super::names::{category_of, statements_of};
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
    let where_ = match &table.sheet {
        Some(sheet) => format!("sheet \"{sheet}\" of `{}`", table.file),
        None => format!("`{}`", table.file),
    };
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
                    errors.push(mapping.error_at(
                        named,
                        format!(
                            "column {} ({}) is already named for `{}`",
                            table.letter(column),
                            table.headers[column],
                            other.name()
                        ),
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
                errors.push(
                    mapping
                        .error_at(
                            named,
                            format!(
                                "{where_} has no column headed `{}` (its headers are in row {})",
                                named.value.trim(),
                                table.header.number
                            ),
                        )
                        .with_help(help),
                );
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
                    errors.push(
                        table
                            .table_error(format!(
                                "columns {} ({}) and {} ({}) could both be the {}",
                                table.letter(first),
                                table.headers[first],
                                table.letter(column),
                                header,
                                field.name()
                            ))
                            .with_help(format!(
                                "name the one to read in a mapping file (`--map`): `columns: {{{}: {}}}`",
                                field.name(),
                                table.headers[first]
                            )),
                    );
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
        let warning = Diagnostic::warning(format!(
            "{}{} not read: {}",
            table.sheet_prefix(),
            if unread.len() == 1 { "this column is" } else { "these columns are" },
            names.join(", ")
        ))
        .with_help(
            "a column is read when its header names an evidence field (docs/import.md), or a mapping file's `columns:` names it",
        );
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
    let headers = format!(
        "the headers (row {}) are: {}",
        table.header.number,
        table.header_list()
    );
    let missing = |what: &str, help: String| {
        table
            .table_error(format!("no column holds {what}; {headers}"))
            .with_help(help)
    };
    let has = |field: Field| columns.contains_key(&field);
    if !has(Field::Metric) && !has(Field::Finding) {
        errors.push(missing(
            "the metric or the finding",
            "head the column `metric` (or `measure`, `indicator`), or `finding`, or name it in a mapping file: `columns: {metric: <header>}`".to_string(),
        ));
    }
    if has(Field::Metric) && !has(Field::Value) {
        errors.push(missing(
            "the metrics' values",
            "head the column `value` (or `council value`, `la value`, `result`), or name it in a mapping file: `columns: {value: <header>}`".to_string(),
        ));
    }
    if has(Field::Finding) && !has(Field::Sentiment) {
        errors.push(missing(
            "the findings' sentiment",
            "add a column `sentiment` of `positive`, `negative` or `mixed`".to_string(),
        ));
    }
    let written = &mapping.written.defaults;
    let defaults = check_defaults(mapping, framework);
    if !has(Field::Statement) && written.statement.is_none() {
        errors.push(missing(
            "the quality statement",
            "add a column `statement`, or give every row one in a mapping file: `defaults: {statement: <id>}`".to_string(),
        ));
    }
    if !has(Field::Category) && written.category.is_none() {
        errors.push(missing(
            "the evidence category",
            "add a column `category`, or give every row one in a mapping file: `defaults: {category: outcomes}`".to_string(),
        ));
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
            Err((message, help)) => {
                errors.push(mapping.error_at(text, message).with_help(help));
                None
            }
        },
        None => None,
    };
    let category = match &written.category {
        Some(text) => match category_of(&text.value) {
            Ok(category) => Some(category),
            Err((message, help)) => {
                errors.push(mapping.error_at(text, message).with_help(help));
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
