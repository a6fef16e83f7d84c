//! Compact event emission.
//!
//! alloy's typed `log` is generic over each event type and costs ~600 bytes
//! of WASM per event; under Stylus's 24 KiB limit that adds up. Events whose
//! fields are all static (addresses, integers, bools, bytes32) are emitted
//! here through one shared function instead: the signature hash, the indexed
//! fields as topics, the rest as 32-byte data words, exactly as Solidity
//! encodes them ([`emit_string`] adds events whose only data field is a
//! string). The `sol!` declarations stay the source of the ABI, and the
//! tests decode every event with them.

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;

/// A value that is one 32-byte ABI word.
pub trait ToWord {
    /// The value as an ABI word.
    fn to_word(self) -> B256;
}

impl ToWord for Address {
    fn to_word(self) -> B256 {
        self.into_word()
    }
}

impl ToWord for U256 {
    fn to_word(self) -> B256 {
        self.into()
    }
}

impl ToWord for B256 {
    fn to_word(self) -> B256 {
        self
    }
}

/// A `bytes4` (a function selector) is left-aligned in its word.
impl ToWord for alloy_primitives::FixedBytes<4> {
    fn to_word(self) -> B256 {
        let mut word = B256::ZERO;
        word[..4].copy_from_slice(self.as_slice());
        word
    }
}

impl ToWord for bool {
    fn to_word(self) -> B256 {
        U256::from(self as u8).into()
    }
}

impl ToWord for u8 {
    fn to_word(self) -> B256 {
        U256::from(self).into()
    }
}

impl ToWord for u64 {
    fn to_word(self) -> B256 {
        U256::from(self).into()
    }
}

/// Emits a log with topics `signature ‖ indexed` and data `words`.
pub fn emit_raw(host: &dyn Host, signature: B256, indexed: &[B256], words: &[B256]) {
    let mut buf = Vec::with_capacity(32 * (1 + indexed.len() + words.len()));
    buf.extend_from_slice(signature.as_slice());
    for word in indexed.iter().chain(words) {
        buf.extend_from_slice(word.as_slice());
    }
    host.emit_log(&buf, 1 + indexed.len());
}

/// Emits a log with topics `signature ‖ indexed` whose only data field is the string `text`.
pub fn emit_string(host: &dyn Host, signature: B256, indexed: &[B256], text: &str) {
    let mut words = alloc::vec![U256::from(32).into(), U256::from(text.len()).into()];
    for chunk in text.as_bytes().chunks(32) {
        let mut word = B256::ZERO;
        word[..chunk.len()].copy_from_slice(chunk);
        words.push(word);
    }
    emit_raw(host, signature, indexed, &words);
}

/// `emit!(host, Event; [indexed...]; [data...])`: emits `Event` (declared
/// with `sol!`) whose fields are all static, indexed fields first, each list
/// in declaration order.
#[macro_export]
macro_rules! emit {
    ($host:expr, $event:ty; [$($topic:expr),* $(,)?]; [$($word:expr),* $(,)?]) => {
        $crate::events::emit_raw(
            $host,
            <$event as alloy_sol_types::SolEvent>::SIGNATURE_HASH,
            &[$($crate::events::ToWord::to_word($topic)),*],
            &[$($crate::events::ToWord::to_word($word)),*],
        )
    };
}
