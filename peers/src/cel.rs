//! CEL (the `cel` crate): one compiled program per rule, each a boolean expression over
//! the variable `s`, the statement's part of the profile (`s.metrics.<metric>.value`,
//! `s.findings`). CEL has no rule sets or aggregation of results, so the host combines:
//! the fired rules' effects are summed and capped in Rust ([`crate::micropack::combine`]).
//!
//! A missing map key is an error in CEL, so each metric test first asks `has(...)` for the
//! item and the reference: with either missing the rule does not fire, as in ours.

use std::collections::BTreeSet;
use std::sync::Arc;

use cel::{Context, Env, Program, Value};

use crate::micropack::{Condition, Effect, MicroPack, Quantifier, Rule, StatementSpec, combine};
use crate::{Scores, StatementScore};

struct CelRule {
    id: String,
    program: Program,
    effect: Effect,
}

struct CelStatement {
    id: &'static str,
    key: &'static str,
    baseline: u8,
    rules: Vec<CelRule>,
}

pub struct Cel {
    env: Arc<Env>,
    statements: Vec<CelStatement>,
}

/// A profile in CEL's native form: one context per statement, binding `s`.
pub struct CelInput {
    contexts: Vec<Context<'static, 'static>>,
}

fn string_literal(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn findings(sentiment: Option<&str>, category: Option<&str>) -> String {
    let mut tests = Vec::new();
    if let Some(category) = category {
        tests.push(format!("f.category == {}", string_literal(category)));
    }
    if let Some(sentiment) = sentiment {
        tests.push(format!("f.sentiment == {}", string_literal(sentiment)));
    }
    if tests.is_empty() {
        "s.findings".to_string()
    } else {
        format!("s.findings.filter(f, {})", tests.join(" && "))
    }
}

/// A rule's condition as a CEL expression.
pub fn expression(statement: &StatementSpec, rule: &Rule) -> String {
    match &rule.condition {
        Condition::Metric {
            metric,
            op,
            reference,
        } => {
            let m = format!("s.metrics.{}", statement.metrics[*metric].key);
            let r = reference.field();
            format!(
                "has({m}) && has({m}.{r}) && {m}.value {} {m}.{r}",
                op.symbol()
            )
        }
        Condition::Findings {
            quantifier,
            sentiment,
            category,
        } => match quantifier {
            Quantifier::AtLeast(n) => format!("{}.size() >= {n}", findings(*sentiment, *category)),
            Quantifier::No => format!(
                "{}.size() > 0 && {}.size() == 0",
                findings(None, *category),
                findings(*sentiment, *category)
            ),
        },
    }
}

impl Cel {
    /// Compiles every rule's program.
    pub fn new(micro: &MicroPack) -> Result<Cel, String> {
        let env = Arc::new(Env::stdlib());
        let mut statements = Vec::new();
        for statement in &micro.statements {
            let mut rules = Vec::new();
            for rule in &statement.rules {
                let source = expression(statement, rule);
                let program = env
                    .compile(&source)
                    .map_err(|e| format!("cel: {}: {source}: {e}", rule.id))?;
                rules.push(CelRule {
                    id: rule.id.clone(),
                    program,
                    effect: rule.effect,
                });
            }
            statements.push(CelStatement {
                id: statement.id,
                key: statement.key,
                baseline: statement.baseline,
                rules,
            });
        }
        Ok(Cel { env, statements })
    }

    /// A profile's JSON as CEL contexts, one per statement.
    pub fn prepare(&self, json: &serde_json::Value) -> Result<CelInput, String> {
        let mut contexts = Vec::new();
        for statement in &self.statements {
            let mut context = Context::with_env(Arc::clone(&self.env));
            let part = json.get(statement.key).cloned().unwrap_or_default();
            context
                .add_variable("s", part)
                .map_err(|e| format!("cel: {e}"))?;
            contexts.push(context);
        }
        Ok(CelInput { contexts })
    }

    pub fn score(&self, input: &CelInput) -> Result<Scores, String> {
        let mut scores = Scores::new();
        for (statement, context) in self.statements.iter().zip(&input.contexts) {
            let mut fired = BTreeSet::new();
            let mut effects = Vec::new();
            for rule in &statement.rules {
                match rule.program.execute(context) {
                    Ok(Value::Bool(true)) => {
                        fired.insert(rule.id.clone());
                        effects.push(rule.effect);
                    }
                    Ok(Value::Bool(false)) => {}
                    other => return Err(format!("cel: {}: {other:?}", rule.id)),
                }
            }
            scores.insert(
                statement.id.to_string(),
                StatementScore {
                    score: combine(statement.baseline, effects),
                    fired,
                },
            );
        }
        Ok(scores)
    }
}
