//! Benchmarks of the engine (criterion): `cargo bench --bench engine`. Method and results
//! are in docs/performance.md. The national corpus is 153 generated councils (seeded, so
//! every run reads the same bytes); "parse only" reads and parses the same files into the
//! evidence types and nothing more, the floor that scoring is measured against.

// A benchmark that cannot read its inputs should stop at once, saying why.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assure::evidence::Evidence;
use assure::source::diagnostic::SourceFile;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

mod support;
use support::corpus;

const SEED: u64 = 2026;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("national-corpus")
}

fn read(path: &Path) -> Arc<SourceFile> {
    let text = std::fs::read_to_string(path).expect("a corpus file reads");
    SourceFile::new(path.display().to_string(), text)
}

fn pack_and_council(c: &mut Criterion) {
    c.bench_function("pack/load default", |b| {
        b.iter(|| assure::load_pack(None).expect("the default pack loads"))
    });
    let pack = assure::load_pack(None).expect("the default pack loads");
    c.bench_function("check/default pack", |b| {
        b.iter(|| assure::check::check(&pack))
    });
    let evidence = assure::load_evidence(Path::new("examples/staffordshire.yaml"), &pack)
        .expect("the example loads");
    c.bench_function("score/one council (staffordshire)", |b| {
        b.iter(|| assure::assess(&evidence, &pack))
    });
}

fn national_corpus(c: &mut Criterion) {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let files = corpus::write(&pack, SEED, &corpus_dir());
    let mut group = c.benchmark_group("corpus (153 councils)");
    group.throughput(Throughput::Elements(files.len() as u64));
    group.bench_function("parse only (the limit)", |b| {
        b.iter(|| {
            for path in &files {
                Evidence::parse(&read(path)).expect("a corpus file parses");
            }
        })
    });
    group.bench_function("load and validate, no scoring", |b| {
        b.iter(|| {
            for path in &files {
                let evidence = Evidence::load(&read(path), &pack.framework, &pack.catalogue)
                    .unwrap_or_else(|f| panic!("a corpus file loads: {}", f.render()));
                std::hint::black_box(evidence);
            }
        })
    });
    group.bench_function("load and score", |b| {
        b.iter(|| {
            for path in &files {
                let evidence = Evidence::load(&read(path), &pack.framework, &pack.catalogue)
                    .unwrap_or_else(|f| panic!("a corpus file loads: {}", f.render()));
                std::hint::black_box(assure::assess(&evidence, &pack));
            }
        })
    });
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let reference = assure::load_pack(None).expect("the default pack loads");
    let council = corpus::council(&reference, SEED, 0);
    let mut group = c.benchmark_group("scaling (rules)");
    group.sample_size(10);
    for rules in [10, 100, 1_000, 10_000] {
        let text = corpus::pack_with_rules(&reference, rules);
        let pack = assure::load_pack_files(&[SourceFile::new("scaling.yaml", text)])
            .expect("a generated pack loads");
        let evidence = Evidence::load(
            &SourceFile::new("council.yaml", council.as_str()),
            &pack.framework,
            &pack.catalogue,
        )
        .expect("the council loads");
        group.throughput(Throughput::Elements(rules as u64));
        group.bench_with_input(
            BenchmarkId::new("score one council", rules),
            &rules,
            |b, _| b.iter(|| assure::assess(&evidence, &pack)),
        );
    }
    group.finish();
}

criterion_group!(benches, pack_and_council, national_corpus, scaling);
criterion_main!(benches);
