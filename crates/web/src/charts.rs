//! Charts as inline SVG drawn on the server: horizontal bars, progress meters, monthly
//! columns and a timeline. Each is an image with a title and a description for screen
//! readers, and the pages put the same figures in a table beside it. Colours come from
//! the stylesheet, so a printed page and a page in forced colours stay readable.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::html::esc;

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

fn open(html: &mut String, id: &str, title: &str, description: &str, height: f64) {
    let _ = write!(
        html,
        "<svg class=\"chart\" id=\"{id}-chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" preserveAspectRatio=\"xMinYMin meet\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(description)
    );
}

/// Horizontal bars scaled to the largest value.
pub(crate) fn bars(id: &str, title: &str, description: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len().max(1) as f64 + 10.0;
    let mut html = String::new();
    open(&mut html, id, title, description, height);
    let area = WIDTH - LABEL - VALUE;
    for (i, bar) in bars.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let length = if max > 0.0 {
            (bar.value / max * area).max(2.0)
        } else {
            0.0
        };
        let class = if bar.alert { "bar alert" } else { "bar" };
        let label = format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL - 8.0,
            y + 19.0,
            esc(&bar.label)
        );
        // An image holds no links (they would be focusable inside it); the table beside
        // each chart carries them.
        html.push_str(&label);
        let _ = write!(
            html,
            "<rect class=\"{class}\" x=\"{LABEL}\" y=\"{:.1}\" width=\"{length:.1}\" height=\"{:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 4.0,
            ROW - 10.0,
            LABEL + length + 6.0,
            y + 19.0,
            esc(&bar.display)
        );
    }
    html.push_str("</svg>");
    html
}

/// Progress meters against 100 %, with a tick where the goal is.
pub(crate) fn meters(id: &str, title: &str, description: &str, meters: &[Meter]) -> String {
    let height = ROW * meters.len().max(1) as f64 + 10.0;
    let mut html = String::new();
    open(&mut html, id, title, description, height);
    let area = WIDTH - LABEL - VALUE;
    for (i, meter) in meters.iter().enumerate() {
        let y = 5.0 + ROW * i as f64;
        let filled = meter.percent.clamp(0.0, 100.0) / 100.0 * area;
        let _ = write!(
            html,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"track\" x=\"{LABEL}\" y=\"{:.1}\" width=\"{area:.1}\" height=\"{:.1}\"/>\
             <rect class=\"bar\" x=\"{LABEL}\" y=\"{:.1}\" width=\"{filled:.1}\" height=\"{:.1}\"/>\
             <line class=\"goal\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL - 8.0,
            y + 19.0,
            esc(&meter.label),
            y + 4.0,
            ROW - 10.0,
            y + 4.0,
            ROW - 10.0,
            LABEL + area,
            LABEL + area,
            y + 1.0,
            y + ROW - 3.0,
            LABEL + area + 6.0,
            y + 19.0,
            esc(&meter.display)
        );
    }
    html.push_str("</svg>");
    html
}

/// Columns of percentages, one per month, on a 0–100 % scale.
pub(crate) fn columns(id: &str, title: &str, description: &str, columns: &[Column]) -> String {
    let height = 200.0;
    let base = 170.0;
    let mut html = String::new();
    open(&mut html, id, title, description, height);
    let slot = (WIDTH - 40.0) / columns.len().max(1) as f64;
    let _ = write!(
        html,
        "<line class=\"axis\" x1=\"36\" x2=\"{WIDTH}\" y1=\"{base}\" y2=\"{base}\"/>\
         <text x=\"30\" y=\"{:.1}\" text-anchor=\"end\">100</text>\
         <text x=\"30\" y=\"{base}\" text-anchor=\"end\">0</text>",
        base - 150.0 + 4.0
    );
    for (i, column) in columns.iter().enumerate() {
        let x = 40.0 + slot * i as f64;
        if let Some(percent) = column.percent {
            let h = percent.clamp(0.0, 100.0) * 1.5;
            let _ = write!(
                html,
                "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"/>",
                x + slot * 0.15,
                base - h,
                slot * 0.7
            );
        }
        let _ = write!(
            html,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + slot / 2.0,
            base + 20.0,
            esc(&column.label)
        );
    }
    html.push_str("</svg>");
    html
}

/// Points between `from` and `to`, with today marked.
pub(crate) fn timeline(
    id: &str,
    title: &str,
    description: &str,
    (from, to): (NaiveDate, NaiveDate),
    today: NaiveDate,
    marks: &[Mark],
) -> String {
    let height = 70.0;
    let span = (to - from).num_days().max(1) as f64;
    let x_of = |day: NaiveDate| {
        let share = ((day - from).num_days() as f64 / span).clamp(0.0, 1.0);
        20.0 + share * (WIDTH - 40.0)
    };
    let mut html = String::new();
    open(&mut html, id, title, description, height);
    let _ = write!(
        html,
        "<line class=\"axis\" x1=\"20\" x2=\"{:.1}\" y1=\"35\" y2=\"35\"/>\
         <line class=\"today\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"15\" y2=\"55\"/>",
        WIDTH - 20.0,
        x = x_of(today)
    );
    for mark in marks {
        let class = match (mark.done, mark.late) {
            (true, _) => "mark done",
            (false, true) => "mark late",
            (false, false) => "mark",
        };
        let _ = write!(
            html,
            "<circle class=\"{class}\" cx=\"{:.1}\" cy=\"35\" r=\"7\"><title>{}</title></circle>",
            x_of(mark.on),
            esc(&mark.label)
        );
    }
    html.push_str("</svg>");
    html
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
        );
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
        );
        let area = WIDTH - LABEL - VALUE;
        assert_eq!(svg.matches(&format!("width=\"{area:.1}\"")).count(), 2);
    }
}
