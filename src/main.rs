//! `hazard-sweep`: plans expert hidden-hazard sweeps from the command line.

fn main() -> std::process::ExitCode {
    hazard_sweep::cli::main()
}
