//! Calibration: how a pack's proposed scores compare with the scores CQC published for the
//! same councils. Reads a published-scores file, pairs each entry with its assessment, and
//! lists statement by statement what was published, what the pack proposes and which
//! rules fired. Pure once the files are read; rendering lives in `report::calibration`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::assessment::{Assessment, PackInfo};
use crate::ast::EffectKind;
use crate::diagnostic::{Diagnostic, Failure, SourceFile, did_you_mean, nearest};
use crate::files::read_source;
use crate::framework::Framework;
use crate::yaml::{self, Spanned};

mod agreement;
#[cfg(test)]
mod tests;

pub use agreement::{Agreement, SCORES, percent, quadratic_weighted_kappa};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishedEntry {
    authority: String,
    file: Spanned<String>,
    published: Option<String>,
    overall: Spanned<String>,
    percent: Option<u32>,
    scores: BTreeMap<String, Spanned<u8>>,
    #[serde(default)]
    sources: Vec<String>,
}

/// What CQC published for one council, and where its evidence file is.
#[derive(Debug, Clone)]
pub struct Published {
    pub authority: String,
    /// The evidence file, resolved against the published-scores file's folder.
    pub evidence: PathBuf,
    /// The name the published-scores file gives the evidence, e.g. `medway.yaml`.
    pub file_name: String,
    pub published: Option<String>,
    pub overall: String,
    pub percent: Option<u32>,
    /// Statement id to published score, in framework order.
    pub scores: Vec<(String, u8)>,
    pub sources: Vec<String>,
}

/// Reads a published-scores file (a YAML list of councils), checking statement ids, scores
/// and ratings against the framework.
pub fn load_published(path: &Path, framework: &Framework) -> Result<Vec<Published>, Failure> {
    let source = read_source(path)?;
    let entries: Vec<PublishedEntry> = yaml::from_source(&source)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut problems = Vec::new();
    let published = entries
        .into_iter()
        .map(|entry| check_entry(entry, &source, folder, framework, &mut problems))
        .collect();
    if problems.is_empty() {
        Ok(published)
    } else {
        Err(Failure::new(problems))
    }
}

fn check_entry(
    entry: PublishedEntry,
    source: &Arc<SourceFile>,
    folder: &Path,
    framework: &Framework,
    problems: &mut Vec<Diagnostic>,
) -> Published {
    let ratings: Vec<&str> = framework
        .ratings
        .iter()
        .map(|b| b.rating.as_str())
        .collect();
    if !ratings.contains(&entry.overall.value.as_str()) {
        problems.push(
            Diagnostic::error(format!("unknown rating `{}`", entry.overall.value))
                .at(source, yaml::span_of(source, &entry.overall))
                .with_help(format!("expected one of: {}", ratings.join(", "))),
        );
    }
    let ids: Vec<&str> = framework.statements().map(|s| s.id.as_str()).collect();
    for (id, score) in &entry.scores {
        if !ids.contains(&id.as_str()) {
            let mut diagnostic = Diagnostic::error(format!("unknown quality statement `{id}`"))
                .at(source, yaml::span_of(source, score));
            if let Some(help) = did_you_mean(&nearest(id, ids.iter().copied(), 1)) {
                diagnostic = diagnostic.with_help(help);
            }
            problems.push(diagnostic);
        }
        if !(1..=4).contains(&score.value) {
            problems.push(
                Diagnostic::error(format!("a score must be 1 to 4, not {}", score.value))
                    .at(source, yaml::span_of(source, score)),
            );
        }
    }
    let scores = framework
        .statements()
        .filter_map(|s| entry.scores.get(&s.id).map(|v| (s.id.clone(), v.value)))
        .collect();
    Published {
        authority: entry.authority,
        evidence: folder.join(&entry.file.value),
        file_name: entry.file.value,
        published: entry.published,
        overall: entry.overall.value,
        percent: entry.percent,
        scores,
        sources: entry.sources,
    }
}

/// Pairs each published entry with an evidence file: by file name among `given`, or, when
/// no evidence was given, the file the entry names beside the published-scores file.
pub fn evidence_for(published: &[Published], given: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    if given.is_empty() {
        return Ok(published.iter().map(|p| p.evidence.clone()).collect());
    }
    let mut problems = Vec::new();
    let mut paths = Vec::new();
    for entry in published {
        let wanted = Path::new(&entry.file_name).file_name();
        match given.iter().find(|path| path.file_name() == wanted) {
            Some(path) => paths.push(path.clone()),
            None => problems.push(Diagnostic::error(format!(
                "no evidence file named `{}` was given for {}",
                entry.file_name, entry.authority
            ))),
        }
    }
    if problems.is_empty() {
        Ok(paths)
    } else {
        Err(Failure::new(problems))
    }
}

/// The whole comparison: one entry per published council.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub pack: PackInfo,
    pub councils: Vec<CouncilCalibration>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CouncilCalibration {
    pub authority: String,
    pub evidence_file: String,
    pub published_date: Option<String>,
    pub sources: Vec<String>,
    pub published: Outcome,
    pub proposed: Outcome,
    pub statements: Vec<StatementCalibration>,
}

/// An overall result: the rating and, where known, the whole percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub rating: Option<String>,
    pub percent: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatementCalibration {
    pub id: String,
    pub name: String,
    pub published: Option<u8>,
    pub proposed: Option<u8>,
    /// Every fired rule, most impact first, as the assessment lists them.
    pub fired: Vec<FiredRule>,
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
    /// A statement with no published score is not a mismatch.
    pub fn matches(&self) -> bool {
        self.published.is_none() || self.published == self.proposed
    }
}

impl CouncilCalibration {
    pub fn overall_matches(&self) -> bool {
        self.published.rating == self.proposed.rating
            && (self.published.percent.is_none() || self.published.percent == self.proposed.percent)
    }

    pub fn statements_matching(&self) -> usize {
        self.statements
            .iter()
            .filter(|s| s.published.is_some() && s.matches())
            .count()
    }

    pub fn statements_published(&self) -> usize {
        self.statements
            .iter()
            .filter(|s| s.published.is_some())
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

/// Compares each published entry with its assessment (the two lists pair up in order).
pub fn calibrate(published: &[Published], assessments: &[Assessment]) -> Option<Calibration> {
    let pack = assessments.first()?.record.pack.clone();
    let councils = published
        .iter()
        .zip(assessments)
        .map(|(entry, assessment)| compare(entry, assessment))
        .collect();
    Some(Calibration { pack, councils })
}

fn compare(entry: &Published, assessment: &Assessment) -> CouncilCalibration {
    let published_score = |id: &str| {
        entry
            .scores
            .iter()
            .find(|(sid, _)| sid == id)
            .map(|(_, score)| *score)
    };
    let statements = assessment
        .statements
        .iter()
        .map(|s| StatementCalibration {
            id: s.id.clone(),
            name: s.name.clone(),
            published: published_score(&s.id),
            proposed: s.score,
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
        })
        .collect();
    CouncilCalibration {
        authority: entry.authority.clone(),
        evidence_file: assessment.record.evidence.file.clone(),
        published_date: entry.published.clone(),
        sources: entry.sources.clone(),
        published: Outcome {
            rating: Some(entry.overall.clone()),
            percent: entry.percent,
        },
        proposed: Outcome {
            rating: assessment.overall.rating.clone(),
            percent: assessment.overall.percent,
        },
        statements,
    }
}
