//! The Word report, read back: the package's parts unzipped and their XML read for the
//! headings, tables, links, bookmarks, footer and page size a committee pack needs, the
//! same bytes every time, and a conversion to PDF by LibreOffice (headless), whose text
//! must hold page one. LibreOffice is `$SOFFICE`, else `soffice` or `libreoffice` on the
//! PATH; where there is none that test says so on stderr and passes (CI installs it:
//! `.ci/run`).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use assure::pack::Pack;
use assure::report::{CouncilReport, docx};

const EXAMPLES: [&str; 2] = ["examples/medway.yaml", "examples/staffordshire.yaml"];

fn default_pack() -> Pack {
    assure::load_pack(None).expect("the default pack loads")
}

/// A council's Word report, and the report's page-one facts to look for in it.
struct Written {
    bytes: Vec<u8>,
    headline: String,
    statements: Vec<String>,
    footer: String,
}

fn written(example: &Path, pack: &Pack) -> Written {
    let evidence = assure::load_evidence(example, pack).expect("the example loads");
    let assessment = assure::assess(&evidence, pack);
    let advice = assure::advice::advise(&evidence, pack, &assessment);
    let report = CouncilReport {
        assessment: &assessment,
        advice: &advice,
        evidence: &evidence,
        pack,
    };
    let context = report.context();
    Written {
        bytes: docx(&report).expect("the document is written"),
        headline: context.summary.headline,
        statements: assessment
            .statements
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        footer: context.footer,
    }
}

/// Each part of the package by name, as text, with its entry's modification time.
fn parts(bytes: &[u8]) -> Vec<(String, String, zip::DateTime)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
    (0..archive.len())
        .map(|index| {
            let mut entry = archive.by_index(index).expect("an entry");
            let name = entry.name().expect("a name").to_string();
            let time = entry.last_modified().unwrap_or_default();
            let mut text = String::new();
            if !entry.is_dir() {
                entry.read_to_string(&mut text).expect("UTF-8 XML");
            }
            (name, text, time)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String, zip::DateTime)], name: &str) -> &'a str {
    parts
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, text, _)| text.as_str())
        .unwrap_or_else(|| panic!("no {name} in the package"))
}

/// The words of a part: the contents of its `<w:t>` runs, run together.
fn words(xml: &str) -> String {
    let mut words = String::new();
    for piece in xml.split("<w:t").skip(1) {
        let Some((_, rest)) = piece.split_once('>') else {
            continue;
        };
        if let Some((text, _)) = rest.split_once("</w:t>") {
            words.push_str(text);
        }
    }
    words
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn the_document_has_page_one_real_headings_tables_links_and_a_footer() {
    let pack = default_pack();
    for example in EXAMPLES {
        let written = written(Path::new(example), &pack);
        let parts = parts(&written.bytes);
        let document = part(&parts, "word/document.xml");
        let text = words(document);
        // Page one: the result and every statement, before the page break into the detail.
        let (one, _) = document
            .split_once("<w:pageBreakBefore />")
            .expect("the detail starts on a new page");
        let one = words(one);
        assert!(one.contains(&written.headline), "{example}");
        for name in &written.statements {
            assert!(one.contains(name.as_str()), "{example}: {name} on page one");
        }
        assert!(one.contains("What would most move the result"));
        assert!(one.contains("The evidence gaps that matter most"));
        // Real headings: the title, each section, each statement and its parts.
        let styles = part(&parts, "word/styles.xml");
        for level in 1..=4 {
            assert!(
                styles.contains(&format!(
                    "<w:style w:type=\"paragraph\" w:styleId=\"Heading{level}\">"
                )),
                "Heading{level}"
            );
        }
        assert_eq!(
            document.matches("<w:pStyle w:val=\"Heading1\" />").count(),
            1
        );
        assert_eq!(
            document.matches("<w:pStyle w:val=\"Heading3\" />").count(),
            written.statements.len() + 1,
            "{example}: a heading per statement, and the warnings'"
        );
        // Real tables: page one's, the charts' data, the decision record.
        assert!(document.matches("<w:tbl>").count() >= 3, "{example}");
        // Every internal link has its bookmark, and every source address is an external
        // link.
        for anchor in document.split("w:anchor=\"").skip(1) {
            let name = anchor.split('"').next().unwrap_or_default();
            assert!(
                document.contains(&format!("w:name=\"{name}\"")),
                "{example}: a link to {name} with no bookmark"
            );
        }
        let relationships = part(&parts, "word/_rels/document.xml.rels");
        let external = relationships.matches("TargetMode=\"External\"").count();
        assert!(external > 0, "{example}");
        assert_eq!(document.matches("r:id=\"rIdHyperlink").count(), external);
        for link in relationships.split("Target=\"http").skip(1) {
            let address = link.split('"').next().unwrap_or_default();
            assert!(text.contains(&format!("http{address}")), "{address} shown");
        }
        // A4, and the footer's words and page fields.
        assert!(
            document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\""),
            "{example}"
        );
        let footer = part(&parts, "word/footer1.xml");
        assert!(words(footer).contains(&written.footer));
        assert!(footer.contains("PAGE") && footer.contains("NUMPAGES"));
    }
}

