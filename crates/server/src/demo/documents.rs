//! The demo's documents: the meeting pack of the border session (a situation report as
//! a small PDF and the border centre's monthly figures as CSV) and the Tumbes project's
//! progress report, which its IATI activity links. The files are made here, in code.

use std::fmt::Write as _;

use cmnp_domain::document::{DocumentCategory, NewDocument, OwnerKind, Upload};
use cmnp_domain::policy::Actor;
use cmnp_store::Store;
use uuid::Uuid;

/// Attaches the border session's meeting pack to its agenda item `item_id`. Returns how
/// many documents it stored.
pub(super) async fn meeting_pack(
    store: &Store,
    secretariat: &Actor,
    item_id: Uuid,
) -> anyhow::Result<usize> {
    let report = pdf(&[
        "Informe situacional: frontera norte (Tumbes)",
        "Secretaria Tecnica de la CMNP-TP-TIM",
        "Flujo migratorio en el CEBAF Tumbes y casos de trafico ilicito de migrantes.",
        "Tumbes registra historicamente el mayor numero de casos de trafico ilicito.",
    ]);
    let figures = b"mes;atenciones;derivaciones\nenero;412;18\nfebrero;389;21\nmarzo;455;25\n";
    let pack = [
        (
            "Informe situacional de la frontera norte",
            "informe-frontera-norte.pdf",
            report.as_slice(),
        ),
        (
            "Atenciones en el CEBAF Tumbes por mes",
            "atenciones-cebaf-tumbes.csv",
            figures.as_slice(),
        ),
    ];
    for (title, file_name, bytes) in pack {
        let upload = Upload {
            owner_kind: OwnerKind::AgendaItem,
            owner_id: item_id,
            title,
            file_name,
            category: None,
            bytes,
        };
        attach(store, secretariat, upload).await?;
    }
    Ok(2)
}

/// Attaches the Tumbes project's first progress report, as its implementer, unless the
/// project has documents already. Returns how many documents it stored.
pub(super) async fn project_report(
    store: &Store,
    implementer: &Actor,
    project_id: Uuid,
) -> anyhow::Result<usize> {
    if !store
        .documents_of(OwnerKind::Project, &[project_id])
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let report = pdf(&[
        "Informe de avance: curso para operadoras y operadores de frontera",
        "OIM Peru - Ministerio del Interior (DGSD)",
        "Primer curso dictado en Tumbes: 12 de 25 operadores capacitados.",
    ]);
    attach(
        store,
        implementer,
        Upload {
            owner_kind: OwnerKind::Project,
            owner_id: project_id,
            title: "Informe de avance: primer curso en Tumbes",
            file_name: "informe-avance-tumbes.pdf",
            category: Some(DocumentCategory::Report),
            bytes: &report,
        },
    )
    .await?;
    Ok(1)
}

async fn attach(store: &Store, actor: &Actor, upload: Upload<'_>) -> anyhow::Result<()> {
    let new = NewDocument::parse(upload, upload.bytes.len())?;
    store
        .add_document(actor, new, upload.bytes.to_vec())
        .await?;
    Ok(())
}

/// A one-page PDF showing `lines` in Helvetica: the smallest file every reader opens,
/// with its cross-reference table's offsets counted as it is written.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut text = String::from("BT /F1 12 Tf 72 770 Td 16 TL");
    for line in lines {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        let _ = write!(text, " ({escaped}) '");
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (number, body) in (1..).zip(&objects) {
        offsets.push(pdf.len());
        let _ = write!(pdf, "{number} 0 obj\n{body}\nendobj\n");
    }
    let xref = pdf.len();
    let _ = write!(pdf, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(pdf, "{offset:010} 00000 n ");
    }
    let _ = write!(
        pdf,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_is_sniffed_as_one_and_its_offsets_point_at_its_objects() {
        let bytes = pdf(&["Informe (borrador)"]);
        assert_eq!(
            cmnp_domain::document::sniff(&bytes, "x").unwrap(),
            cmnp_domain::document::FileKind::Pdf
        );
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("(Informe \\(borrador\\)) '"));
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[xref..].starts_with("xref\n0 6\n"));
        for (number, line) in text[xref..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(text[offset..].starts_with(&format!("{} 0 obj", number + 1)));
        }
    }
}
