use super::*;

fn upload<'a>(bytes: &'a [u8], file_name: &'a str) -> Upload<'a> {
    Upload {
        owner_kind: OwnerKind::AgendaItem,
        owner_id: Uuid::now_v7(),
        title: " Informe de frontera ",
        file_name,
        category: None,
        bytes,
    }
}

/// A zip whose first local header names `name`, followed by `rest`.
fn zip(name: &str, rest: &[u8]) -> Vec<u8> {
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.resize(26, 0);
    bytes.extend(u16::try_from(name.len()).unwrap().to_le_bytes());
    bytes.extend([0, 0]);
    bytes.extend(name.as_bytes());
    bytes.extend(rest);
    bytes
}

#[test]
fn the_bytes_decide_the_kind_whatever_the_name() {
    assert_eq!(sniff(b"%PDF-1.4\n...", "x.txt"), Ok(FileKind::Pdf));
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", "x.pdf"), Ok(FileKind::Png));
    assert_eq!(sniff(b"\xff\xd8\xff\xe0....", "x"), Ok(FileKind::Jpeg));
    assert_eq!(
        sniff(b"agencia;asistencia\nMIMP;1\n", "a.CSV"),
        Ok(FileKind::Csv)
    );
    assert_eq!(
        sniff("Acta, señal 3 < 4\n".as_bytes(), "a.txt"),
        Ok(FileKind::Text)
    );
    assert_eq!(
        sniff(
            &zip("mimetype", b"application/vnd.oasis.opendocument.textPK"),
            "a"
        ),
        Ok(FileKind::Odt)
    );
    assert_eq!(
        sniff(
            &zip(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet"
            ),
            "a"
        ),
        Ok(FileKind::Ods)
    );
    assert_eq!(
        sniff(
            &zip("[Content_Types].xml", b"..PK..word/document.xml.."),
            "a.pdf"
        ),
        Ok(FileKind::Docx)
    );
    assert_eq!(
        sniff(&zip("[Content_Types].xml", b"..xl/workbook.xml"), "a"),
        Ok(FileKind::Xlsx)
    );
    assert_eq!(
        sniff(&zip("[Content_Types].xml", b"ppt/presentation.xml"), "a"),
        Ok(FileKind::Pptx)
    );
    assert_eq!(FileKind::Pdf.media_type(), "application/pdf");
}

#[test]
fn pages_scripts_and_unknown_files_are_refused() {
    for (bytes, name) in [
        (
            &b"<!DOCTYPE html><html><body>hi</body></html>"[..],
            "report.pdf",
        ),
        (b"  \n<html>", "a.csv"),
        (
            b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg'/>",
            "logo.png",
        ),
        (b"nombre\n<script>alert(1)</script>", "a.csv"),
        (b"ok\n<IMG SRC=x onerror=alert(1)>", "a.txt"),
        (b"#!/bin/sh\nrm -rf /\n", "a.txt"),
        (b"\x00\x01\x02binary", "a.bin"),
        (b"\xc3\x28 not utf-8", "a.txt"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "a.gif"),
    ] {
        let error = sniff(bytes, name).unwrap_err();
        assert_eq!(error.field, "file", "{name}: {}", error.message);
    }
    assert!(
        sniff(&zip("evil.exe", b"MZ"), "a.docx")
            .unwrap_err()
            .message
            .contains("zip")
    );
    assert!(
        sniff(
            &zip("mimetype", b"application/vnd.oasis.opendocument.textx"),
            "a"
        )
        .is_err(),
        "another type that only starts like a known one"
    );
}

#[test]
fn an_upload_is_checked_field_by_field() {
    let pdf = b"%PDF-1.4 tiny";
    let document = NewDocument::parse(upload(pdf, "C:\\papers\\acta.pdf"), 1024).unwrap();
    assert_eq!(document.title, "Informe de frontera");
    assert_eq!(document.file_name, "acta.pdf");
    assert_eq!(document.kind, FileKind::Pdf);
    assert_eq!(document.size, 13);
    assert_eq!(document.sha256.len(), 64);
    assert_eq!(document.category, DocumentCategory::Other);

    let too_big = NewDocument::parse(upload(pdf, "a.pdf"), 12).unwrap_err();
    assert_eq!(too_big.field, "file");
    assert!(
        too_big.message.contains("at most 12 bytes"),
        "{}",
        too_big.message
    );
    assert_eq!(
        NewDocument::parse(upload(b"", "a.pdf"), 12)
            .unwrap_err()
            .field,
        "file"
    );
    let untitled = Upload {
        title: "  ",
        ..upload(pdf, "a.pdf")
    };
    assert_eq!(
        NewDocument::parse(untitled, 1024).unwrap_err().field,
        "title"
    );
    let report = Upload {
        category: Some(DocumentCategory::Report),
        ..upload(pdf, "a.pdf")
    };
    assert_eq!(
        NewDocument::parse(report, 1024).unwrap_err().field,
        "category"
    );
    let project_report = Upload {
        owner_kind: OwnerKind::Project,
        ..report
    };
    assert_eq!(
        NewDocument::parse(project_report, 1024).unwrap().category,
        DocumentCategory::Report
    );
}

#[test]
fn file_names_lose_folders_quotes_and_control_characters() {
    assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
    assert_eq!(clean_file_name("a\"b\r\n.pdf"), "ab.pdf");
    assert_eq!(clean_file_name("..."), "documento");
    assert_eq!(clean_file_name(""), "documento");
    assert_eq!(clean_file_name(&"x".repeat(500)).chars().count(), 200);
}
