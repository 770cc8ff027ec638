//! Geometry of the HTML report's inline SVG charts, computed here so the templates only
//! place shapes. Whole numbers throughout (positions in tenths of a percent of the chart's
//! width, heights in pixels): the same result always draws the same bytes. Each chart also
//! carries its data in words (`desc`), since a screen reader reads that and not the shapes,
//! and nothing is told by colour alone.
//!
//! - The overall result on the rating scale ([`ScaleChart`]): the bands, the result and
//!   the range it could fall in given the statements' confidence.
//! - The statements' scores on the 1 to 4 scale ([`DotChart`]): a dot for each score, a
//!   whisker one step either way for a low-confidence one, as the overall range counts it.
//! - Each metric the evidence compares with England (and its region where given), as a dot
//!   on its own scale beside the England and regional marks, with the margin of the
//!   council's value where the evidence gives one.
//!
//! A dot chart is a list: each row's words are text (the data in full, so the list is its
//! own text alternative), beside a strip of SVG drawn in percentages of its width, which
//! fills the column at any width without shrinking any text.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::evidence::{Evidence, ItemContent, MetricValue};
use crate::pack::Pack;
use crate::pack::catalogue::Unit;
use crate::pack::framework::Framework;
use crate::score::assessment::{Assessment, ConfidenceLevel};
use crate::score::eval::show;

use super::reasons;

/// Width of the rating scale's viewBox; the page scales it to the column.
const SCALE_WIDTH: u32 = 400;
/// Left edge of the rating scale, and its width (5 units a percentage point from 25 to
/// 100).
const PLOT_X: u32 = 10;
const SCALE_PLOT: u32 = 375;
const SCALE_TOP: u32 = 100;
/// Font sizes the stylesheet gives the rating scale's band names and result, for keeping
/// them inside the chart.
const BAND_FONT: u32 = 15;
const RESULT_FONT: u32 = 18;

/// The dot charts' left and right edges, in tenths of a percent of their width.
const DOT_LEFT: u32 = 20;
const DOT_RIGHT: u32 = 980;

/// The charts of one report.
#[derive(Debug, Serialize)]
pub struct Charts {
    /// Absent when no statement is scored, so there is no percentage to mark.
    pub overall: Option<ScaleChart>,
    pub statements: DotChart,
    /// One chart per scale the metrics are measured on; empty when the evidence compares
    /// no metric with England or its region.
    pub metrics: Vec<DotChart>,
}

pub fn charts(assessment: &Assessment, evidence: &Evidence, pack: &Pack) -> Charts {
    Charts {
        overall: overall_scale(assessment, &pack.framework),
        statements: statement_scores(assessment),
        metrics: metric_charts(evidence, pack),
    }
}

/// A chart of labelled rows, each a dot on a horizontal track, with marks and whiskers.
#[derive(Debug, Serialize)]
pub struct DotChart {
    pub id: String,
    pub title: String,
    /// How to read it: what the dot, the marks and the whiskers are.
    pub legend: String,
    pub rows: Vec<DotRow>,
    /// Scale marks, drawn as faint lines in every strip and labelled below the last.
    pub ticks: Vec<AxisTick>,
}

#[derive(Debug, Serialize)]
pub struct DotRow {
    pub name: String,
    /// The values in words, always shown: `2 of 4, low confidence: could be 1 to 3`.
    pub details: String,
    /// The council's value or the score; absent when not scored.
    pub dot: Option<Mark>,
    /// The range around the dot: one step either way for a low-confidence score, the
    /// margin for a metric that gives one.
    pub whisker: Option<Span>,
    /// References drawn as upright marks: England, the region.
    pub references: Vec<Mark>,
}

/// A point across a strip, in percent of its width (`37.5%`), and its CSS class.
#[derive(Debug, Serialize)]
pub struct Mark {
    pub x: String,
    pub class: String,
}

#[derive(Debug, Serialize)]
pub struct Span {
    pub x1: String,
    pub x2: String,
}

#[derive(Debug, Serialize)]
pub struct AxisTick {
    pub x: String,
    pub label: String,
    /// `start`, `middle` or `end`, so the first and last labels stay inside the chart.
    pub anchor: &'static str,
}

/// `375` tenths of a percent as `37.5%`.
fn percent_of_width(tenths: u32) -> String {
    match tenths % 10 {
        0 => format!("{}%", tenths / 10),
        rest => format!("{}.{rest}%", tenths / 10),
    }
}

