//! The few helpers the export needs on top of quick-xml's writer: elements whose text and
//! attribute values are stripped of the characters XML cannot carry, the `<narrative>`
//! wrapper that IATI puts around all human-readable text, and the lexical forms of dates.
//!
//! quick-xml escapes markup characters, carriage returns, and the tabs and line breaks of
//! attribute values, so names, titles and identifiers can never open or close an element
//! or end an attribute early, and read back exactly as written.

use std::borrow::Cow;
use std::io;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::escape::escape;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::writer::ElementWriter;

/// The document being written, indented with two spaces per level.
pub(crate) type XmlWriter = Writer<Vec<u8>>;

/// Starts a document with its XML declaration, which IATI tools expect to find.
pub(crate) fn document() -> io::Result<XmlWriter> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(writer)
}

/// Starts an element named `name` with `attributes`, to be finished with its content.
/// quick-xml escapes the attribute values once they are stripped of what XML cannot carry.
pub(crate) fn element<'a>(
    writer: &'a mut XmlWriter,
    name: &'a str,
    attributes: &[(&str, &str)],
) -> ElementWriter<'a, Vec<u8>> {
    attributes
        .iter()
        .fold(writer.create_element(name), |element, &(key, value)| {
            element.with_attribute((key, xml_chars(value)))
        })
}

/// Text content for an element, stripped of what XML cannot carry and escaped as
/// `BytesText::new` would, which only takes a borrowed string and so cannot take the
/// stripped copy.
pub(crate) fn text(value: &str) -> BytesText<'_> {
    BytesText::from_escaped(escape(xml_chars(value)))
}

/// Writes an element holding one `<narrative>`, the way IATI carries all human-readable
/// text. The language is inherited from the activity's `xml:lang`.
pub(crate) fn narrative(
    writer: &mut XmlWriter,
    name: &str,
    attributes: &[(&str, &str)],
    value: &str,
) -> io::Result<()> {
    element(writer, name, attributes).write_inner_content(|writer| {
        writer
            .create_element("narrative")
            .write_text_content(text(value))?;
        Ok(())
    })?;
    Ok(())
}

/// Ends the document with a line break after its root element, as text files end.
pub(crate) fn finish(mut writer: XmlWriter) -> io::Result<Vec<u8>> {
    writer.write_indent()?;
    Ok(writer.into_inner())
}

/// Formats a date as `xsd:date`, such as `2026-03-01`.
pub(crate) fn date(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// Formats an instant as `xsd:dateTime` in UTC, such as `2026-03-01T14:30:00Z`.
pub(crate) fn date_time(value: DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `value` without the characters that XML 1.0 cannot carry at all, not even as character
/// references, such as NUL or ESC. quick-xml writes whatever it is given, so they are
/// dropped here to keep the document well-formed.
fn xml_chars(value: &str) -> Cow<'_, str> {
    if value.chars().all(is_xml_char) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// Whether XML 1.0 allows `c` in a document (the `Char` production). Rust's `char` cannot
/// hold surrogates, so only control characters other than tab, line feed and carriage
/// return, and two non-characters, remain to exclude.
fn is_xml_char(c: char) -> bool {
    !((c < '\u{20}' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(write: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> String {
        let mut writer = document().unwrap();
        write(&mut writer).unwrap();
        String::from_utf8(finish(writer).unwrap()).unwrap()
    }

    #[test]
    fn markup_characters_are_escaped_everywhere() {
        let raw = "Tom & Jerry <b> \"citado\" l'été";
        let expected = "Tom &amp; Jerry &lt;b&gt; &quot;citado&quot; l&apos;été";
        let xml = written(|writer| {
            element(writer, "a", &[("x", raw)]).write_text_content(text(raw))?;
            Ok(())
        });
        assert!(
            xml.ends_with(&format!("<a x=\"{expected}\">{expected}</a>\n")),
            "{xml}"
        );
    }

    #[test]
    fn whitespace_survives_parsing() {
        let xml = written(|writer| {
            element(writer, "a", &[("x", "a\tb\nc\r")]).write_text_content(text("a\tb\nc\r\nd"))?;
            Ok(())
        });
        assert!(
            xml.ends_with("<a x=\"a&#9;b&#10;c&#13;\">a\tb\nc&#13;\nd</a>\n"),
            "{xml}"
        );
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        let raw = "a\u{0}b\u{1B}c\u{FFFF}d\u{1F600}";
        let xml = written(|writer| {
            element(writer, "a", &[("x", raw)]).write_text_content(text(raw))?;
            Ok(())
        });
        assert!(
            xml.ends_with("<a x=\"abcd\u{1F600}\">abcd\u{1F600}</a>\n"),
            "{xml}"
        );
    }

    #[test]
    fn writer_nests_and_indents() {
        let xml = written(|writer| {
            element(writer, "a", &[("x", "1 & 2")]).write_inner_content(|writer| {
                element(writer, "b", &[]).write_empty()?;
                narrative(writer, "c", &[], "<hola>")
            })?;
            Ok(())
        });
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <a x=\"1 &amp; 2\">\n  <b/>\n  <c>\n    <narrative>&lt;hola&gt;</narrative>\n  </c>\n</a>\n"
        );
    }

    #[test]
    fn dates_use_xsd_lexical_forms() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(date(day), "2026-03-01");
        let instant = day.and_hms_opt(14, 30, 0).unwrap().and_utc();
        assert_eq!(date_time(instant), "2026-03-01T14:30:00Z");
    }
}