#[test]
fn the_same_input_writes_the_same_bytes() {
    let pack = default_pack();
    let first = written(Path::new("examples/medway.yaml"), &pack).bytes;
    // Another document in between moves docx-rs's process-wide counters on.
    let _ = written(Path::new("examples/staffordshire.yaml"), &pack);
    let again = written(Path::new("examples/medway.yaml"), &pack).bytes;
    assert!(first == again, "two writes of one report differ");
    // On another thread, whose paragraph counter starts afresh.
    let pack_path: Option<PathBuf> = None;
    let other = std::thread::spawn(move || {
        let pack = assure::load_pack(pack_path.as_deref()).expect("the pack");
        written(Path::new("examples/medway.yaml"), &pack).bytes
    })
    .join()
    .expect("the thread");
    assert!(first == other, "a write on another thread differs");
    // No clock: every entry carries the zip epoch, the properties the evidence's date.
    let parts = parts(&first);
    for (name, _, time) in &parts {
        assert_eq!(
            (time.year(), time.month(), time.day()),
            (1980, 1, 1),
            "{name}"
        );
    }
    assert!(part(&parts, "docProps/core.xml").contains("2024-08-31T00:00:00Z"));
}

/// LibreOffice: `$SOFFICE` when set, else `soffice` or `libreoffice` on the PATH.
fn soffice() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("SOFFICE") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("SOFFICE={} is not a file", path.display()))
        };
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
                .find(|path| path.is_file())
        })
        .ok_or_else(|| "neither soffice nor libreoffice is on the PATH; set SOFFICE".to_string())
}

#[test]
fn libreoffice_opens_the_document_and_converts_it_to_pdf() {
    let soffice = match soffice() {
        Ok(path) => path,
        Err(why) => {
            eprintln!(
                "skipped: LibreOffice not found ({why}); install it with `apt-get install libreoffice-writer-nogui`"
            );
            return;
        }
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docx-libreoffice");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pack = default_pack();
    for example in EXAMPLES {
        let written = written(Path::new(example), &pack);
        let stem = Path::new(example).file_stem().unwrap().to_string_lossy();
        let file = dir.join(format!("{stem}.docx"));
        std::fs::write(&file, &written.bytes).unwrap();
        // A profile of its own, so a LibreOffice already open elsewhere is not asked.
        let profile = format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        );
        let output = std::process::Command::new(&soffice)
            .arg(&profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&file)
            .output()
            .expect("LibreOffice runs");
        let pdf = dir.join(format!("{stem}.pdf"));
        assert!(
            output.status.success() && pdf.is_file(),
            "{example}: LibreOffice did not convert it: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let document = lopdf::Document::load(&pdf).expect("a PDF");
        let pages = document.get_pages();
        let first = document.extract_text(&[1]).expect("page one's text");
        let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
        eprintln!("{example}: LibreOffice made {} pages", pages.len());
        assert!(pages.len() >= 2, "{example}");
        assert!(first.contains(&written.headline), "{example}: {first}");
        for name in &written.statements {
            assert!(
                first.contains(name.as_str()),
                "{example}: {name} on page one: {first}"
            );
        }
    }
}
