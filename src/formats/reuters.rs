//! Reuters-21578 SGML. (Being written.)

use super::{ParseError, Parsed};
use crate::article::Origin;

/// Whether a file's first non-blank line opens Reuters SGML.
pub fn looks_like(first_line: &str) -> bool {
    first_line.starts_with("<!DOCTYPE lewis") || first_line.starts_with("<REUTERS")
}

pub fn parse(_text: &str, _origin: &Origin) -> Result<Parsed, ParseError> {
    Err(ParseError::Malformed(
        "Reuters SGML is not supported yet".into(),
    ))
}
