//! Escaping of values so that user-provided text can never break the structure of a
//! content line (RFC 5545 sections 3.1.1, 3.3.3 and 3.3.11).

/// Escapes a TEXT value (RFC 5545 section 3.3.11).
///
/// Backslashes, semicolons and commas are escaped because parsers treat them as list and
/// component separators. Every line break (`\r\n`, `\n` or a lone `\r`) becomes the two
/// characters `\n`, since a raw line break would end the content line. Other ASCII control
/// characters are not allowed in TEXT at all, so they are dropped; tabs are allowed and kept.
pub(crate) fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {
                // A CRLF pair is one line break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push_str("\\n");
            }
            '\t' => escaped.push('\t'),
            c if c.is_ascii_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Renders a parameter value in double quotes (RFC 5545 section 3.1, `quoted-string`).
///
/// Quoting lets names such as `Ana Quispe, MIMP` keep their commas, semicolons and colons.
/// A quoted value has no escape mechanism, so double quotes and ASCII control characters
/// (other than tab) are removed instead.
pub(crate) fn quote_param(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    quoted.extend(
        value
            .chars()
            .filter(|&c| c != '"' && (c == '\t' || !c.is_ascii_control())),
    );
    quoted.push('"');
    quoted
}

/// Cleans a URI value (URL, `mailto:` addresses).
///
/// URIs are not TEXT, so they are not backslash-escaped; the only danger is a control
/// character such as a line break, which would let the value inject new properties.
pub(crate) fn clean_uri(value: &str) -> String {
    value.chars().filter(|c| !c.is_ascii_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_specials() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
    }

    #[test]
    fn keeps_non_ascii_and_tabs_but_drops_controls() {
        assert_eq!(escape_text("Año\tniño\u{7}🙂"), "Año\tniño🙂");
    }

    #[test]
    fn colons_are_not_escaped_in_text() {
        assert_eq!(escape_text("Hora: 10:00"), "Hora: 10:00");
    }

    #[test]
    fn quotes_parameters_and_strips_forbidden_characters() {
        assert_eq!(quote_param("Ana Quispe, MIMP"), "\"Ana Quispe, MIMP\"");
        assert_eq!(
            quote_param("José \"Pepe\"\r\n; Díaz"),
            "\"José Pepe; Díaz\""
        );
    }

    #[test]
    fn cleans_line_breaks_from_uris() {
        assert_eq!(
            clean_uri("https://meet.example/abc\r\nATTENDEE:x"),
            "https://meet.example/abcATTENDEE:x"
        );
    }
}
