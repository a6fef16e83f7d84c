//! Signing with the dev accounts' keys, as anvil does: `eth_sign` and
//! `personal_sign` (an EIP-191 message) and `eth_signTypedData_v4` (EIP-712
//! typed data). A signature is 65 bytes, r ‖ s ‖ v with v = 27 or 28 and a
//! low s; an address without a dev key is refused.

use super::devnet::Devnet;
use super::params::Params;
use super::rpc::RpcError;
use alloy_dyn_abi::TypedData;
use alloy_primitives::{eip191_hash_message, Address, Bytes, B256};
use serde_json::{json, Value};

/// Answers the signing methods; `None` for any other method.
pub fn dispatch(devnet: &Devnet, method: &str, p: &Params) -> Option<Result<Value, RpcError>> {
    let signed = match method {
        "eth_sign" => message(p, 0, 1).and_then(|(who, hash)| sign(devnet, who, hash)),
        "personal_sign" => message(p, 1, 0).and_then(|(who, hash)| sign(devnet, who, hash)),
        "eth_signTypedData_v4" => typed_data(p).and_then(|(who, hash)| sign(devnet, who, hash)),
        _ => return None,
    };
    Some(signed.map(|signature| json!(signature)))
}

/// The signer at `who` and the EIP-191 hash of the message at `data`.
fn message(p: &Params, who: usize, data: usize) -> Result<(Address, B256), RpcError> {
    p.at_most(2)?;
    let signer: Address = p.get(who, "address")?;
    let message: Bytes = p.get(data, "message")?;
    Ok((signer, eip191_hash_message(&message)))
}

/// The signer and the EIP-712 signing hash of the typed data, given as an
/// object or as its JSON text (wallets send either).
fn typed_data(p: &Params) -> Result<(Address, B256), RpcError> {
    p.at_most(2)?;
    let signer: Address = p.get(0, "address")?;
    let value: Value = p.get(1, "typedData")?;
    let data: TypedData = match value {
        Value::String(text) => serde_json::from_str(&text),
        object => serde_json::from_value(object),
    }
    .map_err(|e| RpcError::invalid_params(format!("typed data: {e}")))?;
    let hash = data.eip712_signing_hash().map_err(|e| RpcError::invalid_params(format!("typed data: {e}")))?;
    Ok((signer, hash))
}

/// `hash` signed by the dev account `who`.
fn sign(devnet: &Devnet, who: Address, hash: B256) -> Result<Bytes, RpcError> {
    let account = devnet
        .accounts()
        .iter()
        .find(|a| a.address == who)
        .ok_or_else(|| RpcError::server(format!("no key for {who}: not a dev account")))?;
    let (signature, recovery) = account.key.sign_prehash_recoverable(hash.as_slice()).map_err(RpcError::internal)?;
    // k256 signs with a low s already; normalise anyway, flipping the parity with it.
    let (signature, parity) = match signature.normalize_s() {
        Some(low) => (low, !recovery.is_y_odd()),
        None => (signature, recovery.is_y_odd()),
    };
    let mut bytes = signature.to_bytes().to_vec();
    bytes.push(27 + u8::from(parity));
    Ok(Bytes::from(bytes))
}
