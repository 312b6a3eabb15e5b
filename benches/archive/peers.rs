//! What every peer reports, whatever the tool.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::measure::{Latency, Resident, Usage};

/// A peer's results, or why it was skipped.
#[derive(Debug)]
pub struct Peer {
    pub name: &'static str,
    pub outcome: Result<PeerResults, String>,
}

#[derive(Debug, Default)]
pub struct PeerResults {
    /// Building the peer's index, when it has one.
    pub index: Option<IndexRow>,
    /// One column of query latencies per way of running the peer.
    pub columns: Vec<QueryColumn>,
    /// How it was run, for the report.
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct IndexRow {
    pub label: String,
    /// What the peer read.
    pub input: String,
    pub wall: Duration,
    pub usage: Option<Usage>,
    pub resident: Option<Resident>,
    pub index_bytes: u64,
}

/// A peer's latencies for the query mix, in the mix's order.
#[derive(Debug)]
pub struct QueryColumn {
    pub label: String,
    /// Compared with dateline in process when true, else with `dateline
    /// search` spawned as a process.
    pub in_process: bool,
    /// `None` where the peer cannot run that query.
    pub queries: Vec<Option<PeerQuery>>,
}

#[derive(Debug, Clone, Copy)]
pub struct PeerQuery {
    pub hits: Option<u64>,
    pub latency: Latency,
}

/// The executable `name` on the PATH, if there is one.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}
