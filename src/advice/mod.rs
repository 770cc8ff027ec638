//! What a council can do with a result, statement by statement: the smallest changes to its
//! evidence that would raise or lower each score ([`moves`]), the rules that nearly fired,
//! and the evidence that would firm a score up ([`missing`]). Pure and exact: every answer
//! comes from running the real evaluator on changed evidence ([`trial`]), never from a
//! guess, and every change offered is honest ([`honest`]).

use std::fmt;

use serde::Serialize;

use crate::evidence::{Evidence, Item};
use crate::lang::ast::{Category, EffectKind, Sentiment, Strength};
use crate::pack::Pack;
use crate::score::assessment::{Assessment, ConfidenceLevel};

mod levers;
pub(crate) mod missing;
pub(crate) mod moves;
mod trial;
mod witness;

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
    /// Evidence the statement lacks, the one that would firm its score up most first.
    pub gaps: Vec<EvidenceGap>,
}

/// Changes made together, and the score they lead to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeSet {
    pub score: u8,
    pub changes: Vec<Change>,
}

/// Which way a score is asked to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    Raise,
    Lower,
}

impl Toward {
    /// The way a rule with this effect moves a score when it fires; `None` for `has no
    /// effect`.
    pub fn of_effect(effect: EffectKind) -> Option<Toward> {
        match effect {
            EffectKind::Raise(_) | EffectKind::LiftTo(_) => Some(Toward::Raise),
            EffectKind::Lower(_) | EffectKind::CapAt(_) => Some(Toward::Lower),
            EffectKind::NoEffect => None,
        }
    }
}

/// Which way a change moves the evidence: a positive finding added, or a metric moved the
/// way its catalogue entry calls better, is better; a negative or mixed finding (a mixed
/// one brings a shortfall with it), or a metric moved the other way, is worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Better,
    Worse,
}

/// The one rule every piece of advice obeys: a score is only ever shown rising with better
/// evidence and falling with worse. A pack may score otherwise (`assure check` says so);
/// the advice then offers nothing rather than tell a council to add shortfalls to rise or
/// strengths to fall.
pub fn honest(change: &Change, toward: Toward) -> bool {
    match toward {
        Toward::Raise => change.direction == Direction::Better,
        Toward::Lower => change.direction == Direction::Worse,
    }
}

/// One change to the evidence: a metric's value moved, or findings added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The evidence item whose value changes; absent for added findings.
    pub item: Option<String>,
    /// The metric, or the kind of finding added (`positive finding from people's
    /// experience`).
    pub subject: String,
    /// The value now (`63%`), or how many such findings there are now.
    pub from: String,
    /// The value it would need (`75%`, `above 75%`), or how many findings.
    pub to: String,
    /// How many findings are added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added: Option<u32>,
    /// What each added finding is, as an evidence file would write it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<AddedFinding>,
    /// What the new value is against the item's references (`target`, `within 5 points
    /// of target`).
    pub note: Option<String>,
    pub direction: Direction,
}

/// A finding a change adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddedFinding {
    pub category: Category,
    pub sentiment: Sentiment,
    pub strength: Strength,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A metric item's value moves.
    Value,
    /// Findings are added.
    Findings,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (ChangeKind::Findings, Some(added)) = (self.kind, self.added) {
            // The subject is singular and its noun comes first: `strong negative finding
            // from processes tagged "x"`.
            let subject = match added {
                1 => self.subject.clone(),
                _ => self.subject.replacen(" finding", " findings", 1),
            };
            return write!(f, "{} more {subject}", count_words(added));
        }
        write!(f, "{}: {} → {}", self.subject, self.from, self.to)?;
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// `one`, `two`, ... `ten`, then digits.
fn count_words(n: u32) -> String {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match n.checked_sub(1).and_then(|i| WORDS.get(i as usize)) {
        Some(word) => word.to_string(),
        None => n.to_string(),
    }
}

/// A rule that did not fire, and the one change within the margin that would fire it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMiss {
    pub rule: String,
    pub effect: String,
    /// Under `method: categories`, the category whose evidence the rule would fire on.
    pub category: Option<Category>,
    pub change: Change,
    /// How far the evidence is from firing the rule, e.g. `2.5 points` or `1 more finding`.
    pub margin: String,
}

/// What kind of evidence is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// No evidence at all from one of the categories CQC uses (or one the rules name).
    Category,
    /// A metric is given without the reference that would let it count: a target or
    /// England average to judge it as evidence, or the reference a rule compares it with.
    Reference,
    /// A metric the rules compare is not in the file.
    Metric,
}

/// What the item supposed to measure a gap shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Supposed {
    /// A strength (a positive finding, a metric better than its reference), as a score of 3
    /// or 4 says the rest of the evidence shows.
    Strength,
    /// A shortfall, as a score of 1 or 2 says.
    Shortfall,
    /// Either, for a statement without a score to agree with: the smaller gain is given.
    Either,
    /// A value that leaves the score as it is.
    SameScore,
}

/// Evidence the statement lacks, and how much it would firm up the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceGap {
    pub kind: GapKind,
    /// The category the evidence belongs to, where known.
    pub category: Option<Category>,
    /// What to add, e.g. `evidence from people's experience` or `a target or England
    /// average for supported living sourced within timescale`.
    pub wanted: String,
    /// The rules that would read it.
    pub rules: Vec<String>,
    /// The pack's weight for its category.
    pub weight: u8,
    /// What the item supposed to measure the gain shows.
    pub supposed: Supposed,
    /// The statement's confidence now (absent when it is not scored), and with the item.
    pub confidence_before: Option<ConfidenceLevel>,
    pub confidence_after: Option<ConfidenceLevel>,
    /// Steps of confidence gained: not scored, low, medium, high.
    pub gain: i8,
    /// The lowest and highest score the statement could have once it is given: a strength
    /// only ever counted up and a shortfall only down, as in [`honest`].
    pub lowest: Option<u8>,
    pub highest: Option<u8>,
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
    // One set of trials feeds the moves and the gaps, so where they meet they agree.
    let trials = trial::Trials::new(pack, rules, &items);
    let moves = moves::moves(&trials);
    StatementAdvice {
        statement: statement.to_string(),
        score: moves.score,
        raise: moves.raise,
        drop: moves.drop,
        near_misses: moves.near_misses,
        gaps: missing::gaps(&trials),
    }
}

#[cfg(test)]
mod tests;
