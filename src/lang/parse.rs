//! Rule sentences: pest pairs -> the typed AST of [`crate::lang::ast`], spans kept.
//!
//! Syntax errors are turned into plain-English messages here ("expected a comparison after
//! the metric name"), with a did-you-mean for a near-miss keyword. Positions are byte
//! offsets into the sentence; the pack loader maps them into the YAML file.

use std::str::FromStr;

use pest::Parser;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use crate::lang::ast::{
    self, Category, Comparison, Condition, Direction, Effect, EffectKind, FindingTest, LiteralUnit,
    Margin, MarginStrictness, MarginUnit, MetricName, MetricTest, Noun, Quantifier, Reference,
    ReferenceKind, Sentiment, Span, Test, ThresholdOp,
};
use crate::source::limits;

#[derive(pest_derive::Parser)]
#[grammar = "grammar/rules.pest"]
struct RuleParser;

/// A rule sentence that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was wrong, in a sentence.
    pub message: String,
    /// Where, within the sentence.
    pub span: Span,
    /// A short label for the marked text.
    pub label: String,
    /// A suggestion, when one exists.
    pub help: Option<String>,
}

/// Parses one rule sentence.
pub fn parse_rule(sentence: &str) -> Result<ast::Rule, SyntaxError> {
    within_limits(sentence)?;
    let mut pairs =
        RuleParser::parse(Rule::sentence, sentence).map_err(|e| syntax_error(sentence, &e))?;
    let rule = pairs.next().ok_or_else(|| internal(sentence))?;
    build_rule(rule)
}

/// Refuses a sentence too long or too deeply nested to parse in bounded time and stack.
fn within_limits(sentence: &str) -> Result<(), SyntaxError> {
    if let Some((cut, _)) = sentence.char_indices().nth(limits::MAX_SENTENCE_CHARS) {
        return Err(SyntaxError {
            message: format!(
                "the rule sentence is {} characters long; the limit is {}",
                sentence.chars().count(),
                limits::MAX_SENTENCE_CHARS
            ),
            span: Span::new(cut, cut),
            label: "the limit is reached here".to_string(),
            help: Some("split it into several rules, each with one reason".to_string()),
        });
    }
    if let Some(at) = limits::too_deeply_nested(sentence) {
        return Err(SyntaxError {
            message: format!(
                "the rule nests `not` and parentheses more than {} levels deep",
                limits::MAX_SENTENCE_NESTING
            ),
            span: Span::new(at.start, at.end),
            label: "one level too many".to_string(),
            help: Some("write the condition more simply, or as several rules".to_string()),
        });
    }
    Ok(())
}

/// Whether `name` can be written bare (unquoted) as a metric before a comparison.
pub fn is_bare_metric_name(name: &str) -> bool {
    // Asked each time a test is printed, which the evaluator does for every trace: the
    // answer for a name never changes, so each thread remembers it.
    thread_local! {
        static BARE: std::cell::RefCell<std::collections::HashMap<String, bool>> =
            std::cell::RefCell::default();
    }
    if let Some(known) = BARE.with(|bare| bare.borrow().get(name).copied()) {
        return known;
    }
    let bare = single_spaced(name)
        && full_match(Rule::metric_words, name)
        && !starts_like_another_test(name);
    BARE.with(|cache| cache.borrow_mut().insert(name.to_string(), bare));
    bare
}

/// Bare names are read with their words one space apart, so a name spaced any other way
/// keeps its quotes.
fn single_spaced(name: &str) -> bool {
    name.split(' ')
        .all(|word| !word.is_empty() && !word.contains(char::is_whitespace))
}

/// Whether `name` can be written bare after `no evidence of`.
pub fn is_bare_free_metric_name(name: &str) -> bool {
    single_spaced(name) && full_match(Rule::free_words, name)
}

fn full_match(grammar_rule: Rule, text: &str) -> bool {
    RuleParser::parse(grammar_rule, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_str().len() == text.len())
}

