//! Council profiles: seeded evidence for every metric and finding the micro-pack reads,
//! written both as our evidence YAML (docs/evidence.md) and as the JSON input the peers
//! take.
//!
//! Values sit near their reference so that every rule fires on some profiles and not on
//! others: about one in six equals its reference exactly (the boundary between `below` and
//! `at or below`), and items or references are sometimes missing (the rule cannot be
//! evaluated, so it does not fire). Every statement has at least one item, so every
//! statement is scored (a statement with no evidence and no rule moving it is left
//! unscored; see docs/scoring.md).

use std::fmt::Write as _;

use assure::pack::catalogue::Unit;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use crate::micropack::{CATEGORIES, MetricSpec, MicroPack};

/// England's 153 councils with adult social care duties.
pub const COUNCILS: usize = 153;

/// One metric item: its value and the references it gives.
#[derive(Debug, Clone)]
pub struct MetricData {
    pub value: Decimal,
    pub target: Option<Decimal>,
    pub england_average: Option<Decimal>,
}

#[derive(Debug, Clone)]
pub struct FindingData {
    pub category: &'static str,
    pub sentiment: &'static str,
}

/// What one council has for one statement.
#[derive(Debug, Clone)]
pub struct StatementData {
    /// By the statement's metric index; `None` when the council gives no item.
    pub metrics: Vec<Option<MetricData>>,
    pub findings: Vec<FindingData>,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub authority: String,
    /// In the micro-pack's statement order.
    pub statements: Vec<StatementData>,
}

/// The range and step of generated values for a unit, in hundredths.
fn scale(metric: &MetricSpec) -> (i64, i64, i64) {
    match metric.unit {
        // (lowest reference, highest reference, step), all in hundredths.
        Unit::Percent => (3_000, 9_500, 10),
        Unit::Days => (1_000, 9_000, 100),
        Unit::Count => (0, 40_000, 100),
        Unit::Rate => (1_000, 90_000, 10),
        Unit::Score => {
            let top = metric
                .max
                .and_then(|m| (m * Decimal::ONE_HUNDRED).to_i64())
                .unwrap_or(2_400);
            (top * 6 / 10, top * 9 / 10, 10)
        }
        Unit::Ratio => (50, 200, 1),
    }
}

fn metric_data(rng: &mut fastrand::Rng, metric: &MetricSpec) -> Option<MetricData> {
    if rng.u32(..12) == 0 {
        return None;
    }
    let (low, high, step) = scale(metric);
    let top = match metric.unit {
        Unit::Percent => 10_000,
        Unit::Score => metric
            .max
            .and_then(|m| (m * Decimal::ONE_HUNDRED).to_i64())
            .unwrap_or(i64::MAX),
        _ => i64::MAX,
    };
    // A reference on the step grid, and a value a few steps either side or level with it.
    let reference = rng.i64(low / step..=high / step) * step;
    let offset = if rng.u32(..6) == 0 {
        0
    } else {
        let steps = rng.i64(1..=40);
        if rng.bool() { steps } else { -steps }
    };
    let value = (reference + offset * step).clamp(0, top);
    let reference = Decimal::new(reference, 2).normalize();
    let value = Decimal::new(value, 2).normalize();
    let reference = (rng.u32(..10) != 0).then_some(reference);
    let (target, england_average) = match metric.reference {
        crate::micropack::Reference::Target => (reference, None),
        crate::micropack::Reference::EnglandAverage => (None, reference),
    };
    Some(MetricData {
        value,
        target,
        england_average,
    })
}

