//! A pack's own test cases (`assure test`): reading case files, running each case against
//! the pack, and measuring which rules and statements the cases exercise.

pub mod cases;
pub(crate) mod coverage;
pub(crate) mod problem;
pub(crate) mod read;
pub mod run;

#[cfg(test)]
mod tests;
