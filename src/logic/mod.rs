//! Rules as logic, shared by `check` (what can a rule do?) and `advice` (what would move a
//! score?): conditions as two-valued formulas, finding counts as integer variables, an exact
//! solver for linear constraints over decimals, and the evidence profiles (counterexamples)
//! a model turns into.

pub(crate) mod counterexample;
pub(crate) mod counts;
pub(crate) mod formula;
pub(crate) mod lowering;
pub(crate) mod solver;
pub(crate) mod theory;
