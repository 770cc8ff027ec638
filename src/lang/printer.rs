//! The canonical spelling of a rule: lower-case keywords, single spaces, metric names quoted
//! only where a bare name would not read back the same. Printing then parsing gives the
//! same AST; printing that again gives the same text.

use std::fmt::{self, Display, Formatter};

use crate::lang::ast::*;
use crate::lang::parse::{is_bare_free_metric_name, is_bare_metric_name};

impl Display for Rule {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.condition, self.effect)?;
        if let Some(unless) = &self.unless {
            write!(f, " unless {unless}")?;
        }
        Ok(())
    }
}

impl Display for Condition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            // A nested group of the same kind keeps its brackets so the text parses back to
            // the same tree; an `or` inside an `and` needs them for precedence.
            Condition::Or(parts, _) => {
                join(f, parts, " or ", |part| matches!(part, Condition::Or(..)))
            }
            Condition::And(parts, _) => join(f, parts, " and ", |part| {
                matches!(part, Condition::Or(..) | Condition::And(..))
            }),
            Condition::Not(inner, _) => {
                if matches!(**inner, Condition::Or(..) | Condition::And(..)) {
                    write!(f, "not ({inner})")
                } else {
                    write!(f, "not {inner}")
                }
            }
            Condition::Test(test) => write!(f, "{test}"),
        }
    }
}

fn join(
    f: &mut Formatter<'_>,
    parts: &[Condition],
    separator: &str,
    needs_brackets: impl Fn(&Condition) -> bool,
) -> fmt::Result {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        if needs_brackets(part) {
            write!(f, "({part})")?;
        } else {
            write!(f, "{part}")?;
        }
    }
    Ok(())
}

impl Display for Test {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Test::Metric(test) => {
                write!(f, "{} {}", MetricText(&test.metric.name), test.comparison)
            }
            Test::Findings(test) => write!(f, "{test}"),
            Test::NoEvidenceFrom { category, .. } => {
                write!(f, "no evidence from {}", category.as_str())
            }
            Test::NoEvidenceOf { metric, .. } => {
                if is_bare_free_metric_name(&metric.name) && is_bare_metric_name(&metric.name) {
                    write!(f, "no evidence of {}", metric.name)
                } else {
                    write!(f, "no evidence of \"{}\"", metric.name)
                }
            }
        }
    }
}

/// A metric name before a comparison, quoted when needed.
struct MetricText<'a>(&'a str);

impl Display for MetricText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if is_bare_metric_name(self.0) {
            f.write_str(self.0)
        } else {
            write!(f, "\"{}\"", self.0)
        }
    }
}

impl Display for Comparison {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Comparison::Threshold {
                op,
                reference,
                margin,
            } => {
                let op = match op {
                    ThresholdOp::Below => "below",
                    ThresholdOp::Above => "above",
                    ThresholdOp::AtOrBelow => "at or below",
                    ThresholdOp::AtOrAbove => "at or above",
                };
                write!(f, "{op} {reference}")?;
                write_margin(f, margin)
            }
            Comparison::Relative {
                direction,
                reference,
                margin,
            } => {
                let op = match direction {
                    Direction::Worse => "worse than",
                    Direction::Better => "better than",
                };
                write!(f, "{op} {reference}")?;
                write_margin(f, margin)
            }
            Comparison::InLineWith { reference } => write!(f, "in line with {reference}"),
            Comparison::Trend { direction, margin } => {
                f.write_str(match direction {
                    Direction::Better => "improving",
                    Direction::Worse => "declining",
                })?;
                write_margin(f, margin)
            }
            Comparison::Missing => f.write_str("is missing"),
        }
    }
}

fn write_margin(f: &mut Formatter<'_>, margin: &Option<Margin>) -> fmt::Result {
    match margin {
        Some(margin) => write!(f, " {margin}"),
        None => Ok(()),
    }
}

impl Display for Margin {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let strictness = match self.strictness {
            MarginStrictness::MoreThan => "more than",
            MarginStrictness::AtLeast => "at least",
        };
        match self.unit {
            MarginUnit::Points => write!(f, "by {strictness} {} points", self.amount),
            MarginUnit::Percent => write!(f, "by {strictness} {}%", self.amount),
        }
    }
}

impl Display for Reference {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)
    }
}

impl Display for ReferenceKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceKind::Target => f.write_str("target"),
            ReferenceKind::EnglandAverage => f.write_str("england average"),
            ReferenceKind::RegionalAverage => f.write_str("regional average"),
            ReferenceKind::ComparatorAverage => f.write_str("comparator average"),
            ReferenceKind::Previous => f.write_str("previous"),
            ReferenceKind::Literal { value, unit } => match unit {
                LiteralUnit::None => write!(f, "{value}"),
                LiteralUnit::Percent => write!(f, "{value}%"),
                LiteralUnit::Days => write!(f, "{value} days"),
                LiteralUnit::Points => write!(f, "{value} points"),
            },
        }
    }
}

impl Display for FindingTest {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let sentiment = |f: &mut Formatter<'_>| match self.sentiment {
            Some(sentiment) => write!(f, "{} ", sentiment.as_str()),
            None => Ok(()),
        };
        let strong = if self.strong { "strong " } else { "" };
        let plural = match self.quantifier {
            Quantifier::Any => {
                write!(f, "any {strong}")?;
                false
            }
            Quantifier::No => {
                write!(f, "no {strong}")?;
                true
            }
            Quantifier::AtLeast(n) => {
                write!(f, "at least {n} {strong}")?;
                n != 1
            }
            Quantifier::Most => {
                write!(f, "most {strong}")?;
                true
            }
            Quantifier::Outweighs { other, strict } => {
                let weighed = self.sentiment.map_or("", Sentiment::as_str);
                let other = other.as_str();
                match (strict, self.noun) {
                    (true, _) => write!(f, "more {weighed} than {other} ")?,
                    (false, Noun::Evidence) => write!(f, "at least as much {weighed} as {other} ")?,
                    (false, Noun::Findings) => write!(f, "at least as many {weighed} as {other} ")?,
                }
                true
            }
            Quantifier::Categories(_) => {
                f.write_str(strong)?;
                true
            }
        };
        if !matches!(self.quantifier, Quantifier::Outweighs { .. }) {
            sentiment(f)?;
        }
        f.write_str(match (self.noun, plural) {
            (Noun::Evidence, _) => "evidence",
            (Noun::Findings, true) => "findings",
            (Noun::Findings, false) => "finding",
        })?;
        if let Quantifier::Categories(n) = self.quantifier {
            write!(f, " from at least {n} categories")?;
        }
        if let Some(category) = self.category {
            write!(f, " from {}", category.as_str())?;
        }
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|t| format!("\"{t}\"")).collect();
            write!(f, " tagged {}", tags.join(", "))?;
        }
        Ok(())
    }
}

impl Display for Effect {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)
    }
}

impl Display for EffectKind {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            EffectKind::Lower(1) => f.write_str("lowers score"),
            EffectKind::Lower(n) => write!(f, "lowers score by {n}"),
            EffectKind::Raise(1) => f.write_str("raises score"),
            EffectKind::Raise(n) => write!(f, "raises score by {n}"),
            EffectKind::CapAt(n) => write!(f, "caps score at {n}"),
            EffectKind::LiftTo(n) => write!(f, "lifts score to at least {n}"),
            EffectKind::NoEffect => f.write_str("has no effect"),
        }
    }
}
