//! The command line's progress bar.

use std::io::IsTerminal;

/// A progress bar on standard error, shown only on a terminal and only once a run has
/// taken more than a moment, so quick runs, pipes, logs and CI see nothing.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
}

impl Progress {
    const MOMENT: std::time::Duration = std::time::Duration::from_millis(500);

    pub fn new(verb: &str, total: usize) -> Progress {
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
        Progress {
            bar,
            started: std::time::Instant::now(),
        }
    }

    pub fn set(&self, done: usize) {
        if self.bar.is_hidden()
            && self.started.elapsed() > Self::MOMENT
            && std::io::stderr().is_terminal()
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done as u64);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
