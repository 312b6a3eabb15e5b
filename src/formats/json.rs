//! JSON lines and JSON documents. (Being written.)

use super::{FieldMap, ParseError, Parsed};
use crate::article::Origin;

pub fn parse(_text: &str, _origin: &Origin, _fields: &FieldMap) -> Result<Parsed, ParseError> {
    Err(ParseError::Malformed("JSON is not supported yet".into()))
}
