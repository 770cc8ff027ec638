//! `--format docx`: one council's report as a Word document for the committee pack, with
//! the same content as the HTML report, read from the same [`Context`]: page one (the
//! result, the statements table, the moves and the gaps, each linked to its place in the
//! detail), a page break, the charts' data as tables, the detail one statement at a time,
//! the sources (each address a link), the decision record and the warnings. Real headings
//! (Heading 1 to 4, so Word's navigation pane and contents work), real tables, A4, and the
//! council, the date of its evidence and "Page N of M" in the footer.
//!
//! Written with docx-rs. Same input, same bytes: the zip entries carry the fixed DOS epoch
//! (the crate's zip has no clock), the document's dates are the evidence's `as_of` (or
//! none), and the ids the crate numbers from process-wide counters (hyperlink and footer
//! relationships, paragraph ids) are numbered again from 1 in document order.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, Hyperlink, HyperlinkType, InstrNUMPAGES, InstrPAGE,
    InstrText, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Shading, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
};

use crate::report::problem::Problem;
use crate::source::diagnostic::{Diagnostic, Worded};

use super::council::Context;
use super::links::Segment;
use super::statement::StatementView;
use super::view::{CouncilReport, EvidenceView};

/// A4 in twentieths of a point, and the margins.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN: i32 = 850;
/// The text's width, for tables.
const TEXT_WIDTH: usize = 11906 - 2 * 850;
const MUTED: &str = "4A4A4A";
const PALE: &str = "F2F2F2";

/// The report as a .docx file's bytes; an error only if the document cannot be packed.
pub fn docx(report: &CouncilReport) -> Result<Vec<u8>, Diagnostic> {
    let context = report.context();
    let mut writer = Writer::new(&context);
    writer.page_one(&context);
    writer.detail(&context);
    writer.end_matter(&context);
    let mut built = writer.doc.build();
    renumber(&mut built);
    let mut bytes = Cursor::new(Vec::new());
    built.pack(&mut bytes).map_err(|e| {
        Problem::Word {
            reason: e.to_string(),
        }
        .unplaced()
    })?;
    Ok(bytes.into_inner())
}

/// The document being written, and the bookmarks its internal links point at.
struct Writer {
    doc: Docx,
    /// Report anchors in the order first named, each a bookmark `_a1`, `_a2`, ...:
    /// hidden in Word's bookmark list, and valid whatever the anchor's spelling.
    anchors: Vec<String>,
}

impl Writer {
    fn new(context: &Context) -> Writer {
        let mut doc = Docx::new()
            .page_size(PAGE_WIDTH, PAGE_HEIGHT)
            .page_margin(
                PageMargin::new()
                    .top(MARGIN)
                    .bottom(MARGIN)
                    .left(MARGIN)
                    .right(MARGIN)
                    .header(425)
                    .footer(425),
            )
            .default_size(19)
            .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
            .default_line_spacing(LineSpacing::new().after(60))
            .footer(footer(&context.footer));
        if let Some(date) = &context.as_of {
            let date = format!("{date}T00:00:00Z");
            doc = doc.created_at(&date).updated_at(&date);
        }
        for (level, size) in [(1usize, 32usize), (2, 26), (3, 22), (4, 20)] {
            doc = doc.add_style(
                Style::new(format!("Heading{level}"), StyleType::Paragraph)
                    .name(format!("heading {level}"))
                    .based_on("Normal")
                    .next("Normal")
                    .size(size)
                    .bold()
                    .line_spacing(
                        LineSpacing::new()
                            .before(if level <= 2 { 240 } else { 160 })
                            .after(60),
                    )
                    .outline_lvl(level - 1),
            );
        }
        Writer {
            doc,
            anchors: Vec::new(),
        }
    }

    fn bookmark_id(&mut self, anchor: &str) -> usize {
        match self.anchors.iter().position(|a| a == anchor) {
            Some(index) => index + 1,
            None => {
                self.anchors.push(anchor.to_string());
                self.anchors.len()
            }
        }
    }

    fn add(&mut self, paragraph: Paragraph) {
        let doc = std::mem::take(&mut self.doc);
        self.doc = doc.add_paragraph(paragraph);
    }

