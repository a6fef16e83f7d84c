//! A string of at most 31 bytes in one storage slot.
//!
//! stylus-sdk's `StorageString` pulls a 256-bit division routine (~8 KB of
//! WASM) into every contract that reads its length; token names and symbols
//! never need more than 31 bytes, so they live in one word here: the bytes,
//! then the length in the last byte.

use alloc::string::String;
use alloy_primitives::B256;
use stylus_sdk::{prelude::*, storage::StorageB256};

/// Longest string a [`ShortString`] holds, in bytes.
pub const MAX_SHORT_STRING: usize = 31;

/// A string longer than [`MAX_SHORT_STRING`] bytes was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct TooLong;

/// Storage for a string of at most [`MAX_SHORT_STRING`] bytes.
#[storage]
pub struct ShortString {
    word: StorageB256,
}

impl ShortString {
    /// Stores `value`; refuses strings longer than [`MAX_SHORT_STRING`] bytes.
    pub fn set(&mut self, value: &str) -> Result<(), TooLong> {
        let bytes = value.as_bytes();
        if bytes.len() > MAX_SHORT_STRING {
            return Err(TooLong);
        }
        let mut word = B256::ZERO;
        word[..bytes.len()].copy_from_slice(bytes);
        word[31] = bytes.len() as u8;
        self.word.set(word);
        Ok(())
    }

    /// The stored string (empty if never set).
    pub fn get(&self) -> String {
        let word = self.word.get();
        let len = (word[31] as usize).min(MAX_SHORT_STRING);
        String::from_utf8_lossy(&word[..len]).into_owned()
    }
}
