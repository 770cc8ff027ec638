//! National ASCOF data as evidence (issue 20), on extracts of the real files committed in
//! tests/fixtures/ascof: the trend file for nine councils in 2021-22 to 2023-24 (and
//! Medway's 2018-19 rows, under its old name) with England, their regions and council
//! types; and NHS England's 2020-21 open-data release for Kirklees (every row) and
//! Staffordshire, England, two regions and two council types (totals).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assure::evidence::{Evidence, MetricValue};
use assure::pack::catalogue::Catalogue;
use assure::pack::measure_codes::Year;
use common::{assure, scratch, stderr, stdout};
use rust_decimal::Decimal;

const TREND: &str = "tests/fixtures/ascof/trend_extract.csv";
const OPEN_DATA: &str = "tests/fixtures/ascof/open_data_2020-21_extract.csv";

fn pack() -> assure::pack::Pack {
    assure::load_pack(None).expect("the default pack loads")
}

fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal")
}

/// One row of the trend extract.
struct TrendRow {
    year: String,
    name: String,
    code: String,
    measure: String,
    value: String,
    level: String,
}

fn trend_rows() -> Vec<TrendRow> {
    let mut reader = csv::Reader::from_path(TREND).expect("the extract reads");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            TrendRow {
                year: r[0].to_string(),
                name: r[1].to_string(),
                code: r[2].to_string(),
                measure: r[3].to_string(),
                value: r[5].to_string(),
                level: r[6].to_string(),
            }
        })
        .collect()
}

/// The value the extract gives for an area (by ONS code, or a council type by name), a
/// year and a measure code.
fn from_file(
    rows: &[TrendRow],
    level: &str,
    area: &str,
    year: &str,
    code: &str,
) -> Option<Decimal> {
    rows.iter()
        .find(|r| {
            r.level.eq_ignore_ascii_case(level)
                && (r.code == area || r.name == area)
                && r.year == year
                && r.measure == code
        })
        .map(|r| d(&r.value))
}

/// Imports one council into a scratch file and loads it.
fn import_one(args: &[&str], scratch_name: &str) -> (Evidence, String) {
    let dir = scratch(scratch_name);
    let target = dir.join("council.yaml");
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let target_text = target.to_str().expect("utf-8").to_string();
    all.extend_from_slice(&["-o", &target_text]);
    let output = assure(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let evidence = assure::load_evidence(&target, &pack()).expect("the import loads");
    (evidence, std::fs::read_to_string(&target).expect("written"))
}

fn by_metric<'e>(evidence: &'e Evidence, catalogue: &Catalogue, name: &str) -> &'e MetricValue {
    let id = catalogue
        .lookup(name)
        .unwrap_or_else(|| panic!("no metric {name}"));
    evidence
        .items
        .iter()
        .filter_map(|item| item.metric())
        .find(|m| m.metric == Some(id))
        .unwrap_or_else(|| panic!("no item for {name}"))
}

