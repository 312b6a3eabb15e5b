//! Paths as the index stores them: text that loses nothing, and back.
//! A leaf: it uses nothing else of the crate.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// A path as text, losing nothing: as it is when it is UTF-8; otherwise
/// with each byte that is not UTF-8 written `\xNN`. A backslash that
/// would read as the start of such an escape (one followed by `x` or by
/// another backslash) is doubled, so that two paths never give the same
/// text: [`text_path`] turns the text back into the very same path. Two
/// files whose names differ only in bytes that are not UTF-8 keep distinct
/// ids and records (a lossy conversion would give both `\u{FFFD}`).
pub fn path_text(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        // (After the last valid character comes a `\xNN` escape, if any.)
        let escape_follows = !chunk.invalid().is_empty();
        for (at, c) in valid.char_indices() {
            text.push(c);
            if c == '\\' {
                let doubled = match valid[at + 1..].chars().next() {
                    Some(next) => next == 'x' || next == '\\',
                    None => escape_follows,
                };
                if doubled {
                    text.push('\\');
                }
            }
        }
        for byte in chunk.invalid() {
            text.push_str(&format!("\\x{byte:02X}"));
        }
    }
    text
}

/// The path [`path_text`] wrote as `text`.
pub fn text_path(text: &str) -> PathBuf {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            match bytes.get(i + 1) {
                Some(b'\\') => {
                    out.push(b'\\');
                    i += 2;
                    continue;
                }
                Some(b'x') => {
                    let hex = bytes.get(i + 2..i + 4).and_then(|pair| {
                        std::str::from_utf8(pair)
                            .ok()
                            .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                    });
                    if let Some(byte) = hex {
                        out.push(byte);
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    path_from_bytes(out)
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    // Paths that are not UTF-8 cannot be made on such systems by us.
    PathBuf::from(OsString::from(String::from_utf8_lossy(&bytes).into_owned()))
}

/// A file's modification time in nanoseconds since the Unix epoch (0 when
/// the file system does not say).
pub fn modified_nanos(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |since| {
            i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_paths_are_themselves() {
        let path = Path::new("/news/café/a b.txt");
        assert_eq!(path_text(path), "/news/café/a b.txt");
        assert_eq!(text_path("/news/café/a b.txt"), path);
    }

    #[test]
    fn backslashes_are_doubled_only_where_they_would_mislead() {
        assert_eq!(path_text(Path::new(r"a\b")), r"a\b");
        assert_eq!(path_text(Path::new(r"caf\xE9")), r"caf\\xE9");
        assert_eq!(path_text(Path::new(r"a\\b")), r"a\\\b");
        for text in [r"a\b", r"caf\\xE9", r"a\\\b", r"end\"] {
            assert_eq!(path_text(&text_path(text)), text);
        }
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_round_trip_and_never_collide() {
        let byte = path_from_bytes(b"caf\xE9.txt".to_vec());
        let literal = Path::new(r"caf\xE9.txt");
        assert_eq!(path_text(&byte), r"caf\xE9.txt");
        assert_ne!(path_text(&byte), path_text(literal));
        assert_eq!(text_path(&path_text(&byte)), byte);
        assert_eq!(text_path(&path_text(literal)), literal);
    }

    #[cfg(unix)]
    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn text_path_undoes_path_text(bytes in proptest::collection::vec(
                prop_oneof![Just(b'\\'), Just(b'x'), Just(b'E'), Just(b'9'), Just(0xE9u8), Just(0xC3u8), Just(0xA9u8), any::<u8>()],
                0..24,
            )) {
                let path = path_from_bytes(bytes);
                prop_assert_eq!(text_path(&path_text(&path)), path);
            }
        }
    }
}
