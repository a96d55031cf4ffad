//! Content-line output with RFC 5545 section 3.1 folding.

/// The longest a physical line may be, in octets, not counting the CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// Collects content lines, folding each one and ending it with CRLF.
#[derive(Debug, Default)]
pub(crate) struct ContentLines {
    text: String,
}

impl ContentLines {
    /// Appends one logical content line.
    ///
    /// Lines longer than 75 octets are split into a first line and continuation lines that
    /// start with a single space. The space counts towards the limit, so continuation lines
    /// carry at most 74 octets of content. A split never falls inside a multi-byte UTF-8
    /// character, because a parser that decodes line by line would otherwise see garbage.
    pub(crate) fn push(&mut self, line: &str) {
        let mut rest = line;
        let mut limit = MAX_LINE_OCTETS;
        while rest.len() > limit {
            let mut cut = limit;
            // Offset 0 is always a char boundary, and a limit of 74 octets is far larger
            // than the 4-octet longest UTF-8 character, so this stops well above zero.
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&rest[..cut]);
            self.text.push_str("\r\n ");
            rest = &rest[cut..];
            limit = MAX_LINE_OCTETS - 1;
        }
        self.text.push_str(rest);
        self.text.push_str("\r\n");
    }

    /// Returns everything written so far.
    pub(crate) fn into_string(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(line: &str) -> String {
        let mut lines = ContentLines::default();
        lines.push(line);
        lines.into_string()
    }

    #[test]
    fn short_lines_are_left_alone() {
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
    }

    #[test]
    fn a_line_of_exactly_75_octets_is_not_folded() {
        let line = "x".repeat(75);
        assert_eq!(fold(&line), format!("{line}\r\n"));
    }

    #[test]
    fn long_ascii_lines_fold_at_75_then_74_octets() {
        let line = "a".repeat(75 + 74 + 10);
        let folded = fold(&line);
        let physical: Vec<&str> = folded.split_terminator("\r\n").collect();
        assert_eq!(physical.len(), 3);
        assert_eq!(physical[0].len(), 75);
        assert_eq!(physical[1].len(), 75);
        assert_eq!(physical[2], format!(" {}", "a".repeat(10)));
    }

    #[test]
    fn never_splits_a_multibyte_character() {
        // 74 ASCII octets followed by a 4-octet emoji: the emoji must move to the next line.
        let line = format!("{}🙂{}", "a".repeat(74), "ñ".repeat(60));
        let folded = fold(&line);
        for physical in folded.split_terminator("\r\n") {
            assert!(physical.len() <= 75, "{physical:?} is too long");
        }
        assert!(folded.starts_with(&format!("{}\r\n 🙂", "a".repeat(74))));
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }
}
