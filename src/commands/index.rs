//! `dateline index`: brings the index in step with the PATHs.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use dateline::{index_files, ArchiveIndex, Error, Progress, Result, Shard};

use super::write_out;
use crate::cli::config::IndexCommand;
use crate::cli::exit::ExitStatus;
use crate::progress::TerminalProgress;
use crate::render::human;

pub fn run(dir: &Path, command: IndexCommand, out: &mut dyn Write) -> Result<ExitStatus> {
    let index = ArchiveIndex::open_or_create(dir, command.options.rebuild)?;
    // The index may be below a PATH (`dateline index .`): not an article.
    let mut roots = command.roots;
    roots.leave_out_index(index.dir());
    same_shard(&index, roots.shard(), command.options.rebuild)?;
    // Ctrl-C stops the walk; what was read is committed, then we exit 130.
    let stop = Arc::new(AtomicBool::new(false));
    let on_signal = Arc::clone(&stop);
    // If a handler cannot be set (one already is), Ctrl-C kills as usual:
    // the last commit is still intact.
    let _ = ctrlc::set_handler(move || on_signal.store(true, Ordering::Relaxed));
    let progress = TerminalProgress::start(&roots, &command.options);
    let others = index.other_files();
    if let Some(first) = others.first() {
        progress.warning(
            &index.dir().display().to_string(),
            &other_files_warning(others.len(), first),
        );
    }
    let summary = index_files(&index, &roots, &command.options, &progress, &stop);
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

/// Refuses a run of another shard (or of none) over an index that records
/// one, or a shard's run over an index of a whole archive: either would
/// delete every file of the index that the run does not walk. Then records
/// the run's shard.
fn same_shard(index: &ArchiveIndex, shard: Option<Shard>, rebuild: bool) -> Result<()> {
    let dir = index.dir().display();
    let recorded = Shard::recorded(index.dir())?;
    if !rebuild && recorded != shard {
        let message = match (recorded, shard) {
            (Some(recorded), _) => format!(
                "{dir} is shard {recorded} of an archive: index it with --shard {recorded} \
                 (or --rebuild to make it something else)"
            ),
            (None, Some(shard)) if index.reader()?.searcher().num_docs() > 0 => format!(
                "{dir} is the index of a whole archive, not of shard {shard}: give each \
                 shard an index of its own (or --rebuild)"
            ),
            _ => String::new(),
        };
        if !message.is_empty() {
            return Err(Error::invalid(message));
        }
    }
    Shard::record(index.dir(), shard)
}

/// The warning for an index folder that holds files other than the index.
fn other_files_warning(count: usize, first: &Path) -> String {
    let name = first.file_name().map_or_else(
        || first.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let more = match count {
        1 => String::new(),
        n => format!(", and {} more", n - 1),
    };
    format!(
        "the index folder holds other files too ({name}{more}): give the index a folder \
         of its own with --index"
    )
}
