//! National data benchmark (criterion): `cargo bench --bench ascof`. The whole ASCOF trend
//! file (26,498 rows, 2017-18 to 2023-24) imported for every council of its latest year, and
//! every one of those evidence files scored, against the time to read the file's rows at
//! all. Results are in docs/performance.md.
//!
//! The file is not in the repository (docs/national-data.md says where it comes from): the
//! benchmark reads `ASSURE_ASCOF_TREND`, else `../shared/data/ascof/trend_data.csv` beside
//! the checkout, and skips, saying so, when neither is there.

// A benchmark that cannot read its inputs should stop at once, saying why.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use assure::evidence::import::ascof::{Request, import, layout::is_known_header};
use assure::source::diagnostic::SourceFile;
use criterion::{Criterion, criterion_group, criterion_main};

fn trend_file() -> Option<PathBuf> {
    let path = std::env::var_os("ASSURE_ASCOF_TREND")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ascof/trend_data.csv")
        });
    path.is_file().then_some(path)
}

fn national(c: &mut Criterion) {
    let Some(path) = trend_file() else {
        eprintln!(
            "skipped: no ASCOF trend file (set ASSURE_ASCOF_TREND to its path; docs/national-data.md)"
        );
        return;
    };
    let pack = assure::load_pack(None).expect("the default pack loads");
    let request = Request {
        all: true,
        ..Request::default()
    };
    let councils = import(&path, &request, &pack.catalogue, &pack.framework)
        .expect("the trend file imports")
        .councils
        .len();
    assert!(councils >= 150, "only {councils} councils");
    let mut group = c.benchmark_group(format!("ascof/trend file, {councils} councils"));
    group.sample_size(10);
    group.bench_function("read the file (text and rows)", |b| {
        b.iter(|| {
            let text = std::fs::read_to_string(&path).expect("reads");
            let source = SourceFile::new(path.display().to_string(), text);
            assure::evidence::import::csv::read(&source, None, &is_known_header).expect("a table")
        })
    });
    group.bench_function("import every council (checked, written, loaded)", |b| {
        b.iter(|| import(&path, &request, &pack.catalogue, &pack.framework).expect("imports"))
    });
    group.bench_function("import and score every council", |b| {
        b.iter(|| {
            let imported =
                import(&path, &request, &pack.catalogue, &pack.framework).expect("imports");
            imported
                .councils
                .iter()
                .map(|council| assure::assess(&council.evidence, &pack).overall.total)
                .sum::<u32>()
        })
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