/// Whether a bare name would be read as something else: a finding test, a balance, `not`.
/// Asked of the grammar itself, so a new form of test can never make a name misread.
fn starts_like_another_test(name: &str) -> bool {
    let probe = format!("{name} is missing has no effect");
    !matches!(
        parse_rule(&probe).map(|rule| rule.condition),
        Ok(Condition::Test(Test::Metric(MetricTest { metric, .. }))) if metric.name == name
    )
}

type Built<T> = Result<T, SyntaxError>;

fn span_of(pair: &Pair<Rule>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

fn internal(sentence: &str) -> SyntaxError {
    SyntaxError {
        message: "the rule could not be read".to_string(),
        span: Span::new(0, sentence.len()),
        label: "here".to_string(),
        help: None,
    }
}

fn internal_at(span: Span) -> SyntaxError {
    SyntaxError {
        message: "the rule could not be read".to_string(),
        span,
        label: "here".to_string(),
        help: None,
    }
}

fn unexpected(pair: &Pair<Rule>) -> SyntaxError {
    SyntaxError {
        message: format!("unexpected `{}`", pair.as_str()),
        span: span_of(pair),
        label: "not expected here".to_string(),
        help: None,
    }
}

fn build_rule(pair: Pair<Rule>) -> Built<ast::Rule> {
    let span = span_of(&pair);
    let mut condition = None;
    let mut effect = None;
    let mut unless = None;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::condition => condition = Some(build_condition(inner)?),
            Rule::effect => effect = Some(build_effect(inner)?),
            Rule::unless_clause => {
                let cond = inner.into_inner().find(|p| p.as_rule() == Rule::condition);
                unless = cond.map(build_condition).transpose()?;
            }
            _ => {}
        }
    }
    match (condition, effect) {
        (Some(condition), Some(effect)) => Ok(ast::Rule {
            condition,
            effect,
            unless,
            span,
        }),
        _ => Err(SyntaxError {
            message: "a rule needs a condition and an effect".to_string(),
            span,
            label: "incomplete rule".to_string(),
            help: None,
        }),
    }
}

/// `condition` and `conjunction` share a shape: parts joined by a keyword.
fn build_condition(pair: Pair<Rule>) -> Built<Condition> {
    let span = span_of(&pair);
    let joins_with_or = pair.as_rule() == Rule::condition;
    let mut parts = Vec::new();
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::kw_or | Rule::kw_and => {}
            Rule::conjunction | Rule::condition => parts.push(build_condition(inner)?),
            Rule::negation => parts.push(build_negation(inner)?),
            _ => parts.push(Condition::Test(build_test(inner)?)),
        }
    }
    if parts.len() == 1 {
        return parts.pop().ok_or_else(|| internal(""));
    }
    Ok(if joins_with_or {
        Condition::Or(parts, span)
    } else {
        Condition::And(parts, span)
    })
}

fn build_negation(pair: Pair<Rule>) -> Built<Condition> {
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .find(|p| p.as_rule() != Rule::kw_not)
        .ok_or_else(|| internal(""))?;
    let operand = match inner.as_rule() {
        Rule::negation => build_negation(inner)?,
        Rule::condition => build_condition(inner)?,
        _ => Condition::Test(build_test(inner)?),
    };
    Ok(Condition::Not(Box::new(operand), span))
}

fn build_test(pair: Pair<Rule>) -> Built<Test> {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::no_evidence_from => {
            let category = pair
                .into_inner()
                .find(|p| p.as_rule() == Rule::category)
                .ok_or_else(|| internal(""))?;
            Ok(Test::NoEvidenceFrom {
                category: build_category(&category)?,
                span,
            })
        }
        Rule::no_evidence_of => {
            let metric = pair
                .into_inner()
                .find(|p| p.as_rule() == Rule::free_metric)
                .ok_or_else(|| internal(""))?;
            Ok(Test::NoEvidenceOf {
                metric: build_metric_name(metric)?,
                span,
            })
        }
        Rule::finding_test | Rule::balance_test | Rule::spread_test => {
            build_finding_test(pair).map(Test::Findings)
        }
        Rule::metric_test => build_metric_test(pair).map(Test::Metric),
        _ => Err(unexpected(&pair)),
    }
}

