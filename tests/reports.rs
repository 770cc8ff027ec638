//! The Markdown and HTML council reports: reviewed snapshots of the Markdown for the
//! bundled examples, and what the HTML promises: nothing fetched, everything escaped, one
//! h1 and headings in order, captioned tables, described charts, the same bytes each time.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use assure::advice::{
    Change, ChangeKind, ChangeSet, Direction, EvidenceGap, GapKind, NearMiss, StatementAdvice,
    Supposed, advise,
};
use assure::assessment::Assessment;
use assure::assessment::ConfidenceLevel;
use assure::evidence::Evidence;
use assure::pack::Pack;
use assure::report::{CouncilReport, html, markdown};

const EXAMPLES: [&str; 2] = ["examples/medway.yaml", "examples/staffordshire.yaml"];

/// An evidence file scored with a pack, and its advice: what a report is made from.
struct Scored {
    evidence: Evidence,
    assessment: Assessment,
    advice: Vec<StatementAdvice>,
}

impl Scored {
    fn new(path: &Path, pack: &Pack) -> Scored {
        let evidence = assure::load_evidence(path, pack).expect("the evidence loads");
        let assessment = assure::assess(&evidence, pack);
        let advice = advise(&evidence, pack, &assessment);
        Scored {
            evidence,
            assessment,
            advice,
        }
    }

    fn report<'a>(&'a self, pack: &'a Pack) -> CouncilReport<'a> {
        CouncilReport {
            assessment: &self.assessment,
            advice: &self.advice,
            evidence: &self.evidence,
            pack,
        }
    }
}

fn default_pack() -> Pack {
    assure::load_pack(None).expect("the default pack loads")
}

/// A scratch directory of this test's own under the target directory.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn markdown_of_the_bundled_examples() {
    let pack = default_pack();
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!(env!("CARGO_MANIFEST_DIR"), "examples/*.yaml", |path| {
            let relative = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path);
            let scored = Scored::new(relative, &pack);
            insta::assert_snapshot!("council_markdown", markdown(&scored.report(&pack)).unwrap());
        });
    });
}

#[test]
fn the_same_input_renders_the_same_bytes() {
    let pack = default_pack();
    for example in EXAMPLES {
        let first = Scored::new(Path::new(example), &pack);
        let second = Scored::new(Path::new(example), &pack);
        assert_eq!(
            html(&first.report(&pack)).unwrap(),
            html(&second.report(&pack)).unwrap()
        );
        assert_eq!(
            markdown(&first.report(&pack)).unwrap(),
            markdown(&second.report(&pack)).unwrap()
        );
    }
}

/// Each tag of an HTML page, from `<` to `>` (the reports put no `>` inside attributes).
fn tags(page: &str) -> Vec<&str> {
    page.split('<')
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| tag))
        .collect()
}

#[test]
fn html_fetches_nothing_and_forbids_fetching() {
    let pack = default_pack();
    for example in EXAMPLES {
        let page = html(&Scored::new(Path::new(example), &pack).report(&pack)).unwrap();
        assert!(
            page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{example}"
        );
        assert!(
            page.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            ),
            "{example}: the CSP meta"
        );
        assert!(page.contains("<meta name=\"viewport\""), "{example}");
        for tag in tags(&page) {
            let lower = tag.to_lowercase();
            for fetching in [
                "src=",
                "href=\"http",
                "href=\"//",
                "url(",
                "http:",
                "https:",
            ] {
                assert!(!lower.contains(fetching), "{example}: `<{tag}>` fetches");
            }
            for element in [
                "script", "link", "iframe", "object", "embed", "img", "image",
            ] {
                let name = lower.split_whitespace().next().unwrap_or_default();
                assert_ne!(name, element, "{example}: a <{element}> element");
            }
        }
        let style = page
            .split_once("<style>")
            .and_then(|(_, rest)| rest.split_once("</style>"))
            .map(|(style, _)| style)
            .expect("an inline stylesheet");
        for fetching in ["url(", "@import", "http"] {
            assert!(
                !style.contains(fetching),
                "{example}: the stylesheet fetches"
            );
        }
    }
}

