//! The differential test: on every profile, every peer gives the same score and the same
//! fired rules as ours, statement by statement. Then the checks that make that mean
//! something: the profiles make every rule both fire and stay silent and give every score
//! from 1 to 4, and a peer built from a pack with one rule changed is caught.

use std::collections::{BTreeMap, BTreeSet};

use assure_peers::cel::Cel;
use assure_peers::micropack::{Condition, MicroPack, Op};
use assure_peers::ours::Ours;
use assure_peers::rego::{Rego, RegoVm};
use assure_peers::zen::Zen;
use assure_peers::{Corpus, SEED, Scores, differences};

fn corpus() -> Corpus {
    Corpus::new(SEED).unwrap_or_else(|e| panic!("the corpus builds: {e}"))
}

/// Ours on every profile.
fn ours(corpus: &Corpus) -> Vec<Scores> {
    let ours = Ours::new(&corpus.micro).unwrap_or_else(|e| panic!("our pack loads: {e}"));
    corpus
        .evidence
        .iter()
        .map(|file| {
            let evidence = ours
                .prepare(file)
                .unwrap_or_else(|e| panic!("a profile loads: {e}"));
            assert!(
                evidence.warnings.is_empty(),
                "{}: {:?}",
                file.name,
                evidence.warnings
            );
            ours.score(&evidence)
                .unwrap_or_else(|e| panic!("{}: {e}", file.name))
        })
        .collect()
}

/// Every engine on every profile, by engine name.
fn peers(micro: &MicroPack, corpus: &Corpus) -> BTreeMap<&'static str, Vec<Scores>> {
    let zen = Zen::new(micro).unwrap_or_else(|e| panic!("{e}"));
    let cel = Cel::new(micro).unwrap_or_else(|e| panic!("{e}"));
    let mut rego = Rego::new(micro).unwrap_or_else(|e| panic!("{e}"));
    let mut rego_vm = RegoVm::new(micro).unwrap_or_else(|e| panic!("{e}"));
    let mut results: BTreeMap<&'static str, Vec<Scores>> = BTreeMap::new();
    for json in &corpus.json {
        let run = |r: Result<Scores, String>| r.unwrap_or_else(|e| panic!("{e}"));
        results
            .entry("zen-engine")
            .or_default()
            .push(run(zen.score(Zen::prepare(json))));
        let input = cel.prepare(json).unwrap_or_else(|e| panic!("{e}"));
        results
            .entry("cel")
            .or_default()
            .push(run(cel.score(&input)));
        let value = Rego::prepare(json);
        results
            .entry("regorus")
            .or_default()
            .push(run(rego.score(&value)));
        results
            .entry("regorus (rvm)")
            .or_default()
            .push(run(rego_vm.score(&value)));
    }
    results
}

/// Every disagreement with ours, as `engine, profile: difference`.
fn disagreements(
    corpus: &Corpus,
    ours: &[Scores],
    peers: &BTreeMap<&'static str, Vec<Scores>>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for (engine, results) in peers {
        assert_eq!(results.len(), ours.len(), "{engine} scored every profile");
        for ((profile, expected), actual) in corpus.profiles.iter().zip(ours).zip(results) {
            for line in differences(expected, actual) {
                lines.push(format!("{engine}, {}: {line}", profile.authority));
            }
        }
    }
    lines
}

#[test]
fn every_peer_agrees_with_ours_on_every_profile() {
    let corpus = corpus();
    let ours = ours(&corpus);
    let peers = peers(&corpus.micro, &corpus);
    assert_eq!(peers.len(), 4);
    let lines = disagreements(&corpus, &ours, &peers);
    assert!(
        lines.is_empty(),
        "{} disagreements:\n{}",
        lines.len(),
        lines.join("\n")
    );
}