fn build_metric_name(pair: Pair<Rule>) -> Built<MetricName> {
    let inner = pair.into_inner().next().ok_or_else(|| internal(""))?;
    let span = span_of(&inner);
    let name = match inner.as_rule() {
        Rule::quoted => inner
            .into_inner()
            .next()
            .map(|p| p.as_str().trim().to_string())
            .unwrap_or_default(),
        _ => inner
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    };
    if name.is_empty() {
        return Err(SyntaxError {
            message: "a metric name cannot be empty".to_string(),
            span,
            label: "empty name".to_string(),
            help: None,
        });
    }
    Ok(MetricName { name, span })
}

/// A finding test, a balance or a spread: the same parts in different orders.
fn build_finding_test(pair: Pair<Rule>) -> Built<FindingTest> {
    let span = span_of(&pair);
    let mut quantifier = Quantifier::Any;
    let mut strong = false;
    let mut sentiment = None;
    let mut noun = Noun::Findings;
    let mut category = None;
    let mut tags = Vec::new();
    let mut quantifier_span = span;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::quantifier => {
                quantifier_span = span_of(&inner);
                quantifier = build_quantifier(inner)?;
            }
            Rule::outweighs | Rule::at_least_as_much => {
                quantifier_span = span_of(&inner);
                let (weighed, quantity) = build_balance(inner)?;
                sentiment = Some(weighed);
                quantifier = quantity;
            }
            Rule::count => quantifier = Quantifier::Categories(build_count(&inner)?),
            Rule::strong => strong = true,
            Rule::sentiment => {
                sentiment = Sentiment::parse(inner.as_str());
            }
            Rule::finding_noun if inner.as_str().to_lowercase().starts_with("evidence") => {
                noun = Noun::Evidence;
            }
            Rule::finding_source => {
                if let Some(cat) = inner.into_inner().find(|p| p.as_rule() == Rule::category) {
                    category = Some(build_category(&cat)?);
                }
            }
            Rule::finding_tags => {
                for tag in inner.into_inner().filter(|p| p.as_rule() == Rule::quoted) {
                    let text = tag.as_str().trim_matches('"').trim().to_string();
                    if text.is_empty() {
                        return Err(SyntaxError {
                            message: "a tag cannot be empty".to_string(),
                            span: span_of(&tag),
                            label: "empty tag".to_string(),
                            help: None,
                        });
                    }
                    tags.push(text);
                }
            }
            _ => {}
        }
    }
    if quantifier == Quantifier::Most && sentiment.is_none() {
        return Err(SyntaxError {
            message: "`most` needs a sentiment".to_string(),
            span: quantifier_span,
            label: "most of which findings?".to_string(),
            help: Some(
                "write `most positive findings`, `most negative findings` or `most mixed findings`"
                    .to_string(),
            ),
        });
    }
    Ok(FindingTest {
        quantifier,
        strong,
        sentiment,
        noun,
        category,
        tags,
        span,
    })
}

/// `more negative than positive`, `at least as much negative as positive`: the sentiment
/// weighed and the quantifier that weighs it.
fn build_balance(pair: Pair<Rule>) -> Built<(Sentiment, Quantifier)> {
    let span = span_of(&pair);
    let strict = pair.as_rule() == Rule::outweighs;
    let sentiments: Vec<(Option<Sentiment>, Span)> = pair
        .into_inner()
        .filter(|p| p.as_rule() == Rule::sentiment)
        .map(|p| (Sentiment::parse(p.as_str()), span_of(&p)))
        .collect();
    let balance_error = |at: Span, label: &str| {
        SyntaxError {
        message: "a balance weighs positive against negative".to_string(),
        span: at,
        label: label.to_string(),
        help: Some(
            "write `more negative than positive ...` or `at least as much positive as negative ...`; a mixed finding counts half on each side"
                .to_string(),
        ),
    }
    };
    match sentiments.as_slice() {
        [(Some(weighed), first), (Some(other), second)] => {
            if *weighed == Sentiment::Mixed {
                Err(balance_error(*first, "mixed is counted on both sides"))
            } else if *other == Sentiment::Mixed {
                Err(balance_error(*second, "mixed is counted on both sides"))
            } else if weighed == other {
                Err(balance_error(*second, "the same sentiment twice"))
            } else {
                Ok((
                    *weighed,
                    Quantifier::Outweighs {
                        other: *other,
                        strict,
                    },
                ))
            }
        }
        _ => Err(internal_at(span)),
    }
}

