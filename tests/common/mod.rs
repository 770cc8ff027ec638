//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs the `assure` binary from the crate root, as a user would.
pub fn assure(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assure"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Runs the `assure` binary in `dir`, so messages name files as relative paths.
pub fn assure_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_assure"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch directory of the calling test's own under the target directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A rule's tree as JSON without source spans, to compare meanings of two spellings.
pub fn ast_json(rule: &assure::lang::ast::Rule) -> Value {
    let mut value = serde_json::to_value(rule).expect("the AST serializes");
    without_spans(&mut value);
    value
}

fn without_spans(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("span");
            map.values_mut().for_each(without_spans);
        }
        Value::Array(items) => items.iter_mut().for_each(without_spans),
        _ => {}
    }
}
