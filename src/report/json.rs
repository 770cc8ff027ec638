//! `--format json`: the assessment as stable, pretty-printed JSON.

use crate::score::assessment::Assessment;

/// One assessment as a JSON object, or several as an array.
pub fn render(assessments: &[Assessment]) -> String {
    let json = match assessments {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    // Serializing plain data structures cannot fail; an empty string would show it did.
    json.unwrap_or_default() + "\n"
}
