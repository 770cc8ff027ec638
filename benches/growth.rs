//! How cost grows with input (issue 18): criterion benchmarks of the inputs that once grew
//! with the square of their size, each at 1x, 10x and 100x. `cargo bench --bench growth`.
//! Results and peak memory are in docs/performance.md; `benches/peak-memory.sh` measures
//! the memory, on the inputs this writes to `target/growth/`.
//!
//! - cases: a case file of inline cases, loaded and run (`assure test`);
//! - rules: a pack of one-line rules on one metric, loaded and checked (`assure check`),
//!   and a pack of rules of twenty `or`s each;
//! - warnings: an evidence file of unknown metrics, loaded and every warning rendered;
//! - files: a folder of small evidence files through `assure score --format json`, the
//!   command itself, since it streams.

// A benchmark that cannot read its inputs should stop at once, saying why.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use assure::source::diagnostic::SourceFile;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// The sizes: 1x, 10x and 100x of each input's base.
const TIMES: [usize; 3] = [1, 10, 100];

const HEAD: &str = "pack: growth\nversion: 0.1.0\nframework: cqc-local-authority-2024\n---\nstatement: assessing-needs\nbaseline: 3\nrules:\n";

fn rule(id: &str, sentence: &str) -> String {
    format!("  - id: {id}\n    why: w\n    cites: c\n    rule: {sentence}\n")
}

/// `n` one-line rules, each a threshold on the same metric: every pair shares evidence.
pub fn rules(n: usize) -> String {
    let mut text = HEAD.to_string();
    for i in 0..n {
        let sentence = format!("care act assessment waiting days above {i} lowers score");
        text.push_str(&rule(&format!("r{i}"), &sentence));
    }
    text
}

/// `n` rules of twenty `or`s each, over two metrics.
pub fn or_rules(n: usize) -> String {
    let metrics = [
        "care act assessment waiting days",
        "people waiting for a care act assessment",
    ];
    let mut text = HEAD.to_string();
    for i in 0..n {
        let clauses: Vec<String> = (0..20)
            .map(|j| format!("{} above {}", metrics[j % 2], i * 20 + j))
            .collect();
        let sentence = format!("{} lowers score", clauses.join(" or "));
        text.push_str(&rule(&format!("r{i}"), &sentence));
    }
    text
}

/// `n` inline cases, each with one metric and one expected score.
pub fn cases(n: usize) -> String {
    let mut text = String::from("cases:\n");
    for i in 0..n {
        let value = i % 60;
        let score = if value > 28 { 2 } else { 3 };
        text.push_str(&format!(
            "  - name: case {i}\n    evidence:\n      authority: Council {i}\n      items:\n        - id: waits\n          statement: assessing-needs\n          category: processes\n          metric: care act assessment waiting days\n          value: {value}\n    expect:\n      scores:\n        assessing-needs: {score}\n"
        ));
    }
    text
}

/// An evidence file of `n` metrics the catalogue does not know: `n` warnings.
pub fn unknown_metrics(n: usize) -> String {
    let mut text = String::from("authority: Growth Council\nitems:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - id: i{i}\n    statement: assessing-needs\n    category: processes\n    metric: unknown measure number {i}\n    value: 1\n"
        ));
    }
    text
}

/// A folder of `n` small evidence files.
pub fn evidence_folder(n: usize, dir: &Path) -> PathBuf {
    let folder = dir.join(format!("files-{n}"));
    if folder.join(format!("c{:05}.yaml", n - 1)).exists() {
        return folder;
    }
    std::fs::create_dir_all(&folder).expect("scratch folder");
    for i in 0..n {
        let text = format!(
            "authority: Council {i}\nitems:\n  - id: waits\n    statement: assessing-needs\n    category: processes\n    metric: care act assessment waiting days\n    value: {}\n",
            i % 60
        );
        std::fs::write(folder.join(format!("c{i:05}.yaml")), text).expect("write");
    }
    folder
}

/// Where the inputs are written, for benches/peak-memory.sh to run the commands on.
fn dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/growth");
    std::fs::create_dir_all(&dir).expect("target/growth");
    dir
}

/// Writes an input once, as the command line would read it.
fn write(name: &str, text: &str) -> PathBuf {
    let path = dir().join(name);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
        std::fs::write(&path, text).expect("write");
    }
    path
}

fn settle(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(4));
}

fn check_rules(c: &mut Criterion) {
    for (name, base, make) in [
        ("check one-line rules", 200, rules as fn(usize) -> String),
        ("check rules of 20 ors", 6, or_rules),
    ] {
        let mut group = c.benchmark_group(name);
        settle(&mut group);
        for times in TIMES {
            let n = base * times;
            let text = make(n);
            write(&format!("{}-{n}.yaml", name.replace(' ', "-")), &text);
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
                b.iter(|| {
                    let files = [SourceFile::new("growth.yaml", text.as_str())];
                    let pack = assure::load_pack_files(&files).expect("the pack loads");
                    assure::check::check(&pack)
                })
            });
        }
        group.finish();
    }
}

fn run_cases(c: &mut Criterion) {
    let pack_text = format!(
        "{HEAD}{}",
        rule(
            "waits-long",
            "care act assessment waiting days above 28 lowers score"
        )
    );
    let pack = assure::load_pack_files(&[SourceFile::new("pack.yaml", pack_text.as_str())])
        .expect("the pack loads");
    let mut group = c.benchmark_group("test inline cases");
    settle(&mut group);
    for times in TIMES {
        let n = 100 * times;
        let text = cases(n);
        let folder = dir().join(format!("cases-{n}"));
        std::fs::create_dir_all(folder.join("tests")).expect("scratch");
        std::fs::write(folder.join("pack.yaml"), &pack_text).expect("write");
        std::fs::write(folder.join("tests/cases.yaml"), &text).expect("write");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let file = SourceFile::new("cases.yaml", text.as_str());
                let mut no_files =
                    |path: &Path| Err(assure::Diagnostic::error(path.display().to_string()));
                let loaded =
                    assure::packtest::cases::load(&[file], &pack, &mut no_files).expect("loads");
                let run = assure::packtest::run::run(&pack, &loaded, None);
                assert_eq!(run.summary.passed, n);
                assure::report::testing::text(&run)
            })
        });
    }
    group.finish();
}

fn render_warnings(c: &mut Criterion) {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let mut group = c.benchmark_group("score unknown-metric warnings");
    settle(&mut group);
    for times in TIMES {
        let n = 200 * times;
        let text = unknown_metrics(n);
        write(&format!("warnings-{n}.yaml"), &text);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            b.iter(|| {
                let file = SourceFile::new("warnings.yaml", text.as_str());
                let evidence =
                    assure::evidence::Evidence::load(&file, &pack.framework, &pack.catalogue)
                        .expect("loads");
                assert_eq!(evidence.warnings.len(), n);
                evidence
                    .warnings
                    .iter()
                    .map(|w| w.render().len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

fn score_files(c: &mut Criterion) {
    let mut group = c.benchmark_group("score --format json, files");
    settle(&mut group);
    for times in TIMES {
        let n = 30 * times;
        let folder = evidence_folder(n, &dir());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &folder, |b, folder| {
            b.iter(|| {
                let status = Command::new(env!("CARGO_BIN_EXE_assure"))
                    .args(["score", "--format", "json"])
                    .arg(folder)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .expect("the binary runs");
                assert!(status.success());
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    run_cases,
    check_rules,
    render_warnings,
    score_files
);
criterion_main!(benches);
