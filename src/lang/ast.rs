//! The typed syntax tree of one rule sentence. Every node carries the byte span of the
//! text it came from, relative to the start of the sentence.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::source::diagnostic::{did_you_mean, nearest};

/// Byte offsets `start..end` into the rule sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// A whole rule: `<condition> <effect> [unless <condition>]`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    pub condition: Condition,
    pub effect: Effect,
    pub unless: Option<Condition>,
    pub span: Span,
}

impl Rule {
    /// Every test of the rule, its `unless` exception included, left to right.
    pub fn all_tests(&self) -> Vec<&Test> {
        let mut tests = self.condition.tests();
        if let Some(unless) = &self.unless {
            tests.extend(unless.tests());
        }
        tests
    }

    /// Every metric the rule names, in comparisons and in `no evidence of`.
    pub fn metric_names(&self) -> Vec<&MetricName> {
        self.all_tests()
            .into_iter()
            .filter_map(|test| match test {
                Test::Metric(metric_test) => Some(&metric_test.metric),
                Test::NoEvidenceOf { metric, .. } => Some(metric),
                _ => None,
            })
            .collect()
    }
}

/// A boolean combination of tests.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    Or(Vec<Condition>, #[serde(skip)] Span),
    And(Vec<Condition>, #[serde(skip)] Span),
    Not(Box<Condition>, #[serde(skip)] Span),
    Test(Test),
}

impl Condition {
    pub fn span(&self) -> Span {
        match self {
            Condition::Or(_, span) | Condition::And(_, span) | Condition::Not(_, span) => *span,
            Condition::Test(test) => test.span(),
        }
    }

    /// Every test in the condition, left to right.
    pub fn tests(&self) -> Vec<&Test> {
        let mut out = Vec::new();
        self.collect_tests(&mut out);
        out
    }

    fn collect_tests<'a>(&'a self, out: &mut Vec<&'a Test>) {
        match self {
            Condition::Or(parts, _) | Condition::And(parts, _) => {
                parts.iter().for_each(|part| part.collect_tests(out))
            }
            Condition::Not(inner, _) => inner.collect_tests(out),
            Condition::Test(test) => out.push(test),
        }
    }
}

/// One leaf test of a condition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    Metric(MetricTest),
    Findings(FindingTest),
    NoEvidenceFrom { category: Category, span: Span },
    NoEvidenceOf { metric: MetricName, span: Span },
}

impl Test {
    pub fn span(&self) -> Span {
        match self {
            Test::Metric(test) => test.span,
            Test::Findings(test) => test.span,
            Test::NoEvidenceFrom { span, .. } | Test::NoEvidenceOf { span, .. } => *span,
        }
    }
}

/// A metric as the rule names it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricName {
    pub name: String,
    pub span: Span,
}

/// `<metric> <comparison>`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricTest {
    pub metric: MetricName,
    pub comparison: Comparison,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `below`, `above`, `at or below`, `at or above`.
    Threshold {
        op: ThresholdOp,
        reference: Reference,
        margin: Option<Margin>,
    },
    /// `worse than`, `better than`: direction from the metric's polarity.
    Relative {
        direction: Direction,
        reference: Reference,
        margin: Option<Margin>,
    },
    /// `in line with`: within the tolerance.
    InLineWith { reference: Reference },
    /// `improving`, `declining`: against the previous value.
    Trend {
        direction: Direction,
        margin: Option<Margin>,
    },
    /// `is missing`.
    Missing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdOp {
    Below,
    Above,
    AtOrBelow,
    AtOrAbove,
}

/// Better or worse, in the metric's own sense of better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Better,
    Worse,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reference {
    pub kind: ReferenceKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    Target,
    EnglandAverage,
    RegionalAverage,
    ComparatorAverage,
    Previous,
    Literal { value: Decimal, unit: LiteralUnit },
}

/// The unit written after a literal number, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LiteralUnit {
    None,
    Percent,
    Days,
    Points,
}

/// `by more than N points`, `by at least N points`, `by more than N%`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Margin {
    pub strictness: MarginStrictness,
    pub amount: Decimal,
    pub unit: MarginUnit,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginStrictness {
    MoreThan,
    AtLeast,
}

/// Points are absolute differences; percent is relative to the reference value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginUnit {
    Points,
    Percent,
}

/// A test over a statement's findings (or its evidence: findings and judged metrics):
/// `any / no / at least N / most [strong] [sentiment] findings`, a balance such as `more
/// negative than positive evidence`, or a spread such as `strong positive findings from at
/// least 2 categories`; each with an optional `from <category>` and `tagged "a", "b"`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingTest {
    pub quantifier: Quantifier,
    /// `strong`: only findings whose source calls them out of the ordinary.
    pub strong: bool,
    pub sentiment: Option<Sentiment>,
    /// `findings` counts findings only; `evidence` also counts each metric by how it
    /// compares with its reference (docs/language.md).
    pub noun: Noun,
    pub category: Option<Category>,
    pub tags: Vec<String>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    Any,
    No,
    AtLeast(u32),
    Most,
    /// `more <sentiment> than <other>` (`strict`), or `at least as much <sentiment> as
    /// <other>`: the test's sentiment weighed against `other`, a mixed finding counting
    /// half on each side.
    Outweighs {
        other: Sentiment,
        strict: bool,
    },
    /// `... from at least N categories`: matching items in N or more evidence categories.
    Categories(u32),
}

/// What a finding test counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Noun {
    Findings,
    Evidence,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Negative,
    Mixed,
}

