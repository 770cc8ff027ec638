//! Rule packs: YAML files -> parsed, name-checked rules, each remembering the file, line and
//! column its sentence was written at.
//!
//! A pack is a set of YAML documents: one header (`pack:`), one document per statement it
//! scores (`statement:`), and optionally metric definitions (`metrics:`). A directory holds
//! them as `pack.yaml`, one file per statement and `metrics.yaml`; a single file holds them
//! as `---`-separated documents. Both are read the same way.

pub(crate) mod builtin;
pub mod catalogue;
pub mod formatter;
pub mod framework;
pub mod measure_codes;
pub(crate) mod plan;
pub mod problem;
pub mod unit;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::lang::ast::{self, Category};
use crate::lang::parse::parse_rule;
use crate::pack::catalogue::{Catalogue, MetricEntry, MetricId, Tolerance};
use crate::pack::framework::Framework;
use crate::pack::plan::RulePlan;
use crate::pack::problem::Problem;
use crate::source::diagnostic::{Diagnostic, SourceFile, Worded, did_you_mean, nearest};
use crate::source::file_kind::{FileKind, explain_wrong_kind};
use crate::source::shapes::{OneOrMany, Quantity};
use crate::source::yaml::{self, Spanned};

/// The baseline score when a statement file gives none: the framework's expected standard.
pub const DEFAULT_BASELINE: u8 = 3;

/// How a statement's score is formed (docs/scoring.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Rules adjust one statement score (CQC's current method).
    #[default]
    Statement,
    /// Rules score each evidence category; the statement score is their banded percentage.
    Categories,
}

/// One YAML document of a pack; which fields it has says what it is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "assure rule pack document",
    description = "One document of a rule pack: the header (`pack:`), one statement's rules (`statement:` and `rules:`), or metrics for the catalogue (`metrics:`)."
)]
pub(crate) struct PackDocument {
    /// The pack's name (header document).
    #[schemars(with = "Option<String>")]
    pack: Option<Spanned<String>>,
    #[schemars(with = "Option<Quantity>")]
    version: Option<String>,
    #[schemars(with = "Option<String>")]
    framework: Option<Spanned<String>>,
    /// The band for `in line with`, e.g. `2 points` or `5%`.
    #[schemars(with = "Option<Quantity>")]
    tolerance: Option<Spanned<String>>,
    /// How much each evidence category counts under `method: categories`, e.g.
    /// `people's experience: 2`; a category not named counts 1.
    #[schemars(with = "Option<BTreeMap<String, u8>>")]
    weights: Option<BTreeMap<String, Spanned<u8>>>,
    description: Option<String>,
    /// The quality statement these rules score (statement document).
    #[schemars(with = "Option<String>")]
    statement: Option<Spanned<String>>,
    /// The score before any rule moves it, 1 to 4.
    /// Read as text and checked here, so that `300` or `three` is told the range it
    /// missed rather than the range of a byte.
    #[schemars(with = "Option<u8>", range(min = 1, max = 4))]
    baseline: Option<Spanned<String>>,
    method: Option<Method>,
    rules: Option<Vec<RuleEntry>>,
    /// Metrics the pack adds to the catalogue.
    metrics: Option<Vec<MetricEntry>>,
}

/// One rule: an id, a sentence of the rule language, and why.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    #[schemars(with = "String")]
    id: Spanned<String>,
    /// The rule sentence, e.g. `care act assessment waiting days above 28 lowers score`.
    #[schemars(with = "String")]
    rule: Spanned<String>,
    why: Option<String>,
    #[schemars(with = "Option<OneOrMany>")]
    cites: Option<Cites>,
}

#[derive(Debug)]
enum Cites {
    One(String),
    Many(Vec<String>),
}

