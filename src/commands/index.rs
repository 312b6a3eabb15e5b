//! `dateline index`: brings the index in step with the PATHs.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dateline::{index_files, ArchiveIndex, Result};

use super::write_out;
use crate::cli::config::IndexCommand;
use crate::cli::exit::ExitStatus;
use crate::progress::TerminalProgress;
use crate::render::human;

pub fn run(dir: &Path, command: IndexCommand, out: &mut dyn Write) -> Result<ExitStatus> {
    let index = ArchiveIndex::open_or_create(dir, command.options.rebuild)?;
    // Ctrl-C stops the walk; what was read is committed, then we exit 130.
    let stop = Arc::new(AtomicBool::new(false));
    let on_signal = Arc::clone(&stop);
    // If a handler cannot be set (one already is), Ctrl-C kills as usual:
    // the last commit is still intact.
    let _ = ctrlc::set_handler(move || on_signal.store(true, Ordering::Relaxed));
    let progress = TerminalProgress::start(&command.roots);
    let summary = index_files(&index, &command.roots, &command.options, &progress, &stop);
    progress.finish();
    let summary = summary?;
    write_out(human::index_summary(out, &summary, index.dir()))?;
    Ok(if summary.interrupted {
        ExitStatus::Interrupted
    } else if command.strict && summary.warnings() > 0 {
        let warnings = summary.warnings();
        let noun = if warnings == 1 { "warning" } else { "warnings" };
        eprintln!("dateline: --strict: {warnings} {noun}; what could be read is indexed");
        ExitStatus::Incomplete
    } else {
        ExitStatus::Found
    })
}
