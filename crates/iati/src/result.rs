//! The `<result>` element: what an activity aims to achieve and how far it has got.

use crate::activity::write_period;
use crate::xml::XmlWriter;
use crate::{Indicator, IndicatorPeriod, ResultFramework};

/// Writes one result with its indicators.
pub(crate) fn write_result(writer: &mut XmlWriter, framework: &ResultFramework) {
    writer.open("result", &[("type", framework.kind.code())]);
    writer.narrative("title", &[], &framework.title);
    for indicator in &framework.indicators {
        write_indicator(writer, indicator);
    }
    writer.close("result");
}

fn write_indicator(writer: &mut XmlWriter, indicator: &Indicator) {
    let ascending = if indicator.ascending { "1" } else { "0" };
    writer.open(
        "indicator",
        &[
            ("measure", indicator.measure.code()),
            ("ascending", ascending),
        ],
    );
    writer.narrative("title", &[], &indicator.title);
    if let Some(baseline) = &indicator.baseline {
        let year = baseline.year.to_string();
        writer.empty("baseline", &[("year", &year), ("value", &baseline.value)]);
    }
    for period in &indicator.periods {
        write_indicator_period(writer, period);
    }
    writer.close("indicator");
}

fn write_indicator_period(writer: &mut XmlWriter, period: &IndicatorPeriod) {
    writer.open("period", &[]);
    write_period(writer, period.start, period.end);
    if let Some(target) = &period.target {
        writer.empty("target", &[("value", target)]);
    }
    // IATI 2.03 allows a comment on the target or the actual value but not on the period.
    // A period comment explains what was achieved, so it goes with the actual value, and
    // `<actual>` is written without `@value` when only the comment is known.
    let actual = value_attribute(period.actual.as_deref());
    if let Some(comment) = &period.comment {
        writer.open("actual", &actual);
        writer.narrative("comment", &[], comment);
        writer.close("actual");
    } else if period.actual.is_some() {
        writer.empty("actual", &actual);
    }
    writer.close("period");
}

fn value_attribute(value: Option<&str>) -> Vec<(&str, &str)> {
    value.map(|value| ("value", value)).into_iter().collect()
}