    fn add_table(&mut self, table: Table) {
        let doc = std::mem::take(&mut self.doc);
        self.doc = doc.add_table(table);
    }

    /// A heading, bookmarked as `anchor` when links point at it.
    fn heading(&mut self, level: usize, text: &str, anchor: Option<&str>) {
        let mut paragraph = Paragraph::new()
            .style(&format!("Heading{level}"))
            .keep_next(true);
        match anchor {
            Some(anchor) => {
                let id = self.bookmark_id(anchor);
                paragraph = paragraph
                    .add_bookmark_start(id, format!("_a{id}"))
                    .add_run(Run::new().add_text(text))
                    .add_bookmark_end(id);
            }
            None => paragraph = paragraph.add_run(Run::new().add_text(text)),
        }
        self.add(paragraph);
    }

    /// A link within the document to `anchor`.
    fn link(&mut self, text: &str, anchor: &str) -> Hyperlink {
        let id = self.bookmark_id(anchor);
        Hyperlink::new(format!("_a{id}"), HyperlinkType::Anchor).add_run(
            Run::new()
                .add_text(text)
                .color("1D4F91")
                .underline("single"),
        )
    }

    fn text(&mut self, text: &str) {
        self.add(Paragraph::new().add_run(Run::new().add_text(text)));
    }

    fn muted(&mut self, text: &str) {
        self.add(Paragraph::new().add_run(Run::new().add_text(text).size(16).color(MUTED)));
    }

    fn bullet(&mut self, runs: Vec<Run>) {
        let mut paragraph = bulleted().add_run(Run::new().add_text("• "));
        for run in runs {
            paragraph = paragraph.add_run(run);
        }
        self.add(paragraph);
    }

    fn page_one(&mut self, c: &Context) {
        self.heading(
            1,
            &format!("{}: proposed CQC assessment", c.authority),
            None,
        );
        let mut meta = String::new();
        if let Some(code) = &c.code {
            meta.push_str(&format!("Authority code {code}. "));
        }
        if let Some(date) = &c.as_of {
            meta.push_str(&format!("Evidence as of {date}. "));
        }
        meta.push_str(&format!(
            "Scored with the rule pack {}; these are proposed scores, not CQC's.",
            c.record.pack
        ));
        self.muted(&meta);

        self.heading(2, "Overall result", None);
        self.add(
            Paragraph::new().add_run(Run::new().add_text(&c.summary.headline).bold().size(28)),
        );
        let mut standing = c.summary.standing.clone();
        if let Some(exact) = &c.overall.exact_percent {
            standing.push_str(&format!(" Unrounded, {exact}%; CQC rounds up."));
        }
        self.text(&standing);
        if let Some(range) = &c.overall.range {
            self.text(&format!("Range given confidence: {range}."));
        }
        let bands: Vec<String> = c
            .bands
            .iter()
            .map(|b| {
                let this = if b.current { " (this result)" } else { "" };
                format!("{} {}{this}", b.rating, b.range)
            })
            .collect();
        self.muted(&format!("Rating bands: {}.", bands.join("; ")));

        self.heading(2, "Quality statements", None);
        let mut rows: Vec<TableRow> = vec![header_row(
            &["Quality statement and why", "Score", "Confidence"],
            &[7, 1, 2],
        )];
        for theme in &c.themes {
            let result = match theme.percent {
                Some(percent) => format!("{percent}% ({} of {} points)", theme.total, theme.max),
                None => "not scored".to_string(),
            };
            let link = self.link(&theme.name, &theme.anchor);
            rows.push(TableRow::new(vec![
                TableCell::new()
                    .grid_span(3)
                    .shading(Shading::new().fill(PALE))
                    .add_paragraph(
                        cell_paragraph()
                            .add_hyperlink(link)
                            .add_run(Run::new().add_text(format!(" {result}")).color(MUTED)),
                    ),
            ]));
            for s in &theme.statements {
                let link = self.link(&s.name, &s.anchor);
                let name = TableCell::new()
                    .width(width(&[7, 1, 2], 0), WidthType::Dxa)
                    .add_paragraph(cell_paragraph().add_hyperlink(link).bold())
                    .add_paragraph(
                        cell_paragraph().add_run(Run::new().add_text(&s.why).size(16).color(MUTED)),
                    );
                rows.push(
                    TableRow::new(vec![
                        name,
                        cell_text(&s.score.map_or("–".to_string(), |n| n.to_string()), true),
                        cell_text(s.confidence.as_deref().unwrap_or("–"), false),
                    ])
                    .cant_split(),
                );
            }
        }
        self.add_table(
            Table::new(rows)
                .set_grid(grid(&[7, 1, 2]))
                .width(TEXT_WIDTH, WidthType::Dxa),
        );

        self.heading(2, "What would most move the result", None);
        if c.summary.moves.is_empty() {
            self.text(&c.summary.moves_none);
        }
        for (m, n) in c.summary.moves.iter().zip(1..) {
            let link = self.link(
                &format!("{}, {} → {}", m.statement, m.from, m.to),
                &m.anchor,
            );
            self.add(
                bulleted()
                    .add_run(Run::new().add_text(format!("{n}. ")))
                    .add_hyperlink(link)
                    .add_run(Run::new().add_text(format!(": {}; {}.", m.changes, m.overall))),
            );
        }
        self.heading(2, "The evidence gaps that matter most", None);
        if c.summary.gaps.is_empty() {
            self.text(&c.summary.gaps_none);
        }
        for (g, n) in c.summary.gaps.iter().zip(1..) {
            let link = self.link(&g.statement, &g.anchor);
            self.add(
                bulleted()
                    .add_run(Run::new().add_text(format!("{n}. ")))
                    .add_hyperlink(link)
                    .add_run(Run::new().add_text(format!(": {}; {}.", g.wanted, g.effect))),
            );
        }
    }