/// Where a score of 1 to 4 sits across a dot chart, in tenths of a percent.
fn score_x(score: u8) -> u32 {
    DOT_LEFT + u32::from(score.clamp(1, 4) - 1) * (DOT_RIGHT - DOT_LEFT) / 3
}

/// Each statement's score on 1 to 4 with its confidence, in framework order.
fn statement_scores(assessment: &Assessment) -> DotChart {
    let mut rows = Vec::new();
    for s in &assessment.statements {
        let level = s.confidence.as_ref().map(|c| c.level);
        let (details, dot, whisker) = match (s.score, level) {
            (Some(score), level) => {
                let confidence = level.map_or("", ConfidenceLevel::as_str);
                let low = level == Some(ConfidenceLevel::Low);
                let range = low.then(|| (score.saturating_sub(1).max(1), (score + 1).min(4)));
                let details = match range {
                    Some((from, to)) => {
                        format!("{score} of 4, {confidence} confidence: could be {from} to {to}")
                    }
                    None => format!("{score} of 4, {confidence} confidence"),
                };
                let dot = Mark {
                    x: percent_of_width(score_x(score)),
                    class: format!("dot score-{score} confidence-{confidence}"),
                };
                let whisker = range.map(|(from, to)| Span {
                    x1: percent_of_width(score_x(from)),
                    x2: percent_of_width(score_x(to)),
                });
                (details, Some(dot), whisker)
            }
            (None, _) => ("not scored".to_string(), None, None),
        };
        rows.push(DotRow {
            name: s.name.clone(),
            details,
            dot,
            whisker,
            references: Vec::new(),
        });
    }
    let ticks = (1..=4u8)
        .map(|score| AxisTick {
            x: percent_of_width(score_x(score)),
            label: score.to_string(),
            anchor: match score {
                1 => "start",
                4 => "end",
                _ => "middle",
            },
        })
        .collect();
    DotChart {
        id: "chart-statements".to_string(),
        title: "Scores by quality statement, 1 to 4, with confidence".to_string(),
        legend: "1 significant shortfalls, 2 some shortfalls, 3 a good standard, 4 an exceptional standard. A hollow dot is a low-confidence score, its whisker the step either way that the range given confidence allows.".to_string(),
        rows,
        ticks,
    }
}

/// A metric item against England and its region, and the margin of its value where the
/// evidence gives one.
struct Reading<'e> {
    name: &'e str,
    metric: &'e MetricValue,
    unit: Option<Unit>,
    /// How it compares, in words: `worse than England average`.
    shows: String,
    margin: Option<Decimal>,
}

/// The evidence's metric items with an England or regional average (the first of each
/// metric), one chart per unit.
fn metric_charts(evidence: &Evidence, pack: &Pack) -> Vec<DotChart> {
    let mut readings: Vec<Reading<'_>> = Vec::new();
    for item in &evidence.items {
        let ItemContent::Metric(metric) = &item.content else {
            continue;
        };
        if metric.england_average.is_none() && metric.regional_average.is_none() {
            continue;
        }
        if readings.iter().any(|r| r.name == metric.name) {
            continue;
        }
        readings.push(Reading {
            name: &metric.name,
            metric,
            unit: reasons::unit(metric, pack),
            shows: reasons::shows(item, pack),
            // The evidence files carry no margin for a value yet; a reading with one draws
            // it as a whisker.
            margin: None,
        });
    }
    let mut units: Vec<Option<Unit>> = Vec::new();
    for reading in &readings {
        if !units.contains(&reading.unit) {
            units.push(reading.unit);
        }
    }
    units
        .into_iter()
        .zip(1..)
        .map(|(unit, n)| {
            let group: Vec<&Reading<'_>> = readings.iter().filter(|r| r.unit == unit).collect();
            metric_chart(&group, unit, n)
        })
        .collect()
}

