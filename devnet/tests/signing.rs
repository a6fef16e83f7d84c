//! Signing with the dev keys over JSON-RPC, as anvil does: `personal_sign`
//! and `eth_sign` (EIP-191) and `eth_signTypedData_v4` (EIP-712), checked by
//! recovering the signer and, for typed data, against Keel's own EIP-712
//! digest of the same permit.

mod support;

use alloy_primitives::{address, Address, Bytes, Signature, B256, U256};
use keel_math::eip712::{domain_separator, permit_struct_hash, typed_data_digest};
use serde_json::json;
use support::{dev_accounts, Node, CHAIN_ID};

fn signature(value: serde_json::Value) -> Signature {
    let bytes: Bytes = serde_json::from_value(value).unwrap();
    assert_eq!(bytes.len(), 65);
    assert!(bytes[64] == 27 || bytes[64] == 28, "v is 27 or 28");
    Signature::try_from(bytes.as_ref()).unwrap()
}

#[test]
fn personal_sign_and_eth_sign_sign_the_eip191_message_with_the_dev_key() {
    let node = Node::new();
    let dev = dev_accounts()[1].address;
    let message = Bytes::from_static(b"Keel devnet");
    let personal = node.ok("personal_sign", json!([message, dev]));
    assert_eq!(signature(personal.clone()).recover_address_from_msg(&message[..]).unwrap(), dev);
    assert_eq!(node.ok("eth_sign", json!([dev, message])), personal, "the same message, the same deterministic signature");

    let stranger = address!("00000000000000000000000000000000000000aa");
    assert_eq!(node.err("personal_sign", json!([message, stranger])).0, -32000, "no key for a stranger");
}

#[test]
fn typed_data_v4_signs_the_eip712_digest_keel_computes() {
    let node = Node::new();
    let owner = dev_accounts()[0].address;
    let (token, spender) = (Address::repeat_byte(0x70), Address::repeat_byte(0x50));
    let (value, nonce, deadline) = (U256::from(10u64).pow(U256::from(18)), U256::from(3), U256::from(2_000_000_000u64));
    let typed = json!({
        "types": {
            "EIP712Domain": [
                { "name": "name", "type": "string" }, { "name": "version", "type": "string" },
                { "name": "chainId", "type": "uint256" }, { "name": "verifyingContract", "type": "address" }
            ],
            "Permit": [
                { "name": "owner", "type": "address" }, { "name": "spender", "type": "address" },
                { "name": "value", "type": "uint256" }, { "name": "nonce", "type": "uint256" }, { "name": "deadline", "type": "uint256" }
            ]
        },
        "primaryType": "Permit",
        "domain": { "name": "Test stETH", "version": "1", "chainId": CHAIN_ID, "verifyingContract": token },
        "message": { "owner": owner, "spender": spender, "value": value.to_string(), "nonce": nonce.to_string(), "deadline": deadline.to_string() }
    });
    let digest: B256 =
        typed_data_digest(domain_separator("Test stETH", "1", CHAIN_ID, token), permit_struct_hash(owner, spender, value, nonce, deadline));

    let signed = signature(node.ok("eth_signTypedData_v4", json!([owner, typed])));
    assert_eq!(signed.recover_address_from_prehash(&digest).unwrap(), owner);
    let as_text = node.ok("eth_signTypedData_v4", json!([owner, typed.to_string()]));
    assert_eq!(signature(as_text), signed, "wallets send the typed data as an object or as its JSON text");
    assert_eq!(node.err("eth_signTypedData_v4", json!([owner, { "types": {} }])).0, -32602, "malformed typed data");
}
