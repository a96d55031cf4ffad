//! The `<result>` element: what an activity aims to achieve and how far it has got.

use std::io;

use crate::activity::write_period;
use crate::xml::{XmlWriter, element, narrative};
use crate::{Indicator, IndicatorPeriod, ResultFramework};

/// Writes one result with its indicators.
pub(crate) fn write_result(writer: &mut XmlWriter, framework: &ResultFramework) -> io::Result<()> {
    element(writer, "result", &[("type", framework.kind.code())]).write_inner_content(
        |writer| {
            narrative(writer, "title", &[], &framework.title)?;
            for indicator in &framework.indicators {
                write_indicator(writer, indicator)?;
            }
            Ok(())
        },
    )?;
    Ok(())
}

fn write_indicator(writer: &mut XmlWriter, indicator: &Indicator) -> io::Result<()> {
    let ascending = if indicator.ascending { "1" } else { "0" };
    element(
        writer,
        "indicator",
        &[
            ("measure", indicator.measure.code()),
            ("ascending", ascending),
        ],
    )
    .write_inner_content(|writer| {
        narrative(writer, "title", &[], &indicator.title)?;
        if let Some(baseline) = &indicator.baseline {
            let year = baseline.year.to_string();
            element(
                writer,
                "baseline",
                &[("year", &year), ("value", &baseline.value)],
            )
            .write_empty()?;
        }
        for period in &indicator.periods {
            write_indicator_period(writer, period)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_indicator_period(writer: &mut XmlWriter, period: &IndicatorPeriod) -> io::Result<()> {
    element(writer, "period", &[]).write_inner_content(|writer| {
        write_period(writer, period.start, period.end)?;
        if let Some(target) = &period.target {
            element(writer, "target", &[("value", target)]).write_empty()?;
        }
        // IATI 2.03 allows a comment on the target or the actual value but not on the
        // period. A period comment explains what was achieved, so it goes with the actual
        // value, and `<actual>` is written without `@value` when only the comment is known.
        let actual = value_attribute(period.actual.as_deref());
        if let Some(comment) = &period.comment {
            element(writer, "actual", &actual)
                .write_inner_content(|writer| narrative(writer, "comment", &[], comment))?;
        } else if period.actual.is_some() {
            element(writer, "actual", &actual).write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

fn value_attribute(value: Option<&str>) -> Vec<(&str, &str)> {
    value.map(|value| ("value", value)).into_iter().collect()
}
