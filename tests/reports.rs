//! The Markdown and HTML council reports: reviewed snapshots of the Markdown for the
//! bundled examples, and what the HTML promises: nothing fetched, everything escaped, one
//! h1 and headings in order, captioned tables, described charts, the same bytes each time.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use assure::advice::{
    Change, ChangeKind, ChangeSet, Direction, EvidenceGap, GapKind, NearMiss, StatementAdvice,
    Supposed, advise,
};
use assure::evidence::Evidence;
use assure::pack::Pack;
use assure::report::{CouncilReport, html, markdown};
use assure::score::assessment::Assessment;
use assure::score::assessment::ConfidenceLevel;

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
            // A link to a source is followed only when clicked; nothing else names an
            // address.
            let link = lower.starts_with("a href=\"http:&#x2f;&#x2f;")
                || lower.starts_with("a href=\"https:&#x2f;&#x2f;");
            for fetching in ["src=", "href=\"//", "url(", "http:", "https:"] {
                assert!(
                    link && fetching.starts_with("http") || !lower.contains(fetching),
                    "{example}: `<{tag}>` fetches"
                );
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
        assert!(tables >= 2, "{example}");
        assert_eq!(
            page.matches("<table>\n<caption>").count(),
            tables,
            "captions"
        );
        for tag in tags.iter().filter(|t| t.starts_with("th ") || **t == "th") {
            assert!(tag.contains("scope=\""), "{example}: <{tag}> without scope");
        }
        // The rating scale is one image, named by its title and described.
        let images: Vec<&&str> = tags.iter().filter(|t| t.contains("role=\"img\"")).collect();
        assert_eq!(images.len(), 1, "{example}: the rating scale");
        let id = images[0]
            .split("aria-labelledby=\"")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("labelled by its title");
        assert!(page.contains(&format!("<title id=\"{id}\">")), "{id}");
        let desc = id.replace("-title", "-desc");
        assert!(page.contains(&format!("<desc id=\"{desc}\">")), "{desc}");
        // The dot charts are lists in words, named by their captions; their strips are
        // hidden from assistive technology, which reads the words.
        let figures: Vec<&&str> = tags
            .iter()
            .filter(|t| t.starts_with("figure class=\"dots\""))
            .collect();
        assert!(!figures.is_empty(), "{example}");
        for figure in figures {
            let id = figure
                .split("aria-labelledby=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("labelled");
            assert!(page.contains(&format!("<figcaption id=\"{id}\">")), "{id}");
        }
        let strips = page.matches("<svg class=\"strip\"").count();
        let hidden = page
            .matches("<svg class=\"strip\" width=\"100%\" height=\"18\" aria-hidden=\"true\"")
            .count()
            + page
                .matches("<li class=\"axis\" aria-hidden=\"true\">")
                .count();
        assert!(
            strips > 0 && strips == hidden,
            "{example}: {strips} strips, {hidden} hidden"
        );
    }
}

/// Every `href="#x"` in a page has an element with `id="x"`.
fn assert_links_resolve(page: &str) {
    for tag in tags(page) {
        if let Some(rest) = tag.split("href=\"#").nth(1) {
            let target = rest.split('"').next().unwrap_or_default();
            assert!(
                page.contains(&format!("id=\"{target}\"")),
                "a link to #{target} with nothing there"
            );
        }
    }
}

/// Page one of an HTML report: from its section to the charts that follow it.
fn page_one(page: &str) -> &str {
    page.split_once("<section class=\"page-one\"")
        .and_then(|(_, rest)| rest.split_once("<section class=\"charts\""))
        .map(|(one, _)| one)
        .expect("page one")
}

