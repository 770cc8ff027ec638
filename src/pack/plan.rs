//! Rules compiled once, when their pack loads. Scoring a council walks these plans rather
//! than the syntax tree: metric names are already resolved to catalogue ids, tags are
//! already normalised, and the words a report shows for each test, effect and location are
//! already written, so an evaluation does no name lookups and no printing of the rule.

use std::sync::Arc;

use crate::lang::ast::{Condition, Rule, Test, normalise_words};
use crate::pack::catalogue::{Catalogue, MetricId};

/// One rule, ready to evaluate.
#[derive(Debug, Clone)]
pub struct RulePlan {
    pub condition: Node,
    pub unless: Option<Node>,
    /// The rule's id and sentence, shared with every trace of it.
    pub id: Arc<str>,
    pub text: Arc<str>,
    /// The effect in canonical words, e.g. `lowers score by 2`.
    pub effect: Arc<str>,
    /// `file:line:column` of the rule's sentence.
    pub location: Arc<str>,
}

/// A condition with its tests compiled; the same shape as [`Condition`].
#[derive(Debug, Clone)]
pub enum Node {
    Or(Vec<Node>),
    And(Vec<Node>),
    Not(Box<Node>),
    Test(Box<TestPlan>),
}

/// One leaf test and what was worked out about it at load.
#[derive(Debug, Clone)]
pub struct TestPlan {
    pub test: Test,
    /// The test in canonical words, shared by every trace that shows it.
    pub text: Arc<str>,
    /// The catalogue metric a metric test or `no evidence of` reads; `None` for other tests,
    /// and for a name the catalogue lacks (the pack loader has already reported that).
    pub metric: Option<MetricId>,
    /// A finding test's tags, normalised as evidence tags are compared.
    pub tags: Vec<String>,
}

/// How a rule is named and placed in reports.
pub struct Label<'a> {
    pub id: &'a str,
    pub text: &'a str,
    /// `file:line:column` of the rule's sentence.
    pub location: String,
}

/// Compiles a parsed rule against the catalogue it will be scored with.
pub fn compile(rule: &Rule, label: Label<'_>, catalogue: &Catalogue) -> RulePlan {
    RulePlan {
        condition: node(&rule.condition, catalogue),
        unless: rule.unless.as_ref().map(|unless| node(unless, catalogue)),
        id: Arc::from(label.id),
        text: Arc::from(label.text),
        effect: Arc::from(rule.effect.to_string()),
        location: Arc::from(label.location),
    }
}

fn node(condition: &Condition, catalogue: &Catalogue) -> Node {
    let nodes = |parts: &[Condition]| parts.iter().map(|p| node(p, catalogue)).collect();
    match condition {
        Condition::Or(parts, _) => Node::Or(nodes(parts)),
        Condition::And(parts, _) => Node::And(nodes(parts)),
        Condition::Not(inner, _) => Node::Not(Box::new(node(inner, catalogue))),
        Condition::Test(test) => Node::Test(Box::new(test_plan(test, catalogue))),
    }
}

fn test_plan(test: &Test, catalogue: &Catalogue) -> TestPlan {
    let metric = match test {
        Test::Metric(metric_test) => catalogue.lookup(&metric_test.metric.name),
        Test::NoEvidenceOf { metric, .. } => catalogue.lookup(&metric.name),
        Test::Findings(_) | Test::NoEvidenceFrom { .. } => None,
    };
    let tags = match test {
        Test::Findings(finding_test) => finding_test
            .tags
            .iter()
            .map(|t| normalise_words(t))
            .collect(),
        _ => Vec::new(),
    };
    TestPlan {
        test: test.clone(),
        text: Arc::from(test.to_string()),
        metric,
        tags,
    }
}

impl Node {
    /// Every test plan under this node, left to right.
    pub fn tests(&self) -> Vec<&TestPlan> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a TestPlan>) {
        match self {
            Node::Or(parts) | Node::And(parts) => parts.iter().for_each(|p| p.collect(out)),
            Node::Not(inner) => inner.collect(out),
            Node::Test(plan) => out.push(plan),
        }
    }
}

impl RulePlan {
    /// The catalogue metrics the rule reads, its exception included.
    pub fn metrics(&self) -> impl Iterator<Item = MetricId> + '_ {
        self.condition
            .tests()
            .into_iter()
            .chain(self.unless.iter().flat_map(Node::tests))
            .filter_map(|plan| plan.metric)
    }
}