    fn detail(&mut self, c: &Context) {
        // The detail starts on a page of its own (a page break before the heading, not a
        // paragraph of its own that a full page one would push onto an empty page).
        self.add(
            Paragraph::new()
                .style("Heading2")
                .keep_next(true)
                .page_break_before(true)
                .add_run(Run::new().add_text("The scores and measures in charts")),
        );
        for chart in std::iter::once(&c.charts.statements).chain(&c.charts.metrics) {
            // The rows' words carry the data; the legend speaks of the HTML's dots.
            self.add(
                Paragraph::new()
                    .keep_next(true)
                    .add_run(Run::new().add_text(&chart.title).bold()),
            );
            let rows = chart
                .rows
                .iter()
                .map(|row| vec![cell_text(&row.name, true), cell_text(&row.details, false)])
                .collect();
            self.add_table(table(&["", "In words"], &[4, 5], rows));
        }
        for theme in &c.themes {
            let title = match theme.percent {
                Some(percent) => format!(
                    "{} {percent}% ({} of {} points)",
                    theme.name, theme.total, theme.max
                ),
                None => theme.name.clone(),
            };
            self.heading(2, &title, Some(&theme.anchor));
            for s in &theme.statements {
                self.statement(s);
            }
        }
    }

    fn statement(&mut self, s: &StatementView) {
        let score = match s.score {
            Some(score) => format!("{score} of 4"),
            None => "not scored".to_string(),
        };
        self.heading(3, &format!("{}: {score}", s.name), Some(&s.anchor));
        self.add(
            Paragraph::new()
                .keep_next(true)
                .add_run(Run::new().add_text(&s.why).bold()),
        );
        if s.score.is_some() {
            self.add(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(format!("{}. ", s.descriptor.as_deref().unwrap_or_default())),
                    )
                    .add_run(
                        Run::new()
                            .add_text(format!(
                                "Confidence {}. ",
                                s.confidence.as_deref().unwrap_or_default()
                            ))
                            .bold(),
                    )
                    .add_run(Run::new().add_text(&s.confidence_reasons)),
            );
        }
        if !s.we.is_empty() {
            self.add(
                Paragraph::new().add_run(
                    Run::new()
                        .add_text(format!("We statement: {}", s.we))
                        .italic()
                        .color(MUTED)
                        .size(17),
                ),
            );
        }
        if !s.shows.is_empty() {
            self.heading(4, "What the evidence shows", None);
        }
        for category in &s.shows {
            let mut head = category.title.clone();
            if let Some(weight) = category.weight {
                head.push_str(&format!(" (counts {weight}×)"));
            }
            if let Some(score) = category.score {
                head.push_str(&format!(": {score} of 4"));
            }
            self.add(
                Paragraph::new()
                    .keep_next(true)
                    .add_run(Run::new().add_text(head).bold())
                    .add_run(
                        Run::new()
                            .add_text(format!("; {}", category.counts))
                            .color(MUTED),
                    ),
            );
            for item in &category.items {
                let runs = self.item_runs(item);
                let mut paragraph = bulleted().add_run(Run::new().add_text("• "));
                for run in runs.0 {
                    paragraph = paragraph.add_run(run);
                }
                if let Some(link) = runs.1 {
                    paragraph = paragraph.add_hyperlink(link);
                }
                self.add(paragraph);
            }
        }
        self.heading(4, "Why this score", None);
        for r in &s.decisive {
            let place = match r.categories.as_str() {
                "" => format!(" ({})", r.effect),
                categories => format!(" ({} in {categories})", r.effect),
            };
            self.bullet(vec![
                Run::new().add_text(&r.reason),
                Run::new().add_text(place).color(MUTED),
            ]);
        }
        if s.score.is_some() {
            self.text(&s.arithmetic);
        } else {
            self.text("Not scored, so there is no score to explain.");
        }
        self.heading(4, "What would change it", Some(&s.moves_anchor));
        let sets = |sets: &[super::statement::ChangeSetView]| {
            sets.iter()
                .map(|set| format!("to {}: {}", set.score, set.changes.join(" and ")))
                .collect::<Vec<_>>()
                .join("; or ")
        };
        let raise = if s.advice.raise.is_empty() {
            s.advice.raise_none.clone()
        } else {
            format!("{}.", sets(&s.advice.raise))
        };
        let drop = if s.advice.drop.is_empty() {
            s.advice.drop_none.clone()
        } else {
            format!("{}.", sets(&s.advice.drop))
        };
        self.bullet(vec![
            Run::new().add_text("To raise it: ").bold(),
            Run::new().add_text(raise),
        ]);
        self.bullet(vec![
            Run::new().add_text("What would lower it: ").bold(),
            Run::new().add_text(drop),
        ]);
        self.heading(4, "Evidence gaps", Some(&s.gaps_anchor));
        if s.advice.gaps.is_empty() {
            self.text("No missing evidence found that the rules would read.");
        }
        for gap in &s.advice.gaps {
            self.bullet(vec![
                Run::new().add_text(&gap.wanted),
                Run::new().add_text(format!(" ({})", gap.kind)).color(MUTED),
                Run::new().add_text(format!(": {}.", gap.reach)),
            ]);
        }
        self.analyst(s);
    }

    /// An evidence item's words, and the link to its source.
    fn item_runs(&mut self, item: &EvidenceView) -> (Vec<Run>, Option<Hyperlink>) {
        let mut runs = vec![
            Run::new()
                .add_text(format!("{} ", item.shows))
                .bold()
                .color(MUTED),
            Run::new().add_text(&item.text),
        ];
        if let Some(period) = &item.period {
            runs.push(Run::new().add_text(format!(" ({period})")).color(MUTED));
        }
        if !item.read {
            runs.push(Run::new().add_text(" (no rule reads it)").color(MUTED));
        }
        let link = match (item.source, &item.source_anchor) {
            (Some(n), Some(anchor)) => {
                runs.push(Run::new().add_text(" "));
                Some(self.link(&format!("[{n}]"), anchor))
            }
            _ => None,
        };
        (runs, link)
    }

    /// Rules, values and locations, in smaller grey type.
    fn analyst(&mut self, s: &StatementView) {
        self.heading(4, "For the analyst: rules, values and locations", None);
        let small = |text: String| Run::new().add_text(text).size(16).color(MUTED);
        if s.decisive.is_empty() {
            self.muted("No rule decided the score: it is the starting score.");
        } else {
            self.muted("Rules that decided the score:");
        }
        for r in &s.decisive {
            self.bullet(vec![small(format!(
                "{} {}: {}, at {}",
                r.rule, r.effect, r.text, r.location
            ))]);
            for f in &r.fired {
                let tests: Vec<String> = f
                    .tests
                    .iter()
                    .map(|t| format!("{}: {}, {}", t.test, t.actual, t.outcome))
                    .collect();
                let mut words = match (&f.category, &f.impact) {
                    (Some(category), Some(impact)) => format!("In {category} ({impact}): "),
                    (Some(category), None) => format!("In {category}: "),
                    (None, Some(impact)) => format!("({impact}) "),
                    (None, None) => String::new(),
                };
                words.push_str(&tests.join("; "));
                if !f.evidence.is_empty() {
                    let ids: Vec<&str> = f.evidence.iter().map(|e| e.id.as_str()).collect();
                    words.push_str(&format!(". Read {}", ids.join(", ")));
                }
                self.add(
                    bulleted()
                        .indent(Some(720), None, None, None)
                        .add_run(small(format!("– {words}."))),
                );
            }
            if !r.cites.is_empty() {
                self.add(
                    bulleted()
                        .indent(Some(720), None, None, None)
                        .add_run(small(format!("– Cites: {}", r.cites.join("; ")))),
                );
            }
        }
        if !s.no_effect.is_empty() {
            self.muted("Rules that fired without moving the score:");
            for r in &s.no_effect {
                let place = if r.categories.is_empty() {
                    String::new()
                } else {
                    format!(" in {}", r.categories)
                };
                self.bullet(vec![small(format!(
                    "{} {}{place}: {}, at {}",
                    r.rule, r.effect, r.text, r.location
                ))]);
            }
        }
        let plural = if s.not_fired == 1 { "" } else { "s" };
        self.muted(&format!(
            "{} other rule{plural} evaluated and did not fire.",
            s.not_fired
        ));
        for lack in &s.lacking {
            self.bullet(vec![small(format!(
                "Could not be evaluated for lack of {}: {}",
                lack.wanted,
                lack.rules.join(", ")
            ))]);
        }
        for near in &s.advice.near_misses {
            let on = near
                .category
                .as_ref()
                .map(|c| format!(", on {c}"))
                .unwrap_or_default();
            self.bullet(vec![small(format!(
                "Near miss: {} ({}{on}), {} away: {}",
                near.rule, near.effect, near.margin, near.change
            ))]);
        }
        if !s.gap_rules.is_empty() {
            self.muted(&format!(
                "Rules that would read the missing evidence: {}.",
                s.gap_rules.join(", ")
            ));
        }
    }

    fn end_matter(&mut self, c: &Context) {
        self.heading(2, "Sources", None);
        if c.sources.is_empty() {
            self.text("The evidence names no sources.");
        }
        for source in &c.sources {
            let id = self.bookmark_id(&source.anchor);
            let mut paragraph = bulleted()
                .add_bookmark_start(id, format!("_a{id}"))
                .add_run(Run::new().add_text(format!("{}. ", source.number)))
                .add_bookmark_end(id);
            for segment in &source.segments {
                paragraph = match segment {
                    Segment {
                        href: Some(href),
                        text,
                    } => paragraph.add_hyperlink(
                        Hyperlink::new(href, HyperlinkType::External).add_run(
                            Run::new()
                                .add_text(text)
                                .color("1D4F91")
                                .underline("single"),
                        ),
                    ),
                    Segment { text, href: None } => paragraph.add_run(Run::new().add_text(text)),
                };
            }
            self.add(paragraph);
        }
        self.heading(2, "Evidence no rule reads", None);
        if c.uncited.is_empty() {
            self.text("Every evidence item is read by some rule.");
        } else {
            let names: Vec<&str> = c.uncited.iter().map(|u| u.name.as_str()).collect();
            let plural = if names.len() == 1 { "" } else { "s" };
            self.text(&format!(
                "{} item{plural} of evidence no rule of the pack reads (a metric the catalogue lacks, or a measure with no target or England average to judge it by), each shown under its statement: {}.",
                names.len(),
                names.join("; ")
            ));
        }
        self.heading(2, "Decision record", None);
        let r = &c.record;
        let rows = [
            ("Engine", r.engine.clone()),
            ("Rule pack", r.pack.clone()),
            ("Pack hash", r.pack_hash.clone()),
            ("Evidence file", r.evidence_file.clone()),
            ("Evidence hash", r.evidence_hash.clone()),
            ("Rules evaluated", r.rules_evaluated.to_string()),
        ]
        .into_iter()
        .map(|(name, value)| vec![cell_text(name, true), cell_text(&value, false)])
        .collect();
        self.add_table(table(&["Item", "Value"], &[1, 3], rows));
        self.heading(3, "Warnings", None);
        if c.warnings.is_empty() {
            self.text("None.");
        }
        for warning in &c.warnings {
            self.bullet(vec![Run::new().add_text(warning).size(16)]);
        }
    }
}

