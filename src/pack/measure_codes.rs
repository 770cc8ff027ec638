//! Published measure codes that mean different measures in different years. ASCOF was
//! renumbered in April 2023: `1B` was control over daily life up to 2022-23 and is the
//! adjusted quality of life score from 2023-24. So a code is known by the year it is read
//! in and the code together, never by the code alone.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;

/// A financial year, April to March, written `2023-24`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year {
    /// The calendar year it starts in.
    pub start: u16,
}

impl Year {
    /// Reads `2023-24` (or `2023/24`, as some releases write it).
    pub fn parse(text: &str) -> Option<Year> {
        let text = text.trim();
        let (first, second) = text.split_once(['-', '/'])?;
        if first.len() != 4 || second.len() != 2 {
            return None;
        }
        let start: u16 = first.parse().ok()?;
        let end: u16 = second.parse().ok()?;
        let digits = first
            .bytes()
            .chain(second.bytes())
            .all(|b| b.is_ascii_digit());
        (digits && (start + 1) % 100 == end).then_some(Year { start })
    }

    /// The year before.
    pub fn previous(self) -> Option<Year> {
        self.start.checked_sub(1).map(|start| Year { start })
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.start, (self.start + 1) % 100)
    }
}

/// A code as a catalogue file writes it: `{code: "3A", from: 2023-24}`. A year left out
/// is open: no `from` is every year up to `until`, no `until` every year from `from`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: String,
    /// The first year the code means this measure, e.g. `2023-24`.
    #[serde(default)]
    pub from: Option<String>,
    /// The last year the code means this measure, e.g. `2022-23`.
    #[serde(default)]
    pub until: Option<String>,
}

/// A code and the years it names one measure.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MeasureCode {
    pub code: String,
    #[serde(serialize_with = "as_text")]
    pub from: Option<Year>,
    #[serde(serialize_with = "as_text")]
    pub until: Option<Year>,
}

fn as_text<S: serde::Serializer>(year: &Option<Year>, s: S) -> Result<S::Ok, S::Error> {
    match year {
        Some(year) => s.serialize_str(&year.to_string()),
        None => s.serialize_none(),
    }
}

impl MeasureCode {
    /// Checks a catalogue entry's years: each a `YYYY-YY` year, `from` not after `until`.
    pub fn from_entry(entry: &CodeEntry) -> Result<MeasureCode, String> {
        let year = |text: &Option<String>, field: &str| match text {
            None => Ok(None),
            Some(text) => Year::parse(text).map(Some).ok_or_else(|| {
                format!("`{field}: {text}` is not a financial year; write it like `2023-24`")
            }),
        };
        let from = year(&entry.from, "from")?;
        let until = year(&entry.until, "until")?;
        if let (Some(from), Some(until)) = (from, until)
            && from > until
        {
            return Err(format!(
                "code `{}` runs from {from} until {until}, which is backwards",
                entry.code
            ));
        }
        Ok(MeasureCode {
            code: entry.code.trim().to_string(),
            from,
            until,
        })
    }

    /// A code for every year.
    pub fn always(code: &str) -> MeasureCode {
        MeasureCode {
            code: code.trim().to_string(),
            from: None,
            until: None,
        }
    }

    pub fn covers(&self, year: Year) -> bool {
        self.from.is_none_or(|from| from <= year) && self.until.is_none_or(|until| year <= until)
    }

    /// Whether some year is covered by both.
    pub fn overlaps(&self, other: &MeasureCode) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(from), Some(until)) => from <= until,
            _ => true,
        };
        let other_starts_before_this_ends = match (other.from, self.until) {
            (Some(from), Some(until)) => from <= until,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_this_ends
    }

    /// `3A (from 2023-24)`, `1B (until 2022-23)`, `4A`.
    pub fn describe(&self) -> String {
        match (self.from, self.until) {
            (None, None) => self.code.clone(),
            (Some(from), None) => format!("{} (from {from})", self.code),
            (None, Some(until)) => format!("{} (until {until})", self.code),
            (Some(from), Some(until)) => format!("{} ({from} to {until})", self.code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(code: &str, from: Option<&str>, until: Option<&str>) -> MeasureCode {
        MeasureCode::from_entry(&CodeEntry {
            code: code.to_string(),
            from: from.map(str::to_string),
            until: until.map(str::to_string),
        })
        .expect("a good entry")
    }

    #[test]
    fn years_read_and_print_as_financial_years() {
        assert_eq!(Year::parse("2023-24"), Some(Year { start: 2023 }));
        assert_eq!(Year::parse(" 2023/24 "), Some(Year { start: 2023 }));
        assert_eq!(Year::parse("1999-00"), Some(Year { start: 1999 }));
        assert_eq!(Year::parse("2023-25"), None);
        assert_eq!(Year::parse("2023"), None);
        assert_eq!(Year::parse("23-24"), None);
        assert_eq!(Year::parse("2023-2024"), None);
        assert_eq!(Year { start: 1999 }.to_string(), "1999-00");
        assert_eq!(
            Year { start: 2023 }.previous().map(|y| y.to_string()),
            Some("2022-23".to_string())
        );
    }

    #[test]
    fn a_code_covers_its_years_only() {
        let old = code("1B", None, Some("2022-23"));
        let new = code("1B", Some("2023-24"), None);
        let y = |text: &str| Year::parse(text).expect("a year");
        assert!(old.covers(y("2017-18")) && old.covers(y("2022-23")) && !old.covers(y("2023-24")));
        assert!(!new.covers(y("2022-23")) && new.covers(y("2030-31")));
        assert!(!old.overlaps(&new) && !new.overlaps(&old));
        assert!(MeasureCode::always("1B").overlaps(&new));
        assert!(code("X", Some("2019-20"), Some("2020-21")).overlaps(&old));
        assert_eq!(new.describe(), "1B (from 2023-24)");
    }

    #[test]
    fn backwards_and_unreadable_years_are_refused() {
        let entry = |from: &str, until: &str| CodeEntry {
            code: "1A".to_string(),
            from: Some(from.to_string()),
            until: Some(until.to_string()),
        };
        assert!(MeasureCode::from_entry(&entry("2023-24", "2022-23")).is_err());
        assert!(MeasureCode::from_entry(&entry("2023", "2024-25")).is_err());
    }
}
