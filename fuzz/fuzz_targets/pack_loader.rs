//! Any text as a one-file rule pack: loading never panics, and a pack that loads can be
//! formatted, checked, and formatted again to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = assure::source::diagnostic::SourceFile::new("fuzz.yaml", text);
    let Ok(pack) = assure::load_pack_files(&[file]) else {
        return;
    };
    let _ = assure::check::check(&pack);
    let Ok(formatted) = assure::pack::formatter::format_pack(&pack) else {
        return;
    };
    for file in formatted {
        let again = assure::source::diagnostic::SourceFile::new("fuzz.yaml", file.text.clone());
        let pack = assure::load_pack_files(&[again]).unwrap_or_else(|f| {
            panic!(
                "formatted pack does not load:\n{}\n{}",
                file.text,
                f.render()
            )
        });
        let twice = assure::pack::formatter::format_pack(&pack).expect("a formatted pack formats");
        assert!(twice.is_empty(), "formatting again changes:\n{}", file.text);
    }
});
