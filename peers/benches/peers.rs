//! `assure` against its peers on the micro-pack (criterion): `cargo bench` in peers/.
//!
//! - "micro-pack, 153 profiles": each engine scores all 153 profiles from inputs already in
//!   its native form (ours: loaded `Evidence`; zen: `Variable`s; cel: contexts; regorus:
//!   `Value`s). Ours builds full justifications, as `assess` always does.
//! - "micro-pack, 153 profiles, from text": the same, starting from each engine's input text
//!   (ours: the evidence files, read and validated, as YAML and as JSON, which our loader
//!   reads with serde_json unless a message needs the YAML reader's places in the file; the
//!   peers: their JSON, read with serde_json or regorus's own reader). "parse only" is our YAML read into the evidence types and no
//!   more, the part of that no evaluator of ours can avoid.
//!
//! Before timing, every engine's results on exactly the inputs it is timed on are checked
//! against ours, so a benchmark can only time an engine that gives the right answers.

// A benchmark that cannot set itself up should stop at once, saying why.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use assure::source::diagnostic::SourceFile;
use assure_peers::cel::Cel;
use assure_peers::ours::Ours;
use assure_peers::rego::{Rego, RegoVm};
use assure_peers::zen::Zen;
use assure_peers::{Corpus, SEED, Scores, differences};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

fn check(engine: &str, ours: &[Scores], theirs: &[Scores]) {
    assert_eq!(ours.len(), theirs.len());
    for (n, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let lines = differences(a, b);
        assert!(lines.is_empty(), "{engine}, profile {n}: {lines:?}");
    }
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, profiles: usize) {
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(profiles as u64));
}

fn native(c: &mut Criterion) {
    let corpus = Corpus::new(SEED).unwrap();
    let ours = Ours::new(&corpus.micro).unwrap();
    let evidence: Vec<_> = corpus
        .evidence
        .iter()
        .map(|file| ours.prepare(file).unwrap())
        .collect();
    let zen = Zen::new(&corpus.micro).unwrap();
    let zen_inputs: Vec<_> = corpus.json.iter().map(Zen::prepare).collect();
    let cel = Cel::new(&corpus.micro).unwrap();
    let cel_inputs: Vec<_> = corpus
        .json
        .iter()
        .map(|j| cel.prepare(j).unwrap())
        .collect();
    let mut rego = Rego::new(&corpus.micro).unwrap();
    let mut rego_vm = RegoVm::new(&corpus.micro).unwrap();
    let rego_inputs: Vec<_> = corpus.json.iter().map(Rego::prepare).collect();

    // The right answers first, twice over for inputs an engine might share state with.
    let expected: Vec<Scores> = evidence.iter().map(|e| ours.score(e).unwrap()).collect();
    for _ in 0..2 {
        let zen_results: Vec<Scores> = zen_inputs
            .iter()
            .map(|i| zen.score(i.clone()).unwrap())
            .collect();
        check("zen-engine", &expected, &zen_results);
        let cel_results: Vec<Scores> = cel_inputs.iter().map(|i| cel.score(i).unwrap()).collect();
        check("cel", &expected, &cel_results);
        let rego_results: Vec<Scores> =
            rego_inputs.iter().map(|i| rego.score(i).unwrap()).collect();
        check("regorus", &expected, &rego_results);
        let vm_results: Vec<Scores> = rego_inputs
            .iter()
            .map(|i| rego_vm.score(i).unwrap())
            .collect();
        check("regorus (rvm)", &expected, &vm_results);
    }

    let mut group = c.benchmark_group("micro-pack, 153 profiles");
    configure(&mut group, corpus.profiles.len());
    group.bench_function("assure (justifications on)", |b| {
        b.iter(|| {
            for e in &evidence {
                black_box(ours.score(e).unwrap());
            }
        })
    });
    group.bench_function("zen-engine (JDM graph)", |b| {
        b.iter(|| {
            for input in &zen_inputs {
                black_box(zen.score(input.clone()).unwrap());
            }
        })
    });
    group.bench_function("cel (program per rule, host combine)", |b| {
        b.iter(|| {
            for input in &cel_inputs {
                black_box(cel.score(input).unwrap());
            }
        })
    });
    group.bench_function("regorus (interpreter)", |b| {
        b.iter(|| {
            for input in &rego_inputs {
                black_box(rego.score(input).unwrap());
            }
        })
    });
    group.bench_function("regorus (rvm)", |b| {
        b.iter(|| {
            for input in &rego_inputs {
                black_box(rego_vm.score(input).unwrap());
            }
        })
    });
    group.finish();
}

fn from_text(c: &mut Criterion) {
    let corpus = Corpus::new(SEED).unwrap();
    let ours = Ours::new(&corpus.micro).unwrap();
    let yaml: Vec<(String, String)> = corpus
        .evidence
        .iter()
        .map(|f| (f.name.to_string(), f.text.to_string()))
        .collect();
    let evidence_json: Vec<(String, String)> = corpus
        .profiles
        .iter()
        .map(|p| {
            (
                format!("{}.json", p.authority),
                p.evidence_json(&corpus.micro),
            )
        })
        .collect();
    let json: Vec<String> = corpus.json.iter().map(|j| j.to_string()).collect();
    let zen = Zen::new(&corpus.micro).unwrap();
    let cel = Cel::new(&corpus.micro).unwrap();
    let mut rego = Rego::new(&corpus.micro).unwrap();
    let mut rego_vm = RegoVm::new(&corpus.micro).unwrap();

    let mut group = c.benchmark_group("micro-pack, 153 profiles, from text");
    configure(&mut group, corpus.profiles.len());
    group.bench_function("assure (YAML, validated, justifications on)", |b| {
        b.iter(|| {
            for (name, text) in &yaml {
                let file = SourceFile::new(name.as_str(), text.as_str());
                let evidence = ours.prepare(&file).unwrap();
                black_box(ours.score(&evidence).unwrap());
            }
        })
    });
    group.bench_function(
        "assure (YAML, parse only: no validation, no scoring)",
        |b| {
            b.iter(|| {
                for (name, text) in &yaml {
                    let file = SourceFile::new(name.as_str(), text.as_str());
                    black_box(assure::evidence::Evidence::parse(&file).unwrap());
                }
            })
        },
    );
    group.bench_function("assure (JSON, validated, justifications on)", |b| {
        b.iter(|| {
            for (name, text) in &evidence_json {
                let file = SourceFile::new(name.as_str(), text.as_str());
                let evidence = ours.prepare(&file).unwrap();
                black_box(ours.score(&evidence).unwrap());
            }
        })
    });
    group.bench_function("zen-engine (JSON)", |b| {
        b.iter(|| {
            for text in &json {
                let value: serde_json::Value = serde_json::from_str(text).unwrap();
                black_box(zen.score(Zen::prepare(&value)).unwrap());
            }
        })
    });
    group.bench_function("cel (JSON)", |b| {
        b.iter(|| {
            for text in &json {
                let value: serde_json::Value = serde_json::from_str(text).unwrap();
                black_box(cel.score(&cel.prepare(&value).unwrap()).unwrap());
            }
        })
    });
    group.bench_function("regorus (interpreter, JSON)", |b| {
        b.iter(|| {
            for text in &json {
                let value = regorus::Value::from_json_str(text).unwrap();
                black_box(rego.score(&value).unwrap());
            }
        })
    });
    group.bench_function("regorus (rvm, JSON)", |b| {
        b.iter(|| {
            for text in &json {
                let value = regorus::Value::from_json_str(text).unwrap();
                black_box(rego_vm.score(&value).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, native, from_text);
criterion_main!(benches);