fn build_count(pair: &Pair<Rule>) -> Built<u32> {
    pair.as_str().parse::<u32>().map_err(|_| SyntaxError {
        message: format!("`{}` is too large a count", pair.as_str()),
        span: span_of(pair),
        label: "too large".to_string(),
        help: None,
    })
}

fn build_quantifier(pair: Pair<Rule>) -> Built<Quantifier> {
    let inner = pair.into_inner().next().ok_or_else(|| internal(""))?;
    match inner.as_rule() {
        Rule::kw_any => Ok(Quantifier::Any),
        Rule::kw_no => Ok(Quantifier::No),
        Rule::kw_most => Ok(Quantifier::Most),
        Rule::at_least => {
            let count = inner
                .into_inner()
                .find(|p| p.as_rule() == Rule::count)
                .ok_or_else(|| internal(""))?;
            Ok(Quantifier::AtLeast(build_count(&count)?))
        }
        _ => Err(unexpected(&inner)),
    }
}

fn build_category(pair: &Pair<Rule>) -> Built<Category> {
    let inner = pair
        .clone()
        .into_inner()
        .next()
        .ok_or_else(|| internal(""))?;
    Ok(match inner.as_rule() {
        Rule::cat_people => Category::PeoplesExperience,
        Rule::cat_staff => Category::FeedbackFromStaffAndLeaders,
        Rule::cat_partners => Category::FeedbackFromPartners,
        Rule::cat_processes => Category::Processes,
        Rule::cat_outcomes => Category::Outcomes,
        Rule::cat_observation => Category::Observation,
        _ => return Err(unexpected(&inner)),
    })
}

fn build_metric_test(pair: Pair<Rule>) -> Built<MetricTest> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let metric = build_metric_name(inner.next().ok_or_else(|| internal(""))?)?;
    let comparison_pair = inner.next().ok_or_else(|| internal(""))?;
    let comparison = build_comparison(comparison_pair)?;
    Ok(MetricTest {
        metric,
        comparison,
        span,
    })
}

fn build_comparison(pair: Pair<Rule>) -> Built<Comparison> {
    let kind = pair.as_rule();
    let mut reference = None;
    let mut margin = None;
    let mut op = None;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::reference => reference = Some(build_reference(inner)?),
            Rule::margin => margin = Some(build_margin(inner)?),
            Rule::threshold_op | Rule::relative_op | Rule::trend_op => {
                op = inner.into_inner().next().map(|p| p.as_rule());
            }
            _ => {}
        }
    }
    let reference = || reference.clone().ok_or_else(|| internal(""));
    Ok(match (kind, op) {
        (Rule::threshold, Some(op)) => Comparison::Threshold {
            op: match op {
                Rule::kw_below => ThresholdOp::Below,
                Rule::kw_above => ThresholdOp::Above,
                Rule::at_or_below => ThresholdOp::AtOrBelow,
                _ => ThresholdOp::AtOrAbove,
            },
            reference: reference()?,
            margin,
        },
        (Rule::relative, Some(op)) => Comparison::Relative {
            direction: if op == Rule::worse_than {
                Direction::Worse
            } else {
                Direction::Better
            },
            reference: reference()?,
            margin,
        },
        (Rule::in_line, _) => Comparison::InLineWith {
            reference: reference()?,
        },
        (Rule::trend, Some(op)) => Comparison::Trend {
            direction: if op == Rule::kw_improving {
                Direction::Better
            } else {
                Direction::Worse
            },
            margin,
        },
        (Rule::missing, _) => Comparison::Missing,
        _ => return Err(internal("")),
    })
}

