//! Evidence written as JSON is read by serde_json first (src/evidence/json.rs) and by the
//! YAML reader only when something needs a message. Either way gives the same evidence, the
//! same scores and the same messages.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use std::path::Path;

use assure::evidence::Evidence;
use assure::source::diagnostic::SourceFile;
use common::{assure_in, scratch, stderr, stdout};
use serde_json::Value;

/// The bundled example as JSON text, numbers written as numbers where YAML had them plain.
fn example_as_json(name: &str) -> String {
    let yaml = std::fs::read_to_string(Path::new("examples").join(name)).expect("example");
    let value: Value = serde_saphyr::from_str(&yaml).expect("YAML");
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// The evidence read by `Evidence::load` and by the YAML reader alone, as JSON values.
/// Asserts whether `load` took the fast path: it alone leaves items without a place in the
/// file, which is what makes it fast.
fn both_ways(text: &str, fast_path: bool) -> (Value, Value) {
    let pack = assure::load_pack(None).expect("default pack");
    let file = SourceFile::new("council.json", text);
    let fast = Evidence::load(&file, &pack.framework, &pack.catalogue).expect("loads");
    let slow = Evidence::from_document(
        Evidence::parse(&file).expect("parses as YAML"),
        &file,
        &pack.framework,
        &pack.catalogue,
    )
    .expect("loads the ordinary way");
    let unplaced = |evidence: &Evidence| evidence.items.iter().all(|i| i.id_span == (0..0));
    assert_eq!(
        unplaced(&fast),
        fast_path,
        "the fast path was taken, or not"
    );
    assert!(!unplaced(&slow));
    let fast_scored = serde_json::to_value(assure::assess(&fast, &pack)).expect("json");
    let slow_scored = serde_json::to_value(assure::assess(&slow, &pack)).expect("json");
    assert_eq!(fast_scored, slow_scored, "same assessment either way");
    (
        serde_json::to_value(&fast).expect("json"),
        serde_json::to_value(&slow).expect("json"),
    )
}

#[test]
fn a_bundled_example_as_json_reads_the_same_both_ways() {
    let (fast, slow) = both_ways(&example_as_json("medway.yaml"), true);
    assert_eq!(fast, slow);
    assert!(
        fast["items"]
            .as_array()
            .is_some_and(|items| items.len() > 20)
    );
}

/// Staffordshire names two metrics the catalogue lacks; warnings need places in the file,
/// so the ordinary reader reads it, and the result is the same.
#[test]
fn json_evidence_with_warnings_is_read_the_ordinary_way() {
    // A measure the catalogue does not know is a warning.
    let json = example_as_json("staffordshire.yaml").replacen(
        "\"choice over services\"",
        "\"choice over services (local survey)\"",
        1,
    );
    assert!(json.contains("(local survey)"));
    let (fast, slow) = both_ways(&json, false);
    assert_eq!(fast, slow);
}

#[test]
fn numbers_keep_their_digits() {
    let text = r#"{"authority": "X", "items": [
        {"id": "a", "statement": "safeguarding", "category": "processes",
         "metric": "safeguarding enquiries concluded within 28 days",
         "value": 63.50, "target": "70%", "england_average": 0.1}]}"#;
    let (fast, slow) = both_ways(text, true);
    assert_eq!(fast, slow);
    let metric = &fast["items"][0]["content"]["metric"];
    assert_eq!(metric["value"], Value::String("63.50".into()), "{metric}");
    assert_eq!(metric["england_average"], Value::String("0.1".into()));
}

/// Anything that needs a message is read the ordinary way, so it says where.
#[test]
fn problems_in_json_evidence_still_name_line_and_column() {
    let dir = scratch("json-evidence-messages");
    let cases = [
        (
            "unknown-statement.json",
            "{\n  \"authority\": \"X\",\n  \"items\": [\n    {\"id\": \"a\", \"statement\": \"safe-guarding\", \"category\": \"processes\", \"finding\": \"f\", \"sentiment\": \"positive\"}\n  ]\n}\n",
            "unknown-statement.json:4:",
        ),
        (
            "exponent.json",
            "{\n  \"authority\": \"X\",\n  \"items\": [\n    {\"id\": \"a\", \"statement\": \"safeguarding\", \"category\": \"processes\",\n     \"metric\": \"safeguarding enquiries concluded within 28 days\", \"value\": 1e3}\n  ]\n}\n",
            "exponent.json:5:",
        ),
        (
            "misspelt.json",
            "{\n  \"authority\": \"X\",\n  \"items\": [\n    {\"id\": \"a\", \"statment\": \"safeguarding\"}\n  ]\n}\n",
            "misspelt.json:4:",
        ),
    ];
    for (name, text, place) in cases {
        std::fs::write(dir.join(name), text).expect("write");
        let output = assure_in(&dir, &["score", name]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(stdout(&output).is_empty(), "{name}: nothing on stdout");
        assert!(
            stderr(&output).contains(place),
            "{name}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn warnings_in_json_evidence_name_line_and_column() {
    let dir = scratch("json-evidence-warning");
    let text = "{\n  \"authority\": \"X\",\n  \"items\": [\n    {\"id\": \"a\", \"statement\": \"safeguarding\", \"category\": \"processes\",\n     \"metric\": \"safeguarding enquiries concluded within 28 dayz\", \"value\": 63}\n  ]\n}\n";
    std::fs::write(dir.join("w.json"), text).expect("write");
    let output = assure_in(&dir, &["score", "w.json"]);
    assert_eq!(output.status.code(), Some(0));
    let messages = stderr(&output);
    assert!(messages.contains("unknown metric"), "{messages}");
    assert!(messages.contains("w.json:5:"), "{messages}");
}
