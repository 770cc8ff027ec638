//! Every problem importing a table or a national ASCOF file reports, as data: the importer
//! builds a [`Problem`] where it finds one and turns it into a [`Diagnostic`] where the file
//! and span are known ([`Worded::at`](crate::source::diagnostic::Worded::at), or a table's
//! `report`, which puts the row and column before the message), so each message is worded
//! once, here.

use rust_decimal::Decimal;

use crate::pack::catalogue::UnitProblem;
use crate::pack::measure_codes::Year;
use crate::source::diagnostic::{Diagnostic, Severity, Worded};
use crate::source::number::NotANumber;

const BUG_HELP: &str = "this is a bug in `assure import`; please report it with the table";
const NAME_A_COUNCIL: &str = "name one with `--authority NAME` (or its ONS code), or write every council's file with `--all -o DIR`";

/// A column every table of evidence needs, when none holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Needed {
    MetricOrFinding,
    Value,
    Sentiment,
    Statement,
    Category,
}

/// A problem importing a table. `file` is the file as the user named it; `sheet` a
/// workbook's sheet; `field` an evidence field's name; `letter` a column's letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A .xls, .xlsb or .ods file.
    OldSpreadsheet { file: String, extension: String },
    /// A file that is neither CSV nor a workbook, by its extension.
    NotCsvOrXlsx { file: String },
    /// `--sheet` given for a CSV file.
    SheetOfCsv { file: String },
    /// A national ASCOF file imported as a table, with no council named.
    AscofNeedsCouncil { layout: &'static str },
    /// A table with a header and nothing under it.
    HeaderButNoRows,
    /// A table none of whose rows could be read.
    NoRowRead { rows: usize },
    /// Rows skipped with `--skip-bad-rows` (a warning).
    SkippedRows {
        rows: Vec<u32>,
        read: usize,
        items: usize,
    },
    /// Evidence made from the table passes an evidence file's limit (`limit`, in words).
    TooLargeForEvidence {
        rows: usize,
        limit: String,
        row: u32,
    },
    /// The written evidence reads back with other items or another council.
    WrittenItemsDiffer,
    /// The written evidence reads back with a row's item changed.
    WrittenRowDiffers { row: u32, id: String },
    /// The written evidence does not load.
    WrittenDoesNotLoad,

    /// The CSV reader fails; `error` is what it said.
    NotCsv { error: String },
    /// A quoted CSV field is never closed.
    UnclosedQuote,
    /// A CSV file with more cells than a table may hold.
    TooManyCells { limit: usize },
    /// A workbook with no sheets.
    NoSheets { file: String },
    /// A workbook that unpacks to more than it may.
    UnpacksTooLarge {
        file: String,
        mib: u64,
        limit_mib: u64,
    },
    /// A file that cannot be read as a workbook, with why.
    NotAWorkbook { file: String, reason: String },
    /// The first sheet has no headers but later ones do (`tables`, in order).
    CoverSheet {
        file: String,
        first_sheet: String,
        tables: Vec<String>,
    },
    /// `--sheet` names no sheet; `help` names the nearest and lists them.
    UnknownSheet { wanted: String, help: String },
    /// A sheet the workbook reader fails on; `error` is what it said.
    UnreadableSheet {
        file: String,
        sheet: String,
        error: String,
    },
    /// A sheet with more cells than a table may hold.
    SheetTooManyCells {
        file: String,
        sheet: String,
        limit: usize,
    },
    /// `header_row:` names an empty row.
    EmptyHeaderRow {
        row: u32,
        file: String,
        sheet: Option<String>,
    },
    /// Every row is empty.
    NoTable { file: String, sheet: Option<String> },

    /// The mapping's `fractions:` is not one of its values.
    BadFractions { given: String },
    /// The mapping's `unknown_metrics:` is not one of its values.
    BadUnknownMetrics { given: String },
    /// The mapping's `header_row:` is 0.
    HeaderRowZero,
    /// The mapping names a column already named for another field.
    ColumnNamedTwice {
        letter: String,
        header: String,
        field: &'static str,
    },
    /// The mapping names a header the table lacks; `help` is the nearest or the headers.
    NoColumnHeaded {
        file: String,
        sheet: Option<String>,
        header: String,
        header_row: u32,
        help: String,
    },
    /// Two columns' headers both name one field.
    TwoColumnsForField {
        first_letter: String,
        first_header: String,
        letter: String,
        header: String,
        field: &'static str,
    },
    /// Columns no field is read from (a warning), as `A (header)`.
    ColumnsNotRead { columns: Vec<String> },
    /// No column holds a field the table needs; `headers` lists those it has.
    MissingColumn {
        needed: Needed,
        header_row: u32,
        headers: String,
    },

    /// A statement the framework lacks; `help` is the framework's.
    UnknownStatement { id: String, help: String },
    /// A statement cell of only separators.
    NoStatementIds,
    /// A category that is not one; `help` is `Category::unknown_help`'s.
    UnknownCategory { given: String, help: String },

    /// A date where text is expected.
    DateNotText,
    /// An Excel error where text is expected.
    ExcelErrorNotText { error: String },
    /// A workbook number with no exact decimal; `why` is the reader's words.
    UnreadableCell { why: String },
    /// A number cell's text is not a number.
    NotANumber(NotANumber),
    /// A number over the evidence loader's size limit (its help is not shown).
    TooLarge(NotANumber),
    /// A percentage-formatted number too large to scale.
    TooLargeForPercentage { value: Decimal },
    /// TRUE or FALSE where a number is expected.
    BoolNotNumber { value: bool },
    /// A date where a number is expected.
    DateNotNumber,
    /// An Excel error where a number is expected.
    ExcelErrorNotNumber { error: String },

    /// A row with no statement and no default.
    NoStatementInRow,
    /// A row with no category and no default.
    NoCategoryInRow,
    /// A metric row fills a finding's field.
    FindingFieldOnMetric { field: &'static str },
    /// A metric row with no value.
    NoValue { metric: String },
    /// A finding row fills a metric's number field.
    MetricFieldOnFinding { field: &'static str },
    /// A finding row with no sentiment.
    NoSentiment,
    /// A sentiment that is not one.
    UnknownSentiment { given: String },
    /// A strength that is not one.
    UnknownStrength { given: String },
    /// A row with both a metric and a finding.
    MetricAndFinding,
    /// A row with neither a metric nor a finding.
    NeitherMetricNorFinding,
    /// A metric the catalogue lacks; `help` is the nearest names' or how to keep it.
    UnknownMetric { name: String, help: String },
    /// A metric the catalogue lacks, kept (a warning); `suggestion` is the nearest names'.
    UnknownMetricKept {
        name: String,
        suggestion: Option<String>,
    },
    /// A column of plain numbers read as fractions (a warning).
    ReadAsFractions { count: usize },
    /// A value with `%` for a metric that is not a percentage.
    PercentSign {
        value: Decimal,
        metric: String,
        unit: &'static str,
    },
    /// A negative value for a metric that cannot be negative.
    Negative {
        value: Decimal,
        metric: String,
        unit: &'static str,
    },
    /// A percentage over 100.
    OverHundred { value: Decimal, metric: String },
    /// A count that is not whole.
    NotWhole { value: Decimal, metric: String },
    /// A value over the metric's `max`.
    OverMax {
        value: Decimal,
        max: Decimal,
        metric: String,
    },
    /// A council column that says another council than an earlier row.
    CouncilDiffers {
        given: String,
        first: String,
        first_row: u32,
    },
    /// Neither the mapping nor a column says the council.
    NoCouncil,
    /// A row's id used in an earlier row.
    RepeatedId { id: String, first_row: u32 },
    /// One metric twice for one statement (a warning).
    RepeatedMetric {
        metric: String,
        statement: String,
        earlier: u32,
    },

    /// `--sheet` given for an ASCOF CSV file.
    SheetOfAscofCsv { file: String },
    /// `--authority` or `--all` on a table of another layout; `expected` says the layouts.
    NotAscof { headers: String, expected: String },
    /// `--year` is not a financial year.
    NotAYearArgument { given: String },
    /// An open-data release whose year neither `--year` nor its name gives.
    OpenDataNoYear { file: String },
    /// Both `--authority` and `--all`.
    AuthorityAndAll,
    /// An ASCOF file with neither `--authority` nor `--all`.
    AscofFileNeedsCouncil { file: String },
    /// `--year` names a year the file lacks.
    NoFiguresForYear { year: Year, years: Vec<Year> },
    /// An ASCOF file with no figures at all.
    NoFigures,
    /// The council asked for has no figures in the year; `years` are those it has.
    CouncilNotInYear {
        name: String,
        code: String,
        year: Year,
        years: String,
    },
    /// No council by the name or code asked for; `help` is the nearest or the list.
    NoSuchCouncil { wanted: String, help: String },
    /// The name asked for names councils, none with figures in the year: (code, years).
    CouncilsNotInYear {
        wanted: String,
        year: Year,
        councils: Vec<(String, String)>,
    },
    /// The name asked for names several councils in the year, by code.
    AmbiguousCouncil {
        wanted: String,
        year: Year,
        codes: Vec<String>,
    },
    /// A council not in the built-in list (a warning).
    NotInCouncilList { name: String, code: String },
    /// A catalogue metric read under no statement.
    NoStatementsForMetric { metric: String },
    /// Measures the file gives no value for (a warning), as `code name (what it says)`.
    MeasuresNotGiven {
        name: String,
        code: String,
        year: Year,
        not_given: Vec<String>,
    },
    /// The compiled-in list of councils does not read; `what` says how.
    DamagedCouncilList { what: String },
    /// One figure given in two rows.
    FigureTwice { first_row: u32 },
    /// A year cell that is not a financial year.
    NotAYear { given: String },
    /// A file whose rows say no year, with no `--year`.
    NoYearInFile,
    /// A geographical level that is not one.
    UnknownLevel { given: String },
    /// A row with no ONS code.
    NoOnsCode { name: String },
    /// A measure code not in the year; `help` names its other meanings and the codes.
    UnknownCode {
        code: String,
        year: Year,
        help: String,
    },
    /// A figure that is not a number; `reason` is the number reader's words.
    NotAFigure { reason: String },
    /// A figure cell of another kind, as debug-printed.
    UnexpectedCell { found: String },
    /// A figure outside the measure's unit.
    FigureOutOfRange {
        value: Decimal,
        metric: String,
        problem: UnitProblem,
    },
}

/// `sheet "S" of `file``, or `` `file` ``.
fn table_name(file: &str, sheet: &Option<String>) -> String {
    match sheet {
        Some(sheet) => format!("sheet \"{sheet}\" of `{file}`"),
        None => format!("`{file}`"),
    }
}

fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(", ")
}

impl Needed {
    fn what(self) -> &'static str {
        match self {
            Needed::MetricOrFinding => "the metric or the finding",
            Needed::Value => "the metrics' values",
            Needed::Sentiment => "the findings' sentiment",
            Needed::Statement => "the quality statement",
            Needed::Category => "the evidence category",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Needed::MetricOrFinding => {
                "head the column `metric` (or `measure`, `indicator`), or `finding`, or name it in a mapping file: `columns: {metric: <header>}`"
            }
            Needed::Value => {
                "head the column `value` (or `council value`, `la value`, `result`), or name it in a mapping file: `columns: {value: <header>}`"
            }
            Needed::Sentiment => "add a column `sentiment` of `positive`, `negative` or `mixed`",
            Needed::Statement => {
                "add a column `statement`, or give every row one in a mapping file: `defaults: {statement: <id>}`"
            }
            Needed::Category => {
                "add a column `category`, or give every row one in a mapping file: `defaults: {category: outcomes}`"
            }
        }
    }
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        match self {
            Problem::SkippedRows { .. }
            | Problem::ColumnsNotRead { .. }
            | Problem::UnknownMetricKept { .. }
            | Problem::ReadAsFractions { .. }
            | Problem::RepeatedMetric { .. }
            | Problem::NotInCouncilList { .. }
            | Problem::MeasuresNotGiven { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    fn message(&self) -> String {
        match self {
            Problem::OldSpreadsheet { file, extension } => format!(
                "`{file}` is a .{extension} file; `assure import` reads .xlsx workbooks and .csv files"
            ),
            Problem::NotCsvOrXlsx { file } => format!("`{file}` is not a .csv or .xlsx file"),
            Problem::SheetOfCsv { file } => format!(
                "`--sheet` chooses a sheet of a workbook, but `{file}` is a CSV file, which has one table"
            ),
            Problem::AscofNeedsCouncil { layout } => {
                format!("this is a national ASCOF file ({layout}): say which council to import")
            }
            Problem::HeaderButNoRows => "the table has a header but no rows".to_string(),
            Problem::NoRowRead { rows } => {
                format!("none of the table's {rows} rows could be read")
            }
            Problem::SkippedRows { rows, read, items } => {
                let numbers: Vec<String> = rows.iter().map(u32::to_string).collect();
                let named = match numbers.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("rows {} and {last}", rest.join(", "))
                    }
                    _ => format!("row {}", numbers.join("")),
                };
                format!(
                    "skipped {named} ({} of {read} rows); {items} {} written",
                    rows.len(),
                    if *items == 1 { "item is" } else { "items are" }
                )
            }
            Problem::TooLargeForEvidence { rows, limit, row } => format!(
                "the table has {rows} rows, more than one evidence file can hold: the evidence made from it passes {limit} at row {row}, the most any evidence file may have"
            ),
            Problem::WrittenItemsDiffer => {
                "the evidence written from the table does not read back as it was read (the items or the council differ); nothing was written".to_string()
            }
            Problem::WrittenRowDiffers { row, id } => format!(
                "the evidence written from the table does not read back as it was read (row {row}, item `{id}`); nothing was written"
            ),
            Problem::WrittenDoesNotLoad => {
                "the evidence written from the table does not load; nothing was written"
                    .to_string()
            }
            Problem::NotCsv { error } => {
                format!("this is not CSV the reader understands: {error}")
            }
            Problem::UnclosedQuote => "a quoted field is never closed".to_string(),
            Problem::TooManyCells { limit } => {
                format!("the table holds more than {limit} cells, the limit for a table")
            }
            Problem::NoSheets { file } => format!("`{file}` has no sheets"),
            Problem::UnpacksTooLarge {
                file,
                mib,
                limit_mib,
            } => format!(
                "`{file}` unpacks to {mib} MiB, more than the {limit_mib} MiB a workbook may hold"
            ),
            Problem::NotAWorkbook { file, reason } => {
                format!("cannot read `{file}` as an Excel workbook: {reason}")
            }
            Problem::CoverSheet {
                file, first_sheet, ..
            } => format!(
                "`{file}`: the first sheet, \"{first_sheet}\", has no row of evidence headers (it looks like a cover page)"
            ),
            Problem::UnknownSheet { wanted, .. } => format!("there is no sheet \"{wanted}\""),
            Problem::UnreadableSheet { file, sheet, error } => {
                format!("cannot read sheet \"{sheet}\" of `{file}`: {error}")
            }
            Problem::SheetTooManyCells { file, sheet, limit } => format!(
                "sheet \"{sheet}\" of `{file}` holds more than {limit} cells, the limit for a table"
            ),
            Problem::EmptyHeaderRow { row, file, sheet } => format!(
                "row {row} of {} is empty, but the mapping names it as the header row",
                table_name(file, sheet)
            ),
            Problem::NoTable { file, sheet } => format!(
                "{} holds no table: every row is empty",
                table_name(file, sheet)
            ),
            Problem::BadFractions { given } => {
                format!("`fractions` is `{given}`; expected `auto`, `yes` or `no`")
            }
            Problem::BadUnknownMetrics { given } => {
                format!("`unknown_metrics` is `{given}`; expected `error` or `keep`")
            }
            Problem::HeaderRowZero => {
                "`header_row` counts from 1, as the sheet numbers rows".to_string()
            }
            Problem::ColumnNamedTwice {
                letter,
                header,
                field,
            } => format!("column {letter} ({header}) is already named for `{field}`"),
            Problem::NoColumnHeaded {
                file,
                sheet,
                header,
                header_row,
                ..
            } => format!(
                "{} has no column headed `{header}` (its headers are in row {header_row})",
                table_name(file, sheet)
            ),
            Problem::TwoColumnsForField {
                first_letter,
                first_header,
                letter,
                header,
                field,
            } => format!(
                "columns {first_letter} ({first_header}) and {letter} ({header}) could both be the {field}"
            ),
            Problem::ColumnsNotRead { columns } => format!(
                "{} not read: {}",
                if columns.len() == 1 {
                    "this column is"
                } else {
                    "these columns are"
                },
                columns.join(", ")
            ),
            Problem::MissingColumn {
                needed,
                header_row,
                headers,
            } => format!(
                "no column holds {}; the headers (row {header_row}) are: {headers}",
                needed.what()
            ),
            Problem::UnknownStatement { id, .. } => format!("unknown quality statement `{id}`"),
            Problem::NoStatementIds | Problem::NoStatementInRow => {
                "no quality statement".to_string()
            }
            Problem::UnknownCategory { given, .. } => {
                format!("unknown evidence category `{given}`")
            }
            Problem::DateNotText => {
                "the cell holds a date; expected text (format the cell as Text)".to_string()
            }
            Problem::ExcelErrorNotText { error } => {
                format!("the cell holds the Excel error {error}")
            }
            Problem::UnreadableCell { why } => why.clone(),
            Problem::NotANumber(problem) | Problem::TooLarge(problem) => problem.message.clone(),
            Problem::TooLargeForPercentage { value } => {
                format!("`{value}` is too large to be a percentage")
            }
            Problem::BoolNotNumber { value } => format!(
                "`{}` is not a number",
                if *value { "TRUE" } else { "FALSE" }
            ),
            Problem::DateNotNumber => {
                "the cell holds a date, not a number (format the cell as Number)".to_string()
            }
            Problem::ExcelErrorNotNumber { error } => {
                format!("the cell holds the Excel error {error}, not a number")
            }
            Problem::NoCategoryInRow => "no evidence category".to_string(),
            Problem::FindingFieldOnMetric { field } => {
                format!("`{field}` belongs to findings, but this row is a metric")
            }
            Problem::NoValue { metric } => format!("metric `{metric}` has no value"),
            Problem::MetricFieldOnFinding { field } => {
                format!("`{field}` belongs to metrics, but this row is a finding")
            }
            Problem::NoSentiment => "the finding has no sentiment".to_string(),
            Problem::UnknownSentiment { given } => format!("unknown sentiment `{given}`"),
            Problem::UnknownStrength { given } => format!("unknown strength `{given}`"),
            Problem::MetricAndFinding => "a row is a metric or a finding, not both".to_string(),
            Problem::NeitherMetricNorFinding => {
                "the row has neither a metric nor a finding".to_string()
            }
            Problem::UnknownMetric { name, .. } => format!("unknown metric `{name}`"),
            Problem::UnknownMetricKept { name, .. } => {
                format!("unknown metric `{name}`: the item is kept as uncited evidence")
            }
            Problem::ReadAsFractions { count } => format!(
                "every percentage in this column lies between 0 and 1 and none is marked as one, so they are read as fractions ({}: 0.635 is 63.5%)",
                if *count == 1 {
                    "1 number".to_string()
                } else {
                    format!("{count} numbers")
                }
            ),
            Problem::PercentSign {
                value,
                metric,
                unit,
            } => format!("`{value}%` is a percentage, but `{metric}` is measured in {unit}"),
            Problem::Negative {
                value,
                metric,
                unit,
            } => format!("`{value}` is negative, but `{metric}` ({unit}) cannot be"),
            Problem::OverHundred { value, metric } => {
                format!("`{value}%` is more than 100%, but `{metric}` is a percentage")
            }
            Problem::NotWhole { value, metric } => {
                format!("`{value}` is not whole, but `{metric}` is a count")
            }
            Problem::OverMax { value, max, metric } => {
                format!("`{value}` is more than {max}, the most `{metric}` can be")
            }
            Problem::CouncilDiffers {
                given,
                first,
                first_row,
            } => format!("`{given}` differs from `{first}` in row {first_row}"),
            Problem::NoCouncil => {
                "the table does not say which council the evidence is about".to_string()
            }
            Problem::RepeatedId { id, first_row } => {
                format!("id `{id}` is already used in row {first_row}")
            }
            Problem::RepeatedMetric {
                metric,
                statement,
                earlier,
            } => format!(
                "`{metric}` is given for `{statement}` in row {earlier} too: rules read the first"
            ),
            Problem::SheetOfAscofCsv { file } => {
                format!("`--sheet` chooses a sheet of a workbook, but `{file}` is a CSV file")
            }
            Problem::NotAscof { headers, .. } => {
                format!("this is not an ASCOF file: its headers are {headers}")
            }
            Problem::NotAYearArgument { given } => {
                format!("`--year {given}` is not a financial year")
            }
            Problem::OpenDataNoYear { file } => {
                format!("`{file}` is an ASCOF open-data release, which does not say its year")
            }
            Problem::AuthorityAndAll => "give `--authority` or `--all`, not both".to_string(),
            Problem::AscofFileNeedsCouncil { file } => {
                format!("`{file}` is a national ASCOF file: say which council to import")
            }
            Problem::NoFiguresForYear { year, .. } => {
                format!("the file has no figures for {year}")
            }
            Problem::NoFigures => "the file has no figures".to_string(),
            Problem::CouncilNotInYear {
                name, code, year, ..
            } => format!("{name} ({code}) has no figures for {year} in the file"),
            Problem::NoSuchCouncil { wanted, .. } => {
                format!("no council `{wanted}` in the file, by name or ONS code")
            }
            Problem::CouncilsNotInYear {
                wanted,
                year,
                councils,
            } => format!(
                "`{wanted}` names councils with no figures for {year}: {}",
                councils
                    .iter()
                    .map(|(code, years)| format!("{code} ({years})"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Problem::AmbiguousCouncil {
                wanted,
                year,
                codes,
            } => format!(
                "`{wanted}` names more than one council in {year}: {}",
                codes.join(", ")
            ),
            Problem::NotInCouncilList { name, code } => format!(
                "{name} ({code}) is not in the built-in list of councils, so its regional and council-type averages are left out"
            ),
            Problem::NoStatementsForMetric { metric } => format!(
                "the metric catalogue reads `{metric}` under no quality statement, so it cannot be imported"
            ),
            Problem::MeasuresNotGiven {
                name,
                code,
                year,
                not_given,
            } => format!(
                "{name} ({code}), {year}: {} not given in the file and left out: {}",
                if not_given.len() == 1 {
                    "one measure is"
                } else {
                    "some measures are"
                },
                not_given.join("; ")
            ),
            Problem::DamagedCouncilList { what } => {
                format!("the built-in list of councils is damaged ({what})")
            }
            Problem::FigureTwice { first_row } => format!(
                "this figure is given twice: row {first_row} gives the same measure for the same area and year"
            ),
            Problem::NotAYear { given } => format!("`{given}` is not a financial year"),
            Problem::NoYearInFile => "the file does not say which year it is".to_string(),
            Problem::UnknownLevel { given } => {
                format!("`{given}` is not a geographical level of an ASCOF file")
            }
            Problem::NoOnsCode { name } => format!("`{name}` has no ONS code"),
            Problem::UnknownCode { code, year, .. } => {
                format!("`{code}` is not an ASCOF measure code in {year}")
            }
            Problem::NotAFigure { reason } => reason.clone(),
            Problem::UnexpectedCell { found } => format!("expected a number, found {found}"),
            Problem::FigureOutOfRange {
                value,
                metric,
                problem,
            } => {
                let why = match problem {
                    UnitProblem::Negative => "cannot be negative".to_string(),
                    UnitProblem::OverHundred => {
                        "is over 100, but a percentage runs from 0 to 100".to_string()
                    }
                    UnitProblem::NotWhole => "is not a whole number".to_string(),
                    UnitProblem::OverMax(max) => format!("is over {max}, the top of its scale"),
                    UnitProblem::PercentSign => "has a `%` sign".to_string(),
                };
                format!("{value} for `{metric}` {why}")
            }
        }
    }

    fn label(&self) -> Option<&str> {
        match self {
            Problem::UnclosedQuote => Some("this quote has no closing quote"),
            Problem::UnknownMetric { .. } | Problem::UnknownMetricKept { .. } => {
                Some("not in the metric catalogue")
            }
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        let help = match self {
            Problem::OldSpreadsheet { .. } => {
                "save it from your spreadsheet as an Excel Workbook (.xlsx) or as CSV UTF-8 (.csv)"
            }
            Problem::NotCsvOrXlsx { .. } => {
                "`assure import` reads a table from a .csv file or an .xlsx workbook"
            }
            Problem::AscofNeedsCouncil { .. } | Problem::AscofFileNeedsCouncil { .. } => {
                NAME_A_COUNCIL
            }
            Problem::TooLargeForEvidence { .. } => {
                "import the table in parts, each of fewer rows, and score each part, or leave out columns no rule reads"
            }
            Problem::WrittenItemsDiffer
            | Problem::WrittenRowDiffers { .. }
            | Problem::WrittenDoesNotLoad => BUG_HELP,
            Problem::UnclosedQuote => {
                "close the quote, or double a quote inside a quoted field (`\"\"`)"
            }
            Problem::TooManyCells { .. } => {
                "a council's evidence is a few hundred rows; is this the right file?"
            }
            Problem::UnpacksTooLarge { .. } => {
                "save the sheet with the table on its own, or as CSV"
            }
            Problem::NotAWorkbook { .. } => {
                "save it from Excel as an Excel Workbook (.xlsx), or as CSV UTF-8 (.csv)"
            }
            Problem::CoverSheet { tables, .. } => {
                let first = tables.first().map_or("", String::as_str);
                let argument = if first
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                {
                    first.to_string()
                } else {
                    format!("'{}'", first.replace('\'', "'\\''"))
                };
                return Some(format!(
                    "the sheets that look like tables: {}; read one with `--sheet {argument}`",
                    quoted(tables)
                ));
            }
            Problem::UnknownSheet { help, .. }
            | Problem::NoColumnHeaded { help, .. }
            | Problem::UnknownStatement { help, .. }
            | Problem::UnknownCategory { help, .. }
            | Problem::UnknownMetric { help, .. }
            | Problem::UnknownCode { help, .. } => return Some(help.clone()),
            Problem::UnreadableSheet { .. } => {
                "open it in Excel and save it again, or save the sheet as CSV UTF-8"
            }
            Problem::SheetTooManyCells { .. } => {
                "a council's evidence is a few hundred rows; is this the right sheet?"
            }
            Problem::EmptyHeaderRow { .. } => {
                "give `header_row:` the number of the row that holds the column names"
            }
            Problem::BadFractions { .. } => {
                "`yes`: percentages are written as fractions (0.635 for 63.5%); `no`: as percentages; `auto`: decide column by column"
            }
            Problem::TwoColumnsForField {
                first_header,
                field,
                ..
            } => {
                return Some(format!(
                    "name the one to read in a mapping file (`--map`): `columns: {{{field}: {first_header}}}`"
                ));
            }
            Problem::ColumnsNotRead { .. } => {
                "a column is read when its header names an evidence field (docs/import.md), or a mapping file's `columns:` names it"
            }
            Problem::MissingColumn { needed, .. } => needed.help(),
            Problem::NoStatementIds => "write a statement id such as `assessing-needs`",
            Problem::NotANumber(problem) => return problem.help.clone(),
            Problem::NoStatementInRow => {
                "fill in the cell, or give every row a statement in a mapping file: `defaults: {statement: <id>}`"
            }
            Problem::NoCategoryInRow => {
                "fill in the cell, or give every row a category in a mapping file: `defaults: {category: outcomes}`"
            }
            Problem::NoValue { .. } => "fill in the value, or leave the row out",
            Problem::NoSentiment => "write `positive`, `negative` or `mixed`",
            Problem::UnknownSentiment { .. } => "a sentiment is `positive`, `negative` or `mixed`",
            Problem::UnknownStrength { .. } => "a strength is `strong` or `normal` (the default)",
            Problem::MetricAndFinding => "split it into two rows",
            Problem::UnknownMetricKept { suggestion, .. } => return suggestion.clone(),
            Problem::ReadAsFractions { .. } => {
                "if they are percentages already (0.635%), say `fractions: no` in a mapping file"
            }
            Problem::CouncilDiffers { .. } => {
                "an evidence file holds one council's evidence: import each council's rows on their own"
            }
            Problem::NoCouncil => {
                "give it in a mapping file (`authority: Medway Council`), or add a column `authority` holding the council's name"
            }
            Problem::RepeatedId { .. } => "ids must be unique in an evidence file",
            Problem::RepeatedMetric { .. } => {
                "move an older value to a `previous` column, or give the rows different statements"
            }
            Problem::NotAscof { expected, .. } => {
                return Some(format!(
                    "`--authority` and `--all` read national ASCOF files: {expected}; other tables import without them"
                ));
            }
            Problem::NotAYearArgument { .. } => "write it like `--year 2023-24`",
            Problem::OpenDataNoYear { .. } => "give it with `--year YYYY-YY`",
            Problem::NoFiguresForYear { years, .. } => {
                let years: Vec<String> = years.iter().map(Year::to_string).collect();
                return Some(format!("its years are: {}", years.join(", ")));
            }
            Problem::CouncilNotInYear { years, .. } => {
                return Some(format!("its years are: {years}; choose one with `--year`"));
            }
            Problem::NoSuchCouncil { help, .. } => {
                return Some(format!(
                    "{help} A council's ONS code (such as E10000028) finds it under any name it has had."
                ));
            }
            Problem::CouncilsNotInYear { .. } => "choose a year with `--year`",
            Problem::AmbiguousCouncil { .. } => "give the ONS code of the one you mean",
            Problem::NoStatementsForMetric { .. } => "give the catalogue entry `statements: [...]`",
            Problem::DamagedCouncilList { .. } => "this is a bug in `assure`; please report it",
            Problem::NotAYear { .. } => "write a year like `2023-24`",
            Problem::NoYearInFile => "give the release's year with `--year YYYY-YY`",
            Problem::UnknownLevel { .. } => {
                "the levels are Council, Region, England and Council Type"
            }
            Problem::NoOnsCode { .. } => {
                "every council, region and England row of an ASCOF file has one"
            }
            Problem::NotAFigure { .. } => {
                "a figure is a number like `64.4`, or `[x]` where it is suppressed"
            }
            _ => return None,
        };
        Some(help.to_string())
    }
}

impl Problem {
    /// The problem as a diagnostic whose message follows `prefix` (a table's place in
    /// words, such as `row 7, column C (value): `), about no file yet.
    pub(crate) fn after(self, prefix: &str) -> Diagnostic {
        Diagnostic::worded(
            self.severity(),
            format!("{prefix}{}", self.message()),
            self.label(),
            self.help(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_problem_words_its_message_and_help() {
        let skipped = Problem::SkippedRows {
            rows: vec![3, 5, 8],
            read: 10,
            items: 1,
        };
        assert_eq!(
            skipped.message(),
            "skipped rows 3, 5 and 8 (3 of 10 rows); 1 item is written"
        );
        assert_eq!(skipped.severity(), Severity::Warning);
        assert_eq!(skipped.help(), None);

        let cover = Problem::CoverSheet {
            file: "book.xlsx".to_string(),
            first_sheet: "Cover".to_string(),
            tables: vec!["Adult's data".to_string(), "Other".to_string()],
        };
        assert_eq!(
            cover.help().as_deref(),
            Some(
                "the sheets that look like tables: \"Adult's data\", \"Other\"; read one with `--sheet 'Adult'\\''s data'`"
            )
        );

        let missing = Problem::MissingColumn {
            needed: Needed::Value,
            header_row: 2,
            headers: "A (metric)".to_string(),
        };
        assert_eq!(
            missing.message(),
            "no column holds the metrics' values; the headers (row 2) are: A (metric)"
        );
        assert_eq!(missing.severity(), Severity::Error);
    }

    #[test]
    fn a_problem_after_a_place_keeps_its_label_and_help() {
        let diagnostic = Problem::UnknownMetricKept {
            name: "waits".to_string(),
            suggestion: Some("did you mean `waiting`?".to_string()),
        }
        .after("row 2, column A (metric): ");
        assert_eq!(
            diagnostic.message,
            "row 2, column A (metric): unknown metric `waits`: the item is kept as uncited evidence"
        );
        assert_eq!(diagnostic.severity, Severity::Warning);
        assert_eq!(diagnostic.help.as_deref(), Some("did you mean `waiting`?"));
    }
}