fn build_reference(pair: Pair<Rule>) -> Built<Reference> {
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .find(|p| p.as_rule() != Rule::kw_the)
        .ok_or_else(|| internal(""))?;
    let kind = match inner.as_rule() {
        Rule::ref_target => ReferenceKind::Target,
        Rule::ref_england => ReferenceKind::EnglandAverage,
        Rule::ref_regional => ReferenceKind::RegionalAverage,
        Rule::ref_comparator => ReferenceKind::ComparatorAverage,
        Rule::ref_previous => ReferenceKind::Previous,
        Rule::literal => {
            let mut value = None;
            let mut unit = LiteralUnit::None;
            for part in inner.into_inner() {
                match part.as_rule() {
                    Rule::number => value = Some(build_number(&part)?),
                    Rule::literal_unit => {
                        unit = match part.into_inner().next().map(|p| p.as_rule()) {
                            Some(Rule::percent_sign) => LiteralUnit::Percent,
                            Some(Rule::kw_days) => LiteralUnit::Days,
                            _ => LiteralUnit::Points,
                        }
                    }
                    _ => {}
                }
            }
            ReferenceKind::Literal {
                value: value.ok_or_else(|| internal(""))?,
                unit,
            }
        }
        _ => return Err(unexpected(&inner)),
    };
    Ok(Reference { kind, span })
}

fn build_margin(pair: Pair<Rule>) -> Built<Margin> {
    let span = span_of(&pair);
    let mut strictness = MarginStrictness::MoreThan;
    let mut amount = Decimal::ZERO;
    let mut unit = MarginUnit::Points;
    for inner in pair.into_inner() {
        match inner.as_rule() {
            Rule::margin_kind if first_inner_is(inner.clone(), Rule::at_least_words) => {
                strictness = MarginStrictness::AtLeast;
            }
            Rule::number => amount = build_number(&inner)?,
            Rule::margin_unit if first_inner_is(inner.clone(), Rule::percent_sign) => {
                unit = MarginUnit::Percent;
            }
            _ => {}
        }
    }
    Ok(Margin {
        strictness,
        amount,
        unit,
        span,
    })
}

fn first_inner_is(pair: Pair<Rule>, wanted: Rule) -> bool {
    pair.into_inner().next().map(|p| p.as_rule()) == Some(wanted)
}

fn build_number(pair: &Pair<Rule>) -> Built<Decimal> {
    let number = Decimal::from_str_exact(pair.as_str()).map_err(|_| SyntaxError {
        message: format!(
            "`{}` is not a number this engine can hold exactly",
            pair.as_str()
        ),
        span: span_of(pair),
        label: "too many digits".to_string(),
        help: Some("numbers have at most 28 significant digits".to_string()),
    })?;
    // Evidence is held to the same size, so a margin's percentage of it always fits.
    match crate::source::number::too_large(number) {
        Some(problem) => Err(SyntaxError {
            message: problem.message,
            span: span_of(pair),
            label: "too large".to_string(),
            help: problem.help,
        }),
        None => Ok(number),
    }
}

fn build_effect(pair: Pair<Rule>) -> Built<Effect> {
    let span = span_of(&pair);
    let inner = pair.into_inner().next().ok_or_else(|| internal(""))?;
    let which = inner.as_rule();
    let count = inner.into_inner().find(|p| p.as_rule() == Rule::count);
    let kind = match which {
        Rule::lowers => EffectKind::Lower(step(count.as_ref())?),
        Rule::raises => EffectKind::Raise(step(count.as_ref())?),
        Rule::caps => EffectKind::CapAt(score_value(count.as_ref(), span)?),
        Rule::lifts => EffectKind::LiftTo(score_value(count.as_ref(), span)?),
        _ => EffectKind::NoEffect,
    };
    Ok(Effect { kind, span })
}

