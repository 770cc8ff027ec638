//! Geometry of the HTML report's three inline SVG charts, computed here in whole SVG units
//! so the template only places shapes. Integer arithmetic throughout: the same result
//! always draws the same bytes. Each chart also carries its data in words (`desc`), since
//! a screen reader reads that and not the shapes.

use serde::Serialize;

use crate::assessment::Assessment;
use crate::framework::Framework;

/// Width of the bar charts' viewBox; the page scales it to the column.
const WIDTH: u32 = 500;
/// Left edge of the plotted area.
const PLOT_X: u32 = 10;
/// Line height of a bar's label, in viewBox units (the stylesheet sets an 18-unit font,
/// still about 11 pixels when a phone shrinks the chart).
const LINE_HEIGHT: u32 = 22;
/// Longest label line before it wraps, in characters.
const LABEL_CHARACTERS: usize = 38;
const BAR_HEIGHT: u32 = 22;
/// Width of a bar chart's track; a value's bar is a whole fraction of it.
const PLOT_WIDTH: u32 = 400;
/// Width of the rating scale's viewBox: narrower than the bar charts, so that on a phone
/// its text shrinks least.
const SCALE_WIDTH: u32 = 400;
/// Width of the rating scale itself (5 units a percentage point from 25 to 100), and its
/// top.
const SCALE_PLOT: u32 = 375;
const SCALE_TOP: u32 = 100;
/// Font sizes the stylesheet gives the rating scale's band names and result, for keeping
/// them inside the chart.
const BAND_FONT: u32 = 15;
const RESULT_FONT: u32 = 18;

/// A horizontal bar chart: one labelled row per statement or theme.
#[derive(Debug, Serialize)]
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub plot_x: u32,
    pub plot_width: u32,
    pub rows: Vec<BarRow>,
    /// Scale marks along the foot of the chart.
    pub ticks: Vec<Tick>,
    /// Where the scale labels sit.
    pub axis_y: u32,
}

#[derive(Debug, Serialize)]
pub struct BarRow {
    /// The label above the bar, wrapped into lines.
    pub label: Vec<Line>,
    pub bar_y: u32,
    pub bar_height: u32,
    /// Zero when there is nothing to draw (not scored).
    pub bar_width: u32,
    pub value_x: u32,
    pub value_y: u32,
    /// The value in words, always shown beside the bar.
    pub value: String,
    /// CSS class of the bar, e.g. `score-2`.
    pub class: String,
}

/// One line of text and its baseline.
#[derive(Debug, Serialize)]
pub struct Line {
    pub text: String,
    pub y: u32,
}

#[derive(Debug, Serialize)]
pub struct Tick {
    pub x: u32,
    pub label: String,
    /// `start`, `middle` or `end`, so the first and last labels stay inside the chart.
    pub anchor: &'static str,
}

/// The overall percentage on the rating scale: the result and a pointer above the bar,
/// the bands as segments with their edges numbered below, and the bands' names under them
/// on two staggered rows, so that neighbours never overlap.
#[derive(Debug, Serialize)]
pub struct ScaleChart {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub width: u32,
    pub height: u32,
    pub bar_y: u32,
    pub bar_height: u32,
    /// Baseline of the edge numbers.
    pub edge_y: u32,
    pub segments: Vec<Segment>,
    pub edges: Vec<Tick>,
    pub marker: Marker,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    pub x: u32,
    pub width: u32,
    pub label: Placed,
    pub class: String,
}

