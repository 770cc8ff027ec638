//! The micro-pack: five quality statements of twenty rules each, generated from a seed.
//! Every engine is built from this one list of rules, so they all express the same thing.
//!
//! Each statement reads eight catalogue metrics. Every metric has two rules: one on the
//! side that is worse for the metric (its `better:` polarity decides whether that is below
//! or above the reference) that lowers the score (caps it, for the first metric), and one
//! on the better side that raises it. A local-only metric is compared with its `target`, any other metric with its
//! `England average`, so the pack is what `assure check` would accept. Four more rules
//! count findings. The tests are the plain threshold forms (`below`, `above`, `at or below`,
//! `at or above`, all exact comparisons with no tolerance), `at least N`, `any` and `no`.
//!
//! Statements combine as in `assure::combine`: baseline 3, plus raises, minus lowers, then
//! the lowest cap, clamped to 1..4. The pack has no floors (`lifts score to at least`).

use std::fmt::Write as _;

use assure::pack::catalogue::{Catalogue, Polarity, Unit};

/// The evidence categories findings are filed under (the four CQC uses for councils).
pub const CATEGORIES: [&str; 4] = [
    "people's experience",
    "feedback from staff and leaders",
    "feedback from partners",
    "processes",
];

/// The statements of the micro-pack: framework id, a key usable as an identifier in every
/// peer language, the prefix of its rule ids, and the eight catalogue metrics it reads.
const STATEMENTS: [(&str, &str, &str, [&str; 8]); 5] = [
    (
        "assessing-needs",
        "assessing_needs",
        "an",
        [
            "care act assessment waiting days",
            "care act assessments completed within 28 days",
            "people waiting for a care act assessment",
            "reviews completed on time",
            "carers assessment waiting days",
            "control over daily life",
            "satisfied with care and support",
            "carers included or consulted",
        ],
    ),
    (
        "supporting-healthier-lives",
        "supporting_healthier_lives",
        "sh",
        [
            "still at home 91 days after reablement",
            "short-term support with no further request",
            "occupational therapy assessment waiting days",
            "longest wait for an equipment assessment",
            "easy to find information about support",
            "carers easy to find information",
            "direct payments uptake",
            "social care-related quality of life",
        ],
    ),
    (
        "equity-in-experience-and-outcomes",
        "equity_in_experience_and_outcomes",
        "eq",
        [
            "ethnicity recorded",
            "learning disability in paid employment",
            "learning disability living in own home or with family",
            "complaints responded to within timescale",
            "choice over services",
            "as much social contact as they would like",
            "carer-reported quality of life",
            "able to make choices about how they live",
        ],
    ),
    (
        "care-provision-integration-continuity",
        "care_provision_integration_continuity",
        "cp",
        [
            "domiciliary care sourced within timescale",
            "residential care sourced within timescale",
            "supported living sourced within timescale",
            "people placed out of area",
            "residential homes rated good or outstanding",
            "domiciliary care rated good or outstanding",
            "social care vacancy rate",
            "carers able to take a break",
        ],
    ),
    (
        "partnerships-and-communities",
        "partnerships_and_communities",
        "pc",
        [
            "discharged to usual place of residence",
            "young people with a transition plan by 18",
            "care home admissions 65 and over",
            "care home admissions 18 to 64",
            "carers satisfied with social services",
            "services made them feel safe and secure",
            "feel safe",
            "social care staff turnover",
        ],
    ),
];

/// The score every statement starts from.
pub const BASELINE: u8 = 3;

/// The comparator a metric rule reads from the evidence item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    Target,
    EnglandAverage,
}

impl Reference {
    /// The words in a rule sentence.
    pub fn words(self) -> &'static str {
        match self {
            Reference::Target => "target",
            Reference::EnglandAverage => "england average",
        }
    }

    /// The field of an evidence item, and of a metric in the peers' JSON input.
    pub fn field(self) -> &'static str {
        match self {
            Reference::Target => "target",
            Reference::EnglandAverage => "england_average",
        }
    }
}

/// An exact comparison of a value with its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Below,
    Above,
    AtOrBelow,
    AtOrAbove,
}

impl Op {
    pub fn words(self) -> &'static str {
        match self {
            Op::Below => "below",
            Op::Above => "above",
            Op::AtOrBelow => "at or below",
            Op::AtOrAbove => "at or above",
        }
    }

    /// The operator in zen, CEL and Rego alike.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Below => "<",
            Op::Above => ">",
            Op::AtOrBelow => "<=",
            Op::AtOrAbove => ">=",
        }
    }
}

