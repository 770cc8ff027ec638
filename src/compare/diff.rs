//! `assure diff`: what a change to a pack moves. Both packs score the same evidence; for
//! every statement whose score moves (and every council whose overall result moves), the
//! rules whose firing changed are named as the cause, with how each rule itself changed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::pack::{Pack, PackRule};
use crate::score::assessment::{Assessment, PackInfo, StatementResult};

/// Everything that differs between two packs on one corpus.
#[derive(Debug, Clone, Serialize)]
pub struct PackDiff {
    pub old: PackInfo,
    pub new: PackInfo,
    /// Rules added, removed or changed, by id, in the new pack's order (removed ones last).
    pub rule_changes: Vec<RuleChange>,
    /// Statements whose baseline or method changed.
    pub statement_changes: Vec<StatementChange>,
    /// One entry per evidence file, in the order given.
    pub councils: Vec<CouncilDiff>,
    /// Ids of changed rules that caused no move on this corpus.
    pub moved_nothing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleChange {
    pub rule: String,
    pub statement: String,
    pub change: Change,
    /// The sentence before and after (absent for an added or removed side).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    /// The rule's sentence means something else now.
    Changed,
    /// Only its `why` or `cites` changed.
    Reworded,
    /// It moved to another statement.
    Moved,
    /// Not changed itself: it fires differently because something else changed (a
    /// tolerance, a baseline, the catalogue).
    Unchanged,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Reworded => "reworded",
            Change::Moved => "moved",
            Change::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementChange {
    pub statement: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CouncilDiff {
    pub authority: String,
    pub evidence_file: String,
    pub old: Outcome,
    pub new: Outcome,
    /// Only the statements whose score moved.
    pub statements: Vec<StatementMove>,
}

impl CouncilDiff {
    pub fn moved(&self) -> bool {
        self.old != self.new || !self.statements.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Absent when not every statement is scored (`partial`) or none is.
    pub rating: Option<String>,
    pub percent: Option<u32>,
    /// Fewer than all statements scored: the percentage is over those only.
    pub partial: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementMove {
    pub statement: String,
    pub name: String,
    pub old: Option<u8>,
    pub new: Option<u8>,
    /// The statement's baseline or method, when that changed too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<StatementChange>,
    /// Rules that fired differently (or with another effect) before and after.
    pub causes: Vec<Cause>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    pub rule: String,
    pub change: Change,
    /// The effect it had when it fired before the change; absent when it did not fire.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl PackDiff {
    /// Whether any score or overall result moved.
    pub fn moved(&self) -> bool {
        self.councils.iter().any(CouncilDiff::moved)
    }
}

/// Compares two packs' assessments of the same evidence files, pairwise in order.
pub fn diff(old: &Pack, new: &Pack, pairs: &[(Assessment, Assessment)]) -> PackDiff {
    let rule_changes = rule_changes(old, new);
    let change_of: BTreeMap<&str, Change> = rule_changes
        .iter()
        .map(|c| (c.rule.as_str(), c.change))
        .collect();
    let statement_changes = statement_changes(old, new);
    let councils: Vec<CouncilDiff> = pairs
        .iter()
        .map(|(before, after)| council(before, after, &change_of, &statement_changes))
        .collect();
    let causes: Vec<&str> = councils
        .iter()
        .flat_map(|c| &c.statements)
        .flat_map(|s| &s.causes)
        .map(|cause| cause.rule.as_str())
        .collect();
    let moved_nothing = rule_changes
        .iter()
        .filter(|c| !causes.contains(&c.rule.as_str()))
        .map(|c| c.rule.clone())
        .collect();
    PackDiff {
        old: info(old),
        new: info(new),
        statement_changes,
        rule_changes,
        councils,
        moved_nothing,
    }
}

fn info(pack: &Pack) -> PackInfo {
    PackInfo {
        name: pack.name.clone(),
        version: pack.version.clone(),
        hash: pack.hash.clone(),
    }
}

fn rule_changes(old: &Pack, new: &Pack) -> Vec<RuleChange> {
    let before: BTreeMap<&str, (&str, &PackRule)> = old
        .rules()
        .map(|(s, r)| (r.id.as_str(), (s.statement.as_str(), r)))
        .collect();
    let mut changes = Vec::new();
    let mut seen = Vec::new();
    for (statement, rule) in new.rules() {
        seen.push(rule.id.as_str());
        let change = match before.get(rule.id.as_str()) {
            None => Some(Change::Added),
            Some((old_statement, _)) if *old_statement != statement.statement => {
                Some(Change::Moved)
            }
            Some((_, old_rule)) if old_rule.ast.to_string() != rule.ast.to_string() => {
                Some(Change::Changed)
            }
            Some((_, old_rule)) if old_rule.why != rule.why || old_rule.cites != rule.cites => {
                Some(Change::Reworded)
            }
            Some(_) => None,
        };
        if let Some(change) = change {
            changes.push(RuleChange {
                rule: rule.id.clone(),
                statement: statement.statement.clone(),
                change,
                old_text: before.get(rule.id.as_str()).map(|(_, r)| r.ast.to_string()),
                new_text: Some(rule.ast.to_string()),
            });
        }
    }
    for (statement, rule) in old.rules() {
        if !seen.contains(&rule.id.as_str()) {
            changes.push(RuleChange {
                rule: rule.id.clone(),
                statement: statement.statement.clone(),
                change: Change::Removed,
                old_text: Some(rule.ast.to_string()),
                new_text: None,
            });
        }
    }
    changes
}

fn statement_changes(old: &Pack, new: &Pack) -> Vec<StatementChange> {
    let describe = |pack: &Pack, id: &str| {
        pack.statements
            .iter()
            .find(|s| s.statement == id)
            .map(|s| format!("baseline {}, method {:?}", s.baseline, s.method).to_lowercase())
            .unwrap_or_else(|| "no rules".to_string())
    };
    let mut ids: Vec<&str> = old
        .statements
        .iter()
        .chain(&new.statements)
        .map(|s| s.statement.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let (before, after) = (describe(old, id), describe(new, id));
            (before != after).then(|| StatementChange {
                statement: id.to_string(),
                old: before,
                new: after,
            })
        })
        .collect()
}

fn council(
    before: &Assessment,
    after: &Assessment,
    change_of: &BTreeMap<&str, Change>,
    statement_changes: &[StatementChange],
) -> CouncilDiff {
    let outcome = |a: &Assessment| Outcome {
        rating: a.overall.rating.clone(),
        percent: a.overall.percent,
        partial: a.overall.partial,
    };
    let statements = after
        .statements
        .iter()
        .filter_map(|new| {
            let old = before.statements.iter().find(|s| s.id == new.id)?;
            (old.score != new.score).then(|| StatementMove {
                statement: new.id.clone(),
                name: new.name.clone(),
                old: old.score,
                new: new.score,
                setting: statement_changes
                    .iter()
                    .find(|c| c.statement == new.id)
                    .cloned(),
                causes: causes(old, new, change_of),
            })
        })
        .collect();
    CouncilDiff {
        authority: after.authority.clone(),
        evidence_file: after.record.evidence.file.clone(),
        old: outcome(before),
        new: outcome(after),
        statements,
    }
}

/// The rules whose firing or effect differs between the two results of one statement.
fn causes(
    old: &StatementResult,
    new: &StatementResult,
    change_of: &BTreeMap<&str, Change>,
) -> Vec<Cause> {
    let fired = |result: &StatementResult| -> BTreeMap<String, String> {
        result
            .justifications
            .iter()
            .map(|j| (j.rule.to_string(), j.effect.to_string()))
            .collect()
    };
    let (before, after) = (fired(old), fired(new));
    let mut ids: Vec<&String> = before.keys().chain(after.keys()).collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter(|id| before.get(*id) != after.get(*id))
        .map(|id| Cause {
            rule: id.clone(),
            change: change_of
                .get(id.as_str())
                .copied()
                .unwrap_or(Change::Unchanged),
            before: before.get(id).cloned(),
            after: after.get(id).cloned(),
        })
        .collect()
}
