//! `assure import FILE --authority NAME`: national ASCOF data as a council's evidence. The
//! layout is known by its headers ([`layout`]); every row is read and checked ([`rows`]);
//! the council is found by ONS code or name, old names included; and its measures for the
//! year become metric items with their averages, last year's value and margin of error
//! ([`build`]), written and proved to load as any import is. docs/national-data.md.

pub(crate) mod build;
pub(crate) mod councils;
pub mod layout;
pub(crate) mod rows;

use std::collections::BTreeMap;
use std::path::Path;

use crate::evidence::Evidence;
use crate::lang::ast::normalise_words;
use crate::pack::catalogue::Catalogue;
use crate::pack::framework::Framework;
use crate::pack::measure_codes::Year;
use crate::source::diagnostic::{Diagnostic, Failure, Worded, did_you_mean, nearest};
use crate::source::files::read_source;

use super::problem::Problem;
use super::table::Table;
use super::{Kind, kind_of};
use layout::Layout;
use rows::Observations;

/// Which councils, which year.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// A council's name (any year's) or ONS code; `None` with `all`.
    pub authority: Option<String>,
    /// Every council in the file.
    pub all: bool,
    /// `2023-24`: the trend file's year to import (the latest by default), or the year of
    /// an open-data release (read from its file name by default).
    pub year: Option<String>,
    /// The sheet of a workbook; the first by default.
    pub sheet: Option<String>,
}

/// One council's evidence, written and loaded.
#[derive(Debug)]
pub struct CouncilEvidence {
    pub name: String,
    pub ons_code: String,
    /// A file name for it among every council of the year (`staffordshire.yaml`).
    pub file_name: String,
    pub yaml: String,
    pub evidence: Evidence,
    /// Measures the file does not give a value for, left out.
    pub not_given: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// An ASCOF file's councils as evidence.
#[derive(Debug)]
pub struct Imported {
    pub layout: Layout,
    pub year: Year,
    pub councils: Vec<CouncilEvidence>,
}

/// The file's header row read as an ASCOF layout, for `import` to send such a file here.
pub fn layout_of(table: &Table) -> Option<Layout> {
    layout::of(&table.headers).map(|c| c.layout)
}

/// Reads an ASCOF file and makes evidence for the council asked for, or for every council.
/// Fails, writing nothing, on a file of another layout, a council or year not in it, or any
/// row that cannot be read.
pub fn import(
    path: &Path,
    request: &Request,
    catalogue: &Catalogue,
    framework: &Framework,
) -> Result<Imported, Failure> {
    let name = path.display().to_string();
    let kind = kind_of(path)?;
    let table = match kind {
        Kind::Csv => {
            if request.sheet.is_some() {
                return Err(Problem::SheetOfAscofCsv { file: name }.unplaced().into());
            }
            super::csv::read(&read_source(path)?, None, &layout::is_known_header)?
        }
        Kind::Xlsx => super::xlsx::read(
            path,
            &name,
            request.sheet.as_deref(),
            None,
            &layout::is_known_header,
        )?,
    };
    let Some(columns) = layout::of(&table.headers) else {
        return Err(table
            .report_table(Problem::NotAscof {
                headers: table.header_list(),
                expected: layout::expected(),
            })
            .into());
    };
    let asked_year = match &request.year {
        Some(text) => Some(Year::parse(text).ok_or_else(|| {
            Problem::NotAYearArgument {
                given: text.clone(),
            }
            .unplaced()
        })?),
        None => None,
    };
    let release_year = match columns.layout {
        Layout::Trend => None,
        Layout::OpenData => Some(
            asked_year
                .or_else(|| year_in_name(path))
                .ok_or_else(|| Problem::OpenDataNoYear { file: name.clone() }.unplaced())?,
        ),
    };
    let observations =
        rows::read(&table, &columns, release_year, catalogue).map_err(Failure::new)?;
    let year = choose_year(&observations, asked_year, &table)?;
    let places = councils::councils()?;
    let wanted: Vec<String> = match (&request.authority, request.all) {
        (Some(_), true) => {
            return Err(Problem::AuthorityAndAll.unplaced().into());
        }
        (Some(authority), false) => vec![find_council(&observations, authority, year)?],
        (None, true) => {
            let mut all: Vec<String> = observations
                .council_names
                .iter()
                .filter(|(_, names)| names.iter().any(|(y, _)| *y == year))
                .map(|(code, _)| code.clone())
                .collect();
            all.sort();
            all
        }
        (None, false) => {
            return Err(Problem::AscofFileNeedsCouncil { file: name }
                .unplaced()
                .into());
        }
    };
    let source = path
        .file_name()
        .map_or(name.clone(), |n| n.to_string_lossy().to_string());
    let file_names = file_names(&observations, &wanted, year);
    let mut councils = Vec::with_capacity(wanted.len());
    for (code, file_name) in wanted.iter().zip(file_names) {
        let council_name = name_in(&observations, code, year);
        let place = places.get(code);
        let wanted = build::Wanted {
            ons_code: code,
            name: &council_name,
            year,
            place,
        };
        let built = build::council(&observations, &table.rows, &wanted, &source, catalogue)?;
        let origin = format!(
            "{source} ({}): {council_name} ({code}), ASCOF {year}",
            columns.layout.name()
        );
        let mut yaml = super::emit::evidence_yaml(&built.converted, &origin);
        if let Some(end) = yaml.find('\n') {
            let comments = build::header_comments(place, &built.not_given);
            yaml.insert_str(end + 1, &comments);
        }
        let evidence = super::prove(&yaml, &file_name, &built.converted, catalogue, framework)?;
        councils.push(CouncilEvidence {
            name: council_name,
            ons_code: code.clone(),
            file_name,
            yaml,
            evidence,
            not_given: built.not_given,
            warnings: built.warnings,
        });
    }
    Ok(Imported {
        layout: columns.layout,
        year,
        councils,
    })
}

/// `2020-21` in a file name such as `ascof-2020-21-open-data.xlsx`.
fn year_in_name(path: &Path) -> Option<Year> {
    let stem = path.file_stem()?.to_string_lossy().to_string();
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(6)).find_map(|at| stem.get(at..at + 7).and_then(Year::parse))
}

