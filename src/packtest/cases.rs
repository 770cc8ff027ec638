//! A pack's test cases (docs/testing.md): case files -> cases whose expectations are checked
//! against the pack and whose evidence is loaded and validated like any evidence file.
//!
//! A problem inside a case file is a [`CaseError`] pointing at the case file's line and
//! column: a YAML or field problem makes the whole file one error (the YAML reader stops at
//! the first), an unknown id or bad evidence makes just that case one. The run goes on
//! without them. Only evidence that cannot be read at all is a [`Failure`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::evidence::{Evidence, EvidenceDocument};
use crate::pack::Pack;
use crate::packtest::problem::{NOT_RATED, NOT_SCORED, Problem};
use crate::source::diagnostic::{Diagnostic, Failure, SourceFile, Worded, did_you_mean, nearest};
use crate::source::file_kind::{FileKind, explain_wrong_kind};
use crate::source::shapes::Quantity;
use crate::source::yaml::{self, Spanned};

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "assure pack test cases",
    description = "Test cases of a rule pack: evidence, and the scores and rules expected of it (docs/testing.md)."
)]
pub(crate) struct CaseFileDocument {
    cases: Vec<CaseDocument>,
}

/// The shape of a case file: where each case starts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseList {
    cases: Vec<Spanned<IgnoredAny>>,
}

/// Just a case's name, to title a case that cannot be read.
#[derive(Deserialize)]
struct CaseName {
    name: Option<String>,
}

/// One case: evidence, and what the pack should make of it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CaseDocument {
    #[schemars(with = "String")]
    name: Spanned<String>,
    #[schemars(with = "EvidenceField")]
    evidence: Spanned<EvidenceField>,
    #[schemars(with = "ExpectDocument")]
    expect: Spanned<ExpectDocument>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ExpectDocument {
    /// Expected score of each quality statement, by statement id.
    #[schemars(with = "Option<BTreeMap<String, Quantity>>")]
    scores: Option<Keyed<Spanned<String>>>,
    /// Expected overall rating, e.g. `Good`.
    #[schemars(with = "Option<String>")]
    overall: Option<Spanned<String>>,
    #[schemars(with = "Option<u32>")]
    percent: Option<Spanned<u32>>,
    /// Rule ids expected to fire, by statement id.
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    fired: Option<Keyed<Vec<Spanned<String>>>>,
    #[schemars(with = "Option<BTreeMap<String, Vec<String>>>")]
    not_fired: Option<Keyed<Vec<Spanned<String>>>>,
}

/// `evidence:` is a path to an evidence file or the fields of one, inline.
enum EvidenceField {
    Path(String),
    Inline(Box<EvidenceDocument>),
}

impl JsonSchema for EvidenceField {
    fn schema_name() -> Cow<'static, str> {
        "EvidenceField".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let inline = generator.subschema_for::<EvidenceDocument>();
        json_schema!({
            "description": "A path to an evidence file (relative to the case file), or the evidence inline.",
            "anyOf": [{ "type": "string" }, inline]
        })
    }
}

impl<'de> Deserialize<'de> for EvidenceField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = EvidenceField;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path to an evidence file, or the fields of one (authority, items)")
            }

            fn visit_str<E: de::Error>(self, path: &str) -> Result<EvidenceField, E> {
                Ok(EvidenceField::Path(path.to_string()))
            }

            // The mapping is read by the YAML deserializer itself, so its values keep
            // their places in the case file.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EvidenceField, A::Error> {
                EvidenceDocument::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|document| EvidenceField::Inline(Box::new(document)))
            }
        }
        deserializer.deserialize_any(FieldVisitor)
    }
}

/// A mapping whose keys keep their places in the file, in the order written.
struct Keyed<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Keyed<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyedVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for KeyedVisitor<V> {
            type Value = Keyed<V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping from quality statement ids")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keyed<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Keyed(entries))
            }
        }
        deserializer.deserialize_map(KeyedVisitor(PhantomData))
    }
}

