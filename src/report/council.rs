//! One council's report as data: every sentence, number and anchor the Markdown and HTML
//! templates show, worked out here so the templates only arrange it. Nothing is evaluated
//! again; this reads the assessment, the advice, the evidence (for what each cited item
//! says) and the pack (for the framework's texts and the metrics' units).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::advice::{ChangeSet, EvidenceGap, GapKind, StatementAdvice};
use crate::assessment::{
    Assessment, ConditionTrace, EvidenceRef, Justification, OverallRange, RuleTrace,
    StatementResult, Truth,
};
use crate::evidence::{Evidence, Item, ItemContent};
use crate::pack::{Method, Pack};

use super::charts::{self, Charts};

/// What a council report is made from.
pub struct CouncilReport<'a> {
    pub assessment: &'a Assessment,
    /// What [`crate::advice::advise`] made of the same assessment.
    pub advice: &'a [StatementAdvice],
    /// The evidence that was scored, for the words of each cited item.
    pub evidence: &'a Evidence,
    /// The pack that scored it, for the framework's texts and the metrics' units.
    pub pack: &'a Pack,
}

/// Everything a report template reads.
#[derive(Debug, Serialize)]
pub struct Context {
    pub authority: String,
    pub code: Option<String>,
    pub as_of: Option<String>,
    pub overall: OverallView,
    pub bands: Vec<BandView>,
    pub themes: Vec<ThemeView>,
    pub charts: Charts,
    pub record: RecordView,
    pub uncited: Vec<EvidenceView>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OverallView {
    pub rating: Option<String>,
    pub percent: Option<u32>,
    /// The unrounded percentage, shown beside the published one when rounding up moved it.
    pub exact_percent: Option<String>,
    pub position: Option<String>,
    pub total: u32,
    pub max: u32,
    pub statements_scored: usize,
    pub statements_total: usize,
    /// Not every statement is scored: no rating, only the band the percentage falls in.
    pub partial: bool,
    pub indicative_rating: Option<String>,
    /// Where the result could fall if the low-confidence statements moved, in words.
    pub range: Option<String>,
}

/// A rating band and its whole-percentage range.
#[derive(Debug, Serialize)]
pub struct BandView {
    pub rating: String,
    pub range: String,
    /// Whether the overall result falls in it.
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct ThemeView {
    pub id: String,
    pub anchor: String,
    pub name: String,
    pub percent: Option<u32>,
    pub total: u32,
    pub max: u32,
    pub statements: Vec<StatementView>,
}

#[derive(Debug, Serialize)]
pub struct StatementView {
    pub id: String,
    pub anchor: String,
    pub name: String,
    pub score: Option<u8>,
    pub descriptor: Option<String>,
    /// Why it is not scored, when it is not.
    pub reason: Option<String>,
    /// `high`, `medium` or `low`, and why.
    pub confidence: Option<String>,
    /// The reasons for it, as one sentence.
    pub confidence_reasons: String,
    /// The framework's "we" and "I" statements.
    pub we: String,
    pub i: String,
    pub i_more: Vec<String>,
    /// From baseline to score, in words.
    pub arithmetic: String,
    pub justifications: Vec<JustificationView>,
    /// Per-category scores under `method: categories`.
    pub categories: Vec<CategoryView>,
    /// The items the fired rules read, each once, in the order first cited.
    pub evidence: Vec<EvidenceView>,
    pub not_fired: usize,
    pub not_evaluable: usize,
    /// What the rules that could not be evaluated lack, and which rules lack it.
    pub lacking: Vec<LackView>,
    pub advice: AdviceView,
}

#[derive(Debug, Serialize)]
pub struct JustificationView {
    pub rule: String,
    pub effect: String,
    /// How far this rule alone moves the baseline, e.g. `−1`; absent when it does not.
    pub impact: Option<String>,
    pub text: String,
    pub why: Option<String>,
    pub cites: Vec<String>,
    pub tests: Vec<TestView>,
    pub evidence: Vec<EvidenceLink>,
    pub location: String,
    /// The evidence category it was evaluated on, under `method: categories`.
    pub category: Option<String>,
}

/// One test of a rule as it counted: `not` folded in, its values, and whether it held.
#[derive(Debug, Serialize)]
pub struct TestView {
    pub test: String,
    pub actual: String,
    pub outcome: &'static str,
}

#[derive(Debug, Serialize)]
pub struct EvidenceLink {
    pub id: String,
    /// The anchor of the item in its statement's evidence list.
    pub anchor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EvidenceView {
    pub id: String,
    pub anchor: String,
    /// What kind of item, e.g. `negative finding, processes` or `metric, outcomes`.
    pub kind: String,
    /// The finding's words, or the metric with its value and comparators.
    pub text: String,
    pub period: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CategoryView {
    pub category: String,
    pub score: u8,
    /// How much it counts, when not once.
    pub weight: Option<u8>,
    pub rules: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct LackView {
    pub wanted: String,
    pub rules: Vec<String>,
}

/// What would move a statement's score.
#[derive(Debug, Serialize)]
pub struct AdviceView {
    pub raise: Vec<ChangeSetView>,
    /// Said instead of the list when it is empty.
    pub raise_none: String,
    pub drop: Vec<ChangeSetView>,
    pub drop_none: String,
    pub near_misses: Vec<NearMissView>,
    pub gaps: Vec<GapView>,
}

#[derive(Debug, Serialize)]
pub struct ChangeSetView {
    pub score: u8,
    /// Each change as `metric: 63% → 75% (target)`.
    pub changes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct NearMissView {
    pub rule: String,
    pub effect: String,
    /// Under `method: categories`, the category whose evidence it would fire on.
    pub category: Option<String>,
    pub change: String,
    pub margin: String,
}

#[derive(Debug, Serialize)]
pub struct GapView {
    pub wanted: String,
    /// `category`, `reference` or `metric`, with the category where known.
    pub kind: String,
    pub rules: Vec<String>,
    /// How much it would firm up the score, and how far it could move it, in words.
    pub reach: String,
}

#[derive(Debug, Serialize)]
pub struct RecordView {
    pub engine: String,
    pub pack: String,
    pub pack_hash: String,
    pub evidence_file: String,
    pub evidence_hash: String,
    pub rules_evaluated: usize,
}

impl CouncilReport<'_> {
    /// The template context of this report.
    pub fn context(&self) -> Context {
        let a = self.assessment;
        let themes = a
            .themes
            .iter()
            .map(|theme| ThemeView {
                id: theme.id.clone(),
                anchor: anchor("theme", &theme.id),
                name: theme.name.clone(),
                percent: theme.percent,
                total: theme.total,
                max: theme.max,
                statements: a
                    .statements
                    .iter()
                    .filter(|s| theme.statements.contains(&s.id))
                    .map(|s| self.statement(s))
                    .collect(),
            })
            .collect();
        let record = &a.record;
        Context {
            authority: a.authority.clone(),
            code: a.code.clone(),
            as_of: a.as_of.clone(),
            overall: OverallView {
                rating: a.overall.rating.clone(),
                percent: a.overall.percent,
                // Only when rounding up changed it.
                exact_percent: a
                    .overall
                    .exact_percent
                    .filter(|exact| Some(*exact) != a.overall.percent.map(Decimal::from))
                    .map(|exact| exact.to_string()),
                position: a.overall.position.clone(),
                total: a.overall.total,
                max: a.overall.max,
                statements_scored: a.overall.statements_scored,
                statements_total: a.overall.statements_total,
                partial: a.overall.partial,
                indicative_rating: a.overall.indicative_rating.clone(),
                range: a.overall.range.as_ref().map(range_words),
            },
            bands: self.bands(),
            themes,
            charts: charts::charts(a, &self.pack.framework),
            record: RecordView {
                engine: format!("{} {}", record.engine.name, record.engine.version),
                pack: format!("{} {}", record.pack.name, record.pack.version),
                pack_hash: record.pack.hash.clone(),
                evidence_file: record.evidence.file.clone(),
                evidence_hash: record.evidence.hash.clone(),
                rules_evaluated: record.rules_evaluated.len(),
            },
            uncited: a
                .uncited_evidence
                .iter()
                .zip(0..)
                .map(|(item, index)| self.evidence_view(item, format!("uncited-{index}")))
                .collect(),
            warnings: a.warnings.clone(),
        }
    }

    fn bands(&self) -> Vec<BandView> {
        let ratings = &self.pack.framework.ratings;
        let current = self.assessment.overall.rating.as_deref();
        ratings
            .iter()
            .zip(ratings.iter().skip(1).map(|b| Some(b.from)).chain([None]))
            .map(|(band, next)| BandView {
                rating: band.rating.clone(),
                range: match next {
                    Some(next) => format!("{}–{}%", band.from, next.saturating_sub(1)),
                    None => format!("{}% and above", band.from),
                },
                current: current == Some(band.rating.as_str()),
            })
            .collect()
    }

    fn statement(&self, s: &StatementResult) -> StatementView {
        let framework = self.pack.framework.statement(&s.id);
        let statement_anchor = anchor("statement", &s.id);
        // Each item the fired rules read, once, numbered within the statement.
        let mut cited: Vec<&EvidenceRef> = Vec::new();
        for reference in s.justifications.iter().flat_map(|j| &j.evidence_sources) {
            if !cited.iter().any(|c| c.id == reference.id) {
                cited.push(reference);
            }
        }
        let evidence_anchor = |id: &str| {
            let index = cited.iter().position(|c| &*c.id == id)?;
            Some(format!("{statement_anchor}-evidence-{}", index + 1))
        };
        let justifications = s
            .justifications
            .iter()
            .map(|j| justification(j, &evidence_anchor))
            .collect();
        let evidence = cited
            .iter()
            .zip(1..)
            .map(|(reference, n)| {
                self.evidence_view(reference, format!("{statement_anchor}-evidence-{n}"))
            })
            .collect();
        let advice = self.advice.iter().find(|a| a.statement == s.id);
        StatementView {
            id: s.id.clone(),
            anchor: statement_anchor.clone(),
            name: s.name.clone(),
            score: s.score,
            descriptor: s.descriptor.clone(),
            reason: s.reason.clone(),
            confidence: s.confidence.as_ref().map(|c| c.level.as_str().to_string()),
            confidence_reasons: s
                .confidence
                .as_ref()
                .map(|c| sentence(&c.reasons.join("; ")))
                .unwrap_or_default(),
            we: framework.map(|f| f.we.clone()).unwrap_or_default(),
            i: framework.map(|f| f.i.clone()).unwrap_or_default(),
            i_more: framework.map(|f| f.i_more.clone()).unwrap_or_default(),
            arithmetic: arithmetic(s),
            justifications,
            categories: s
                .categories
                .iter()
                .filter(|_| s.method == Method::Categories)
                .map(|c| CategoryView {
                    category: c.category.as_str().to_string(),
                    score: c.score,
                    weight: (c.weight != 1).then_some(c.weight),
                    rules: c.rules.clone(),
                })
                .collect(),
            evidence,
            not_fired: s.not_fired.len(),
            not_evaluable: s.not_evaluable.len(),
            lacking: lacking(&s.not_evaluable),
            advice: advice_view(s.score, advice),
        }
    }

    /// An item with what it says, looked up in the evidence by id.
    fn evidence_view(&self, reference: &EvidenceRef, anchor: String) -> EvidenceView {
        let item = self.evidence.items.iter().find(|i| i.id == reference.id);
        EvidenceView {
            id: reference.id.to_string(),
            anchor,
            kind: item.map(item_kind).unwrap_or_default(),
            text: item.map(|i| self.item_text(i)).unwrap_or_default(),
            period: item.and_then(|i| i.period.clone()),
            source: reference.source.clone(),
        }
    }

    /// A finding's words, or a metric's value with every comparator the file gives.
    fn item_text(&self, item: &Item) -> String {
        match &item.content {
            ItemContent::Finding(finding) => finding.text.clone(),
            ItemContent::Metric(metric) => {
                let unit = metric.metric.map(|id| self.pack.catalogue.metric(id).unit);
                let show = |value| crate::eval::show(value, unit);
                let comparators: Vec<String> = [
                    ("target", metric.target),
                    ("England average", metric.england_average),
                    ("regional average", metric.regional_average),
                    ("comparator average", metric.comparator_average),
                    ("previous", metric.previous),
                ]
                .into_iter()
                .filter_map(|(name, value)| value.map(|v| format!("{name} {}", show(v))))
                .collect();
                let mut text = format!("{}: {}", metric.name, show(metric.value));
                if !comparators.is_empty() {
                    text.push_str(&format!(" ({})", comparators.join(", ")));
                }
                text
            }
        }
    }
}

/// `negative finding, processes` or `metric, outcomes`.
fn item_kind(item: &Item) -> String {
    match &item.content {
        ItemContent::Finding(finding) => format!(
            "{} finding, {}",
            finding.sentiment.as_str(),
            item.category.as_str()
        ),
        ItemContent::Metric(_) => format!("metric, {}", item.category.as_str()),
    }
}

fn justification(
    j: &Justification,
    evidence_anchor: &dyn Fn(&str) -> Option<String>,
) -> JustificationView {
    JustificationView {
        rule: j.rule.to_string(),
        effect: j.effect.to_string(),
        impact: match j.impact {
            0 => None,
            n => Some(signed(n)),
        },
        text: j.text.to_string(),
        why: j.why.clone(),
        cites: j.cites.clone(),
        tests: j.conditions.iter().map(test_view).collect(),
        evidence: j
            .evidence
            .iter()
            .map(|id| EvidenceLink {
                id: id.to_string(),
                anchor: evidence_anchor(id),
            })
            .collect(),
        location: j.location.to_string(),
        category: j.category.map(|c| c.as_str().to_string()),
    }
}

/// Words as a sentence: a capital first and a full stop last.
fn sentence(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// `64%–81% (Good either way) if its 2 low-confidence statements each moved one up or down`.
fn range_words(range: &OverallRange) -> String {
    let ratings = match (&range.low_rating, &range.high_rating) {
        (Some(low), Some(high)) if low == high => format!(" ({low} either way)"),
        (Some(low), Some(high)) => format!(" ({low} to {high})"),
        _ => String::new(),
    };
    let which = match range.statements.len() {
        1 => "its one low-confidence statement moved".to_string(),
        n => format!("its {n} low-confidence statements each moved"),
    };
    format!(
        "{}%–{}%{ratings} if {which} one up or down",
        range.low_percent, range.high_percent
    )
}

/// A test as it counted for its rule: under a `not` the words carry the `not` and the
/// outcome is flipped, so "holds" always means "pushed the rule towards firing" (or, for
/// an `unless` test, towards stopping it).
fn test_view(c: &ConditionTrace) -> TestView {
    let held = match c.holds {
        Truth::True => Some(!c.negated),
        Truth::False => Some(c.negated),
        Truth::Unknown => None,
    };
    let prefix = if c.exception { "unless " } else { "" };
    TestView {
        test: format!("{prefix}{}", c.as_counted()),
        actual: c.actual.clone(),
        outcome: match held {
            Some(true) => "holds",
            Some(false) => "does not hold",
            None => "not known",
        },
    }
}

/// `Baseline 3; the fired rules move it by −1 to 2; capped at 3.`
fn arithmetic(s: &StatementResult) -> String {
    let a = &s.arithmetic;
    let mut words = format!("Baseline {}", s.baseline);
    if s.method == Method::Categories {
        words.push_str(" for each evidence category");
        if let Some(percent) = a.percent {
            let weighted = s.categories.iter().any(|c| c.weight != 1);
            words.push_str(&format!(
                "; the categories' {}percentage, {percent}%, falls in band {}",
                if weighted { "weighted " } else { "" },
                a.adjusted
            ));
        }
    } else if a.adjustment != 0 {
        words.push_str(&format!(
            "; the fired rules move it by {} to {}",
            signed(a.adjustment),
            a.adjusted
        ));
    }
    // Only the bounds that bound: a cap above the score, or a floor below it, moved nothing.
    if let Some(cap) = a.cap.filter(|cap| i32::from(*cap) < a.adjusted) {
        words.push_str(&format!("; capped at {cap}"));
    }
    if let Some(floor) = a.floor.filter(|floor| i32::from(*floor) > a.adjusted) {
        words.push_str(&format!("; lifted to at least {floor}"));
    }
    if let Some(collision) = &a.collision {
        words.push_str(&format!("; {collision}"));
    }
    if a.clamped {
        words.push_str("; held within 1 to 4");
    }
    match s.score {
        Some(score) => words.push_str(&format!(": score {score}.")),
        None => words.push('.'),
    }
    words
}

/// The evidence the not-evaluable rules lack, each with the rules that lack it, in the
/// order first met.
fn lacking(traces: &[RuleTrace]) -> Vec<LackView> {
    let mut lacking: Vec<LackView> = Vec::new();
    for trace in traces {
        for wanted in &trace.missing {
            match lacking.iter_mut().find(|l| &l.wanted == wanted) {
                Some(lack) if !lack.rules.iter().any(|r| **r == *trace.rule) => {
                    lack.rules.push(trace.rule.to_string());
                }
                Some(_) => {}
                None => lacking.push(LackView {
                    wanted: wanted.clone(),
                    rules: vec![trace.rule.to_string()],
                }),
            }
        }
    }
    lacking
}

fn advice_view(score: Option<u8>, advice: Option<&StatementAdvice>) -> AdviceView {
    let change_sets = |sets: &[ChangeSet]| -> Vec<ChangeSetView> {
        sets.iter()
            .map(|set| ChangeSetView {
                score: set.score,
                changes: set.changes.iter().map(ToString::to_string).collect(),
            })
            .collect()
    };
    let none_found = |direction: &str, way: &str| {
        format!(
            "No single or paired change to the evidence, each for the {way}, was found that would {direction} the score."
        )
    };
    AdviceView {
        raise: advice.map(|a| change_sets(&a.raise)).unwrap_or_default(),
        raise_none: match score {
            None => "Not scored, so there is no score to raise.".to_string(),
            Some(4) => "4 is the top of the scale: nothing can raise it.".to_string(),
            Some(_) => none_found("raise", "better"),
        },
        drop: advice.map(|a| change_sets(&a.drop)).unwrap_or_default(),
        drop_none: match score {
            None => "Not scored, so there is no score to lower.".to_string(),
            Some(1) => "1 is the bottom of the scale: nothing can lower it.".to_string(),
            Some(_) => none_found("lower", "worse"),
        },
        near_misses: advice
            .map(|a| {
                a.near_misses
                    .iter()
                    .map(|n| NearMissView {
                        rule: n.rule.clone(),
                        effect: n.effect.clone(),
                        category: n.category.map(|c| c.as_str().to_string()),
                        change: n.change.to_string(),
                        margin: n.margin.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        gaps: advice
            .map(|a| a.gaps.iter().map(|gap| gap_view(gap, score)).collect())
            .unwrap_or_default(),
    }
}

fn gap_view(gap: &EvidenceGap, score: Option<u8>) -> GapView {
    let kind = match gap.kind {
        GapKind::Metric => "metric",
        GapKind::Reference => "reference",
        GapKind::Category => "category",
    };
    let kind = match (gap.kind, gap.category) {
        (GapKind::Category, _) | (_, None) => kind.to_string(),
        (_, Some(category)) => format!("{kind}, {}", category.as_str()),
    };
    GapView {
        wanted: gap.wanted.clone(),
        kind,
        rules: gap.rules.clone(),
        reach: super::gaps::gap_effect(gap, score),
    }
}

/// `+1`, `−2` (with a true minus sign, as printed).
fn signed(n: i32) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        format!("−{}", n.unsigned_abs())
    }
}

/// An HTML id from a prefix and an id from the framework: letters, digits and hyphens
/// only, so it needs no escaping in a link.
fn anchor(prefix: &str, id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{slug}")
}
