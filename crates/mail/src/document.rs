//! The content of an e-mail as a short list of blocks, written once and rendered twice: as
//! plain text here and as HTML in [`crate::html`]. Keeping one model for both parts means
//! the two can never say different things.

use std::fmt::Write as _;

use cmnp_domain::representative::Language;
use cmnp_domain::words::{self, Named, Note};

use crate::{CalendarPart, Commission, Email, Recipient, html};

/// A labelled value, such as "Inicio: jueves 3 de diciembre de 2026, 10:00 (America/Lima)".
pub(crate) struct Fact {
    pub label: &'static str,
    pub value: String,
    /// Set when the value is itself a link, such as an online meeting room.
    pub link: bool,
}

impl Fact {
    pub fn text(label: &'static str, value: impl Into<String>) -> Self {
        Self {
            label,
            value: value.into(),
            link: false,
        }
    }

    pub fn link(label: &'static str, url: impl Into<String>) -> Self {
        Self {
            label,
            value: url.into(),
            link: true,
        }
    }
}

/// One line of a list, optionally pointing at the object it describes.
pub(crate) struct Entry {
    pub text: String,
    pub url: Option<String>,
}

pub(crate) enum Block {
    Paragraph(String),
    Heading(String),
    Subheading(String),
    Facts(Vec<Fact>),
    /// An ordered list, such as an agenda.
    Numbered(Vec<String>),
    Entries(Vec<Entry>),
    Link {
        label: String,
        url: String,
    },
}

/// A whole e-mail body: who it is for, what it says, and who it comes from.
pub(crate) struct Document<'a> {
    pub commission: &'a Commission,
    pub language: Language,
    pub title: String,
    pub greeting: String,
    pub blocks: Vec<Block>,
}

impl<'a> Document<'a> {
    pub fn new(
        commission: &'a Commission,
        language: Language,
        title: &str,
        recipient_name: &str,
    ) -> Self {
        Self {
            commission,
            language,
            title: one_line(title),
            greeting: words::greeting(language, recipient_name),
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.push(Block::Paragraph(text.into()));
    }

    /// The commission's name in the reader's language.
    pub fn commission_name(&self) -> &'a str {
        self.commission.name(self.language)
    }

    /// Renders the plain-text part: blocks separated by blank lines, headings underlined,
    /// and every link written out in full since plain text cannot hide it behind a label.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(self.commission_name());
        out.push_str("\n\n");
        underline(&mut out, &self.title, '=');
        out.push_str(&self.greeting);
        out.push_str("\n\n");
        for block in &self.blocks {
            write_block(&mut out, block);
        }
        out.push_str("-- \n");
        for line in self.signature() {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(Note::AutomaticMessage.name(self.language));
        out.push('\n');
        out
    }

    /// Renders both parts into the e-mail for `to`.
    pub fn into_email(self, to: &Recipient, calendar: Option<CalendarPart>) -> Email {
        Email {
            to: to.clone(),
            subject: self.title.clone(),
            text: self.to_text(),
            html: html::render(&self),
            calendar,
        }
    }

    /// The sender, the commission and its address, closing both parts.
    pub fn signature(&self) -> [String; 3] {
        [
            self.commission.from_name.clone(),
            self.commission_name().to_owned(),
            self.commission.public_url.clone(),
        ]
    }
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(text) | Block::Subheading(text) => out.push_str(text),
        Block::Heading(text) => underline(out, text, '-'),
        Block::Facts(facts) => {
            for fact in facts {
                let _ = writeln!(out, "{}: {}", fact.label, fact.value);
            }
        }
        Block::Numbered(lines) => {
            for (index, line) in lines.iter().enumerate() {
                let _ = writeln!(out, "{}. {line}", index + 1);
            }
        }
        Block::Entries(entries) => {
            for entry in entries {
                let _ = writeln!(out, "- {}", entry.text);
                if let Some(url) = &entry.url {
                    let _ = writeln!(out, "  {url}");
                }
            }
        }
        Block::Link { label, url } => {
            let _ = write!(out, "{label}: {url}");
        }
    }
    // Lists already end their last line; other blocks need theirs ended before the gap.
    if !out.ends_with('\n') {
        out.push('\n');
    }
    if !matches!(block, Block::Heading(_) | Block::Subheading(_)) {
        out.push('\n');
    }
}

fn underline(out: &mut String, text: &str, mark: char) {
    out.push_str(text);
    out.push('\n');
    out.extend(std::iter::repeat_n(mark, text.chars().count()));
    out.push_str("\n\n");
}

/// Collapses line breaks, tabs and runs of spaces into single spaces and drops other
/// control characters, since the title becomes the Subject header, where a line break
/// would end the header.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
