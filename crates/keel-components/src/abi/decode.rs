//! Calldata decoding with the checks of alloy's validating decoder, through
//! one shared function per ABI type instead of one per argument tuple.
//!
//! Refused, as Solidity refuses them: truncated calldata, addresses with
//! dirty high bytes, bools other than 0 and 1, integers wider than their
//! type, offsets or lengths that point outside the calldata, and strings that
//! are not UTF-8. Trailing bytes after the arguments are ignored.

use alloc::{string::String, vec::Vec};
use alloy_primitives::{Address, Bytes, FixedBytes, B256, U256};

/// Calldata that does not decode as the function's arguments.
#[derive(Debug, PartialEq, Eq)]
pub struct Reject;

/// A value that is one 32-byte ABI word.
pub trait FromWord: Sized {
    /// Decodes the word, refusing values outside the type.
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject>;
}

/// Checks that the first `zeros` bytes are zero and returns the rest.
fn high_zeros(word: &[u8; 32], zeros: usize) -> Result<&[u8], Reject> {
    if word[..zeros].iter().any(|b| *b != 0) {
        return Err(Reject);
    }
    Ok(&word[zeros..])
}

impl FromWord for U256 {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        Ok(U256::from_be_bytes(*word))
    }
}

impl FromWord for B256 {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        Ok(B256::from(*word))
    }
}

impl FromWord for FixedBytes<4> {
    /// `bytes4` is left-aligned: the 28 bytes after it must be zero.
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        if word[4..].iter().any(|b| *b != 0) {
            return Err(Reject);
        }
        Ok(FixedBytes([word[0], word[1], word[2], word[3]]))
    }
}

impl FromWord for Address {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        Ok(Address::from_slice(high_zeros(word, 12)?))
    }
}

impl FromWord for bool {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        match high_zeros(word, 31)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Reject),
        }
    }
}

impl FromWord for u8 {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        Ok(high_zeros(word, 31)?[0])
    }
}

impl FromWord for u32 {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        let low = high_zeros(word, 28)?;
        Ok(u32::from_be_bytes([low[0], low[1], low[2], low[3]]))
    }
}

impl FromWord for u64 {
    fn from_word(word: &[u8; 32]) -> Result<Self, Reject> {
        let mut low = [0u8; 8];
        low.copy_from_slice(high_zeros(word, 24)?);
        Ok(u64::from_be_bytes(low))
    }
}

/// Reads one function's arguments, head word by head word.
pub struct Decoder<'a> {
    data: &'a [u8],
    head: usize,
}

impl<'a> Decoder<'a> {
    /// A decoder over the calldata after the selector.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, head: 0 }
    }

    /// Decodes the next argument.
    pub fn arg<T: AbiArg>(&mut self) -> Result<T, Reject> {
        T::decode(self)
    }

    fn word_at(&self, position: usize) -> Result<&'a [u8; 32], Reject> {
        let end = position.checked_add(32).ok_or(Reject)?;
        let bytes = self.data.get(position..end).ok_or(Reject)?;
        bytes.try_into().map_err(|_| Reject)
    }

    /// A word read as an offset or length: it must lie within the calldata.
    fn size_at(&self, position: usize) -> Result<usize, Reject> {
        let value = U256::from_be_bytes(*self.word_at(position)?);
        match usize::try_from(value) {
            Ok(size) if size <= self.data.len() => Ok(size),
            _ => Err(Reject),
        }
    }

    fn head_word(&mut self) -> Result<&'a [u8; 32], Reject> {
        let word = self.word_at(self.head)?;
        self.head += 32;
        Ok(word)
    }

    /// Follows the next head word (an offset) to a dynamic value and returns
    /// its length and the position of its first content byte.
    fn dynamic(&mut self) -> Result<(usize, usize), Reject> {
        let offset = self.size_at(self.head)?;
        self.head += 32;
        Ok((self.size_at(offset)?, offset + 32))
    }

    /// Decodes the next argument as `bytes[]`, borrowing each element.
    /// Each element's offset counts from the first offset word.
    pub fn byte_strings(&mut self) -> Result<Vec<&'a [u8]>, Reject> {
        let (len, start) = self.dynamic()?;
        let mut elements = Decoder::new(self.data.get(start..).ok_or(Reject)?);
        (0..len).map(|_| elements.byte_string()).collect()
    }

    fn byte_string(&mut self) -> Result<&'a [u8], Reject> {
        let (len, start) = self.dynamic()?;
        self.data.get(start..start.checked_add(len).ok_or(Reject)?).ok_or(Reject)
    }
}

/// A type that can be a function argument.
pub trait AbiArg: Sized {
    /// Decodes the next argument of this type.
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Reject>;
}

impl<T: FromWord> AbiArg for T {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Reject> {
        T::from_word(decoder.head_word()?)
    }
}

impl AbiArg for Bytes {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Reject> {
        Ok(Bytes::copy_from_slice(decoder.byte_string()?))
    }
}

impl AbiArg for String {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Reject> {
        let bytes = decoder.byte_string()?;
        core::str::from_utf8(bytes).map(String::from).map_err(|_| Reject)
    }
}

impl<T: FromWord> AbiArg for Vec<T> {
    fn decode(decoder: &mut Decoder<'_>) -> Result<Self, Reject> {
        let (len, start) = decoder.dynamic()?;
        let end = len.checked_mul(32).and_then(|size| size.checked_add(start)).ok_or(Reject)?;
        if end > decoder.data.len() {
            return Err(Reject);
        }
        (0..len).map(|i| T::from_word(decoder.word_at(start + 32 * i)?)).collect()
    }
}
