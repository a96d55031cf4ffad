//! Charts as inline SVG drawn on the server: horizontal bars, progress meters, monthly
//! columns and a timeline. Each is an image with a title and a description for screen
//! readers, and the pages put the same figures in a table beside it. Colours come from
//! the stylesheet, so a printed page and a page in forced colours stay readable.

use chrono::NaiveDate;
use maud::{Markup, Render, html};

const WIDTH: f64 = 640.0;
const LABEL: f64 = 190.0;
const VALUE: f64 = 90.0;
const ROW: f64 = 30.0;

/// One bar: its label, length, and the text shown at its end.
pub(crate) struct Bar {
    pub label: String,
    pub value: f64,
    pub display: String,
    /// Drawn in the alert colour.
    pub alert: bool,
}

/// One progress meter, in percent of its goal (a target, a budget, a duration).
pub(crate) struct Meter {
    pub label: String,
    pub percent: f64,
    pub display: String,
}

/// One column of a monthly chart, in percent; `None` draws no column (nothing to rate).
pub(crate) struct Column {
    pub label: String,
    pub percent: Option<f64>,
}

/// One point on a timeline.
pub(crate) struct Mark {
    pub on: NaiveDate,
    pub label: String,
    pub done: bool,
    pub late: bool,
}

/// A length or coordinate, written with one decimal.
struct Fixed(f64);

impl Render for Fixed {
    fn render_to(&self, buffer: &mut String) {
        format_args!("{:.1}", self.0).render_to(buffer);
    }
}

// Shapes are closed with an end tag (`rect … {}`): in a page, SVG elements are not void,
// and an unclosed `<rect>` would hold every shape after it.

/// The image around a chart's `shapes`, `height` units high, titled and described for
/// screen readers.
fn frame(id: &str, (title, description): (&str, &str), height: f64, shapes: &Markup) -> Markup {
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    html! {
        svg class="chart" id=(format!("{id}-chart")) viewBox=(format!("0 0 {WIDTH} {height}"))
            role="img" aria-labelledby=(format!("{title_id} {desc_id}"))
            preserveAspectRatio="xMinYMin meet" {
            title id=(title_id) { (title) }
            desc id=(desc_id) { (description) }
            (shapes)
        }
    }
}

/// Horizontal bars scaled to the largest value.
pub(crate) fn bars(id: &str, title: &str, description: &str, bars: &[Bar]) -> Markup {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len().max(1) as f64 + 10.0;
    let area = WIDTH - LABEL - VALUE;
    // An image holds no links (they would be focusable inside it); the table beside each
    // chart carries them.
    let shapes = html! {
        @for (i, bar) in bars.iter().enumerate() {
            @let y = 5.0 + ROW * i as f64;
            @let length = if max > 0.0 { (bar.value / max * area).max(2.0) } else { 0.0 };
            text x=(Fixed(LABEL - 8.0)) y=(Fixed(y + 19.0)) text-anchor="end" { (bar.label) }
            rect class=(if bar.alert { "bar alert" } else { "bar" }) x=(LABEL) y=(Fixed(y + 4.0))
                width=(Fixed(length)) height=(Fixed(ROW - 10.0)) {}
            text x=(Fixed(LABEL + length + 6.0)) y=(Fixed(y + 19.0)) { (bar.display) }
        }
    };
    frame(id, (title, description), height, &shapes)
}

/// Progress meters against 100 %, with a tick where the goal is.
pub(crate) fn meters(id: &str, title: &str, description: &str, meters: &[Meter]) -> Markup {
    let height = ROW * meters.len().max(1) as f64 + 10.0;
    let area = WIDTH - LABEL - VALUE;
    let shapes = html! {
        @for (i, meter) in meters.iter().enumerate() {
            @let y = 5.0 + ROW * i as f64;
            @let filled = meter.percent.clamp(0.0, 100.0) / 100.0 * area;
            text x=(Fixed(LABEL - 8.0)) y=(Fixed(y + 19.0)) text-anchor="end" { (meter.label) }
            rect class="track" x=(LABEL) y=(Fixed(y + 4.0)) width=(Fixed(area))
                height=(Fixed(ROW - 10.0)) {}
            rect class="bar" x=(LABEL) y=(Fixed(y + 4.0)) width=(Fixed(filled))
                height=(Fixed(ROW - 10.0)) {}
            line class="goal" x1=(Fixed(LABEL + area)) x2=(Fixed(LABEL + area))
                y1=(Fixed(y + 1.0)) y2=(Fixed(y + ROW - 3.0)) {}
            text x=(Fixed(LABEL + area + 6.0)) y=(Fixed(y + 19.0)) { (meter.display) }
        }
    };
    frame(id, (title, description), height, &shapes)
}

