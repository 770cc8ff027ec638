//! Calibration: how a pack's proposed scores compare with the scores CQC published for the
//! same councils. Reads a published-scores file, pairs each entry with its evidence and
//! assessment, lists statement by statement what was published, what the pack proposes and
//! which rules fired, and measures agreement (exact, within one, confusion matrix,
//! quadratic-weighted kappa) for the pack and for two naive baselines over the same
//! statements. Pure once the files are read; rendering lives in `report::calibration`.
//!
//! A statement is compared only when CQC published a score for it and the council's
//! evidence file has evidence for it: a published score the evidence says nothing about is
//! listed as not compared, never counted as a disagreement. An overall rating is compared
//! only when all of a council's statements have evidence.

use serde::Serialize;

use crate::evidence::Evidence;
use crate::lang::ast::{EffectKind, Sentiment};
use crate::score::assessment::{Assessment, PackInfo};

mod agreement;
mod problem;
mod published;
#[cfg(test)]
mod tests;

pub use agreement::{Agreement, SCORES, percent, quadratic_weighted_kappa};
pub use published::{Published, Split, evidence_for, load_published};

/// The whole comparison: one entry per published council, and the agreement figures.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub pack: PackInfo,
    pub agreement: Groups,
    pub councils: Vec<CouncilCalibration>,
}

/// The agreement figures for every council, and, when the published-scores file splits
/// its councils, for each part.
#[derive(Debug, Clone, Serialize)]
pub struct Groups {
    pub all: GroupAgreement,
    /// Present when some council has a split; the councils without one count in `all` only.
    pub development: Option<GroupAgreement>,
    pub held_out: Option<GroupAgreement>,
}

impl Groups {
    /// Development, held out and all when the councils are split; otherwise all alone.
    pub fn in_order(&self) -> Vec<(&'static str, &GroupAgreement)> {
        let mut groups = Vec::new();
        if let Some(group) = &self.development {
            groups.push(("Development", group));
        }
        if let Some(group) = &self.held_out {
            groups.push(("Held out", group));
        }
        groups.push(("All", &self.all));
        groups
    }
}

/// Agreement over one group of councils.
#[derive(Debug, Clone, Serialize)]
pub struct GroupAgreement {
    /// The councils in the group, by authority.
    pub councils: Vec<String>,
    /// Statements with a published score.
    pub published: u32,
    /// Published statements the evidence says nothing about: listed, not compared.
    pub no_evidence: u32,
    /// Published statements with evidence that the pack left unscored: each is a
    /// disagreement, outside the figures below (there is no proposed score to count).
    pub not_scored: u32,
    /// Each scorer over the same statements: published, with evidence, and scored.
    pub pack: Agreement,
    pub always_3: Agreement,
    pub any_negative: Agreement,
    pub overall: OverallAgreement,
}

/// Overall ratings, compared where every statement of a council has evidence.
#[derive(Debug, Clone, Serialize)]
pub struct OverallAgreement {
    pub compared: u32,
    pub agreeing: u32,
    /// Councils with a published rating and evidence for only some statements.
    pub partial_evidence: Vec<PartialEvidence>,
    /// Councils for which no overall rating was published.
    pub not_published: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartialEvidence {
    pub authority: String,
    pub statements_with_evidence: usize,
    pub statements: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CouncilCalibration {
    pub authority: String,
    pub evidence_file: String,
    pub split: Option<Split>,
    pub published_date: Option<String>,
    pub sources: Vec<String>,
    pub published: Outcome,
    pub proposed: Outcome,
    pub overall_comparison: OverallComparison,
    pub statements_with_evidence: usize,
    pub statements: Vec<StatementCalibration>,
}

/// An overall result: the rating and, where known, the whole percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub rating: Option<String>,
    pub percent: Option<u32>,
}

/// Whether a council's overall rating is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverallComparison {
    Compared,
    /// Some statements have no evidence, so the proposed rating rests on part of the
    /// picture.
    PartialEvidence,
    NotPublished,
}

/// Whether a statement is compared, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Compared,
    /// CQC published no score for it.
    NotPublished,
    /// The evidence file has nothing for it.
    NoEvidence,
    /// It has evidence but the pack gave no score: a disagreement.
    NotScored,
}

