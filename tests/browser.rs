//! The HTML reports in a real browser. Headless Chromium loads the report of each bundled
//! example, and the test fails on any console message at warning level or above, any
//! uncaught exception, any failed load and any request beyond the page itself: a report is
//! one self-contained file. Each report is printed to PDF as the page asks (A4): it must
//! run to at most 12 pages, and its first page must hold the result and all nine
//! statements, read back from the PDF's text. On a laptop screen (1280 by 800) page one
//! must fit the screen. Screenshots of page one at phone and desktop widths, and the
//! printed PDFs, are saved under `target/screenshots/` for a person to look at.
//!
//! Chromium is found as `$CHROMIUM`, `/usr/bin/chromium` or `chromium` on the PATH; where
//! there is none the test says so on stderr and passes (CI installs it: `.ci/run`).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
use headless_chrome::protocol::cdp::Log::LogEntryLevel;
use headless_chrome::protocol::cdp::Network;
use headless_chrome::protocol::cdp::Page::{CaptureScreenshotFormatOption, Viewport};
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::types::PrintToPdfOptions;
use headless_chrome::{Browser, LaunchOptions, Tab};

/// Sizes a report is looked at: a phone, and a laptop's window.
const PHONE: (u32, u32) = (390, 844);
const LAPTOP: (u32, u32) = (1280, 800);

/// The most pages a bundled council's report may print to.
const MOST_PAGES: usize = 12;

/// Every bundled example, in name order.
fn examples() -> Vec<PathBuf> {
    let mut examples: Vec<PathBuf> = std::fs::read_dir("examples")
        .expect("examples")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    examples
}

/// Chromium: `$CHROMIUM` when set, else `/usr/bin/chromium`, else `chromium` on the PATH;
/// or why there is none.
fn chromium() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("CHROMIUM={} is not a file", path.display()))
        };
    }
    let usual = Path::new("/usr/bin/chromium");
    if usual.is_file() {
        return Ok(usual.to_path_buf());
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("chromium"))
                .find(|path| path.is_file())
        })
        .ok_or_else(|| "not at /usr/bin/chromium nor on the PATH; set CHROMIUM".to_string())
}

/// What page one must show: the result's headline and each statement's name.
struct PageOne {
    headline: String,
    statements: Vec<String>,
    /// What every printed page's foot says beside its number.
    footer: String,
}

/// Renders a bundled example's HTML report into `dir`, and says what its page one shows.
fn report_file(example: &Path, dir: &Path) -> (PathBuf, PageOne) {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let evidence = assure::load_evidence(example, &pack).expect("the example loads");
    let assessment = assure::assess(&evidence, &pack);
    let advice = assure::advice::advise(&evidence, &pack, &assessment);
    let report = assure::report::CouncilReport {
        assessment: &assessment,
        advice: &advice,
        evidence: &evidence,
        pack: &pack,
    };
    let page = assure::report::html(&report).expect("the report renders");
    let stem = example.file_stem().unwrap().to_string_lossy();
    let path = dir.join(format!("{stem}.html"));
    std::fs::write(&path, page).unwrap();
    let context = report.context();
    let page_one = PageOne {
        headline: context.summary.headline,
        footer: context.footer,
        statements: assessment
            .statements
            .iter()
            .map(|s| s.name.clone())
            .collect(),
    };
    (path, page_one)
}

/// Chromium as this machine must run it: headless, no sandbox (tests run as root), no GPU,
/// and nothing that talks to the network by itself; a fresh profile each run.
fn launch(chromium: PathBuf, profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions {
        path: Some(chromium),
        headless: true,
        sandbox: false,
        user_data_dir: Some(profile.to_path_buf()),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    };
    Browser::new(options).expect("Chromium starts")
}

