//! zen-engine: the micro-pack as a JDM decision graph.
//!
//! ```text
//! input ─┬─ decision table "assessing-needs" (hit policy collect) ─┬─ expression "combine" ─ output
//!        ├─ decision table "supporting-healthier-lives"           ─┤
//!        └─ ...                                                   ─┘
//! ```
//!
//! Each statement is one decision table. Its input columns are the statement's metric
//! values (`assessing_needs.metrics.<metric>.value`) and the finding counts its rules read
//! (`len(filter(assessing_needs.findings, ...))`); each row is one rule, with a cell such
//! as `< assessing_needs.metrics.<metric>.target` in its metric's column and outputs
//! `rule` (its id), `adj` (signed adjustment) and `cap` (4 unless it caps). With hit policy
//! `collect` the table returns every row that matched. In zen, comparing a number with
//! `null` (a missing value or reference) is an error, and a cell whose expression fails
//! does not match, so such a rule does not fire: the same as ours. The expression node
//! then forms each statement's score in the graph: baseline plus the summed `adj`, the
//! lowest `cap`, clamped to 1..4.
//!
//! `DecisionEngine::evaluate` is async but never waits on anything here, so a future is
//! polled to completion on the calling thread with a no-op waker.

use std::collections::BTreeSet;
use std::future::Future;
use std::task::{Context, Poll, Waker};

use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};
use zen_engine::Decision;
use zen_engine::Variable;
use zen_engine::model::DecisionContent;

use crate::micropack::{Condition, MicroPack, Quantifier, Rule, StatementSpec};
use crate::{Scores, StatementScore};

pub struct Zen {
    decision: Decision,
    statements: Vec<(&'static str, &'static str)>,
}

/// Runs a future that needs no reactor to completion on this thread.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::yield_now();
    }
}

fn string_literal(text: &str) -> String {
    // JSON string escaping is also a valid zen double-quoted string for these texts.
    Value::String(text.to_string()).to_string()
}

/// A filter over a statement's findings, as a zen expression.
fn findings_filter(
    statement: &StatementSpec,
    sentiment: Option<&str>,
    category: Option<&str>,
) -> String {
    let mut tests = Vec::new();
    if let Some(category) = category {
        tests.push(format!("#.category == {}", string_literal(category)));
    }
    if let Some(sentiment) = sentiment {
        tests.push(format!("#.sentiment == {}", string_literal(sentiment)));
    }
    if tests.is_empty() {
        format!("len({}.findings)", statement.key)
    } else {
        format!(
            "len(filter({}.findings, {}))",
            statement.key,
            tests.join(" and ")
        )
    }
}

/// Input columns and one row per rule for a statement's table.
fn table(statement: &StatementSpec) -> Value {
    // Columns by field expression, in first-use order.
    let mut columns: Vec<(String, String)> = Vec::new();
    let mut column = |name: String, field: String| -> String {
        if let Some(i) = columns.iter().position(|(_, f)| *f == field) {
            return format!("in{i}");
        }
        columns.push((name, field));
        format!("in{}", columns.len() - 1)
    };
    let mut rows = Vec::new();
    for rule in &statement.rules {
        let mut row = serde_json::Map::new();
        row.insert("_id".to_string(), json!(rule.id));
        for (input, cell) in cells(statement, rule, &mut column) {
            row.insert(input, json!(cell));
        }
        row.insert("out_rule".to_string(), json!(string_literal(&rule.id)));
        row.insert(
            "out_adj".to_string(),
            json!(rule.effect.adjustment().to_string()),
        );
        row.insert("out_cap".to_string(), json!(rule.effect.cap().to_string()));
        rows.push(Value::Object(row));
    }
    let inputs: Vec<Value> = columns
        .iter()
        .enumerate()
        .map(|(i, (name, field))| json!({"id": format!("in{i}"), "name": name, "field": field}))
        .collect();
    json!({
        "hitPolicy": "collect",
        "inputs": inputs,
        "outputs": [
            {"id": "out_rule", "name": "Rule", "field": "rule"},
            {"id": "out_adj", "name": "Adjustment", "field": "adj"},
            {"id": "out_cap", "name": "Cap", "field": "cap"}
        ],
        "rules": rows,
        "outputPath": statement.key,
    })
}