impl Profile {
    /// Council `index`'s profile for a seed.
    pub fn generate(pack: &MicroPack, seed: u64, index: usize) -> Profile {
        let mut rng =
            fastrand::Rng::with_seed(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let statements = pack
            .statements
            .iter()
            .map(|statement| {
                let mut metrics: Vec<Option<MetricData>> = statement
                    .metrics
                    .iter()
                    .map(|m| metric_data(&mut rng, m))
                    .collect();
                let findings: Vec<FindingData> = (0..rng.usize(0..=12))
                    .map(|_| FindingData {
                        category: CATEGORIES[rng.usize(..CATEGORIES.len())],
                        sentiment: ["positive", "positive", "negative", "mixed"][rng.usize(..4)],
                    })
                    .collect();
                // Every statement has evidence, so every statement is scored.
                if findings.is_empty() && metrics.iter().all(Option::is_none) {
                    metrics[0] = Some(MetricData {
                        value: Decimal::from(50),
                        target: None,
                        england_average: None,
                    });
                }
                StatementData { metrics, findings }
            })
            .collect();
        Profile {
            authority: format!("Peer Council {index:03}"),
            statements,
        }
    }

    /// The national set: one profile per council.
    pub fn national(pack: &MicroPack, seed: u64) -> Vec<Profile> {
        (0..COUNCILS)
            .map(|index| Profile::generate(pack, seed, index))
            .collect()
    }

    /// Our evidence file (docs/evidence.md).
    pub fn evidence_yaml(&self, pack: &MicroPack) -> String {
        let mut yaml = format!("authority: {}\nitems:\n", self.authority);
        for (statement, data) in pack.statements.iter().zip(&self.statements) {
            let prefix = statement.rules[0].id.split('-').next().unwrap_or("s");
            for (m, (metric, item)) in statement.metrics.iter().zip(&data.metrics).enumerate() {
                let Some(item) = item else { continue };
                writeln!(
                    yaml,
                    "  - id: {prefix}-m{m}\n    statement: {}\n    category: {}\n    metric: {}\n    value: {}",
                    statement.id, metric.category, metric.name, item.value
                )
                .ok();
                if let Some(target) = item.target {
                    writeln!(yaml, "    target: {target}").ok();
                }
                if let Some(average) = item.england_average {
                    writeln!(yaml, "    england_average: {average}").ok();
                }
                writeln!(yaml, "    source: Generated peer profile").ok();
            }
            for (f, finding) in data.findings.iter().enumerate() {
                writeln!(
                    yaml,
                    "  - id: {prefix}-f{f}\n    statement: {}\n    category: {}\n    finding: Generated finding.\n    sentiment: {}\n    source: Generated peer profile",
                    statement.id, finding.category, finding.sentiment
                )
                .ok();
            }
        }
        yaml
    }

    /// The same evidence file written as JSON, which our loader also reads.
    pub fn evidence_json(&self, pack: &MicroPack) -> String {
        let number = |d: Decimal| {
            let float: f64 = d.to_string().parse().unwrap_or(f64::NAN);
            serde_json::Number::from_f64(float).map_or(Value::Null, Value::Number)
        };
        let mut items = Vec::new();
        for (statement, data) in pack.statements.iter().zip(&self.statements) {
            let prefix = statement.rules[0].id.split('-').next().unwrap_or("s");
            for (m, (metric, item)) in statement.metrics.iter().zip(&data.metrics).enumerate() {
                let Some(item) = item else { continue };
                let mut fields = Map::new();
                fields.insert("id".to_string(), json!(format!("{prefix}-m{m}")));
                fields.insert("statement".to_string(), json!(statement.id));
                fields.insert("category".to_string(), json!(metric.category));
                fields.insert("metric".to_string(), json!(metric.name));
                fields.insert("value".to_string(), number(item.value));
                if let Some(target) = item.target {
                    fields.insert("target".to_string(), number(target));
                }
                if let Some(average) = item.england_average {
                    fields.insert("england_average".to_string(), number(average));
                }
                fields.insert("source".to_string(), json!("Generated peer profile"));
                items.push(Value::Object(fields));
            }
            for (f, finding) in data.findings.iter().enumerate() {
                items.push(json!({
                    "id": format!("{prefix}-f{f}"),
                    "statement": statement.id,
                    "category": finding.category,
                    "finding": "Generated finding.",
                    "sentiment": finding.sentiment,
                    "source": "Generated peer profile",
                }));
            }
        }
        json!({"authority": self.authority, "items": items}).to_string()
    }

    /// The peers' input: for each statement key, its metrics by key (a missing item or
    /// reference is an absent key) and its findings. Numbers are JSON doubles.
    pub fn json(&self, pack: &MicroPack) -> Value {
        let number = |d: Decimal| {
            let float: f64 = d.to_string().parse().unwrap_or(f64::NAN);
            serde_json::Number::from_f64(float).map_or(Value::Null, Value::Number)
        };
        let mut root = Map::new();
        root.insert("authority".to_string(), json!(self.authority));
        for (statement, data) in pack.statements.iter().zip(&self.statements) {
            let mut metrics = Map::new();
            for (metric, item) in statement.metrics.iter().zip(&data.metrics) {
                let Some(item) = item else { continue };
                let mut fields = Map::new();
                fields.insert("value".to_string(), number(item.value));
                if let Some(target) = item.target {
                    fields.insert("target".to_string(), number(target));
                }
                if let Some(average) = item.england_average {
                    fields.insert("england_average".to_string(), number(average));
                }
                metrics.insert(metric.key.clone(), Value::Object(fields));
            }
            let findings: Vec<Value> = data
                .findings
                .iter()
                .map(|f| json!({"category": f.category, "sentiment": f.sentiment}))
                .collect();
            root.insert(
                statement.key.to_string(),
                json!({"metrics": metrics, "findings": findings}),
            );
        }
        Value::Object(root)
    }
}
