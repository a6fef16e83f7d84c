//! Progress of long operations (a transaction waiting for its receipt, each
//! deploy step) as a spinner with the elapsed time, drawn on stderr only
//! when stdout is a terminal: piped or scripted output stays clean.

use indicatif::{ProgressBar, ProgressStyle};
use std::{io::IsTerminal, time::Duration};

/// A spinner that clears itself when dropped (finished or failed alike), so
/// the step's own result line follows it.
pub struct Spinner(ProgressBar);

impl Spinner {
    /// Starts a spinner saying `message` (hidden when stdout is not a terminal).
    pub fn start(message: impl Into<String>) -> Self {
        if !std::io::stdout().is_terminal() {
            return Self(ProgressBar::hidden());
        }
        let bar = ProgressBar::new_spinner().with_message(message.into());
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"));
        bar.enable_steady_tick(Duration::from_millis(100));
        Self(bar)
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
