//! The ASCOF file layouts, told apart by their headers: the long trend file (one row per
//! area, year and measure) and NHS England's open-data release for one year (numerator,
//! denominator, outcome and margin-of-error rows per measure and breakdown).

use crate::evidence::import::mapping::normalise_header;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `trend_data.csv`: `Year`, `Geographical Description`, `ONS Code`, `Measure Group`,
    /// `Measure_Value`, `Geographical Level`, and for years before 2023-24
    /// `Disaggregation Level` and `Measure Type`.
    Trend,
    /// The open-data release: no year column (the release is one year's), a row per
    /// measure type (`Outcome`, `Margin Of Error`, ...) and breakdown.
    OpenData,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Trend => "the ASCOF trend layout",
            Layout::OpenData => "NHS England's ASCOF open-data layout",
        }
    }
}

/// Where each field is, by column index.
#[derive(Clone, Copy, Debug)]
pub struct Columns {
    pub layout: Layout,
    pub year: Option<usize>,
    pub area: usize,
    pub ons_code: usize,
    pub level: usize,
    /// The measure's code: `Measure Group` (the measure, not its breakdown).
    pub measure: usize,
    /// The open-data release's code of the row's breakdown (`1A1864`; `1A` for the total).
    pub breakdown_code: Option<usize>,
    pub value: usize,
    pub disaggregation: Option<usize>,
    pub measure_type: Option<usize>,
}

const TREND: &[&str] = &[
    "year",
    "geographical description",
    "ons code",
    "measure group",
    "measure value",
    "geographical level",
];
const OPEN_DATA: &[&str] = &[
    "geographical description",
    "geographical level",
    "ons code",
    "ascof measure code",
    "disaggregation level",
    "measure type",
    "measure value",
    "measure group",
];

/// Every header either layout uses, as written: for finding the header row.
pub const KNOWN: &[&str] = &[
    "Year",
    "Geographical Code",
    "Geographical Description",
    "Geographical Level",
    "ONS Code",
    "ASCOF Measure Code",
    "Measure Group",
    "Measure Group Description",
    "Measure_Value",
    "Measure Value",
    "Disaggregation Level",
    "Measure Type",
];

pub fn is_known_header(text: &str) -> bool {
    let text = normalise_header(text);
    KNOWN.iter().any(|known| normalise_header(known) == text)
}

/// What each layout's header row holds, for messages.
pub fn expected() -> String {
    format!(
        "the ASCOF trend layout has the columns Year, Geographical Description, ONS Code, Measure Group, Measure_Value and Geographical Level; NHS England's open-data release has {}",
        "Geographical Description, Geographical Level, ONS Code, ASCOF Measure Code, Disaggregation Level, Measure Type, Measure Value and Measure Group"
    )
}

/// The layout a header row is, if it is one.
pub fn of(headers: &[String]) -> Option<Columns> {
    let normal: Vec<String> = headers
        .iter()
        .map(|h| normalise_header(h).replace('_', " "))
        .map(|h| crate::lang::ast::normalise_words(&h))
        .collect();
    let find = |name: &str| normal.iter().position(|h| h == name);
    let all = |names: &[&str]| names.iter().all(|name| find(name).is_some());
    let layout = if all(OPEN_DATA) {
        Layout::OpenData
    } else if all(TREND) {
        Layout::Trend
    } else {
        return None;
    };
    Some(Columns {
        layout,
        year: find("year"),
        area: find("geographical description")?,
        ons_code: find("ons code")?,
        level: find("geographical level")?,
        measure: find("measure group")?,
        breakdown_code: find("ascof measure code"),
        value: find("measure value")?,
        disaggregation: find("disaggregation level"),
        measure_type: find("measure type"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_string).collect()
    }

    #[test]
    fn both_layouts_are_known_by_their_headers() {
        let trend = of(&headers(
            "Year,Geographical Description,ONS Code,Measure Group,Measure Group Description,Measure_Value,Geographical Level,Disaggregation Level,Measure Type",
        ));
        assert_eq!(trend.map(|c| (c.layout, c.value)), Some((Layout::Trend, 5)));
        let open = of(&headers(
            "Geographical Code,Geographical Description,Geographical Level,ONS Code,ASCOF Measure Code,Disaggregation Level,Measure Type,Measure Value,Measure Group,Measure Group Description",
        ));
        assert_eq!(
            open.map(|c| (c.layout, c.measure, c.year)),
            Some((Layout::OpenData, 8, None))
        );
        assert!(of(&headers("authority,statement,metric,value")).is_none());
    }
}
