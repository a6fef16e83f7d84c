//! Signature checks for signed protocol actions: the one place Keel decides
//! whether an address signed a digest.
//!
//! An externally owned account signs with ECDSA (65 bytes `r ‖ s ‖ v`, low
//! `s`, `v` of 27/28 or 0/1), checked through the `ecrecover` precompile. A
//! contract signer (a multisig such as Safe, a smart account) is asked
//! EIP-1271's `isValidSignature(digest, signature)` by a static call and
//! accepts only by returning the magic value `0x1626ba7e`. ECDSA is tried
//! first, so an EOA pays nothing extra and an EIP-7702 account keeps its key;
//! a contract's address has no known key, so only its own code can accept.

use alloc::vec::Vec;
use alloy_primitives::{address, Address, B256};
use keel_math::eip712::{is_magic_value, is_valid_signature_calldata, recovered_address, Signature};
use stylus_sdk::{call::static_call, prelude::*};

/// The `ecrecover` precompile.
const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// Whether `signature` over `digest` was made by `signer`: an ECDSA
/// signature that recovers to `signer`, or else `signer`'s EIP-1271 approval.
///
/// Malformed or malleable ECDSA signatures, failed recoveries, the zero
/// signer, a contract that reverts or answers anything but the magic value,
/// and an account without code all count as "not signed".
pub fn is_signed_by(host: &dyn Host, digest: B256, signer: Address, signature: &[u8]) -> bool {
    if signer.is_zero() {
        return false;
    }
    if let Ok(parsed) = Signature::parse(signature) {
        if recovered_address(&ask(host, ECRECOVER, &parsed.ecrecover_input(digest))) == Some(signer) {
            return true;
        }
    }
    // A static call: the signer cannot change state, and re-entering the
    // asking contract reverts at its entrypoint.
    is_magic_value(&ask(host, signer, &is_valid_signature_calldata(digest, signature)))
}

/// The output of a static call to `to`, empty if it failed.
fn ask(host: &dyn Host, to: Address, data: &[u8]) -> Vec<u8> {
    static_call(host, Call::new(), to, data).unwrap_or_default()
}
