//! A sheet as rows of cells, whatever file it came from. Every cell can say where it is:
//! the file, the sheet (of a workbook), its 1-based row, its column letter and the header
//! above it, and for a CSV file its place in the text, so a problem points at it.

use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::source::diagnostic::{Diagnostic, SourceFile, Worded};

use super::problem::Problem;

/// Most cells (filled ones, and the blank ones inside the table's rectangle) in one table:
/// a council's evidence is a few hundred rows of a dozen columns.
pub const MAX_TABLE_CELLS: usize = 2_000_000;

/// What a cell holds, as read.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Empty,
    /// Text, trimmed: every cell of a CSV file, and text cells of a workbook.
    Text(String),
    /// A number stored as a number in a workbook, exactly as its shortest decimal text.
    Number {
        value: Decimal,
        /// Its number format shows it as a percentage (`0.0%`): 0.635 is shown as 63.5%.
        percent_format: bool,
    },
    Bool(bool),
    /// A date or time: the workbook formats the number as one.
    Date,
    /// An Excel error value such as `#DIV/0!` or `#N/A`.
    Error(String),
    /// A number that has no exact decimal within 28 significant digits, with why.
    Unreadable(String),
}

impl CellValue {
    pub fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(text) => text.is_empty(),
            _ => false,
        }
    }
}

/// One cell: its value and, in a CSV file, the bytes of its field.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub value: CellValue,
    pub span: Option<Range<usize>>,
}

impl Cell {
    pub fn empty() -> Cell {
        Cell {
            value: CellValue::Empty,
            span: None,
        }
    }
}

/// One row of the sheet, numbered as a spreadsheet shows it (from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<Cell>,
    /// Where the row starts in a CSV file's text.
    pub start: Option<usize>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.value.is_empty())
    }

    pub fn cell(&self, column: usize) -> Option<&Cell> {
        self.cells.get(column)
    }
}

/// A table read from a file: the header row and the rows below it.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file as the user named it.
    pub file: String,
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
    /// The text, for a CSV file, so problems can be shown in place.
    pub source: Option<Arc<SourceFile>>,
    /// The absolute 0-based column of the table's first column (a sheet may start at C).
    pub first_column: u32,
    /// The header of each column, trimmed (empty when the column has none).
    pub headers: Vec<String>,
    /// The header row itself, for its number and (in a CSV file) where its cells are.
    pub header: Row,
    /// The rows below the header, blank ones included.
    pub rows: Vec<Row>,
}

/// Where a cell or row is, in words: `row 7, column C (value)`, with the sheet for a
/// workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub sheet: Option<String>,
    pub row: u32,
    /// The column letter and header, when the place is a cell.
    pub column: Option<(String, String)>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(sheet) = &self.sheet {
            write!(f, "sheet \"{sheet}\", ")?;
        }
        write!(f, "row {}", self.row)?;
        match &self.column {
            Some((letter, header)) if header.is_empty() => write!(f, ", column {letter}"),
            Some((letter, header)) => write!(f, ", column {letter} ({header})"),
            None => Ok(()),
        }
    }
}

impl Table {
    /// Splits rows into the header and what follows it: the header is `header_row` when
    /// given (1-based, as the sheet numbers rows), else the first row with a cell that
    /// `is_header` knows (so a title above the table is passed over), else the first row
    /// that is not blank.
    pub fn from_rows(
        file: String,
        sheet: Option<String>,
        source: Option<Arc<SourceFile>>,
        first_column: u32,
        rows: Vec<Row>,
        header_row: Option<u32>,
        is_header: &dyn Fn(&str) -> bool,
    ) -> Result<Table, Diagnostic> {
        let header_row = header_row.or_else(|| {
            rows.iter()
                .find(|row| {
                    row.cells
                        .iter()
                        .any(|cell| matches!(&cell.value, CellValue::Text(text) if is_header(text)))
                })
                .map(|row| row.number)
        });
        let index = match header_row {
            Some(wanted) => rows
                .iter()
                .position(|row| row.number == wanted && !row.is_blank())
                .ok_or_else(|| {
                    Problem::EmptyHeaderRow {
                        row: wanted,
                        file: file.clone(),
                        sheet: sheet.clone(),
                    }
                    .unplaced()
                })?,
            None => rows.iter().position(|row| !row.is_blank()).ok_or_else(|| {
                Problem::NoTable {
                    file: file.clone(),
                    sheet: sheet.clone(),
                }
                .unplaced()
            })?,
        };
        let mut rows = rows;
        let rest = rows.split_off(index + 1);
        let header = rows.pop().unwrap_or(Row {
            number: 0,
            cells: Vec::new(),
            start: None,
        });
        let width = rest
            .iter()
            .map(|row| row.cells.len())
            .chain([header.cells.len()])
            .max()
            .unwrap_or(0);
        let mut headers: Vec<String> = header
            .cells
            .iter()
            .map(|cell| match &cell.value {
                CellValue::Text(text) => text.clone(),
                CellValue::Number { value, .. } => value.to_string(),
                CellValue::Bool(value) => value.to_string(),
                _ => String::new(),
            })
            .collect();
        headers.resize(width, String::new());
        Ok(Table {
            file,
            sheet,
            source,
            first_column,
            headers,
            header,
            rows: rest,
        })
    }

    /// The letter of a column of the table (0 is the table's first column): `A`, `Z`,
    /// `AA`, as the spreadsheet labels it.
    pub fn letter(&self, column: usize) -> String {
        column_letter(self.first_column as usize + column)
    }

