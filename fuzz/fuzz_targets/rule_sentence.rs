//! Any text as a rule sentence: parsing never panics, and whatever parses prints to a
//! canonical sentence that parses to the same meaning and prints the same again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(sentence) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(rule) = assure::lang::parse::parse_rule(sentence) else {
        return;
    };
    let printed = rule.to_string();
    let reparsed = assure::lang::parse::parse_rule(&printed).unwrap_or_else(|e| {
        panic!(
            "canonical `{printed}` of `{sentence}` does not parse: {}",
            e.message
        )
    });
    assert_eq!(
        reparsed.to_string(),
        printed,
        "printing `{sentence}` is not stable"
    );
});