/// `by N` on a raise or lower: 1 to 3 (a score only spans 1..4).
fn step(count: Option<&Pair<Rule>>) -> Built<u8> {
    let Some(count) = count else { return Ok(1) };
    match count.as_str().parse::<u8>() {
        Ok(n @ 1..=3) => Ok(n),
        _ => Err(SyntaxError {
            message: format!("a score moves by 1, 2 or 3, not `{}`", count.as_str()),
            span: span_of(count),
            label: "out of range".to_string(),
            help: Some("scores run from 1 to 4".to_string()),
        }),
    }
}

/// The score in `caps score at N` or `lifts score to at least N`: 1 to 4.
fn score_value(count: Option<&Pair<Rule>>, effect_span: Span) -> Built<u8> {
    let Some(count) = count else {
        return Err(SyntaxError {
            message: "expected a score from 1 to 4".to_string(),
            span: effect_span,
            label: "no score".to_string(),
            help: None,
        });
    };
    match count.as_str().parse::<u8>() {
        Ok(n @ 1..=4) => Ok(n),
        _ => Err(SyntaxError {
            message: format!("a score is 1, 2, 3 or 4, not `{}`", count.as_str()),
            span: span_of(count),
            label: "out of range".to_string(),
            help: None,
        }),
    }
}

// ---------------------------------------------------------------- syntax errors

/// What a class of expected tokens is called in a message, and the keywords it offers for
/// a did-you-mean.
struct Expectation {
    phrase: &'static str,
    keywords: &'static [&'static str],
}

static COMPARISON: Expectation = Expectation {
    phrase: "a comparison after the metric name",
    keywords: &[
        "below",
        "above",
        "at",
        "worse",
        "better",
        "in",
        "improving",
        "declining",
        "is",
    ],
};
static REFERENCE: Expectation = Expectation {
    phrase: "a reference (target, england average, regional average, comparator average, previous, or a number such as 75%)",
    keywords: &[
        "target",
        "england",
        "regional",
        "comparator",
        "previous",
        "average",
        "the",
    ],
};
static EFFECT: Expectation = Expectation {
    phrase: "an effect (raises score, lowers score, caps score at N, lifts score to at least N, has no effect)",
    keywords: &["raises", "lowers", "caps", "lifts", "has", "score"],
};
static LOGIC: Expectation = Expectation {
    phrase: "`and`/`or`",
    keywords: &["and", "or"],
};
static UNLESS: Expectation = Expectation {
    phrase: "`unless`",
    keywords: &["unless"],
};
static CATEGORY: Expectation = Expectation {
    phrase: "an evidence category (people's experience, feedback from staff and leaders, feedback from partners, processes, outcomes, observation)",
    keywords: &[
        "people's",
        "feedback",
        "processes",
        "outcomes",
        "observation",
        "partners",
        "staff",
        "leaders",
    ],
};
static FINDINGS: Expectation = Expectation {
    phrase: "`findings` (or a sentiment: positive, negative, mixed)",
    keywords: &["findings", "finding", "positive", "negative", "mixed"],
};
static CONDITION: Expectation = Expectation {
    phrase: "a condition (a metric name, `any ... findings`, `no evidence from ...`, `not`, or `(`)",
    keywords: &["any", "no", "most", "not", "at", "least"],
};
static NUMBER: Expectation = Expectation {
    phrase: "a whole number",
    keywords: &[],
};
static TAG: Expectation = Expectation {
    phrase: "a quoted tag such as \"waiting lists\"",
    keywords: &[],
};
static MARGIN_UNIT: Expectation = Expectation {
    phrase: "`points` or `%`",
    keywords: &["points", "point"],
};
static END: Expectation = Expectation {
    phrase: "the end of the rule",
    keywords: &[],
};

