//! Renderers of an [`Assessment`](crate::score::assessment::Assessment). They only format: no
//! rendering re-evaluates a rule.

pub mod calibration;
mod charts;
pub mod check;
pub(crate) mod council;
pub mod diff;
pub(crate) mod docx;
pub mod explain;
pub mod gaps;
pub mod html;
pub mod json;
mod links;
mod problem;
pub mod markdown;
mod reasons;
pub(crate) mod schema;
mod statement;
mod summary;
mod templates;
pub mod testing;
pub mod text;
mod view;

pub use docx::docx;
pub use html::html;
pub use markdown::markdown;
pub use view::CouncilReport;
