//! `assure` and the engines people would otherwise use, on the same inputs (issue 8,
//! docs/performance.md): one micro-pack ([`micropack`]) written in our language, as a
//! zen-engine JDM decision graph, as CEL programs and as a Rego policy, and 153 seeded
//! council profiles ([`profiles`]) written as our evidence YAML and as JSON for the peers.
//! Each engine scores a profile to the same shape, [`Scores`], so the differential test
//! (`tests/differential.rs`) can demand that they agree before the benchmarks
//! (`benches/peers.rs`) time them.

use std::collections::{BTreeMap, BTreeSet};

pub mod cel;
pub mod micropack;
pub mod ours;
pub mod profiles;
pub mod rego;
pub mod zen;

/// One statement's result: its score and the ids of the rules that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementScore {
    pub score: u8,
    pub fired: BTreeSet<String>,
}

/// A profile's results by statement id (`assessing-needs`, ...).
pub type Scores = BTreeMap<String, StatementScore>;

/// The seed of the micro-pack and of the profiles.
pub const SEED: u64 = 2026;

/// The micro-pack and the national set of profiles in every engine's input format.
pub struct Corpus {
    pub micro: micropack::MicroPack,
    pub profiles: Vec<profiles::Profile>,
    /// Each profile as our evidence file.
    pub evidence: Vec<std::sync::Arc<assure::source::diagnostic::SourceFile>>,
    /// Each profile as the peers' JSON input.
    pub json: Vec<serde_json::Value>,
}

impl Corpus {
    pub fn new(seed: u64) -> Result<Corpus, String> {
        let catalogue = assure::builtin_catalogue().map_err(|f| f.render())?;
        let micro = micropack::MicroPack::generate(seed, &catalogue)?;
        let profiles = profiles::Profile::national(&micro, seed);
        let evidence = profiles
            .iter()
            .map(|p| ours::Ours::evidence_file(&micro, p))
            .collect();
        let json = profiles.iter().map(|p| p.json(&micro)).collect();
        Ok(Corpus {
            micro,
            profiles,
            evidence,
            json,
        })
    }
}

/// How two engines' results differ, one line per difference (empty when they agree).
pub fn differences(expected: &Scores, actual: &Scores) -> Vec<String> {
    let mut lines = Vec::new();
    let ids: BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    for id in ids {
        match (expected.get(id), actual.get(id)) {
            (Some(e), Some(a)) => {
                if e.score != a.score {
                    lines.push(format!("{id}: score {} vs {}", e.score, a.score));
                }
                let missing: Vec<&String> = e.fired.difference(&a.fired).collect();
                let extra: Vec<&String> = a.fired.difference(&e.fired).collect();
                if !missing.is_empty() || !extra.is_empty() {
                    lines.push(format!(
                        "{id}: fired only in ours {missing:?}, only in the peer {extra:?}"
                    ));
                }
            }
            (Some(_), None) => lines.push(format!("{id}: missing from the peer")),
            (None, Some(_)) => lines.push(format!("{id}: not in ours")),
            (None, None) => {}
        }
    }
    lines
}