/// How many matching findings a rule asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `at least N` (and `any`, which is `at least 1`).
    AtLeast(u8),
    /// `no`: none matches. Like every test in `assure`, it needs evidence: when the
    /// statement has no finding from the category at all, the test is unknown and the
    /// rule does not fire.
    No,
}

/// What a rule tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `<metric> <op> <reference>`: does not fire when the statement has no item for the
    /// metric, or the item lacks the reference.
    Metric {
        /// Index into the statement's metrics.
        metric: usize,
        op: Op,
        reference: Reference,
    },
    /// `<quantifier> [sentiment] findings [from <category>]`.
    Findings {
        quantifier: Quantifier,
        sentiment: Option<&'static str>,
        category: Option<&'static str>,
    },
}

/// What a fired rule does to its statement's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Lower(u8),
    Raise(u8),
    CapAt(u8),
}

impl Effect {
    pub fn words(self) -> String {
        match self {
            Effect::Lower(1) => "lowers score".to_string(),
            Effect::Lower(n) => format!("lowers score by {n}"),
            Effect::Raise(1) => "raises score".to_string(),
            Effect::Raise(n) => format!("raises score by {n}"),
            Effect::CapAt(n) => format!("caps score at {n}"),
        }
    }

    /// The signed adjustment (0 for a cap).
    pub fn adjustment(self) -> i64 {
        match self {
            Effect::Lower(n) => -i64::from(n),
            Effect::Raise(n) => i64::from(n),
            Effect::CapAt(_) => 0,
        }
    }

    /// The cap (4, which the clamp applies anyway, for an adjustment).
    pub fn cap(self) -> i64 {
        match self {
            Effect::CapAt(n) => i64::from(n),
            _ => 4,
        }
    }
}

/// A catalogue metric as one statement reads it.
#[derive(Debug, Clone)]
pub struct MetricSpec {
    /// The catalogue name.
    pub name: &'static str,
    /// An identifier for the peers' JSON input: the name in snake case.
    pub key: String,
    pub unit: Unit,
    pub better: Polarity,
    /// The reference its rules compare with: `target` for a local-only metric.
    pub reference: Reference,
    /// The evidence category a council files it under.
    pub category: &'static str,
    /// The top of a `score` metric's scale.
    pub max: Option<rust_decimal::Decimal>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub condition: Condition,
    pub effect: Effect,
}

#[derive(Debug, Clone)]
pub struct StatementSpec {
    /// The framework's id, e.g. `assessing-needs`.
    pub id: &'static str,
    /// The same as an identifier, e.g. `assessing_needs`.
    pub key: &'static str,
    pub baseline: u8,
    pub metrics: Vec<MetricSpec>,
    pub rules: Vec<Rule>,
}

/// The micro-pack: what every engine is built from.
#[derive(Debug, Clone)]
pub struct MicroPack {
    pub statements: Vec<StatementSpec>,
}

/// The identifier form of a metric name: lower case, runs of other characters as `_`.
pub fn key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_matches('_').to_string()
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut n = rng.u32(..total);
    for &(value, weight) in weighted {
        if n < weight {
            return value;
        }
        n -= weight;
    }
    weighted[weighted.len() - 1].0
}

