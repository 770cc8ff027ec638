//! The `assure` binary as a user runs it, one reviewed transcript per case: `tests/cmd/NAME.toml`
//! holds the command line and its exit code, `NAME.stdout` and `NAME.stderr` the exact output,
//! `NAME.in/` the files a case starts from and `NAME.out/` the files it must leave.
//!
//! After a change in output, `TRYCMD=overwrite cargo test --test transcripts` rewrites the
//! expected files; review the diff like a snapshot before committing (README, "Tests").

#[test]
fn cli_transcripts() {
    trycmd::TestCases::new()
        .register_bin("assure", std::path::Path::new(env!("CARGO_BIN_EXE_assure")))
        .case("tests/cmd/*.toml");
}
