//! `--format html`: one council's report as a single self-contained HTML file: inline
//! style and SVG charts, no scripts, and a Content-Security-Policy that forbids every fetch.

use minijinja::value::{Serde, Value};

use crate::source::diagnostic::Diagnostic;

use super::templates;
use super::view::CouncilReport;

/// The report as HTML; an error only if a template is faulty.
pub fn html(report: &CouncilReport) -> Result<String, Diagnostic> {
    templates::render("report.html.j2", Value::from(Serde(report.context())))
}
