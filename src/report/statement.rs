//! One quality statement's section of a council report: the sentence of why, what the
//! evidence shows category by category in its own words, the rules that decided the score
//! (the reasons in plain words first, the rules, values and locations for the analyst
//! after), the rules that fired without effect apart, and the advice: moves and gaps, both
//! from the one computation in [`crate::advice`].

use serde::Serialize;

use crate::advice::{ChangeSet, EvidenceGap, GapKind, StatementAdvice};
use crate::evidence::Item;
use crate::pack::Method;
use crate::score::assessment::{ConditionTrace, Justification, RuleTrace, StatementResult, Truth};
use crate::score::confidence::CQC_CATEGORIES;

use super::links::Sources;
use super::reasons::{self, and_list, or_list};
use super::view::{CouncilReport, EvidenceView, anchor, sentence, signed};

/// A theme and its statements, as the report shows them.
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
    /// `high`, `medium` or `low`.
    pub confidence: Option<String>,
    /// The reasons for it, as one sentence.
    pub confidence_reasons: String,
    /// One plain sentence of why it has this score: page one's, and this section's first.
    pub why: String,
    /// The framework's "we" statement.
    pub we: String,
    /// What the evidence shows, category by category.
    pub shows: Vec<CategoryEvidence>,
    /// From baseline to score, in words.
    pub arithmetic: String,
    /// The rules that decided the score, each once with every category it fired in.
    pub decisive: Vec<RuleView>,
    /// Rules that fired but did not move the score (a cap above it, `has no effect`, a
    /// move a cap overrode).
    pub no_effect: Vec<RuleView>,
    pub not_fired: usize,
    pub not_evaluable: usize,
    /// What the rules that could not be evaluated lack, and which rules lack it.
    pub lacking: Vec<LackView>,
    pub advice: AdviceView,
    /// The rules that would read the missing evidence, each once.
    pub gap_rules: Vec<String>,
    /// Anchors of the advice, for page one's links.
    pub moves_anchor: String,
    pub gaps_anchor: String,
}

/// One category's evidence for a statement.
#[derive(Debug, Serialize)]
pub struct CategoryEvidence {
    pub category: String,
    /// The category with a capital, as a heading.
    pub title: String,
    /// Its score under `method: categories`, when scored.
    pub score: Option<u8>,
    /// How much it counts, when not once.
    pub weight: Option<u8>,
    /// `2 strengths, 1 shortfall, 1 measure`.
    pub counts: String,
    pub items: Vec<EvidenceView>,
}

/// A rule that fired, once, with each place it fired.
#[derive(Debug, Serialize)]
pub struct RuleView {
    pub rule: String,
    pub effect: String,
    pub text: String,
    /// The pack's reason for it, in plain words; the rule as written when it gives none.
    pub reason: String,
    pub why: Option<String>,
    pub cites: Vec<String>,
    pub location: String,
    /// The categories it fired in, in words (empty for the whole statement).
    pub categories: String,
    pub fired: Vec<FiredView>,
}

