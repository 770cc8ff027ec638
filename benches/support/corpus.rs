//! A national corpus for the benchmarks: 153 generated councils, one evidence file each,
//! written from a seed so every run measures the same bytes. Each council has what a real
//! file has (see examples/): for every quality statement a handful of catalogue metrics
//! with England averages, targets and previous values, and findings of each category with
//! sentiments and tags.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assure::pack::Pack;
use assure::pack::catalogue::{Metric, Unit};

/// England's 153 councils with adult social care duties.
pub const COUNCILS: usize = 153;

const CATEGORIES: [&str; 4] = [
    "people's experience",
    "feedback from staff and leaders",
    "feedback from partners",
    "processes",
];

/// One council's evidence file.
pub fn council(pack: &Pack, seed: u64, index: usize) -> String {
    let mut rng =
        fastrand::Rng::with_seed(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let metrics = pack.catalogue.metrics();
    let mut yaml = format!(
        "authority: Generated Council {index:03}\ncode: E0{:08}\nas_of: '2025-03-31'\nitems:\n",
        index + 1
    );
    for (s, statement) in pack.framework.statements().enumerate() {
        let mut order: Vec<usize> = (0..metrics.len()).collect();
        rng.shuffle(&mut order);
        for (m, &chosen) in order.iter().take(rng.usize(4..=8)).enumerate() {
            let metric = &metrics[chosen];
            let id = format!("s{s}-m{m}");
            metric_item(&mut yaml, &mut rng, &id, &statement.id, metric);
        }
        for f in 0..rng.usize(4..=10) {
            let category = CATEGORIES[rng.usize(..CATEGORIES.len())];
            let sentiment = ["positive", "positive", "negative", "mixed"][rng.usize(..4)];
            let tag = &pack.framework.tags[rng.usize(..pack.framework.tags.len())];
            writeln!(
                yaml,
                "  - id: s{s}-f{f}\n    statement: {}\n    category: {category}\n    finding: Staff and partners described how {tag} worked in practice for people in the area, with examples.\n    sentiment: {sentiment}\n    tags: [\"{tag}\"]\n    source: Generated benchmark council, statement {s}",
                statement.id
            )
            .ok();
        }
    }
    yaml
}

/// A metric item with a realistic value for its unit and the comparators a council has.
fn metric_item(
    yaml: &mut String,
    rng: &mut fastrand::Rng,
    id: &str,
    statement: &str,
    metric: &Metric,
) {
    let (low, high, whole) = match metric.unit {
        Unit::Percent => (3_000, 9_500, false),
        Unit::Count => (0, 1_500, true),
        Unit::Days => (5, 120, true),
        Unit::Rate => (10_000, 90_000, false),
        Unit::Score => {
            // Most of the way up the metric's scale (quality of life runs 0 to 24 or 12).
            let top = metric.max.map_or(2_400, |max| {
                (max * rust_decimal::Decimal::ONE_HUNDRED)
                    .trunc()
                    .to_string()
                    .parse()
                    .unwrap_or(2_400)
            });
            (top * 7 / 10, top * 9 / 10, false)
        }
        Unit::Ratio => (50, 200, false),
    };
    let draw = |rng: &mut fastrand::Rng| {
        let n = rng.i64(low..=high);
        if whole {
            n.to_string()
        } else {
            rust_decimal::Decimal::new(n, 2).to_string()
        }
    };
    let percent = if metric.unit == Unit::Percent {
        "%"
    } else {
        ""
    };
    let category = metric.category.map_or("processes", |c| c.as_str());
    writeln!(
        yaml,
        "  - id: {id}\n    statement: {statement}\n    category: {category}\n    metric: {}\n    value: {}{percent}\n    period: 2024-25\n    source: Generated benchmark council",
        metric.name,
        draw(rng)
    )
    .ok();
    if metric.local {
        writeln!(yaml, "    target: {}{percent}", draw(rng)).ok();
    } else {
        writeln!(yaml, "    england_average: {}{percent}", draw(rng)).ok();
        if rng.bool() {
            writeln!(yaml, "    regional_average: {}{percent}", draw(rng)).ok();
        }
    }
    if rng.bool() {
        writeln!(yaml, "    previous: {}{percent}", draw(rng)).ok();
    }
}

/// A one-file pack of `rules` rules spread over the nine statements, in the shapes the
/// default pack uses: thresholds against averages and targets, trends, finding counts,
/// missing evidence; lowering, raising, capping and lifting.
pub fn pack_with_rules(pack: &Pack, rules: usize) -> String {
    let metrics = pack.catalogue.metrics();
    let statements: Vec<&str> = pack.framework.statements().map(|s| s.id.as_str()).collect();
    let mut text =
        format!("pack: scaling-{rules}\nversion: 1.0.0\nframework: cqc-local-authority-2024\n");
    for (s, statement) in statements.iter().enumerate() {
        writeln!(text, "---\nstatement: {statement}\nrules:").ok();
        for r in (s..rules).step_by(statements.len()) {
            let metric = &metrics[r % metrics.len()];
            let reference = if metric.local {
                "target"
            } else {
                "england average"
            };
            let category = CATEGORIES[r % CATEGORIES.len()];
            let sentence = match r % 6 {
                0 => format!(
                    "{} worse than {reference} by more than 5 points lowers score",
                    metric.name
                ),
                1 => format!("{} better than {reference} raises score", metric.name),
                2 => format!("at least 3 negative findings from {category} caps score at 2"),
                3 => format!(
                    "{} declining and {} worse than {reference} lowers score by 2",
                    metric.name, metric.name
                ),
                4 => format!("most positive findings from {category} lifts score to at least 2"),
                _ => format!("no evidence of \"{}\" caps score at 3", metric.name),
            };
            writeln!(
                text,
                "  - id: r{r}\n    rule: {sentence}\n    why: Generated.\n    cites: Generated."
            )
            .ok();
        }
    }
    text
}

/// Writes the corpus into `dir` (replacing what is there) and returns the files in order.
pub fn write(pack: &Pack, seed: u64, dir: &Path) -> Vec<PathBuf> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("the corpus folder can be made");
    (0..COUNCILS)
        .map(|index| {
            let path = dir.join(format!("council-{index:03}.yaml"));
            std::fs::write(&path, council(pack, seed, index)).expect("the corpus can be written");
            path
        })
        .collect()
}
