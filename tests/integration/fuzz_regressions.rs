//! Every input a fuzz target ever failed on, kept in `fuzz/regressions/<target>/`,
//! run through the same check as the fuzz target (`fuzz/src/checks.rs`), so
//! what was fixed stays fixed. The fuzz targets themselves need cargo-fuzz:
//! see `fuzz/run.sh`.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every saved input of `target`; returns how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("a readable folder").path();
        let input = std::fs::read(&path).expect("a readable input");
        eprintln!("{target}: {}", path.display());
        check(&input);
        count += 1;
    }
    count
}

macro_rules! regressions {
    ($($target:ident),* $(,)?) => {$(
        #[test]
        fn $target() {
            replay(stringify!($target), checks::$target);
            if stringify!($target) == "container" {
                checks::remove_scratch_dir();
            }
        }
    )*};
}

regressions!(text, headline, reuters, json, mail, detect, dates, query, snippet, container);

/// The folder of saved inputs is where this file expects it.
#[test]
fn regressions_are_found() {
    assert!(
        replay("text", |_| {}) > 0,
        "no saved inputs in fuzz/regressions/text"
    );
}
