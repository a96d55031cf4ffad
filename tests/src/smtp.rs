//! A real SMTP server on loopback for the e-mail tests: it speaks SMTP over TCP, keeps
//! what it receives, and refuses recipients on request with a permanent 550.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mailin_embedded::response::{NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server};

#[derive(Clone)]
struct Collector {
    received: Arc<Mutex<Vec<String>>>,
    refuse: Option<String>,
    message: Vec<u8>,
}

impl Handler for Collector {
    fn rcpt(&mut self, to: &str) -> Response {
        match &self.refuse {
            Some(part) if to.contains(part.as_str()) => NO_MAILBOX,
            _ => OK,
        }
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.message.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.message.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let message = String::from_utf8_lossy(&self.message).into_owned();
        self.received.lock().expect("lock").push(message);
        OK
    }
}

pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<String>>>,
}

impl SmtpServer {
    /// Starts a server on a free port; recipients containing `refuse` get 550.
    pub fn start(refuse: Option<&str>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        Self::serve(listener, refuse)
    }

    /// Starts a server on `port` (to bring back one that was down).
    pub fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
        Self::serve(listener, None)
    }

    fn serve(listener: TcpListener, refuse: Option<&str>) -> Self {
        let port = listener.local_addr().expect("address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler = Collector {
            received: received.clone(),
            refuse: refuse.map(str::to_owned),
            message: Vec::new(),
        };
        let mut server = Server::new(handler);
        server
            .with_name("smtp.test")
            .with_num_threads(4)
            .with_tcp_listener(listener);
        // The server runs until the test process ends.
        std::thread::spawn(move || {
            if let Err(error) = server.serve() {
                eprintln!("test SMTP server stopped: {error}");
            }
        });
        Self { port, received }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, as sent.
    pub fn messages(&self) -> Vec<String> {
        self.received.lock().expect("lock").clone()
    }
}
