//! How `dateline` exits, as grep does: 0 found, 1 not found, 2 error; 130
//! when stopped by Ctrl-C.

use std::process::ExitCode;

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Something matched (or the command did its job): 0.
    Found,
    /// Nothing matched: 1.
    NotFound,
    /// `index --strict` had warnings; what could be read is indexed: 1.
    Incomplete,
    /// Stopped by Ctrl-C, work so far kept: 130.
    Interrupted,
}

/// The status of a command that failed, or of a usage error.
pub const ERROR: u8 = 2;

impl ExitStatus {
    /// Found when `count` is not 0.
    pub fn found_if(count: impl Into<u64>) -> ExitStatus {
        if count.into() > 0 {
            ExitStatus::Found
        } else {
            ExitStatus::NotFound
        }
    }

    /// The process's exit code.
    pub fn code(self) -> ExitCode {
        ExitCode::from(match self {
            ExitStatus::Found => 0,
            ExitStatus::NotFound | ExitStatus::Incomplete => 1,
            ExitStatus::Interrupted => 130,
        })
    }
}
