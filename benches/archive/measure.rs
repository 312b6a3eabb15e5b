//! Timing: latency samples, processes run under `/usr/bin/time`, sizes on disk.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const GNU_TIME: &str = "/usr/bin/time";

/// Median and 95th percentile (nearest rank) of some latencies.
#[derive(Debug, Clone, Copy)]
pub struct Latency {
    pub median: Duration,
    pub p95: Duration,
    pub runs: usize,
}

impl Latency {
    pub fn of(samples: &[Duration]) -> Latency {
        assert!(!samples.is_empty(), "a latency needs at least one sample");
        let mut sorted = samples.to_vec();
        sorted.sort();
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        };
        let rank = ((0.95 * n as f64).ceil() as usize).clamp(1, n);
        Latency {
            median,
            p95: sorted[rank - 1],
            runs: n,
        }
    }
}

/// Times `run` `runs` times after `warmups` untimed calls.
pub fn sample(warmups: usize, runs: usize, mut run: impl FnMut()) -> Latency {
    for _ in 0..warmups {
        run();
    }
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    Latency::of(&samples)
}

/// What `/usr/bin/time -f '%e %U %S %M'` reports.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub user: Duration,
    pub sys: Duration,
    pub max_rss_kib: u64,
}

impl Usage {
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }
}

/// The most of each kind of resident memory a process held, sampled every
/// 50 ms from `/proc/PID/status` (Linux): peak RSS alone does not tell the
/// heap from files mapped into memory (an index's segments, read through
/// mmap), which the kernel can drop at any time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Resident {
    /// `RssAnon`: heap and stacks.
    pub anon_kib: u64,
    /// `RssFile`: pages of mapped files.
    pub file_kib: u64,
}

/// One finished run of a measured process.
#[derive(Debug)]
pub struct Measured {
    pub wall: Duration,
    /// `None` when `/usr/bin/time` is not installed.
    pub usage: Option<Usage>,
    /// `None` where there is no `/proc`.
    pub resident: Option<Resident>,
    pub status: ExitStatus,
    pub stdout: String,
    /// The process's own stderr, without `/usr/bin/time`'s line.
    pub stderr: String,
}

impl Measured {
    /// Panics with the command's stderr unless it exited 0.
    pub fn expect_success(self, what: &str) -> Measured {
        assert!(
            self.status.success(),
            "{what} failed ({}):\n{}",
            self.status,
            self.stderr
        );
        self
    }
}

pub fn gnu_time_available() -> bool {
    Path::new(GNU_TIME).is_file()
}

/// Runs `program args` to the end, under `/usr/bin/time` when there is one,
/// with `stdin` (a file) as its standard input; captures its output.
pub fn run_measured(program: &Path, args: &[String], stdin: Option<&Path>) -> Measured {
    let mut command = if gnu_time_available() {
        let mut command = Command::new(GNU_TIME);
        command.args(["-f", "%e %U %S %M"]).arg(program);
        command
    } else {
        Command::new(program)
    };
    command.args(args);
    command.stdin(match stdin {
        Some(path) => Stdio::from(
            fs::File::open(path)
                .unwrap_or_else(|err| panic!("cannot open {} as stdin: {err}", path.display())),
        ),
        None => Stdio::null(),
    });
    let started = Instant::now();
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (pid, wrapped, done) = (child.id(), gnu_time_available(), Arc::clone(&done));
        std::thread::spawn(move || sample_resident(pid, wrapped, &done))
    };
    let output = child
        .wait_with_output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", program.display()));
    let wall = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let resident = sampler.join().unwrap_or(None);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let (stderr, usage) = if gnu_time_available() {
        split_usage(&stderr)
    } else {
        (stderr, None)
    };
    Measured {
        wall,
        usage,
        resident,
        status: output.status,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    }
}

/// Samples the resident memory of process `pid` (of its child when
/// `wrapped`: the program `/usr/bin/time` runs) until `done`.
fn sample_resident(pid: u32, wrapped: bool, done: &AtomicBool) -> Option<Resident> {
    let mut peaks: Option<Resident> = None;
    let mut target = (!wrapped).then_some(pid);
    while !done.load(Ordering::Relaxed) {
        if target.is_none() {
            target = fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
                .ok()
                .and_then(|children| children.split_whitespace().next()?.parse().ok());
        }
        if let Some(status) =
            target.and_then(|t| fs::read_to_string(format!("/proc/{t}/status")).ok())
        {
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix(name))
                    .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
            };
            if let (Some(anon), Some(file)) = (field("RssAnon:"), field("RssFile:")) {
                let peak = peaks.get_or_insert_with(Resident::default);
                peak.anon_kib = peak.anon_kib.max(anon);
                peak.file_kib = peak.file_kib.max(file);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    peaks
}

/// Takes `/usr/bin/time`'s last line (and its "Command exited with non-zero
/// status" line) off the process's stderr.
fn split_usage(stderr: &str) -> (String, Option<Usage>) {
    let mut lines: Vec<&str> = stderr.lines().collect();
    let usage = lines.last().and_then(|line| parse_usage(line));
    if usage.is_some() {
        lines.pop();
        if lines
            .last()
            .is_some_and(|line| line.starts_with("Command exited with non-zero status"))
        {
            lines.pop();
        }
    }
    (lines.join("\n"), usage)
}

fn parse_usage(line: &str) -> Option<Usage> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [_wall, user, sys, rss] = fields.as_slice() else {
        return None;
    };
    let seconds = |text: &str| text.parse::<f64>().ok().map(Duration::from_secs_f64);
    Some(Usage {
        user: seconds(user)?,
        sys: seconds(sys)?,
        max_rss_kib: rss.parse().ok()?,
    })
}

/// Spawns `make()` `runs` times, output discarded; the wall time of each.
/// Every run must exit with one of `ok_codes`.
pub fn time_spawns(runs: usize, ok_codes: &[i32], make: impl Fn() -> Command) -> Latency {
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let mut command = make();
            command
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let started = Instant::now();
            let output = command
                .output()
                .unwrap_or_else(|err| panic!("cannot run {command:?}: {err}"));
            let wall = started.elapsed();
            let code = output.status.code().unwrap_or(-1);
            assert!(
                ok_codes.contains(&code),
                "{command:?} exited {code}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            wall
        })
        .collect();
    Latency::of(&samples)
}

/// Total size of the files below `path` (following `path` itself if it is a
/// symbolic link), and how many there are; only files whose name ends with
/// `suffix` when one is given.
pub fn files_size(path: &Path, suffix: Option<&str>) -> (u64, u64) {
    let mut bytes = 0;
    let mut files = 0;
    let entries =
        fs::read_dir(path).unwrap_or_else(|err| panic!("cannot list {}: {err}", path.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|err| panic!("cannot list {}: {err}", path.display()));
        let kind = entry
            .file_type()
            .unwrap_or_else(|err| panic!("cannot stat {}: {err}", entry.path().display()));
        if kind.is_dir() {
            let (b, f) = files_size(&entry.path(), suffix);
            bytes += b;
            files += f;
        } else if kind.is_file()
            && suffix.is_none_or(|suffix| entry.file_name().to_string_lossy().ends_with(suffix))
        {
            let meta = entry
                .metadata()
                .unwrap_or_else(|err| panic!("cannot stat {}: {err}", entry.path().display()));
            bytes += meta.len();
            files += 1;
        }
    }
    (bytes, files)
}

/// Size of one file, or 0 when it does not exist.
pub fn file_size(path: &Path) -> u64 {
    fs::metadata(path).map(|meta| meta.len()).unwrap_or(0)
}
