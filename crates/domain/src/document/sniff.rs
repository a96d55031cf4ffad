//! Which kind of file some bytes are, from the bytes alone: the signatures at their start
//! (and, for the zip-based office formats, the names of the parts inside). Anything that
//! is none of the kinds taken is refused, and so is text that a browser would read as a
//! page or a script, whatever name or type it came with.

use crate::ValidationError;

/// A kind of file that documents may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    /// Word (OOXML).
    Docx,
    /// Excel (OOXML).
    Xlsx,
    /// PowerPoint (OOXML).
    Pptx,
    /// OpenDocument text, spreadsheet and presentation.
    Odt,
    Ods,
    Odp,
    /// UTF-8 text with a `.csv` name.
    Csv,
    /// Other UTF-8 text.
    Text,
}

impl FileKind {
    pub const ALL: [FileKind; 11] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Odp,
        FileKind::Csv,
        FileKind::Text,
    ];

    /// The kind a stored media type names, if it names one of the kinds taken.
    pub fn of_media_type(media_type: &str) -> Option<FileKind> {
        FileKind::ALL
            .into_iter()
            .find(|kind| kind.media_type() == media_type)
    }

    /// The IANA media type the file is served and published as.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Odp => "application/vnd.oasis.opendocument.presentation",
            FileKind::Csv => "text/csv",
            FileKind::Text => "text/plain",
        }
    }
}

const ACCEPTED: &str =
    "PDF, PNG, JPEG, Word, Excel or PowerPoint (OOXML), OpenDocument, CSV or plain text";

/// The kind of file `bytes` are; `file_name` only tells CSV from other text. Refuses,
/// naming the field `file`, bytes of any other kind, and text that holds markup or starts
/// as a script.
pub fn sniff(bytes: &[u8], file_name: &str) -> Result<FileKind, ValidationError> {
    if bytes.starts_with(b"%PDF-") {
        return Ok(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileKind::Png);
    }
    if bytes.starts_with(b"\xff\xd8\xff") {
        return Ok(FileKind::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office(bytes).ok_or_else(|| refused("a zip archive that is no office document"));
    }
    text(bytes, file_name)
}

/// An OpenDocument file starts with an uncompressed `mimetype` part naming its type; an
/// OOXML file holds `[Content_Types].xml` and its main part under `word/`, `xl/` or `ppt/`
/// (local headers carry the part names uncompressed).
fn office(bytes: &[u8]) -> Option<FileKind> {
    if bytes.get(30..38) == Some(b"mimetype") {
        let declared = bytes.get(38..)?;
        for (prefix, kind) in [
            (
                &b"application/vnd.oasis.opendocument.text"[..],
                FileKind::Odt,
            ),
            (
                b"application/vnd.oasis.opendocument.spreadsheet",
                FileKind::Ods,
            ),
            (
                b"application/vnd.oasis.opendocument.presentation",
                FileKind::Odp,
            ),
        ] {
            // The declaration ends where the next part's header starts.
            if declared.starts_with(prefix)
                && declared
                    .get(prefix.len()..)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(b"PK"))
            {
                return Some(kind);
            }
        }
        return None;
    }
    if !contains(bytes, b"[Content_Types].xml") {
        return None;
    }
    [
        (&b"word/document.xml"[..], FileKind::Docx),
        (b"xl/workbook.xml", FileKind::Xlsx),
        (b"ppt/presentation.xml", FileKind::Pptx),
    ]
    .into_iter()
    .find(|(part, _)| contains(bytes, part))
    .map(|(_, kind)| kind)
}

/// Markup a browser renders as a page or runs, looked for anywhere in a text.
const MARKUP: &[&str] = &[
    "<!doctype",
    "<html",
    "<head",
    "<body",
    "<script",
    "<svg",
    "<iframe",
    "<object",
    "<embed",
    "<meta",
    "<img",
    "<style",
    "<link",
    "<form",
    "<a ",
    "<?xml",
    "<xml",
    "<!--",
];

fn text(bytes: &[u8], file_name: &str) -> Result<FileKind, ValidationError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(refused("neither a known kind of file nor UTF-8 text"));
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(refused("neither a known kind of file nor plain text"));
    }
    let lower = text.to_lowercase();
    let start = lower.trim_start();
    if start.starts_with('<') || MARKUP.iter().any(|tag| lower.contains(tag)) {
        return Err(refused("HTML, SVG or other markup"));
    }
    if start.starts_with("#!") {
        return Err(refused("a script"));
    }
    let csv = file_name
        .rsplit_once('.')
        .is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("csv"));
    Ok(if csv { FileKind::Csv } else { FileKind::Text })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn refused(what: &str) -> ValidationError {
    ValidationError::new(
        "file",
        format!("the file's content is {what}: only {ACCEPTED} files are accepted"),
    )
}