/// A paragraph with a hanging indent, for list items.
fn bulleted() -> Paragraph {
    Paragraph::new().indent(
        Some(360),
        Some(docx_rs::SpecialIndentType::Hanging(240)),
        None,
        None,
    )
}

/// The council and the date of its evidence, then the page number, on each page's foot.
fn footer(text: &str) -> Footer {
    let field = |instruction: InstrText| {
        Run::new()
            .add_field_char(FieldCharType::Begin, false)
            .add_instr_text(instruction)
            .add_field_char(FieldCharType::Separate, false)
            .add_text("1")
            .add_field_char(FieldCharType::End, false)
            .size(16)
            .color(MUTED)
    };
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Left)
            .add_run(Run::new().add_text(text).size(16).color(MUTED))
            .add_run(Run::new().add_tab())
            .add_run(Run::new().add_text("Page ").size(16).color(MUTED))
            .add_run(field(InstrText::PAGE(InstrPAGE::new())))
            .add_run(Run::new().add_text(" of ").size(16).color(MUTED))
            .add_run(field(InstrText::NUMPAGES(InstrNUMPAGES::new())))
            .add_tab(
                docx_rs::Tab::new()
                    .val(docx_rs::TabValueType::Right)
                    .pos(TEXT_WIDTH),
            ),
    )
}

