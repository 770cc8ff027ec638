//! Falsification: random small packs in the new finding forms (strength, `evidence`,
//! balances, spreads), and every claim that something can never happen (A201, A204, A203)
//! tried against every small evidence profile with the real evaluator. A claim the
//! evaluator refutes is a soundness bug.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rust_decimal::Decimal;

use super::*;
use crate::evidence::{Finding as EvidenceFinding, Item, ItemContent, MetricValue};
use crate::lang::ast::{Category, Sentiment, Strength};
use crate::score::eval::{StatementEvidence, rule_fires};
use crate::source::diagnostic::SourceFile;

const CATEGORIES: [Category; 2] = [Category::PeoplesExperience, Category::Processes];

fn test_text(rng: &mut fastrand::Rng) -> String {
    let sentiment = ["positive", "negative", "mixed"][rng.usize(0..3)];
    let other = if sentiment == "positive" {
        "negative"
    } else {
        "positive"
    };
    let noun = ["findings", "evidence"][rng.usize(0..2)];
    let strong = if rng.bool() { "strong " } else { "" };
    let from = match rng.usize(0..4) {
        0 => " from people's experience",
        1 => " from processes",
        _ => "",
    };
    let tagged = if rng.usize(0..4) == 0 {
        " tagged \"safety\""
    } else {
        ""
    };
    match rng.usize(0..8) {
        0 => format!("any {strong}{sentiment} {noun}{from}{tagged}"),
        1 => format!("no {strong}{sentiment} {noun}{from}{tagged}"),
        2 => format!(
            "at least {} {strong}{sentiment} {noun}{from}{tagged}",
            rng.u32(1..3)
        ),
        3 => format!("most {strong}{sentiment} {noun}{from}{tagged}"),
        4 if sentiment != "mixed" => format!("more {sentiment} than {other} {noun}{from}{tagged}"),
        5 if sentiment != "mixed" => {
            format!("at least as much {sentiment} as {other} {noun}{from}{tagged}")
        }
        6 => format!(
            "{strong}{sentiment} {noun} from at least {} categories{tagged}",
            rng.u32(1..3)
        ),
        _ => format!(
            "no evidence from{}",
            if from.is_empty() { " processes" } else { from }
        ),
    }
}

fn condition(rng: &mut fastrand::Rng) -> String {
    let mut text = test_text(rng);
    for _ in 0..rng.usize(0..3) {
        let joiner = if rng.bool() { " and " } else { " or " };
        let not = if rng.usize(0..3) == 0 { "not " } else { "" };
        text = format!("{text}{joiner}{not}{}", test_text(rng));
    }
    text
}

fn rule(rng: &mut fastrand::Rng) -> String {
    let effect = [
        "raises score",
        "lowers score",
        "caps score at 2",
        "lifts score to at least 3",
    ][rng.usize(0..4)];
    let unless = if rng.usize(0..3) == 0 {
        format!(" unless {}", test_text(rng))
    } else {
        String::new()
    };
    format!("{} {effect}{unless}", condition(rng))
}

/// Every profile of up to `size` items over a few kinds of item.
fn profiles(pack: &Pack, size: usize) -> Vec<Vec<Item>> {
    let mut kinds: Vec<Item> = Vec::new();
    let mut metric = 0;
    for category in CATEGORIES {
        for sentiment in [Sentiment::Positive, Sentiment::Negative, Sentiment::Mixed] {
            for strength in [Strength::Normal, Strength::Strong] {
                for tags in [vec![], vec!["safety".to_string()]] {
                    kinds.push(Item::supposed(
                        format!("k{}", kinds.len()),
                        "assessing-needs",
                        category,
                        ItemContent::Finding(EvidenceFinding {
                            text: "x".to_string(),
                            sentiment,
                            strength,
                            tags,
                        }),
                    ));
                }
            }
        }
        // Judged metric items: better than, at, and worse than a target of 50%; then with a
        // margin of error that reads 80% as in line (margin 40) and 52% as better (margin 1),
        // where the tolerance would judge them the other way.
        for (value, margin) in [
            (80, None),
            (50, None),
            (20, None),
            (80, Some(40)),
            (52, Some(1)),
        ] {
            let id = Some(metric);
            let name = pack.catalogue.metrics()[metric].name.clone();
            metric += 1;
            kinds.push(Item::supposed(
                format!("k{}", kinds.len()),
                "assessing-needs",
                category,
                ItemContent::Metric(MetricValue {
                    target: Some(Decimal::from(50)),
                    margin: margin.map(Decimal::from),
                    ..MetricValue::bare(name, id, Decimal::from(value))
                }),
            ));
        }
    }
    let mut out = vec![Vec::new()];
    let mut frontier: Vec<(usize, Vec<Item>)> = vec![(0, Vec::new())];
    for _ in 0..size {
        let mut next = Vec::new();
        for (start, items) in &frontier {
            for (index, kind) in kinds.iter().enumerate().skip(*start) {
                // A metric item once: rules read the first of each metric.
                if kind.metric().is_some() && items.iter().any(|i: &Item| i.id == kind.id) {
                    continue;
                }
                let mut grown = items.clone();
                grown.push(kind.clone());
                next.push((index, grown));
            }
        }
        out.extend(next.iter().map(|(_, items)| items.clone()));
        frontier = next;
    }
    out
}

