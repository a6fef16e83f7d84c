//! The `ecrecover` precompile: `(hash, v, r, s)` → signer address.

use crate::exec::{Message, Outcome};
use alloy_primitives::{Signature, B256, U256};

/// Gas charged per call.
const ECRECOVER_GAS: u64 = 3_000;

/// Recovers the signer; empty output when the signature is invalid.
pub(super) fn run(msg: &Message) -> Outcome {
    if msg.gas < ECRECOVER_GAS {
        return Outcome::failure();
    }
    let gas_left = msg.gas - ECRECOVER_GAS;
    let mut input = [0u8; 128];
    let len = msg.input.len().min(128);
    input[..len].copy_from_slice(&msg.input[..len]);
    match recover(&input) {
        Some(signer) => Outcome::success(B256::left_padding_from(signer.as_slice()).to_vec(), gas_left),
        None => Outcome::success(Vec::new(), gas_left),
    }
}

fn recover(input: &[u8; 128]) -> Option<alloy_primitives::Address> {
    let hash = B256::from_slice(&input[..32]);
    let v = U256::from_be_slice(&input[32..64]);
    if v != U256::from(27) && v != U256::from(28) {
        return None;
    }
    let parity = v == U256::from(28);
    let r = U256::from_be_slice(&input[64..96]);
    let s = U256::from_be_slice(&input[96..128]);
    Signature::new(r, s, parity).recover_address_from_prehash(&hash).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::CallKind;
    use alloy_primitives::{Address, Bytes};
    use k256::ecdsa::SigningKey;

    fn message(input: Vec<u8>) -> Message {
        Message {
            kind: CallKind::Static,
            caller: Address::ZERO,
            address: super::super::ECRECOVER,
            code_address: super::super::ECRECOVER,
            value: U256::ZERO,
            input: Bytes::from(input),
            gas: 10_000,
            is_static: true,
        }
    }

    #[test]
    fn recovers_the_signer_and_rejects_bad_v() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let signer = Address::from_public_key(key.verifying_key());
        let hash = B256::repeat_byte(0x42);
        let (sig, recid) = key.sign_prehash_recoverable(hash.as_slice()).unwrap();
        let mut input = hash.to_vec();
        input.extend(U256::from(27 + recid.to_byte()).to_be_bytes::<32>());
        input.extend_from_slice(&sig.to_bytes());
        let outcome = run(&message(input.clone()));
        assert_eq!(outcome.output.as_ref(), B256::left_padding_from(signer.as_slice()).as_slice());
        assert_eq!(outcome.gas_left, 7_000);

        input[63] = 29;
        assert!(run(&message(input)).output.is_empty());
    }
}
