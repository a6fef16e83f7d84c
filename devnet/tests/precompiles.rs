//! Ethereum's precompiles and P256VERIFY, checked with known vectors when
//! called by a transaction, by a Stylus program and by EVM code.

mod common;

use alloy_primitives::{address, hex, keccak256, Address, Bytes, B256, U256};
use common::*;
use keel_devnet::gas::intrinsic_gas;
use keel_devnet::{Chain, Tx};
use std::ops::Shl;

const SHA256: Address = address!("0000000000000000000000000000000000000002");
const RIPEMD160: Address = address!("0000000000000000000000000000000000000003");
const IDENTITY: Address = address!("0000000000000000000000000000000000000004");
const MODEXP: Address = address!("0000000000000000000000000000000000000005");
const BN_ADD: Address = address!("0000000000000000000000000000000000000006");
const BN_MUL: Address = address!("0000000000000000000000000000000000000007");
const BN_PAIRING: Address = address!("0000000000000000000000000000000000000008");
const BLAKE2F: Address = address!("0000000000000000000000000000000000000009");
const POINT_EVALUATION: Address = address!("000000000000000000000000000000000000000a");
const P256_VERIFY: Address = keel_devnet::precompiles::P256_VERIFY;

/// A chain with a Stylus proxy and an EVM forwarder.
struct Callers {
    chain: Chain,
    stylus: Address,
    evm: Address,
}

impl Callers {
    fn new() -> Self {
        let mut chain = Chain::new(CHAIN_ID);
        chain.set_balance(OWNER, ether(10));
        let stylus = install_wat(&mut chain, PROXY);
        let evm = install_evm(&mut chain, &EVM_STATIC_FORWARDER);
        Self { chain, stylus, evm }
    }

    /// Calls `precompile` directly; returns (success, output, gas used by the precompile).
    fn direct(&mut self, precompile: Address, input: &[u8]) -> (bool, Bytes, u64) {
        let receipt = self.chain.call(Tx::call(OWNER, precompile, input.to_vec())).unwrap();
        (receipt.status, receipt.output, receipt.gas_used - intrinsic_gas(input))
    }

    /// Asserts that a transaction, the Stylus proxy and the EVM forwarder all
    /// get `expected` (None: the call fails) from `precompile`, and returns
    /// the precompile's gas.
    fn check(&mut self, precompile: Address, input: &[u8], expected: Option<&[u8]>) -> u64 {
        let (ok, output, gas) = self.direct(precompile, input);
        assert_eq!(ok, expected.is_some(), "direct call of {precompile}");
        if let Some(expected) = expected {
            assert_eq!(output.as_ref(), expected, "direct call of {precompile}");
        }
        let stylus = self.chain.call(Tx::call(OWNER, self.stylus, via_proxy(0, precompile, input))).unwrap();
        assert_eq!(stylus.output[0] == 0, expected.is_some(), "Stylus call of {precompile}");
        if let Some(expected) = expected {
            assert_eq!(&stylus.output[1..], expected, "Stylus call of {precompile}");
        }
        let evm = self.chain.call(Tx::call(OWNER, self.evm, [precompile.as_slice(), input].concat())).unwrap();
        assert_eq!(evm.status, expected.is_some(), "EVM call of {precompile}");
        if let Some(expected) = expected {
            assert_eq!(evm.output.as_ref(), expected, "EVM call of {precompile}");
        }
        gas
    }
}

fn word(value: u64) -> [u8; 32] {
    U256::from(value).to_be_bytes()
}

#[test]
fn hashes_and_identity() {
    let mut callers = Callers::new();
    let sha = hex!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(callers.check(SHA256, b"abc", Some(&sha)), 60 + 12);
    let ripemd = B256::left_padding_from(&hex!("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"));
    assert_eq!(callers.check(RIPEMD160, b"abc", Some(ripemd.as_slice())), 600 + 120);
    let data = [7u8; 40];
    assert_eq!(callers.check(IDENTITY, &data, Some(&data)), 15 + 2 * 3);
}

#[test]
fn modexp_computes_and_charges_eip_2565() {
    let mut callers = Callers::new();
    // 3^5 mod 7 = 5, with one-byte base, exponent and modulus.
    let input = [&word(1)[..], &word(1), &word(1), &[3, 5, 7]].concat();
    assert_eq!(callers.check(MODEXP, &input, Some(&[5])), 200);
    // 2^(2^255) mod (2^256 - 1): a 32-byte exponent costs more than the minimum.
    let exponent: [u8; 32] = U256::from(1).shl(255usize).to_be_bytes();
    let input = [&word(1)[..], &word(32), &word(32), &[2], &exponent, &[0xff; 32]].concat();
    let gas = callers.direct(MODEXP, &input).2;
    assert!(gas > 200, "modexp gas grows with the exponent: {gas}");
}

