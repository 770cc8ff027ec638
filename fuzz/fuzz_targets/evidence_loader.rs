//! Any text as an evidence file: loading never panics; errors and warnings render.
#![no_main]

use std::sync::OnceLock;

use assure::pack::catalogue::Catalogue;
use assure::pack::framework::Framework;
use libfuzzer_sys::fuzz_target;

fn reference() -> &'static (Framework, Catalogue) {
    static LOADED: OnceLock<(Framework, Catalogue)> = OnceLock::new();
    LOADED.get_or_init(|| {
        let framework = assure::builtin_framework().expect("the built-in framework loads");
        let catalogue = assure::builtin_catalogue().expect("the built-in catalogue loads");
        (framework, catalogue)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (framework, catalogue) = reference();
    let file = assure::source::diagnostic::SourceFile::new("fuzz.yaml", text);
    match assure::evidence::Evidence::load(&file, framework, catalogue) {
        Ok(evidence) => {
            for warning in &evidence.warnings {
                let _ = warning.render();
            }
        }
        Err(failure) => {
            let _ = failure.render();
        }
    }
});
