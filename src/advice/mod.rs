//! What a council can do with a result, statement by statement: the smallest changes to its
//! evidence that would raise or lower each score ([`moves`]), the rules that nearly fired,
//! and the evidence the pack reads that the file lacks ([`missing`]). Pure and exact: every
//! answer comes from running the real evaluator on changed evidence, never from a guess.

use std::fmt;

use serde::Serialize;

use crate::assessment::Assessment;
use crate::ast::Category;
use crate::evidence::{Evidence, Item};
use crate::pack::Pack;

pub mod missing;
pub mod moves;

/// The advice for one quality statement.
#[derive(Debug, Clone, Serialize)]
pub struct StatementAdvice {
    pub statement: String,
    /// The score as assessed; absent when the statement is not scored.
    pub score: Option<u8>,
    /// The smallest sets of changes that raise the score by at least one.
    pub raise: Vec<ChangeSet>,
    /// The smallest sets of changes that lower it by at least one: its margin of safety.
    pub drop: Vec<ChangeSet>,
    /// Rules that did not fire but would after one small change.
    pub near_misses: Vec<NearMiss>,
    /// Evidence the statement's rules read that the file lacks, most potent first.
    pub gaps: Vec<EvidenceGap>,
}

/// Changes made together, and the score they lead to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    pub score: u8,
    pub changes: Vec<Change>,
}

/// One change to the evidence: a metric's value moved, or findings added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The evidence item whose value changes; absent for added findings.
    pub item: Option<String>,
    /// The metric, or the kind of finding added (`positive finding from feedback from partners`).
    pub subject: String,
    /// The value now (`63%`), or how many such findings there are now.
    pub from: String,
    /// The value it would need (`75%`, `above 75%`), or how many findings.
    pub to: String,
    /// What the new value is, when it is a reference of the item (`target`).
    pub note: Option<String>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} → {}", self.subject, self.from, self.to)?;
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// A rule that did not fire, and the one change within the margin that would fire it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub rule: String,
    pub effect: String,
    pub change: Change,
    /// How far the evidence is from firing the rule, e.g. `2.5 points` or `1 finding`.
    pub margin: String,
}

/// What kind of evidence is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// A metric the rules read is not in the file.
    Metric,
    /// The metric is there, but not the reference a rule compares it with.
    Reference,
    /// No findings from a category the rules count.
    Findings,
}

/// Evidence the pack would read but the file lacks, and how far it could move the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceGap {
    pub kind: GapKind,
    /// The category the evidence belongs to, where known.
    pub category: Option<Category>,
    /// What to add, e.g. `supported living sourced within timescale` or `a target for
    /// supported living sourced within timescale`.
    pub wanted: String,
    /// The rules that would read it.
    pub rules: Vec<String>,
    /// The lowest and highest score the statement could have once it is given.
    pub lowest: Option<u8>,
    pub highest: Option<u8>,
    /// How many points it could raise or lower the score as assessed (for an unscored
    /// statement, from the baseline).
    pub could_raise: u8,
    pub could_lower: u8,
}

/// Advice for every statement of an assessment, in framework order.
pub fn advise(evidence: &Evidence, pack: &Pack, assessment: &Assessment) -> Vec<StatementAdvice> {
    assessment
        .statements
        .iter()
        .map(|result| advise_statement(evidence, pack, &result.id))
        .collect()
}

/// Advice for one statement.
pub fn advise_statement(evidence: &Evidence, pack: &Pack, statement: &str) -> StatementAdvice {
    let items: Vec<Item> = evidence.items_for(statement).cloned().collect();
    let Some(rules) = pack.statement_rules(statement) else {
        return StatementAdvice {
            statement: statement.to_string(),
            score: None,
            raise: Vec::new(),
            drop: Vec::new(),
            near_misses: Vec::new(),
            gaps: Vec::new(),
        };
    };
    let moves = moves::moves(pack, rules, &items);
    StatementAdvice {
        statement: statement.to_string(),
        score: moves.score,
        raise: moves.raise,
        drop: moves.drop,
        near_misses: moves.near_misses,
        gaps: missing::gaps(pack, rules, &items),
    }
}

#[cfg(test)]
mod tests;
