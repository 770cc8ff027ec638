//! JSON Schemas of the files `assure` reads, generated from the very types its loaders
//! deserialize, so an editor's YAML language server checks a file by the same field names
//! and shapes as `assure` does. The schema is the shape only: statement ids, metric names,
//! units and ranges are checked by the loaders, which know the framework and catalogue.

use crate::evidence::EvidenceDocument;
use crate::pack::PackDocument;
use crate::packtest::cases::CaseFileDocument;

/// The kinds of file there is a schema for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// One council's evidence file.
    Evidence,
    /// One YAML document of a rule pack: its header, a statement's rules, or metrics.
    Pack,
    /// A pack's test case file.
    Cases,
}

/// The schema as pretty JSON, ending in a newline.
pub fn schema_json(kind: SchemaKind) -> Result<String, crate::source::diagnostic::Diagnostic> {
    let schema = match kind {
        SchemaKind::Evidence => schemars::schema_for!(EvidenceDocument),
        SchemaKind::Pack => schemars::schema_for!(PackDocument),
        SchemaKind::Cases => schemars::schema_for!(CaseFileDocument),
    };
    super::json::pretty(&schema)
}
