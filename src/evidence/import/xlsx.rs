//! Excel workbooks (.xlsx) into a [`Table`], through calamine. Numbers arrive as floats and
//! become exact decimals through their shortest text; each number also says whether its
//! cell's number format shows it as a percentage, so 0.635 formatted `0.0%` is read as the
//! 63.5% Excel shows. Cells are read one at a time, and a workbook that would unpack or
//! spread too large is refused before it can take the memory.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::source::diagnostic::{Diagnostic, SourceFile, Worded, did_you_mean, nearest};

use super::problem::Problem;
use super::table::{Cell, CellValue, MAX_TABLE_CELLS, Row, Table, decimal_from_float};

/// Most bytes a workbook may unpack to (all its parts, as its zip directory declares them;
/// the zip reader refuses to unpack more than is declared). A sheet of 10,000 rows by 20
/// columns is about 10 MiB.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Reads one sheet of a workbook: `sheet`, or the first.
pub fn read(
    path: &Path,
    name: &str,
    sheet: Option<&str>,
    header_row: Option<u32>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<Table, Diagnostic> {
    let bytes = read_capped(path, name)?;
    check_unpacked_size(&bytes, name)?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|error| not_a_workbook(name, &error))?;
    let names = book.sheet_names();
    let chosen = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .cloned()
            .ok_or_else(|| unknown_sheet(name, wanted, &names))?,
        None => names.first().cloned().ok_or_else(|| {
            Problem::NoSheets {
                file: name.to_string(),
            }
            .unplaced()
        })?,
    };
    let cells = read_cells(&mut book, name, &chosen)?;
    let header_row = header_row.or_else(|| header_row_of(&cells, is_header));
    if sheet.is_none() && header_row.is_none() {
        // A workbook often opens on a cover page: point to the sheets that hold a table.
        let tables: Vec<&String> = names
            .iter()
            .skip(1)
            .filter(|other| {
                read_cells(&mut book, name, other)
                    .is_ok_and(|cells| header_row_of(&cells, is_header).is_some())
            })
            .collect();
        if !tables.is_empty() {
            return Err(cover_sheet(name, &chosen, &tables));
        }
    }
    let (first_column, rows) = rows_of(cells, header_row, name, &chosen)?;
    Table::from_rows(
        name.to_string(),
        Some(chosen),
        None,
        first_column,
        rows,
        header_row,
        is_header,
    )
}

/// The file's bytes, within the input file limit.
fn read_capped(path: &Path, name: &str) -> Result<Vec<u8>, Diagnostic> {
    crate::source::files::read_bytes(path, name)
}

/// Refuses a workbook whose parts add up to more than [`MAX_UNPACKED_BYTES`]: a small file
/// can unpack to gigabytes.
fn check_unpacked_size(bytes: &[u8], name: &str) -> Result<(), Diagnostic> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // Not a zip at all: calamine says so in its own words.
        return Ok(());
    };
    let mut total = 0u64;
    for index in 0..archive.len() {
        let size = archive
            .by_index_raw(index)
            .map(|file| file.size())
            .unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(Problem::UnpacksTooLarge {
            file: name.to_string(),
            mib: total / (1024 * 1024),
            limit_mib: MAX_UNPACKED_BYTES / (1024 * 1024),
        }
        .unplaced());
    }
    Ok(())
}

fn not_a_workbook(name: &str, error: &calamine::XlsxError) -> Diagnostic {
    let reason = match error {
        calamine::XlsxError::Password => "it is protected by a password".to_string(),
        other => other.to_string(),
    };
    Problem::NotAWorkbook {
        file: name.to_string(),
        reason,
    }
    .unplaced()
}

/// The first sheet has no header row of evidence fields, and `tables` are the sheets that do.
fn cover_sheet(name: &str, first_sheet: &str, tables: &[&String]) -> Diagnostic {
    Problem::CoverSheet {
        file: name.to_string(),
        first_sheet: first_sheet.to_string(),
        tables: tables.iter().map(|n| n.to_string()).collect(),
    }
    .unplaced()
}

fn unknown_sheet(name: &str, wanted: &str, names: &[String]) -> Diagnostic {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let near = nearest(wanted, names.iter().map(String::as_str), 2);
    let list = format!("the sheets are: {}", quoted.join(", "));
    let help = match did_you_mean(&near) {
        Some(guess) => format!("{guess} ({list})"),
        None => list,
    };
    Problem::UnknownSheet {
        wanted: wanted.to_string(),
        help,
    }
    .in_file(&SourceFile::new(name, String::new()))
}

