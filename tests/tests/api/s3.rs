//! Documents in an S3 bucket, against a real S3-compatible server: moto's (pinned in
//! tests/python/requirements.txt) on a loopback port, the app configured for it as an
//! operator would (bucket, `http://` endpoint, region, access key), and the bucket read
//! behind the app's back over plain HTTP.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use cmnp_tests::TestApp;
use uuid::Uuid;

use crate::documents::{
    MIMP, SECRETARIAT, border, documents_stored, download, input, path_of, pdf, upload,
};

const BUCKET: &str = "cmnp-documents";
const ACCESS_KEY_ID: &str = "AKIDCMNPTEST";

/// moto's S3 server, killed when dropped.
struct Moto {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
}

impl Moto {
    /// Starts the server on a free loopback port and waits until it answers.
    fn start(python: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let log = tempfile::NamedTempFile::new().expect("a file for moto's log");
        let child = Command::new(python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("moto's log"))
            .spawn()
            .expect("start moto's server");
        let mut moto = Self { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if matches!(moto.request("GET", "/moto-api/"), Ok((200, _))) {
                return moto;
            }
            let exited = moto.child.try_wait().expect("moto's status");
            assert!(
                exited.is_none() && Instant::now() < deadline,
                "moto's server did not answer ({exited:?}): {}",
                moto.log_text()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// `method path` without a body, as HTTP/1.0 so that the answer is never chunked:
    /// its status and body. The request names the test's access key with a signature
    /// that is not one: moto does not check signatures, but answers an unsigned request
    /// as an anonymous reader, whom the app's private objects refuse.
    fn request(&self, method: &str, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(
            stream,
            "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential={ACCESS_KEY_ID}/20260101/us-east-1/s3/aws4_request, \
             SignedHeaders=host, Signature=00\r\n\r\n",
            self.port
        )?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response)?;
        let split = response
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .ok_or_else(|| std::io::Error::other("no end of headers"))?;
        let status = String::from_utf8_lossy(&response[..split])
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status"))?;
        Ok((status, response[split + 4..].to_vec()))
    }

    /// The bucket's objects, as S3's `ListObjectsV2` lists them: key and size.
    fn objects(&self, bucket: &str) -> Vec<(String, usize)> {
        let (status, body) = self
            .request("GET", &format!("/{bucket}?list-type=2"))
            .expect("list the bucket");
        let xml = String::from_utf8(body).expect("an XML listing");
        assert_eq!(status, 200, "{xml}");
        xml.split("<Contents>")
            .skip(1)
            .map(|entry| {
                let field = |name: &str| {
                    let start = entry.find(&format!("<{name}>")).expect(name) + name.len() + 2;
                    let end = entry.find(&format!("</{name}>")).expect(name);
                    entry[start..end].to_owned()
                };
                (field("Key"), field("Size").parse().expect("a size"))
            })
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
#[ignore = "needs Python with moto: set CMNP_PYTHON"]
async fn documents_are_kept_in_an_s3_bucket_and_download_byte_for_byte() {
    let python = cmnp_tests::required(
        "CMNP_PYTHON",
        "a Python with moto's server (tests/python/requirements.txt)",
    );
    let moto = Moto::start(&python);
    let (status, _) = moto
        .request("PUT", &format!("/{BUCKET}"))
        .expect("create the bucket");
    assert_eq!(status, 200, "{}", moto.log_text());
    assert!(moto.objects(BUCKET).is_empty());

    let endpoint = format!("http://127.0.0.1:{}", moto.port);
    let app = TestApp::with_demo(&[
        ("CMNP_DOCUMENTS_S3_BUCKET", BUCKET),
        ("CMNP_DOCUMENTS_S3_ENDPOINT", endpoint.as_str()),
        ("CMNP_DOCUMENTS_S3_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("AWS_SECRET_ACCESS_KEY", "a test secret"),
    ])
    .await;
    // The demo's documents went to the bucket as well.
    let demo = moto.objects(BUCKET);
    assert!(!demo.is_empty());
    let secretariat = app.demo_token(SECRETARIAT).await;
    let (_, item) = border(&app, &secretariat).await;
    let bytes = pdf();
    let uploaded = upload(
        &app,
        &secretariat,
        input("AGENDA_ITEM", &item, "Ayuda memoria de la sesión"),
        "ayuda memoria.pdf",
        &bytes,
    )
    .await;
    let document = uploaded.data()["uploadDocument"]["document"].clone();
    assert_eq!(document["size"], bytes.len());

    // An invited agency downloads exactly what was sent, read back from the bucket.
    let mimp = app.demo_token(MIMP).await;
    let (status, _, body) = download(&app, &mimp, &path_of(&app, &document["downloadUrl"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes);

    // The bucket holds it under its storage key, beside the demo's, and serves the same
    // bytes to a client other than the app's.
    let id = Uuid::parse_str(document["id"].as_str().unwrap()).unwrap();
    let key = app.store.document(id).await.unwrap().unwrap().storage_key;
    let added: Vec<_> = moto
        .objects(BUCKET)
        .into_iter()
        .filter(|object| !demo.contains(object))
        .collect();
    assert_eq!(added, [(key.clone(), bytes.len())]);
    let (status, stored) = moto
        .request("GET", &format!("/{BUCKET}/{key}"))
        .expect("read the object");
    assert_eq!(status, 200);
    assert_eq!(stored, bytes);

    // Nothing went to the local folder.
    assert_eq!(documents_stored(&app).await, 0);
}
