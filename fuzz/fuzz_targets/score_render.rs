//! Any text as evidence, scored by the default pack and rendered every way a council
//! sees it (advice aside): never a panic, and the overall percentage stays within
//! 25..=100 and in its band.
#![no_main]

use std::sync::OnceLock;

use assure::pack::Pack;
use libfuzzer_sys::fuzz_target;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| assure::load_pack(None).expect("the default pack loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let pack = pack();
    let file = assure::source::diagnostic::SourceFile::new("fuzz.yaml", text);
    let Ok(evidence) = assure::evidence::Evidence::load(&file, &pack.framework, &pack.catalogue)
    else {
        return;
    };
    let assessment = assure::assess(&evidence, pack);
    if let Some(percent) = assessment.overall.percent {
        assert!(
            (25..=100).contains(&percent),
            "overall {percent}% is outside 25..=100"
        );
        let band = pack
            .framework
            .band_for(percent)
            .map(|(_, band)| band.rating.clone());
        assert_eq!(
            band, assessment.overall.rating,
            "the rating is not the band of {percent}%"
        );
    }
    let one = std::slice::from_ref(&assessment);
    let _ = assure::report::text::render(one);
    let _ = assure::report::json::render(one).expect("JSON");
    // The reports are rendered without advice: `advise` scores thousands of what-if
    // variants (a third of a second even for a tiny file, ten times that under the
    // sanitizer), which would leave the fuzzer a few inputs a minute.
    let report = assure::report::CouncilReport {
        assessment: &assessment,
        advice: &[],
        evidence: &evidence,
        pack,
    };
    assure::report::markdown(&report).expect("the Markdown report renders");
    assure::report::html(&report).expect("the HTML report renders");
});