#[test]
fn html_headings_tables_and_charts_are_accessible() {
    let pack = default_pack();
    for example in EXAMPLES {
        let page = html(&Scored::new(Path::new(example), &pack).report(&pack)).unwrap();
        let tags = tags(&page);
        let levels: Vec<u8> = tags
            .iter()
            .filter_map(|tag| {
                let mut chars = tag.chars();
                match (chars.next(), chars.next(), chars.next()) {
                    (Some('h'), Some(level @ '1'..='6'), Some(' ') | None) => {
                        level.to_digit(10).map(|l| l as u8)
                    }
                    _ => None,
                }
            })
            .collect();
        assert_eq!(levels.iter().filter(|&&l| l == 1).count(), 1, "one h1");
        assert_eq!(levels.first(), Some(&1), "the h1 comes first");
        for pair in levels.windows(2) {
            assert!(
                pair[1] <= pair[0] + 1,
                "{example}: h{} after h{}",
                pair[1],
                pair[0]
            );
        }
        let tables = page.matches("<table>").count();
        assert!(tables >= 4, "{example}");
        assert_eq!(
            page.matches("<table>\n<caption>").count(),
            tables,
            "captions"
        );
        for tag in tags.iter().filter(|t| t.starts_with("th ") || **t == "th") {
            assert!(tag.contains("scope=\""), "{example}: <{tag}> without scope");
        }
        let charts: Vec<&&str> = tags.iter().filter(|t| t.starts_with("svg ")).collect();
        assert_eq!(charts.len(), 3, "{example}: three charts");
        for chart in charts {
            assert!(chart.contains("role=\"img\""), "{chart}");
            let id = chart
                .split("aria-labelledby=\"")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .expect("labelled by its title");
            assert!(page.contains(&format!("<title id=\"{id}\">")), "{id}");
            let desc = id.replace("-title", "-desc");
            assert!(page.contains(&format!("<desc id=\"{desc}\">")), "{desc}");
        }
    }
}

#[test]
fn the_charts_draw_the_data() {
    let pack = default_pack();
    let page = html(&Scored::new(Path::new("examples/medway.yaml"), &pack).report(&pack)).unwrap();
    // The rating scale: 5 units a point from 25 at x=10, so the bands start at 10, 80,
    // 200 and 325, and the pointer for 65% is at 10 + 40 x 5 = 210.
    for (x, width, band) in [(10, 70, 1), (80, 120, 2), (200, 125, 3), (325, 60, 4)] {
        assert!(
            page.contains(&format!(
                "<rect class=\"band band-{band}\" x=\"{x}\" y=\"38\" width=\"{width}\""
            )),
            "band {band}"
        );
    }
    assert!(page.contains("<polygon class=\"marker\" points=\"210,38 202,24 218,24\"/>"));
    // A score of 2 fills half the 400-unit track; a theme at 63% fills 252 units.
    assert!(page.contains("<rect class=\"bar score-2\" x=\"10\""));
    assert!(page.contains("width=\"200\" height=\"22\""));
    assert!(page.contains("<rect class=\"bar theme\" x=\"10\""));
    assert!(page.contains("width=\"252\" height=\"22\""));
}

#[test]
fn the_charts_describe_their_data_in_words() {
    let pack = default_pack();
    let page = html(&Scored::new(Path::new("examples/medway.yaml"), &pack).report(&pack)).unwrap();
    assert!(
        page.contains(
            "Assessing needs: 2 of 4; Supporting people to live healthier lives: 3 of 4;"
        )
    );
    assert!(page.contains("Working with people: 63%; Providing support: 63%;"));
    assert!(page.contains(
        "The marker is at 65%, a partial result in the Good band, lower Good, just above Requires improvement."
    ));
    assert!(page.contains("Inadequate 25 to 38; Requires improvement 39 to 62; Good 63 to 87; Outstanding 88 and above"));
}

/// Medway's evidence with markup in the authority's name, a cited finding and its source.
fn hostile_evidence() -> std::path::PathBuf {
    let text = std::fs::read_to_string("examples/medway.yaml").unwrap();
    let finding = "  finding: Parts of the council's website were not fully accessible; the council knew this and had listed it as\n    something to improve.";
    assert!(text.contains(finding));
    let text = text
        .replace(
            "authority: Medway Council",
            "authority: \"Medway <script>alert('name')</script> & Co\"",
        )
        .replace(
            finding,
            "  finding: \"<img src=x onerror=alert(1)> [click](javascript:alert(2)) **bold** | cell\"",
        );
    let dir = scratch("hostile-evidence");
    let path = dir.join("medway.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn html_escapes_markup_from_the_evidence() {
    let pack = default_pack();
    let scored = Scored::new(&hostile_evidence(), &pack);
    let page = html(&scored.report(&pack)).unwrap();
    assert!(!page.contains("<script"), "the authority's name is escaped");
    assert!(!page.contains("<img"), "the finding is escaped");
    assert!(
        page.contains("Medway &lt;script&gt;alert(&#x27;name&#x27;)&lt;&#x2f;script&gt; &amp; Co")
    );
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the finding is shown"
    );
}

#[test]
fn markdown_escapes_markup_from_the_evidence() {
    let pack = default_pack();
    let scored = Scored::new(&hostile_evidence(), &pack);
    let text = markdown(&scored.report(&pack)).unwrap();
    assert!(text.starts_with("# Medway \\<script\\>alert('name')\\</script\\> & Co: proposed"));
    assert!(
        text.contains("\\<img src=x onerror=alert(1)\\> \\[click\\](javascript:alert(2)) \\*\\*bold\\*\\* \\| cell"),
        "the finding is shown, inert"
    );
}

