//! Writes the micro-pack in every engine's language, and one profile in every input format,
//! to a folder for reading: `cargo run --example emit -- DIR` (default `target/emitted`).

use std::path::PathBuf;

use assure_peers::micropack::MicroPack;
use assure_peers::{Corpus, SEED, cel, rego, zen};

fn main() -> Result<(), String> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/emitted".to_string()),
    );
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let corpus = Corpus::new(SEED)?;
    let micro = &corpus.micro;
    let mut cel_rules = String::new();
    for statement in &micro.statements {
        for rule in &statement.rules {
            cel_rules.push_str(&format!(
                "# {}: {}\n{}\n\n",
                rule.id,
                MicroPack::sentence(statement, rule),
                cel::expression(statement, rule)
            ));
        }
    }
    let graph = serde_json::to_string_pretty(&zen::graph(micro)).map_err(|e| e.to_string())?;
    let profile = serde_json::to_string_pretty(&corpus.json[0]).map_err(|e| e.to_string())?;
    let files = [
        ("micro-pack.yaml", micro.pack_yaml()),
        ("micro-pack.jdm.json", graph),
        ("micro-pack.rego", rego::policy(micro)),
        ("micro-pack.cel", cel_rules),
        ("profile-000.yaml", corpus.profiles[0].evidence_yaml(micro)),
        ("profile-000.json", profile),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).map_err(|e| e.to_string())?;
        println!("{}", dir.join(name).display());
    }
    Ok(())
}
