//! Reading what the user gives and writing what they asked for: files and their limits,
//! YAML with spans, exact numbers, diagnostics that point at a file, line and column, the
//! codes those diagnostics carry, and output written safely. Every later stage builds on
//! this one; it imports none of them.

pub(crate) mod batch;
pub(crate) mod codes;
pub mod diagnostic;
pub mod digest;
pub(crate) mod escape;
pub(crate) mod file_kind;
pub(crate) mod files;
pub(crate) mod git;
pub mod inputs;
pub(crate) mod limits;
pub(crate) mod number;
pub mod output;
pub(crate) mod problem;
pub(crate) mod shapes;
pub(crate) mod yaml;
