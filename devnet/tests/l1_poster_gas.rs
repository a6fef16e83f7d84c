//! `--l1-price-per-unit`: transactions buy nitro's L1 poster gas (16 units
//! per byte of the brotli-compressed signed envelope, times the price, at
//! the base fee, rounded down), included in `gasUsed` and reported as
//! `gasUsedForL1`.

mod support;

use alloy_primitives::{Address, Bytes, U256};
use keel_devnet::BASE_FEE;
use serde_json::json;
use std::io::Write;
use support::{dev_accounts, quantity, sign, Node};

const BOB: Address = Address::repeat_byte(0xb0);
/// 30 gwei per calldata unit.
const PRICE: u64 = 30_000_000_000;

fn node_with_price(price: u64) -> Node {
    let node = Node::new();
    node.0.lock().l1_price_per_unit = U256::from(price);
    node
}

/// Bytes of `data` compressed as nitro does (brotli level 1, window 22).
fn compressed_len(data: &[u8]) -> u64 {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 1, 22);
        writer.write_all(data).unwrap();
    }
    out.len() as u64
}

fn transfer(gas: u64) -> Vec<u8> {
    let calldata: Vec<u8> = (0..200u32).map(|i| (i * 37 % 251) as u8).collect();
    sign(2, &dev_accounts()[0].key, 0, Some(BOB), U256::from(1), gas, &calldata)
}

#[test]
fn receipts_include_the_poster_gas_and_report_it() {
    let raw = transfer(2_000_000);
    let free = Node::new().send_raw(&raw);
    assert_eq!(free["gasUsedForL1"], "0x0", "no L1 price, no poster gas");

    let node = node_with_price(PRICE);
    let alice = dev_accounts()[0].address;
    let before = node.balance(alice);
    let receipt = node.send_raw(&raw);
    assert_eq!(receipt["status"], "0x1");
    let poster_gas = PRICE * 16 * compressed_len(&raw) / BASE_FEE;
    assert!(poster_gas > 100_000, "a 200-byte call at 30 gwei per unit: {poster_gas}");
    assert_eq!(quantity(&receipt["gasUsedForL1"]), poster_gas);
    assert_eq!(quantity(&receipt["gasUsed"]), quantity(&free["gasUsed"]) + poster_gas);
    let paid = U256::from(quantity(&receipt["gasUsed"])) * U256::from(BASE_FEE) + U256::from(1);
    assert_eq!(node.balance(alice), before - paid, "the poster gas is paid at the base fee");
}

#[test]
fn a_limit_below_intrinsic_plus_poster_gas_is_refused() {
    let node = node_with_price(PRICE);
    let poster_gas = PRICE * 16 * compressed_len(&transfer(100_000)) / BASE_FEE;
    assert!(poster_gas > 100_000);
    let raw = transfer(100_000);
    let error = node.err("eth_sendRawTransaction", json!([Bytes::from(raw)]));
    assert_eq!(error.0, -32000);
    assert!(error.1.contains("intrinsic gas too low"), "{error:?}");
}

#[test]
fn estimates_cover_the_poster_gas_with_nitro_s_padding() {
    let node = node_with_price(PRICE);
    let alice = dev_accounts()[0].address;
    let request = json!({ "from": alice, "to": BOB, "value": "0x1", "data": "0x1234" });
    let estimate = quantity(&node.ok("eth_estimateGas", json!([request])));
    let free = quantity(&Node::new().ok("eth_estimateGas", json!([request])));
    assert_eq!(free, 21_000 + 2 * 16);
    // The stand-in envelope (~60 bytes) plus 16 bytes, 1% more, and 10% on the cost.
    assert!(estimate > free + PRICE * 16 * 60 / BASE_FEE, "{estimate}");
    let receipt = node.send(json!({ "from": alice, "to": BOB, "value": "0x1", "data": "0x1234", "gas": format!("{estimate:#x}") }));
    assert_eq!(receipt["status"], "0x1");
    assert!(quantity(&receipt["gasUsed"]) <= estimate);
}

#[test]
fn every_envelope_type_is_sized_as_signed() {
    let node = node_with_price(PRICE);
    for (nonce, tx_type) in [0u8, 1, 2].into_iter().enumerate() {
        let raw = sign(tx_type, &dev_accounts()[0].key, nonce as u64, Some(BOB), U256::ZERO, 2_000_000, &[0xab; 64]);
        let receipt = node.send_raw(&raw);
        assert_eq!(quantity(&receipt["gasUsedForL1"]), PRICE * 16 * compressed_len(&raw) / BASE_FEE, "type {tx_type}");
    }
}
