//! Deployment bytes of a Stylus program.

use std::io::{Read, Write};

/// Prefix of deployed Stylus code: `EF F0 00` (Stylus magic and version) and
/// the dictionary byte `00` (no dictionary).
pub const DEPLOYED_CODE_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Length of the EVM init code that returns the deployed code.
pub const INIT_CODE_PRELUDE_LEN: usize = 43;

/// Brotli quality and window used by Stylus deployments.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// Brotli-compresses a WASM module with the parameters Stylus uses.
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        writer.write_all(wasm).expect("writing to a Vec cannot fail");
    }
    out
}

/// The code stored on chain for a module: prefix + brotli(WASM).
pub fn deployed_code(wasm: &[u8]) -> Vec<u8> {
    let mut code = DEPLOYED_CODE_PREFIX.to_vec();
    code.extend(compress(wasm));
    code
}

/// EVM init code that returns `code`:
/// `PUSH32 len, DUP1, PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN`, a version
/// byte, then the code itself.
pub fn init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(INIT_CODE_PRELUDE_LEN + code.len());
    init.push(0x7f);
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(code.len() as u64).to_be_bytes());
    init.extend_from_slice(&len);
    init.extend_from_slice(&[0x80, 0x60, INIT_CODE_PRELUDE_LEN as u8, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    debug_assert_eq!(init.len(), INIT_CODE_PRELUDE_LEN);
    init.extend_from_slice(code);
    init
}

/// Why deployed code could not be turned back into WASM.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The code does not start with the Stylus prefix.
    NotStylus,
    /// The dictionary byte names a dictionary this implementation lacks.
    UnknownDictionary(u8),
    /// The brotli stream is corrupt.
    Corrupt,
    /// The decompressed module is larger than `limit` bytes.
    TooLarge {
        /// The largest module accepted, in bytes.
        limit: usize,
    },
    /// A root's code is not a whole number of addresses after its header.
    MalformedRoot,
    /// A root names no fragment.
    NoFragments,
    /// A root names more fragments than allowed.
    TooManyFragments {
        /// The most fragments a root may name.
        limit: u8,
    },
    /// Code a root names is not a fragment.
    NotFragment,
    /// The fragments decompress to another length than the root declares.
    LengthMismatch {
        /// The length the root declares.
        expected: usize,
        /// The length the fragments decompress to.
        actual: usize,
    },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotStylus => write!(f, "code does not start with the Stylus prefix EF F0 00"),
            Self::UnknownDictionary(d) => write!(f, "unknown brotli dictionary {d}"),
            Self::Corrupt => write!(f, "corrupt brotli stream"),
            Self::TooLarge { limit } => write!(f, "decompressed WASM exceeds {limit} bytes"),
            Self::MalformedRoot => write!(f, "root code is not a header followed by 20-byte addresses"),
            Self::NoFragments => write!(f, "root names no fragment"),
            Self::TooManyFragments { limit } => write!(f, "root names more than {limit} fragments"),
            Self::NotFragment => write!(f, "code named by the root is not a fragment (EF F0 01)"),
            Self::LengthMismatch { expected, actual } => {
                write!(f, "fragments decompress to {actual} bytes, the root declares {expected}")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decompresses deployed Stylus code, refusing modules above `limit` bytes.
pub fn decode_deployed_code(code: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    if code.len() < 4 || code[..3] != DEPLOYED_CODE_PREFIX[..3] {
        return Err(DecodeError::NotStylus);
    }
    if code[3] != 0 {
        return Err(DecodeError::UnknownDictionary(code[3]));
    }
    decompress(&code[4..], limit)
}

/// Decompresses a brotli stream, refusing output above `limit` bytes.
pub(crate) fn decompress(stream: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let mut reader = brotli::Decompressor::new(stream, 4096).take(limit as u64 + 1);
    reader.read_to_end(&mut out).map_err(|_| DecodeError::Corrupt)?;
    if out.len() > limit {
        return Err(DecodeError::TooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deployed_code_round_trips() {
        let wasm = b"\0asm\x01\0\0\0 some module bytes repeated repeated repeated".to_vec();
        let code = deployed_code(&wasm);
        assert_eq!(&code[..4], &DEPLOYED_CODE_PREFIX);
        assert_eq!(decode_deployed_code(&code, 1 << 17).unwrap(), wasm);
    }

    #[test]
    fn decoding_refuses_bad_code() {
        assert_eq!(decode_deployed_code(&[0x60, 0x00], 100), Err(DecodeError::NotStylus));
        assert_eq!(decode_deployed_code(&[0xEF, 0xF0, 0x00, 0x01, 1], 100), Err(DecodeError::UnknownDictionary(1)));
        assert_eq!(decode_deployed_code(&[0xEF, 0xF0, 0x00, 0x00, 0xff, 0xff, 0xff], 100), Err(DecodeError::Corrupt));
        let big = deployed_code(&vec![7u8; 1000]);
        assert_eq!(decode_deployed_code(&big, 999), Err(DecodeError::TooLarge { limit: 999 }));
    }

    #[test]
    fn init_code_has_the_documented_prelude() {
        let init = init_code(&[0xaa; 300]);
        assert_eq!(init.len(), INIT_CODE_PRELUDE_LEN + 300);
        assert_eq!(init[0], 0x7f);
        assert_eq!(&init[31..33], &[0x01, 0x2c]); // 300 as the PUSH32 operand's tail
        assert_eq!(&init[33..43], &[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
        assert_eq!(&init[43..], &[0xaa; 300][..]);
    }
}
