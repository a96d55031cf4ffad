//! Writing laid-out pages as PDF with `printpdf`: both faces embedded as TrueType
//! (`/FontFile2`, deflated, with the map back to Unicode that text extraction reads), no colour
//! profile or XMP packet (the acta claims no PDF/X or PDF/A conformance).

use std::io::Cursor;

use printpdf::{
    Color, CustomPdfConformance, Greyscale, IndirectFontRef, Line, Mm, PdfConformance, PdfDocument,
    Point, Rgb,
};

use crate::layout::{Ink, PAGE_HEIGHT, PAGE_WIDTH, Page, Weight};
use crate::{Acta, ActaError, words};

pub(crate) fn write(
    acta: &Acta,
    pages: Vec<Page>,
    (regular, bold): (&[u8], &[u8]),
) -> Result<Vec<u8>, ActaError> {
    let title = words::title(
        acta.language,
        acta.stage == crate::Stage::Circulated,
        acta.session.kind,
        &acta.session.label,
    );
    let (document, first_page, first_layer) =
        PdfDocument::new(&title, Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "acta");
    let document = document.with_conformance(PdfConformance::Custom(CustomPdfConformance {
        requires_icc_profile: false,
        requires_xmp_metadata: false,
        ..CustomPdfConformance::default()
    }));
    let font = |bytes: &[u8]| {
        document
            .add_external_font(Cursor::new(bytes))
            .map_err(|error| ActaError::Font(error.to_string()))
    };
    let (regular, bold): (IndirectFontRef, IndirectFontRef) = (font(regular)?, font(bold)?);
    for (index, page) in pages.into_iter().enumerate() {
        let layer = if index == 0 {
            document.get_page(first_page).get_layer(first_layer)
        } else {
            let (page, layer) = document.add_page(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "acta");
            document.get_page(page).get_layer(layer)
        };
        layer.set_outline_color(colour(Ink::Grey));
        layer.set_outline_thickness(0.5);
        for rule in &page.rules {
            layer.add_line(Line {
                points: vec![
                    (Point::new(Mm(rule.x1), Mm(rule.y)), false),
                    (Point::new(Mm(rule.x2), Mm(rule.y)), false),
                ],
                is_closed: false,
            });
        }
        for text in page.texts {
            layer.set_fill_color(colour(text.ink));
            let font = match text.weight {
                Weight::Regular => &regular,
                Weight::Bold => &bold,
            };
            layer.use_text(text.text, text.size, Mm(text.x), Mm(text.y), font);
        }
    }
    let written = document
        .save_to_bytes()
        .map_err(|error| ActaError::Pdf(error.to_string()))?;
    compressed(&written)
}

/// The document with every stream deflated. `printpdf` leaves the embedded font programs
/// uncompressed, which makes most of the file; deflated (as `/FontFile2` streams may
/// be, keeping their `/Length1`) the acta is about half the size.
fn compressed(written: &[u8]) -> Result<Vec<u8>, ActaError> {
    let failed = |error: lopdf::Error| ActaError::Pdf(error.to_string());
    let mut document = lopdf::Document::load_mem(written).map_err(failed)?;
    document.compress();
    let mut bytes = Vec::new();
    document
        .save_to(&mut bytes)
        .map_err(|error| ActaError::Pdf(error.to_string()))?;
    Ok(bytes)
}

fn colour(ink: Ink) -> Color {
    match ink {
        Ink::Black => Color::Greyscale(Greyscale::new(0.0, None)),
        Ink::Grey => Color::Greyscale(Greyscale::new(0.4, None)),
        Ink::Red => Color::Rgb(Rgb::new(0.7, 0.1, 0.1, None)),
    }
}
