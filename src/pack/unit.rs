//! The unit a metric is measured in: its own file, as both the catalogue and the pack's
//! problems speak of it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a metric's values count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Percent,
    Count,
    Days,
    Rate,
    Score,
    Ratio,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::Days => "days",
            Unit::Rate => "rate",
            Unit::Score => "score",
            Unit::Ratio => "ratio",
        }
    }
}