/// A rule's cells: (column id, unary test).
fn cells(
    statement: &StatementSpec,
    rule: &Rule,
    column: &mut impl FnMut(String, String) -> String,
) -> Vec<(String, String)> {
    match &rule.condition {
        Condition::Metric {
            metric,
            op,
            reference,
        } => {
            let metric = &statement.metrics[*metric];
            let path = format!("{}.metrics.{}", statement.key, metric.key);
            let input = column(metric.name.to_string(), format!("{path}.value"));
            vec![(
                input,
                format!("{} {path}.{}", op.symbol(), reference.field()),
            )]
        }
        Condition::Findings {
            quantifier,
            sentiment,
            category,
        } => {
            let from = category.map(|c| format!(" from {c}")).unwrap_or_default();
            let matching = column(
                format!("{} findings{from}", sentiment.unwrap_or("all")),
                findings_filter(statement, *sentiment, *category),
            );
            match quantifier {
                Quantifier::AtLeast(n) => vec![(matching, format!(">= {n}"))],
                Quantifier::No => {
                    // `no`: the pool must not be empty (else unknown), and none matches.
                    let pool = column(
                        format!("all findings{from}"),
                        findings_filter(statement, None, *category),
                    );
                    vec![(pool, "> 0".to_string()), (matching, "0".to_string())]
                }
            }
        }
    }
}

/// The JDM graph of the micro-pack.
pub fn graph(micro: &MicroPack) -> Value {
    let mut nodes =
        vec![json!({"id": "input", "name": "Request", "type": "inputNode", "content": {}})];
    let mut edges = Vec::new();
    let mut expressions = Vec::new();
    for (i, statement) in micro.statements.iter().enumerate() {
        let id = format!("table-{}", statement.key);
        nodes.push(json!({
            "id": id,
            "name": statement.id,
            "type": "decisionTableNode",
            "content": table(statement),
        }));
        edges.push(json!({"id": format!("e-in-{i}"), "sourceId": "input", "targetId": id}));
        edges.push(json!({"id": format!("e-out-{i}"), "sourceId": id, "targetId": "combine"}));
        let rows = statement.key;
        expressions.push(json!({
            "id": format!("fired-{i}"),
            "key": format!("{rows}.fired"),
            "value": format!("map({rows}, #.rule)"),
        }));
        expressions.push(json!({
            "id": format!("score-{i}"),
            "key": format!("{rows}.score"),
            "value": format!(
                "max([1, min(flatten([[4, {} + sum(map({rows}, #.adj))], map({rows}, #.cap)]))])",
                statement.baseline
            ),
        }));
    }
    nodes.push(json!({
        "id": "combine",
        "name": "Combine",
        "type": "expressionNode",
        "content": {"expressions": expressions},
    }));
    nodes.push(json!({"id": "output", "name": "Response", "type": "outputNode", "content": {}}));
    edges.push(json!({"id": "e-final", "sourceId": "combine", "targetId": "output"}));
    json!({"nodes": nodes, "edges": edges})
}

impl Zen {
    /// Builds and compiles the decision (expressions to bytecode, table indexes).
    pub fn new(micro: &MicroPack) -> Result<Zen, String> {
        let content: DecisionContent =
            serde_json::from_value(graph(micro)).map_err(|e| format!("the JDM graph: {e}"))?;
        let graph = content
            .as_graph()
            .ok_or("the JDM content is not a graph")?
            .clone();
        let mut decision = Decision::from(graph);
        decision.compile();
        decision
            .validate()
            .map_err(|e| format!("the JDM graph: {e:?}"))?;
        Ok(Zen {
            decision,
            statements: micro.statements.iter().map(|s| (s.id, s.key)).collect(),
        })
    }

    /// A profile's JSON as zen's native input.
    pub fn prepare(json: &Value) -> Variable {
        Variable::from(json)
    }

    pub fn score(&self, input: Variable) -> Result<Scores, String> {
        let response =
            block_on(self.decision.evaluate(input)).map_err(|e| format!("zen: {e:?}"))?;
        let mut scores = Scores::new();
        for (id, key) in &self.statements {
            let score = response
                .result
                .dot(&format!("{key}.score"))
                .and_then(|v| v.as_number())
                .filter(|n| n.fract().is_zero())
                .and_then(|n| n.to_u8())
                .ok_or_else(|| format!("zen: no whole score for {id}"))?;
            let fired: BTreeSet<String> = response
                .result
                .dot(&format!("{key}.fired"))
                .and_then(|v| v.as_array())
                .map(|rows| {
                    rows.borrow()
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .ok_or_else(|| format!("zen: no fired rules for {id}"))?;
            scores.insert(id.to_string(), StatementScore { score, fired });
        }
        Ok(scores)
    }
}
