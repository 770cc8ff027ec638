//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::expect_used)]

use serde_json::Value;

/// A rule's tree as JSON without source spans, to compare meanings of two spellings.
pub fn ast_json(rule: &assure::ast::Rule) -> Value {
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