#[test]
fn page_one_tells_the_whole_story_and_links_to_the_detail() {
    let pack = default_pack();
    for example in EXAMPLES {
        let scored = Scored::new(Path::new(example), &pack);
        let page = html(&scored.report(&pack)).unwrap();
        assert_links_resolve(&page);
        let one = page_one(&page);
        let words = words_of(one);
        let overall = &scored.assessment.overall;
        match &overall.rating {
            Some(rating) => assert!(words.contains(rating.as_str())),
            None => assert!(words.contains("Partial result, not a rating"), "{example}"),
        }
        if let Some(range) = &overall.range {
            assert!(
                words.contains(&format!("{}%–{}%", range.low_percent, range.high_percent)),
                "{example}: the range"
            );
        }
        for s in &scored.assessment.statements {
            assert!(words.contains(&s.name), "{example}: {}", s.name);
            assert!(
                one.contains(&format!("href=\"#statement-{}\"", s.id)),
                "{}",
                s.id
            );
        }
        // Its sentences of why name no rule.
        for rule in scored
            .assessment
            .statements
            .iter()
            .flat_map(|s| &s.justifications)
        {
            assert!(
                !one.contains(&*rule.rule),
                "{example}: rule id {} on page one",
                rule.rule
            );
        }
        assert!(words.contains("What would most move the result"));
        assert!(words.contains("The evidence gaps that matter most"));
        let context = scored.report(&pack).context();
        assert_eq!(context.summary.moves.len(), 3, "{example}");
        assert_eq!(context.summary.gaps.len(), 3, "{example}");
        for anchor in context
            .summary
            .moves
            .iter()
            .map(|m| &m.anchor)
            .chain(context.summary.gaps.iter().map(|g| &g.anchor))
        {
            assert!(
                one.contains(&format!("<li><a href=\"#{anchor}\">")),
                "{anchor}"
            );
        }
    }
}

#[test]
fn page_one_moves_and_gaps_are_the_details_own() {
    let pack = default_pack();
    for example in EXAMPLES {
        let scored = Scored::new(Path::new(example), &pack);
        let context = scored.report(&pack).context();
        let statements: Vec<_> = context.themes.iter().flat_map(|t| &t.statements).collect();
        for m in &context.summary.moves {
            let s = statements
                .iter()
                .find(|s| s.moves_anchor == m.anchor)
                .expect("a move names its statement");
            assert!(
                s.advice
                    .raise
                    .iter()
                    .any(|set| set.score == m.to && set.changes.join(" and ") == m.changes),
                "{example}: {} is not among {}'s moves",
                m.changes,
                s.name
            );
        }
        for g in &context.summary.gaps {
            let s = statements
                .iter()
                .find(|s| s.gaps_anchor == g.anchor)
                .expect("a gap names its statement");
            assert!(
                s.advice.gaps.iter().any(|gap| gap.reach == g.effect),
                "{example}: {} is not among {}'s gaps",
                g.effect,
                s.name
            );
        }
    }
}

#[test]
fn the_charts_draw_the_data() {
    let pack = default_pack();
    let page = html(&Scored::new(Path::new("examples/medway.yaml"), &pack).report(&pack)).unwrap();
    // The rating scale: 5 units a point from 25 at x=10, so the bands start at 10, 80,
    // 200 and 325, the pointer for 65% is at 10 + 40 x 5 = 210, and the range 43%–86%
    // (each of six low-confidence statements one step either way) runs from 100 to 315.
    for (x, width, band) in [(10, 70, 1), (80, 120, 2), (200, 125, 3), (325, 60, 4)] {
        assert!(
            page.contains(&format!(
                "<rect class=\"band band-{band}\" x=\"{x}\" y=\"38\" width=\"{width}\""
            )),
            "band {band}"
        );
    }
    assert!(page.contains("<polygon class=\"marker\" points=\"210,38 202,24 218,24\"/>"));
    assert!(page.contains("<line class=\"range\" x1=\"100\" x2=\"315\""));
    assert!(page.contains(
        "The marker is at 65%, a partial result in the Good band, lower Good, just above Requires improvement. Given confidence it could fall from 43% to 86%."
    ));
    // Scores 1 to 4 sit at 2%, 34%, 66% and 98% of a strip, none from 0: Assessing needs
    // is 2 with medium confidence; Supporting healthier lives 3 with low, so a hollow dot
    // and a whisker from 2 to 4.
    assert!(page.contains("<circle class=\"dot score-2 confidence-medium\" cx=\"34%\""));
    assert!(page.contains(
        "<line class=\"whisker\" x1=\"34%\" x2=\"98%\" y1=\"9\" y2=\"9\"/><line class=\"whisker-end\" x1=\"34%\""
    ));
    assert!(page.contains("<circle class=\"dot score-3 confidence-low\" cx=\"66%\""));
    let words = words_of(&page);
    assert!(words.contains("Assessing needs: 2 of 4, medium confidence"));
    assert!(words.contains(
        "Supporting people to live healthier lives: 3 of 4, low confidence: could be 2 to 4"
    ));
    assert!(words.contains("Equity in experience and outcomes: not scored"));
}

