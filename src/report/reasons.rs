//! The plain reasons for a score: which fired rules decided it, what each evidence item
//! shows in words (`shortfall`, `worse than the England average`), and the one sentence of
//! why that page one and each statement's section open with, built from what the evidence
//! shows in its own words rather than from rule ids. Nothing is evaluated again: this
//! reads the assessment's traces and judges metrics with the evaluator's own
//! [`judging`](crate::score::eval::judging).

use crate::evidence::{Item, ItemContent, MetricValue};
use crate::lang::ast::{Category, EffectKind, Sentiment, Strength};
use crate::pack::catalogue::Unit;
use crate::pack::{Method, Pack};
use crate::score::assessment::{Justification, StatementResult};
use crate::score::eval::{judging, reference_name, show};

/// Which way a rule moves a score when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pull {
    Up,
    Down,
}

fn pull(effect: EffectKind) -> Option<Pull> {
    match effect {
        EffectKind::Raise(_) | EffectKind::LiftTo(_) => Some(Pull::Up),
        EffectKind::Lower(_) | EffectKind::CapAt(_) => Some(Pull::Down),
        EffectKind::NoEffect => None,
    }
}

/// Whether a fired rule decided the statement's score, read from the arithmetic: a cap
/// or lift only when it bound; a raise or lower only when no cap or lift overrode the
/// adjusted score, and, under `method: categories`, when its category's score moved its
/// way. `has no effect` never decides.
pub fn decided(j: &Justification, s: &StatementResult) -> bool {
    let a = &s.arithmetic;
    let Some(score) = s.score.map(i32::from) else {
        return false;
    };
    let adjusted = a.adjusted.clamp(1, 4);
    let bound = score != adjusted;
    match j.effect_kind {
        EffectKind::CapAt(n) => bound && a.cap == Some(n) && i32::from(n) == score,
        EffectKind::LiftTo(n) => bound && a.floor == Some(n) && i32::from(n) == score,
        EffectKind::NoEffect => false,
        EffectKind::Raise(_) | EffectKind::Lower(_) if bound => false,
        EffectKind::Raise(_) | EffectKind::Lower(_) => {
            let moved = match (s.method, j.category) {
                (Method::Categories, Some(category)) => s
                    .categories
                    .iter()
                    .find(|c| c.category == category)
                    .map_or(0, |c| i32::from(c.score) - i32::from(s.baseline)),
                _ => a.adjustment,
            };
            moved.signum() == j.impact.signum() && j.impact != 0
        }
    }
}

/// What an item shows, in a word or two: `shortfall`, `significant shortfall`,
/// `strength`, `mixed`, `worse than England average`, or `measure` for a metric that
/// cannot be judged (no reference, or not in the catalogue).
pub fn shows(item: &Item, pack: &Pack) -> String {
    match &item.content {
        ItemContent::Finding(finding) => match (finding.sentiment, finding.strength) {
            (Sentiment::Positive, Strength::Strong) => "exceptional strength",
            (Sentiment::Positive, Strength::Normal) => "strength",
            (Sentiment::Negative, Strength::Strong) => "significant shortfall",
            (Sentiment::Negative, Strength::Normal) => "shortfall",
            (Sentiment::Mixed, _) => "mixed",
        }
        .to_string(),
        ItemContent::Metric(metric) => match judging(pack, metric) {
            Some(judged) => {
                let reference = reference_name(&judged.kind);
                match judged.sentiment(metric.value) {
                    Some(Sentiment::Positive) => format!("better than {reference}"),
                    Some(Sentiment::Negative) => format!("worse than {reference}"),
                    _ => format!("in line with {reference}"),
                }
            }
            None => "measure".to_string(),
        },
    }
}

/// The unit a metric's values are shown in: the catalogue's, or for a metric the catalogue
/// lacks, a percentage when the file wrote its value with `%`.
pub fn unit(metric: &MetricValue, pack: &Pack) -> Option<Unit> {
    match metric.metric {
        Some(id) => Some(pack.catalogue.metric(id).unit),
        None => metric.percent_sign.then_some(Unit::Percent),
    }
}