/// The words of an HTML page: tags dropped, the few entities the reports use decoded.
fn words_of(page: &str) -> String {
    let mut words = String::new();
    for (index, part) in page.split('<').enumerate() {
        let text = if index == 0 {
            part
        } else {
            part.split_once('>').map_or("", |(_, text)| text)
        };
        words.push_str(text);
    }
    words
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Advice as the advice module will give it, for templates to show.
fn some_advice(statement: &str, score: Option<u8>) -> StatementAdvice {
    let change = |subject: &str, from: &str, to: &str, note: Option<&str>| Change {
        kind: ChangeKind::Value,
        item: Some("item".to_string()),
        subject: subject.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        added: None,
        finding: None,
        note: note.map(str::to_string),
        direction: Direction::Better,
    };
    let findings = Change {
        kind: ChangeKind::Findings,
        item: None,
        subject: "positive finding from feedback from partners".to_string(),
        from: "1".to_string(),
        to: "3".to_string(),
        added: Some(2),
        finding: None,
        note: None,
        direction: Direction::Better,
    };
    StatementAdvice {
        statement: statement.to_string(),
        score,
        raise: vec![ChangeSet {
            score: 3,
            changes: vec![
                change("reviews completed on time", "63%", "75%", Some("target")),
                findings,
            ],
        }],
        drop: vec![ChangeSet {
            score: 1,
            changes: vec![change(
                "care act assessment waiting days",
                "20 days",
                "above 28 days",
                None,
            )],
        }],
        near_misses: vec![NearMiss {
            rule: "an-reviews-on-target".to_string(),
            effect: "has no effect".to_string(),
            category: Some(assure::ast::Category::Processes),
            change: change("reviews completed on time", "63%", "75%", Some("target")),
            margin: "12 points".to_string(),
        }],
        gaps: vec![EvidenceGap {
            kind: GapKind::Metric,
            category: Some(assure::ast::Category::Outcomes),
            wanted: "carers satisfied with social services".to_string(),
            rules: vec!["an-carers-satisfaction-below-england".to_string()],
            weight: 1,
            supposed: Supposed::SameScore,
            confidence_before: Some(ConfidenceLevel::Low),
            confidence_after: Some(ConfidenceLevel::Medium),
            gain: 1,
            lowest: Some(1),
            highest: Some(3),
        }],
    }
}

#[test]
fn advice_is_shown_when_there_is_some() {
    let pack = default_pack();
    let mut scored = Scored::new(Path::new("examples/medway.yaml"), &pack);
    let first = scored.assessment.statements[0].clone();
    scored.advice[0] = some_advice(&first.id, first.score);
    for text in [
        markdown(&scored.report(&pack)).unwrap(),
        words_of(&html(&scored.report(&pack)).unwrap()),
    ] {
        assert!(text.contains("to 3: reviews completed on time: 63% → 75% (target); two more positive findings from feedback from partners"), "{text}");
        assert!(text.contains("to 1: care act assessment waiting days: 20 days → above 28 days"));
        assert!(text.contains(
            "(has no effect, on processes), 12 points away: reviews completed on time: 63% → 75% (target)"
        ));
        assert!(text.contains("carers satisfied with social services"));
        // The gap could make it 1 to 3 once given.
        let reach = match first.score {
            Some(1) => "once given, it could raise it to 3",
            Some(2) => "once given, it could raise it to 3 or lower it to 1",
            Some(_) => "once given, it could lower it to 1",
            None => "",
        };
        assert!(
            text.contains(&format!(
                "(metric, outcomes): confidence low → medium; {reach}"
            )),
            "{text}"
        );
        // The other statements have none, and say so.
        assert!(text.contains(
            "No single or paired change to the evidence, each for the better, was found that would raise the score."
        ));
    }
}

#[test]
fn unscored_statements_say_so_in_both_formats() {
    let pack = assure::load_pack(Some(Path::new("tests/fixtures/packs/ok_minimal.yaml")))
        .expect("the minimal pack loads");
    let scored = Scored::new(Path::new("examples/medway.yaml"), &pack);
    assert!(
        scored
            .assessment
            .statements
            .iter()
            .any(|s| s.score.is_none()),
        "the minimal pack leaves statements unscored"
    );
    let text = markdown(&scored.report(&pack)).unwrap();
    assert!(text.contains(": not scored\n"), "{text}");
    assert!(text.contains("Not scored, so there is no score to raise."));
    let page = html(&scored.report(&pack)).unwrap();
    assert!(page.contains("<span class=\"badge not-scored\">not scored</span>"));
    assert!(page.contains("Not scored, so there is no score to lower."));
}