impl Sentiment {
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Positive => "positive",
            Sentiment::Negative => "negative",
            Sentiment::Mixed => "mixed",
        }
    }

    pub fn parse(text: &str) -> Option<Sentiment> {
        match text.trim().to_lowercase().as_str() {
            "positive" => Some(Sentiment::Positive),
            "negative" => Some(Sentiment::Negative),
            "mixed" => Some(Sentiment::Mixed),
            _ => None,
        }
    }
}

/// How much weight a finding's own source gives it (docs/evidence.md): `strong` where the
/// source calls the practice exceptional or the failing significant, `normal` otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    #[default]
    Normal,
    Strong,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Normal => "normal",
            Strength::Strong => "strong",
        }
    }

    pub fn parse(text: &str) -> Option<Strength> {
        match text.trim().to_lowercase().as_str() {
            "normal" => Some(Strength::Normal),
            "strong" => Some(Strength::Strong),
            _ => None,
        }
    }
}

/// The framework's evidence categories. They are words of the language (the grammar
/// spells them), so they are an enum here; `rules/framework.yaml` must list the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    PeoplesExperience,
    FeedbackFromStaffAndLeaders,
    FeedbackFromPartners,
    Processes,
    Outcomes,
    Observation,
}

impl Category {
    /// The help for a category name that is none of them: the nearest names, or all of
    /// them.
    pub fn unknown_help(given: &str) -> String {
        let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
        did_you_mean(&nearest(given, names.iter().copied(), 2))
            .unwrap_or_else(|| format!("a category is one of: {}", names.join(", ")))
    }

    pub const ALL: [Category; 6] = [
        Category::PeoplesExperience,
        Category::FeedbackFromStaffAndLeaders,
        Category::FeedbackFromPartners,
        Category::Processes,
        Category::Outcomes,
        Category::Observation,
    ];

    /// The category as rules and evidence files spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::PeoplesExperience => "people's experience",
            Category::FeedbackFromStaffAndLeaders => "feedback from staff and leaders",
            Category::FeedbackFromPartners => "feedback from partners",
            Category::Processes => "processes",
            Category::Outcomes => "outcomes",
            Category::Observation => "observation",
        }
    }

    /// Reads a category name, forgiving case, spacing and a curly apostrophe.
    pub fn parse(text: &str) -> Option<Category> {
        let text = if text.contains('’') {
            std::borrow::Cow::Owned(text.replace('’', "'"))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        // The names are written normalised (a unit test holds them to it).
        Category::ALL
            .into_iter()
            .find(|category| same_words(&text, category.as_str()))
    }
}

/// Categories serialize as they are written: `people's experience`.
impl Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Lower-cases and folds runs of spaces, `_` and `-` into single spaces: the matching rule
/// for metric names, categories and tags.
pub fn normalise_words(text: &str) -> String {
    // One allocation: every catalogue lookup comes through here.
    let mut out = String::with_capacity(text.len());
    for word in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// Whether `text` is already what [`normalise_words`] would make of it, so a lookup can use
/// it as it is.
pub fn is_normalised(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && !text.contains("  ")
        && bytes.iter().all(|&b| {
            b.is_ascii()
                && !b.is_ascii_uppercase()
                && b != b'_'
                && b != b'-'
                && (b == b' ' || !b.is_ascii_whitespace())
        })
}

/// Whether `text` normalises to `normalised` (the output of [`normalise_words`]), without
/// allocating for ASCII text: the evaluator compares every finding's tags this way.
pub fn same_words(text: &str, normalised: &str) -> bool {
    if !text.is_ascii() {
        return normalise_words(text) == normalised;
    }
    let mut expected = normalised.bytes();
    for (n, word) in words(text).enumerate() {
        if n > 0 && expected.next() != Some(b' ') {
            return false;
        }
        if !word
            .bytes()
            .all(|b| expected.next() == Some(b.to_ascii_lowercase()))
        {
            return false;
        }
    }
    expected.next().is_none()
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|word| !word.is_empty())
}

/// What a fired rule does to the score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Effect {
    pub kind: EffectKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectKind {
    Lower(u8),
    Raise(u8),
    CapAt(u8),
    LiftTo(u8),
    NoEffect,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn category_names_are_written_normalised() {
        for category in Category::ALL {
            assert_eq!(normalise_words(category.as_str()), category.as_str());
            assert_eq!(Category::parse(category.as_str()), Some(category));
        }
        assert_eq!(
            Category::parse("  People’s_EXPERIENCE "),
            Some(Category::PeoplesExperience)
        );
    }

    #[test]
    fn the_fast_comparisons_agree_with_normalising_on_known_cases() {
        for (text, normalised) in [
            ("Unpaid Carers", "unpaid carers"),
            ("unpaid-carers", "unpaid carers"),
            (" unpaid__carers ", "unpaid carers"),
            ("ÉQUITY of access", "équity of access"),
        ] {
            assert!(same_words(text, normalised), "{text}");
            assert!(!same_words(text, "unpaid carer"), "{text}");
            assert!(!is_normalised(text), "{text}");
            assert!(is_normalised(normalised) || !normalised.is_ascii());
        }
        assert!(!same_words("unpaid carers too", "unpaid carers"));
        assert!(!same_words("unpaid", "unpaid carers"));
        assert!(is_normalised(""));
    }

    proptest! {
        #[test]
        fn same_words_and_is_normalised_agree_with_normalise_words(
            text in "[a-zA-Z _\\-\\t’é]{0,24}",
            other in "[a-z ]{0,12}",
        ) {
            let normalised = normalise_words(&text);
            prop_assert!(same_words(&text, &normalised));
            prop_assert_eq!(same_words(&text, &other), normalised == other);
            prop_assert_eq!(is_normalised(&text), text.is_ascii() && normalised == text);
        }
    }
}
