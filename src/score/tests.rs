//! Unit tests of the scoring arithmetic and the roll-up.

use crate::lang::ast::EffectKind::{self, *};
use crate::score::rollup::{percent_rounded_up, position_in_band};
use crate::{builtin_framework, combine};

fn overall(scores: &[u32]) -> (u32, String) {
    let framework = builtin_framework().expect("framework loads");
    let total: u32 = scores.iter().sum();
    let percent = percent_rounded_up(total, scores.len() as u32).expect("some statements");
    let rating = framework
        .band_for(percent)
        .expect("a band")
        .1
        .rating
        .clone();
    (percent, rating)
}

#[test]
fn nine_threes_are_75_percent_good() {
    assert_eq!(overall(&[3; 9]), (75, "Good".to_string()));
}

#[test]
fn three_threes_and_six_twos_are_59_percent_requires_improvement() {
    assert_eq!(
        overall(&[3, 3, 3, 2, 2, 2, 2, 2, 2]),
        (59, "Requires improvement".to_string())
    );
}

#[test]
fn five_fours_and_four_threes_are_89_percent_outstanding() {
    assert_eq!(
        overall(&[4, 4, 4, 4, 4, 3, 3, 3, 3]),
        (89, "Outstanding".to_string())
    );
}

#[test]
fn twenty_two_of_thirty_six_rounds_up_to_62() {
    assert_eq!(percent_rounded_up(22, 9), Some(62));
    assert_eq!(percent_rounded_up(21, 9), Some(59));
    assert_eq!(percent_rounded_up(32, 9), Some(89));
}

#[test]
fn band_edges() {
    let framework = builtin_framework().expect("framework loads");
    let rating = |p: u32| framework.band_for(p).expect("a band").1.rating.clone();
    assert_eq!(rating(25), "Inadequate");
    assert_eq!(rating(38), "Inadequate");
    assert_eq!(rating(39), "Requires improvement");
    assert_eq!(rating(62), "Requires improvement");
    assert_eq!(rating(63), "Good");
    assert_eq!(rating(87), "Good");
    assert_eq!(rating(88), "Outstanding");
    assert_eq!(rating(100), "Outstanding");
}

#[test]
fn position_in_band_reads_naturally() {
    let framework = builtin_framework().expect("framework loads");
    assert_eq!(
        position_in_band(&framework, 86).as_deref(),
        Some("upper Good, nearing Outstanding")
    );
    assert_eq!(
        position_in_band(&framework, 75).as_deref(),
        Some("middle Good")
    );
    assert_eq!(
        position_in_band(&framework, 63).as_deref(),
        Some("lower Good, just above Requires improvement")
    );
    assert_eq!(
        position_in_band(&framework, 100).as_deref(),
        Some("upper Outstanding")
    );
}

fn score(baseline: u8, effects: &[EffectKind]) -> u8 {
    combine(baseline, effects).0
}

#[test]
fn adjustments_sum_then_caps_then_floors_then_clamp() {
    assert_eq!(score(3, &[]), 3);
    assert_eq!(score(3, &[Raise(1), Lower(2)]), 2);
    assert_eq!(score(3, &[Raise(1), CapAt(3)]), 3);
    assert_eq!(score(3, &[Lower(2), LiftTo(2)]), 2);
    assert_eq!(score(3, &[CapAt(3), CapAt(2)]), 2, "the lowest cap applies");
    assert_eq!(
        score(1, &[LiftTo(2), LiftTo(3)]),
        3,
        "the highest floor applies"
    );
    assert_eq!(score(3, &[Lower(3), Lower(3)]), 1, "clamped to 1");
    assert_eq!(score(3, &[Raise(3)]), 4, "clamped to 4");
    assert_eq!(score(3, &[NoEffect]), 3);
}

#[test]
fn a_cap_below_a_floor_wins_and_says_so() {
    let (score, arithmetic) = combine(3, &[CapAt(2), LiftTo(3)]);
    assert_eq!(score, 2);
    assert_eq!(
        arithmetic.collision.as_deref(),
        Some("the cap at 2 overrides the lift to at least 3")
    );
}