/// Records every sign of a page that is not self-contained or not clean.
fn watch(tab: &Tab, page_url: String) -> Arc<Mutex<Vec<String>>> {
    let problems = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&problems);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let problem = match event {
            Event::LogEntryAdded(entry) => {
                let entry = &entry.params.entry;
                matches!(entry.level, LogEntryLevel::Warning | LogEntryLevel::Error)
                    .then(|| format!("log {:?}: {}", entry.level, entry.text))
            }
            Event::RuntimeConsoleAPICalled(call) => matches!(
                call.params.Type,
                ConsoleAPICalledEventTypeOption::Warning
                    | ConsoleAPICalledEventTypeOption::Error
                    | ConsoleAPICalledEventTypeOption::Assert
            )
            .then(|| {
                let words: Vec<String> = call
                    .params
                    .args
                    .iter()
                    .map(|arg| match (&arg.value, &arg.description) {
                        (Some(value), _) => value.to_string(),
                        (None, Some(description)) => description.clone(),
                        (None, None) => format!("{:?}", arg.Type),
                    })
                    .collect();
                format!("console {:?}: {}", call.params.Type, words.join(" "))
            }),
            Event::RuntimeExceptionThrown(thrown) => Some(format!(
                "exception: {}",
                thrown.params.exception_details.text
            )),
            Event::NetworkLoadingFailed(failed) => Some(format!(
                "failed load: {} {:?}",
                failed.params.error_text, failed.params.blocked_reason
            )),
            Event::NetworkRequestWillBeSent(request) => (request.params.request.url != page_url)
                .then(|| format!("request: {}", request.params.request.url)),
            _ => None,
        };
        if let Some(problem) = problem {
            seen.lock().unwrap().push(problem);
        }
    }))
    .expect("listens");
    tab.enable_log().expect("Log domain");
    tab.enable_runtime().expect("Runtime domain");
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .expect("Network domain");
    problems
}

fn set_viewport(tab: &Tab, (width, height): (u32, u32)) {
    tab.call_method(SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: width < 600,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("sets the viewport");
}

/// A number the page works out, in CSS pixels.
fn measure(tab: &Tab, expression: &str) -> f64 {
    let value = tab
        .evaluate(expression, false)
        .expect("evaluates")
        .value
        .expect("a value");
    value.as_f64().expect("a number")
}

/// Where page one ends, in CSS pixels from the top of the document.
const PAGE_ONE_BOTTOM: &str =
    "document.querySelector('.page-one').getBoundingClientRect().bottom + window.scrollY";

/// Page one at `size` CSS pixels, as PNG, and where it ends: the screen's width, down to
/// where page one ends or the screen's foot, whichever is lower.
fn page_one_screenshot(tab: &Tab, size: (u32, u32)) -> (Vec<u8>, f64) {
    set_viewport(tab, size);
    let bottom = measure(tab, PAGE_ONE_BOTTOM).ceil();
    // Whole CSS pixels; no page one is anywhere near u32::MAX pixels tall.
    let height = (bottom as u32).max(size.1);
    set_viewport(tab, (size.0, height));
    let clip = Viewport {
        x: 0.0,
        y: 0.0,
        width: f64::from(size.0),
        height: f64::from(height),
        scale: 1.0,
    };
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, Some(clip), true)
        .expect("screenshot");
    (png, bottom)
}

/// The page as printed: A4 as its stylesheet asks, its own footer, backgrounds on.
fn print(tab: &Tab) -> Vec<u8> {
    tab.print_to_pdf(Some(PrintToPdfOptions {
        prefer_css_page_size: Some(true),
        display_header_footer: Some(false),
        print_background: Some(true),
        ..PrintToPdfOptions::default()
    }))
    .expect("prints to PDF")
}