/// One case file: its cases and the cases that could not be loaded, in file order.
#[derive(Debug)]
pub struct CaseFile {
    pub file: Arc<SourceFile>,
    pub entries: Vec<CaseEntry>,
    /// The evidence files its cases name, as read, without repeats.
    pub evidence_files: Vec<String>,
}

#[derive(Debug)]
pub enum CaseEntry {
    Case(Box<Case>),
    Error(CaseError),
}

/// A loaded case: evidence to score and what the score must show.
#[derive(Debug)]
pub struct Case {
    pub name: String,
    /// Line of the case's `name` in its file.
    pub line: usize,
    pub evidence: Evidence,
    pub expect: Expectations,
}

/// A case, or a whole case file, that cannot be run.
#[derive(Debug)]
pub struct CaseError {
    /// The case's name, when the file was read far enough to know it.
    pub case: Option<String>,
    pub line: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// What a case expects, each with the line it is written on.
#[derive(Debug, Default)]
pub struct Expectations {
    pub scores: Vec<ScoreExpectation>,
    pub overall: Option<RatingExpectation>,
    pub percent: Option<PercentExpectation>,
    pub fired: Vec<RuleExpectation>,
    pub not_fired: Vec<RuleExpectation>,
}

/// `scores:` one statement's expected score.
#[derive(Debug)]
pub struct ScoreExpectation {
    pub statement: String,
    /// 1 to 4, or `None` for `not scored`.
    pub score: Option<u8>,
    pub line: usize,
}

/// `overall:` the expected rating.
#[derive(Debug)]
pub struct RatingExpectation {
    /// A rating band's name, or `None` for `not rated`.
    pub rating: Option<String>,
    pub line: usize,
}

/// `percent:` the expected overall percentage, as CQC publishes it (rounded up).
#[derive(Debug)]
pub struct PercentExpectation {
    pub percent: u32,
    pub line: usize,
}

/// `fired:` or `not_fired:` one rule of one statement.
#[derive(Debug)]
pub struct RuleExpectation {
    pub statement: String,
    pub rule: String,
    pub line: usize,
    /// Where the rule id is written in the case file.
    pub span: Range<usize>,
}

/// Reads an evidence file a case names, by its path resolved against the case file.
pub type ReadEvidence<'a> = dyn FnMut(&Path) -> Result<Arc<SourceFile>, Diagnostic> + 'a;

/// Loads every case of the files against a pack. Case names are unique across all files.
/// Fails only when an evidence file a case names cannot be read.
pub fn load(
    files: &[Arc<SourceFile>],
    pack: &Pack,
    read_evidence: &mut ReadEvidence<'_>,
) -> Result<Vec<CaseFile>, Failure> {
    let mut loader = Loader {
        pack,
        read_evidence,
        names: BTreeMap::new(),
        evidence_files: BTreeMap::new(),
        unreadable: Vec::new(),
        named: Vec::new(),
        named_set: std::collections::HashSet::new(),
    };
    let loaded = files.iter().map(|file| loader.file(file)).collect();
    if loader.unreadable.is_empty() {
        Ok(loaded)
    } else {
        Err(Failure::new(loader.unreadable))
    }
}

/// Normalises `a/b/../c` to `a/c` without touching the disk, so an evidence file named
/// from a case file reads as a plain path in messages.
pub fn tidy_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut tidy = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(tidy.components().next_back(), Some(Component::Normal(_))) =>
            {
                tidy.pop();
            }
            other => tidy.push(other),
        }
    }
    tidy
}

struct Loader<'a, 'r> {
    pack: &'a Pack,
    read_evidence: &'a mut ReadEvidence<'r>,
    /// Case names seen so far, with where.
    names: BTreeMap<String, String>,
    /// Evidence files already read, by tidy path.
    evidence_files: BTreeMap<PathBuf, Arc<SourceFile>>,
    unreadable: Vec<Diagnostic>,
    /// Evidence files named by the file being read, in order and as a set.
    named: Vec<String>,
    named_set: std::collections::HashSet<String>,
}

