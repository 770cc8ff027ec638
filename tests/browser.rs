//! The HTML reports in a real browser. Headless Chromium loads the report of each bundled
//! example, and the test fails on any console message at warning level or above, any
//! uncaught exception, any failed load and any request beyond the page itself: a report is
//! one self-contained file. Screenshots at phone and desktop widths are saved under
//! `target/screenshots/` for a person to look at.
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
use headless_chrome::protocol::cdp::Page::{
    CaptureScreenshotFormatOption, GetLayoutMetrics, Viewport,
};
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions, Tab};

const EXAMPLES: [&str; 2] = ["examples/medway.yaml", "examples/staffordshire.yaml"];

/// Widths a report is looked at: a phone, and a desktop window.
const WIDTHS: [(&str, u32); 2] = [("phone", 390), ("desktop", 1280)];

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

/// Renders a bundled example's HTML report into `dir`.
fn report_file(example: &str, dir: &Path) -> PathBuf {
    let pack = assure::load_pack(None).expect("the default pack loads");
    let evidence = assure::load_evidence(Path::new(example), &pack).expect("the example loads");
    let assessment = assure::assess(&evidence, &pack);
    let advice = assure::advice::advise(&evidence, &pack, &assessment);
    let report = assure::report::CouncilReport {
        assessment: &assessment,
        advice: &advice,
        evidence: &evidence,
        pack: &pack,
    };
    let page = assure::report::html(&report).expect("the report renders");
    let stem = Path::new(example).file_stem().unwrap().to_string_lossy();
    let path = dir.join(format!("{stem}.html"));
    std::fs::write(&path, page).unwrap();
    path
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

/// The whole page at `width` CSS pixels, as PNG: the viewport is set to the width, then
/// stretched to the page's full height and captured.
fn screenshot(tab: &Tab, width: u32) -> Vec<u8> {
    let set_viewport = |height: u32| {
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
    };
    set_viewport(800);
    let metrics = tab.call_method(GetLayoutMetrics(None)).expect("layout");
    let height = metrics.css_content_size.height.ceil();
    // Whole CSS pixels; no report is anywhere near u32::MAX pixels tall.
    set_viewport(height as u32);
    let clip = Viewport {
        x: 0.0,
        y: 0.0,
        width: f64::from(width),
        height,
        scale: 1.0,
    };
    tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, Some(clip), true)
        .expect("screenshot")
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
    for example in EXAMPLES {
        let file = report_file(example, &scratch.0);
        let url = format!("file://{}", file.display());
        let tab = browser.new_tab().expect("a tab");
        let problems = watch(&tab, url.clone());
        tab.navigate_to(&url)
            .and_then(|tab| tab.wait_until_navigated())
            .expect("the report loads");
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        for (name, width) in WIDTHS {
            let png = screenshot(&tab, width);
            std::fs::write(shots.join(format!("{stem}-{name}.png")), png).unwrap();
        }
        // Late reports (a blocked fetch is logged as it is refused) have arrived by now.
        std::thread::sleep(Duration::from_millis(300));
        let problems = problems.lock().unwrap().clone();
        if !problems.is_empty() {
            failures.push(format!("{example}:\n  {}", problems.join("\n  ")));
        }
        let _ = tab.close(false);
    }
    assert!(
        failures.is_empty(),
        "the reports are not clean in Chromium:\n{}",
        failures.join("\n")
    );
}