/// Column widths in parts of the text's width, as twentieths of a point.
fn grid(parts: &[usize]) -> Vec<usize> {
    let total: usize = parts.iter().sum();
    parts
        .iter()
        .map(|p| TEXT_WIDTH * p / total.max(1))
        .collect()
}

fn width(parts: &[usize], column: usize) -> usize {
    grid(parts).get(column).copied().unwrap_or_default()
}

/// A paragraph in a table cell: no space after it.
fn cell_paragraph() -> Paragraph {
    Paragraph::new().line_spacing(LineSpacing::new().after(0))
}

fn cell_text(text: &str, bold: bool) -> TableCell {
    let run = Run::new().add_text(text);
    TableCell::new().add_paragraph(cell_paragraph().add_run(if bold { run.bold() } else { run }))
}

fn header_row(names: &[&str], parts: &[usize]) -> TableRow {
    TableRow::new(
        names
            .iter()
            .zip(grid(parts))
            .map(|(name, w)| {
                TableCell::new()
                    .width(w, WidthType::Dxa)
                    .shading(Shading::new().fill(PALE))
                    .add_paragraph(cell_paragraph().add_run(Run::new().add_text(*name).bold()))
            })
            .collect(),
    )
    .cant_split()
}

/// A table with a header row, its columns in the given proportions.
fn table(names: &[&str], parts: &[usize], rows: Vec<Vec<TableCell>>) -> Table {
    let mut all = vec![header_row(names, parts)];
    all.extend(
        rows.into_iter()
            .map(|cells| TableRow::new(cells).cant_split()),
    );
    Table::new(all)
        .set_grid(grid(parts))
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// Numbers again, from 1 in the order they first appear, the ids docx-rs takes from
/// process-wide counters, so the same report is the same bytes however many documents
/// the process wrote before it.
fn renumber(built: &mut docx_rs::XMLDocx) {
    for prefix in ["rIdHyperlink", "rIdFooter", "rIdHeader"] {
        let order = ids_in(&[&built.document, &built.document_rels], prefix);
        for part in [&mut built.document, &mut built.document_rels] {
            *part = replace_ids(part, prefix, &order, "");
        }
    }
    built.document_rels = sorted_relationships(&built.document_rels);
    let mut parts: Vec<&mut Vec<u8>> = vec![&mut built.document];
    parts.extend(built.footers.iter_mut());
    let order = ids_in(
        &parts.iter().map(|p| &**p).collect::<Vec<_>>(),
        "w14:paraId=\"",
    );
    for part in parts {
        *part = replace_ids(part, "w14:paraId=\"", &order, "hex");
    }
}

/// The relationships part with the hyperlinks' relationships in the order of their
/// (renumbered) ids, after the others in the order written: docx-rs lists them in an
/// order that depends on its counters.
fn sorted_relationships(rels: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(rels);
    let (Some(start), Some(end)) = (text.find("<Relationship "), text.rfind("</Relationships>"))
    else {
        return rels.to_vec();
    };
    let mut elements: Vec<&str> = text[start..end]
        .split_inclusive("/>")
        .filter(|e| !e.trim().is_empty())
        .collect();
    let hyperlink = |element: &str| -> Option<u64> {
        let id = element.split("Id=\"rIdHyperlink").nth(1)?;
        id.split('"').next()?.parse().ok()
    };
    elements.sort_by_key(|element| hyperlink(element).map_or((0, 0), |n| (1, n)));
    let mut out = text[..start].to_string();
    out.push_str(&elements.concat());
    out.push_str(&text[end..]);
    out.into_bytes()
}

/// The ids after `prefix` (letters and digits), in order of first appearance.
fn ids_in(parts: &[&Vec<u8>], prefix: &str) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for part in parts {
        let text = String::from_utf8_lossy(part);
        let mut rest: &str = &text;
        while let Some(at) = rest.find(prefix) {
            let after = &rest[at + prefix.len()..];
            let end = after
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(after.len());
            let id = after[..end].to_string();
            if !order.contains(&id) {
                order.push(id);
            }
            rest = &after[end..];
        }
    }
    order
}

