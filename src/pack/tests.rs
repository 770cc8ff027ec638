//! The built-in pack: every file embedded, every statement scored, the framework in step
//! with the language.

use crate::builtin_framework;

#[test]
fn the_embedded_pack_is_every_file_of_rules_cqc_la() {
    let mut on_disk: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/cqc-la"))
            .expect("the pack directory")
            .filter_map(Result::ok)
            .map(|entry| format!("rules/cqc-la/{}", entry.file_name().to_string_lossy()))
            .filter(|name| name.ends_with(".yaml"))
            .collect();
    on_disk.sort();
    let mut embedded: Vec<String> = crate::pack::builtin::DEFAULT_PACK
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "add new pack files to DEFAULT_PACK in src/pack/builtin.rs"
    );
}

#[test]
fn the_default_pack_loads_and_covers_every_statement() {
    let pack = crate::load_pack(None).expect("the default pack loads");
    let framework = builtin_framework().expect("framework loads");
    for statement in framework.statements() {
        let rules = pack
            .statement_rules(&statement.id)
            .expect("a statement file");
        assert!(!rules.rules.is_empty(), "{} has rules", statement.id);
    }
}

#[test]
fn the_framework_lists_the_languages_categories() {
    let framework = builtin_framework().expect("framework loads");
    let names: Vec<&str> = framework
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let language: Vec<&str> = crate::lang::ast::Category::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, language);
}
