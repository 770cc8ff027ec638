//! `--format json`: the assessment as stable, pretty-printed JSON.

use serde::Serialize;

use crate::report::problem::Problem;
use crate::score::assessment::Assessment;
use crate::source::diagnostic::{Diagnostic, Worded};

/// One assessment as a JSON object, or several as an array.
pub fn render(assessments: &[Assessment]) -> Result<String, Diagnostic> {
    match assessments {
        [one] => pretty(one),
        many => pretty(many),
    }
}

/// Pretty JSON ending in a newline: how every JSON output is written. The report types
/// serialise without fail today; were a change to break that, the run stops with this
/// error instead of writing nothing where JSON was promised.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, Diagnostic> {
    serde_json::to_string_pretty(value)
        .map(|json| json + "\n")
        .map_err(cannot_write)
}

/// A value as JSON data, to be placed inside another output (SARIF's properties).
pub(crate) fn value<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, Diagnostic> {
    serde_json::to_value(value).map_err(cannot_write)
}

fn cannot_write(error: serde_json::Error) -> Diagnostic {
    Problem::Json {
        reason: error.to_string(),
    }
    .unplaced()
}
