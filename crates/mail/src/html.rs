//! The HTML part: a plain, inline-styled page (mail clients drop style sheets) built from
//! a [`Document`] with maud, which escapes every interpolated value.

use cmnp_domain::representative::Language;
use cmnp_domain::words::{Named, Note};
use maud::{DOCTYPE, Markup, html};

use crate::document::{Block, Document, Entry, Fact};

const BODY_STYLE: &str =
    "font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5; max-width: 640px";
const MUTED_STYLE: &str = "color: #52606d; font-size: 0.9em";
const LABEL_STYLE: &str = "padding: 2px 12px 2px 0; vertical-align: top; font-weight: bold";

/// An anchor for `url` showing `label`, or just the label when the URL is not an http(s)
/// link: escaping alone would still let a `javascript:` URL run when clicked.
fn anchor(label: &str, url: &str) -> Markup {
    let url = url.trim();
    html! {
        @if url.starts_with("https://") || url.starts_with("http://") {
            a href=(url) { (label) }
        } @else {
            (label)
        }
    }
}

/// Renders the HTML part of `document`.
pub(crate) fn render(document: &Document<'_>) -> String {
    let lang = match document.language {
        Language::Es => "es",
        Language::En => "en",
    };
    let [from, commission, url] = document.signature();
    let page = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                title { (document.title) }
            }
            body style=(BODY_STYLE) {
                p style=(MUTED_STYLE) { (document.commission_name()) }
                h1 style="font-size: 1.3em" { (document.title) }
                p { (document.greeting) }
                @for content in &document.blocks {
                    (block(content))
                }
                hr;
                p style=(MUTED_STYLE) {
                    (from) br;
                    (commission) br;
                    (anchor(&url, &url))
                }
                p style=(MUTED_STYLE) { (Note::AutomaticMessage.name(document.language)) }
            }
        }
    };
    page.into_string()
}

fn block(content: &Block) -> Markup {
    match content {
        Block::Paragraph(text) => html! { p { (text) } },
        Block::Heading(text) => html! { h2 style="font-size: 1.15em" { (text) } },
        Block::Subheading(text) => html! { h3 style="font-size: 1em" { (text) } },
        Block::Facts(list) => facts(list),
        Block::Numbered(lines) => html! {
            ol {
                @for line in lines {
                    li { (line) }
                }
            }
        },
        Block::Entries(list) => entries(list),
        Block::Link { label, url } => html! { p { (anchor(label, url)) } },
    }
}

fn facts(facts: &[Fact]) -> Markup {
    html! {
        table role="presentation" style="border-collapse: collapse" {
            @for fact in facts {
                tr {
                    td style=(LABEL_STYLE) { (fact.label) }
                    td {
                        @if fact.link {
                            (anchor(&fact.value, &fact.value))
                        } @else {
                            (fact.value)
                        }
                    }
                }
            }
        }
    }
}

fn entries(entries: &[Entry]) -> Markup {
    html! {
        ul {
            @for entry in entries {
                li {
                    @match &entry.url {
                        Some(url) => (anchor(&entry.text, url)),
                        None => (entry.text),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_become_anchors() {
        assert_eq!(
            anchor("Sesión", "https://x.pe/a?b=1&c=\"2\"").into_string(),
            "<a href=\"https://x.pe/a?b=1&amp;c=&quot;2&quot;\">Sesión</a>"
        );
        assert_eq!(
            anchor("<b>", "javascript:alert(1)").into_string(),
            "&lt;b&gt;"
        );
        assert_eq!(
            anchor("<i>", " http://x.pe/\"><script>").into_string(),
            "<a href=\"http://x.pe/&quot;&gt;&lt;script&gt;\">&lt;i&gt;</a>"
        );
    }

    #[test]
    fn labels_and_values_are_escaped() {
        let markup = facts(&[Fact::text("Lugar", "Sala <b>\"A\"</b> & B")]).into_string();
        assert!(
            markup.contains("<td>Sala &lt;b&gt;&quot;A&quot;&lt;/b&gt; &amp; B</td>"),
            "{markup}"
        );
    }
}