/// How an item counts towards a pull, most telling first; `None` when it points the
/// other way.
fn telling(item: &Item, pack: &Pack, way: Pull) -> Option<u8> {
    let wanted = match way {
        Pull::Up => Sentiment::Positive,
        Pull::Down => Sentiment::Negative,
    };
    match &item.content {
        ItemContent::Finding(f) if f.sentiment == wanted && f.strength == Strength::Strong => {
            Some(0)
        }
        ItemContent::Finding(f) if f.sentiment == wanted => Some(1),
        ItemContent::Metric(m) => {
            (judging(pack, m).and_then(|j| j.sentiment(m.value)) == Some(wanted)).then_some(2)
        }
        ItemContent::Finding(f) if f.sentiment == Sentiment::Mixed => Some(3),
        ItemContent::Finding(_) => None,
    }
}

/// The item that best shows a pull, among `items`: the most telling kind, then the
/// category that weighs most, then the first in the file.
fn telling_item<'i>(items: &[&'i Item], pack: &Pack, way: Pull) -> Option<&'i Item> {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let rank = telling(item, pack, way)?;
            let weight = std::cmp::Reverse(pack.weights.of(item.category));
            Some(((rank, weight, index), *item))
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, item)| item)
}

/// The gist of an item: a finding's first clause in its own words, quoted (up to a `;` or
/// the end of its first sentence, shortened at a word to about 100 characters); a metric
/// as its value against the reference it is judged by.
pub fn gist(item: &Item, pack: &Pack) -> String {
    match &item.content {
        ItemContent::Finding(finding) => format!("“{}”", first_clause(&finding.text)),
        ItemContent::Metric(metric) => {
            let unit = unit(metric, pack);
            let mut words = format!("{} was {}", metric.name, show(metric.value, unit));
            if let Some(judged) = judging(pack, metric) {
                words.push_str(&format!(
                    " against the {} of {}",
                    reference_name(&judged.kind),
                    show(judged.reference, unit)
                ));
            }
            words
        }
    }
}

const GIST_CHARACTERS: usize = 100;