    /// Where a row, or a cell of it, is.
    pub fn place(&self, row: &Row, column: Option<usize>) -> Place {
        Place {
            sheet: self.sheet.clone(),
            row: row.number,
            column: column.map(|column| {
                (
                    self.letter(column),
                    self.headers.get(column).cloned().unwrap_or_default(),
                )
            }),
        }
    }

    /// Where a column is, in words: `column E (LA value)`, after the sheet of a workbook.
    pub fn column_place(&self, column: usize) -> String {
        let sheet = match &self.sheet {
            Some(sheet) => format!("sheet \"{sheet}\", "),
            None => String::new(),
        };
        match self.headers.get(column).map(String::as_str) {
            None | Some("") => format!("{sheet}column {}", self.letter(column)),
            Some(header) => format!("{sheet}column {} ({header})", self.letter(column)),
        }
    }

    /// The sheet of a workbook, as a message starts: `sheet "Metrics": `.
    pub fn sheet_prefix(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet \"{sheet}\": "),
            None => String::new(),
        }
    }

    /// `A (Metric), B (Value), ...`: the headers, for messages.
    pub fn header_list(&self) -> String {
        let named: Vec<String> = self
            .headers
            .iter()
            .enumerate()
            .filter(|(_, header)| !header.is_empty())
            .map(|(column, header)| format!("{} ({header})", self.letter(column)))
            .collect();
        if named.is_empty() {
            "none".to_string()
        } else {
            named.join(", ")
        }
    }

    /// A problem about a row, or a cell of it: `row 7, column C (value): message`, pointing
    /// at the cell in a CSV file and naming the file (and sheet) of a workbook.
    pub(crate) fn report(&self, row: &Row, column: Option<usize>, problem: Problem) -> Diagnostic {
        let place = self.place(row, column);
        self.locate(problem.after(&format!("{place}: ")), row, column)
    }

    /// Points a diagnostic at a cell (or a row's start) of a CSV file, or names the
    /// workbook it is in.
    pub fn locate(&self, diagnostic: Diagnostic, row: &Row, column: Option<usize>) -> Diagnostic {
        let span = column
            .and_then(|column| row.cell(column))
            .and_then(|cell| cell.span.clone())
            .or_else(|| row.start.map(|start| start..start));
        match (&self.source, span) {
            (Some(source), Some(span)) => diagnostic.at(source, span),
            (Some(source), None) => diagnostic.in_file(source),
            (None, _) => diagnostic.in_file(&SourceFile::new(self.file.clone(), String::new())),
        }
    }

    /// A problem about the table as a whole, naming its file (and sheet).
    pub(crate) fn report_table(&self, problem: Problem) -> Diagnostic {
        let diagnostic = problem.after(&self.sheet_prefix());
        match &self.source {
            Some(source) => diagnostic.in_file(source),
            None => diagnostic.in_file(&SourceFile::new(self.file.clone(), String::new())),
        }
    }
}

/// The spreadsheet letter of a 0-based column: 0 is `A`, 25 `Z`, 26 `AA`.
pub fn column_letter(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let remainder = (n - 1) % 26;
        letters.push(char::from(b'A' + remainder as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The exact decimal a float stands for as people read it: its shortest text that reads
/// back as the same float (`0.635`, not 0.63500000000000000888...), never through
/// [`Decimal::from_f64`], which rounds differently. Rust prints floats without exponents,
/// so `1e-7` is `0.0000001`. `None` (with why) for NaN, infinities and numbers that need
/// more than 28 significant digits or decimal places.
pub fn decimal_from_float(float: f64) -> Result<Decimal, String> {
    if !float.is_finite() {
        return Err(format!("`{float}` is not a number"));
    }
    let text = format!("{float}");
    Decimal::from_str_exact(&text).map_err(|_| {
        format!(
            "`{float}` has more digits than can be held exactly (28 significant digits at most)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_spreadsheets_do() {
        let letters: Vec<String> = [0, 25, 26, 51, 701, 702].map(column_letter).into();
        assert_eq!(letters, ["A", "Z", "AA", "AZ", "ZZ", "AAA"]);
    }

    #[test]
    fn column_letters_run_as_a_spreadsheet_labels_them() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }

    #[test]
    fn floats_become_their_shortest_exact_decimal() {
        let exact = |float: f64| decimal_from_float(float).map(|d| d.to_string());
        assert_eq!(exact(0.635), Ok("0.635".to_string()));
        assert_eq!(exact(0.1 + 0.2), Ok("0.30000000000000004".to_string()));
        assert_eq!(exact(1e-7), Ok("0.0000001".to_string()));
        assert_eq!(exact(63.5), Ok("63.5".to_string()));
        assert_eq!(exact(874.0), Ok("874".to_string()));
        assert_eq!(exact(-0.25), Ok("-0.25".to_string()));
        assert_eq!(exact(0.07), Ok("0.07".to_string()));
        // Times 100 stays exact in decimal: 0.635 is 63.5, not 63.49999999999999.
        let percent = decimal_from_float(0.635).map(|d| (d * Decimal::ONE_HUNDRED).normalize());
        assert_eq!(percent, Ok(Decimal::new(635, 1)));
        assert!(decimal_from_float(f64::NAN).is_err());
        assert!(decimal_from_float(f64::INFINITY).is_err());
        assert!(decimal_from_float(1e-30).is_err());
        assert!(decimal_from_float(1e30).is_err());
    }
}
