//! The HTML part: a plain, inline-styled page (mail clients drop style sheets) built from
//! a [`Document`], with every interpolated value escaped.

use std::fmt::Write as _;

use cmnp_domain::representative::Language;
use cmnp_domain::words::{Named, Note};

use crate::document::{Block, Document, Entry, Fact};

const BODY_STYLE: &str =
    "font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5; max-width: 640px";
const MUTED_STYLE: &str = "color: #52606d; font-size: 0.9em";
const LABEL_STYLE: &str = "padding: 2px 12px 2px 0; vertical-align: top; font-weight: bold";

pub(crate) use cmnp_domain::text::escape_html as escape;

/// An anchor for `url` showing `label`, or just the label when the URL is not an http(s)
/// link: escaping alone would still let a `javascript:` URL run when clicked.
fn anchor(label: &str, url: &str) -> String {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("http://") {
        format!("<a href=\"{}\">{}</a>", escape(url), escape(label))
    } else {
        escape(label)
    }
}

/// Renders the HTML part of `document`.
pub(crate) fn render(document: &Document<'_>) -> String {
    let lang = match document.language {
        Language::Es => "es",
        Language::En => "en",
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n</head>\n<body style=\"{BODY_STYLE}\">\n\
         <p style=\"{MUTED_STYLE}\">{commission}</p>\n\
         <h1 style=\"font-size: 1.3em\">{title}</h1>\n<p>{greeting}</p>",
        title = escape(&document.title),
        commission = escape(document.commission_name()),
        greeting = escape(&document.greeting),
    );
    for block in &document.blocks {
        write_block(&mut out, block);
    }
    let [from, commission, url] = document.signature();
    let _ = writeln!(
        out,
        "<hr>\n<p style=\"{MUTED_STYLE}\">{}<br>\n{}<br>\n{}</p>\n<p style=\"{MUTED_STYLE}\">{}</p>",
        escape(&from),
        escape(&commission),
        anchor(&url, &url),
        escape(Note::AutomaticMessage.name(document.language)),
    );
    out.push_str("</body>\n</html>\n");
    out
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::Paragraph(text) => {
            let _ = writeln!(out, "<p>{}</p>", escape(text));
        }
        Block::Heading(text) => {
            let _ = writeln!(out, "<h2 style=\"font-size: 1.15em\">{}</h2>", escape(text));
        }
        Block::Subheading(text) => {
            let _ = writeln!(out, "<h3 style=\"font-size: 1em\">{}</h3>", escape(text));
        }
        Block::Facts(facts) => write_facts(out, facts),
        Block::Numbered(lines) => {
            out.push_str("<ol>\n");
            for line in lines {
                let _ = writeln!(out, "<li>{}</li>", escape(line));
            }
            out.push_str("</ol>\n");
        }
        Block::Entries(entries) => write_entries(out, entries),
        Block::Link { label, url } => {
            let _ = writeln!(out, "<p>{}</p>", anchor(label, url));
        }
    }
}

fn write_facts(out: &mut String, facts: &[Fact]) {
    out.push_str("<table role=\"presentation\" style=\"border-collapse: collapse\">\n");
    for fact in facts {
        let value = if fact.link {
            anchor(&fact.value, &fact.value)
        } else {
            escape(&fact.value)
        };
        let _ = writeln!(
            out,
            "<tr><td style=\"{LABEL_STYLE}\">{}</td><td>{value}</td></tr>",
            escape(fact.label)
        );
    }
    out.push_str("</table>\n");
}

fn write_entries(out: &mut String, entries: &[Entry]) {
    out.push_str("<ul>\n");
    for entry in entries {
        let item = match &entry.url {
            Some(url) => anchor(&entry.text, url),
            None => escape(&entry.text),
        };
        let _ = writeln!(out, "<li>{item}</li>");
    }
    out.push_str("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(escape(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn only_web_links_become_anchors() {
        assert_eq!(
            anchor("Sesión", "https://x.pe/a?b=1&c=\"2\""),
            "<a href=\"https://x.pe/a?b=1&amp;c=&quot;2&quot;\">Sesión</a>"
        );
        assert_eq!(anchor("<b>", "javascript:alert(1)"), "&lt;b&gt;");
    }
}