fn expectation_of(expected: Rule) -> Option<&'static Expectation> {
    use Rule::*;
    Some(match expected {
        threshold_op | at_or_below | at_or_above | kw_below | kw_above | relative_op
        | worse_than | better_than | kw_worse | kw_better | in_line | kw_in | trend | trend_op
        | kw_improving | kw_declining | missing | kw_is | threshold | relative => &COMPARISON,
        reference | ref_target | ref_england | ref_regional | ref_comparator | ref_previous
        | literal | number | kw_target | kw_england | kw_regional | kw_comparator | kw_previous
        | kw_the | kw_average => &REFERENCE,
        effect | lowers | raises | caps | lifts | no_effect | kw_lowers | kw_raises | kw_caps
        | kw_lifts | kw_has | kw_score | kw_effect => &EFFECT,
        kw_and | kw_or => &LOGIC,
        kw_unless | unless_clause => &UNLESS,
        category | cat_people | cat_staff | cat_partners | cat_processes | cat_outcomes
        | cat_observation | kw_feedback => &CATEGORY,
        kw_findings | sentiment | kw_positive | kw_negative | kw_mixed => &FINDINGS,
        condition | conjunction | negation | kw_not | metric | metric_words | quantifier
        | finding_test | metric_test | no_evidence_from | no_evidence_of | kw_any | kw_no
        | kw_most | at_least | free_metric | free_words => &CONDITION,
        count => &NUMBER,
        quoted | finding_tags => &TAG,
        margin_unit | kw_points | percent_sign => &MARGIN_UNIT,
        EOI => &END,
        _ => return None,
    })
}

/// `... from at least two categories`: the count of categories is written in figures.
fn spread_without_number(sentence: &str) -> Option<SyntaxError> {
    let words: Vec<(usize, &str)> = sentence
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - sentence.as_ptr() as usize, w))
        .collect();
    words.windows(5).find_map(|w| {
        let said = |i: usize, want: &str| w[i].1.eq_ignore_ascii_case(want);
        let count = w[3].1;
        (said(0, "from")
            && said(1, "at")
            && said(2, "least")
            && w[4].1.to_lowercase().starts_with("categor")
            && !count.chars().all(|c| c.is_ascii_digit()))
        .then(|| SyntaxError {
            message: "expected a number of categories".to_string(),
            span: Span::new(w[3].0, w[3].0 + count.len()),
            label: "not a number".to_string(),
            help: Some("write the count in figures, e.g. `from at least 2 categories`".to_string()),
        })
    })
}