fn first_clause(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = [text.find("; "), text.find(". ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(text.len());
    let clause = text[..end].trim_end_matches(['.', ';', ',', ':']);
    if clause.chars().count() <= GIST_CHARACTERS {
        return clause.to_string();
    }
    let mut shortened = String::new();
    for word in clause.split(' ') {
        if shortened.chars().count() + 1 + word.chars().count() > GIST_CHARACTERS - 1 {
            break;
        }
        if !shortened.is_empty() {
            shortened.push(' ');
        }
        shortened.push_str(word);
    }
    let shortened = shortened.trim_end_matches([',', ';', ':']);
    format!("{shortened}…")
}

/// `people's experience`, `people's experience and processes`, `a, b and c`.
pub fn and_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `a`, `a or b`, `a, b or c`.
pub fn or_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The categories a set of decisive rules moved, in CQC's order: those they were evaluated
/// on, or for whole-statement rules those of the evidence they read.
fn categories_of(rules: &[&Justification], items: &[&Item]) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for j in rules {
        let read: Vec<Category> = match j.category {
            Some(category) => vec![category],
            None => items
                .iter()
                .filter(|item| j.evidence.contains(&item.id))
                .map(|item| item.category)
                .collect(),
        };
        for category in read {
            if !categories.contains(&category) {
                categories.push(category);
            }
        }
    }
    categories.sort();
    categories
}

/// One plain sentence of why a statement has its score (or none): what the decisive
/// evidence shows, by category, and the most telling item in its own words.
/// `Shortfalls in people's experience and processes, among them “Reviews of people's care
/// were not always carried out on time”.`
pub fn why(s: &StatementResult, items: &[&Item], pack: &Pack) -> String {
    let Some(score) = s.score else {
        let reason = s.reason.as_deref().unwrap_or("it has no score");
        return format!("Not scored: {reason}.");
    };
    let decisive: Vec<&Justification> = s.justifications.iter().filter(|j| decided(j, s)).collect();
    let of = |way: Pull| -> Vec<&Justification> {
        decisive
            .iter()
            .copied()
            .filter(|j| pull(j.effect_kind) == Some(way))
            .collect()
    };
    let (down, up) = (of(Pull::Down), of(Pull::Up));
    let names = |rules: &[&Justification]| -> String {
        let names: Vec<String> = categories_of(rules, items)
            .into_iter()
            .map(|c| c.as_str().to_string())
            .collect();
        and_list(&names)
    };
    let bound = |rules: &[&Justification]| -> String {
        rules
            .iter()
            .find_map(|j| match j.effect_kind {
                EffectKind::CapAt(n) => Some(format!(" cap it at {n}")),
                EffectKind::LiftTo(n) => Some(format!(" lift it to {n}")),
                _ => None,
            })
            .unwrap_or_default()
    };
    let in_cats = |rules: &[&Justification]| match names(rules) {
        n if n.is_empty() => String::new(),
        n => format!(" in {n}"),
    };
    // Under `method: categories` a category can move while the statement keeps the
    // baseline's band: say what the statement shows overall first.
    let shows = s.descriptor.as_deref().map(|d| {
        let d = d.strip_prefix("Evidence shows ").unwrap_or(d);
        let mut chars = d.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    });
    let overall = |moved: Pull| match (&shows, moved) {
        (Some(shows), Pull::Down) if score >= s.baseline => format!("{shows} overall, but s"),
        (Some(shows), Pull::Up) if score <= s.baseline => format!("{shows} overall, but s"),
        _ => "S".to_string(),
    };
    let (lead, way, from) = match (down.is_empty(), up.is_empty()) {
        (false, true) => (
            format!(
                "{}hortfalls{}{}",
                overall(Pull::Down),
                in_cats(&down),
                bound(&down)
            ),
            Pull::Down,
            down.clone(),
        ),
        (true, false) => (
            format!(
                "{}trengths{}{}",
                overall(Pull::Up),
                in_cats(&up),
                bound(&up)
            ),
            Pull::Up,
            up.clone(),
        ),
        (false, false) => (
            format!("Shortfalls{}, strengths{}", in_cats(&down), in_cats(&up)),
            if score >= s.baseline {
                Pull::Up
            } else {
                Pull::Down
            },
            decisive.clone(),
        ),
        (true, true) => {
            let categories = crate::score::eval::categories_present(items);
            let count = match categories.len() {
                1 => format!("its evidence from {}", categories[0].as_str()),
                n => format!("{n} categories of evidence"),
            };
            (
                format!("Unmoved from the starting {} on {count}", s.baseline),
                if score >= 3 { Pull::Up } else { Pull::Down },
                Vec::new(),
            )
        }
    };
    // The telling item among the evidence the decisive rules read, or any of the
    // statement's when none decided it.
    let read: Vec<&Item> = if from.is_empty() {
        items.to_vec()
    } else {
        items
            .iter()
            .copied()
            .filter(|item| from.iter().any(|j| j.evidence.contains(&item.id)))
            .collect()
    };
    let Some(item) = telling_item(&read, pack, way) else {
        return format!("{lead}.");
    };
    let gist = gist(item, pack);
    let among = match (from.is_empty(), way) {
        (false, _) => ", among them",
        (true, Pull::Up) => "; strengths include",
        (true, Pull::Down) => "; shortfalls include",
    };
    format!("{lead}{among} {gist}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_is_cut_at_its_end_or_at_a_word() {
        assert_eq!(
            first_clause("Reviews were late; the council knew. More."),
            "Reviews were late"
        );
        assert_eq!(first_clause("One sentence. Two."), "One sentence");
        let long = "word ".repeat(40);
        let cut = first_clause(&long);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= GIST_CHARACTERS, "{cut}");
    }

    #[test]
    fn lists_read_as_english() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&words(&["a"])), "a");
        assert_eq!(and_list(&words(&["a", "b"])), "a and b");
        assert_eq!(and_list(&words(&["a", "b", "c"])), "a, b and c");
    }
}
