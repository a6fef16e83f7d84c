//! Return-value encoding through a few shared functions: static values are
//! 32-byte words; a dynamic value (array, string, bytes) is an offset, a
//! length and the padded contents, as Solidity returns it.

use crate::events::ToWord;
use alloc::{string::String, vec::Vec};
use alloy_primitives::{Bytes, U256};
use stylus_sdk::ArbResult;

/// A value a function can return.
pub trait Encode {
    /// Appends the ABI encoding of the value.
    fn encode(self, out: &mut Vec<u8>);
}

impl<T: ToWord> Encode for T {
    fn encode(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.to_word().as_slice());
    }
}

impl Encode for () {
    fn encode(self, _out: &mut Vec<u8>) {}
}

macro_rules! encode_static_tuple {
    ($($name:ident),+) => {
        impl<$($name: ToWord),+> Encode for ($($name,)+) {
            #[allow(non_snake_case)]
            fn encode(self, out: &mut Vec<u8>) {
                let ($($name,)+) = self;
                $(out.extend_from_slice($name.to_word().as_slice());)+
            }
        }
    };
}

encode_static_tuple!(A, B);
encode_static_tuple!(A, B, C);
encode_static_tuple!(A, B, C, D);
encode_static_tuple!(A, B, C, D, E);
encode_static_tuple!(A, B, C, D, E, F);
encode_static_tuple!(A, B, C, D, E, F, G);

/// Appends `offset ‖ length ‖ contents` padded to whole words.
fn encode_dynamic(out: &mut Vec<u8>, len: usize, contents: &[u8]) {
    out.extend_from_slice(ToWord::to_word(U256::from(32)).as_slice());
    encode_sized(out, len, contents);
}

/// Appends `length ‖ contents` padded to whole words.
pub(crate) fn encode_sized(out: &mut Vec<u8>, len: usize, contents: &[u8]) {
    out.extend_from_slice(ToWord::to_word(U256::from(len)).as_slice());
    out.extend_from_slice(contents);
    out.resize(out.len() + (32 - contents.len() % 32) % 32, 0);
}

/// An array's elements, one word each.
fn array_words<T: ToWord>(items: Vec<T>) -> Vec<u8> {
    let mut words = Vec::with_capacity(32 * items.len());
    for item in items {
        words.extend_from_slice(item.to_word().as_slice());
    }
    words
}

impl<T: ToWord> Encode for Vec<T> {
    fn encode(self, out: &mut Vec<u8>) {
        let len = self.len();
        encode_dynamic(out, len, &array_words(self));
    }
}

/// Two arrays returned together (`(address[], uint256[])`, say): two
/// offsets, then each array's length and words.
impl<A: ToWord, B: ToWord> Encode for (Vec<A>, Vec<B>) {
    fn encode(self, out: &mut Vec<u8>) {
        let (first, second) = (array_words(self.0), array_words(self.1));
        out.extend_from_slice(ToWord::to_word(U256::from(64)).as_slice());
        out.extend_from_slice(ToWord::to_word(U256::from(64 + 32 + first.len())).as_slice());
        encode_sized(out, first.len() / 32, &first);
        encode_sized(out, second.len() / 32, &second);
    }
}

impl Encode for String {
    fn encode(self, out: &mut Vec<u8>) {
        encode_dynamic(out, self.len(), self.as_bytes());
    }
}

impl Encode for Bytes {
    fn encode(self, out: &mut Vec<u8>) {
        encode_dynamic(out, self.len(), &self);
    }
}

/// What a contract method returns for declared return type `T`: `T` itself,
/// or `Result<T, E>` whose error is the revert data.
pub trait Returns<T> {
    /// The call's output: encoded return value or revert data.
    fn into_output(self) -> ArbResult;
}

impl<T: Encode> Returns<T> for T {
    fn into_output(self) -> ArbResult {
        let mut out = Vec::new();
        self.encode(&mut out);
        Ok(out)
    }
}

impl<T: Encode, E: Into<Vec<u8>>> Returns<T> for Result<T, E> {
    fn into_output(self) -> ArbResult {
        match self {
            Ok(value) => value.into_output(),
            Err(error) => Err(error.into()),
        }
    }
}
