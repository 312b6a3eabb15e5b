//! The command line, in the binary only: [`args`] is what clap reads,
//! [`config`] makes it a validated [`config::Config`], [`exit`] names the
//! exit statuses.

pub mod args;
pub mod config;
pub mod exit;
