//! Published-scores files: a YAML list of councils with what CQC published for each, read
//! and checked against the framework, every problem located.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::compare::calibration::problem::Problem;
use crate::pack::framework::Framework;
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded, did_you_mean, nearest};
use crate::source::files::read_source;
use crate::source::yaml::{self, Spanned};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishedEntry {
    authority: String,
    file: Spanned<String>,
    published: Option<String>,
    /// Some published entries give statement scores only.
    overall: Option<Spanned<String>>,
    percent: Option<u32>,
    scores: BTreeMap<String, Spanned<u8>>,
    split: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
}

/// Which part of a calibration a council belongs to: the councils a pack's rules were
/// written against, or the councils kept back to check them on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    Development,
    HeldOut,
}

impl Split {
    pub const ALL: [Split; 2] = [Split::Development, Split::HeldOut];

    /// As the published-scores file spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Development => "development",
            Split::HeldOut => "held-out",
        }
    }

    fn parse(text: &str) -> Option<Split> {
        Split::ALL.into_iter().find(|split| split.as_str() == text)
    }
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
    /// The overall rating, when one was published.
    pub overall: Option<String>,
    pub percent: Option<u32>,
    /// Statement id to published score, in framework order.
    pub scores: Vec<(String, u8)>,
    pub split: Option<Split>,
    pub sources: Vec<String>,
}

/// Reads a published-scores file (a YAML list of councils), checking statement ids, scores,
/// ratings and splits against the framework.
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
    if let Some(overall) = &entry.overall
        && !ratings.contains(&overall.value.as_str())
    {
        let expected = format!("expected one of: {}", ratings.join(", "));
        let help = match did_you_mean(&nearest(&overall.value, ratings.iter().copied(), 1)) {
            Some(suggestion) => format!("{suggestion} ({expected})"),
            None => expected,
        };
        let problem = Problem::UnknownRating {
            rating: overall.value.clone(),
            help,
        };
        problems.push(problem.at(source, yaml::span_of(source, overall)));
    }
    let ids: Vec<&str> = framework.statements().map(|s| s.id.as_str()).collect();
    for (id, score) in &entry.scores {
        if !ids.contains(&id.as_str()) {
            let problem = Problem::UnknownStatement {
                id: id.clone(),
                help: did_you_mean(&nearest(id, ids.iter().copied(), 1)),
            };
            // The key is what is wrong: underline it, where it can be found.
            let value = yaml::span_of(source, score);
            let key = yaml::key_before(&source.text, value.start, id);
            problems.push(problem.at(source, key.unwrap_or(value)));
        }
        if !(1..=4).contains(&score.value) {
            let problem = Problem::ScoreOutOfRange { score: score.value };
            problems.push(problem.at(source, yaml::span_of(source, score)));
        }
    }
    let split = entry.split.as_ref().and_then(|split| {
        let parsed = Split::parse(&split.value);
        if parsed.is_none() {
            problems.push(unknown_split(split, source));
        }
        parsed
    });
    let scores = framework
        .statements()
        .filter_map(|s| entry.scores.get(&s.id).map(|v| (s.id.clone(), v.value)))
        .collect();
    Published {
        authority: entry.authority,
        evidence: folder.join(&entry.file.value),
        file_name: entry.file.value,
        published: entry.published,
        overall: entry.overall.map(|o| o.value),
        percent: entry.percent,
        scores,
        split,
        sources: entry.sources,
    }
}

fn unknown_split(split: &Spanned<String>, source: &Arc<SourceFile>) -> Diagnostic {
    let names = Split::ALL.map(Split::as_str);
    let help = did_you_mean(&nearest(&split.value, names, 1)).unwrap_or_else(|| {
        format!(
            "a split is `{}` or `{}`",
            Split::Development.as_str(),
            Split::HeldOut.as_str()
        )
    });
    let problem = Problem::UnknownSplit {
        split: split.value.clone(),
        help,
    };
    problem.at(source, yaml::span_of(source, split))
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
            None => problems.push(Diagnostic::from(Problem::NoEvidenceFile {
                file_name: entry.file_name.clone(),
                authority: entry.authority.clone(),
            })),
        }
    }
    if problems.is_empty() {
        Ok(paths)
    } else {
        Err(Failure::new(problems))
    }
}