/// By hand rather than `untagged`, so that a wrong value says what was expected instead of
/// "did not match any variant".
impl<'de> Deserialize<'de> for Cites {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cites, D::Error> {
        struct CitesVisitor;
        impl<'de> serde::de::Visitor<'de> for CitesVisitor {
            type Value = Cites;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a citation as text, or a list of them (quote text YAML would read as a number or yes/no)")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Cites, E> {
                Ok(Cites::One(text.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Cites, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element::<String>()? {
                    all.push(one);
                }
                Ok(Cites::Many(all))
            }
        }
        deserializer.deserialize_any(CitesVisitor)
    }
}

/// A loaded, checked rule pack with the catalogue and framework it was checked against.
#[derive(Debug)]
pub struct Pack {
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    pub framework: Framework,
    pub catalogue: Catalogue,
    /// The pack-wide band for `in line with`.
    pub tolerance: Tolerance,
    /// How much each evidence category counts under `method: categories`.
    pub weights: Weights,
    /// Statements the pack scores, in framework order.
    pub statements: Vec<StatementRules>,
    /// Every rule's id, in pack order.
    pub rule_ids: Arc<[String]>,
    /// `sha256:` of the pack's meaning: stable across file order, layout and comments.
    pub hash: String,
    /// Where the header's `pack:` name is written, for findings about the pack as a whole.
    pub origin: Option<(Arc<SourceFile>, Range<usize>)>,
}

/// The rules of one quality statement.
#[derive(Debug)]
pub struct StatementRules {
    pub statement: String,
    pub baseline: u8,
    pub method: Method,
    pub rules: Vec<PackRule>,
    /// The catalogue metrics its rules read.
    pub(crate) reads: BTreeSet<MetricId>,
    /// Whether a rule counts untagged `evidence`, which reads every metric that can be
    /// judged against a reference.
    pub(crate) reads_judged_metrics: bool,
    /// Where the `statement:` id is written.
    pub origin: Option<(Arc<SourceFile>, Range<usize>)>,
}

/// One rule of a pack.
#[derive(Debug)]
pub struct PackRule {
    pub id: String,
    /// The sentence as written.
    pub text: String,
    pub ast: ast::Rule,
    pub why: Option<String>,
    pub cites: Vec<String>,
    pub origin: RuleOrigin,
    /// The rule compiled for scoring.
    pub(crate) plan: RulePlan,
}

/// Where a rule's sentence sits in its file.
#[derive(Debug, Clone)]
pub struct RuleOrigin {
    pub file: Arc<SourceFile>,
    /// For each byte offset of the sentence (and one past its end), the byte offset in the file.
    offsets: Vec<usize>,
    pub id_span: Range<usize>,
}

impl RuleOrigin {
    /// The file byte range of a span of the sentence.
    pub fn file_span(&self, span: ast::Span) -> Range<usize> {
        let at = |offset: usize| {
            self.offsets
                .get(offset)
                .or(self.offsets.last())
                .copied()
                .unwrap_or(0)
        };
        at(span.start)..at(span.end).max(at(span.start))
    }

    /// The file byte range of the whole sentence, inside any quotes.
    pub fn sentence_span(&self) -> Range<usize> {
        let start = self.offsets.first().copied().unwrap_or(0);
        let end = self.offsets.last().copied().unwrap_or(start);
        start..end.max(start)
    }