/// Every filled cell of a sheet by (row, column), 0-based as calamine counts.
fn read_cells(
    book: &mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    sheet: &str,
) -> Result<BTreeMap<(u32, u32), CellValue>, Diagnostic> {
    let broken = |error: calamine::XlsxError| {
        Problem::UnreadableSheet {
            file: name.to_string(),
            sheet: sheet.to_string(),
            error: error.to_string(),
        }
        .unplaced()
    };
    let mut reader = book.worksheet_cells_reader(sheet).map_err(broken)?;
    let percent_styles: Vec<bool> = reader
        .styles()
        .iter()
        .map(|style| {
            style
                .number_format
                .as_ref()
                .is_some_and(|format| is_percent_format(&format.format_code))
        })
        .collect();
    let mut cells = BTreeMap::new();
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(broken)? {
        let percent_format = percent_styles.get(style).copied().unwrap_or(false);
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(text) => text_value(text),
            DataRef::SharedString(text) => text_value(text),
            DataRef::Int(int) => CellValue::Number {
                value: (*int).into(),
                percent_format,
            },
            DataRef::Float(float) => match decimal_from_float(*float) {
                Ok(value) => CellValue::Number {
                    value,
                    percent_format,
                },
                Err(why) => CellValue::Unreadable(why),
            },
            DataRef::Bool(value) => CellValue::Bool(*value),
            DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
                CellValue::Date
            }
            DataRef::Error(error) => CellValue::Error(error.to_string()),
        };
        if value.is_empty() {
            continue;
        }
        if cells.len() >= MAX_TABLE_CELLS {
            return Err(too_many_cells(name, sheet));
        }
        cells.insert(cell.get_position(), value);
    }
    Ok(cells)
}

fn text_value(text: &str) -> CellValue {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        CellValue::Empty
    } else {
        CellValue::Text(trimmed.to_string())
    }
}

fn too_many_cells(name: &str, sheet: &str) -> Diagnostic {
    Problem::SheetTooManyCells {
        file: name.to_string(),
        sheet: sheet.to_string(),
        limit: MAX_TABLE_CELLS,
    }
    .unplaced()
}

/// The first row (1-based) with a text cell `is_header` knows.
fn header_row_of(
    cells: &BTreeMap<(u32, u32), CellValue>,
    is_header: &dyn Fn(&str) -> bool,
) -> Option<u32> {
    cells
        .iter()
        .find(|(_, value)| matches!(value, CellValue::Text(text) if is_header(text)))
        .map(|(&(row, _), _)| row + 1)
}

/// The sheet's rows, dense within the columns of the header row (a cell outside them has
/// no header, so nothing could read it), with the absolute column the table starts at.
fn rows_of(
    cells: BTreeMap<(u32, u32), CellValue>,
    header_row: Option<u32>,
    name: &str,
    sheet: &str,
) -> Result<(u32, Vec<Row>), Diagnostic> {
    let header = match header_row {
        Some(row) => row.saturating_sub(1),
        None => cells.keys().next().map_or(0, |(row, _)| *row),
    };
    let header_columns = cells
        .range((header, 0)..=(header, u32::MAX))
        .map(|(&(_, column), _)| column);
    let (first, last) = header_columns.fold((u32::MAX, 0), |(first, last), column| {
        (first.min(column), last.max(column))
    });
    if first > last {
        // No header row: let the table say so in its own words.
        return Ok((0, Vec::new()));
    }
    let width = (last - first + 1) as usize;
    let mut rows: Vec<Row> = Vec::new();
    let mut dense = 0usize;
    for ((row, column), value) in cells {
        if column < first || column > last {
            continue;
        }
        if rows.last().is_none_or(|last| last.number != row + 1) {
            dense += width;
            if dense > MAX_TABLE_CELLS {
                return Err(too_many_cells(name, sheet));
            }
            rows.push(Row {
                number: row + 1,
                cells: vec![Cell::empty(); width],
                start: None,
            });
        }
        if let Some(last) = rows.last_mut() {
            last.cells[(column - first) as usize].value = value;
        }
    }
    Ok((first, rows))
}

/// Whether an Excel number format shows a number as a percentage: a `%` in its first
/// section that is not quoted (`0.0"%"` shows the number as it is, with a % after it),
/// escaped (`\%`), a fill or space character (`*%`, `_%`) or inside brackets.
pub fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => return true,
            ';' => return false,
            '"' => {
                for quoted in chars.by_ref() {
                    if quoted == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for bracketed in chars.by_ref() {
                    if bracketed == ']' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::is_percent_format;

    #[test]
    fn percent_formats_are_told_from_formats_that_only_print_a_percent_sign() {
        for code in [
            "0%",
            "0.00%",
            "0.0%;-0.0%",
            "#,##0.0%",
            "[Red]0.0%",
            "0.0 %",
        ] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in [
            "General",
            "0.0",
            "0.0\"%\"",
            "0.0\\%",
            "0.0_%",
            "0.0*%",
            "[$%-809]0.0",
            "0.0;0.0%",
            "@",
        ] {
            assert!(!is_percent_format(code), "{code}");
        }
    }
}
