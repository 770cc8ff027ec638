//! Renderers of `assure check` findings: text like every other diagnostic, a stable JSON
//! array, and SARIF 2.1.0 for code-scanning tools (built with serde-sarif's types, so the
//! shape follows the published schema).

use serde_sarif::sarif;

use crate::check::{Finding, Location};
use crate::source::codes::CODES;
use crate::source::diagnostic::{Diagnostic, Severity};

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One rendered diagnostic per finding, then a summary line.
pub fn text(findings: &[Finding]) -> String {
    // What the files said reaches a terminal: controls are shown, never acted on.
    crate::source::escape::text(&text_unescaped(findings)).into_owned()
}

fn text_unescaped(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&finding.to_diagnostic().render());
        out.push('\n');
    }
    out.push_str(&summary(findings));
    out.push('\n');
    out
}

/// `2 errors, 1 warning`, or `no findings`.
pub fn summary(findings: &[Finding]) -> String {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if findings.is_empty() {
        "no findings".to_string()
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

/// The findings as a pretty-printed JSON array.
pub fn json(findings: &[Finding]) -> Result<String, crate::source::diagnostic::Diagnostic> {
    super::json::pretty(findings)
}

/// The findings as a SARIF 2.1.0 log with one run. File names are made relative to `base`
/// when they start with it, as code-scanning tools want repository-relative paths.
pub fn sarif(
    findings: &[Finding],
    base: Option<&str>,
) -> Result<String, crate::source::diagnostic::Diagnostic> {
    let rules: Vec<sarif::ReportingDescriptor> = CODES
        .iter()
        .map(|code| {
            let level = match code.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            sarif::ReportingDescriptor::builder()
                .id(code.code)
                .name(code.name)
                .short_description(message_string(code.summary))
                .full_description(message_string(code.summary))
                .help(message_string(code.help))
                .default_configuration(
                    sarif::ReportingConfiguration::builder()
                        .level(serde_json::Value::from(level))
                        .build(),
                )
                .build()
        })
        .collect();
    let results: Vec<sarif::Result> = findings
        .iter()
        .map(|finding| {
            let index = CODES
                .iter()
                .position(|c| c.code == finding.code)
                .unwrap_or(0);
            let mut text = finding.message.clone();
            // The evidence that shows the finding, in words and as data.
            let mut properties = std::collections::BTreeMap::new();
            if let Some(example) = &finding.counterexample {
                text.push_str(&format!("\nfor example: {example}"));
                properties.insert("counterexample".to_string(), super::json::value(example)?);
            }
            if let Some(change) = &finding.change {
                let score =
                    |s: Option<u8>| s.map_or("not scored".to_string(), |s| format!("score {s}"));
                text.push_str(&format!(
                    "\nthen: {}: {} ({}, was {})",
                    change.what,
                    change.after,
                    score(change.score_after),
                    score(change.score_before)
                ));
                properties.insert("change".to_string(), super::json::value(change)?);
            }
            // The pack's rules the finding is about (SARIF's `ruleId` is the finding code).
            if !finding.rules.is_empty() {
                properties.insert(
                    "rules".to_string(),
                    serde_json::Value::from(finding.rules.clone()),
                );
            }
            if !finding.help.is_empty() {
                text = format!("{text}\nhelp: {}", finding.help);
            }
            let level = match finding.severity {
                Severity::Error => sarif::ResultLevel::Error,
                Severity::Warning => sarif::ResultLevel::Warning,
            };
            let locations: Vec<sarif::Location> = finding
                .locations
                .iter()
                .take(1)
                .map(|l| location(l, base))
                .collect();
            let related: Vec<sarif::Location> = finding
                .locations
                .iter()
                .skip(1)
                .map(|l| location(l, base))
                .collect();
            let result = sarif::Result::builder()
                .rule_id(finding.code)
                .rule_index(i64::try_from(index).unwrap_or(0))
                .level(level)
                .message(sarif::Message::builder().text(text).build())
                .locations(locations);
            let mut built = result.build();
            if !related.is_empty() {
                built.related_locations = Some(related);
            }
            if !properties.is_empty() {
                built.properties = Some(
                    sarif::PropertyBag::builder()
                        .additional_properties(properties)
                        .build(),
                );
            }
            Ok(built)
        })
        .collect::<Result<_, Diagnostic>>()?;
    let driver = sarif::ToolComponent::builder()
        .name("assure")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .results(results)
        .build();
    let log = sarif::Sarif::builder()
        .schema(SARIF_SCHEMA)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    super::json::pretty(&log)
}

/// What a path in a SARIF `uri` may hold as it is (RFC 3986 unreserved characters and
/// `/`); everything else is percent-encoded.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

fn message_string(text: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder()
        .text(text)
        .build()
}

fn location(at: &Location, base: Option<&str>) -> sarif::Location {
    let (line, column) = at.line_column();
    let mut uri = at.file.name.replace('\\', "/");
    if let Some(base) = base {
        let prefix = format!("{}/", base.trim_end_matches('/'));
        if let Some(rest) = uri.strip_prefix(&prefix) {
            uri = rest.to_string();
        }
    }
    // A URI reference: spaces, `#`, `%` and the like percent-encoded, `/` kept.
    let uri =
        percent_encoding::utf8_percent_encode(uri.trim_start_matches("./"), URI_PATH).to_string();
    sarif::Location::builder()
        .physical_location(
            sarif::PhysicalLocation::builder()
                .artifact_location(sarif::ArtifactLocation::builder().uri(uri).build())
                .region(
                    sarif::Region::builder()
                        .start_line(i64::try_from(line).unwrap_or(1))
                        .start_column(i64::try_from(column).unwrap_or(1))
                        .build(),
                )
                .build(),
        )
        .build()
}
