//! The progress bar `dateline index` shows on a terminal (and only there).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use dateline::{on_one_line, IndexOptions, Progress, Roots, Skip};

/// Files, articles, MB/s and an ETA on stderr; warnings printed above it.
/// Bytes are the article text read, decompressed, in MB (10⁶ bytes), as
/// the summary counts them.
pub struct TerminalProgress {
    bar: ProgressBar,
    files: AtomicU64,
    articles: AtomicU64,
}

impl TerminalProgress {
    /// A bar on stderr when it is a terminal, an invisible one otherwise.
    /// On a terminal a second walk counts the archive's bytes meanwhile (as
    /// the run will count them: decompressed, see [`Roots::total_bytes`]),
    /// so the bar can show how far along it is and when it will be done.
    pub fn start(roots: &Roots, options: &IndexOptions) -> TerminalProgress {
        let visible = std::io::stderr().is_terminal();
        let target = if visible {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        // Until the total is known, no bar, total or ETA (an empty bar
        // "done" with an ETA of 0 s): what was read, and how fast.
        bar.set_style(style(
            "{spinner} [{elapsed_precise}] {decimal_bytes} {decimal_bytes_per_sec} · {msg}",
        ));
        bar.enable_steady_tick(Duration::from_millis(200));
        if visible {
            let counter = bar.clone();
            let roots = roots.clone();
            let options = options.clone();
            std::thread::spawn(move || {
                let total = roots.total_bytes(&options);
                // (The run may be past an estimate already.)
                counter.set_length(total.max(counter.position()));
                counter.set_style(style(
                    "{spinner} [{elapsed_precise}] {wide_bar} {decimal_bytes}/\
                     {decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} · {msg}",
                ));
            });
        }
        TerminalProgress {
            bar,
            files: AtomicU64::new(0),
            articles: AtomicU64::new(0),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for TerminalProgress {
    fn file_indexed(&self, bytes: u64, articles: usize) {
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let articles =
            self.articles.fetch_add(articles as u64, Ordering::Relaxed) + articles as u64;
        self.bar.inc(bytes);
        // A total is an estimate (a container may not tell every size):
        // never let the count pass it.
        if self
            .bar
            .length()
            .is_some_and(|total| self.bar.position() > total)
        {
            self.bar.set_length(self.bar.position());
        }
        if !self.bar.is_hidden() {
            self.bar
                .set_message(format!("{files} files · {articles} articles"));
        }
    }

    fn committing(&self) {
        self.bar.set_message("writing the index…");
    }

    fn file_skipped(&self, skip: &Skip) {
        self.warning(&skip.path, &skip.reason.to_string());
    }

    fn warning(&self, path: &str, message: &str) {
        self.bar.suspend(|| {
            // A file's name may hold a newline or an escape too.
            let path = on_one_line(path, usize::MAX);
            let message = on_one_line(message, usize::MAX);
            eprintln!("dateline: warning: {path}: {message}");
        });
    }
}

/// A bar's style from its template (the default bar if the template were wrong).
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}