    /// `file:line:column` of the start of the sentence.
    pub fn location(&self) -> (usize, usize) {
        self.file
            .line_column(self.offsets.first().copied().unwrap_or(0))
    }
}

impl Pack {
    /// Loads a pack from its files (a directory's YAML files, or one file).
    pub fn load(
        files: &[Arc<SourceFile>],
        framework: Framework,
        builtin: Catalogue,
    ) -> Result<Pack, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut documents = Vec::new();
        for file in files {
            match yaml::documents_from_source::<PackDocument>(file) {
                Ok(docs) => documents.extend(docs.into_iter().map(|doc| (Arc::clone(file), doc))),
                Err(diagnostic) => {
                    problems.push(explain_wrong_kind(diagnostic, &file.text, FileKind::Pack))
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut loader = Loader {
            framework,
            catalogue: builtin,
            problems,
        };
        let pack = loader.assemble(documents, files);
        match pack {
            Some(pack) if loader.problems.is_empty() => Ok(pack),
            _ => Err(loader.problems),
        }
    }

    pub fn statement_rules(&self, id: &str) -> Option<&StatementRules> {
        self.statements.iter().find(|s| s.statement == id)
    }

    /// Every rule of the pack with its statement.
    pub fn rules(&self) -> impl Iterator<Item = (&StatementRules, &PackRule)> {
        self.statements
            .iter()
            .flat_map(|statement| statement.rules.iter().map(move |rule| (statement, rule)))
    }
}

struct Loader {
    framework: Framework,
    catalogue: Catalogue,
    problems: Vec<Diagnostic>,
}

struct Header {
    name: String,
    origin: (Arc<SourceFile>, Range<usize>),
    version: String,
    description: Option<String>,
    tolerance: Tolerance,
    weights: Weights,
}

/// How much each evidence category counts when a statement is scored by categories: 1
/// unless the pack says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Weights([u8; Category::ALL.len()]);

impl Default for Weights {
    fn default() -> Self {
        Weights([1; Category::ALL.len()])
    }
}

impl Weights {
    /// The weights a pack may give: whole numbers, so percentages stay exact.
    pub const MAX: u8 = 9;

    pub fn of(&self, category: Category) -> u8 {
        self.0[category as usize]
    }

    fn set(&mut self, category: Category, weight: u8) {
        self.0[category as usize] = weight;
    }

    /// The categories whose weight is not 1, for showing and hashing.
    pub fn non_default(&self) -> Vec<(Category, u8)> {
        Category::ALL
            .into_iter()
            .map(|c| (c, self.of(c)))
            .filter(|(_, w)| *w != 1)
            .collect()
    }
}

impl Loader {
    fn assemble(
        &mut self,
        documents: Vec<(Arc<SourceFile>, PackDocument)>,
        files: &[Arc<SourceFile>],
    ) -> Option<Pack> {
        // Metrics first: rules are checked against the pack's own catalogue entries too.
        let mut rest = Vec::new();
        for (file, mut doc) in documents {
            if let Some(entries) = doc.metrics.take() {
                for entry in entries {
                    if let Err(diagnostic) = self.catalogue.add(&file, entry) {
                        self.problems.push(diagnostic);
                    }
                }
            }
            rest.push((file, doc));
        }
        let mut header = None;
        let mut statements: BTreeMap<String, StatementRules> = BTreeMap::new();
        for (file, doc) in rest {
            if let Some(pack) = &doc.pack {
                if doc.statement.is_some() || doc.rules.is_some() {
                    self.problems
                        .push(Problem::HeaderAndStatement.at(&file, yaml::span_of(&file, pack)));
                    continue;
                }
                if header.is_some() {
                    self.problems
                        .push(Problem::TwoHeaders.at(&file, yaml::span_of(&file, pack)));
                    continue;
                }
                header = self.header(&file, &doc);
            } else if let Some(statement) = &doc.statement {
                if let Some(rules) = self.statement(&file, statement, &doc) {
                    if statements.contains_key(&rules.statement) {
                        let problem = Problem::StatementTwice {
                            statement: rules.statement,
                        };
                        self.problems
                            .push(problem.at(&file, yaml::span_of(&file, statement)));
                    } else {
                        statements.insert(rules.statement.clone(), rules);
                    }
                }
            } else if doc.rules.is_some() {
                self.problems
                    .push(Problem::RulesWithoutStatement.in_file(&file));
            }
        }
        self.check_duplicate_ids(&statements);
        let Some(header) = header else {
            self.problems.push(match files.first() {
                Some(first) => Problem::NoHeader.in_file(first),
                None => Problem::NoHeader.unplaced(),
            });
            return None;
        };
        let ordered: Vec<StatementRules> = self
            .framework
            .statements()
            .filter_map(|s| statements.remove(&s.id))
            .collect();
        let hash = match pack_hash(&header, &ordered, &self.catalogue) {
            Ok(hash) => hash,
            Err(problem) => {
                self.problems.push(problem);
                return None;
            }
        };
        let rule_ids = ordered
            .iter()
            .flat_map(|s| s.rules.iter().map(|rule| rule.id.clone()))
            .collect();
        Some(Pack {
            name: header.name,
            version: header.version,
            description: header.description,
            framework: self.framework.clone(),
            catalogue: std::mem::take(&mut self.catalogue),
            tolerance: header.tolerance,
            weights: header.weights,
            statements: ordered,
            rule_ids,
            hash,
            origin: Some(header.origin),
        })
    }

    fn header(&mut self, file: &Arc<SourceFile>, doc: &PackDocument) -> Option<Header> {
        let name = doc.pack.as_ref()?.value.trim().to_string();
        if let Some(framework) = &doc.framework
            && framework.value.trim() != self.framework.framework
        {
            let problem = Problem::UnknownFramework {
                given: framework.value.clone(),
                known: self.framework.framework.clone(),
            };
            self.problems
                .push(problem.at(file, yaml::span_of(file, framework)));
        }
        let tolerance = match &doc.tolerance {
            Some(text) => match Tolerance::parse(&text.value) {
                Ok(tolerance) => tolerance,
                Err(problem) => {
                    self.problems
                        .push(problem.at(file, yaml::span_of(file, text)));
                    Tolerance::DEFAULT
                }
            },
            None => Tolerance::DEFAULT,
        };
        let weights = self.weights(file, doc);
        let origin = doc
            .pack
            .as_ref()
            .map_or(0..0, |pack| yaml::span_of(file, pack));
        Some(Header {
            weights,
            name,
            origin: (Arc::clone(file), origin),
            version: doc.version.clone().unwrap_or_else(|| "0.0.0".to_string()),
            description: doc.description.clone(),
            tolerance,
        })
    }

    fn weights(&mut self, file: &Arc<SourceFile>, doc: &PackDocument) -> Weights {
        let mut weights = Weights::default();
        for (name, weight) in doc.weights.iter().flatten() {
            let at = yaml::span_of(file, weight);
            let Some(category) = Category::parse(name) else {
                let problem = Problem::UnknownWeightCategory {
                    name: name.clone(),
                    help: Category::unknown_help(name),
                };
                self.problems.push(problem.at(file, at));
                continue;
            };
            if !(1..=Weights::MAX).contains(&weight.value) {
                let problem = Problem::WeightOutOfRange {
                    weight: weight.value,
                };
                self.problems.push(problem.at(file, at));
                continue;
            }
            weights.set(category, weight.value);
        }
        weights
    }

    fn statement(
        &mut self,
        file: &Arc<SourceFile>,
        id: &Spanned<String>,
        doc: &PackDocument,
    ) -> Option<StatementRules> {
        let statement = id.value.trim().to_string();
        if self.framework.statement(&statement).is_none() {
            let ids: Vec<&str> = self.framework.statements().map(|s| s.id.as_str()).collect();
            let problem = Problem::UnknownStatement {
                suggestion: did_you_mean(&nearest(&statement, ids, 3)),
                statement,
            };
            self.problems
                .push(problem.at(file, yaml::span_of(file, id)));
            return None;
        }
        let baseline = match &doc.baseline {
            Some(spanned) => match spanned.value.trim().parse::<u8>() {
                Ok(score) if (1..=4).contains(&score) => score,
                _ => {
                    let problem = Problem::BadBaseline {
                        given: spanned.value.trim().to_string(),
                    };
                    self.problems
                        .push(problem.at(file, yaml::span_of(file, spanned)));
                    DEFAULT_BASELINE
                }
            },
            None => DEFAULT_BASELINE,
        };
        let rules: Vec<PackRule> = doc
            .rules
            .iter()
            .flatten()
            .filter_map(|entry| self.rule(file, entry))
            .collect();
        let reads = rules.iter().flat_map(|rule| rule.plan.metrics()).collect();
        let reads_judged_metrics = rules.iter().any(|rule| {
            rule.ast.all_tests().into_iter().any(|test| {
                matches!(test, ast::Test::Findings(f) if f.noun == ast::Noun::Evidence && f.tags.is_empty())
            })
        });
        Some(StatementRules {
            statement,
            baseline,
            method: doc.method.unwrap_or_default(),
            rules,
            reads,
            reads_judged_metrics,
            origin: Some((Arc::clone(file), yaml::span_of(file, id))),
        })
    }

    fn rule(&mut self, file: &Arc<SourceFile>, entry: &RuleEntry) -> Option<PackRule> {
        let text = entry.rule.value.clone();
        let origin = RuleOrigin {
            file: Arc::clone(file),
            offsets: align(&text, &file.text, yaml::span_of(file, &entry.rule)),
            id_span: yaml::span_of(file, &entry.id),
        };
        let ast = match parse_rule(&text) {
            Ok(ast) => ast,
            Err(error) => {
                let span = origin.file_span(error.span);
                self.problems.push(Problem::Syntax(error).at(file, span));
                return None;
            }
        };
        self.check_metric_names(&ast, &origin, entry.id.value.trim());
        self.check_literal_units(&ast, &origin);
        let cites = match &entry.cites {
            Some(Cites::One(one)) => vec![one.clone()],
            Some(Cites::Many(many)) => many.clone(),
            None => Vec::new(),
        };
        let id = entry.id.value.trim().to_string();
        let (line, column) = origin.location();
        let label = plan::Label {
            id: &id,
            text: &text,
            location: format!("{}:{line}:{column}", file.name),
        };
        let plan = plan::compile(&ast, label, &self.catalogue);
        Some(PackRule {
            id,
            text,
            plan,
            ast,
            why: entry.why.clone(),
            cites,
            origin,
        })
    }

    fn check_metric_names(&mut self, rule: &ast::Rule, origin: &RuleOrigin, id: &str) {
        for name in rule.metric_names() {
            if self.catalogue.lookup(&name.name).is_none() {
                let problem = Problem::UnknownMetric {
                    metric: name.name.clone(),
                    rule: id.to_string(),
                    suggestion: self.catalogue.suggestion(&name.name),
                };
                self.problems
                    .push(problem.at(&origin.file, origin.file_span(name.span)));
            }
        }
    }

    /// A stated threshold in the metric's own unit, as evidence must give its value: a
    /// `%` only on a percentage, `days` only on a wait in days.
    fn check_literal_units(&mut self, rule: &ast::Rule, origin: &RuleOrigin) {
        use crate::pack::catalogue::Unit;
        for test in rule.all_tests() {
            let ast::Test::Metric(test) = test else {
                continue;
            };
            let reference = match &test.comparison {
                ast::Comparison::Threshold { reference, .. }
                | ast::Comparison::Relative { reference, .. }
                | ast::Comparison::InLineWith { reference } => reference,
                _ => continue,
            };
            let ast::ReferenceKind::Literal { value, unit } = reference.kind else {
                continue;
            };
            let Some(metric) = self.catalogue.lookup(&test.metric.name) else {
                continue;
            };
            let metric = self.catalogue.metric(metric);
            let wrong = match unit {
                ast::LiteralUnit::Percent => metric.unit != Unit::Percent,
                ast::LiteralUnit::Days => metric.unit != Unit::Days,
                _ => continue,
            };
            if wrong {
                let problem = Problem::WrongUnit {
                    value,
                    literal: unit,
                    metric: metric.name.clone(),
                    unit: metric.unit,
                };
                self.problems
                    .push(problem.at(&origin.file, origin.file_span(reference.span)));
            }
        }
    }

    fn check_duplicate_ids(&mut self, statements: &BTreeMap<String, StatementRules>) {
        let mut seen: BTreeMap<&str, &PackRule> = BTreeMap::new();
        let mut all: Vec<&PackRule> = statements.values().flat_map(|s| s.rules.iter()).collect();
        all.sort_by_key(|rule| (rule.origin.file.name.clone(), rule.origin.id_span.start));
        for rule in all {
            if let Some(first) = seen.get(rule.id.as_str()) {
                let (line, _) = first.origin.file.line_column(first.origin.id_span.start);
                let problem = Problem::DuplicateRuleId {
                    id: rule.id.clone(),
                    first_file: first.origin.file.name.clone(),
                    first_line: line,
                };
                self.problems
                    .push(problem.at(&rule.origin.file, rule.origin.id_span.clone()));
            } else {
                seen.insert(rule.id.as_str(), rule);
            }
        }
    }
}

/// Maps each byte of a sentence to the byte of the file it was read from. The YAML scalar
/// may be quoted, folded over lines or escaped, so the two are walked together, letting
/// the file skip quotes, escapes and folded whitespace.
fn align(sentence: &str, file: &str, scalar: Range<usize>) -> Vec<usize> {
    let raw = file
        .get(
            scalar.start
                ..file
                    .len()
                    .min(scalar.end.max(scalar.start + sentence.len() * 2)),
        )
        .unwrap_or("");
    let mut offsets = Vec::with_capacity(sentence.len() + 1);
    let mut raw_chars = raw.char_indices().peekable();
    // A quoted scalar's span starts at its opening quote, which is not part of the
    // sentence (a sentence may itself start with a quoted metric name).
    let quoted = !yaml::follows_block_header(file, scalar.start);
    if quoted {
        raw_chars.next_if(|(_, c)| *c == '"' || *c == '\'');
    }
    let double_quoted = quoted && raw.starts_with('"');
    // File offset of the last sentence character found, and just past it.
    let mut last = scalar.start;
    let mut end = scalar.start;
    let mut previous_was_space = false;
    for (index, ch) in sentence.char_indices() {
        let is_space = ch.is_whitespace();
        // A run of spaces in the sentence maps onto one run in the file: the first space
        // finds the run, the rest stay on it.
        let found = if is_space && previous_was_space {
            Some(last)
        } else {
            let mut found = None;
            for (raw_index, raw_ch) in raw_chars.by_ref() {
                if raw_ch == ch || (is_space && raw_ch.is_whitespace()) {
                    // An escaped character (`\"`) starts at its backslash.
                    let escaped = double_quoted
                        && raw_index > 0
                        && raw.as_bytes().get(raw_index - 1) == Some(&b'\\');
                    found = Some(scalar.start + raw_index - usize::from(escaped));
                    end = scalar.start + raw_index + raw_ch.len_utf8();
                    break;
                }
            }
            if is_space {
                // Folded whitespace: the rest of a run of spaces and line breaks in the file.
                while raw_chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
                    raw_chars.next();
                }
            }
            found
        };
        let file_offset = found.unwrap_or(last);
        last = file_offset;
        previous_was_space = is_space;
        while offsets.len() < index {
            offsets.push(file_offset);
        }
        offsets.push(file_offset);
    }
    while offsets.len() <= sentence.len() {
        offsets.push(end);
    }
    offsets
}

#[derive(Serialize)]
struct HashedPack<'a> {
    name: &'a str,
    version: &'a str,
    tolerance: String,
    /// Left out when every weight is 1, so packs that give none keep their hash.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    weights: Vec<(Category, u8)>,
    statements: Vec<HashedStatement<'a>>,
    metrics: &'a [crate::pack::catalogue::Metric],
}

#[derive(Serialize)]
struct HashedStatement<'a> {
    statement: &'a str,
    baseline: u8,
    method: Method,
    rules: Vec<(&'a str, String, &'a Option<String>, &'a [String])>,
}

/// A hash of what the pack means: canonical rule text, not the bytes of its files.
fn pack_hash(
    header: &Header,
    statements: &[StatementRules],
    catalogue: &Catalogue,
) -> Result<String, Diagnostic> {
    let hashed = HashedPack {
        name: &header.name,
        version: &header.version,
        tolerance: header.tolerance.to_string(),
        weights: header.weights.non_default(),
        statements: statements
            .iter()
            .map(|s| HashedStatement {
                statement: &s.statement,
                baseline: s.baseline,
                method: s.method,
                rules: s
                    .rules
                    .iter()
                    .map(|r| (r.id.as_str(), r.ast.to_string(), &r.why, r.cites.as_slice()))
                    .collect(),
            })
            .collect(),
        metrics: catalogue.metrics(),
    };
    // Never the hash of nothing: a pack whose meaning cannot be written down has no hash.
    let bytes = serde_json::to_vec(&hashed).map_err(|e| {
        Problem::CannotHash {
            pack: header.name.clone(),
            reason: e.to_string(),
        }
        .unplaced()
    })?;
    Ok(crate::source::digest::sha256(&bytes))
}

#[cfg(test)]
mod tests;
