//! The result of scoring one council's evidence with one pack: what every renderer reads.
//! Field names are the stable keys of `--format json`.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::lang::ast::{Category, EffectKind};
use crate::pack::Method;

/// Scores for one evidence file.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub authority: String,
    pub code: Option<String>,
    pub as_of: Option<String>,
    /// The pack that scored it (the contract's `pack` key; `record` repeats it so the
    /// record stands alone).
    pub pack: PackInfo,
    /// What an inspector needs to reproduce this result.
    pub record: DecisionRecord,
    pub overall: Overall,
    pub themes: Vec<ThemeResult>,
    pub statements: Vec<StatementResult>,
    /// Items no rule of the pack can read (unknown metrics, or metrics no rule uses).
    pub uncited_evidence: Vec<EvidenceRef>,
    /// Warnings about the evidence, as `file:line:column: message`.
    pub warnings: Vec<String>,
}

/// The inputs of an assessment, pinned: the engine, the pack by content hash, the evidence
/// by hash, and every rule evaluated. Same inputs, same record (docs/scoring.md).
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    pub engine: EngineInfo,
    pub pack: PackInfo,
    pub evidence: EvidenceInfo,
    /// Ids of every rule evaluated, in pack order (statement by statement); shared with the
    /// pack, since every assessment with it lists the same rules.
    pub rules_evaluated: Arc<[String]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceInfo {
    /// The evidence file, as named on the command line.
    pub file: String,
    /// `sha256:` of the file's bytes as read (less a leading UTF-8 byte-order mark).
    pub hash: String,
    /// Every file its `include:` read, each with its hash (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub included: Vec<IncludedFile>,
}

/// A file an evidence file includes, pinned by hash.
#[derive(Debug, Clone, Serialize)]
pub struct IncludedFile {
    pub file: String,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub name: String,
    pub version: String,
    pub hash: String,
}

/// The overall result, by CQC's roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    /// The rating band; absent when no statement could be scored.
    pub rating: Option<String>,
    /// Whole percentage, rounded up as CQC publishes it.
    pub percent: Option<u32>,
    /// The unrounded percentage to two decimal places.
    pub exact_percent: Option<Decimal>,
    /// Where the percentage sits in its band, e.g. "upper Good, nearing Outstanding".
    pub position: Option<String>,
    pub total: u32,
    pub max: u32,
    pub statements_scored: usize,
    pub statements_total: usize,
    /// Fewer than all statements were scored: `rating` is then absent, and the
    /// percentage, over the scored statements only, is not a rating CQC would give.
    pub partial: bool,
    /// The band the partial percentage falls in, for orientation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicative_rating: Option<String>,
    /// Where the result could fall if each low-confidence statement moved by one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<OverallRange>,
}

/// The overall percentage with every low-confidence statement one lower, and one higher.
#[derive(Debug, Clone, Serialize)]
pub struct OverallRange {
    pub low_percent: u32,
    pub high_percent: u32,
    pub low_rating: Option<String>,
    pub high_rating: Option<String>,
    /// The low-confidence statements, by id.
    pub statements: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeResult {
    pub id: String,
    pub name: String,
    pub percent: Option<u32>,
    pub total: u32,
    pub max: u32,
    pub statements: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Scored,
    /// No evidence and no rule fired, or the pack has no rules for the statement.
    NotScored,
}

/// One quality statement's proposed score and everything that formed it.
#[derive(Debug, Clone, Serialize)]
pub struct StatementResult {
    pub id: String,
    pub name: String,
    pub theme: String,
    pub status: Status,
    /// 1 to 4; absent when not scored.
    pub score: Option<u8>,
    pub descriptor: Option<String>,
    pub baseline: u8,
    pub method: Method,
    /// How the score was formed from the baseline and the fired rules.
    pub arithmetic: Arithmetic,
    /// Why it is not scored, when it is not.
    pub reason: Option<String>,
    /// Fired rules, most impact first.
    pub justifications: Vec<Justification>,
    /// Rules that were evaluated and did not fire.
    pub not_fired: Vec<RuleTrace>,
    /// Rules that could not be evaluated for lack of evidence.
    pub not_evaluable: Vec<RuleTrace>,
    /// Per-category scores under `method: categories`.
    pub categories: Vec<CategoryScore>,
    pub evidence_count: usize,
    /// How sure the score is, and why; absent when not scored.
    pub confidence: Option<Confidence>,
}

/// How sure a statement's score is (docs/scoring.md).
#[derive(Debug, Clone, Serialize)]
pub struct Confidence {
    pub level: ConfidenceLevel,
    /// The facts the level rests on, in words, most telling first.
    pub reasons: Vec<String>,
    /// The same facts as data.
    pub basis: ConfidenceBasis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceLevel {
    Low,
    Medium,
    High,
}

impl ConfidenceLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfidenceLevel::Low => "low",
            ConfidenceLevel::Medium => "medium",
            ConfidenceLevel::High => "high",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfidenceBasis {
    /// Which of the four categories CQC uses have evidence for the statement.
    pub categories: Vec<Category>,
    pub peoples_experience_heard: bool,
    pub evidence_count: usize,
    /// The category where one more negative finding would lower the score, if any.
    pub one_finding_lowers: Option<Category>,
    /// The category where one more positive finding would raise the score, if any.
    pub one_finding_raises: Option<Category>,
}

/// The steps from baseline to score (docs/scoring.md).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Arithmetic {
    /// Sum of raises and lowers.
    pub adjustment: i32,
    /// Baseline plus adjustments, before caps and floors.
    pub adjusted: i32,
    pub cap: Option<u8>,
    pub floor: Option<u8>,
    /// A cap below a floor: the cap wins, and this says so.
    pub collision: Option<String>,
    /// Whether the result had to be clamped into 1..4.
    pub clamped: bool,
    /// Under `method: categories`: the weighted percentage of the category scores, whose
    /// band gives `adjusted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<u32>,
}

/// One evidence category's score under `method: categories`.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryScore {
    pub category: Category,
    pub score: u8,
    /// How much it counts in the statement's percentage.
    pub weight: u8,
    /// The rules that fired on this category's evidence.
    pub rules: Vec<String>,
}

