//! `--format md`: one council's report as Markdown for GitHub or a board paper (headings,
//! tables and lists; no raw HTML).

use minijinja::value::{Serde, Value};

use crate::source::diagnostic::Diagnostic;

use super::templates;
use super::view::CouncilReport;

/// The report as Markdown; an error only if a template is faulty.
pub fn markdown(report: &CouncilReport) -> Result<String, Diagnostic> {
    templates::render("report.md.j2", Value::from(Serde(report.context())))
}