/// `part` with each id after `prefix` replaced by its place in `order`, from 1 (as eight
/// hex digits for paragraph ids).
fn replace_ids(part: &[u8], prefix: &str, order: &[String], form: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(part);
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(at) = rest.find(prefix) {
        out.push_str(&rest[..at + prefix.len()]);
        let after = &rest[at + prefix.len()..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        let id = &after[..end];
        let place = order.iter().position(|o| o == id).map_or(0, |p| p + 1);
        if form == "hex" {
            out.push_str(&format!("{place:08X}"));
        } else {
            out.push_str(&place.to_string());
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numbered_again_in_order() {
        let document =
            b"<a r:id=\"rIdHyperlink7\"/><b r:id=\"rIdHyperlink3\"/><a r:id=\"rIdHyperlink7\"/>"
                .to_vec();
        let order = ids_in(&[&document], "rIdHyperlink");
        assert_eq!(order, ["7", "3"]);
        assert_eq!(
            String::from_utf8(replace_ids(&document, "rIdHyperlink", &order, "")).unwrap(),
            "<a r:id=\"rIdHyperlink1\"/><b r:id=\"rIdHyperlink2\"/><a r:id=\"rIdHyperlink1\"/>"
        );
        let paragraphs = b"<w:p w14:paraId=\"0000002A\"><w:p w14:paraId=\"00000009\">".to_vec();
        let order = ids_in(&[&paragraphs], "w14:paraId=\"");
        assert_eq!(
            String::from_utf8(replace_ids(&paragraphs, "w14:paraId=\"", &order, "hex")).unwrap(),
            "<w:p w14:paraId=\"00000001\"><w:p w14:paraId=\"00000002\">"
        );
    }

    #[test]
    fn hyperlink_relationships_are_listed_in_order() {
        let rels = b"<Relationships x=\"y\"><Relationship Id=\"rId1\" /><Relationship Id=\"rIdHyperlink2\" /><Relationship Id=\"rIdFooter1\" /><Relationship Id=\"rIdHyperlink1\" /></Relationships>";
        assert_eq!(
            String::from_utf8(sorted_relationships(rels)).unwrap(),
            "<Relationships x=\"y\"><Relationship Id=\"rId1\" /><Relationship Id=\"rIdFooter1\" /><Relationship Id=\"rIdHyperlink1\" /><Relationship Id=\"rIdHyperlink2\" /></Relationships>"
        );
    }

    #[test]
    fn columns_share_the_text_width() {
        assert_eq!(grid(&[1, 1]), [TEXT_WIDTH / 2, TEXT_WIDTH / 2]);
        assert_eq!(width(&[7, 1, 2], 0), TEXT_WIDTH * 7 / 10);
    }
}