fn syntax_error(sentence: &str, error: &pest::error::Error<Rule>) -> SyntaxError {
    let pos = match error.location {
        pest::error::InputLocation::Pos(pos) => pos,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    let positives: Vec<Rule> = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let mut expected: Vec<&'static Expectation> = Vec::new();
    for expected_rule in positives {
        if let Some(exp) = expectation_of(expected_rule)
            && !expected.iter().any(|e| std::ptr::eq(*e, exp))
        {
            expected.push(exp);
        }
    }
    // A comparison was wanted but the metric name ran on: the comparison is probably a
    // misspelt word inside what was read as the name.
    if expected.iter().any(|e| std::ptr::eq(*e, &COMPARISON))
        && let Some(hint) = near_miss_before(sentence, pos, COMPARISON.keywords)
    {
        return SyntaxError {
            message: "expected a comparison after the metric name".to_string(),
            span: hint.span,
            label: format!("did you mean `{}`?", hint.keyword),
            help: Some(format!(
                "a comparison is one of: below, above, at or below, at or above, worse than, better than, in line with, improving, declining, is missing; `{}` was read as part of the metric name",
                hint.word
            )),
        };
    }

    if let Some(unbalanced) = unbalanced(sentence, pos) {
        return unbalanced;
    }
    if let Some(spread) = spread_without_number(sentence) {
        return spread;
    }

    let word_span = word_at(sentence, pos);
    let found = &sentence[word_span.start..word_span.end];
    let phrase = match expected.as_slice() {
        [] => "something else".to_string(),
        [one] => one.phrase.to_string(),
        many => {
            let phrases: Vec<&str> = many.iter().map(|e| e.phrase).collect();
            let (last, rest) = phrases.split_last().unwrap_or((&"", &[]));
            format!("{} or {}", rest.join(", "), last)
        }
    };
    let keywords: Vec<&str> = expected
        .iter()
        .flat_map(|e| e.keywords.iter().copied())
        .collect();
    let suggestion = if found.is_empty() {
        None
    } else {
        closest_keyword(found, &keywords)
    };
    SyntaxError {
        message: format!("expected {phrase}"),
        span: word_span,
        label: match (&suggestion, found.is_empty()) {
            (Some(kw), _) => format!("did you mean `{kw}`?"),
            (None, true) => "the rule ends here".to_string(),
            (None, false) => format!("`{found}` is not expected here"),
        },
        help: None,
    }
}

/// An unclosed quote or bracket before the error explains it better than the tokens
/// the parser wanted.
fn unbalanced(sentence: &str, pos: usize) -> Option<SyntaxError> {
    let before = &sentence[..pos.min(sentence.len())];
    if let Some(open) = sentence
        .match_indices('"')
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .chunks(2)
        .find(|pair| pair.len() == 1)
    {
        let start = open[0];
        return Some(SyntaxError {
            message: "this quote is never closed".to_string(),
            span: Span::new(start, start + 1),
            label: "opened here".to_string(),
            help: Some("close the quoted metric name or tag with `\"`".to_string()),
        });
    }
    let mut open = Vec::new();
    for (index, ch) in before.char_indices() {
        match ch {
            '(' => open.push(index),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    let after_opens = sentence[pos.min(sentence.len())..].matches('(').count();
    let after_closes = sentence[pos.min(sentence.len())..].matches(')').count();
    let start = *open.last()?;
    let next_word = word_at(sentence, pos);
    (after_closes <= after_opens).then(|| SyntaxError {
        message: "this bracket is never closed".to_string(),
        span: Span::new(start, start + 1),
        label: "opened here".to_string(),
        help: Some(format!(
            "add `)` before `{}`",
            &sentence[next_word.start..next_word.end]
        )),
    })
}

struct NearMiss {
    span: Span,
    word: String,
    keyword: &'static str,
}

/// Scans back from `pos` over the words of the current clause for one that is a near miss
/// of a keyword.
fn near_miss_before(sentence: &str, pos: usize, keywords: &[&'static str]) -> Option<NearMiss> {
    let before = &sentence[..pos.min(sentence.len())];
    let mut offset = 0;
    let mut best = None;
    for word in before.split_inclusive(char::is_whitespace) {
        let trimmed = word.trim_end();
        let lower = trimmed.to_lowercase();
        if matches!(lower.as_str(), "and" | "or" | "not" | "unless") || lower.starts_with('(') {
            best = None;
        } else if let Some(keyword) = closest_keyword(trimmed, keywords)
            && !keywords.contains(&lower.as_str())
        {
            best = Some(NearMiss {
                span: Span::new(offset, offset + trimmed.len()),
                word: trimmed.to_string(),
                keyword,
            });
        }
        offset += word.len();
    }
    best
}

/// The keyword within edit distance 2 of `word` (1 for short words), if any.
fn closest_keyword(word: &str, keywords: &[&'static str]) -> Option<&'static str> {
    let lower = word.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    keywords
        .iter()
        .filter(|kw| kw.len() >= 3 && **kw != lower)
        .map(|kw| (strsim::damerau_levenshtein(&lower, kw), *kw))
        .filter(|(distance, kw)| *distance <= if kw.len() <= 4 { 1 } else { 2 })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, kw)| kw)
}

/// The word starting at `pos` (empty at the end of the sentence).
fn word_at(sentence: &str, pos: usize) -> Span {
    let pos = pos.min(sentence.len());
    let rest = &sentence[pos..];
    let len = rest
        .find(|c: char| c.is_whitespace() || c == ')' || c == '(' || c == ',')
        .unwrap_or(rest.len());
    let len = if len == 0 && !rest.is_empty() {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        len
    };
    Span::new(pos, pos + len)
}

impl FromStr for ast::Rule {
    type Err = SyntaxError;

    fn from_str(sentence: &str) -> Result<Self, Self::Err> {
        parse_rule(sentence)
    }
}
