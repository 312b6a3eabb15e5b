//! The cluster (`cluster/`, a Python package on Ray) end to end, with this
//! build of dateline: its own tests (`cluster/tests/test_cluster.py`) start
//! a real two-node Ray cluster on 127.0.0.1, index the Reuters corpus and
//! the fixture archive in two shards with Ray tasks, serve them with Ray
//! actors and `dateline serve --shards`, compare the answers with one
//! index's, kill a shard and see it come back.
//!
//! They need a Python with Ray and pytest: `DATELINE_RAY_PYTHON`, else
//! `cluster/.venv/bin/python` (`.ci/run` makes it). Without one the test
//! skips with a message; with `DATELINE_REQUIRE_RAY=1`, as CI sets, it
//! fails instead.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{root, shared_corpus};

/// pytest on `cluster/tests`: no cache folder left in the tree, the reasons
/// of skips, and what the tests print (the measurements) kept.
const PYTEST: [&str; 7] = [
    "-m",
    "pytest",
    "-p",
    "no:cacheprovider",
    "-rs",
    "-s",
    "tests",
];

#[test]
fn the_cluster_passes_its_tests_on_a_two_node_ray_cluster() {
    let Some(python) = ray_python() else {
        return;
    };
    let Some(reuters) = shared_corpus("reuters21578") else {
        return;
    };
    let shared = reuters
        .parent()
        .and_then(|corpora| corpora.parent())
        .expect("../shared/corpora/reuters21578 has two parents");
    let output = Command::new(&python)
        .args(PYTEST)
        .current_dir(root().join("cluster"))
        .env("DATELINE_BIN", env!("CARGO_BIN_EXE_dateline"))
        .env("DATELINE_SHARED", shared)
        // Having got this far, the Python side must not skip either.
        .env("DATELINE_REQUIRE_RAY", "1")
        .env("RAY_USAGE_STATS_ENABLED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        // The tests start a Ray cluster of their own.
        .env_remove("RAY_ADDRESS")
        .output()
        .expect("run pytest");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the cluster's tests failed ({}):\n{said}",
        output.status
    );
    // Passed: the measurements it printed (the score differences seen, the
    // time a killed shard took to come back) go to the test's output.
    eprintln!("{said}");
}

/// Whether a missing Ray fails the test instead of skipping it (CI sets it).
fn required() -> bool {
    std::env::var("DATELINE_REQUIRE_RAY").as_deref() == Ok("1")
}

/// A Python that has Ray and pytest, or `None` (said on stderr) to skip.
#[track_caller]
fn ray_python() -> Option<PathBuf> {
    let python = match std::env::var_os("DATELINE_RAY_PYTHON") {
        Some(path) => PathBuf::from(path),
        None => root().join("cluster/.venv/bin/python"),
    };
    let has_ray = Command::new(&python)
        .args(["-c", "import ray, pytest"])
        .output()
        .is_ok_and(|output| output.status.success());
    if has_ray {
        return Some(python);
    }
    let what = format!(
        "{} has no Ray and pytest (set DATELINE_RAY_PYTHON, or make cluster/.venv as .ci/run does)",
        python.display()
    );
    assert!(
        !required(),
        "{what}, but DATELINE_REQUIRE_RAY=1 requires the cluster test"
    );
    eprintln!("skipping: {what}; set DATELINE_REQUIRE_RAY=1 to make this a failure");
    None
}