#[test]
fn our_evidence_as_json_scores_as_the_yaml_does() {
    let corpus = corpus();
    let expected = ours(&corpus);
    let ours = Ours::new(&corpus.micro).unwrap_or_else(|e| panic!("{e}"));
    for (profile, expected) in corpus.profiles.iter().zip(&expected) {
        let file = assure::source::diagnostic::SourceFile::new(
            format!("{}.json", profile.authority),
            profile.evidence_json(&corpus.micro),
        );
        let evidence = ours.prepare(&file).unwrap_or_else(|e| panic!("{e}"));
        let actual = ours.score(&evidence).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&actual, expected, "{}", profile.authority);
    }
}

#[test]
fn the_profiles_exercise_every_rule_and_every_score() {
    let corpus = corpus();
    assert_eq!(corpus.profiles.len(), 153);
    assert_eq!(corpus.micro.statements.len(), 5);
    assert_eq!(corpus.micro.rule_count(), 100);
    let ours = ours(&corpus);
    let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
    let mut scores: BTreeMap<u8, usize> = BTreeMap::new();
    for result in &ours {
        assert_eq!(result.len(), 5, "every statement is scored");
        for statement in result.values() {
            *scores.entry(statement.score).or_default() += 1;
            for rule in &statement.fired {
                *fired.entry(rule.as_str()).or_default() += 1;
            }
        }
    }
    eprintln!("profiles on which each rule fires: {fired:?}");
    for (statement, rule) in corpus.micro.rule_ids() {
        let n = fired.get(rule).copied().unwrap_or(0);
        assert!(n > 0, "{statement} {rule} never fires");
        assert!(n < ours.len(), "{statement} {rule} fires on every profile");
    }
    for score in 1..=4 {
        assert!(
            scores.get(&score).is_some_and(|n| *n > 0),
            "no statement scores {score}: {scores:?}"
        );
    }
    eprintln!("statement scores over all profiles: {scores:?}");
}

#[test]
fn the_profiles_reach_the_edges_of_every_metric_rule() {
    // Some profiles sit exactly on the reference, lack the item, or lack the reference, for
    // every statement: the cases where `below` and `at or below` part, and where a rule
    // cannot be evaluated.
    let corpus = corpus();
    for (s, statement) in corpus.micro.statements.iter().enumerate() {
        let items = corpus
            .profiles
            .iter()
            .flat_map(|p| &p.statements[s].metrics);
        let (mut level, mut missing, mut no_reference) = (0, 0, 0);
        for item in items {
            match item {
                None => missing += 1,
                Some(m) => match m.target.or(m.england_average) {
                    None => no_reference += 1,
                    Some(r) if r == m.value => level += 1,
                    Some(_) => {}
                },
            }
        }
        assert!(
            level > 0 && missing > 0 && no_reference > 0,
            "{}: level {level}, missing {missing}, no reference {no_reference}",
            statement.id
        );
    }
}

/// The micro-pack with the first inclusive threshold made strict (or, failing that, the
/// first strict one made inclusive): a change only profiles level with the reference
/// tell apart.
fn one_boundary_changed(micro: &MicroPack) -> (MicroPack, String) {
    let mut changed = micro.clone();
    for statement in &mut changed.statements {
        for rule in &mut statement.rules {
            if let Condition::Metric { op, .. } = &mut rule.condition {
                *op = match *op {
                    Op::AtOrBelow => Op::Below,
                    Op::AtOrAbove => Op::Above,
                    Op::Below => Op::AtOrBelow,
                    Op::Above => Op::AtOrAbove,
                };
                let id = rule.id.clone();
                return (changed, id);
            }
        }
    }
    panic!("the micro-pack has a metric rule")
}

#[test]
fn a_peer_with_one_rule_changed_is_caught() {
    let corpus = corpus();
    let ours = ours(&corpus);
    let (changed, rule) = one_boundary_changed(&corpus.micro);
    let peers = peers(&changed, &corpus);
    let lines = disagreements(&corpus, &ours, &peers);
    for engine in peers.keys() {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{engine},")) && l.contains(&rule)),
            "changing {rule} went unnoticed in {engine}"
        );
    }
    let engines: BTreeSet<&str> = lines.iter().filter_map(|l| l.split(',').next()).collect();
    assert_eq!(engines.len(), 4, "{lines:?}");
}
