//! `assure import`: tables (CSV files, and .xlsx workbooks generated here with
//! rust_xlsxwriter, percentage formats and all) into evidence files. A good table gives
//! evidence that loads; a bad row is named with its row and column, and nothing is
//! written; and a CSV export of a bundled example imports to evidence that scores the same.

// Tests say what they expect with `expect`; a failure is a test failure.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

use assure::evidence::import::{ImportOptions, import};
use assure::evidence::{Evidence, ItemContent};
use assure::lang::ast::Strength;

mod common;
use common::{assure, assure_in, scratch, stderr, stdout};

const FIXTURES: &str = "tests/fixtures/import";

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// The value of the item with this id, exactly.
fn value_of(evidence: &Evidence, id: &str) -> Decimal {
    let item = evidence
        .items
        .iter()
        .find(|item| &*item.id == id)
        .unwrap_or_else(|| panic!("no item `{id}`"));
    item.metric().expect("a metric").value
}

#[test]
fn a_csv_table_becomes_evidence_that_loads_and_scores() {
    let output = assure(&["import", &fixture("metrics.csv")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let yaml = stdout(&output);
    snapshot("import_metrics_csv", &yaml);
    // The unread `Notes` column is named on stderr, and nothing else.
    snapshot("import_metrics_csv_warnings", &stderr(&output));

    let dir = scratch("import-csv");
    let written = dir.join("medway.yaml");
    std::fs::write(&written, &yaml).expect("write");
    let pack = assure::load_pack(None).expect("the default pack loads");
    let evidence = assure::load_evidence(&written, &pack).expect("the import loads");
    assert!(evidence.warnings.is_empty(), "{:?}", evidence.warnings);
    assert_eq!(evidence.authority, "Medway Council");
    assert_eq!(evidence.items.len(), 5);
    // `1,234` in a CSV cell is 1234; `ASCOF 3A` is control over daily life in 2023/24 (ASCOF renumbered it from 1B).
    assert_eq!(
        value_of(
            &evidence,
            "assessing-needs-people-waiting-for-a-care-act-assessment"
        ),
        Decimal::new(1234, 0)
    );
    assert_eq!(
        value_of(
            &evidence,
            "care-provision-integration-continuity-control-over-daily-life"
        ),
        Decimal::new(775, 1)
    );
    let finding = evidence.items[4].finding().expect("a finding");
    assert_eq!(
        finding.text,
        "Feedback about unpaid carers' access to respite was mixed: \"good\" in places,\npoor in others."
    );
    assert_eq!(finding.tags, ["respite", "unpaid carers"]);
    let scored = assure(&["score", written.to_str().expect("utf-8")]);
    assert_eq!(scored.status.code(), Some(0), "{}", stderr(&scored));
}

#[test]
fn a_mapping_names_columns_and_gives_the_council_and_defaults() {
    let output = assure(&[
        "import",
        &fixture("mapping.csv"),
        "--map",
        &fixture("mapping.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let yaml = stdout(&output);
    assert!(
        yaml.contains("authority: Medway Council\ncode: E06000035\nas_of: \"2024-03-31\"\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains(
            "    metric: control over daily life\n    value: 77.5%\n    england_average: 76.9%\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("    period: \"2023/24\"\n    source: ASCOF 2023/24\n"),
        "{yaml}"
    );
}

#[test]
fn mapping_mistakes_are_all_reported_in_the_mapping_file() {
    let output = assure(&[
        "import",
        &fixture("mapping.csv"),
        "--map",
        &fixture("err_mapping.yaml"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    snapshot("import_err_mapping", &stderr(&output));
}

#[test]
fn a_missing_required_column_names_the_headers_found() {
    let output = assure(&["import", &fixture("no_value.csv")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    snapshot("import_no_value_column", &stderr(&output));
}

/// Issue 18: a table with numbers too large to compare exactly was written as evidence
/// that then panicked when scored. Each is refused at its row and column, nothing written.
#[test]
fn numbers_too_large_are_refused_at_their_cell() {
    let dir = scratch("import-too-large");
    let target = dir.join("evidence.yaml");
    let output = assure(&[
        "import",
        &fixture("err_too_large.csv"),
        "-o",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!target.exists(), "nothing is written");
    assert!(!stderr(&output).contains("bug"), "{}", stderr(&output));
    snapshot("import_err_too_large", &stderr(&output));
}

#[test]
fn bad_rows_are_each_named_and_nothing_is_written() {
    let dir = scratch("import-bad-rows");
    let target = dir.join("evidence.yaml");
    let output = assure(&[
        "import",
        &fixture("err_rows.csv"),
        "-o",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "{}", stdout(&output));
    assert!(!target.exists(), "nothing is written");
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        0,
        "no temporary file left"
    );
    snapshot("import_err_rows", &stderr(&output));
}

#[test]
fn skip_bad_rows_writes_the_rest_and_lists_what_was_skipped() {
    let dir = scratch("import-skip");
    let target = dir.join("evidence.yaml");
    let output = assure(&[
        "import",
        &fixture("err_rows.csv"),
        "--skip-bad-rows",
        "-o",
        target.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    snapshot("import_skip_bad_rows", &stderr(&output));
    let pack = assure::load_pack(None).expect("the default pack loads");
    let evidence = assure::load_evidence(&target, &pack).expect("the rest loads");
    let ids: Vec<&str> = evidence.items.iter().map(|item| &*item.id).collect();
    assert_eq!(ids, ["assessing-needs-satisfied-with-care-and-support"]);
}

#[test]
fn rows_are_checked_as_evidence_items_are() {
    let dir = scratch("import-row-rules");
    std::fs::write(
        dir.join("rows.csv"),
        "id,council,statement,category,metric,value,finding,sentiment,tags\n\
         a,Medway Council,assessing-needs; safeguarding,outcomes,control over daily life,76.9,,,\n\
         a,Medway Council,assessing-needs,outcomes,satisfied with care and support,64.8,,,\n\
         ,Kent County Council,assessing-needs,outcomes,choice over services,70,,,\n\
         ,Medway Council,assessing-needs,outcomes,control over daily life,101,,,\n\
         ,Medway Council,assessing-needs,people's experience,,5,People felt listened to.,positive,\n\
         ,Medway Council,assessing-needs,outcomes,choice over services,70,Both.,mixed,\n\
         ,Medway Council,assessing-needs,outcomes,,,,,\n\
         ,Medway Council,Assessing needs,outcomes,,,Waits were long.,gloomy,waiting lists\n\
         ,Medway Council,assessing-needs,outcome,control over daily life,-1,,,respite\n",
    )
    .expect("write");
    let output = assure_in(&dir, &["import", "rows.csv"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    for expected in [
        "rows.csv:3:1: error: row 3, column A (id): id `a` is already used in row 2",
        "rows.csv:4:2: error: row 4, column B (council): `Kent County Council` differs from `Medway Council` in row 2",
        "rows.csv:5:66: error: row 5, column F (value): `101%` is more than 100%, but `control over daily life` is a percentage",
        "row 6, column F (value): `value` belongs to metrics, but this row is a finding",
        "row 7, column G (finding): a row is a metric or a finding, not both",
        "row 9, column H (sentiment): unknown sentiment `gloomy`",
        "row 10, column D (category): unknown evidence category `outcome`",
        "row 10, column F (value): `-1` is negative, but `control over daily life` (percent) cannot be",
        "row 10, column I (tags): `tags` belongs to findings, but this row is a metric",
    ] {
        assert!(message.contains(expected), "`{expected}` in:\n{message}");
    }
    assert!(
        message.contains("row 8, column E (metric): the row has neither a metric nor a finding"),
        "{message}"
    );
    // The first row reads, with both statements.
    let output = assure_in(&dir, &["import", "rows.csv", "--skip-bad-rows"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let yaml = stdout(&output);
    assert!(
        yaml.contains("  - id: a\n    statements: [assessing-needs, safeguarding]\n"),
        "{yaml}"
    );
}

#[test]
fn import_never_writes_over_its_input() {
    let dir = scratch("import-over-input");
    let table = dir.join("metrics.csv");
    std::fs::copy(fixture("metrics.csv"), &table).expect("copy");
    let before = std::fs::read(&table).expect("read");
    let path = table.to_str().expect("utf-8");
    let output = assure(&["import", path, "-o", path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("this run read it as an input"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&table).expect("read"), before);
}

/// A workbook as Excel writes one: a title row, then headers, percentages stored as
/// fractions with a percentage format, a count, and a second sheet.
fn workbook(path: &Path, rows: &[(&str, Cell, Cell)]) {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    sheet.set_name("Metrics").expect("name");
    sheet
        .write_string(0, 0, "Medway Council: adult social care metrics, 2023/24")
        .expect("write");
    for (column, header) in [
        "Council",
        "Statement",
        "Category",
        "Metric",
        "LA value",
        "England",
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_string(2, column as u16, header).expect("write");
    }
    for (index, (metric, value, england)) in rows.iter().enumerate() {
        let row = 3 + index as u32;
        sheet.write_string(row, 0, "Medway Council").expect("write");
        sheet
            .write_string(row, 1, "assessing-needs")
            .expect("write");
        sheet.write_string(row, 2, "outcomes").expect("write");
        sheet.write_string(row, 3, *metric).expect("write");
        for (column, cell) in [(4, value), (5, england)] {
            match cell {
                Cell::Percent(number) => sheet
                    .write_number_with_format(row, column, *number, &percent)
                    .map(|_| ()),
                Cell::Number(number) => sheet.write_number(row, column, *number).map(|_| ()),
                Cell::Text(text) => sheet.write_string(row, column, *text).map(|_| ()),
                Cell::Empty => Ok(()),
            }
            .expect("write");
        }
    }
    book.add_worksheet()
        .set_name("Notes")
        .expect("name")
        .write_string(0, 0, "nothing to see")
        .expect("write");
    book.save(path).expect("save");
}

#[derive(Clone, Copy)]
enum Cell {
    Percent(f64),
    Number(f64),
    Text(&'static str),
    Empty,
}

fn import_options(mapping: Option<PathBuf>) -> ImportOptions {
    ImportOptions {
        mapping,
        ..ImportOptions::default()
    }
}

fn import_book(path: &Path, mapping: Option<PathBuf>) -> assure::evidence::import::Imported {
    let pack = assure::load_pack(None).expect("the default pack loads");
    import(
        path,
        &import_options(mapping),
        &pack.catalogue,
        &pack.framework,
    )
    .unwrap_or_else(|failure| panic!("imports:\n{}", failure.render()))
}

#[test]
fn an_excel_percentage_is_read_as_excel_shows_it_exactly() {
    let dir = scratch("import-xlsx-percent");
    let book = dir.join("medway.xlsx");
    workbook(
        &book,
        &[
            (
                "satisfied with care and support",
                Cell::Percent(0.635),
                Cell::Percent(0.6272),
            ),
            (
                "people waiting for a care act assessment",
                Cell::Number(874.0),
                Cell::Empty,
            ),
            (
                "control over daily life",
                Cell::Number(77.5),
                Cell::Number(76.9),
            ),
            // A formula's binary noise is kept, not rounded away: 0.1 + 0.2.
            (
                "as much social contact as they would like",
                Cell::Percent(0.1 + 0.2),
                Cell::Empty,
            ),
        ],
    );
    let imported = import_book(&book, None);
    let evidence = &imported.evidence;
    assert_eq!(
        value_of(evidence, "assessing-needs-satisfied-with-care-and-support"),
        Decimal::new(635, 1)
    );
    let satisfied = evidence.items[0].metric().expect("metric");
    assert_eq!(satisfied.england_average, Some(Decimal::new(6272, 2)));
    assert_eq!(
        value_of(
            evidence,
            "assessing-needs-people-waiting-for-a-care-act-assessment"
        ),
        Decimal::new(874, 0)
    );
    // Plain numbers over 1 in the column: it holds percentages, not fractions.
    assert_eq!(
        value_of(evidence, "assessing-needs-control-over-daily-life"),
        Decimal::new(775, 1)
    );
    assert_eq!(
        value_of(
            evidence,
            "assessing-needs-as-much-social-contact-as-they-would-like"
        )
        .to_string(),
        "30.000000000000004"
    );
    assert!(
        imported
            .yaml
            .contains("    value: 63.5%\n    england_average: 62.72%\n"),
        "{}",
        imported.yaml
    );
    assert!(
        imported.yaml.contains("    value: 874\n"),
        "{}",
        imported.yaml
    );
    assert!(
        imported
            .yaml
            .starts_with("# Imported by `assure import` from "),
        "{}",
        imported.yaml
    );
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);

    // The same through the binary, to a file.
    let output = assure_in(&dir, &["import", "medway.xlsx", "-o", "medway.yaml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let written = std::fs::read_to_string(dir.join("medway.yaml")).expect("written");
    assert!(
        written.starts_with("# Imported by `assure import` from medway.xlsx, sheet \"Metrics\".\n"),
        "{written}"
    );
    let body = |yaml: &str| yaml.split_once('\n').map(|(_, rest)| rest.to_string());
    assert_eq!(body(&written), body(&imported.yaml));
}

#[test]
fn unformatted_fractions_are_read_as_fractions_only_when_the_column_says_so() {
    let dir = scratch("import-xlsx-fractions");
    let book = dir.join("fractions.xlsx");
    workbook(
        &book,
        &[
            (
                "satisfied with care and support",
                Cell::Number(0.635),
                Cell::Number(0.6272),
            ),
            (
                "control over daily life",
                Cell::Number(0.775),
                Cell::Number(1.0),
            ),
            (
                "people waiting for a care act assessment",
                Cell::Number(874.0),
                Cell::Empty,
            ),
        ],
    );
    // auto (the default for a workbook): every percentage in the column lies in 0..=1.
    let imported = import_book(&book, None);
    assert_eq!(
        value_of(
            &imported.evidence,
            "assessing-needs-satisfied-with-care-and-support"
        ),
        Decimal::new(635, 1)
    );
    let control = imported.evidence.items[1].metric().expect("metric");
    assert_eq!(control.value, Decimal::new(775, 1));
    assert_eq!(control.england_average, Some(Decimal::new(100, 0)));
    assert_eq!(
        value_of(
            &imported.evidence,
            "assessing-needs-people-waiting-for-a-care-act-assessment"
        ),
        Decimal::new(874, 0)
    );
    let warnings: Vec<String> = imported.warnings.iter().map(|w| w.render()).collect();
    assert_eq!(
        warnings.len(),
        2,
        "one per column read as fractions: {warnings:?}"
    );
    assert!(
        warnings[0].contains(
            "fractions.xlsx: warning: sheet \"Metrics\", column E (LA value): every percentage"
        ),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("column F (England): every percentage"),
        "{}",
        warnings[1]
    );

    // `fractions: no` takes them as written.
    let mapping = dir.join("no.yaml");
    std::fs::write(&mapping, "fractions: no\n").expect("write");
    let imported = import_book(&book, Some(mapping));
    assert_eq!(
        value_of(
            &imported.evidence,
            "assessing-needs-satisfied-with-care-and-support"
        ),
        Decimal::new(635, 3)
    );
    assert!(imported.warnings.is_empty());
}

#[test]
fn bad_cells_of_a_workbook_name_the_file_sheet_row_and_column() {
    let dir = scratch("import-xlsx-bad");
    workbook(
        &dir.join("medway.xlsx"),
        &[
            (
                "satisfied with care and support",
                Cell::Percent(0.635),
                Cell::Text("n/a"),
            ),
            (
                "satisfied with care and suport",
                Cell::Percent(0.635),
                Cell::Empty,
            ),
            ("control over daily life", Cell::Text("sixty"), Cell::Empty),
            (
                "people waiting for a care act assessment",
                Cell::Percent(0.25),
                Cell::Empty,
            ),
        ],
    );
    let output = assure_in(&dir, &["import", "medway.xlsx", "-o", "out.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(!dir.join("out.yaml").exists());
    snapshot("import_err_xlsx_rows", &stderr(&output));

    let output = assure_in(&dir, &["import", "medway.xlsx", "--sheet", "Metric"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    snapshot("import_err_unknown_sheet", &stderr(&output));

    // The second sheet has no table of evidence.
    let output = assure_in(&dir, &["import", "medway.xlsx", "--sheet", "Notes"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("sheet \"Notes\": no column holds the metric or the finding"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn files_that_are_not_tables_are_refused_by_name() {
    let dir = scratch("import-not-tables");
    std::fs::write(dir.join("fake.xlsx"), "metric,value\n").expect("write");
    std::fs::write(dir.join("old.xls"), "").expect("write");
    for (file, expected) in [
        ("fake.xlsx", "cannot read `fake.xlsx` as an Excel workbook"),
        ("old.xls", "`old.xls` is a .xls file"),
        (
            "missing.csv",
            "cannot read `missing.csv`: no such file or directory",
        ),
    ] {
        let output = assure_in(&dir, &["import", file]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(output.stdout.is_empty(), "{file}");
        assert!(
            stderr(&output).contains(expected),
            "{file}: {}",
            stderr(&output)
        );
    }
    let output = assure(&["import", &fixture("metrics.csv"), "--sheet", "Metrics"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is a CSV file, which has one table"),
        "{}",
        stderr(&output)
    );
}

/// A CSV export of an evidence file, every field a column, as a spreadsheet would hold it.
fn csv_export(evidence: &Evidence) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "id",
            "statement",
            "category",
            "metric",
            "value",
            "target",
            "england_average",
            "regional_average",
            "comparator_average",
            "previous",
            "finding",
            "sentiment",
            "strength",
            "tags",
            "period",
            "source",
        ])
        .expect("header");
    let number = |n: Option<Decimal>| n.map(|n| n.to_string()).unwrap_or_default();
    for item in &evidence.items {
        let mut record = vec![
            item.id.to_string(),
            item.statements.join("; "),
            item.category.as_str().to_string(),
        ];
        match &item.content {
            ItemContent::Metric(metric) => record.extend([
                metric.name.clone(),
                metric.value.to_string(),
                number(metric.target),
                number(metric.england_average),
                number(metric.regional_average),
                number(metric.comparator_average),
                number(metric.previous),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]),
            ItemContent::Finding(finding) => {
                record.extend(std::iter::repeat_n(String::new(), 7));
                record.extend([
                    finding.text.clone(),
                    finding.sentiment.as_str().to_string(),
                    match finding.strength {
                        Strength::Strong => "strong".to_string(),
                        Strength::Normal => String::new(),
                    },
                    finding.tags.join("; "),
                ]);
            }
        }
        record.push(item.period.clone().unwrap_or_default());
        record.push(item.source.clone().unwrap_or_default());
        writer.write_record(&record).expect("record");
    }
    String::from_utf8(writer.into_inner().expect("flush")).expect("utf-8")
}

/// A score as JSON without what names or hashes the evidence file, which differ between
/// the original and the import by design.
fn scored(evidence: &Evidence, pack: &assure::pack::Pack) -> Value {
    let assessment = assure::assess(evidence, pack);
    let mut json: Value =
        serde_json::from_str(&assure::report::json::render(&[assessment]).expect("JSON"))
            .expect("JSON");
    let record = json["record"].as_object_mut().expect("record");
    record.remove("evidence");
    json.as_object_mut().expect("object").remove("warnings");
    json
}

fn fired(json: &Value) -> Vec<(String, Vec<String>)> {
    json["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|statement| {
            let rules = statement["justifications"]
                .as_array()
                .expect("justifications")
                .iter()
                .map(|j| j["rule"].as_str().expect("rule id").to_string())
                .collect();
            (statement["id"].as_str().expect("id").to_string(), rules)
        })
        .collect()
}

/// The round trip of the issue: a CSV export of each bundled example imports to evidence
/// that scores the same, statement by statement, rule by rule.
#[test]
fn a_csv_export_of_each_bundled_example_imports_to_evidence_that_scores_the_same() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let dir = scratch("import-round-trip");
    for example in [
        "barnet",
        "darlington",
        "derbyshire",
        "hartlepool",
        "hounslow",
        "medway",
        "staffordshire",
        "sunderland",
        "surrey",
    ] {
        let original_path = PathBuf::from(format!("examples/{example}.yaml"));
        let original = assure::load_evidence(&original_path, &pack).expect("the example loads");
        let table = dir.join(format!("{example}.csv"));
        std::fs::write(&table, csv_export(&original)).expect("write");
        // Staffordshire keeps two local survey measures the catalogue does not know, as
        // evidence no rule reads: the import must keep them to be the same evidence.
        let mut mapping = format!("authority: {}\n", original.authority);
        if let Some(code) = &original.code {
            mapping.push_str(&format!("code: {code}\n"));
        }
        if let Some(as_of) = &original.as_of {
            mapping.push_str(&format!("as_of: '{as_of}'\n"));
        }
        if !original.warnings.is_empty() {
            mapping.push_str("unknown_metrics: keep\n");
        }
        let mapping_path = dir.join(format!("{example}-mapping.yaml"));
        std::fs::write(&mapping_path, mapping).expect("write");
        let imported_path = dir.join(format!("{example}-imported.yaml"));
        let output = assure(&[
            "import",
            table.to_str().expect("utf-8"),
            "--map",
            mapping_path.to_str().expect("utf-8"),
            "-o",
            imported_path.to_str().expect("utf-8"),
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{example}: {}",
            stderr(&output)
        );
        let imported = assure::load_evidence(&imported_path, &pack).expect("the import loads");
        assert_eq!(imported.items.len(), original.items.len(), "{example}");
        assert_eq!(
            imported.warnings.len(),
            original.warnings.len(),
            "{example}"
        );

        let before = scored(&original, &pack);
        let after = scored(&imported, &pack);
        let scores = |json: &Value| -> Vec<Value> {
            json["statements"]
                .as_array()
                .expect("statements")
                .iter()
                .map(|s| s["score"].clone())
                .collect()
        };
        assert_eq!(
            scores(&after),
            scores(&before),
            "{example}: statement scores"
        );
        assert_eq!(
            after["overall"], before["overall"],
            "{example}: overall result"
        );
        assert_eq!(fired(&after), fired(&before), "{example}: fired rules");
        // And everything else the score says, but for the evidence file's name and hash.
        assert_eq!(after, before, "{example}: the whole assessment");
    }
}

/// Staffordshire imported strictly: its two metrics outside the catalogue are errors,
/// each with the catalogue name it is near.
#[test]
fn unknown_metrics_are_errors_with_a_suggestion_unless_kept() {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let original =
        assure::load_evidence(Path::new("examples/staffordshire.yaml"), &pack).expect("loads");
    let dir = scratch("import-unknown-metrics");
    // Two measures of the council's own survey that the catalogue does not know.
    let csv = csv_export(&original)
        .replacen(
            "choice over services",
            "choice over services (local survey)",
            1,
        )
        .replacen(
            "people who use services with adequate food and drink",
            "adequate food and drink in care homes (local survey)",
            1,
        );
    std::fs::write(dir.join("staffordshire.csv"), csv).expect("write");
    std::fs::write(
        dir.join("mapping.yaml"),
        "authority: Staffordshire County Council\n",
    )
    .expect("write");
    let output = assure_in(
        &dir,
        &["import", "staffordshire.csv", "--map", "mapping.yaml"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    assert_eq!(message.matches(": error: ").count(), 2, "{message}");
    assert!(
        message.contains("unknown metric `adequate food and drink in care homes (local survey)`"),
        "{message}"
    );
    assert!(
        message.contains("did you mean `choice over services`?"),
        "{message}"
    );
}

/// Whatever text sits in the cells, import either fails with located problems or gives
/// evidence that loads holding exactly the text read (the importer proves it before
/// returning); it never panics.
mod arbitrary_cells {
    use super::*;
    use proptest::prelude::*;

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("63.5%".to_string()),
            Just("0.635".to_string()),
            Just("1,234".to_string()),
            Just("n/a".to_string()),
            Just("control over daily life".to_string()),
            Just("assessing-needs".to_string()),
            Just("outcomes".to_string()),
            Just("positive".to_string()),
            "[ -~]{0,12}",
            "\\PC{0,12}",
            "[\"',:#\\-\\n\\r\\t ]{0,6}",
        ]
    }

    /// Mostly well-formed rows, metric or finding, with arbitrary text where text goes.
    fn row() -> impl Strategy<Value = Vec<String>> {
        let usually = |good: &'static str| prop_oneof![4 => Just(good.to_string()), 1 => cell()];
        let metric = (
            usually("control over daily life"),
            prop_oneof![
                Just("63.5%".to_string()),
                Just("0.635".to_string()),
                "[0-9]{1,3}(\\.[0-9]{1,4})?",
                cell()
            ],
        )
            .prop_map(|(metric, value)| {
                vec![metric, value, String::new(), String::new(), String::new()]
            });
        let finding =
            ("\\PC{0,40}", usually("positive"), cell()).prop_map(|(text, sentiment, tags)| {
                vec![String::new(), String::new(), text, sentiment, tags]
            });
        (
            usually("Medway Council"),
            usually("assessing-needs"),
            usually("outcomes"),
            prop_oneof![metric, finding],
            "\\PC{0,30}",
        )
            .prop_map(|(council, statement, category, content, source)| {
                let mut row = vec![council, statement, category];
                row.extend(content);
                row.push(source);
                row
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        #[test]
        fn any_table_imports_or_fails_cleanly(rows in proptest::collection::vec(row(), 1..6)) {
            let pack = assure::load_pack(None).expect("the default pack loads");
            let dir = scratch(&format!("import-arbitrary-{}", std::process::id()));
            let path = dir.join("table.csv");
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["council", "statement", "category", "metric", "value", "finding", "sentiment", "tags", "source"]).expect("header");
            for row in &rows {
                writer.write_record(row).expect("row");
            }
            std::fs::write(&path, writer.into_inner().expect("flush")).expect("write");
            let options = ImportOptions { skip_bad_rows: true, ..ImportOptions::default() };
            match import(&path, &options, &pack.catalogue, &pack.framework) {
                Ok(imported) => {
                    let file = assure::source::diagnostic::SourceFile::new("again.yaml", imported.yaml.clone());
                    let again = Evidence::load(&file, &pack.framework, &pack.catalogue);
                    prop_assert!(again.is_ok());
                    prop_assert_eq!(imported.evidence.items.len() + imported.skipped.len(), imported.rows_read);
                }
                Err(failure) => {
                    prop_assert!(failure.diagnostics.iter().any(|d| d.is_error()));
                    prop_assert!(failure.diagnostics.iter().all(|d| d.source.is_some()), "{}", failure.render());
                }
            }
        }
    }
}
