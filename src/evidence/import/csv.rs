//! CSV files into a [`Table`]: values through the `csv` crate, and for every field the
//! bytes it spans in the file, so a problem is shown in place with its line and column.

use std::ops::Range;
use std::sync::Arc;

use crate::source::diagnostic::{Diagnostic, SourceFile, Worded};

use super::problem::Problem;
use super::table::{Cell, CellValue, MAX_TABLE_CELLS, Row, Table};

/// Reads a CSV file's text (already read within the input limits) as a table. Rows are
/// numbered as a spreadsheet shows them: blank lines count, and a quoted field spanning
/// several lines is still one row.
pub fn read(
    source: &Arc<SourceFile>,
    header_row: Option<u32>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<Table, Diagnostic> {
    let text = source.text.as_str();
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line breaks inside quoted fields so far: lines that are not rows of their own.
    let mut inner_breaks = 0u32;
    let mut cells_read = 0usize;
    for record in reader.records() {
        let record = record.map_err(|error| {
            let at = error.position().map_or(0, |p| p.byte() as usize);
            Problem::NotCsv {
                error: error.to_string(),
            }
            .at(source, at..at)
        })?;
        // The reader's position is where it began reading the record, before the line
        // ends (and blank lines) it skipped on the way.
        let skipped = record.position().map_or(0, |p| p.byte() as usize);
        let start = text[skipped..]
            .find(|c| c != '\r' && c != '\n')
            .map_or(text.len(), |offset| skipped + offset);
        let spans = field_spans(text, start)
            .map_err(|quote| Problem::UnclosedQuote.at(source, quote..quote + 1))?;
        let (line, _) = source.line_column(start);
        let end = spans.last().map_or(start, |span| span.end);
        let number = (line as u32).saturating_sub(inner_breaks);
        inner_breaks += text[start..end].matches('\n').count() as u32;
        cells_read += record.len();
        if cells_read > MAX_TABLE_CELLS {
            return Err(Problem::TooManyCells {
                limit: MAX_TABLE_CELLS,
            }
            .at(source, start..start));
        }
        let spans_fit = spans.len() == record.len();
        let cells = record
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let trimmed = field.trim();
                Cell {
                    value: if trimmed.is_empty() {
                        CellValue::Empty
                    } else {
                        CellValue::Text(trimmed.to_string())
                    },
                    span: spans_fit
                        .then(|| spans[index].clone())
                        .map(|span| tighten(text, span)),
                }
            })
            .collect();
        rows.push(Row {
            number,
            cells,
            start: Some(start),
        });
    }
    Table::from_rows(
        source.name.clone(),
        None,
        Some(Arc::clone(source)),
        0,
        rows,
        header_row,
        is_header,
    )
}

/// The byte range of each field of the record that starts at `start`, quotes included,
/// under the reader's defaults (comma, `"` quotes doubled inside quotes, records ended by
/// `\n`, `\r\n` or `\r`). `Err` with the offset of a quote that is never closed.
fn field_spans(text: &str, start: usize) -> Result<Vec<Range<usize>>, usize> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut at = start;
    loop {
        let field_start = at;
        if bytes.get(at) == Some(&b'"') {
            let opening = at;
            at += 1;
            loop {
                match bytes.get(at) {
                    None => return Err(opening),
                    Some(b'"') if bytes.get(at + 1) == Some(&b'"') => at += 2,
                    Some(b'"') => {
                        at += 1;
                        break;
                    }
                    Some(_) => at += 1,
                }
            }
        }
        // Unquoted text, or anything after a closing quote, runs to the delimiter.
        while let Some(&byte) = bytes.get(at) {
            if matches!(byte, b',' | b'\n' | b'\r') {
                break;
            }
            at += 1;
        }
        spans.push(field_start..at);
        if bytes.get(at) == Some(&b',') {
            at += 1;
        } else {
            return Ok(spans);
        }
    }
}

/// A field's span without the spaces around its value, so the marker sits under it; an
/// empty field keeps its (empty) place.
fn tighten(text: &str, span: Range<usize>) -> Range<usize> {
    let field = &text[span.clone()];
    let leading = field.len() - field.trim_start().len();
    let trailing = field.len() - field.trim_end().len();
    if leading + trailing >= field.len() {
        return span.start..span.start;
    }
    span.start + leading..span.end - trailing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        read(&SourceFile::new("t.csv", text), None, &|_| false).expect("reads")
    }

    fn texts(row: &Row) -> Vec<String> {
        row.cells
            .iter()
            .map(|cell| match &cell.value {
                CellValue::Text(text) => text.clone(),
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn fields_know_their_place_in_the_file() {
        let text = "metric,value\n\"a, quoted\"\"name\", 63% \r\n\nb,\"two\nlines\"\nc,7\n";
        let table = table(text);
        assert_eq!(table.headers, ["metric", "value"]);
        assert_eq!(table.header.number, 1);
        let numbers: Vec<u32> = table.rows.iter().map(|row| row.number).collect();
        // The blank line is row 3 (and not a record); `two\nlines` is one row.
        assert_eq!(numbers, [2, 4, 5]);
        assert_eq!(texts(&table.rows[0]), ["a, quoted\"name", "63%"]);
        let span = table.rows[0].cells[1].span.clone().expect("span");
        assert_eq!(&text[span], "63%");
        let span = table.rows[0].cells[0].span.clone().expect("span");
        assert_eq!(&text[span], "\"a, quoted\"\"name\"");
        let span = table.rows[2].cells[1].span.clone().expect("span");
        assert_eq!(&text[span], "7");
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_the_quote() {
        let source = SourceFile::new("t.csv", "metric,value\nx,\"63\n");
        let error = read(&source, None, &|_| false).expect_err("unclosed");
        assert_eq!(error.span, Some(15..16));
    }

    #[test]
    fn the_header_row_can_be_named() {
        let source = SourceFile::new("t.csv", "Staffordshire metrics\n\nmetric,value\nx,1\n");
        let table = read(&source, Some(3), &|_| false).expect("reads");
        // Found by its headers, past the title.
        let found = read(&source, None, &|text| text == "metric").expect("reads");
        assert_eq!(found.header.number, 3);
        assert_eq!(table.headers, ["metric", "value"]);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].number, 4);
        assert!(read(&source, Some(2), &|_| false).is_err());
    }
}
