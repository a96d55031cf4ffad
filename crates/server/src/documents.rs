//! Documents outside GraphQL: where their bytes are kept (a folder, or an S3-compatible
//! bucket), and `GET /documents/<id>`, which hands one to a reader who may read the
//! object it belongs to. A download is always an attachment of its sniffed type, never
//! shown inline, and the browser is told not to guess another type or run anything in it.

use std::sync::Arc;

use anyhow::Context as _;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cmnp_domain::document::FileKind;
use cmnp_store::DocumentFiles;
use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use uuid::Uuid;

use crate::app::AppState;
use crate::config::{Config, DocumentStorage};
use crate::respond::{internal, not_found, reader};

/// The storage `config` names: its folder (made if missing) or its bucket.
pub fn files(config: &Config) -> anyhow::Result<DocumentFiles> {
    let store: Arc<dyn ObjectStore> =
        match &config.document_storage {
            DocumentStorage::Folder(folder) => {
                std::fs::create_dir_all(folder).with_context(|| {
                    format!("cannot create the documents folder {}", folder.display())
                })?;
                Arc::new(LocalFileSystem::new_with_prefix(folder).with_context(|| {
                    format!("cannot use the documents folder {}", folder.display())
                })?)
            }
            DocumentStorage::S3 {
                bucket,
                endpoint,
                region,
                access_key,
            } => {
                let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
                if let Some(endpoint) = endpoint {
                    builder = builder
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_endpoint(endpoint);
                }
                if let Some(region) = region {
                    builder = builder.with_region(region);
                }
                if let Some(key) = access_key {
                    builder = builder
                        .with_access_key_id(&key.id)
                        .with_secret_access_key(&key.secret);
                }
                Arc::new(
                    builder
                        .build()
                        .with_context(|| format!("cannot use the S3 bucket {bucket}"))?,
                )
            }
        };
    Ok(DocumentFiles::new(store))
}

/// `GET /documents/<id>`: the document's bytes, for a reader signed in with a bearer
/// token or the pages' session cookie who may read the document's owner. Anything else
/// is answered as if the document did not exist.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let actor = match reader(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let store = &state.store;
    let document = match store.document(id).await {
        Ok(Some(document)) => document,
        Ok(None) => return not_found(),
        Err(error) => return internal(&error),
    };
    match store
        .document_owner(document.owner_kind, document.owner_id)
        .await
    {
        Ok(Some(owner)) if owner.as_owner().readable_by(&actor) => {}
        Ok(_) => return not_found(),
        Err(error) => return internal(&error),
    }
    let contents = match store.document_contents(&document).await {
        Ok(contents) => contents,
        Err(error) => return internal(&error),
    };
    let disposition = content_disposition(&document.file_name);
    let mut response = Body::from_stream(contents.into_stream()).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_LENGTH, HeaderValue::from(document.size)),
        (header::CONTENT_TYPE, served_type(&document.content_type)),
        (header::CONTENT_DISPOSITION, disposition),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox; default-src 'none'"),
        ),
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
    ] {
        headers.insert(name, value);
    }
    response
}

/// The stored type, which was sniffed from the bytes: served as it is when it is one of
/// the kinds taken (text with its charset), anything else as opaque bytes.
fn served_type(content_type: &str) -> HeaderValue {
    let Some(kind) = FileKind::of_media_type(content_type) else {
        return HeaderValue::from_static("application/octet-stream");
    };
    let media_type = kind.media_type();
    if media_type.starts_with("text/") {
        HeaderValue::from_str(&format!("{media_type}; charset=utf-8"))
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
    } else {
        HeaderValue::from_static(media_type)
    }
}

/// `attachment`, with the file name as RFC 5987 UTF-8 (every byte outside the
/// unreserved set percent-encoded) and an ASCII fallback for old clients.
fn content_disposition(file_name: &str) -> HeaderValue {
    let encoded: String = file_name
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect();
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_encoded_for_the_header() {
        let value = content_disposition("Acta N° 1 \"x\".pdf");
        assert_eq!(
            value.to_str().unwrap(),
            "attachment; filename=\"Acta N_ 1 _x_.pdf\"; filename*=UTF-8''Acta%20N%C2%B0%201%20%22x%22.pdf"
        );
    }

    #[test]
    fn no_markup_type_is_served() {
        assert_eq!(served_type("text/csv"), "text/csv; charset=utf-8");
        assert_eq!(served_type("application/pdf"), "application/pdf");
        assert_eq!(served_type("text/html"), "application/octet-stream");
        assert_eq!(served_type("image/svg+xml"), "application/octet-stream");
        assert_eq!(served_type("application/xml"), "application/octet-stream");
        for kind in [
            FileKind::Docx,
            FileKind::Xlsx,
            FileKind::Pptx,
            FileKind::Odt,
        ] {
            assert_eq!(served_type(kind.media_type()), kind.media_type());
        }
    }
}
