//! The `aiconf` binary: everything is in the library's `cli` module (one file per command), which
//! parses the command line, runs the command and decides the exit code.

fn main() -> std::process::ExitCode {
    aiconf::cli::main()
}