#[test]
fn staffordshire_2023_24_gives_every_measure_with_its_averages_and_last_year() {
    let pack = pack();
    let catalogue = &pack.catalogue;
    let (evidence, yaml) = import_one(
        &[TREND, "--authority", "E10000028", "--year", "2023-24"],
        "ascof-staffordshire",
    );
    assert_eq!(evidence.authority, "Staffordshire");
    assert_eq!(evidence.code.as_deref(), Some("E10000028"));
    assert!(yaml.contains("Open Government Licence v3.0"), "{yaml}");
    let rows = trend_rows();
    let year = Year::parse("2023-24").expect("a year");
    let last = "2022-23";
    // Every measure the file gives Staffordshire in 2023-24 is an item, with the England,
    // West Midlands and shire-county figures of the same code and year, and last year's
    // figure of the same measure under the code it had then.
    let measures: Vec<&TrendRow> = rows
        .iter()
        .filter(|r| r.level == "Council" && r.code == "E10000028" && r.year == "2023-24")
        .collect();
    assert_eq!(measures.len(), 22);
    assert_eq!(evidence.items.len(), measures.len());
    for row in measures {
        let id = catalogue
            .by_code(&row.measure, year)
            .expect("a 2023-24 code");
        let name = &catalogue.metric(id).name;
        let item = by_metric(&evidence, catalogue, name);
        assert_eq!(item.value, d(&row.value), "{name}");
        let england = from_file(&rows, "England", "E92000001", "2023-24", &row.measure);
        let region = from_file(&rows, "Region", "E12000005", "2023-24", &row.measure);
        let shire = from_file(
            &rows,
            "Council Type",
            "Shire Counties",
            "2023-24",
            &row.measure,
        );
        assert_eq!(item.england_average, england, "{name}");
        assert_eq!(item.regional_average, region, "{name}");
        assert_eq!(item.comparator_average, shire, "{name}");
        let old_year = Year::parse(last).expect("a year");
        let old_code = catalogue
            .metric(id)
            .codes
            .iter()
            .find(|c| c.covers(old_year))
            .map(|c| c.code.clone());
        let previous =
            old_code.and_then(|code| from_file(&rows, "Council", "E10000028", last, &code));
        assert_eq!(item.previous, previous, "{name}");
        assert_eq!(item.margin, None, "the trend file gives no margins");
    }
    // Hand-picked rows, across the renumbering. Satisfaction is 1D in 2023-24 and was 3A:
    let satisfied = by_metric(&evidence, catalogue, "satisfied with care and support");
    assert_eq!(satisfied.value, d("68.1"));
    assert_eq!(satisfied.england_average, Some(d("65.4")));
    assert_eq!(satisfied.regional_average, Some(d("66.3")));
    assert_eq!(satisfied.comparator_average, Some(d("67.6")));
    assert_eq!(satisfied.previous, Some(d("68.4")));
    // 2023-24's 3A is control over daily life, which was 1B: its previous is 2022-23's 1B
    // (82.7), not 2022-23's 3A (68.4, satisfaction).
    let control = by_metric(&evidence, catalogue, "control over daily life");
    assert_eq!(control.value, d("77.9"));
    assert_eq!(control.previous, Some(d("82.7")));
    // 2023-24's 1B is the adjusted quality of life score, which was 1J: its previous is
    // 0.396, not 2022-23's 1B (82.7, control).
    let adjusted = by_metric(
        &evidence,
        catalogue,
        "adjusted social care-related quality of life",
    );
    assert_eq!(adjusted.value, d("0.435"));
    assert_eq!(adjusted.previous, Some(d("0.396")));
    // The carers' survey runs every other year: no 2022-23 figure, so no previous.
    let carers = by_metric(&evidence, catalogue, "carer-reported quality of life");
    assert_eq!((carers.value, carers.previous), (d("7.8"), None));
    // Items bear on the statements and categories the catalogue gives.
    let item = evidence
        .items
        .iter()
        .find(|i| &*i.id == "ascof-2023-24-2a")
        .expect("the short-term support item");
    assert_eq!(item.category, assure::lang::ast::Category::Processes);
    assert_eq!(item.period.as_deref(), Some("2023-24"));
    assert!(
        item.source
            .as_deref()
            .is_some_and(|s| s.contains("ASCOF 2023-24 measure 2A")),
        "{:?}",
        item.source
    );
}

