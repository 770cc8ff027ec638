//! How sure a statement's score is (docs/scoring.md): which of the four evidence
//! categories CQC uses have evidence, whether people's experience is heard, how much
//! evidence there is, and whether one more finding would move the score. Missing or thin
//! evidence lowers the confidence, never the score. Pure: what-if scoring only.

use crate::evidence::{Finding, Item, ItemContent};
use crate::lang::ast::{Category, Sentiment, Strength};
use crate::pack::{Pack, StatementRules};
use crate::score::assessment::{Confidence, ConfidenceBasis, ConfidenceLevel};
use crate::score::{read_for, statement_score};

/// The four evidence categories CQC reads for local authorities, people's first.
pub const CQC_CATEGORIES: [Category; 4] = [
    Category::PeoplesExperience,
    Category::FeedbackFromStaffAndLeaders,
    Category::FeedbackFromPartners,
    Category::Processes,
];

/// Fewer items than this is thin evidence for a score.
const THIN: usize = 3;
/// A high-confidence score rests on at least this many items.
const SOLID: usize = 6;

/// The confidence of `score`, which `rules` gave `items`. Only the items some rule reads
/// count for it: an item nothing reads (a measure with nothing to compare it with, say)
/// supports no score.
pub fn judge(pack: &Pack, rules: &StatementRules, items: &[&Item], score: u8) -> Confidence {
    let read: Vec<&Item> = items
        .iter()
        .copied()
        .filter(|item| read_for(item, &rules.statement, pack))
        .collect();
    let categories: Vec<Category> = CQC_CATEGORIES
        .into_iter()
        .filter(|c| read.iter().any(|item| item.category == *c))
        .collect();
    let people = read
        .iter()
        .filter(|item| item.category == Category::PeoplesExperience)
        .count();
    let statement = items
        .first()
        .and_then(|item| item.statements.first())
        .map_or(rules.statement.as_str(), String::as_str);
    let moves = |sentiment: Sentiment, moved: &dyn Fn(u8) -> bool| {
        CQC_CATEGORIES.into_iter().find_map(|category| {
            let added = Item::supposed(
                format!("one-more-{}-finding", sentiment.as_str()),
                statement,
                category,
                ItemContent::Finding(Finding {
                    text: format!("one more {} finding", sentiment.as_str()),
                    sentiment,
                    strength: Strength::Normal,
                    tags: Vec::new(),
                }),
            );
            let mut changed = items.to_vec();
            changed.push(&added);
            statement_score(pack, rules, &changed)
                .filter(|s| moved(*s))
                .map(|s| (category, s))
        })
    };
    let lowers = moves(Sentiment::Negative, &|s| s < score);
    let raises = moves(Sentiment::Positive, &|s| s > score);
    let basis = ConfidenceBasis {
        categories,
        peoples_experience_heard: people > 0,
        evidence_count: read.len(),
        one_finding_lowers: lowers.map(|(c, _)| c),
        one_finding_raises: raises.map(|(c, _)| c),
    };
    Confidence {
        level: level(&basis),
        reasons: reasons(&basis, people, lowers, raises),
        basis,
    }
}

/// Low: one category, thin evidence, or a score one finding from moving without people's
/// experience to steady it. High: three or more categories, people heard, solid evidence,
/// and no single finding moves it. Medium: between.
fn level(basis: &ConfidenceBasis) -> ConfidenceLevel {
    let near = basis.one_finding_lowers.is_some() || basis.one_finding_raises.is_some();
    if basis.categories.len() <= 1
        || basis.evidence_count < THIN
        || (near && !basis.peoples_experience_heard)
    {
        ConfidenceLevel::Low
    } else if basis.categories.len() >= 3
        && basis.peoples_experience_heard
        && basis.evidence_count >= SOLID
        && !near
    {
        ConfidenceLevel::High
    } else {
        ConfidenceLevel::Medium
    }
}

fn reasons(
    basis: &ConfidenceBasis,
    people: usize,
    lowers: Option<(Category, u8)>,
    raises: Option<(Category, u8)>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let missing: Vec<&str> = CQC_CATEGORIES
        .into_iter()
        .filter(|c| !basis.categories.contains(c))
        .map(Category::as_str)
        .collect();
    reasons.push(match (basis.categories.as_slice(), missing.as_slice()) {
        (_, []) => "evidence from all four categories".to_string(),
        ([], _) => "no evidence from the four categories CQC uses".to_string(),
        ([only], _) => format!(
            "evidence from one of the four categories ({} only)",
            only.as_str()
        ),
        (some, missing) => format!(
            "evidence from {} of the four categories (none from {})",
            some.len(),
            missing.join(" or ")
        ),
    });
    reasons.push(match people {
        0 => "people's experience is not heard".to_string(),
        1 => "people's experience is heard (1 item)".to_string(),
        n => format!("people's experience is heard ({n} items)"),
    });
    reasons.push(match basis.evidence_count {
        1 => "only 1 item of evidence".to_string(),
        n if n < THIN => format!("only {n} items of evidence"),
        n => format!("{n} items of evidence"),
    });
    if lowers.is_none() && raises.is_none() {
        reasons.push("no single finding would move it".to_string());
    }
    if let Some((category, to)) = lowers {
        reasons.push(format!(
            "one more negative finding from {} would lower it to {to}",
            category.as_str()
        ));
    }
    if let Some((category, to)) = raises {
        reasons.push(format!(
            "one more positive finding from {} would raise it to {to}",
            category.as_str()
        ));
    }
    reasons
}
