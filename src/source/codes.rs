//! Every finding `assure check` can report, with a stable code and name. The codes are
//! part of the interface (scripts and SARIF consumers key on them): never renumber one.

use crate::source::diagnostic::Severity;

/// One kind of finding.
#[derive(Clone, Copy, Debug)]
pub struct Code {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the finding means.
    pub summary: &'static str,
    /// One line: how to fix it.
    pub help: &'static str,
}

pub const UNKNOWN_METRIC: &str = "A001";
pub const UNKNOWN_STATEMENT: &str = "A002";
pub const DUPLICATE_RULE_ID: &str = "A003";
pub const DUPLICATE_KEY: &str = "A004";
pub const MISSING_WHY: &str = "A101";
pub const MISSING_CITES: &str = "A102";
pub const UNKNOWN_TAG: &str = "A103";
pub const UNAVAILABLE_REFERENCE: &str = "A104";
pub const POLARITY: &str = "A105";
pub const STATEMENT_WITHOUT_RULES: &str = "A106";
pub const CATEGORY_NOT_READ: &str = "A107";
pub const NOT_MONOTONE: &str = "A108";
pub const UNSATISFIABLE: &str = "A201";
pub const CONFLICT: &str = "A202";
pub const REDUNDANT: &str = "A203";
pub const DEAD: &str = "A204";
pub const UNDECIDED: &str = "A205";
pub const GAP: &str = "A206";
pub const EVIDENCE_NOT_MONOTONE: &str = "A301";
pub const NOT_SCALE_FREE: &str = "A302";
pub const ABSENCE_SCORED: &str = "A303";

/// The table of codes, in code order.
pub const CODES: &[Code] = &[
    Code {
        code: UNKNOWN_METRIC,
        name: "unknown-metric",
        severity: Severity::Error,
        summary: "a rule names a metric that is not in the catalogue",
        help: "use a catalogue name, alias or ASCOF code, or add the metric to the pack's metrics.yaml",
    },
    Code {
        code: UNKNOWN_STATEMENT,
        name: "unknown-statement",
        severity: Severity::Error,
        summary: "a statement file names a quality statement the framework does not have",
        help: "use one of the statement ids in rules/framework.yaml",
    },
    Code {
        code: DUPLICATE_RULE_ID,
        name: "duplicate-rule-id",
        severity: Severity::Error,
        summary: "two rules of the pack share an id",
        help: "give every rule an id of its own",
    },
    Code {
        code: DUPLICATE_KEY,
        name: "duplicate-key",
        severity: Severity::Error,
        summary: "a YAML mapping gives the same key twice",
        help: "remove or rename one of the two keys",
    },
    Code {
        code: MISSING_WHY,
        name: "missing-why",
        severity: Severity::Warning,
        summary: "a rule has no `why`",
        help: "add `why:` saying, for a council officer, why the rule moves the score",
    },
    Code {
        code: MISSING_CITES,
        name: "missing-cites",
        severity: Severity::Warning,
        summary: "a rule has no `cites`",
        help: "add `cites:` naming the framework text, statute or national measure the rule rests on",
    },
    Code {
        code: UNKNOWN_TAG,
        name: "unknown-tag",
        severity: Severity::Warning,
        summary: "a rule tests a finding tag that is not in the framework's tag vocabulary",
        help: "use a tag listed under `tags:` in rules/framework.yaml",
    },
    Code {
        code: UNAVAILABLE_REFERENCE,
        name: "unavailable-reference",
        severity: Severity::Error,
        summary: "a rule compares a local-only metric with an England, regional or comparator average, which does not exist for it",
        help: "compare with the council's target, the previous value or a stated threshold",
    },
    Code {
        code: POLARITY,
        name: "polarity",
        severity: Severity::Warning,
        summary: "a rule lowers the score when a metric moves the better way, or raises it when it moves the worse way",
        help: "check the metric's `better:` in the catalogue; `worse than` and `better than` follow it",
    },
    Code {
        code: STATEMENT_WITHOUT_RULES,
        name: "statement-without-rules",
        severity: Severity::Warning,
        summary: "a quality statement of the framework has no rules, so it is never scored",
        help: "add a statement file with rules for it",
    },
    Code {
        code: CATEGORY_NOT_READ,
        name: "category-not-read",
        severity: Severity::Warning,
        summary: "no rule of a statement reads one of the four main evidence categories",
        help: "add a rule that names the category (`... findings from <category>` or `no evidence from <category>`)",
    },
    Code {
        code: NOT_MONOTONE,
        name: "not-monotone",
        severity: Severity::Warning,
        summary: "a metric test lets a better value lower the score (or a worse one raise it): `in line with`, an `unless` exception, or a cap or floor beside the baseline",
        help: "compare in the direction the rule moves the score (`worse than` for a rule that lowers), or split the rule",
    },
    Code {
        code: UNSATISFIABLE,
        name: "unsatisfiable",
        severity: Severity::Error,
        summary: "a rule's condition can never be true, so the rule never fires",
        help: "the condition contradicts itself; correct the thresholds or the logic",
    },
    Code {
        code: CONFLICT,
        name: "conflict",
        severity: Severity::Warning,
        summary: "two rules of a statement read the same evidence, can both fire, and pull the score opposite ways",
        help: "make the conditions exclusive (for example with `unless`), or merge the rules",
    },
    Code {
        code: REDUNDANT,
        name: "redundant",
        severity: Severity::Warning,
        summary: "whenever one rule fires another with the same effect fires too",
        help: "remove one of the two, or make the narrower rule say what it adds",
    },
    Code {
        code: DEAD,
        name: "dead-rule",
        severity: Severity::Warning,
        summary: "a rule can never change the score",
        help: "remove the rule, or change its effect or condition",
    },
    Code {
        code: UNDECIDED,
        name: "undecided",
        severity: Severity::Warning,
        summary: "the analysis could not decide a question within its bounds",
        help: "simplify the rule, or split it; see docs/check.md for the bounds",
    },
    Code {
        code: GAP,
        name: "gap",
        severity: Severity::Warning,
        summary: "some values of a metric the statement compares are scored by no rule",
        help: "add a rule for these values, or a `... has no effect` rule to mark them a deliberate neutral band",
    },
    Code {
        code: EVIDENCE_NOT_MONOTONE,
        name: "evidence-not-monotone",
        severity: Severity::Warning,
        summary: "more negative evidence (a negative finding, a metric made worse) raises a statement's score, or more positive evidence lowers it",
        help: "weigh the evidence by its balance (`more negative than positive evidence`) so each side only ever pulls its own way",
    },
    Code {
        code: NOT_SCALE_FREE,
        name: "not-scale-free",
        severity: Severity::Warning,
        summary: "the same evidence given twice over changes a statement's score",
        help: "weigh shares of the evidence (`most`, a balance) rather than counts such as `at least 2`; a metric given twice is read once, so findings weighed against metrics shift too",
    },
    Code {
        code: ABSENCE_SCORED,
        name: "absence-scored",
        severity: Severity::Warning,
        summary: "a rule lowers or caps a score because evidence is missing",
        help: "missing evidence should lower the confidence in a score, never the score: remove the rule, or test what the evidence shows",
    },
];

/// The entry for a code; every code used is in the table (a test checks it).
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|entry| entry.code == code)
}
