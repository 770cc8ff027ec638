//! `assure` scores a local authority's adult social care evidence against the CQC
//! assessment framework.
//!
//! The modules below are the pipeline, in order; each imports only the ones above it, and
//! data flows one way (docs/architecture.md):
//!
//! ```text
//! source ─> lang ─> pack ─> evidence ─> score ─> logic ─> check
//!                                         │        └───> advice
//!                                         ├─> packtest
//!                                         └─> compare ──────────> report ─> run
//! ```
//!
//! [`load_pack`] reads a rule pack (YAML files whose rule sentences the pest grammar in
//! `grammar/rules.pest` parses), [`load_evidence`] reads and validates one council's
//! evidence, [`assess`] evaluates every rule and forms each statement's score, the themes
//! and the overall rating, and [`report`] renders the result; [`run`] composes the stages
//! into one entry point per command, which the command line calls and shows. Problems come
//! back as [`Diagnostic`]s that point at a file, line and column; nothing in the library
//! prints.
//!
//! ```
//! let pack = assure::load_pack(None).expect("the default pack loads");
//! let evidence = assure::load_evidence("examples/staffordshire.yaml".as_ref(), &pack)
//!     .expect("the sample evidence loads");
//! let assessment = assure::assess(&evidence, &pack);
//! assert_eq!(assessment.statements.len(), 9);
//! ```

/// Files in and out, YAML with spans, exact numbers, diagnostics and their codes.
pub mod source;
/// The rule language: syntax tree, parser, canonical printer.
pub mod lang;
/// Rule packs: the framework, the metric catalogue, the rules and their compiled plan.
pub mod pack;
/// A council's evidence: reading, validating, and importing it from tables and ASCOF.
pub mod evidence;
/// Scoring: each rule evaluated, each statement scored, themes and overall rolled up.
pub mod score;
/// Rules as logic: formulas, an exact solver, counterexamples.
pub(crate) mod logic;
/// `assure check`: the validator's findings about a pack.
pub mod check;
/// What would move a score, and what evidence is missing.
pub mod advice;
/// A pack's own test cases, their runner and coverage.
pub mod packtest;
/// One pack against another (`diff`), and against CQC's published scores (`calibrate`).
pub mod compare;
/// Every output: text, JSON, Markdown, HTML, Word, SARIF, JUnit and JSON Schema.
pub mod report;
/// One entry point per command, composing the stages above; the command line only shows.
pub mod run;

pub use evidence::Evidence;
pub use evidence::read::{evidence_paths, load_evidence};
pub use pack::Pack;
pub use pack::builtin::{
    builtin_catalogue, builtin_framework, load_pack, load_pack_files, pack_files, pack_files_from,
};
pub use packtest::read::load_cases;
pub use score::assessment::Assessment;
pub use score::{assess, combine, scores};
pub use source::diagnostic::{Diagnostic, Failure, Severity};
pub use source::output::write_atomically;
