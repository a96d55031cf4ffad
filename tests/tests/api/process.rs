//! `cmnp serve` as a process of its own (the tests' `cmnp-process` binary), for the tests
//! that stop it with a signal: SIGKILL midway, SIGTERM to shut down.

use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Starts `cmnp serve` on `database_url`, listening on `bind`, its e-mails and documents
/// in `folder`, with the settings `env` on top.
pub(crate) fn serve(database_url: &str, bind: &str, folder: &Path, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cmnp-process"))
        .arg("serve")
        .env("CMNP_DATABASE_URL", database_url)
        .env("CMNP_BIND", bind)
        .env("CMNP_OUTBOX_DIR", folder.join("outbox"))
        .env("CMNP_DOCUMENTS_DIR", folder.join("documents"))
        .env("CMNP_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cmnp-process starts")
}
