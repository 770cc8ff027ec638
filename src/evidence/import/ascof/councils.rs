//! Each council's type and region (data/councils.csv, compiled in): where to find its
//! regional and council-type averages in an ASCOF file.

use std::collections::BTreeMap;

use crate::evidence::import::problem::Problem;
use crate::source::diagnostic::{Diagnostic, Worded};

const COUNCILS: &str = include_str!("../../../../data/councils.csv");

/// One council's place in the ASCOF groupings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Council {
    pub ons_code: String,
    pub name: String,
    /// `Shire Counties`, `Unitary Authority`, `Metropolitan District`, `Inner London` or
    /// `Outer London`, as the releases' council-type rows name them.
    pub council_type: String,
    pub region: String,
    pub region_code: String,
    /// The retired code of the same area, for last year's value across a change of code.
    pub predecessor: Option<String>,
}

/// The councils by ONS code.
pub fn councils() -> Result<BTreeMap<String, Council>, Diagnostic> {
    let mut reader = ::csv::Reader::from_reader(COUNCILS.as_bytes());
    let mut out = BTreeMap::new();
    for record in reader.records() {
        let bug = |what: &str| {
            Problem::DamagedCouncilList {
                what: what.to_string(),
            }
            .unplaced()
        };
        let record = record.map_err(|e| bug(&e.to_string()))?;
        let field = |i: usize| record.get(i).map(str::trim).unwrap_or("").to_string();
        if record.len() != 6 || field(0).is_empty() {
            return Err(bug("a row without six fields"));
        }
        let predecessor = Some(field(5)).filter(|p| !p.is_empty());
        out.insert(
            field(0).to_uppercase(),
            Council {
                ons_code: field(0),
                name: field(1),
                council_type: field(2),
                region: field(3),
                region_code: field(4),
                predecessor,
            },
        );
    }
    Ok(out)
}

/// A council type as compared with the releases' rows, which write it singular in some
/// years and plural in others (`Unitary Authority`, `Unitary Authorities`).
pub fn type_key(name: &str) -> String {
    crate::lang::ast::normalise_words(name)
        .split(' ')
        .map(|word| {
            if let Some(stem) = word.strip_suffix("ies") {
                format!("{stem}y")
            } else if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
                word[..word.len() - 1].to_string()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_list_reads_and_every_council_has_a_type_and_region() {
        let councils = councils().unwrap();
        assert!(councils.len() > 150);
        let types: std::collections::BTreeSet<String> = councils
            .values()
            .map(|c| type_key(&c.council_type))
            .collect();
        assert_eq!(
            types.into_iter().collect::<Vec<_>>(),
            [
                "inner london",
                "metropolitan district",
                "outer london",
                "shire county",
                "unitary authority"
            ]
        );
        for council in councils.values() {
            assert!(council.region_code.starts_with("E12"), "{council:?}");
        }
        let staffordshire = &councils["E10000028"];
        assert_eq!(staffordshire.council_type, "Shire Counties");
        assert_eq!(staffordshire.region, "West Midlands");
    }

    #[test]
    fn council_types_match_singular_and_plural() {
        assert_eq!(
            type_key("Unitary Authorities"),
            type_key("Unitary Authority")
        );
        assert_eq!(
            type_key("Metropolitan Districts"),
            type_key("Metropolitan District")
        );
        assert_eq!(type_key("Shire Counties"), "shire county");
        assert_eq!(type_key("Inner London"), "inner london");
    }
}
