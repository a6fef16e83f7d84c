//! Custom-error revert data, encoded compactly.
//!
//! `#[derive(SolidityError)]` encodes each error through alloy's encoder
//! instantiated for that error type, which costs WASM per error. Here every
//! refusal is a [`Revert`] holding the encoded data, built by [`revert!`]
//! from the error's `sol!` declaration: the selector, then one word per
//! field (or, for an error whose only field is `bytes`/`string`, its offset,
//! length and contents). In debug builds (the native tests) each encoding is
//! checked against alloy's, so a field written out of order cannot pass.
//!
//! [`revert!`]: crate::revert

use alloc::vec::Vec;

/// Revert data of a Solidity custom error; the error type of every Keel
/// contract function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revert(pub Vec<u8>);

impl From<Revert> for Vec<u8> {
    fn from(revert: Revert) -> Self {
        revert.0
    }
}

/// `revert!(Error { field, other: value })`: the [`Revert`] of `Error`, a
/// `sol!` custom error. List the fields in declaration order (checked in
/// debug builds); each must be a static ABI value, or the error's only field
/// if it is `bytes` or `string`.
#[macro_export]
macro_rules! revert {
    ($error:ident { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        #[allow(clippy::redundant_field_names, unused_variables)]
        let error = $error { $($field $(: $value)?),* };
        #[cfg(debug_assertions)]
        let expected = <$error as alloy_sol_types::SolError>::abi_encode(&error);
        #[allow(unused_mut)]
        let mut data = alloc::vec::Vec::from(<$error as alloy_sol_types::SolError>::SELECTOR);
        $($crate::abi::Encode::encode(error.$field, &mut data);)*
        #[cfg(debug_assertions)]
        assert_eq!(data, expected, "revert!({}): fields out of declaration order", stringify!($error));
        $crate::revert::Revert(data)
    }};
}
