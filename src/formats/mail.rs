//! Usenet posts, e-mail and mbox. (Being written.)

use time::{Date, Time};

use super::{ParseError, Parsed};
use crate::article::Origin;

/// Whether text starts like a mail message or an mbox.
pub fn looks_like(text: &str) -> bool {
    text.starts_with("From ")
}

/// Reads an RFC 2822 date with the usual real-world variants, as the local
/// date and time it names (the offset is dropped, not applied).
pub fn parse_date(_text: &str) -> Option<(Date, Option<Time>)> {
    None
}

pub fn parse(_text: &str, _origin: &Origin) -> Result<Parsed, ParseError> {
    Err(ParseError::Malformed("mail is not supported yet".into()))
}
