//! `assure check`: static analysis of a rule pack, the auditor's view. Findings carry a
//! stable code (docs/check.md), a severity, the places in the pack they are about, and for
//! logic findings an evidence profile that shows the problem.
//!
//! [`lint`] checks each rule against the framework and catalogue; [`satisfiability`]
//! decides questions about what rules can do together, exactly, with the solver in
//! [`crate::logic`].

mod gaps;
mod invariants;
mod lint;
mod satisfiability;

use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::pack::{Pack, PackRule};
use crate::source::codes;
use crate::source::diagnostic::{Diagnostic, Failure, Severity, SourceFile};

pub use crate::logic::counterexample::{Change, CounterFinding, CounterMetric, Counterexample};

/// One finding about a pack.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// The primary place first.
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counterexample: Option<Counterexample>,
    /// For an invariant: the change to the counterexample that moves the score the wrong way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Ids of the rules the finding is about, primary first (none for a finding about a
    /// statement or the pack as a whole).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// A place in a pack file.
#[derive(Clone, Debug)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

impl Location {
    /// 1-based line and column.
    pub fn line_column(&self) -> (usize, usize) {
        self.file.line_column(self.span.start)
    }

    /// The id of a rule, where the rule starts in its file.
    pub fn of_rule(rule: &PackRule) -> Location {
        Location {
            file: Arc::clone(&rule.origin.file),
            span: rule.origin.id_span.clone(),
        }
    }

    /// A part of a rule's sentence.
    pub fn in_rule(rule: &PackRule, span: crate::lang::ast::Span) -> Location {
        Location {
            file: Arc::clone(&rule.origin.file),
            span: rule.origin.file_span(span),
        }
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (line, column) = self.line_column();
        let mut out = serializer.serialize_struct("Location", 3)?;
        out.serialize_field("file", &self.file.name)?;
        out.serialize_field("line", &line)?;
        out.serialize_field("column", &column)?;
        out.end()
    }
}

impl Finding {
    /// A finding of a kind in the code table, with that kind's severity and help.
    fn new(code: &'static str, message: impl Into<String>, at: Location) -> Finding {
        let entry = codes::lookup(code);
        Finding {
            code,
            name: entry.map_or("", |e| e.name),
            severity: entry.map_or(Severity::Error, |e| e.severity),
            message: message.into(),
            help: entry.map_or("", |e| e.help).to_string(),
            locations: vec![at],
            counterexample: None,
            change: None,
            rules: Vec::new(),
        }
    }

    fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = help.into();
        self
    }

    fn also_at(mut self, at: Location) -> Finding {
        self.locations.push(at);
        self
    }

    /// The evidence profile that shows the finding, and the rules it makes fire.
    fn with_counterexample(
        mut self,
        counterexample: Counterexample,
        rules: &[&PackRule],
    ) -> Finding {
        self.counterexample = Some(counterexample);
        self.rules = rules.iter().map(|rule| rule.id.clone()).collect();
        self
    }

    /// The finding as a diagnostic at its primary location, for text output.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let help = (!self.help.is_empty()).then(|| self.help.clone());
        let mut diagnostic = Diagnostic::worded(self.severity, self.message.clone(), None, help)
            .with_code(self.code);
        if let Some(first) = self.locations.first() {
            diagnostic = diagnostic.at(&first.file, first.span.clone());
        }
        for other in self.locations.iter().skip(1) {
            let (line, column) = other.line_column();
            diagnostic =
                diagnostic.with_note("see also", format!("{}:{line}:{column}", other.file.name));
        }
        if let Some(example) = &self.counterexample {
            let text = match &self.change {
                Some(change) => format!(
                    "{example} ({})",
                    change
                        .score_before
                        .map_or("not scored".to_string(), |s| format!("score {s}"))
                ),
                None => example.to_string(),
            };
            diagnostic = diagnostic.with_note("for example", text);
        }
        if let Some(change) = &self.change {
            let after = change
                .score_after
                .map_or("not scored".to_string(), |s| format!("score {s}"));
            diagnostic = diagnostic.with_note(
                "then",
                format!("{}: {} ({after})", change.what, change.after),
            );
        }
        diagnostic
    }
}

/// Everything `assure check` finds in a loaded pack, in file order.
pub fn check(pack: &Pack) -> Vec<Finding> {
    let spares = crate::logic::theory::Spares::new(pack);
    let mut findings = lint::lint(pack);
    findings.extend(satisfiability::analyse(pack, &spares));
    findings.extend(gaps::analyse(pack));
    findings.extend(invariants::analyse(pack, &spares));
    name_rules(pack, &mut findings);
    sort(&mut findings);
    findings
}

/// Names the rules each finding is about, from the places it points at: a rule's id or a
/// part of its sentence. A finding that names its rules already keeps them.
fn name_rules(pack: &Pack, findings: &mut [Finding]) {
    // Per file, the id and sentence spans of its rules, by where they start.
    let mut spans: std::collections::HashMap<&str, Vec<(Range<usize>, &str)>> =
        std::collections::HashMap::new();
    for (_, rule) in pack.rules() {
        let file = spans.entry(rule.origin.file.name.as_str()).or_default();
        file.push((rule.origin.id_span.clone(), rule.id.as_str()));
        file.push((rule.origin.sentence_span(), rule.id.as_str()));
    }
    for file in spans.values_mut() {
        file.sort_by_key(|(span, _)| span.start);
    }
    for finding in findings.iter_mut().filter(|f| f.rules.is_empty()) {
        for location in &finding.locations {
            let Some(file) = spans.get(location.file.name.as_str()) else {
                continue;
            };
            let at = location.span.start;
            let before = file.partition_point(|(span, _)| span.start <= at);
            let Some((span, id)) = before.checked_sub(1).and_then(|i| file.get(i)) else {
                continue;
            };
            if (span.contains(&at) || span.start == at) && !finding.rules.iter().any(|r| r == id) {
                finding.rules.push((*id).to_string());
            }
        }
    }
}

/// Load errors that have a finding code, as findings; `None` when any load error has no
/// code (the pack could not be read at all).
pub fn load_findings(failure: &Failure) -> Option<Vec<Finding>> {
    let mut findings = Vec::new();
    for diagnostic in &failure.diagnostics {
        let code = codes::lookup(diagnostic.code()?)?;
        let (Some(file), Some(span)) = (&diagnostic.source, &diagnostic.span) else {
            return None;
        };
        let at = Location {
            file: Arc::clone(file),
            span: span.clone(),
        };
        let mut finding = Finding::new(code.code, diagnostic.message.clone(), at);
        if let Some(help) = &diagnostic.help {
            finding = finding.with_help(help.clone());
        }
        // The pack did not load, so the rule is known by the id the loader gave.
        finding.rules = diagnostic.rule().map(str::to_string).into_iter().collect();
        findings.push(finding);
    }
    sort(&mut findings);
    Some(findings)
}

fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            f.locations
                .first()
                .map(|l| (l.file.name.clone(), l.span.start))
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Whether findings fail a run: any error, or any warning when warnings are denied.
pub fn fails(findings: &[Finding], deny_warnings: bool) -> bool {
    findings
        .iter()
        .any(|f| f.severity == Severity::Error || deny_warnings)
}

#[cfg(test)]
mod soundness;
#[cfg(test)]
mod tests;
