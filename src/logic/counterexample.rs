//! A model as evidence: the items a council's file would hold, shown to the auditor and run
//! through the real evaluator, so a counterexample is only ever reported once it has been
//! seen to make the rules fire.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use super::formula::{SLOTS, Slot};
use super::theory::Model;
use crate::evidence::{Finding, Item, ItemContent, MetricValue};
use crate::lang::ast::{Category, Sentiment, Strength};
use crate::pack::{Pack, PackRule};
use crate::score::eval::{StatementEvidence, rule_fires};

/// An evidence profile for one statement.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Counterexample {
    pub metrics: Vec<CounterMetric>,
    pub findings: Vec<CounterFinding>,
}

/// What an invariant finding changes in its counterexample, and the scores either side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The change in words: `one more negative finding from processes`.
    pub what: String,
    /// The profile after the change.
    pub after: Counterexample,
    pub score_before: Option<u8>,
    pub score_after: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CounterMetric {
    pub metric: String,
    pub category: Category,
    pub value: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub england_average: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regional_average: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator_average: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<Decimal>,
}

impl CounterMetric {
    /// A metric item of `category` with no comparators or margin.
    pub fn bare(metric: String, category: Category, value: Decimal) -> CounterMetric {
        CounterMetric {
            metric,
            category,
            value,
            target: None,
            england_average: None,
            regional_average: None,
            comparator_average: None,
            previous: None,
            margin: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CounterFinding {
    pub count: u32,
    pub sentiment: Sentiment,
    pub strength: Strength,
    pub category: Category,
    pub tags: Vec<String>,
}

impl Counterexample {
    pub fn from_model(model: &Model, pack: &Pack) -> Counterexample {
        let slot = |slots: &[Option<Decimal>; SLOTS], slot: Slot| {
            slots
                .get(slot.index())
                .copied()
                .flatten()
                .map(|d| d.normalize())
        };
        Counterexample {
            metrics: model
                .metrics
                .iter()
                .map(|m| CounterMetric {
                    metric: pack.catalogue.metric(m.metric).name.clone(),
                    category: m.category,
                    value: slot(&m.slots, Slot::Value).unwrap_or_default(),
                    target: slot(&m.slots, Slot::Target),
                    england_average: slot(&m.slots, Slot::England),
                    regional_average: slot(&m.slots, Slot::Regional),
                    comparator_average: slot(&m.slots, Slot::Comparator),
                    previous: slot(&m.slots, Slot::Previous),
                    margin: slot(&m.slots, Slot::Margin),
                })
                .collect(),
            findings: model
                .findings
                .iter()
                .map(|f| CounterFinding {
                    count: f.count,
                    sentiment: f.sentiment,
                    strength: if f.strong {
                        Strength::Strong
                    } else {
                        Strength::Normal
                    },
                    category: f.category,
                    tags: f.tags.clone(),
                })
                .collect(),
        }
    }

    /// The profile as evidence items bearing on one statement.
    pub fn items(&self, pack: &Pack, statement: &str) -> Vec<Item> {
        let item = |id: String, category: Category, content: ItemContent| {
            Item::supposed(id, statement, category, content)
        };
        let mut items = Vec::new();
        for (index, m) in self.metrics.iter().enumerate() {
            items.push(item(
                format!("m{}", index + 1),
                m.category,
                ItemContent::Metric(MetricValue {
                    name: m.metric.clone(),
                    metric: pack.catalogue.lookup(&m.metric),
                    value: m.value,
                    target: m.target,
                    england_average: m.england_average,
                    regional_average: m.regional_average,
                    comparator_average: m.comparator_average,
                    previous: m.previous,
                    margin: m.margin,
                    percent_sign: false,
                }),
            ));
        }
        for (index, f) in self.findings.iter().enumerate() {
            for copy in 0..f.count {
                items.push(item(
                    format!("f{}-{}", index + 1, copy + 1),
                    f.category,
                    ItemContent::Finding(Finding {
                        text: "counterexample".to_string(),
                        sentiment: f.sentiment,
                        strength: f.strength,
                        tags: f.tags.clone(),
                    }),
                ));
            }
        }
        items
    }

    /// The statement's score on this profile, by the real scorer; `None` when not scored.
    pub fn score(&self, pack: &Pack, statement: &str) -> Option<u8> {
        let rules = pack.statement_rules(statement)?;
        let items = self.items(pack, statement);
        let refs: Vec<&Item> = items.iter().collect();
        crate::score::statement_score(pack, rules, &refs)
    }

    /// Whether each rule fires on this profile, by the real evaluator.
    pub fn fired(&self, pack: &Pack, statement: &str, rules: &[&PackRule]) -> Vec<bool> {
        let items = self.items(pack, statement);
        let view = StatementEvidence {
            items: items.iter().collect(),
        };
        rules
            .iter()
            .map(|rule| rule_fires(rule, &view, pack))
            .collect()
    }
}

impl fmt::Display for Counterexample {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for m in &self.metrics {
            let mut text = format!("`{}` = {}", m.metric, m.value);
            for (name, value) in [
                ("target", m.target),
                ("England average", m.england_average),
                ("regional average", m.regional_average),
                ("comparator average", m.comparator_average),
                ("previous", m.previous),
            ] {
                if let Some(value) = value {
                    text.push_str(&format!(", {name} {value}"));
                }
            }
            text.push_str(&format!(" ({})", m.category.as_str()));
            parts.push(text);
        }
        for finding in &self.findings {
            let strong = match finding.strength {
                Strength::Strong => " strong",
                Strength::Normal => "",
            };
            let mut text = format!(
                "{}{strong} {} finding{} from {}",
                finding.count,
                finding.sentiment.as_str(),
                if finding.count == 1 { "" } else { "s" },
                finding.category.as_str()
            );
            if !finding.tags.is_empty() {
                let tags: Vec<String> = finding.tags.iter().map(|t| format!("\"{t}\"")).collect();
                text.push_str(&format!(" tagged {}", tags.join(", ")));
            }
            parts.push(text);
        }
        if parts.is_empty() {
            f.write_str("no evidence at all")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}