#[test]
fn measures_are_plotted_against_england() {
    let pack = default_pack();
    let page =
        html(&Scored::new(Path::new("examples/staffordshire.yaml"), &pack).report(&pack)).unwrap();
    let words = words_of(&page);
    assert!(
        words.contains(
            "choice over services: 64.72% here; England 70.28%; worse than England average"
        )
    );
    // On a scale from 0% to 100% across 2% to 98% of the strip, 64.72% is at 64.1% and
    // England's 70.28% at 69.5%.
    assert!(page.contains("<line class=\"reference england\" x1=\"69.5%\""));
    assert!(page.contains("<circle class=\"dot value\" cx=\"64.1%\""));
    // Medway's evidence compares no metric with England: no such chart.
    let medway =
        html(&Scored::new(Path::new("examples/medway.yaml"), &pack).report(&pack)).unwrap();
    assert!(!medway.contains("Measures against England"));
}

#[test]
fn sources_are_links_and_values_keep_their_units() {
    let pack = default_pack();
    // Staffordshire with one measure of the council's own survey, which the catalogue lacks.
    let text = std::fs::read_to_string("examples/staffordshire.yaml")
        .unwrap()
        .replacen(
            "  metric: choice over services\n  value: 64.72%",
            "  metric: choice over services (local survey)\n  value: 100%",
            1,
        );
    assert!(text.contains("(local survey)"));
    let path = scratch("units").join("staffordshire.yaml");
    std::fs::write(&path, text).unwrap();
    let scored = Scored::new(&path, &pack);
    let page = html(&scored.report(&pack)).unwrap();
    let words = words_of(&page);
    // A value written `100%` of a metric the catalogue lacks keeps its sign.
    assert!(words.contains("(local survey): 100%"), "{words}");
    // Every http(s) address in the sources is a link, its text the address.
    let sources = page
        .split_once("<h2 id=\"sources\">")
        .and_then(|(_, rest)| rest.split_once("</ol>"))
        .map(|(list, _)| list)
        .expect("the sources");
    let addresses = sources.matches("http:&#x2f;&#x2f;").count()
        + sources.matches("https:&#x2f;&#x2f;").count();
    let links = sources.matches("<a href=\"http").count();
    assert!(
        links > 0 && addresses == 2 * links,
        "{addresses} addresses, {links} links"
    );
    assert!(
        markdown(&scored.report(&pack))
            .unwrap()
            .contains("(<http://londonhomecare.net/care-3.html>)")
    );
}