/// x and y of 2·G on alt_bn128.
const TWO_G: [u8; 64] = hex!(
    "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3"
    "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4"
);
/// The generator G = (1, 2) and its negation (1, p - 2).
const G: [u8; 64] = hex!(
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002"
);
const MINUS_G: [u8; 64] = hex!(
    "0000000000000000000000000000000000000000000000000000000000000001"
    "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45"
);
/// The G2 generator (EIP-197 order: x imaginary, x real, y imaginary, y real).
const G2: [u8; 128] = hex!(
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"
);

#[test]
fn bn254_add_mul_and_pairing() {
    let mut callers = Callers::new();
    assert_eq!(callers.check(BN_ADD, &[G, G].concat(), Some(&TWO_G)), 150);
    assert_eq!(callers.check(BN_MUL, &[&G[..], &word(2)].concat(), Some(&TWO_G)), 6_000);
    // e(G, G2) · e(-G, G2) = 1, but e(G, G2) · e(G, G2) ≠ 1.
    let balanced = [&G[..], &G2, &MINUS_G, &G2].concat();
    assert_eq!(callers.check(BN_PAIRING, &balanced, Some(&word(1))), 45_000 + 2 * 34_000);
    let unbalanced = [&G[..], &G2, &G, &G2].concat();
    callers.check(BN_PAIRING, &unbalanced, Some(&word(0)));
    // A point off the curve makes the call fail.
    callers.check(BN_ADD, &[&G[..], &word(1), &word(3)].concat(), None);
}

#[test]
fn blake2f_compresses_abc_into_blake2b_512() {
    const IV: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    let mut callers = Callers::new();
    let mut input = 12u32.to_be_bytes().to_vec();
    for (i, word) in IV.iter().enumerate() {
        // Parameter block: 64-byte digest, no key, fan-out and depth 1.
        let h = if i == 0 { word ^ 0x0101_0040 } else { *word };
        input.extend(h.to_le_bytes());
    }
    let mut block = [0u8; 128];
    block[..3].copy_from_slice(b"abc");
    input.extend(block);
    input.extend(3u64.to_le_bytes());
    input.extend(0u64.to_le_bytes());
    input.push(1);
    let digest = hex!(
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
    );
    assert_eq!(callers.check(BLAKE2F, &input, Some(&digest)), 12);
    // A final-block flag other than 0 or 1 is malformed.
    *input.last_mut().unwrap() = 2;
    callers.check(BLAKE2F, &input, None);
}

#[test]
fn point_evaluation_accepts_the_zero_polynomial() {
    // The zero polynomial: commitment and proof are the point at infinity, p(z) = 0 for any z.
    let infinity = {
        let mut point = [0u8; 48];
        point[0] = 0xc0;
        point
    };
    let mut callers = Callers::new();
    let mut versioned_hash = callers.direct(SHA256, &infinity).1.to_vec();
    versioned_hash[0] = 0x01;
    let z = word(42);
    let input = [&versioned_hash[..], &z, &word(0), &infinity, &infinity].concat();
    let expected = [word(4_096), hex!("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001")].concat();
    assert_eq!(callers.check(POINT_EVALUATION, &input, Some(&expected)), 50_000);
    let wrong_value = [&versioned_hash[..], &z, &word(1), &infinity, &infinity].concat();
    callers.check(POINT_EVALUATION, &wrong_value, None);
}

#[test]
fn p256_verify_checks_secp256r1_signatures() {
    use p256::ecdsa::{signature::hazmat::PrehashSigner, Signature, SigningKey};
    let mut callers = Callers::new();
    let key = SigningKey::from_slice(&[9u8; 32]).unwrap();
    let hash = keccak256(b"keel");
    let signature: Signature = key.sign_prehash(hash.as_slice()).unwrap();
    let public = key.verifying_key().to_encoded_point(false);
    let input = [hash.as_slice(), &signature.to_bytes(), &public.as_bytes()[1..]].concat();
    assert_eq!(callers.check(P256_VERIFY, &input, Some(&word(1))), 3_450);
    let mut forged = input.clone();
    forged[0] ^= 1;
    // An invalid signature returns empty data (the call itself succeeds).
    assert_eq!(callers.check(P256_VERIFY, &forged, Some(&[])), 3_450);
}