/// Each page's text, read back from a PDF, its white space run together.
fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let document = lopdf::Document::load_mem(pdf).expect("a PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|page| {
            let text = document.extract_text(&[*page]).expect("its text");
            // Fonts set `ff`, `fi` and `fl` as ligatures: read them as letters.
            let text = text
                .replace('\u{fb00}', "ff")
                .replace('\u{fb01}', "fi")
                .replace('\u{fb02}', "fl")
                .replace('\u{fb03}', "ffi")
                .replace('\u{fb04}', "ffl");
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// What is wrong with a printed report, if anything.
fn print_problems(example: &Path, pages: &[String], page_one: &PageOne) -> Vec<String> {
    let name = example.display();
    let mut problems = Vec::new();
    if pages.len() > MOST_PAGES {
        problems.push(format!(
            "{name}: {} pages printed, at most {MOST_PAGES} wanted",
            pages.len()
        ));
    }
    let first = pages.first().map(String::as_str).unwrap_or_default();
    let second = pages.get(1).map(String::as_str).unwrap_or_default();
    for wanted in std::iter::once(&page_one.headline).chain(&page_one.statements) {
        if !first.contains(wanted.as_str()) {
            problems.push(format!("{name}: `{wanted}` is not on page one"));
        }
    }
    // Page one ends where the detail begins: page two opens with the charts (after the
    // margin's words, which the PDF holds first).
    let total = pages.len();
    let second_body = second
        .replace(&format!("Page 2 of {total}"), "")
        .replace(&page_one.footer, "");
    if !second_body
        .trim_start()
        .starts_with("The scores and measures in charts")
    {
        problems.push(format!(
            "{name}: page two should open the detail, but begins `{}`",
            second_body
                .trim_start()
                .chars()
                .take(80)
                .collect::<String>()
        ));
    }
    for (index, page) in pages.iter().enumerate() {
        let number = index + 1;
        if !page.contains(&format!("Page {number} of {total}")) {
            problems.push(format!(
                "{name}: page {number} has no `Page {number} of {total}`"
            ));
        }
        if !page.contains(&page_one.footer) {
            problems.push(format!(
                "{name}: page {number}'s foot does not say `{}`",
                page_one.footer
            ));
        }
    }
    problems
}

/// A temporary directory, removed when the test ends however it ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn html_reports_load_in_chromium_without_errors_or_fetches() {
    let chromium = match chromium() {
        Ok(path) => path,
        Err(why) => {
            eprintln!(
                "skipped: Chromium not found ({why}); install it with `apt-get install chromium`"
            );
            return;
        }
    };
    // Outside the repository: a Chromium profile holds dangling symlinks, which would trip
    // the tests that glob over the working tree.
    let scratch =
        Scratch(std::env::temp_dir().join(format!("assure-browser-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let profile = scratch.0.join("profile");
    std::fs::create_dir_all(&profile).unwrap();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    let browser = launch(chromium, &profile);
    let mut failures = Vec::new();
    for example in examples() {
        let (file, page_one) = report_file(&example, &scratch.0);
        let url = format!("file://{}", file.display());
        let tab = browser.new_tab().expect("a tab");
        let problems = watch(&tab, url.clone());
        tab.navigate_to(&url)
            .and_then(|tab| tab.wait_until_navigated())
            .expect("the report loads");
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let (png, _) = page_one_screenshot(&tab, PHONE);
        std::fs::write(shots.join(format!("{stem}-phone.png")), png).unwrap();
        let (png, bottom) = page_one_screenshot(&tab, LAPTOP);
        std::fs::write(shots.join(format!("{stem}-desktop.png")), png).unwrap();
        if bottom > f64::from(LAPTOP.1) {
            failures.push(format!(
                "{}: page one ends at {bottom}px, below a {}px laptop screen",
                example.display(),
                LAPTOP.1
            ));
        }
        let pdf = print(&tab);
        std::fs::write(shots.join(format!("{stem}.pdf")), &pdf).unwrap();
        let pages = pdf_pages(&pdf);
        eprintln!(
            "{}: {} pages printed; on a laptop screen page one ends at {bottom}px",
            example.display(),
            pages.len()
        );
        failures.extend(print_problems(&example, &pages, &page_one));
        // Late reports (a blocked fetch is logged as it is refused) have arrived by now.
        std::thread::sleep(Duration::from_millis(300));
        let problems = problems.lock().unwrap().clone();
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  {}",
                example.display(),
                problems.join("\n  ")
            ));
        }
        let _ = tab.close(false);
    }
    assert!(
        failures.is_empty(),
        "the reports are not clean in Chromium:\n{}",
        failures.join("\n")
    );
}