#[test]
fn the_footer_is_the_council_and_the_date_of_its_evidence() {
    let pack = default_pack();
    let page = html(&Scored::new(Path::new("examples/medway.yaml"), &pack).report(&pack)).unwrap();
    assert!(
        page.contains("@bottom-left { content: \"Medway Council, evidence as of 2024-08-31\";")
    );
    assert!(page.contains("counter(page) \" of \" counter(pages)"));
    assert!(page.contains("size: A4"));
    // Without an `as_of`, the council alone: never today's date.
    let text = std::fs::read_to_string("examples/medway.yaml").unwrap();
    let undated: String = text
        .lines()
        .filter(|line| !line.starts_with("as_of:"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(undated, text, "the date was there to take out");
    let dir = scratch("undated-evidence");
    let path = dir.join("medway.yaml");
    std::fs::write(&path, undated).unwrap();
    let page = html(&Scored::new(&path, &pack).report(&pack)).unwrap();
    assert!(page.contains("@bottom-left { content: \"Medway Council\";"));
}

/// A pack for Medway's assessing needs in which one rule decides the score and two fire
/// without effect: a cap above the score, and `has no effect`.
const DECIDING_PACK: &str = "pack: deciding
version: 0.1.0
framework: cqc-local-authority-2024
---
statement: assessing-needs
baseline: 3
rules:
  - id: an-any-shortfall
    rule: any negative finding lowers score
    why: A shortfall in what is found lowers the score.
  - id: an-cap-at-three
    rule: any positive finding caps score at 3
  - id: an-noted
    rule: any finding has no effect
";

#[test]
fn only_what_decided_the_score_is_under_why() {
    let dir = scratch("deciding-pack");
    let pack_path = dir.join("deciding.yaml");
    std::fs::write(&pack_path, DECIDING_PACK).unwrap();
    let pack = assure::load_pack(Some(&pack_path)).expect("the pack loads");
    let scored = Scored::new(Path::new("examples/medway.yaml"), &pack);
    let needs = &scored.assessment.statements[0];
    assert_eq!(needs.score, Some(2));
    assert_eq!(needs.justifications.len(), 3, "all three fire");
    let context = scored.report(&pack).context();
    let view = &context.themes[0].statements[0];
    let decisive: Vec<&str> = view.decisive.iter().map(|r| r.rule.as_str()).collect();
    let no_effect: Vec<&str> = view.no_effect.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(decisive, ["an-any-shortfall"]);
    assert_eq!(no_effect, ["an-cap-at-three", "an-noted"]);
    assert_eq!(
        view.arithmetic,
        "The statement starts at 3; the rules move it by −1 to 2: score 2."
    );
    assert!(
        view.why
            .starts_with("Shortfalls in processes, among them “"),
        "{}",
        view.why
    );
    for text in [
        markdown(&scored.report(&pack)).unwrap(),
        words_of(&html(&scored.report(&pack)).unwrap()),
    ] {
        let (_, after) = text.split_once("Why this score").unwrap();
        let (why, _) = after.split_once("What would change it").unwrap();
        assert!(why.contains("A shortfall in what is found lowers the score."));
        assert!(!why.contains("caps score"), "{why}");
        let (_, apart) = text
            .split_once("Rules that fired without moving the score")
            .unwrap();
        assert!(apart.contains("an-cap-at-three"));
        assert!(apart.contains("an-noted"));
    }
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
        )
        .replace(
            "  tags: [accessibility, information and advice]\n  source: CQC assessment report (Medway, January 2025), Assessing needs (https://cqc.org.uk./care-services/local-authority-assessment-reports/medway-0125-theme1-needs)",
            "  tags: [accessibility, information and advice]\n  source: \"javascript:alert(3) then https://example.org/a\\\"onmouseover=alert(4) and <https://example.org/b>\"",
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
    // In a source, only the http(s) addresses are links, their quotes escaped; any other
    // scheme is text.
    assert!(page.contains("\">javascript:alert(3) then <a href=\"https:&#x2f;&#x2f;example.org&#x2f;a\">https:&#x2f;&#x2f;example.org&#x2f;a</a>&quot;onmouseover=alert(4) and &lt;"));
    assert!(!page.contains("href=\"javascript"));
    assert!(page.contains("and &lt;<a href=\"https:&#x2f;&#x2f;example.org&#x2f;b\">https:&#x2f;&#x2f;example.org&#x2f;b</a>&gt;"));
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
    assert!(
        text.contains("javascript:alert(3) then <https://example.org/a>\"onmouseover=alert(4) and \\<<https://example.org/b>\\>"),
        "{text}"
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
            category: Some(assure::lang::ast::Category::Processes),
            change: change("reviews completed on time", "63%", "75%", Some("target")),
            margin: "12 points".to_string(),
        }],
        gaps: vec![EvidenceGap {
            kind: GapKind::Metric,
            category: Some(assure::lang::ast::Category::Outcomes),
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
        assert!(text.contains("to 3: reviews completed on time: 63% → 75% (target) and two more positive findings from feedback from partners"), "{text}");
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
