//! Signature checks for signed protocol actions.

use alloy_primitives::{address, Address, B256};
use keel_math::eip712::{recovered_address, Signature};
use stylus_sdk::{call::static_call, prelude::*};

/// The `ecrecover` precompile.
const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// Whether `signature` over `digest` was made by `signer`.
///
/// Malformed or malleable signatures, failed recoveries and the zero signer
/// all count as "not signed".
pub fn is_signed_by(host: &dyn Host, digest: B256, signer: Address, signature: &[u8]) -> bool {
    let Ok(parsed) = Signature::parse(signature) else {
        return false;
    };
    let input = parsed.ecrecover_input(digest);
    match static_call(host, Call::new(), ECRECOVER, &input) {
        Ok(output) => recovered_address(&output) == Some(signer) && !signer.is_zero(),
        Err(_) => false,
    }
}
