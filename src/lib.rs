//! `assure` scores a local authority's adult social care evidence against the CQC
//! assessment framework.
//!
//! The pipeline is plain functions, data flowing one way: [`load_pack`] reads a rule pack
//! (YAML files whose rule sentences are parsed by the pest grammar in `grammar/rules.pest`
//! into the [`ast`]), [`load_evidence`] reads and validates one council's evidence,
//! [`assess`] evaluates every rule and forms each statement's score, the themes and the
//! overall rating, and [`report`] renders the result. A pack's own test cases are read by
//! [`load_cases`] and run by [`testing::run`], which also measures [`coverage`]. Problems
//! come back as [`Diagnostic`]s that point at a file, line and column; nothing in the
//! library prints.
//!
//! ```
//! let pack = assure::load_pack(None).expect("the default pack loads");
//! let evidence = assure::load_evidence("examples/staffordshire.yaml".as_ref(), &pack)
//!     .expect("the sample evidence loads");
//! let assessment = assure::assess(&evidence, &pack);
//! assert_eq!(assessment.statements.len(), 9);
//! ```

pub mod advice;
pub mod assessment;
pub mod ast;
pub mod batch;
pub mod calibration;
pub mod cases;
pub mod catalogue;
pub mod check;
pub mod confidence;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
mod eval;
pub mod evidence;
mod files;
pub mod fmt;
pub mod framework;
mod git;
pub mod import;
pub mod limits;
mod load;
mod number;
pub mod pack;
pub mod parse;
mod plan;
mod print;
pub mod report;
pub mod rollup;
pub mod schema;
mod score;
pub mod testing;
mod yaml;

pub use assessment::Assessment;
pub use diagnostic::{Diagnostic, Failure, Severity};
pub use files::{write_atomically, write_bytes_atomically};
pub use load::{
    builtin_catalogue, builtin_framework, evidence_paths, load_cases, load_evidence, load_pack,
    load_pack_files, pack_files, pack_files_from,
};
pub use score::{assess, combine, scores};

#[cfg(test)]
mod tests;