impl Loader<'_, '_> {
    fn file(&mut self, file: &Arc<SourceFile>) -> CaseFile {
        let documents = match read_cases(file) {
            Ok(documents) => documents,
            Err(diagnostic) => {
                let line = diagnostic
                    .span
                    .as_ref()
                    .map_or(1, |span| file.line_column(span.start).0);
                return CaseFile {
                    file: Arc::clone(file),
                    entries: vec![CaseEntry::Error(CaseError {
                        case: None,
                        line,
                        diagnostics: vec![
                            crate::source::file_kind::foreign(
                                file,
                                crate::source::file_kind::FileKind::Cases,
                            )
                            .unwrap_or_else(|| {
                                explain_wrong_kind(diagnostic, &file.text, FileKind::Cases)
                            }),
                        ],
                    })],
                    evidence_files: Vec::new(),
                };
            }
        };
        let mut entries = Vec::new();
        if documents.is_empty() {
            entries.push(CaseEntry::Error(CaseError {
                case: None,
                line: 1,
                diagnostics: vec![Problem::NoCases.in_file(file)],
            }));
        }
        for document in documents {
            entries.push(match document {
                Ok(document) => self.case(file, document),
                Err(error) => CaseEntry::Error(error),
            });
        }
        CaseFile {
            file: Arc::clone(file),
            entries,
            evidence_files: {
                self.named_set.clear();
                std::mem::take(&mut self.named)
            },
        }
    }

    fn case(&mut self, file: &Arc<SourceFile>, document: CaseDocument) -> CaseEntry {
        let name = document.name.value.trim().to_string();
        let line = line_of(file, &document.name);
        let mut problems = Vec::new();
        let name_span = yaml::span_of(file, &document.name);
        if name.is_empty() {
            problems.push(Problem::UnnamedCase.at(file, name_span));
        } else if let Some(first) = self.names.get(&name) {
            let problem = Problem::DuplicateName {
                name: name.clone(),
                first: first.clone(),
            };
            problems.push(problem.at(file, name_span));
        } else {
            self.names
                .insert(name.clone(), format!("{}:{line}", file.name));
        }
        let expect = Checker {
            file,
            pack: self.pack,
            problems: &mut problems,
        }
        .expectations(&document.expect);
        let evidence = self.evidence(file, &name, line, document.evidence, &mut problems);
        // In reading order, whichever check found them.
        problems.sort_by_key(|d| {
            let source = d.source.as_ref().map(|s| s.name.clone());
            (source, d.span.as_ref().map(|span| span.start))
        });
        match evidence {
            Some(evidence) if problems.is_empty() => CaseEntry::Case(Box::new(Case {
                name,
                line,
                evidence,
                expect,
            })),
            _ => CaseEntry::Error(CaseError {
                case: Some(name).filter(|n| !n.is_empty()),
                line,
                diagnostics: problems,
            }),
        }
    }

    /// The case's evidence, checked as strictly as an evidence file.
    fn evidence(
        &mut self,
        file: &Arc<SourceFile>,
        name: &str,
        line: usize,
        field: Spanned<EvidenceField>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Evidence> {
        let framework = &self.pack.framework;
        let catalogue = &self.pack.catalogue;
        let span = yaml::span_of(file, &field);
        match field.value {
            EvidenceField::Inline(document) => {
                match Evidence::from_document(*document, file, framework, catalogue) {
                    Ok(evidence) => Some(evidence),
                    Err(failure) => {
                        problems.extend(failure.diagnostics);
                        None
                    }
                }
            }
            EvidenceField::Path(path) => {
                if Path::new(path.trim()).is_absolute() {
                    problems.push(Problem::AbsoluteEvidencePath.at(file, span));
                    return None;
                }
                let folder = Path::new(&file.name).parent().unwrap_or(Path::new(""));
                let resolved = tidy_path(&folder.join(path.trim()));
                let shown = resolved.display().to_string();
                if self.named_set.insert(shown.clone()) {
                    self.named.push(shown);
                }
                let source = match self.evidence_files.get(&resolved) {
                    Some(source) => Arc::clone(source),
                    None => match (self.read_evidence)(&resolved) {
                        Ok(source) => {
                            self.evidence_files
                                .insert(resolved.clone(), Arc::clone(&source));
                            source
                        }
                        Err(diagnostic) => {
                            self.unreadable.push(unreadable(diagnostic, file, span));
                            return None;
                        }
                    },
                };
                match Evidence::load(&source, framework, catalogue) {
                    Ok(evidence) => Some(evidence),
                    Err(failure) => {
                        let named = format!("case `{name}`, {}:{line}", file.name);
                        problems.extend(
                            failure
                                .diagnostics
                                .into_iter()
                                .map(|d| d.with_note("evidence of", named.clone())),
                        );
                        None
                    }
                }
            }
        }
    }
}

/// Most cases of one file that may fail to read before the rest are left unread: each
/// one costs a further reading of the whole file.
pub const MAX_BROKEN_CASES: usize = 100;

/// The whole file's cases, each with where it starts.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseBlock {
    cases: Vec<Spanned<CaseDocument>>,
}