#[test]
fn the_latest_year_is_the_default_and_old_names_resolve_through_the_ons_code() {
    let (evidence, _) = import_one(&[TREND, "--authority", "Medway Towns"], "ascof-medway");
    assert_eq!(evidence.authority, "Medway");
    assert_eq!(evidence.code.as_deref(), Some("E06000035"));
    assert!(
        evidence
            .items
            .iter()
            .all(|i| i.period.as_deref() == Some("2023-24"))
    );
    // Any spelling a council or a release uses finds it.
    for name in ["Medway Council", "medway", "E06000035", "e06000035"] {
        let output = assure(&["import", TREND, "--authority", name]);
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert!(stdout(&output).contains("authority: Medway\n"), "{name}");
    }
    // The year its old name was used in imports under that name.
    let output = assure(&[
        "import",
        TREND,
        "--authority",
        "Medway",
        "--year",
        "2018-19",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("authority: Medway Towns\n"));
    // 2018-19's measures are the old framework's: 1B is control over daily life then.
    assert!(stdout(&output).contains("id: ascof-2018-19-1b\n    statement: assessing-needs\n    category: people's experience\n    metric: control over daily life\n"), "{}", stdout(&output));
}

#[test]
fn all_writes_a_file_for_every_council_and_every_one_scores() {
    let dir = scratch("ascof-all");
    let out = dir.join("councils");
    let output = assure(&["import", TREND, "--all", "-o", out.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows = trend_rows();
    let mut councils: Vec<&str> = rows
        .iter()
        .filter(|r| r.level == "Council" && r.year == "2023-24")
        .map(|r| r.code.as_str())
        .collect();
    councils.sort_unstable();
    councils.dedup();
    let mut written: Vec<PathBuf> = std::fs::read_dir(&out)
        .expect("the directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    written.sort();
    assert_eq!(written.len(), councils.len());
    assert_eq!(written.len(), 9);
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().expect("a name").to_string_lossy().to_string())
        .collect();
    assert!(
        names.contains(&"staffordshire.yaml".to_string()),
        "{names:?}"
    );
    let pack = pack();
    let mut codes = Vec::new();
    for path in &written {
        let evidence = assure::load_evidence(path, &pack).expect("each file loads");
        codes.push(evidence.code.clone().expect("a code"));
        let assessment = assure::assess(&evidence, &pack);
        assert!(
            assessment.overall.statements_scored > 0,
            "{}: nothing scored",
            path.display()
        );
    }
    codes.sort();
    assert_eq!(codes, councils);
    // And the command line scores the directory.
    let scored = assure(&["score", out.to_str().expect("utf-8")]);
    assert_eq!(scored.status.code(), Some(0), "{}", stderr(&scored));
}

/// The open-data extract as a workbook, as NHS England publishes it: numbers as numbers
/// (the CSV export wrote each float in full), `[x]` and words as text.
fn workbook_of(csv_path: &str, xlsx_path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("in").expect("a sheet name");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(csv_path)
        .expect("the extract reads");
    for (r, record) in reader.records().enumerate() {
        let record = record.expect("a row");
        for (c, field) in record.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            // The release stores numbers as numbers, codes and suppressions as text.
            let numeric = r > 0 && (c == 0 || c == 7);
            match field.parse::<f64>() {
                Ok(number) if numeric => sheet.write_number(row, col, number),
                _ => sheet.write_string(row, col, field),
            }
            .expect("a cell");
        }
    }
    book.save(xlsx_path).expect("the workbook saves");
}

#[test]
fn the_open_data_workbook_imports_to_the_same_values_as_its_csv_margins_included() {
    let dir = scratch("ascof-open-data");
    let xlsx = dir.join("ascof-2020-21-open-data.xlsx");
    workbook_of(OPEN_DATA, &xlsx);
    let (from_csv, _) = import_one(&[OPEN_DATA, "--authority", "Kirklees"], "ascof-open-csv");
    let (from_xlsx, _) = import_one(
        &[xlsx.to_str().expect("utf-8"), "--authority", "E08000034"],
        "ascof-open-xlsx",
    );
    let values = |evidence: &Evidence| -> BTreeMap<String, String> {
        evidence
            .items
            .iter()
            .map(|i| {
                let m = i.metric().expect("a metric");
                (
                    i.id.to_string(),
                    format!(
                        "{} {:?} {:?} {:?} {:?} {:?}",
                        m.value,
                        m.england_average,
                        m.regional_average,
                        m.comparator_average,
                        m.previous,
                        m.margin
                    ),
                )
            })
            .collect()
    };
    assert_eq!(values(&from_csv), values(&from_xlsx));
    assert_eq!(from_csv.authority, "Kirklees");
    let pack = pack();
    // Float artefacts read as the workbook shows them: `19.600000000000001` is 19.6, and
    // the margins (`2.5999999999999999E-2` is 0.026) are there.
    let quality = by_metric(
        &from_csv,
        &pack.catalogue,
        "social care-related quality of life",
    );
    assert_eq!((quality.value, quality.margin), (d("19.6"), Some(d("0.3"))));
    let satisfied = by_metric(
        &from_csv,
        &pack.catalogue,
        "satisfied with care and support",
    );
    assert_eq!(
        (satisfied.value, satisfied.margin),
        (d("66.7"), Some(d("4.1")))
    );
    let adjusted = by_metric(
        &from_csv,
        &pack.catalogue,
        "adjusted social care-related quality of life",
    );
    assert_eq!(
        (adjusted.value, adjusted.margin),
        (d("0.455"), Some(d("0.026")))
    );
    // The return measures have averages (the survey's England figure is suppressed in
    // 2020-21: `[x]`, so none is given, never a zero).
    let direct = by_metric(&from_csv, &pack.catalogue, "direct payments uptake");
    assert_eq!(direct.value, d("44.3"));
    assert_eq!(direct.england_average, Some(d("26.6")));
    assert_eq!(satisfied.england_average, None);
    // 2020-21 is the old framework: 3A is satisfaction, and breakdowns (`3A1864`) are not
    // read as the total. The release gives Kirklees 21 measures: 1A, 1B, 1C1A, 1C1B, 1C2A,
    // 1C2B, 1E, 1F, 1G, 1H, 1I1, 1J, 2A1, 2A2, 2B1, 2B2, 2D, 3A, 3D1, 4A and 4B.
    assert_eq!(from_csv.items.len(), 21);
    assert!(
        from_csv
            .items
            .iter()
            .all(|i| i.id.starts_with("ascof-2020-21-"))
    );
}

#[test]
fn suppressed_values_are_left_out_and_listed_never_zero() {
    let output = assure(&["import", OPEN_DATA, "--authority", "Staffordshire"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let yaml = stdout(&output);
    // The survey did not run in Staffordshire in 2020-21: every survey measure is `[x]`.
    assert!(
        !yaml.contains("metric: satisfied with care and support"),
        "{yaml}"
    );
    assert!(
        yaml.contains(
            "# Not given in the file, left out: 3A satisfied with care and support ([x]).\n"
        ),
        "{yaml}"
    );
    assert!(
        stderr(&output).contains("left out: "),
        "{}",
        stderr(&output)
    );
    assert!(
        yaml.contains("metric: self-directed support\n    value: 72.9%\n"),
        "{yaml}"
    );
}

/// Runs an import that must fail: exit 2, the message, and no file written.
fn refused(args: &[&str], name: &str) -> String {
    let dir = scratch(name);
    let target = dir.join("out.yaml");
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let target_text = target.to_str().expect("utf-8").to_string();
    all.extend_from_slice(&["-o", &target_text]);
    let output = assure(&all);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!target.exists(), "nothing is written");
    stderr(&output)
}

#[test]
fn bad_input_is_refused_with_its_row_and_column_and_nothing_written() {
    let other = refused(
        &["tests/fixtures/import/metrics.csv", "--authority", "Medway"],
        "ascof-other-layout",
    );
    assert!(
        other.contains("this is not an ASCOF file: its headers are A (Council)"),
        "{other}"
    );
    assert!(
        other.contains("the ASCOF trend layout has the columns Year"),
        "{other}"
    );

    let council = refused(&[TREND, "--authority", "Stafordshire"], "ascof-no-council");
    assert!(
        council.contains("no council `Stafordshire` in the file"),
        "{council}"
    );
    assert!(
        council.contains("did you mean `Staffordshire`?"),
        "{council}"
    );

    let year = refused(
        &[TREND, "--authority", "Staffordshire", "--year", "2019-20"],
        "ascof-no-year",
    );
    assert!(
        year.contains("the file has no figures for 2019-20"),
        "{year}"
    );
    assert!(
        year.contains("its years are: 2018-19, 2021-22, 2022-23, 2023-24"),
        "{year}"
    );

    let value = refused(
        &[
            "tests/fixtures/ascof/trend_bad_value.csv",
            "--authority",
            "Staffordshire",
        ],
        "ascof-bad-value",
    );
    assert!(
        value.contains("trend_bad_value.csv:2:172: error: row 2, column F (Measure_Value): `12.3.4` is not a number"),
        "{value}"
    );

    let code = refused(
        &[
            "tests/fixtures/ascof/trend_unknown_code.csv",
            "--authority",
            "Staffordshire",
        ],
        "ascof-bad-code",
    );
    assert!(
        code.contains(
            "row 4, column D (Measure Group): `9Z` is not an ASCOF measure code in 2023-24"
        ),
        "{code}"
    );
    // A code of the other era says what it meant then.
    assert!(
        code.contains(
            "row 5, column D (Measure Group): `1J` is not an ASCOF measure code in 2023-24"
        ),
        "{code}"
    );
    assert!(
        code.contains("`1J` is `adjusted social care-related quality of life` (until 2022-23)"),
        "{code}"
    );

    let which = refused(&[TREND], "ascof-no-authority");
    assert!(which.contains("this is a national ASCOF file"), "{which}");
    let no_year = refused(
        &[
            "tests/fixtures/ascof/open_data_2020-21_extract.csv",
            "--authority",
            "Kirklees",
            "--year",
            "2020",
        ],
        "ascof-bad-year",
    );
    assert!(
        no_year.contains("`--year 2020` is not a financial year"),
        "{no_year}"
    );
}

#[test]
fn the_catalogue_knows_every_measure_of_both_eras_with_its_polarity() {
    let pack = pack();
    let catalogue = &pack.catalogue;
    // Every code in the extract is known in its year.
    for row in trend_rows() {
        let year = Year::parse(&row.year).expect("a year");
        assert!(
            catalogue.by_code(&row.measure, year).is_some(),
            "{} {}",
            row.year,
            row.measure
        );
    }
    // A renumbered code is no name on its own; a code that kept its meaning is.
    assert_eq!(catalogue.lookup("1B"), None);
    assert_eq!(catalogue.lookup("3A"), None);
    assert_eq!(
        catalogue.lookup("1A"),
        catalogue.lookup("social care-related quality of life")
    );
    assert_eq!(catalogue.lookup("4A"), catalogue.lookup("feel safe"));
    // Every ASCOF measure is read under known statements, in the category CQC's metric
    // list gives it: the surveys under people's experience, the returns under processes.
    for metric in catalogue.metrics().iter().filter(|m| !m.codes.is_empty()) {
        assert!(!metric.statements.is_empty(), "{}", metric.name);
        for statement in &metric.statements {
            assert!(pack.framework.statement(statement).is_some(), "{statement}");
        }
        let survey = metric
            .source
            .as_deref()
            .is_some_and(|s| s.contains("Survey"));
        let expected = if survey {
            assure::lang::ast::Category::PeoplesExperience
        } else {
            assure::lang::ast::Category::Processes
        };
        assert_eq!(metric.category, Some(expected), "{}", metric.name);
    }
    // Polarity as NHS England's measure directions give it, by the 2023-24 descriptions,
    // except the short-term support outcome, which that file marks lower-is-better against
    // ASCOF's own definition (a higher share needing no more support is better).
    let rows = trend_rows();
    let mut reader =
        csv::Reader::from_path("tests/fixtures/ascof/measure_direction.csv").expect("reads");
    let year = Year::parse("2023-24").expect("a year");
    let mut checked = 0;
    for record in reader.records() {
        let record = record.expect("a row");
        let (description, direction) = (record[0].trim(), record[1].trim());
        let Some(row) = rows.iter().find(|r| {
            r.year == "2023-24" && r.level == "Council" && description_of(r) == description
        }) else {
            panic!("no 2023-24 measure described `{description}`");
        };
        let id = catalogue.by_code(&row.measure, year).expect("known");
        let better = catalogue.metric(id).better;
        let higher = direction == "Higher is better";
        if row.measure == "2A" {
            assert!(!higher && better == assure::pack::catalogue::Polarity::Higher);
        } else {
            assert_eq!(
                better == assure::pack::catalogue::Polarity::Higher,
                higher,
                "{description}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 22);
}

fn description_of(row: &TrendRow) -> String {
    let mut reader = csv::Reader::from_path(TREND).expect("reads");
    reader
        .records()
        .map(|r| r.expect("a row"))
        .find(|r| r[0] == row.year && r[2] == row.code && r[3] == row.measure)
        .map(|r| r[4].trim().to_string())
        .unwrap_or_default()
}

/// The study's councils, each with the ASCOF year before its assessment was published.
const STUDY: [(&str, &str, &str); 9] = [
    ("staffordshire", "E10000028", "2023-24"),
    ("medway", "E06000035", "2023-24"),
    ("sunderland", "E08000024", "2023-24"),
    ("barnet", "E09000003", "2023-24"),
    ("darlington", "E06000005", "2023-24"),
    ("hartlepool", "E06000001", "2023-24"),
    ("hounslow", "E09000018", "2022-23"),
    ("surrey", "E10000030", "2022-23"),
    ("derbyshire", "E10000007", "2022-23"),
];

#[test]
fn the_studys_national_files_are_what_import_gives() {
    // examples/national/ascof/ was imported from the whole trend file; the extract holds
    // the same rows for these councils, so importing from it gives the same items.
    let pack = pack();
    for (file, code, year) in STUDY {
        let committed = assure::load_evidence(
            Path::new(&format!("examples/national/ascof/{file}.yaml")),
            &pack,
        )
        .expect("the study file loads");
        let (imported, _) = import_one(
            &[TREND, "--authority", code, "--year", year],
            &format!("ascof-study-{file}"),
        );
        let numbers = |evidence: &Evidence| -> Vec<String> {
            evidence
                .items
                .iter()
                .map(|i| {
                    format!(
                        "{} {:?} {:?}",
                        i.id,
                        i.statements,
                        i.metric().map(|m| (
                            m.value,
                            m.england_average,
                            m.regional_average,
                            m.comparator_average,
                            m.previous,
                            m.margin
                        ))
                    )
                })
                .collect()
        };
        assert_eq!(numbers(&committed), numbers(&imported), "{file}");
        assert_eq!(committed.code.as_deref(), Some(code));
    }
}

/// The pack's agreement with CQC's published scores over the files in `dir`.
fn agreement(dir: &str) -> (u64, u64, u64) {
    let output = assure(&[
        "calibrate",
        "examples/published/published-scores.yaml",
        dir,
        "--format",
        "json",
    ]);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&output)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    let all = &json["agreement"]["all"];
    let n = |v: &serde_json::Value| v.as_u64().expect("a count");
    (
        n(&all["pack"]["compared"]),
        n(&all["pack"]["exact"]),
        n(&all["always_3"]["exact"]),
    )
}

#[test]
fn the_study_figures_in_docs_national_data_are_current() {
    // docs/national-data.md reports these; a change to the pack, the catalogue or the
    // importer that moves them must update the page.
    assert_eq!(agreement("examples"), (52, 45, 38));
    assert_eq!(agreement("examples/national/ascof"), (45, 31, 33));
    assert_eq!(agreement("examples/national/with-findings"), (61, 45, 46));
    let page = std::fs::read_to_string("docs/national-data.md").expect("the page");
    for figure in ["31 of 45", "45 of 61", "45 of 52", "40 of 52"] {
        assert!(
            page.contains(figure),
            "docs/national-data.md does not give {figure}"
        );
    }
}
