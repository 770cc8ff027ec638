//! Shapes the JSON Schemas give to fields the loaders read more freely than serde would:
//! a number that may be written as text with its unit, and text that may be one or a list.
//! Marker types only: `#[schemars(with = ...)]` on the loaders' own document types names them.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A number as YAML writes it, or as text: `63.5`, `"63.5%"`, `2 points`. The loaders read
/// both exactly and check the number against its unit.
pub(crate) struct Quantity;

impl JsonSchema for Quantity {
    fn schema_name() -> Cow<'static, str> {
        "Quantity".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number, or text such as `63.5%` or `2 points`; read as an exact decimal.",
            "type": ["number", "string"]
        })
    }
}

/// Text, or a list of texts.
pub(crate) struct OneOrMany;

impl JsonSchema for OneOrMany {
    fn schema_name() -> Cow<'static, str> {
        "OneOrMany".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" } }
            ]
        })
    }
}