/// The cases of a file, read so that a misspelt field spoils only its own case. `Err`
/// when the file itself is wrong: not YAML, or not a mapping with `cases:`.
///
/// The file is read whole; a case that fails is blanked out (its lines kept, so every
/// place stays where it is) and the file read again. A file whose cases all read is read
/// once, and each broken case costs one more reading, up to [`MAX_BROKEN_CASES`].
fn read_cases(file: &Arc<SourceFile>) -> Result<Vec<Result<CaseDocument, CaseError>>, Diagnostic> {
    // A problem the whole-file read finds that no single case shows (a repeated `cases:`)
    // is the file's.
    let list = match yaml::from_source::<CaseList>(file) {
        Ok(list) => list,
        Err(strict) => match yaml::from_text_first_wins::<CaseList>(file, &file.text) {
            Ok(list) => list,
            Err(_) => return Err(strict),
        },
    };
    let starts: Vec<usize> = list
        .cases
        .iter()
        .map(|case| yaml::span_of(file, case).start)
        .collect();
    let Some(entries) = yaml::block_list_ranges(&file.text, &starts) else {
        // A flow list (`cases: [...]`) is read whole.
        let document: CaseFileDocument = yaml::from_source(file)?;
        return Ok(document.cases.into_iter().map(Ok).collect());
    };
    let mut broken: BTreeMap<usize, Diagnostic> = BTreeMap::new();
    let mut text = std::borrow::Cow::Borrowed(file.text.as_str());
    let mut read: Vec<Option<CaseDocument>> = Vec::new();
    let mut gave_up = false;
    while broken.len() < entries.len() {
        match yaml::from_text::<CaseBlock>(file, &text) {
            Ok(block) if block.cases.len() + broken.len() == entries.len() => {
                let mut cases = block.cases.into_iter().map(|case| case.value);
                read = (0..entries.len())
                    .map(|i| match broken.contains_key(&i) {
                        true => None,
                        false => cases.next(),
                    })
                    .collect();
                break;
            }
            // The cases read do not line up with the entries found: say so, not guess.
            Ok(_) => {
                return Err(Problem::CasesNotApart.in_file(file));
            }
            Err(problem) => {
                let at = problem.span.as_ref().map(|span| span.start);
                let entry = at.and_then(|at| {
                    entries
                        .iter()
                        .position(|range| range.contains(&at))
                        .filter(|i| !broken.contains_key(i))
                });
                let Some(entry) = entry else {
                    return Err(problem);
                };
                if broken.len() == MAX_BROKEN_CASES {
                    gave_up = true;
                    break;
                }
                broken.insert(entry, problem);
                yaml::blank_inside(text.to_mut(), &entries[entry]);
            }
        }
    }
    let mut cases: Vec<Result<CaseDocument, CaseError>> = Vec::with_capacity(entries.len());
    for (i, range) in entries.iter().enumerate() {
        let start = starts.get(i).copied().unwrap_or(range.start);
        if let Some(problem) = broken.remove(&i) {
            let own = yaml::blank_outside(&file.text, &(start..range.end));
            cases.push(Err(CaseError {
                case: yaml::from_text_first_wins::<CaseName>(file, &own)
                    .ok()
                    .and_then(|named| named.name)
                    .map(|name| name.trim().to_string())
                    .filter(|name| !name.is_empty()),
                line: file.line_column(start).0,
                diagnostics: vec![problem],
            }));
        } else if let Some(Some(case)) = read.get_mut(i).map(Option::take) {
            cases.push(Ok(case));
        }
    }
    if gave_up {
        cases.push(Err(CaseError {
            case: None,
            line: 1,
            diagnostics: vec![
                Problem::TooManyBrokenCases {
                    limit: MAX_BROKEN_CASES,
                }
                .in_file(file),
            ],
        }));
    }
    Ok(cases)
}

