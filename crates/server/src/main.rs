use std::process::ExitCode;

/// A request allocates many small, short-lived values (fields, rows, JSON); mimalloc's
/// per-thread heaps serve them without the contention of the system allocator's arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cmnp_server::main()
}
