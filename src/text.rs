//! Text for people to read: quoting a file's bytes in a message, making
//! what files say safe to print on a terminal, and numbers with separators.
//! A leaf: it uses nothing else of the crate.

use std::borrow::Cow;

/// How much of a file's own text a message quotes, in characters.
pub const QUOTED_CHARS: usize = 300;

/// Text quoted in a message, made safe to print on one line: control
/// characters (a newline, a terminal escape) and invisible formatting
/// characters (bidi controls, zero-width characters) escaped, and cut to `max`
/// characters with `…`. Files put anything in the messages that quote them.
pub fn on_one_line(text: &str, max: usize) -> String {
    let mut line = String::with_capacity(text.len().min(max));
    for (count, c) in text.chars().enumerate() {
        if count == max {
            line.push('…');
            break;
        }
        if c.is_control() || is_hidden_format(c) {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    line
}

/// Text from a file or a file name, made safe for a terminal: control
/// characters other than newline and tab, and the invisible characters that
/// reorder or hide text (bidi controls, zero-width characters), are written as `\u{…}`
/// escapes, as fd's `sanitize` does. A U+202E in a file name would otherwise
/// print the rest of the line backwards.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_hidden_format(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Bidirectional overrides, embeddings and isolates, and zero-width
/// characters: they change how the text around them shows, or do not show.
pub fn is_hidden_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'   // zero width space, joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}' // embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // isolates
        | '\u{FEFF}'              // zero width no-break space (BOM)
    )
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_stays_on_one_line_and_is_cut() {
        assert_eq!(on_one_line("a\nb\x1b[31m", 10), "a\\nb\\u{1b}[31m");
        assert_eq!(on_one_line("abcdef", 3), "abc…");
        assert_eq!(on_one_line("x\u{202E}y", 10), "x\\u{202e}y");
    }

    #[test]
    fn terminal_text_loses_no_line_breaks_but_every_trick() {
        assert!(matches!(for_terminal("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(
            for_terminal("evil\u{202E}txt.exe\u{200B}\x07"),
            "evil\\u{202e}txt.exe\\u{200b}\\u{7}"
        );
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
