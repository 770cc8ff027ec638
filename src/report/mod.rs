//! Renderers of an [`Assessment`](crate::assessment::Assessment). They only format: no
//! rendering re-evaluates a rule.

pub mod calibration;
pub mod check;
pub mod diff;
pub mod explain;
pub mod gaps;
pub mod json;
pub mod testing;
pub mod text;
