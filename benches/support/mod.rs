//! Inputs the benchmarks generate.
pub mod corpus;
