//! A minimal XML writer with escaping, enough for the elements IATI needs.
//!
//! Every piece of caller-supplied text passes through [`escape_text`] or
//! [`escape_attribute`], so names, titles and identifiers can never open or close an element
//! or end an attribute early.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// Builds an indented XML document one element at a time.
pub(crate) struct XmlWriter {
    out: String,
    depth: usize,
}

impl XmlWriter {
    /// Starts a document with its XML declaration, which IATI tools expect to find.
    pub(crate) fn new() -> Self {
        Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    /// Writes a start tag whose children follow on the next lines.
    pub(crate) fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// Writes the end tag matching the most recent [`XmlWriter::open`].
    pub(crate) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// Writes an element that has attributes only.
    pub(crate) fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push_str("/>\n");
    }

    /// Writes an element whose content is a single piece of text.
    pub(crate) fn text(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.start_tag(name, attributes);
        self.out.push('>');
        self.out.push_str(&escape_text(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// Writes an element holding one `<narrative>`, the way IATI carries all human-readable
    /// text. The language is inherited from the activity's `xml:lang`.
    pub(crate) fn narrative(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.open(name, attributes);
        self.text("narrative", &[], text);
        self.close(name);
    }

    /// Returns the finished document.
    pub(crate) fn finish(self) -> String {
        self.out
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape_attribute(value));
            self.out.push('"');
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

/// Formats a date as `xsd:date`, such as `2026-03-01`.
pub(crate) fn date(value: NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// Formats an instant as `xsd:dateTime` in UTC, such as `2026-03-01T14:30:00Z`.
pub(crate) fn date_time(value: DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Escapes element content. Line breaks and tabs are kept as they are, except that a
/// carriage return is written as a character reference, because parsers would otherwise
/// turn it into a line feed.
pub(crate) fn escape_text(value: &str) -> String {
    escape(value, false)
}

/// Escapes an attribute value. Tabs and line breaks are written as character references,
/// because parsers would otherwise normalise each of them to a plain space.
pub(crate) fn escape_attribute(value: &str) -> String {
    escape(value, true)
}

fn escape(value: &str, in_attribute: bool) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' if in_attribute => escaped.push_str("&#9;"),
            '\n' if in_attribute => escaped.push_str("&#10;"),
            '\t' | '\n' => escaped.push(c),
            c if is_xml_char(c) => escaped.push(c),
            // XML 1.0 cannot carry these characters at all, not even as references, so
            // they are dropped to keep the document well-formed.
            _ => {}
        }
    }
    escaped
}

/// Whether XML 1.0 allows `c` in a document (the `Char` production). Rust's `char` cannot
/// hold surrogates, so only control characters and two non-characters remain to exclude.
fn is_xml_char(c: char) -> bool {
    !(c < '\u{20}' || c == '\u{FFFE}' || c == '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_everywhere() {
        let raw = "Tom & Jerry <b> \"citado\" l'été";
        let expected = "Tom &amp; Jerry &lt;b&gt; &quot;citado&quot; l&apos;été";
        assert_eq!(escape_text(raw), expected);
        assert_eq!(escape_attribute(raw), expected);
    }

    #[test]
    fn whitespace_survives_parsing() {
        assert_eq!(escape_text("a\tb\nc\r\nd"), "a\tb\nc&#13;\nd");
        assert_eq!(escape_attribute("a\tb\nc\r"), "a&#9;b&#10;c&#13;");
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        assert_eq!(
            escape_text("a\u{0}b\u{1B}c\u{FFFF}d\u{1F600}"),
            "abcd\u{1F600}"
        );
    }

    #[test]
    fn writer_nests_and_indents() {
        let mut writer = XmlWriter::new();
        writer.open("a", &[("x", "1 & 2")]);
        writer.empty("b", &[]);
        writer.narrative("c", &[], "<hola>");
        writer.close("a");
        assert_eq!(
            writer.finish(),
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
