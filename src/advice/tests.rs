//! What would move a score, near misses and gaps, on small packs whose answers can be
//! worked out by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::score::confidence::CQC_CATEGORIES;
use crate::source::diagnostic::SourceFile;

const STATEMENT: &str = "assessing-needs";

/// A pack scoring the statement with `rules`; `header` goes in the pack document and
/// `method` in the statement's.
fn pack_with(header: &str, method: &str, rules: &[&str]) -> Pack {
    let mut text = format!(
        "pack: t\nversion: 0.1.0\nframework: cqc-local-authority-2024\n{header}---\nstatement: {STATEMENT}\n{method}rules:\n"
    );
    for (index, rule) in rules.iter().enumerate() {
        text.push_str(&format!("  - id: r{}\n    rule: {rule}\n", index + 1));
    }
    Pack::load(
        &[SourceFile::new("pack.yaml", text)],
        crate::builtin_framework().unwrap(),
        crate::builtin_catalogue().unwrap(),
    )
    .unwrap_or_else(|problems| panic!("{problems:?}"))
}

/// Evidence for the statement: each entry is the body of one item (after its id).
fn evidence(pack: &Pack, items: &[&str]) -> Evidence {
    let mut text = String::from("authority: Testshire\nitems:\n");
    for (index, item) in items.iter().enumerate() {
        text.push_str(&format!(
            "  - id: e{}\n    statement: {STATEMENT}\n{}\n",
            index + 1,
            item.lines()
                .map(|line| format!("    {line}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    if items.is_empty() {
        text = String::from("authority: Testshire\nitems: []\n");
    }
    let file = SourceFile::new("evidence.yaml", text);
    Evidence::load(&file, &pack.framework, &pack.catalogue)
        .unwrap_or_else(|failure| panic!("{}", failure.render()))
}

/// Advice under `method: statement` (rules adjust one score).
fn advice(rules: &[&str], items: &[&str]) -> StatementAdvice {
    let pack = pack_with("", "", rules);
    advise_statement(&evidence(&pack, items), &pack, STATEMENT)
}

/// Advice under `method: categories`, with people's experience counting twice when
/// `weighted`.
fn by_categories(weighted: bool, rules: &[&str], items: &[&str]) -> StatementAdvice {
    let header = if weighted {
        "weights:\n  people's experience: 2\n"
    } else {
        ""
    };
    let pack = pack_with(header, "method: categories\n", rules);
    advise_statement(&evidence(&pack, items), &pack, STATEMENT)
}

fn sets(sets: &[ChangeSet]) -> Vec<String> {
    sets.iter()
        .map(|set| {
            let changes: Vec<String> = set.changes.iter().map(ToString::to_string).collect();
            format!("{}: {}", set.score, changes.join(" and "))
        })
        .collect()
}

/// Each gap as `wanted: before → after (gain), lowest..highest`.
fn gaps(advice: &StatementAdvice) -> Vec<String> {
    let level = |l: Option<ConfidenceLevel>| l.map_or("none", ConfidenceLevel::as_str);
    advice
        .gaps
        .iter()
        .map(|g| {
            format!(
                "{}: {} → {} ({:+}), {}..{}",
                g.wanted,
                level(g.confidence_before),
                level(g.confidence_after),
                g.gain,
                g.lowest.map_or("-".to_string(), |s| s.to_string()),
                g.highest.map_or("-".to_string(), |s| s.to_string()),
            )
        })
        .collect()
}

/// No change offered in either direction goes the wrong way.
fn assert_honest(advice: &StatementAdvice) {
    for set in &advice.raise {
        assert!(
            set.changes.iter().all(|c| honest(c, Toward::Raise)),
            "{set:?}"
        );
    }
    for set in &advice.drop {
        assert!(
            set.changes.iter().all(|c| honest(c, Toward::Lower)),
            "{set:?}"
        );
    }
}

const SUPPORTED_LIVING_63: &str = "category: processes\nmetric: supported living sourced within timescale\nvalue: 63%\ntarget: 75%";
const BALANCE: &str = "at least as much negative as positive evidence lowers score";
const NEGATIVE: &str = "finding: Waits are long.\nsentiment: negative";
const POSITIVE: &str = "finding: Staff listen.\nsentiment: positive";

fn finding(category: &str, body: &str) -> String {
    format!("category: {category}\n{body}")
}

#[test]
fn raising_a_value_to_its_target() {
    let advice = advice(
        &["supported living sourced within timescale below target lowers score"],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(advice.score, Some(2));
    assert_eq!(
        sets(&advice.raise),
        ["3: supported living sourced within timescale: 63% → 75% (target)"]
    );
    assert!(advice.drop.is_empty(), "{:?}", advice.drop);
}

#[test]
fn a_strict_threshold_is_reached_just_past_it() {
    let advice = advice(
        &["supported living sourced within timescale above target raises score"],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(
        sets(&advice.raise),
        ["4: supported living sourced within timescale: 63% → above 75% (target)"]
    );
}

#[test]
fn the_margin_of_safety_and_a_near_miss() {
    // England 72%, tolerance 5 points: worse than England means below 67%.
    let advice = advice(
        &["choice over services worse than england average lowers score"],
        &["category: outcomes\nmetric: choice over services\nvalue: 70%\nengland_average: 72%"],
    );
    assert_eq!(advice.score, Some(3));
    assert_eq!(
        sets(&advice.drop),
        ["2: choice over services: 70% → below 67% (5 points below England average)"]
    );
    assert_eq!(advice.near_misses.len(), 1);
    let miss = &advice.near_misses[0];
    assert_eq!(miss.rule, "r1");
    assert_eq!(miss.category, None);
    assert_eq!(miss.margin, "more than 3 points");
}

#[test]
fn a_rule_beyond_the_tolerance_is_not_a_near_miss() {
    let advice = advice(
        &["choice over services worse than england average lowers score"],
        &["category: outcomes\nmetric: choice over services\nvalue: 80%\nengland_average: 72%"],
    );
    assert!(advice.near_misses.is_empty(), "{:?}", advice.near_misses);
    assert_eq!(advice.drop.len(), 1);
}

#[test]
fn two_changes_when_no_single_one_is_enough() {
    let advice = advice(
        &[
            "supported living sourced within timescale at or above target and domiciliary care sourced within timescale at or above target raises score",
        ],
        &[
            SUPPORTED_LIVING_63,
            "category: processes\nmetric: domiciliary care sourced within timescale\nvalue: 80%\ntarget: 85%",
        ],
    );
    assert_eq!(
        sets(&advice.raise),
        [
            "4: supported living sourced within timescale: 63% → 75% (target) and domiciliary care sourced within timescale: 80% → 85% (target)"
        ]
    );
}

#[test]
fn counts_move_in_whole_numbers() {
    let advice = advice(
        &["people waiting for a care act assessment above 100 lowers score"],
        &["category: processes\nmetric: people waiting for a care act assessment\nvalue: 90"],
    );
    assert_eq!(
        sets(&advice.drop),
        ["2: people waiting for a care act assessment: 90 → 101"]
    );
}

#[test]
fn one_more_finding_is_a_near_miss() {
    let advice = advice(
        &["at least 2 negative findings from feedback from partners lowers score"],
        &["category: feedback from partners\nfinding: Referrals are slow.\nsentiment: negative"],
    );
    assert_eq!(
        sets(&advice.drop),
        ["2: one more negative finding from feedback from partners"]
    );
    assert_eq!(advice.drop[0].changes[0].from, "1");
    assert_eq!(advice.drop[0].changes[0].to, "2");
    assert_eq!(advice.near_misses.len(), 1);
    assert_eq!(advice.near_misses[0].margin, "1 more finding");
}

#[test]
fn nothing_is_offered_past_the_top_of_a_percentage() {
    // Above 100% is impossible, so reaching the rule's threshold is the only way up.
    let reachable = advice(
        &["supported living sourced within timescale at or above 100% raises score"],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(
        sets(&reachable.raise),
        ["4: supported living sourced within timescale: 63% → 100% (25 points above target)"]
    );
    let unreachable = advice(
        &["supported living sourced within timescale above 100% raises score"],
        &[SUPPORTED_LIVING_63],
    );
    assert!(unreachable.raise.is_empty(), "{:?}", unreachable.raise);
}

// Scoring by categories.

#[test]
fn a_balance_moves_with_findings_in_any_category() {
    // People's experience 2 (counted twice), processes 3: 7 of 12 is 59%, band 2. One more
    // positive finding in people's experience only balances it (still 2); two tip it to
    // 3 (9 of 12, 75%). A new category at 3 gives 10 of 16, 63%: band 3. Categories score
    // 2 or 3 here, so 1 cannot be reached.
    let people = finding("people's experience", NEGATIVE);
    let processes = finding("processes", POSITIVE);
    let advice = by_categories(true, &[BALANCE], &[&people, &processes]);
    assert_eq!(advice.score, Some(2));
    assert_eq!(
        sets(&advice.raise),
        [
            "3: one more positive finding from feedback from staff and leaders",
            "3: one more positive finding from feedback from partners",
            "3: two more positive findings from people's experience",
        ]
    );
    assert!(advice.drop.is_empty(), "{:?}", advice.drop);
    // The balance does not fire on processes: one negative finding there would fire it.
    assert_eq!(advice.near_misses.len(), 1, "{:?}", advice.near_misses);
    let miss = &advice.near_misses[0];
    assert_eq!(miss.category, Some(Category::Processes));
    assert_eq!(
        miss.change.to_string(),
        "one more negative finding from processes"
    );
}

#[test]
fn a_measure_moves_by_crossing_its_reference_and_tolerance() {
    // Processes hold one measure, 12 points below target: negative, so the balance fires
    // and processes score 2, the statement 2 (50%). At 70% it is within the 5-point
    // tolerance: in line, no shortfall, processes 3. A positive finding in another
    // category gives (2 + 3) of 8, 63%: 3.
    let advice = by_categories(false, &[BALANCE], &[SUPPORTED_LIVING_63]);
    assert_eq!(advice.score, Some(2));
    assert_eq!(
        sets(&advice.raise),
        [
            "3: one more positive finding from people's experience",
            "3: one more positive finding from feedback from staff and leaders",
            "3: one more positive finding from feedback from partners",
            "3: supported living sourced within timescale: 63% → 70% (within 5 points of target)",
            "3: two more positive findings from processes",
        ]
    );
    assert!(advice.drop.is_empty(), "{:?}", advice.drop);
}

#[test]
fn a_measure_moving_out_of_line_is_the_margin_of_safety() {
    // 72% against a 75% target is in line; below 70% it is a shortfall: processes 2.
    let advice = by_categories(
        false,
        &[BALANCE],
        &[
            "category: processes\nmetric: supported living sourced within timescale\nvalue: 72%\ntarget: 75%",
        ],
    );
    assert_eq!(advice.score, Some(3));
    assert!(
        sets(&advice.drop).contains(
            &"2: supported living sourced within timescale: 72% → below 70% (more than 5 points below target)"
                .to_string()
        ),
        "{:?}",
        sets(&advice.drop)
    );
    assert_honest(&advice);
}

#[test]
fn strong_findings_in_two_categories_lift_to_4() {
    let lift = "strong positive findings from at least 2 categories and no negative evidence lifts score to at least 4";
    let people = finding(
        "people's experience",
        "finding: Exceptional support.\nsentiment: positive\nstrength: strong",
    );
    let processes = finding("processes", POSITIVE);
    let advice = by_categories(false, &[BALANCE, lift], &[&people, &processes]);
    assert_eq!(advice.score, Some(3));
    assert_eq!(
        sets(&advice.raise),
        [
            "4: one more strong positive finding from feedback from staff and leaders",
            "4: one more strong positive finding from feedback from partners",
            "4: one more strong positive finding from processes",
        ]
    );
}

#[test]
fn the_mildest_change_that_does_it_is_the_one_shown() {
    // A negative finding in people's experience lowers it; so would a strong one, which is
    // not worth saying as well.
    let lift = "strong positive findings from at least 2 categories lifts score to at least 4";
    let people = finding("people's experience", POSITIVE);
    let advice = by_categories(false, &[BALANCE, lift], &[&people]);
    assert_eq!(advice.score, Some(3));
    assert_eq!(
        sets(&advice.drop),
        ["2: one more negative finding from people's experience"]
    );
}

// Honest advice: a pack that scores backwards gets no advice that follows it.

#[test]
fn a_cap_on_absence_is_not_lifted_by_a_shortfall() {
    // Without processes evidence the score is capped at 2. Any finding from processes
    // lifts the cap, a negative one too (processes 2: 8 of 12, 67%, 3), but only the
    // positive one may be offered.
    let cap = "no evidence from processes caps score at 2";
    let people = finding("people's experience", POSITIVE);
    let advice = by_categories(true, &[BALANCE, cap], &[&people]);
    assert_eq!(advice.score, Some(2));
    assert_eq!(
        sets(&advice.raise),
        ["3: one more positive finding from processes"]
    );
    assert_honest(&advice);
    // The gap says what a strength there would do, and nothing of a shortfall raising it.
    let processes = advice
        .gaps
        .iter()
        .find(|g| g.category == Some(Category::Processes))
        .unwrap();
    assert_eq!((processes.lowest, processes.highest), (Some(2), Some(3)));
}

#[test]
fn a_rule_that_rewards_shortfalls_gets_no_advice() {
    let people = finding("people's experience", POSITIVE);
    let advice = advice(&["any negative finding raises score"], &[&people]);
    assert_eq!(advice.score, Some(3));
    assert!(advice.raise.is_empty(), "{:?}", advice.raise);
    assert!(advice.drop.is_empty(), "{:?}", advice.drop);
    assert!(advice.near_misses.is_empty(), "{:?}", advice.near_misses);
}

#[test]
fn a_measure_is_never_worsened_to_raise_a_score() {
    // In line with England raises: from above the band, moving into it is worse.
    let rule = "choice over services in line with england average raises score";
    let above = advice(
        &[rule],
        &["category: outcomes\nmetric: choice over services\nvalue: 90%\nengland_average: 72%"],
    );
    assert_eq!(above.score, Some(3));
    assert!(above.raise.is_empty(), "{:?}", above.raise);
    assert!(above.near_misses.is_empty(), "{:?}", above.near_misses);
    // From below it, moving into it is better.
    let below = advice(
        &[rule],
        &["category: outcomes\nmetric: choice over services\nvalue: 60%\nengland_average: 72%"],
    );
    assert_eq!(
        sets(&below.raise),
        ["4: choice over services: 60% → 67% (5 points below England average)"]
    );
    // And from inside it, leaving it is the margin of safety either way: lowering offers
    // only the worse way.
    let inside = advice(
        &[rule],
        &["category: outcomes\nmetric: choice over services\nvalue: 72%\nengland_average: 72%"],
    );
    assert_eq!(
        sets(&inside.drop),
        ["3: choice over services: 72% → below 67% (5 points below England average)"]
    );
}

// Gaps.

#[test]
fn missing_categories_are_ranked_by_confidence_gained() {
    // Two items in two categories is thin: low. A third, in a new category, is not thin:
    // medium. A strength there raises the score to 3, as the moves say.
    let people = finding("people's experience", NEGATIVE);
    let processes = finding("processes", POSITIVE);
    let advice = by_categories(true, &[BALANCE], &[&people, &processes]);
    assert_eq!(
        gaps(&advice),
        [
            "evidence from feedback from staff and leaders: low → medium (+1), 2..3",
            "evidence from feedback from partners: low → medium (+1), 2..3",
        ]
    );
    assert!(
        advice
            .gaps
            .iter()
            .all(|g| g.supposed == Supposed::Shortfall)
    );
}

#[test]
fn a_statement_without_evidence_says_what_would_let_it_be_scored() {
    let advice = by_categories(true, &[BALANCE], &[]);
    assert_eq!(advice.score, None);
    assert_eq!(
        gaps(&advice),
        [
            // Counted twice, people's experience comes first.
            "evidence from people's experience: none → low (+1), 2..3",
            "evidence from feedback from staff and leaders: none → low (+1), 2..3",
            "evidence from feedback from partners: none → low (+1), 2..3",
            "evidence from processes: none → low (+1), 2..3",
        ]
    );
    assert!(advice.gaps.iter().all(|g| g.supposed == Supposed::Either));
}

#[test]
fn a_measure_without_a_reference_cannot_count() {
    // The only evidence is a measure with no target: nothing can be judged, so the
    // statement is not scored. A target would let it count: 3 if it is met within the
    // tolerance or beaten, 2 if it is missed.
    let advice = by_categories(
        false,
        &[BALANCE],
        &["category: processes\nmetric: supported living sourced within timescale\nvalue: 63%"],
    );
    assert_eq!(advice.score, None);
    let reference = advice
        .gaps
        .iter()
        .find(|g| g.kind == GapKind::Reference)
        .unwrap();
    assert_eq!(
        reference.wanted,
        "a target for supported living sourced within timescale (it cannot count without one)"
    );
    assert_eq!(reference.category, Some(Category::Processes));
    assert_eq!((reference.lowest, reference.highest), (Some(2), Some(3)));
    assert_eq!(reference.confidence_after, Some(ConfidenceLevel::Low));
    // Three missing categories, then the reference: all let it be scored, and categories
    // come first.
    let kinds: Vec<GapKind> = advice.gaps.iter().map(|g| g.kind).collect();
    assert_eq!(
        kinds,
        [
            GapKind::Category,
            GapKind::Category,
            GapKind::Category,
            GapKind::Reference
        ]
    );
}

#[test]
fn a_missing_metric_is_a_gap_with_its_reach() {
    let advice = advice(
        &[
            "choice over services worse than england average lowers score",
            "choice over services better than england average raises score",
        ],
        &[SUPPORTED_LIVING_63],
    );
    assert_eq!(advice.score, Some(3));
    assert_eq!(advice.gaps.len(), 1, "{:?}", advice.gaps);
    let gap = &advice.gaps[0];
    assert_eq!(gap.kind, GapKind::Metric);
    assert_eq!(gap.wanted, "choice over services");
    assert_eq!(gap.category, Some(Category::PeoplesExperience));
    assert_eq!((gap.lowest, gap.highest), (Some(2), Some(4)));
    assert_eq!(gap.supposed, Supposed::SameScore);
    assert_eq!(gap.rules, ["r1", "r2"]);
}

#[test]
fn a_missing_reference_is_a_gap() {
    let advice = advice(
        &["choice over services better than england average raises score"],
        &["category: outcomes\nmetric: choice over services\nvalue: 70%"],
    );
    let gap = &advice.gaps[0];
    assert_eq!(gap.kind, GapKind::Reference);
    assert_eq!(gap.wanted, "the England average for choice over services");
    assert_eq!((gap.lowest, gap.highest), (Some(3), Some(4)));
}

#[test]
fn gaps_of_equal_gain_and_weight_follow_the_categories_order() {
    let advice = advice(
        &[
            "choice over services worse than england average lowers score",
            "supported living sourced within timescale below 50% lowers score by 2",
        ],
        &["category: processes\nfinding: Forms are clear.\nsentiment: positive"],
    );
    let wanted: Vec<&str> = advice.gaps.iter().map(|g| g.wanted.as_str()).collect();
    // Choice over services is filed under people's experience, which comes first.
    assert_eq!(
        wanted,
        [
            "choice over services",
            "supported living sourced within timescale"
        ]
    );
}

#[test]
fn a_finding_change_reads_in_words() {
    let change = Change {
        kind: ChangeKind::Findings,
        item: None,
        subject: "strong negative finding from processes tagged \"finding\"".to_string(),
        from: "0".to_string(),
        to: "3".to_string(),
        added: Some(3),
        finding: None,
        note: None,
        direction: Direction::Worse,
    };
    assert_eq!(
        change.to_string(),
        "three more strong negative findings from processes tagged \"finding\""
    );
    assert!(honest(&change, Toward::Lower));
    assert!(!honest(&change, Toward::Raise));
}

#[test]
fn every_single_finding_that_moves_it_is_shown() {
    // One positive finding, and five measures in line at the edge of the tolerance. A
    // negative finding anywhere, or any measure falling out of line, balances it (2); a
    // mixed finding lowers it by 2 (1). That is thirteen single changes; the four mixed
    // findings come last, past the eight shown, and are shown all the same.
    let people = finding("people's experience", POSITIVE);
    let measures: Vec<String> = [
        "supported living sourced within timescale",
        "domiciliary care sourced within timescale",
        "residential care sourced within timescale",
        "nursing care sourced within timescale",
        "safeguarding enquiries concluded within timescale",
    ]
    .iter()
    .map(|name| format!("category: processes\nmetric: {name}\nvalue: 70%\ntarget: 75%"))
    .collect();
    let mut items: Vec<&str> = vec![&people];
    items.extend(measures.iter().map(String::as_str));
    let advice = advice(&[BALANCE, "any mixed finding lowers score by 2"], &items);
    assert_eq!(advice.score, Some(3));
    let drops = sets(&advice.drop);
    assert_eq!(drops.len(), 12, "{drops:?}");
    for category in CQC_CATEGORIES {
        let mixed = format!("1: one more mixed finding from {}", category.as_str());
        assert!(drops.contains(&mixed), "{mixed} missing from {drops:?}");
    }
    assert_honest(&advice);
}
