//! `cmnp` itself, built with the tests so that a test can run the service as a process
//! of its own: to kill it with SIGKILL mid-work and start it again.

fn main() -> std::process::ExitCode {
    cmnp_server::main()
}
