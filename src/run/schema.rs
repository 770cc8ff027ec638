//! `assure schema`: the JSON Schema of a file `assure` reads.

use std::path::PathBuf;

use crate::report::schema::SchemaKind;
use crate::run::{Done, Outcome};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaFile {
    /// An evidence file.
    Evidence,
    /// A document of a rule pack (header, statement rules, or metrics).
    Pack,
    /// A pack's test case file.
    Cases,
}

/// What `assure schema` takes.
#[derive(Clone, Debug)]
pub struct Request {
    pub kind: SchemaFile,
    pub output: Option<PathBuf>,
}

/// The schema, for standard output or written to `-o`.
pub fn schema<'a>(request: &Request) -> Outcome<'a> {
    Outcome::of(|_| {
        let kind = match request.kind {
            SchemaFile::Evidence => SchemaKind::Evidence,
            SchemaFile::Pack => SchemaKind::Pack,
            SchemaFile::Cases => SchemaKind::Cases,
        };
        let schema = crate::report::schema::schema_json(kind)?;
        Ok(Done::passed(crate::run::emit(
            schema,
            request.output.as_deref(),
        )?))
    })
}