impl Comparison {
    fn of(published: Option<u8>, evidence_items: usize, proposed: Option<u8>) -> Comparison {
        match (published, evidence_items, proposed) {
            (None, _, _) => Comparison::NotPublished,
            (Some(_), 0, _) => Comparison::NoEvidence,
            (Some(_), _, None) => Comparison::NotScored,
            (Some(_), _, Some(_)) => Comparison::Compared,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementCalibration {
    pub id: String,
    pub name: String,
    pub published: Option<u8>,
    pub proposed: Option<u8>,
    pub comparison: Comparison,
    /// Items (metrics and findings) bearing on the statement.
    pub evidence_items: usize,
    pub negative_findings: usize,
    /// What the naive baselines propose, for a statement with evidence.
    pub baselines: Option<Baselines>,
    /// Every fired rule, most impact first, as the assessment lists them.
    pub fired: Vec<FiredRule>,
}

/// The two naive scorers the pack is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Baselines {
    /// Always 3.
    pub always_3: u8,
    /// 2 when any finding for the statement is negative, otherwise 3.
    pub any_negative: u8,
}

impl Baselines {
    fn for_evidence(negative_findings: usize) -> Baselines {
        Baselines {
            always_3: 3,
            any_negative: if negative_findings > 0 { 2 } else { 3 },
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FiredRule {
    pub rule: String,
    pub effect: String,
    #[serde(skip)]
    pub effect_kind: EffectKind,
    pub impact: i32,
}

impl StatementCalibration {
    /// Not a disagreement: compared and equal, or not compared for want of a published
    /// score or of evidence.
    pub fn matches(&self) -> bool {
        match self.comparison {
            Comparison::Compared => self.published == self.proposed,
            Comparison::NotPublished | Comparison::NoEvidence => true,
            Comparison::NotScored => false,
        }
    }

    /// `(published, proposed)` when compared.
    fn compared_pair(&self) -> Option<(u8, u8)> {
        match (self.comparison, self.published, self.proposed) {
            (Comparison::Compared, Some(published), Some(proposed)) => Some((published, proposed)),
            _ => None,
        }
    }
}

impl CouncilCalibration {
    /// Whether the overall rating agrees, when it is compared.
    pub fn overall_agrees(&self) -> Option<bool> {
        // The rating is what is compared; the percentage follows from the statement scores,
        // which are compared one by one, and is shown beside it.
        (self.overall_comparison == OverallComparison::Compared)
            .then(|| self.published.rating == self.proposed.rating)
    }

    /// Not a disagreement: agrees, or not compared.
    pub fn overall_matches(&self) -> bool {
        self.overall_agrees() != Some(false)
    }

    pub fn statements_matching(&self) -> usize {
        self.statements
            .iter()
            .filter(|s| s.comparison == Comparison::Compared && s.matches())
            .count()
    }

    pub fn statements_compared(&self) -> usize {
        self.count(Comparison::Compared)
    }

    pub fn statements_published(&self) -> usize {
        self.statements
            .iter()
            .filter(|s| s.published.is_some())
            .count()
    }

    pub fn count(&self, comparison: Comparison) -> usize {
        self.statements
            .iter()
            .filter(|s| s.comparison == comparison)
            .count()
    }

    pub fn matches(&self) -> bool {
        self.overall_matches() && self.statements.iter().all(StatementCalibration::matches)
    }
}

impl Calibration {
    pub fn matches(&self) -> bool {
        self.councils.iter().all(CouncilCalibration::matches)
    }
}

/// Compares each published entry with its council's evidence and assessment (the lists
/// pair up in order). `None` when there is nothing to compare.
pub fn calibrate(
    published: &[Published],
    scored: &[(Evidence, Assessment)],
) -> Option<Calibration> {
    let pack = scored.first()?.1.record.pack.clone();
    let councils: Vec<CouncilCalibration> = published
        .iter()
        .zip(scored)
        .map(|(entry, (evidence, assessment))| compare(entry, evidence, assessment))
        .collect();
    let split = councils.iter().any(|c| c.split.is_some());
    let in_split = |wanted: Split| {
        let members: Vec<&CouncilCalibration> = councils
            .iter()
            .filter(|c| c.split == Some(wanted))
            .collect();
        group(&members)
    };
    let agreement = Groups {
        all: group(&councils.iter().collect::<Vec<_>>()),
        development: split.then(|| in_split(Split::Development)),
        held_out: split.then(|| in_split(Split::HeldOut)),
    };
    Some(Calibration {
        pack,
        agreement,
        councils,
    })
}

fn group(councils: &[&CouncilCalibration]) -> GroupAgreement {
    let statements = || councils.iter().flat_map(|c| c.statements.iter());
    let count =
        |comparison: Comparison| statements().filter(|s| s.comparison == comparison).count();
    let compared = || statements().filter_map(|s| Some((s.compared_pair()?, s.baselines?)));
    GroupAgreement {
        councils: councils.iter().map(|c| c.authority.clone()).collect(),
        published: whole(statements().filter(|s| s.published.is_some()).count()),
        no_evidence: whole(count(Comparison::NoEvidence)),
        not_scored: whole(count(Comparison::NotScored)),
        pack: Agreement::of(compared().map(|(pair, _)| pair)),
        always_3: Agreement::of(compared().map(|((p, _), b)| (p, b.always_3))),
        any_negative: Agreement::of(compared().map(|((p, _), b)| (p, b.any_negative))),
        overall: overall(councils),
    }
}

fn overall(councils: &[&CouncilCalibration]) -> OverallAgreement {
    let with = |comparison: OverallComparison| {
        councils
            .iter()
            .filter(move |c| c.overall_comparison == comparison)
    };
    OverallAgreement {
        compared: whole(with(OverallComparison::Compared).count()),
        agreeing: whole(
            councils
                .iter()
                .filter(|c| c.overall_agrees() == Some(true))
                .count(),
        ),
        partial_evidence: with(OverallComparison::PartialEvidence)
            .map(|c| PartialEvidence {
                authority: c.authority.clone(),
                statements_with_evidence: c.statements_with_evidence,
                statements: c.statements.len(),
            })
            .collect(),
        not_published: with(OverallComparison::NotPublished)
            .map(|c| c.authority.clone())
            .collect(),
    }
}

/// A count as the figures hold it (a calibration compares far fewer than 4 billion).
fn whole(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn compare(entry: &Published, evidence: &Evidence, assessment: &Assessment) -> CouncilCalibration {
    let published_score = |id: &str| {
        entry
            .scores
            .iter()
            .find(|(sid, _)| sid == id)
            .map(|(_, score)| *score)
    };
    let statements: Vec<StatementCalibration> = assessment
        .statements
        .iter()
        .map(|s| {
            let evidence_items = evidence.items_for(&s.id).count();
            let negative_findings = evidence
                .items_for(&s.id)
                .filter_map(|item| item.finding())
                .filter(|finding| finding.sentiment == Sentiment::Negative)
                .count();
            let published = published_score(&s.id);
            StatementCalibration {
                id: s.id.clone(),
                name: s.name.clone(),
                published,
                proposed: s.score,
                comparison: Comparison::of(published, evidence_items, s.score),
                evidence_items,
                negative_findings,
                baselines: (evidence_items > 0).then(|| Baselines::for_evidence(negative_findings)),
                fired: s
                    .justifications
                    .iter()
                    .map(|j| FiredRule {
                        rule: j.rule.to_string(),
                        effect: j.effect.to_string(),
                        effect_kind: j.effect_kind,
                        impact: j.impact,
                    })
                    .collect(),
            }
        })
        .collect();
    let statements_with_evidence = statements.iter().filter(|s| s.evidence_items > 0).count();
    let overall_comparison = if entry.overall.is_none() {
        OverallComparison::NotPublished
    } else if statements_with_evidence < statements.len() {
        OverallComparison::PartialEvidence
    } else {
        OverallComparison::Compared
    };
    CouncilCalibration {
        authority: entry.authority.clone(),
        evidence_file: assessment.record.evidence.file.clone(),
        split: entry.split,
        published_date: entry.published.clone(),
        sources: entry.sources.clone(),
        published: Outcome {
            rating: entry.overall.clone(),
            percent: entry.percent,
        },
        proposed: Outcome {
            rating: assessment.overall.rating.clone(),
            percent: assessment.overall.percent,
        },
        overall_comparison,
        statements_with_evidence,
        statements,
    }
}