/// The top of a metric chart's scale: 100 for a percentage, else a round number above
/// every value drawn.
fn scale_top(readings: &[&Reading<'_>], unit: Option<Unit>) -> Decimal {
    if unit == Some(Unit::Percent) {
        return Decimal::ONE_HUNDRED;
    }
    let highest = readings
        .iter()
        .flat_map(|r| {
            [
                Some(r.metric.value),
                r.metric.england_average,
                r.metric.regional_average,
                r.margin.and_then(|m| r.metric.value.checked_add(m)),
            ]
        })
        .flatten()
        .max()
        .unwrap_or(Decimal::ONE)
        .max(Decimal::ONE);
    // 1, 2 or 5 times a power of ten, at or above the highest.
    let mut step = Decimal::ONE;
    loop {
        for factor in [1u32, 2, 5] {
            if let Some(top) = step.checked_mul(Decimal::from(factor))
                && top >= highest
            {
                return top;
            }
        }
        match step.checked_mul(Decimal::TEN) {
            Some(next) => step = next,
            None => return highest,
        }
    }
}

/// Where a value sits on a scale from 0 to `top`, in tenths of a percent of the width.
fn value_x(value: Decimal, top: Decimal) -> u32 {
    let span = Decimal::from(DOT_RIGHT - DOT_LEFT);
    let offset = value
        .max(Decimal::ZERO)
        .min(top)
        .checked_mul(span)
        .and_then(|v| v.checked_div(top))
        .unwrap_or_default()
        .round();
    DOT_LEFT
        + u32::try_from(offset.mantissa())
            .unwrap_or(0)
            .min(DOT_RIGHT - DOT_LEFT)
}

fn metric_chart(readings: &[&Reading<'_>], unit: Option<Unit>, n: u32) -> DotChart {
    let top = scale_top(readings, unit);
    let at = |value: Decimal| percent_of_width(value_x(value, top));
    let mut rows = Vec::new();
    for r in readings {
        let m = r.metric;
        let mut details = vec![format!("{} here", show(m.value, unit))];
        if let Some(margin) = r.margin {
            details[0].push_str(&format!(
                " (± {})",
                crate::score::eval::amount(margin, unit)
            ));
        }
        let mut references = Vec::new();
        if let Some(england) = m.england_average {
            details.push(format!("England {}", show(england, unit)));
            references.push(Mark {
                x: at(england),
                class: "reference england".to_string(),
            });
        }
        if let Some(region) = m.regional_average {
            details.push(format!("region {}", show(region, unit)));
            references.push(Mark {
                x: at(region),
                class: "reference region".to_string(),
            });
        }
        if r.shows != "measure" {
            details.push(r.shows.clone());
        }
        let details = details.join("; ");
        let whisker = r.margin.map(|margin| Span {
            x1: at(m.value.checked_sub(margin).unwrap_or(m.value)),
            x2: at(m.value.checked_add(margin).unwrap_or(m.value)),
        });
        let dot = Mark {
            x: at(m.value),
            class: "dot value".to_string(),
        };
        rows.push(DotRow {
            name: r.name.to_string(),
            details,
            dot: Some(dot),
            whisker,
            references,
        });
    }
    let ticks = (0..=4u32)
        .map(|quarter| {
            // The top is a round number above values held below 10^12: four times it fits.
            let value = top
                .checked_mul(Decimal::from(quarter))
                .and_then(|v| v.checked_div(Decimal::from(4u32)))
                .unwrap_or(top);
            AxisTick {
                x: at(value),
                label: show(value.normalize(), unit),
                anchor: match quarter {
                    0 => "start",
                    4 => "end",
                    _ => "middle",
                },
            }
        })
        .collect();
    DotChart {
        id: format!("chart-metrics-{n}"),
        title: format!(
            "Measures against England and the region, on a scale from {} to {}",
            show(Decimal::ZERO, unit),
            show(top.normalize(), unit)
        ),
        legend: "The dot is this council's value, the solid upright line the England average, the dashed one the regional average where given, and a whisker the margin of the value where the evidence gives one.".to_string(),
        rows,
        ticks,
    }
}

/// The overall percentage on the rating scale: the result and a pointer above the bar,
/// the bands as segments with their edges numbered below, the bands' names under them on
/// two staggered rows, so that neighbours never overlap, and the range given confidence
/// as a bracket at the foot.
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
    pub range: Option<RangeMark>,
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
pub struct Tick {
    pub x: u32,
    pub label: String,
    /// `start`, `middle` or `end`, so the first and last labels stay inside the chart.
    pub anchor: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Marker {
    pub x: u32,
    /// The triangle above the bar pointing down at the result, as SVG polygon points.
    pub points: String,
    pub label: Placed,
}

/// The range given confidence: a bracket from its low to its high percentage.
#[derive(Debug, Serialize)]
pub struct RangeMark {
    pub x1: u32,
    pub x2: u32,
    pub y: u32,
    pub label: Placed,
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
    let names_bottom = edge_y + 8 + rows * 20;
    let range = assessment.overall.range.as_ref().map(|range| {
        let y = names_bottom + 14;
        let (x1, x2) = (x_of(range.low_percent), x_of(range.high_percent));
        RangeMark {
            x1,
            x2,
            y,
            label: place(
                &format!(
                    "range given confidence {}%–{}%",
                    range.low_percent, range.high_percent
                ),
                x1 + (x2 - x1) / 2,
                y + 22,
                BAND_FONT,
            ),
        }
    });
    let range_words = assessment
        .overall
        .range
        .as_ref()
        .map(|r| {
            format!(
                " Given confidence it could fall from {}% to {}%.",
                r.low_percent, r.high_percent
            )
        })
        .unwrap_or_default();
    Some(ScaleChart {
        id: "chart-overall",
        title: "Overall result on the rating scale".to_string(),
        desc: format!(
            "Scale of overall percentages from {bottom} to {SCALE_TOP}, in bands: {}. \
             The marker is at {percent}%, {rating}{position}.{range_words}",
            bands.join("; ")
        ),
        width: SCALE_WIDTH,
        height: range.as_ref().map_or(names_bottom, |r| r.label.y + 8),
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
        range,
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
    fn scale_labels_stay_inside_the_chart() {
        let middle = place("Good", 262, 10, BAND_FONT);
        assert_eq!((middle.x, middle.anchor), (262, "middle"));
        let left = place("Inadequate", 45, 10, BAND_FONT);
        assert_eq!((left.x, left.anchor), (PLOT_X - 4, "start"));
        let right = place("Outstanding", 355, 10, BAND_FONT);
        assert_eq!((right.x, right.anchor), (PLOT_X + SCALE_PLOT + 6, "end"));
    }

    #[test]
    fn scores_and_values_sit_across_the_width() {
        assert_eq!(percent_of_width(score_x(1)), "2%");
        assert_eq!(percent_of_width(score_x(2)), "34%");
        assert_eq!(percent_of_width(score_x(4)), "98%");
        assert_eq!(percent_of_width(375), "37.5%");
        let hundred = Decimal::ONE_HUNDRED;
        assert_eq!(value_x(Decimal::ZERO, hundred), DOT_LEFT);
        assert_eq!(value_x(Decimal::new(50, 0), hundred), 500);
        assert_eq!(value_x(Decimal::new(6472, 2), hundred), 641);
        assert_eq!(
            value_x(Decimal::new(150, 0), hundred),
            DOT_RIGHT,
            "held on the scale"
        );
    }

    fn metric(value: i64, england: Option<i64>) -> MetricValue {
        MetricValue {
            england_average: england.map(|e| Decimal::new(e, 0)),
            ..MetricValue::bare("a measure".to_string(), None, Decimal::new(value, 0))
        }
    }

    #[test]
    fn a_margin_draws_a_whisker_and_is_said() {
        let value = metric(40, Some(50));
        let reading = Reading {
            name: "a measure",
            metric: &value,
            unit: Some(Unit::Percent),
            shows: "worse than England average".to_string(),
            margin: Some(Decimal::new(5, 0)),
        };
        let chart = metric_chart(&[&reading], Some(Unit::Percent), 1);
        let whisker = chart.rows[0].whisker.as_ref().expect("a whisker");
        assert_eq!(
            (whisker.x1.as_str(), whisker.x2.as_str()),
            ("35.6%", "45.2%")
        );
        assert_eq!(
            chart.rows[0].details,
            "40% here (± 5 points); England 50%; worse than England average"
        );
        let without = Reading {
            margin: None,
            ..reading
        };
        assert!(
            metric_chart(&[&without], Some(Unit::Percent), 1).rows[0]
                .whisker
                .is_none()
        );
    }

    #[test]
    fn other_units_run_to_a_round_number() {
        let values = [metric(37, Some(21)), metric(180, None)];
        let readings: Vec<Reading<'_>> = values
            .iter()
            .map(|m| Reading {
                name: "x",
                metric: m,
                unit: Some(Unit::Days),
                shows: "measure".to_string(),
                margin: None,
            })
            .collect();
        let refs: Vec<&Reading<'_>> = readings.iter().collect();
        assert_eq!(scale_top(&refs, Some(Unit::Days)), Decimal::new(200, 0));
        assert_eq!(scale_top(&refs[..1], Some(Unit::Days)), Decimal::new(50, 0));
    }
}