/// A fired rule: the reason a score moved (or held).
#[derive(Debug, Clone, Serialize)]
pub struct Justification {
    pub rule: Arc<str>,
    /// The effect in canonical words, e.g. `lowers score by 2`.
    pub effect: Arc<str>,
    /// The same effect as data, for renderers that label it differently.
    #[serde(skip)]
    pub effect_kind: EffectKind,
    /// Signed points this rule alone moves the baseline by (caps and floors: how far they
    /// could pull it).
    pub impact: i32,
    /// The rule sentence as written.
    pub text: Arc<str>,
    pub why: Option<String>,
    pub cites: Vec<String>,
    pub conditions: Vec<ConditionTrace>,
    /// Ids of the evidence items the rule read.
    pub evidence: Vec<Arc<str>>,
    /// The same items with their sources.
    pub evidence_sources: Vec<EvidenceRef>,
    /// `file:line:column` of the rule.
    pub location: Arc<str>,
    /// Under `method: categories`, the category whose evidence it was evaluated on; absent
    /// for caps and floors, which read the whole statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
}

/// A rule that did not fire, or could not be evaluated.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTrace {
    pub rule: Arc<str>,
    pub effect: Arc<str>,
    pub text: Arc<str>,
    pub conditions: Vec<ConditionTrace>,
    /// What evidence would be needed, for rules that are not evaluable.
    pub missing: Vec<String>,
    pub location: Arc<str>,
    /// As for [`Justification::category`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
}

/// Three-valued truth: a test on evidence the file lacks is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// One leaf test of a rule, with the values it compared.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionTrace {
    /// The test in canonical words, shared with the rule's compiled plan.
    pub test: Arc<str>,
    pub holds: Truth,
    /// The actual values against the reference, e.g. `63% vs target 75% (12 points below)`.
    pub actual: String,
    /// Whether this test sits in the rule's `unless` exception.
    pub exception: bool,
    /// Whether the test sits under a `not`, so that it counts for the rule when it fails.
    pub negated: bool,
    pub evidence: Vec<Arc<str>>,
    pub missing: Option<String>,
}

impl ConditionTrace {
    /// Whether this test pushed its rule towards firing: it held, or failed under a `not`.
    pub fn counted_for_rule(&self) -> bool {
        !self.exception
            && match self.holds {
                Truth::True => !self.negated,
                Truth::False => self.negated,
                Truth::Unknown => false,
            }
    }

    /// The test as it counted, e.g. `not most positive findings from people's experience`.
    pub fn as_counted(&self) -> String {
        if self.negated {
            format!("not {}", self.test)
        } else {
            self.test.to_string()
        }
    }
}

/// An evidence item cited by a justification.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EvidenceRef {
    pub id: Arc<str>,
    pub source: Option<String>,
}