/// An evidence file that cannot be read, shown where the case names it.
fn unreadable(diagnostic: Diagnostic, file: &Arc<SourceFile>, span: Range<usize>) -> Diagnostic {
    if diagnostic.source.is_some() {
        let (line, column) = file.line_column(span.start);
        diagnostic.with_note("named at", format!("{}:{line}:{column}", file.name))
    } else {
        diagnostic
            .at(file, span)
            .with_label("the evidence file named here")
    }
}

/// Checks a case's expectations against the pack's framework and rules.
struct Checker<'a> {
    file: &'a Arc<SourceFile>,
    pack: &'a Pack,
    problems: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error<T>(&mut self, value: &Spanned<T>, problem: Problem) {
        let span = yaml::span_of(self.file, value);
        self.problems.push(problem.at(self.file, span));
    }

    fn expectations(&mut self, expect: &Spanned<ExpectDocument>) -> Expectations {
        let document = &expect.value;
        let mut expectations = Expectations::default();
        for (statement, score) in document.scores.iter().flat_map(|k| &k.0) {
            let statement = self.statement(statement);
            if let (Some(statement), Some(parsed)) = (statement, self.score(score)) {
                expectations.scores.push(ScoreExpectation {
                    statement,
                    score: parsed,
                    line: line_of(self.file, score),
                });
            }
        }
        if let Some(overall) = &document.overall {
            expectations.overall = self.rating(overall).map(|rating| RatingExpectation {
                rating,
                line: line_of(self.file, overall),
            });
        }
        if let Some(percent) = &document.percent {
            if (1..=100).contains(&percent.value) {
                expectations.percent = Some(PercentExpectation {
                    percent: percent.value,
                    line: line_of(self.file, percent),
                });
            } else {
                let problem = Problem::PercentOutOfRange {
                    percent: percent.value,
                };
                self.error(percent, problem);
            }
        }
        expectations.fired = self.rules(document.fired.as_ref());
        expectations.not_fired = self.rules(document.not_fired.as_ref());
        self.refuse_contradictions(&expectations);
        let given = document.scores.as_ref().is_some_and(|k| !k.0.is_empty())
            || document.overall.is_some()
            || document.percent.is_some()
            || document.fired.as_ref().is_some_and(|k| !k.0.is_empty())
            || document.not_fired.as_ref().is_some_and(|k| !k.0.is_empty());
        if !given {
            self.error(expect, Problem::ExpectsNothing);
        }
        expectations
    }

    /// A statement id of the framework, or an error with the nearest ids.
    fn statement(&mut self, id: &Spanned<String>) -> Option<String> {
        let wanted = id.value.trim();
        let framework = &self.pack.framework;
        if framework.statement(wanted).is_some() {
            return Some(wanted.to_string());
        }
        let problem = Problem::UnknownStatement {
            id: wanted.to_string(),
            help: framework.statement_help(wanted),
        };
        self.error(id, problem);
        None
    }

    /// `Some(Some(n))` for a score, `Some(None)` for `not scored`, `None` when wrong.
    fn score(&mut self, text: &Spanned<String>) -> Option<Option<u8>> {
        let written = text.value.trim();
        if written.eq_ignore_ascii_case(NOT_SCORED) {
            return Some(None);
        }
        match written.parse::<u8>() {
            Ok(score) if (1..=4).contains(&score) => Some(Some(score)),
            _ => {
                let problem = Problem::BadScore {
                    written: written.to_string(),
                };
                self.error(text, problem);
                None
            }
        }
    }

    /// `Some(Some(band))` for a rating band, `Some(None)` for `not rated`.
    fn rating(&mut self, text: &Spanned<String>) -> Option<Option<String>> {
        let written = text.value.trim();
        if written.eq_ignore_ascii_case(NOT_RATED) {
            return Some(None);
        }
        let ratings: Vec<&str> = self
            .pack
            .framework
            .ratings
            .iter()
            .map(|band| band.rating.as_str())
            .collect();
        if ratings.contains(&written) {
            return Some(Some(written.to_string()));
        }
        let help =
            did_you_mean(&nearest(written, ratings.iter().copied(), 2)).unwrap_or_else(|| {
                format!(
                    "a rating is one of: {}, or `{NOT_RATED}`",
                    ratings.join(", ")
                )
            });
        let problem = Problem::UnknownRating {
            rating: written.to_string(),
            help,
        };
        self.error(text, problem);
        None
    }

    /// Rule ids under statement ids: each must be a rule of the pack that scores that
    /// statement.
    fn rules(&mut self, given: Option<&Keyed<Vec<Spanned<String>>>>) -> Vec<RuleExpectation> {
        let mut expectations = Vec::new();
        for (statement, rules) in given.iter().flat_map(|k| &k.0) {
            let Some(statement) = self.statement(statement) else {
                continue;
            };
            for rule in rules {
                if let Some(rule) = self.rule(&statement, rule) {
                    expectations.push(rule);
                }
            }
        }
        expectations
    }

    fn rule(&mut self, statement: &str, id: &Spanned<String>) -> Option<RuleExpectation> {
        let wanted = id.value.trim();
        let owner = self
            .pack
            .rules()
            .find(|(_, rule)| rule.id == wanted)
            .map(|(owner, _)| owner.statement.clone());
        match owner {
            Some(owner) if owner == statement => Some(RuleExpectation {
                statement: statement.to_string(),
                rule: wanted.to_string(),
                line: line_of(self.file, id),
                span: yaml::span_of(self.file, id),
            }),
            Some(owner) => {
                let problem = Problem::RuleOfOtherStatement {
                    rule: wanted.to_string(),
                    owner,
                    statement: statement.to_string(),
                };
                self.error(id, problem);
                None
            }
            None => {
                // The statement's own rules first: that is where a misspelt id belongs.
                let own: Vec<&str> = self
                    .pack
                    .statement_rules(statement)
                    .iter()
                    .flat_map(|s| s.rules.iter().map(|r| r.id.as_str()))
                    .collect();
                let mut near = nearest(wanted, own.iter().copied(), 3);
                if near.is_empty() {
                    near = nearest(wanted, self.pack.rules().map(|(_, r)| r.id.as_str()), 3);
                }
                let help = did_you_mean(&near).unwrap_or_else(|| {
                    format!("`{statement}` has no rule with this id in the pack")
                });
                let problem = Problem::UnknownRule {
                    rule: wanted.to_string(),
                    help,
                };
                self.error(id, problem);
                None
            }
        }
    }

    fn refuse_contradictions(&mut self, expectations: &Expectations) {
        for both in expectations.fired.iter().filter(|fired| {
            expectations
                .not_fired
                .iter()
                .any(|n| n.statement == fired.statement && n.rule == fired.rule)
        }) {
            let problem = Problem::FiredAndNotFired {
                rule: both.rule.clone(),
            };
            self.problems.push(problem.at(self.file, both.span.clone()));
        }
    }
}

/// The line a value is on, counted as the file's own lines are (a carriage return alone
/// ends a line too).
fn line_of<T>(file: &SourceFile, value: &Spanned<T>) -> usize {
    file.line_column(yaml::span_of(file, value).start).0
}
