//! Reading case files: the embedded cases, tidied evidence paths, and a case list cut into
//! its entries.

#[test]
fn the_embedded_cases_are_every_file_of_rules_cqc_la_tests() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cqc-la/tests"))
            .expect("the pack's tests directory")
            .filter_map(Result::ok)
            .map(|entry| format!("rules/cqc-la/tests/{}", entry.file_name().to_string_lossy()))
            .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
            .collect();
    on_disk.sort();
    let embedded: Vec<String> = crate::packtest::read::DEFAULT_PACK_CASES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(
        on_disk, embedded,
        "add new case files, in name order, to DEFAULT_PACK_CASES in src/packtest/read.rs"
    );
}

#[test]
fn evidence_paths_from_case_files_are_tidied() {
    use crate::packtest::cases::tidy_path;
    use std::path::Path;
    assert_eq!(
        tidy_path(Path::new(
            "rules/cqc-la/tests/../../../examples/medway.yaml"
        )),
        Path::new("examples/medway.yaml")
    );
    assert_eq!(tidy_path(Path::new("./a/./b.yaml")), Path::new("a/b.yaml"));
    assert_eq!(
        tidy_path(Path::new("../a/b.yaml")),
        Path::new("../a/b.yaml")
    );
    assert_eq!(
        tidy_path(Path::new("a/../../b.yaml")),
        Path::new("../b.yaml")
    );
}

#[test]
fn a_block_list_is_cut_into_entries_with_their_offsets() {
    let text = "cases:\n  - name: a\n    x: 1\n  # note\n  - name: b\nother: 2\n";
    let starts = [
        text.find("name: a").expect("a"),
        text.find("name: b").expect("b"),
    ];
    let ranges = crate::source::yaml::block_list_ranges(text, &starts).expect("a block list");
    let entries: Vec<String> = ranges
        .iter()
        .zip(starts)
        .map(|(range, start)| crate::source::yaml::blank_outside(text, &(start..range.end)))
        .collect();
    assert_eq!(
        entries[0],
        "      \n    name: a\n    x: 1\n  # note\n           \n        \n"
    );
    assert_eq!(
        entries[1],
        "      \n           \n        \n        \n    name: b\n        \n"
    );
    assert!(entries.iter().all(|e| e.len() == text.len()));
    let flow = "cases: [{name: a}, {name: b}]\n";
    let starts = [
        flow.find("{name: a").expect("a"),
        flow.find("{name: b").expect("b"),
    ];
    assert_eq!(crate::source::yaml::block_list_ranges(flow, &starts), None);
    let mut blanked = text.to_string();
    crate::source::yaml::blank_inside(&mut blanked, &ranges[0]);
    assert_eq!(
        blanked,
        "cases:\n           \n        \n        \n  - name: b\nother: 2\n"
    );
}