impl MicroPack {
    /// The micro-pack for a seed, its metrics described by the catalogue.
    pub fn generate(seed: u64, catalogue: &Catalogue) -> Result<MicroPack, String> {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut statements = Vec::new();
        for (id, key, prefix, names) in STATEMENTS {
            let mut metrics = Vec::new();
            for name in names {
                let metric = catalogue
                    .lookup(name)
                    .map(|m| catalogue.metric(m))
                    .ok_or_else(|| format!("`{name}` is not in the catalogue"))?;
                metrics.push(MetricSpec {
                    name,
                    key: key_of(name),
                    unit: metric.unit,
                    better: metric.better,
                    reference: if metric.local {
                        Reference::Target
                    } else {
                        Reference::EnglandAverage
                    },
                    category: metric.category.map_or("processes", |c| c.as_str()),
                    max: metric.max,
                });
            }
            let mut conditions_and_effects = Vec::new();
            for (index, metric) in metrics.iter().enumerate() {
                let inclusive = rng.u32(..4) == 0;
                let (worse, better) = match (metric.better, inclusive) {
                    (Polarity::Higher, false) => (Op::Below, Op::Above),
                    (Polarity::Higher, true) => (Op::AtOrBelow, Op::Above),
                    (Polarity::Lower, false) => (Op::Above, Op::Below),
                    (Polarity::Lower, true) => (Op::AtOrAbove, Op::Below),
                };
                // One cap per statement, on its first metric; the other metrics lower.
                let lower = if index == 0 {
                    pick(&mut rng, &[(Effect::CapAt(2), 2), (Effect::CapAt(1), 1)])
                } else {
                    pick(&mut rng, &[(Effect::Lower(1), 4), (Effect::Lower(2), 1)])
                };
                let raise = pick(&mut rng, &[(Effect::Raise(1), 3), (Effect::Raise(2), 2)]);
                for (op, effect) in [(worse, lower), (better, raise)] {
                    conditions_and_effects.push((
                        Condition::Metric {
                            metric: index,
                            op,
                            reference: metric.reference,
                        },
                        effect,
                    ));
                }
            }
            let mut categories = CATEGORIES;
            rng.shuffle(&mut categories);
            let findings = [
                (
                    Quantifier::AtLeast(2),
                    Some("negative"),
                    Some(categories[0]),
                    Effect::Lower(1),
                ),
                (
                    Quantifier::AtLeast(rng.u8(2..=4)),
                    Some("positive"),
                    None,
                    Effect::Raise(1),
                ),
                (
                    Quantifier::AtLeast(1),
                    Some("negative"),
                    Some(categories[1]),
                    Effect::CapAt(3),
                ),
                (
                    Quantifier::No,
                    Some("positive"),
                    Some(categories[2]),
                    Effect::Lower(1),
                ),
            ];
            for (quantifier, sentiment, category, effect) in findings {
                conditions_and_effects.push((
                    Condition::Findings {
                        quantifier,
                        sentiment,
                        category,
                    },
                    effect,
                ));
            }
            let rules = conditions_and_effects
                .into_iter()
                .enumerate()
                .map(|(n, (condition, effect))| Rule {
                    id: format!("{prefix}-{:02}", n + 1),
                    condition,
                    effect,
                })
                .collect();
            statements.push(StatementSpec {
                id,
                key,
                baseline: BASELINE,
                metrics,
                rules,
            });
        }
        Ok(MicroPack { statements })
    }

    /// The number of rules.
    pub fn rule_count(&self) -> usize {
        self.statements.iter().map(|s| s.rules.len()).sum()
    }

    /// Every rule id with its statement, in pack order.
    pub fn rule_ids(&self) -> impl Iterator<Item = (&str, &str)> {
        self.statements
            .iter()
            .flat_map(|s| s.rules.iter().map(move |r| (s.id, r.id.as_str())))
    }

    /// A rule as a sentence of our language.
    pub fn sentence(statement: &StatementSpec, rule: &Rule) -> String {
        let condition = match &rule.condition {
            Condition::Metric {
                metric,
                op,
                reference,
            } => format!(
                "{} {} {}",
                statement.metrics[*metric].name,
                op.words(),
                reference.words()
            ),
            Condition::Findings {
                quantifier,
                sentiment,
                category,
            } => {
                let (quantifier, plural) = match quantifier {
                    Quantifier::AtLeast(1) => ("any".to_string(), false),
                    Quantifier::AtLeast(n) => (format!("at least {n}"), true),
                    Quantifier::No => ("no".to_string(), true),
                };
                let mut words = quantifier;
                if let Some(sentiment) = sentiment {
                    write!(words, " {sentiment}").ok();
                }
                words.push_str(if plural { " findings" } else { " finding" });
                if let Some(category) = category {
                    write!(words, " from {category}").ok();
                }
                words
            }
        };
        format!("{condition} {}", rule.effect.words())
    }

    /// The pack in our language: one file of YAML documents, a header and a statement each.
    pub fn pack_yaml(&self) -> String {
        let mut text = String::from(
            "pack: peers-micro-pack\nversion: 1.0.0\nframework: cqc-local-authority-2024\n",
        );
        for statement in &self.statements {
            writeln!(
                text,
                "---\nstatement: {}\nbaseline: {}\nrules:",
                statement.id, statement.baseline
            )
            .ok();
            for rule in &statement.rules {
                writeln!(
                    text,
                    "  - id: {}\n    rule: {}\n    why: Generated for the peer comparison.\n    cites: peers/src/micropack.rs",
                    rule.id,
                    Self::sentence(statement, rule)
                )
                .ok();
            }
        }
        text
    }
}

/// Score from baseline, summed adjustments and the lowest cap, clamped to 1..4: the host-side
/// combine the CEL peer uses (the others combine inside the engine).
pub fn combine(baseline: u8, effects: impl IntoIterator<Item = Effect>) -> u8 {
    let mut adjusted = i64::from(baseline);
    let mut cap = 4;
    for effect in effects {
        adjusted += effect.adjustment();
        cap = cap.min(effect.cap());
    }
    adjusted.min(cap).clamp(1, 4) as u8
}
