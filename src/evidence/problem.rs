//! Every problem reading and checking evidence files reports, as data: the loader builds a
//! [`Problem`] where it finds one and turns it into a [`Diagnostic`] where the file and
//! span are known ([`Worded::at`](crate::source::diagnostic::Worded::at)), so each message is worded once, here.

use rust_decimal::Decimal;

use crate::lang::ast::Category;
use crate::source::diagnostic::{Severity, Worded};
use crate::source::number::NotANumber;

/// A problem in evidence. Item names are as written; `field` is an item field's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Problem {
    /// An item id used a second time: in the same file (`first_file` is `None`) or in
    /// another of the files included together.
    RepeatedId {
        id: String,
        first_line: usize,
        first_file: Option<String>,
    },
    /// An item gives both `statement` and `statements`.
    BothStatementFields,
    /// An item gives neither `statement` nor a non-empty `statements`.
    NoStatement { item: String },
    /// An item names a statement the framework lacks; `help` is the framework's.
    UnknownStatement { id: String, help: String },
    /// An item has no `category`.
    NoCategory { item: String },
    /// An item's `category` is not one; `help` is `Category::unknown_help`'s.
    UnknownCategory { given: String, help: String },
    /// An item gives both `metric` and `finding`.
    MetricAndFinding,
    /// An item gives neither `metric` nor `finding`.
    NeitherMetricNorFinding { item: String },
    /// A metric item gives `sentiment`.
    SentimentOnMetric,
    /// A metric item gives `strength`.
    StrengthOnMetric,
    /// A metric the catalogue lacks (a warning); `suggestion` is the nearest names'.
    UnknownMetric {
        name: String,
        suggestion: Option<String>,
    },
    /// A metric item has no `value`.
    NoValue { item: String },
    /// A number field's text is not a number.
    NotANumber {
        field: &'static str,
        problem: NotANumber,
    },
    /// A value written with `%` for a metric that is not a percentage.
    PercentSign {
        field: &'static str,
        metric: String,
        unit: &'static str,
    },
    /// A negative value for a metric that cannot be negative.
    Negative {
        field: &'static str,
        metric: String,
        unit: &'static str,
    },
    /// A percentage over 100.
    OverHundred { field: &'static str, value: Decimal },
    /// A count that is not whole.
    NotWhole {
        field: &'static str,
        value: Decimal,
        metric: String,
    },
    /// A value over the metric's `max`.
    OverMax {
        field: &'static str,
        value: Decimal,
        metric: String,
        max: Decimal,
    },
    /// A finding item gives a metric's number field.
    MetricFieldOnFinding { field: &'static str },
    /// A finding item has no `sentiment`.
    NoSentiment { item: String },
    /// A `sentiment` that is not one; `suggestion` is the nearest names'.
    UnknownSentiment {
        given: String,
        suggestion: Option<String>,
    },
    /// A `strength` that is not one; `suggestion` is the nearest names'.
    UnknownStrength {
        given: String,
        suggestion: Option<String>,
    },
    /// One metric given twice for one statement, in items `first` and `second` (a warning).
    RepeatedMetric {
        metric: String,
        statement: String,
        first: String,
        second: String,
    },
    /// A file with neither `items:` nor `include:`.
    NoItems,
    /// An `include:` that leads back to a file being read; `chain` names those files.
    IncludesItself { written: String, chain: Vec<String> },
    /// An `include:` of a file already part of the evidence, as `earlier`.
    IncludedTwice { written: String, earlier: String },
    /// An `include:` that cannot be read; `reason` is what reading it said.
    CannotInclude { written: String, reason: String },
    /// An `include:` of evidence about another council, by code.
    OtherCouncil {
        written: String,
        theirs: String,
        ours: String,
    },
    /// A directory named on the command line holds no evidence files.
    NoEvidenceFiles { directory: String },
}

impl Worded for Problem {
    fn severity(&self) -> Severity {
        match self {
            Problem::UnknownMetric { .. } | Problem::RepeatedMetric { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    fn message(&self) -> String {
        match self {
            Problem::RepeatedId { id, .. } => format!("item id `{id}` is used twice"),
            Problem::BothStatementFields => {
                "give `statement` or `statements`, not both".to_string()
            }
            Problem::NoStatement { item } => format!("item `{item}` names no quality statement"),
            Problem::UnknownStatement { id, .. } => format!("unknown quality statement `{id}`"),
            Problem::NoCategory { item } => format!("item `{item}` has no `category`"),
            Problem::UnknownCategory { given, .. } => {
                format!("unknown evidence category `{given}`")
            }
            Problem::MetricAndFinding => "an item is a metric or a finding, not both".to_string(),
            Problem::NeitherMetricNorFinding { item } => {
                format!("item `{item}` has neither `metric` nor `finding`")
            }
            Problem::SentimentOnMetric => {
                "`sentiment` belongs to findings, not metrics".to_string()
            }
            Problem::StrengthOnMetric => "`strength` belongs to findings, not metrics".to_string(),
            Problem::UnknownMetric { name, .. } => {
                format!("unknown metric `{name}`: the item is kept as uncited evidence")
            }
            Problem::NoValue { item } => format!("metric item `{item}` has no `value`"),
            Problem::NotANumber { field, problem } => format!("`{field}`: {}", problem.message),
            Problem::PercentSign {
                field,
                metric,
                unit,
            } => format!("`{field}` has a `%` sign but `{metric}` is measured in {unit}"),
            Problem::Negative {
                field,
                metric,
                unit,
            } => format!("`{field}` cannot be negative for `{metric}` ({unit})"),
            Problem::OverHundred { field, value } => {
                format!("`{field}` is {value}%, but a percentage runs from 0 to 100")
            }
            Problem::NotWhole {
                field,
                value,
                metric,
            } => format!("`{field}` is {value}, but `{metric}` is a count of whole things"),
            Problem::OverMax {
                field,
                value,
                metric,
                max,
            } => format!("`{field}` is {value}, but `{metric}` runs from 0 to {max}"),
            Problem::MetricFieldOnFinding { field } => {
                format!("`{field}` belongs to metrics, not findings")
            }
            Problem::NoSentiment { item } => format!("finding `{item}` has no `sentiment`"),
            Problem::UnknownSentiment { given, .. } => format!("unknown sentiment `{given}`"),
            Problem::UnknownStrength { given, .. } => format!("unknown strength `{given}`"),
            Problem::RepeatedMetric {
                metric,
                statement,
                first,
                second,
            } => format!(
                "`{metric}` is given twice for `{statement}` (items `{first}` and `{second}`): comparisons read the first, and a balance counts both"
            ),
            Problem::NoItems => "the evidence file has no `items:`".to_string(),
            Problem::IncludesItself { written, .. } => format!("`{written}` includes itself"),
            Problem::IncludedTwice { written, .. } => format!("`{written}` is included twice"),
            Problem::CannotInclude { written, reason } => {
                format!("cannot include `{written}`: {reason}")
            }
            Problem::OtherCouncil {
                written,
                theirs,
                ours,
            } => format!("`{written}` is evidence for another council (code {theirs}, not {ours})"),
            Problem::NoEvidenceFiles { directory } => {
                format!("`{directory}` holds no evidence files (.yaml, .yml, .json)")
            }
        }
    }

    fn label(&self) -> Option<&str> {
        match self {
            Problem::UnknownMetric { .. } => Some("not in the metric catalogue"),
            Problem::RepeatedMetric { .. } => Some("repeated here"),
            Problem::IncludesItself { .. } => Some("a cycle of includes"),
            Problem::CannotInclude { .. } => Some("included here"),
            _ => None,
        }
    }

    fn help(&self) -> Option<String> {
        let help = match self {
            Problem::RepeatedId {
                first_line,
                first_file: None,
                ..
            } => format!("first used at line {first_line}; ids must be unique in a file"),
            Problem::RepeatedId {
                first_line,
                first_file: Some(file),
                ..
            } => format!(
                "first used in `{file}` at line {first_line}; ids must be unique across a file and the files it includes"
            ),
            Problem::NoStatement { .. } => "add `statement: <quality statement id>`".to_string(),
            Problem::UnknownStatement { help, .. } | Problem::UnknownCategory { help, .. } => {
                help.clone()
            }
            Problem::NoCategory { .. } => {
                let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                format!("add one of: {}", names.join(", "))
            }
            Problem::MetricAndFinding => "split it into two items".to_string(),
            Problem::NeitherMetricNorFinding { .. } => "a metric item has `metric` and `value`; a finding item has `finding` and `sentiment`".to_string(),
            Problem::StrengthOnMetric => {
                "a metric's weight comes from how it compares with its reference".to_string()
            }
            Problem::UnknownMetric { suggestion, .. } => return suggestion.clone(),
            Problem::NotANumber { problem, .. } => return problem.help.clone(),
            Problem::NoSentiment { .. } => {
                "add `sentiment: positive`, `negative` or `mixed`".to_string()
            }
            Problem::UnknownSentiment { suggestion, .. } => suggestion
                .clone()
                .unwrap_or_else(|| "a sentiment is `positive`, `negative` or `mixed`".to_string()),
            Problem::UnknownStrength { suggestion, .. } => {
                suggestion.clone().unwrap_or_else(|| {
                    "a strength is `strong` or `normal` (the default)".to_string()
                })
            }
            Problem::RepeatedMetric { .. } => {
                "move an older value to `previous`, or give the items different statements"
                    .to_string()
            }
            Problem::NoItems => "list the evidence under `items:`, or name other evidence files under `include:`".to_string(),
            Problem::IncludesItself { chain, .. } => {
                let chain: Vec<String> = chain.iter().map(|name| format!("`{name}`")).collect();
                format!(
                    "files being read: {}; an evidence file may not include itself, directly or through another",
                    chain.join(" → ")
                )
            }
            Problem::IncludedTwice { earlier, .. } => {
                format!("`{earlier}` is already part of this evidence; include each file once")
            }
            Problem::OtherCouncil { .. } => "include only files about the same council".to_string(),
            Problem::BothStatementFields
            | Problem::SentimentOnMetric
            | Problem::NoValue { .. }
            | Problem::PercentSign { .. }
            | Problem::Negative { .. }
            | Problem::OverHundred { .. }
            | Problem::NotWhole { .. }
            | Problem::OverMax { .. }
            | Problem::MetricFieldOnFinding { .. }
            | Problem::CannotInclude { .. }
            | Problem::NoEvidenceFiles { .. } => return None,
        };
        Some(help)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Evidence;
    use crate::pack::builtin::{builtin_catalogue, builtin_framework};
    use crate::source::diagnostic::{Failure, SourceFile};
    use std::ops::Range;
    use std::sync::Arc;

    /// Loads evidence text against the built-in pack.
    fn load(text: &str) -> (Arc<SourceFile>, Result<Evidence, Failure>) {
        let file = SourceFile::new("evidence.yaml", text);
        let loaded = builtin_framework().and_then(|framework| {
            let catalogue = builtin_catalogue()?;
            Evidence::load(&file, &framework, &catalogue)
        });
        (file, loaded)
    }

    /// The byte range of the only `needle` in `file`.
    fn span_of(file: &SourceFile, needle: &str) -> Range<usize> {
        let start = file.text.find(needle).unwrap_or(usize::MAX);
        start..start.saturating_add(needle.len())
    }

    #[test]
    fn an_unknown_sentiment_is_reported_as_its_problem() {
        let (file, loaded) = load(
            "authority: Medway Council\nitems:\n  - id: an-people\n    statement: assessing-needs\n    category: people's experience\n    finding: People waited.\n    sentiment: postive\n",
        );
        let expected = Problem::UnknownSentiment {
            given: "postive".to_string(),
            suggestion: Some("did you mean `positive`?".to_string()),
        }
        .at(&file, span_of(&file, "postive"));
        assert_eq!(loaded.err().map(|f| f.diagnostics), Some(vec![expected]));
    }

    #[test]
    fn a_percentage_over_a_hundred_is_reported_as_its_problem() {
        let (file, loaded) = load(
            "authority: Staffordshire County Council\nitems:\n  - id: choice-ascs\n    statement: care-provision-integration-continuity\n    category: people's experience\n    metric: choice over services\n    value: 140%\n",
        );
        let expected = Problem::OverHundred {
            field: "value",
            value: Decimal::new(140, 0),
        }
        .at(&file, span_of(&file, "140%"));
        assert_eq!(loaded.err().map(|f| f.diagnostics), Some(vec![expected]));
    }

    #[test]
    fn an_unknown_metric_is_a_warning_and_the_item_is_kept() {
        let (file, loaded) = load(
            "authority: Medway Council\nitems:\n  - id: m\n    statement: assessing-needs\n    category: outcomes\n    metric: zzqx\n    value: 3\n",
        );
        let suggestion = builtin_catalogue()
            .ok()
            .and_then(|catalogue| catalogue.suggestion("zzqx"));
        let expected = Problem::UnknownMetric {
            name: "zzqx".to_string(),
            suggestion,
        }
        .at(&file, span_of(&file, "zzqx"));
        let evidence = loaded.ok();
        assert_eq!(evidence.as_ref().map(|e| e.items.len()), Some(1));
        assert_eq!(evidence.map(|e| e.warnings), Some(vec![expected]));
    }

    #[test]
    fn each_problem_words_its_message_and_help() {
        let here = Problem::RepeatedId {
            id: "a".to_string(),
            first_line: 4,
            first_file: None,
        };
        let there = Problem::RepeatedId {
            id: "a".to_string(),
            first_line: 4,
            first_file: Some("national.yaml".to_string()),
        };
        assert_eq!(here.message(), "item id `a` is used twice");
        assert_eq!(here.message(), there.message());
        assert_eq!(
            here.help().as_deref(),
            Some("first used at line 4; ids must be unique in a file")
        );
        assert_eq!(
            there.help().as_deref(),
            Some(
                "first used in `national.yaml` at line 4; ids must be unique across a file and the files it includes"
            )
        );

        let strength = Problem::UnknownStrength {
            given: "mighty".to_string(),
            suggestion: None,
        };
        assert_eq!(
            strength.help().as_deref(),
            Some("a strength is `strong` or `normal` (the default)")
        );
        assert_eq!(strength.severity(), Severity::Error);

        let cycle = Problem::IncludesItself {
            written: "a.yaml".to_string(),
            chain: vec!["a.yaml".to_string(), "b.yaml".to_string()],
        };
        assert_eq!(cycle.label(), Some("a cycle of includes"));
        assert_eq!(
            cycle.help().as_deref(),
            Some(
                "files being read: `a.yaml` → `b.yaml`; an evidence file may not include itself, directly or through another"
            )
        );

        let unplaced = Problem::NoEvidenceFiles {
            directory: "empty".to_string(),
        }
        .unplaced();
        assert_eq!(unplaced.source, None);
        assert_eq!(
            unplaced.message,
            "`empty` holds no evidence files (.yaml, .yml, .json)"
        );
    }
}
