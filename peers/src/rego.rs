//! regorus: the micro-pack as one Rego policy. Each rule is a `fired contains {...} if`
//! rule producing an object with the rule id, its statement, its adjustment and its cap;
//! `result` groups them by statement and forms each score in Rego (baseline plus the
//! summed adjustments, the lowest cap, clamped to 1..4).
//!
//! A reference to a missing item or reference (`m.target` when the item has none) is
//! undefined in Rego, so the rule body fails and the rule does not fire, as in ours.
//!
//! Two ways to run it: regorus's interpreter (`Engine`, the policy parsed and analysed
//! once, then per profile `set_input` and `eval_rule`), and its virtual machine (the
//! policy compiled once to an RVM program, then per profile `set_input` and `execute`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::rvm::program::Program;
use regorus::{Engine, Value};

use crate::micropack::{Condition, MicroPack, Quantifier, Rule, StatementSpec};
use crate::{Scores, StatementScore};

/// The rule every evaluation asks for.
pub const ENTRY_POINT: &str = "data.assure.result";

fn string_literal(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn findings(statement: &StatementSpec, sentiment: Option<&str>, category: Option<&str>) -> String {
    let mut body = format!("f | some f in input.{}.findings", statement.key);
    if let Some(category) = category {
        write!(body, "; f.category == {}", string_literal(category)).ok();
    }
    if let Some(sentiment) = sentiment {
        write!(body, "; f.sentiment == {}", string_literal(sentiment)).ok();
    }
    format!("count([{body}])")
}

/// A rule's body, one Rego expression a line.
fn body(statement: &StatementSpec, rule: &Rule) -> Vec<String> {
    match &rule.condition {
        Condition::Metric {
            metric,
            op,
            reference,
        } => vec![
            format!(
                "m := input.{}.metrics.{}",
                statement.key, statement.metrics[*metric].key
            ),
            format!("m.value {} m.{}", op.symbol(), reference.field()),
        ],
        Condition::Findings {
            quantifier,
            sentiment,
            category,
        } => match quantifier {
            Quantifier::AtLeast(n) => {
                vec![format!(
                    "{} >= {n}",
                    findings(statement, *sentiment, *category)
                )]
            }
            Quantifier::No => vec![
                format!("{} > 0", findings(statement, None, *category)),
                format!("{} == 0", findings(statement, *sentiment, *category)),
            ],
        },
    }
}

/// The micro-pack as a Rego policy.
pub fn policy(micro: &MicroPack) -> String {
    let mut rego = String::from("package assure\n\nimport rego.v1\n\nbaselines := {\n");
    for statement in &micro.statements {
        writeln!(
            rego,
            "\t{}: {},",
            string_literal(statement.id),
            statement.baseline
        )
        .ok();
    }
    rego.push_str("}\n");
    for statement in &micro.statements {
        for rule in &statement.rules {
            writeln!(
                rego,
                "\n# {}\nfired contains {{\"statement\": {}, \"rule\": {}, \"adj\": {}, \"cap\": {}}} if {{",
                MicroPack::sentence(statement, rule),
                string_literal(statement.id),
                string_literal(&rule.id),
                rule.effect.adjustment(),
                rule.effect.cap()
            )
            .ok();
            for line in body(statement, rule) {
                writeln!(rego, "\t{line}").ok();
            }
            rego.push_str("}\n");
        }
    }
    rego.push_str(
        r#"
result[s] := {"score": score, "fired": ids} if {
	some s, baseline in baselines
	rows := [r | some r in fired; r.statement == s]
	adj := sum([r.adj | some r in rows])
	cap := min({4} | {r.cap | some r in rows})
	score := max({1, min({4, baseline + adj, cap})})
	ids := {r.rule | some r in rows}
}
"#,
    );
    rego
}

/// Reads `result` into scores.
fn read(result: &Value, statements: &[&'static str]) -> Result<Scores, String> {
    let mut scores = Scores::new();
    for id in statements {
        let entry = &result[*id];
        let score = entry["score"]
            .as_u64()
            .ok()
            .and_then(|n| u8::try_from(n).ok())
            .ok_or_else(|| format!("rego: no score for {id} in {result}"))?;
        let fired: BTreeSet<String> = entry["fired"]
            .as_set()
            .map_err(|e| format!("rego: fired rules for {id}: {e}"))?
            .iter()
            .filter_map(|v| v.as_string().ok().map(|s| s.to_string()))
            .collect();
        scores.insert(id.to_string(), StatementScore { score, fired });
    }
    Ok(scores)
}

/// regorus's interpreter.
pub struct Rego {
    engine: Engine,
    statements: Vec<&'static str>,
}

impl Rego {
    /// Parses the policy and prepares the interpreter (by evaluating once on an empty input).
    pub fn new(micro: &MicroPack) -> Result<Rego, String> {
        let mut engine = Engine::new();
        engine
            .add_policy("assure.rego".to_string(), policy(micro))
            .map_err(|e| format!("rego: {e}"))?;
        engine.set_input(Value::new_object());
        engine
            .eval_rule(ENTRY_POINT.to_string())
            .map_err(|e| format!("rego: {e}"))?;
        Ok(Rego {
            engine,
            statements: micro.statements.iter().map(|s| s.id).collect(),
        })
    }

    /// A profile's JSON as a regorus value.
    pub fn prepare(json: &serde_json::Value) -> Value {
        Value::from(json.clone())
    }

    pub fn score(&mut self, input: &Value) -> Result<Scores, String> {
        self.engine.set_input(input.clone());
        let result = self
            .engine
            .eval_rule(ENTRY_POINT.to_string())
            .map_err(|e| format!("rego: {e}"))?;
        read(&result, &self.statements)
    }
}

/// regorus's virtual machine (RVM).
pub struct RegoVm {
    vm: RegoVM,
    statements: Vec<&'static str>,
}

impl RegoVm {
    /// Compiles the policy to an RVM program and loads it.
    pub fn new(micro: &MicroPack) -> Result<RegoVm, String> {
        let mut engine = Engine::new();
        engine
            .add_policy("assure.rego".to_string(), policy(micro))
            .map_err(|e| format!("rego: {e}"))?;
        let entry: regorus::Rc<str> = ENTRY_POINT.into();
        let compiled = engine
            .compile_with_entrypoint(&entry)
            .map_err(|e| format!("rego: {e}"))?;
        let program: Arc<Program> = Compiler::compile_from_policy(&compiled, &[ENTRY_POINT])
            .map_err(|e| format!("rego vm: {e}"))?;
        let mut vm = RegoVM::new();
        vm.load_program(program);
        Ok(RegoVm {
            vm,
            statements: micro.statements.iter().map(|s| s.id).collect(),
        })
    }

    pub fn score(&mut self, input: &Value) -> Result<Scores, String> {
        self.vm.set_input(input.clone());
        let result = self.vm.execute().map_err(|e| format!("rego vm: {e}"))?;
        read(&result, &self.statements)
    }
}