#[test]
fn impossibility_claims_survive_every_small_profile() {
    let mut rng = fastrand::Rng::with_seed(17);
    let framework = crate::builtin_framework().unwrap();
    let catalogue = crate::builtin_catalogue().unwrap();
    let mut claims = 0;
    for case in 0..200 {
        let method = if case % 2 == 0 {
            "statement"
        } else {
            "categories"
        };
        let rules = [rule(&mut rng), rule(&mut rng)];
        let mut text = format!(
            "pack: t\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nmethod: {method}\nrules:\n"
        );
        for (index, rule) in rules.iter().enumerate() {
            text.push_str(&format!(
                "  - id: r{index}\n    rule: {rule}\n    why: w\n    cites: c\n"
            ));
        }
        let Ok(pack) = Pack::load(
            &[SourceFile::new("t.yaml", text)],
            framework.clone(),
            catalogue.clone(),
        ) else {
            continue;
        };
        let statement = &pack.statements[0];
        let spares = crate::logic::theory::Spares::new(&pack);
        let findings: Vec<Finding> = super::satisfiability::analyse(&pack, &spares)
            .into_iter()
            .filter(|f| {
                matches!(
                    f.code,
                    codes::UNSATISFIABLE | codes::DEAD | codes::REDUNDANT
                )
            })
            .filter(|f| {
                !f.message.contains("no score is") && !f.message.contains("past the baseline")
            })
            .collect();
        if findings.is_empty() {
            continue;
        }
        let fires = |rule: &crate::pack::PackRule, items: &[Item]| {
            let per_category = super::satisfiability::per_category(statement, rule);
            let views: Vec<Vec<&Item>> = if per_category {
                CATEGORIES
                    .iter()
                    .map(|c| items.iter().filter(|i| i.category == *c).collect())
                    .filter(|v: &Vec<&Item>| !v.is_empty())
                    .collect()
            } else {
                vec![items.iter().collect()]
            };
            views
                .into_iter()
                .map(|items| rule_fires(rule, &StatementEvidence { items }, &pack))
                .collect::<Vec<bool>>()
        };
        for profile in profiles(&pack, 3) {
            for finding in &findings {
                claims += 1;
                let rule = |id: &str| statement.rules.iter().find(|r| r.id == id).unwrap();
                let primary = finding.message.split('`').nth(1).unwrap();
                match finding.code {
                    // Whether a condition alone can hold is not something the evaluator
                    // answers; a rule without `unless` fires exactly when it holds.
                    codes::UNSATISFIABLE if rule(primary).ast.unless.is_none() => {
                        let fired = fires(rule(primary), &profile);
                        assert!(
                            !fired.contains(&true),
                            "{}\n{:?}\n{profile:#?}",
                            finding.message,
                            rules
                        );
                    }
                    codes::DEAD => {
                        let fired = fires(rule(primary), &profile);
                        assert!(
                            !fired.contains(&true),
                            "{}\n{:?}\n{profile:#?}",
                            finding.message,
                            rules
                        );
                    }
                    codes::REDUNDANT => {
                        let wide = finding.message.split('`').nth(3).unwrap();
                        let narrow = fires(rule(primary), &profile);
                        let wide = fires(rule(wide), &profile);
                        for (n, w) in narrow.iter().zip(&wide) {
                            assert!(!n || *w, "{}\n{:?}\n{profile:#?}", finding.message, rules);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(claims > 0, "no claims were tried");
}
