//! The command line's progress bar.

use std::io::IsTerminal;

/// Progress bars on standard error ([`Bar`]), for the library's long runs.
pub struct Terminal;

impl assure::run::Progress for Terminal {
    fn start(&self, verb: &str, total: usize) -> Box<dyn assure::run::Step + '_> {
        Box::new(Bar::new(verb, total))
    }
}

/// A progress bar on standard error, shown only on a terminal and only once a run has
/// taken more than a moment, so quick runs, pipes, logs and CI see nothing.
pub struct Bar {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
}

impl Bar {
    const MOMENT: std::time::Duration = std::time::Duration::from_millis(500);

    pub fn new(verb: &str, total: usize) -> Bar {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix} {bar:30} {pos}/{len} files, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar.set_prefix(verb.to_string());
        Bar {
            bar,
            started: std::time::Instant::now(),
        }
    }
}

impl assure::run::Step for Bar {
    fn set(&self, done: usize) {
        if self.bar.is_hidden()
            && self.started.elapsed() > Self::MOMENT
            && std::io::stderr().is_terminal()
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done as u64);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