/// One firing: the category it was evaluated on, its tests' values and the items read.
#[derive(Debug, Serialize)]
pub struct FiredView {
    pub category: Option<String>,
    /// How far this rule alone moves the baseline, e.g. `−1`; absent when it does not.
    pub impact: Option<String>,
    pub tests: Vec<TestView>,
    pub evidence: Vec<EvidenceLink>,
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
    /// The anchor of the item in its statement's evidence.
    pub anchor: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct LackView {
    pub wanted: String,
    pub rules: Vec<String>,
}

/// What would move a statement's score, and what it lacks.
#[derive(Debug, Serialize)]
pub struct AdviceView {
    pub raise: Vec<ChangeSetView>,
    /// Said instead of the list when it is empty.
    pub raise_none: String,
    pub drop: Vec<ChangeSetView>,
    pub drop_none: String,
    pub near_misses: Vec<NearMissView>,
    /// The gaps, those with the same effect and readers together, most useful first.
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

/// Gaps alike in kind, effect and readers, and worded alike, as one: `a target for X, Y
/// and Z (it cannot count without one)`: confidence stays medium.
#[derive(Debug, Serialize)]
pub struct GapView {
    pub wanted: String,
    /// `category`, `reference` or `metric`, with the category where known.
    pub kind: String,
    pub rules: Vec<String>,
    /// How much it would firm up the score, and how far it could move it, in words.
    pub reach: String,
}

pub(super) fn view(
    report: &CouncilReport<'_>,
    s: &StatementResult,
    advice: Option<&StatementAdvice>,
    sources: &mut Sources,
) -> StatementView {
    let pack = report.pack;
    let framework = pack.framework.statement(&s.id);
    let statement_anchor = anchor("statement", &s.id);
    let items: Vec<&Item> = report.evidence.items_for(&s.id).collect();
    let item_anchor = |id: &str| {
        let index = items.iter().position(|item| &*item.id == id)?;
        Some(format!("{statement_anchor}-evidence-{}", index + 1))
    };
    let shows = shows(report, s, &items, sources, &item_anchor);
    let (decisive, no_effect): (Vec<&Justification>, Vec<&Justification>) = s
        .justifications
        .iter()
        .partition(|j| reasons::decided(j, s));
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
        why: reasons::why(s, &items, pack),
        we: framework.map(|f| f.we.clone()).unwrap_or_default(),
        shows,
        arithmetic: arithmetic(s),
        decisive: rule_views(&decisive, &item_anchor),
        no_effect: rule_views(&no_effect, &item_anchor),
        not_fired: s.not_fired.len(),
        not_evaluable: s.not_evaluable.len(),
        lacking: lacking(&s.not_evaluable),
        advice: advice_view(s.score, advice),
        gap_rules: advice
            .map(|a| {
                let mut rules: Vec<String> = Vec::new();
                for rule in a.gaps.iter().flat_map(|g| &g.rules) {
                    if !rules.contains(rule) {
                        rules.push(rule.clone());
                    }
                }
                rules
            })
            .unwrap_or_default(),
        moves_anchor: format!("{statement_anchor}-moves"),
        gaps_anchor: format!("{statement_anchor}-gaps"),
    }
}

/// Every item of the statement, by category in CQC's order (then any other), with the
/// category's score where it has one.
fn shows(
    report: &CouncilReport<'_>,
    s: &StatementResult,
    items: &[&Item],
    sources: &mut Sources,
    item_anchor: &dyn Fn(&str) -> Option<String>,
) -> Vec<CategoryEvidence> {
    let mut categories = crate::score::eval::categories_present(items);
    categories.sort_by_key(|c| {
        CQC_CATEGORIES
            .iter()
            .position(|q| q == c)
            .unwrap_or(CQC_CATEGORIES.len())
    });
    categories
        .into_iter()
        .map(|category| {
            let scored = s
                .categories
                .iter()
                .find(|c| c.category == category && s.method == Method::Categories);
            let weight = report.pack.weights.of(category);
            let views: Vec<EvidenceView> = items
                .iter()
                .filter(|item| item.category == category)
                .map(|item| {
                    let anchor = item_anchor(&item.id).unwrap_or_default();
                    report.evidence_view(item, anchor, sources)
                })
                .collect();
            CategoryEvidence {
                category: category.as_str().to_string(),
                title: capitalised(category.as_str()),
                score: scored.map(|c| c.score),
                weight: (weight != 1).then_some(weight),
                counts: counts(&views),
                items: views,
            }
        })
        .collect()
}

/// `2 strengths, 1 shortfall and 1 measure`, in a fixed order.
fn counts(items: &[EvidenceView]) -> String {
    let kinds = [
        ("exceptional strength", "exceptional strengths"),
        ("strength", "strengths"),
        ("mixed", "mixed"),
        ("shortfall", "shortfalls"),
        ("significant shortfall", "significant shortfalls"),
    ];
    let mut parts: Vec<String> = Vec::new();
    for (one, many) in kinds {
        match items.iter().filter(|i| i.shows == one).count() {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {many}")),
        }
    }
    let measures = items
        .iter()
        .filter(|i| !kinds.iter().any(|(one, _)| i.shows == *one))
        .count();
    match measures {
        0 => {}
        1 => parts.push("1 measure".to_string()),
        n => parts.push(format!("{n} measures")),
    }
    and_list(&parts)
}

/// Fired rules, each once in the order first met, with every place it fired.
fn rule_views(
    justifications: &[&Justification],
    item_anchor: &dyn Fn(&str) -> Option<String>,
) -> Vec<RuleView> {
    let mut views: Vec<RuleView> = Vec::new();
    for j in justifications {
        let fired = FiredView {
            category: j.category.map(|c| c.as_str().to_string()),
            impact: match j.impact {
                0 => None,
                n => Some(signed(n)),
            },
            tests: j.conditions.iter().map(test_view).collect(),
            evidence: j
                .evidence
                .iter()
                .map(|id| EvidenceLink {
                    id: id.to_string(),
                    anchor: item_anchor(id),
                })
                .collect(),
        };
        match views.iter_mut().find(|v| *v.rule == *j.rule) {
            Some(view) => view.fired.push(fired),
            None => views.push(RuleView {
                rule: j.rule.to_string(),
                effect: j.effect.to_string(),
                text: j.text.to_string(),
                reason: j.why.clone().unwrap_or_else(|| sentence(&j.text)),
                why: j.why.clone(),
                cites: j.cites.clone(),
                location: j.location.to_string(),
                categories: String::new(),
                fired: vec![fired],
            }),
        }
    }
    for view in &mut views {
        let categories: Vec<String> = view
            .fired
            .iter()
            .filter_map(|f| f.category.clone())
            .collect();
        view.categories = and_list(&categories);
    }
    views
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

/// `Each category of evidence starts at 3; their weighted percentage, 57%, falls in band
/// 2: score 2.` Only the bounds that bound are named.
fn arithmetic(s: &StatementResult) -> String {
    let a = &s.arithmetic;
    let mut words = match s.method {
        Method::Categories => format!("Each category of evidence starts at {}", s.baseline),
        Method::Statement => format!("The statement starts at {}", s.baseline),
    };
    if s.method == Method::Categories {
        if let Some(percent) = a.percent {
            let weighted = s.categories.iter().any(|c| c.weight != 1);
            words.push_str(&format!(
                "; their {}percentage, {percent}%, falls in band {}",
                if weighted { "weighted " } else { "" },
                a.adjusted
            ));
        }
    } else if a.adjustment != 0 {
        words.push_str(&format!(
            "; the rules move it by {} to {}",
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
            .map(|a| gap_views(&a.gaps, score))
            .unwrap_or_default(),
    }
}

/// The gaps in the advice's order, those alike in kind, effect, readers and wording as
/// one.
fn gap_views(gaps: &[EvidenceGap], score: Option<u8>) -> Vec<GapView> {
    struct Group {
        kind: String,
        reach: String,
        rules: Vec<String>,
        head: String,
        tail: String,
        subjects: Vec<String>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for gap in gaps {
        let kind = gap_kind(gap);
        let reach = super::gaps::gap_effect(gap, score);
        let (head, subject, tail) = wording(&gap.wanted);
        match groups.iter_mut().find(|g| {
            g.kind == kind
                && g.reach == reach
                && g.rules == gap.rules
                && g.head == head
                && g.tail == tail
        }) {
            Some(group) => group.subjects.push(subject.to_string()),
            None => groups.push(Group {
                kind,
                reach,
                rules: gap.rules.clone(),
                head: head.to_string(),
                tail: tail.to_string(),
                subjects: vec![subject.to_string()],
            }),
        }
    }
    groups
        .into_iter()
        .map(|g| GapView {
            // Any one of them would do as much: `a target for X, Y or Z`.
            wanted: format!("{}{}{}", g.head, or_list(&g.subjects), g.tail),
            kind: g.kind,
            rules: g.rules,
            reach: g.reach,
        })
        .collect()
}

/// A gap's words as what is wanted, for what, and a closing note: `a target for ` ·
/// `nursing care sourced within timescale` · ` (it cannot count without one)`.
fn wording(wanted: &str) -> (&str, &str, &str) {
    let head = match wanted.strip_prefix("evidence from ") {
        Some(_) => "evidence from ".len(),
        None => wanted.find(" for ").map_or(0, |at| at + " for ".len()),
    };
    let tail = match wanted.strip_suffix(')').and_then(|w| w.rfind(" (")) {
        Some(at) if at >= head => at,
        _ => wanted.len(),
    };
    (&wanted[..head], &wanted[head..tail], &wanted[tail..])
}

pub(super) fn gap_kind(gap: &EvidenceGap) -> String {
    let kind = match gap.kind {
        GapKind::Metric => "metric",
        GapKind::Reference => "reference",
        GapKind::Category => "category",
    };
    match (gap.kind, gap.category) {
        (GapKind::Category, _) | (_, None) => kind.to_string(),
        (_, Some(category)) => format!("{kind}, {}", category.as_str()),
    }
}

/// `People's experience` from `people's experience`.
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_worded_as_head_subject_and_tail() {
        assert_eq!(
            wording("a target for carers break (it cannot count without one)"),
            (
                "a target for ",
                "carers break",
                " (it cannot count without one)"
            )
        );
        assert_eq!(
            wording("evidence from processes"),
            ("evidence from ", "processes", "")
        );
        assert_eq!(wording("carers break"), ("", "carers break", ""));
    }
}