/// Text placed at a point, anchored so it stays inside the chart.
#[derive(Debug, Serialize)]
pub struct Placed {
    pub text: String,
    pub x: u32,
    pub y: u32,
    pub anchor: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Marker {
    pub x: u32,
    /// The triangle above the bar pointing down at the result, as SVG polygon points.
    pub points: String,
    pub label: Placed,
}

/// The charts of one report.
#[derive(Debug, Serialize)]
pub struct Charts {
    pub statements: BarChart,
    pub themes: BarChart,
    /// Absent when no statement is scored, so there is no percentage to mark.
    pub overall: Option<ScaleChart>,
}

pub fn charts(assessment: &Assessment, framework: &Framework) -> Charts {
    Charts {
        statements: statement_scores(assessment),
        themes: theme_percentages(assessment),
        overall: overall_scale(assessment, framework),
    }
}

/// Scores 1 to 4, one bar per statement in framework order.
fn statement_scores(assessment: &Assessment) -> BarChart {
    let rows: Vec<(String, Option<u32>, String, String)> = assessment
        .statements
        .iter()
        .map(|s| match s.score {
            Some(score) => (
                s.name.clone(),
                Some(u32::from(score)),
                format!("{score} of 4"),
                format!("score-{score}"),
            ),
            None => (
                s.name.clone(),
                None,
                "not scored".to_string(),
                "not-scored".to_string(),
            ),
        })
        .collect();
    let words: Vec<String> = rows
        .iter()
        .map(|(name, _, value, _)| format!("{name}: {value}"))
        .collect();
    let ticks = (0..=4)
        .map(|score| tick(PLOT_X + score * PLOT_WIDTH / 4, score.to_string(), score, 4))
        .collect();
    bar_chart(
        "chart-statements",
        "Scores by quality statement".to_string(),
        format!(
            "Bar chart of each quality statement's score on the scale 1 to 4. {}.",
            words.join("; ")
        ),
        rows,
        4,
        ticks,
    )
}

/// Theme percentages 0 to 100.
fn theme_percentages(assessment: &Assessment) -> BarChart {
    let rows: Vec<(String, Option<u32>, String, String)> = assessment
        .themes
        .iter()
        .map(|t| match t.percent {
            Some(percent) => (
                t.name.clone(),
                Some(percent.min(100)),
                format!("{percent}%"),
                "theme".to_string(),
            ),
            None => (
                t.name.clone(),
                None,
                "not scored".to_string(),
                "not-scored".to_string(),
            ),
        })
        .collect();
    let words: Vec<String> = rows
        .iter()
        .map(|(name, _, value, _)| format!("{name}: {value}"))
        .collect();
    let ticks = (0..=4)
        .map(|quarter| {
            tick(
                PLOT_X + quarter * PLOT_WIDTH / 4,
                format!("{}%", quarter * 25),
                quarter,
                4,
            )
        })
        .collect();
    bar_chart(
        "chart-themes",
        "Percentage by theme".to_string(),
        format!(
            "Bar chart of each theme's percentage of the points available, 0 to 100. {}.",
            words.join("; ")
        ),
        rows,
        100,
        ticks,
    )
}

/// Lays out rows of `(label, value, value in words, class)`, each label above its bar; a
/// value of `full` fills the track.
fn bar_chart(
    id: &'static str,
    title: String,
    desc: String,
    rows: Vec<(String, Option<u32>, String, String)>,
    full: u32,
    ticks: Vec<Tick>,
) -> BarChart {
    let mut top = 0;
    let rows = rows
        .into_iter()
        .map(|(label, value, words, class)| {
            let label: Vec<Line> = wrap(&label, LABEL_CHARACTERS)
                .into_iter()
                .zip(1..)
                .map(|(text, line)| Line {
                    text,
                    y: top + line * LINE_HEIGHT - 4,
                })
                .collect();
            let bar_y = label.last().map_or(top, |line| line.y) + 8;
            let bar_width = value.map_or(0, |v| v.min(full) * PLOT_WIDTH / full.max(1));
            top = bar_y + BAR_HEIGHT + 12;
            BarRow {
                label,
                bar_y,
                bar_height: BAR_HEIGHT,
                bar_width,
                value_x: PLOT_X + bar_width + 8,
                value_y: bar_y + BAR_HEIGHT - 4,
                value: words,
                class,
            }
        })
        .collect();
    let axis_y = top + 14;
    BarChart {
        id,
        title,
        desc,
        width: WIDTH,
        height: axis_y + 8,
        plot_x: PLOT_X,
        plot_width: PLOT_WIDTH,
        rows,
        ticks,
        axis_y,
    }
}

/// Words into lines of at most `width` characters (a longer word has a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The overall percentage on the framework's rating bands, from the lowest band's floor
/// to 100.
fn overall_scale(assessment: &Assessment, framework: &Framework) -> Option<ScaleChart> {
    let percent = assessment.overall.percent?;
    // A partial result has no rating: say so, beside the band it falls in.
    let rating = match (
        &assessment.overall.rating,
        &assessment.overall.indicative_rating,
    ) {
        (Some(rating), _) => rating.clone(),
        (None, Some(band)) => format!("a partial result in the {band} band"),
        (None, None) => String::new(),
    };
    let bottom = framework.ratings.first().map_or(0, |band| band.from);
    let span = SCALE_TOP.saturating_sub(bottom).max(1);
    let x_of = |p: u32| PLOT_X + (p.clamp(bottom, SCALE_TOP) - bottom) * SCALE_PLOT / span;
    let (bar_y, bar_height) = (38, 30);
    let edge_y = bar_y + bar_height + 18;
    let tops = framework
        .ratings
        .iter()
        .skip(1)
        .map(|band| band.from)
        .chain([SCALE_TOP]);
    let segments: Vec<Segment> = framework
        .ratings
        .iter()
        .zip(tops)
        .zip(0u32..)
        .map(|((band, top), index)| {
            let (x, end) = (x_of(band.from), x_of(top));
            let row = edge_y + 22 + (index % 2) * 20;
            Segment {
                x,
                width: end.saturating_sub(x),
                label: place(&band.rating, x + end.saturating_sub(x) / 2, row, BAND_FONT),
                class: format!("band-{}", index + 1),
            }
        })
        .collect();
    let edge_count = u32::try_from(framework.ratings.len()).unwrap_or(u32::MAX);
    let edges = framework
        .ratings
        .iter()
        .map(|band| band.from)
        .chain([SCALE_TOP])
        .zip(0..)
        .map(|(edge, index)| tick(x_of(edge), edge.to_string(), index, edge_count))
        .collect();
    let x = x_of(percent);
    let bands: Vec<String> = framework
        .ratings
        .iter()
        .zip(
            framework
                .ratings
                .iter()
                .skip(1)
                .map(|b| Some(b.from))
                .chain([None]),
        )
        .map(|(band, next)| match next {
            Some(next) => format!("{} {} to {}", band.rating, band.from, next - 1),
            None => format!("{} {} and above", band.rating, band.from),
        })
        .collect();
    let position = assessment
        .overall
        .position
        .as_deref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    let rows = if framework.ratings.len() > 1 { 2 } else { 1 };
    Some(ScaleChart {
        id: "chart-overall",
        title: "Overall result on the rating scale".to_string(),
        desc: format!(
            "Scale of overall percentages from {bottom} to {SCALE_TOP}, in bands: {}. \
             The marker is at {percent}%, {rating}{position}.",
            bands.join("; ")
        ),
        width: SCALE_WIDTH,
        height: edge_y + 8 + rows * 20,
        bar_y,
        bar_height,
        edge_y,
        segments,
        edges,
        marker: Marker {
            x,
            points: format!(
                "{x},{bar_y} {},{} {},{}",
                x.saturating_sub(8),
                bar_y - 14,
                x + 8,
                bar_y - 14
            ),
            label: place(&format!("{percent}%, {rating}"), x, 18, RESULT_FONT),
        },
    })
}

/// `text` centred on `x`, unless that would cross an edge of the rating scale's chart; then
/// held against that edge. Widths are estimated at 0.6 em a character, generous for the
/// sans-serif fonts the stylesheet names.
fn place(text: &str, x: u32, y: u32, font: u32) -> Placed {
    let characters = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    let half = characters.saturating_mul(font) * 3 / 10;
    let right = PLOT_X + SCALE_PLOT;
    let (x, anchor) = if x < PLOT_X + half {
        (PLOT_X.saturating_sub(4), "start")
    } else if x + half > right + 6 {
        (right + 6, "end")
    } else {
        (x, "middle")
    };
    Placed {
        text: text.to_string(),
        x,
        y,
        anchor,
    }
}

/// A scale mark; the first is anchored at its start and the last at its end.
fn tick(x: u32, label: String, index: u32, last: u32) -> Tick {
    let anchor = match index {
        0 => "start",
        i if i == last => "end",
        _ => "middle",
    };
    Tick { x, label, anchor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_between_words() {
        assert_eq!(
            wrap(
                "How the local authority ensures safety within the system",
                38
            ),
            [
                "How the local authority ensures safety",
                "within the system"
            ]
        );
        assert_eq!(wrap("Safeguarding", 38), ["Safeguarding"]);
        assert_eq!(
            wrap("a-very-long-word-indeed b", 5),
            ["a-very-long-word-indeed", "b"]
        );
    }

    #[test]
    fn scale_labels_stay_inside_the_chart() {
        let middle = place("Good", 262, 10, BAND_FONT);
        assert_eq!((middle.x, middle.anchor), (262, "middle"));
        let left = place("Inadequate", 45, 10, BAND_FONT);
        assert_eq!((left.x, left.anchor), (PLOT_X - 4, "start"));
        let right = place("Outstanding", 355, 10, BAND_FONT);
        assert_eq!((right.x, right.anchor), (PLOT_X + SCALE_PLOT + 6, "end"));
    }
}