/// Columns of percentages, one per month, on a 0–100 % scale.
pub(crate) fn columns(id: &str, title: &str, description: &str, columns: &[Column]) -> Markup {
    let height = 200.0;
    let base = 170.0;
    let slot = (WIDTH - 40.0) / columns.len().max(1) as f64;
    let shapes = html! {
        line class="axis" x1="36" x2=(WIDTH) y1=(base) y2=(base) {}
        text x="30" y=(Fixed(base - 150.0 + 4.0)) text-anchor="end" { "100" }
        text x="30" y=(base) text-anchor="end" { "0" }
        @for (i, column) in columns.iter().enumerate() {
            @let x = 40.0 + slot * i as f64;
            @if let Some(percent) = column.percent {
                @let h = percent.clamp(0.0, 100.0) * 1.5;
                rect class="bar" x=(Fixed(x + slot * 0.15)) y=(Fixed(base - h))
                    width=(Fixed(slot * 0.7)) height=(Fixed(h)) {}
            }
            text x=(Fixed(x + slot / 2.0)) y=(Fixed(base + 20.0)) text-anchor="middle" {
                (column.label)
            }
        }
    };
    frame(id, (title, description), height, &shapes)
}

/// Points between `from` and `to`, with today marked.
pub(crate) fn timeline(
    id: &str,
    title: &str,
    description: &str,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    marks: &[Mark],
) -> Markup {
    let height = 70.0;
    let span = (to - from).num_days().max(1) as f64;
    let x_of = |day: NaiveDate| {
        let share = ((day - from).num_days() as f64 / span).clamp(0.0, 1.0);
        20.0 + share * (WIDTH - 40.0)
    };
    let shapes = html! {
        line class="axis" x1="20" x2=(Fixed(WIDTH - 20.0)) y1="35" y2="35" {}
        line class="today" x1=(Fixed(x_of(today))) x2=(Fixed(x_of(today))) y1="15" y2="55" {}
        @for mark in marks {
            @let class = match (mark.done, mark.late) {
                (true, _) => "mark done",
                (false, true) => "mark late",
                (false, false) => "mark",
            };
            circle class=(class) cx=(Fixed(x_of(mark.on))) cy="35" r="7" {
                title { (mark.label) }
            }
        }
    };
    frame(id, (title, description), height, &shapes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(
            "t",
            "Vencidas",
            "Acciones vencidas por entidad",
            &[
                Bar {
                    label: "A&B".into(),
                    value: 4.0,
                    display: "4".into(),
                    alert: true,
                },
                Bar {
                    label: "C".into(),
                    value: 2.0,
                    display: "2".into(),
                    alert: false,
                },
            ],
        )
        .into_string();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=\"t-title\">"));
        assert!(svg.contains("A&amp;B"));
        assert!(svg.contains(&format!("width=\"{:.1}\"", WIDTH - LABEL - VALUE)));
        assert!(svg.contains(&format!("width=\"{:.1}\"", (WIDTH - LABEL - VALUE) / 2.0)));
    }

    #[test]
    fn meters_are_capped_at_the_goal() {
        let svg = meters(
            "m",
            "t",
            "d",
            &[Meter {
                label: "x".into(),
                percent: 250.0,
                display: "250 %".into(),
            }],
        )
        .into_string();
        let area = WIDTH - LABEL - VALUE;
        assert_eq!(svg.matches(&format!("width=\"{area:.1}\"")).count(), 2);
    }
}