fn choose_year(
    observations: &Observations,
    asked: Option<Year>,
    table: &Table,
) -> Result<Year, Diagnostic> {
    match asked {
        Some(year) if observations.years.contains(&year) => Ok(year),
        Some(year) => Err(table.report_table(Problem::NoFiguresForYear {
            year,
            years: observations.years.clone(),
        })),
        None => observations
            .years
            .last()
            .copied()
            .ok_or_else(|| table.report_table(Problem::NoFigures)),
    }
}

/// The council's name in a year, else its latest name.
fn name_in(observations: &Observations, code: &str, year: Year) -> String {
    let names = observations.council_names.get(code);
    names
        .and_then(|names| names.iter().find(|(y, _)| *y == year))
        .or_else(|| names.and_then(|names| names.iter().max_by_key(|(y, _)| *y)))
        .map_or(code.to_string(), |(_, name)| name.clone())
}

/// The ONS code of the council named (by any year's name, or by code).
fn find_council(
    observations: &Observations,
    wanted: &str,
    year: Year,
) -> Result<String, Diagnostic> {
    let trimmed = wanted.trim();
    let names = &observations.council_names;
    let in_year = |code: &String| {
        names
            .get(code)
            .is_some_and(|n| n.iter().any(|(y, _)| *y == year))
    };
    let years_of = |code: &String| -> String {
        let mut years: Vec<Year> = names
            .get(code)
            .map(|n| n.iter().map(|(y, _)| *y).collect())
            .unwrap_or_default();
        years.sort();
        years
            .iter()
            .map(Year::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let upper = trimmed.to_uppercase();
    let codes: Vec<String> = if names.contains_key(&upper) {
        vec![upper]
    } else {
        let key = plain_name(trimmed);
        let mut found: Vec<String> = names
            .iter()
            .filter(|(_, n)| n.iter().any(|(_, name)| plain_name(name) == key))
            .map(|(code, _)| code.clone())
            .collect();
        found.sort();
        found
    };
    let current: Vec<&String> = codes.iter().filter(|c| in_year(c)).collect();
    match (current.as_slice(), codes.as_slice()) {
        ([one], _) => Ok((*one).clone()),
        ([], [one]) => Err(Problem::CouncilNotInYear {
            name: name_in(observations, one, year),
            code: one.clone(),
            year,
            years: years_of(one),
        }
        .unplaced()),
        ([], []) => {
            let mut latest: Vec<String> = names
                .keys()
                .filter(|c| in_year(c))
                .map(|c| name_in(observations, c, year))
                .collect();
            latest.sort();
            let near = nearest(trimmed, latest.iter().map(String::as_str), 3);
            let help = did_you_mean(&near).unwrap_or_else(|| {
                format!("the file's councils in {year} are: {}", latest.join(", "))
            });
            Err(Problem::NoSuchCouncil {
                wanted: trimmed.to_string(),
                help,
            }
            .unplaced())
        }
        ([], many) => Err(Problem::CouncilsNotInYear {
            wanted: trimmed.to_string(),
            year,
            councils: many.iter().map(|c| (c.clone(), years_of(c))).collect(),
        }
        .unplaced()),
        (many, _) => Err(Problem::AmbiguousCouncil {
            wanted: trimmed.to_string(),
            year,
            codes: many.iter().map(|c| (*c).clone()).collect(),
        }
        .unplaced()),
    }
}

/// A council's name as compared: case and spacing aside, and without the words around the
/// place that releases and councils add or leave off (`Medway Council`, `London Borough of
/// Barnet`, `Kingston upon Hull, City of`).
fn plain_name(name: &str) -> String {
    let mut words = normalise_words(&name.replace([',', '.', '\''], " "));
    for prefix in [
        "london borough of ",
        "royal borough of ",
        "city of ",
        "the ",
    ] {
        if let Some(rest) = words.strip_prefix(prefix) {
            words = rest.to_string();
        }
    }
    for suffix in [
        " metropolitan borough council",
        " metropolitan district council",
        " county council",
        " city council",
        " borough council",
        " district council",
        " council",
        " city of",
        " county of",
    ] {
        if let Some(rest) = words.strip_suffix(suffix) {
            words = rest.to_string();
        }
    }
    words
}

/// A file name for each council: its name in lower case with hyphens, and where two names
/// would be the same (on any file system), each with its ONS code.
fn file_names(observations: &Observations, codes: &[String], year: Year) -> Vec<String> {
    let slugs: Vec<String> = codes
        .iter()
        .map(|code| slug(&name_in(observations, code, year)))
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for slug in &slugs {
        *counts.entry(slug.as_str()).or_default() += 1;
    }
    slugs
        .iter()
        .zip(codes)
        .map(|(slug, code)| match counts.get(slug.as_str()) {
            Some(1) if !slug.is_empty() => format!("{slug}.yaml"),
            _ if slug.is_empty() => format!("{}.yaml", code.to_lowercase()),
            _ => format!("{slug}-{}.yaml", code.to_lowercase()),
        })
        .collect()
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_without_their_council_words() {
        assert_eq!(plain_name("Medway Council"), plain_name("Medway"));
        assert_eq!(plain_name("London Borough of Barnet"), "barnet");
        assert_eq!(
            plain_name("Kingston upon Hull, City of"),
            "kingston upon hull"
        );
        assert_eq!(plain_name("Staffordshire County Council"), "staffordshire");
        assert_eq!(
            slug("Kingston upon Hull, City of"),
            "kingston-upon-hull-city-of"
        );
        assert_eq!(slug("St. Helens"), "st-helens");
    }

    #[test]
    fn a_year_is_found_in_a_release_name() {
        assert_eq!(
            year_in_name(Path::new("data/ascof-2020-21-open-data.xlsx")),
            Year::parse("2020-21")
        );
        assert_eq!(year_in_name(Path::new("open-data.csv")), None);
    }
}
