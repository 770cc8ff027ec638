//! Every problem found while loading a rule pack, its framework or its catalogue, as data:
//! what went wrong and the names and numbers that say so. Each becomes a [`Diagnostic`]
//! once, at the edge, where the file and span are known.

use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::lang::ast::{Category, LiteralUnit};
use crate::lang::parse::SyntaxError;
use crate::pack::Weights;
use crate::pack::measure_codes::MeasureCode;
use crate::pack::unit::Unit;
use crate::source::codes;
use crate::source::diagnostic::{Severity, Worded};
use crate::source::number::NotANumber;

/// The help for a tolerance that does not read.
const TOLERANCE_HELP: &str = "write e.g. `5 points` or `10%`";
/// The help for a name, alias or code that already names another metric.
const NAME_HELP: &str = "each name, alias and code must point at one metric";

/// A problem with a pack, its framework or its metric catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A rule sentence does not parse.
    Syntax(SyntaxError),
    /// A rule names a metric the catalogue does not have.
    UnknownMetric {
        metric: String,
        rule: String,
        /// The nearest catalogue names, as a "did you mean" line.
        suggestion: Option<String>,
    },
    /// A statement document names a statement the framework does not have.
    UnknownStatement {
        statement: String,
        /// The nearest statement ids, as a "did you mean" line.
        suggestion: Option<String>,
    },
    /// Two rules share an id; the first is at `first_file:first_line`.
    DuplicateRuleId {
        id: String,
        first_file: String,
        first_line: usize,
    },
    /// A rule's literal threshold is written in a unit other than its metric's.
    WrongUnit {
        value: Decimal,
        literal: LiteralUnit,
        metric: String,
        /// The metric's unit.
        unit: Unit,
    },
    /// One document has both `pack:` and `statement:` or `rules:`.
    HeaderAndStatement,
    /// A second document has `pack:`.
    TwoHeaders,
    /// Two documents give rules for the same statement.
    StatementTwice { statement: String },
    /// A document has `rules:` but no `statement:`.
    RulesWithoutStatement,
    /// No document has `pack:`.
    NoHeader,
    /// The header's `framework:` is not the one this engine knows.
    UnknownFramework { given: String, known: String },
    /// A tolerance (the pack's or a metric's) is not a number.
    BadTolerance(NotANumber),
    /// A tolerance is below zero.
    NegativeTolerance,
    /// `weights:` names a category the rule language does not know.
    UnknownWeightCategory {
        name: String,
        /// The nearest category names, or all of them.
        help: String,
    },
    /// A weight is outside 1 to `Weights::MAX`.
    WeightOutOfRange { weight: u8 },
    /// A statement's `baseline:` is not a score from 1 to 4.
    BadBaseline { given: String },
    /// The pack's meaning cannot be written down to hash it.
    CannotHash { pack: String, reason: String },
    /// A metric's `max:` is not a number.
    BadMax(NotANumber),
    /// A metric's `category:` is not an evidence category.
    NotACategory { given: String },
    /// A metric's `codes:` entry has a year that does not read or runs backwards.
    BadCodeEntry(String),
    /// A metric's name, alias or code already names another metric.
    NameUsedTwice { name: String, metric: String },
    /// A code already names another metric in overlapping years.
    CodeUsedTwice {
        code: String,
        metric: String,
        other: MeasureCode,
    },
    /// A pack directory holds no YAML files.
    NoYamlFiles { directory: PathBuf },
    /// `fmt` would change the pack's meaning or leave sentences unformatted.
    FormatChangesMeaning { unsettled: Vec<String> },
    /// `fmt` cannot find the closing quote of a rule's sentence.
    SentenceEndNotFound { rule: String },
    /// The framework's rating bands do not rise.
    RatingBandsOutOfOrder,
    /// The framework has no rating bands.
    NoRatingBands,
    /// The framework lists a category the rule language does not know.
    UnknownFrameworkCategory { name: String },
    /// The framework has a statement id twice.
    StatementIdTwice,
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        Severity::Error
    }

    fn message(&self) -> String {
        match self {
            Problem::Syntax(error) => error.message.clone(),
            Problem::UnknownMetric { metric, rule, .. } => {
                format!("unknown metric `{metric}` in rule `{rule}`")
            }
            Problem::UnknownStatement { statement, .. } => {
                format!("unknown quality statement `{statement}`")
            }
            Problem::DuplicateRuleId { id, .. } => format!("rule id `{id}` is used twice"),
            Problem::WrongUnit {
                value,
                literal,
                metric,
                unit,
            } => {
                let written = match literal {
                    LiteralUnit::Percent => format!("{value}%"),
                    LiteralUnit::Days => format!("{value} days"),
                    LiteralUnit::None | LiteralUnit::Points => value.to_string(),
                };
                format!(
                    "`{written}` is not in the unit of `{metric}`, which is measured in {}",
                    unit.as_str()
                )
            }
            Problem::HeaderAndStatement => {
                "a document cannot be both a pack header and a statement".to_string()
            }
            Problem::TwoHeaders => "the pack has two headers".to_string(),
            Problem::StatementTwice { statement } => {
                format!("statement `{statement}` has rules in two documents")
            }
            Problem::RulesWithoutStatement => "rules without a `statement:`".to_string(),
            Problem::NoHeader => {
                "the pack has no header (`pack:`, `version:`, `framework:`)".to_string()
            }
            Problem::UnknownFramework { given, .. } => format!("unknown framework `{given}`"),
            Problem::BadTolerance(error) | Problem::BadMax(error) => error.message.clone(),
            Problem::NegativeTolerance => "a tolerance cannot be negative".to_string(),
            Problem::UnknownWeightCategory { name, .. } => {
                format!("unknown evidence category `{name}` in `weights`")
            }
            Problem::WeightOutOfRange { weight } => format!(
                "a weight is a whole number from 1 to {}, not {weight}",
                Weights::MAX
            ),
            Problem::BadBaseline { given } => {
                format!("a baseline is a score from 1 to 4, not {given}")
            }
            Problem::CannotHash { pack, reason } => {
                format!("cannot hash the pack `{pack}`: {reason}")
            }
            Problem::NotACategory { given } => format!("`{given}` is not an evidence category"),
            Problem::BadCodeEntry(message) => message.clone(),
            Problem::NameUsedTwice { name, metric } => {
                format!("`{name}` already names the metric `{metric}`")
            }
            Problem::CodeUsedTwice {
                code,
                metric,
                other,
            } => format!(
                "code `{code}` already names the metric `{metric}` in the years of `{}`",
                other.describe()
            ),
            Problem::NoYamlFiles { directory } => format!(
                "`{}` holds no YAML files; expected a rule pack",
                directory.display()
            ),
            Problem::FormatChangesMeaning { unsettled } => format!(
                "formatting would change the pack's meaning or leave sentences unformatted ({}); \
                 nothing was written",
                unsettled.join(", ")
            ),
            Problem::SentenceEndNotFound { rule } => {
                format!("cannot find where the sentence of rule `{rule}` ends in its file")
            }
            Problem::RatingBandsOutOfOrder => "rating bands must rise in order".to_string(),
            Problem::NoRatingBands => "the framework names no rating bands".to_string(),
            Problem::UnknownFrameworkCategory { name } => {
                format!("category `{name}` is not one the rule language knows")
            }
            Problem::StatementIdTwice => "a statement id appears twice".to_string(),
        }
    }

    /// The short label under the marked text.
    fn label(&self) -> Option<&str> {
        match self {
            Problem::Syntax(error) => Some(&error.label),
            Problem::UnknownMetric { .. } => Some("not in the metric catalogue"),
            Problem::UnknownStatement { .. } => Some("not a statement of the framework"),
            Problem::DuplicateRuleId { .. } => Some("second use"),
            Problem::WrongUnit { .. } => Some("the wrong unit"),
            Problem::TwoHeaders => Some("second `pack:`"),
            Problem::NameUsedTwice { .. } => Some("name used twice"),
            Problem::CodeUsedTwice { .. } => Some("code used twice in the same years"),
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        match self {
            Problem::Syntax(error) => error.help.clone(),
            Problem::UnknownMetric { suggestion, .. } => Some(suggestion.clone().unwrap_or_else(
                || "add it to the pack's metrics.yaml with its unit and polarity".to_string(),
            )),
            Problem::UnknownStatement { suggestion, .. } => suggestion.clone(),
            Problem::DuplicateRuleId {
                first_file,
                first_line,
                ..
            } => Some(format!(
                "first used at {first_file}:{first_line}; rule ids must be unique in a pack"
            )),
            Problem::WrongUnit { value, unit, .. } => {
                // The other ways evidence may write a value of the metric's unit.
                let or = match unit {
                    Unit::Percent => " or with a `%`",
                    Unit::Days => " or with `days`",
                    _ => "",
                };
                Some(format!(
                    "write the threshold as evidence gives the value: `{value}`{or}"
                ))
            }
            Problem::HeaderAndStatement => {
                Some("put `statement:` and its rules in a document of their own".to_string())
            }
            Problem::StatementTwice { .. } => {
                Some("keep each statement's rules in one file".to_string())
            }
            Problem::RulesWithoutStatement => {
                Some("start the document with `statement: <quality statement id>`".to_string())
            }
            Problem::NoHeader => {
                Some("add a `pack.yaml` with `pack: <name>` and `version: <version>`".to_string())
            }
            Problem::UnknownFramework { known, .. } => {
                Some(format!("this engine knows `{known}`"))
            }
            Problem::BadTolerance(_) | Problem::NegativeTolerance => {
                Some(TOLERANCE_HELP.to_string())
            }
            Problem::UnknownWeightCategory { help, .. } => Some(help.clone()),
            Problem::NotACategory { .. } => Some(format!(
                "use one of: {}",
                Category::ALL.map(Category::as_str).join(", ")
            )),
            Problem::BadCodeEntry(_) => Some(
                "a code entry is `{code: \"3A\", from: 2023-24}` or `{code: \"1B\", until: 2022-23}`"
                    .to_string(),
            ),
            Problem::NameUsedTwice { .. } => Some(NAME_HELP.to_string()),
            Problem::CodeUsedTwice { .. } => Some(
                "a code may name two metrics only in years that do not overlap: give each `from:` or `until:`"
                    .to_string(),
            ),
            _ => None,
        }
    }

    /// The finding code `assure check` reports the problem under, if it is a finding.
    fn code(&self) -> Option<&'static str> {
        match self {
            Problem::UnknownMetric { .. } => Some(codes::UNKNOWN_METRIC),
            Problem::UnknownStatement { .. } => Some(codes::UNKNOWN_STATEMENT),
            Problem::DuplicateRuleId { .. } => Some(codes::DUPLICATE_RULE_ID),
            _ => None,
        }
    }

    /// The rule a coded problem is about, when it names one.
    fn rule(&self) -> Option<&str> {
        match self {
            Problem::UnknownMetric { rule, .. } => Some(rule),
            _ => None,
        }
    }
}
