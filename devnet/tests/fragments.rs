//! Multi-fragment Stylus contracts (ArbOS 60): deployment of fragments and
//! root, activation within the fragment limit, execution, and the refusals
//! nitro makes.

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use common::*;
use keel_devnet::precompiles::{ArbWasm, ARB_WASM};
use keel_devnet::{Chain, Receipt, Tx};

fn funded_chain() -> Chain {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, U256::from(10u64).pow(U256::from(24)));
    chain
}

/// Sends `activateProgram(program)` with ample value (the excess is refunded).
fn activate(chain: &mut Chain, program: Address) -> Receipt {
    let data = ArbWasm::activateProgramCall { program }.abi_encode();
    chain.transact(Tx::call(OWNER, ARB_WASM, data).with_value(U256::from(10u64).pow(U256::from(21)))).unwrap()
}

/// The fragments a root's code names.
fn fragments_of(chain: &Chain, root: Address) -> Vec<Address> {
    keel_wasm::parse_root(&chain.code(root)).unwrap().fragments.into_iter().map(Address::from).collect()
}

#[test]
fn a_module_above_24_kib_deploys_as_fragments_activates_and_runs() {
    let data = noise(40_000);
    let wasm = wat::parse_str(data_program_wat(&data)).unwrap();
    let mut chain = funded_chain();
    let root = chain.deploy_wasm(OWNER, &wasm).unwrap();

    let code = chain.code(root);
    assert_eq!(&code[..4], &[0xEF, 0xF0, 0x02, 0x00], "root prefix, no dictionary");
    assert_eq!(u32::from_be_bytes(code[4..8].try_into().unwrap()) as usize, wasm.len());
    let fragments = fragments_of(&chain, root);
    assert_eq!(fragments.len(), 2);
    for fragment in &fragments {
        let fragment_code = chain.code(*fragment);
        assert!(fragment_code.starts_with(&[0xEF, 0xF0, 0x01]) && fragment_code.len() <= 24_576);
    }

    let activation = activate(&mut chain, root);
    assert!(activation.status, "{}", activation.output);
    let called = chain.transact(Tx::call(OWNER, root, Vec::new())).unwrap();
    assert!(called.status);
    assert_eq!(called.output.as_ref(), &data[data.len() - 32..], "the last fragment's bytes reached the program");
}

#[test]
fn activation_pays_for_reading_each_fragment() {
    let wasm = wat::parse_str(data_program_wat(&noise(40_000))).unwrap();
    let mut chain = funded_chain();
    let root = chain.deploy_wasm(OWNER, &wasm).unwrap();
    // The same WASM as one (oversized) contract, installed directly: its
    // activation differs only by the fragment reads and the calldata.
    let single = Address::repeat_byte(0x5a);
    chain.set_code(single, keel_wasm::deployed_code(&wasm).into());
    let single_gas = activate(&mut chain, single).gas_used;
    let root_gas = activate(&mut chain, root).gas_used;
    let reads: u64 = fragments_of(&chain, root).iter().map(|f| 2_600 + 3 * chain.code(*f).len().div_ceil(32) as u64).sum();
    let calldata = |a: Address| a.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum::<u64>();
    assert_eq!(root_gas + calldata(single), single_gas + reads + calldata(root));
}

#[test]
fn activation_refuses_more_fragments_than_the_limit() {
    // ~60 kB compressed: three fragments, above ArbOS 60's default limit of 2.
    let wasm = wat::parse_str(data_program_wat(&noise(60_000))).unwrap();
    let mut chain = funded_chain();
    let root = chain.deploy_wasm(OWNER, &wasm).unwrap();
    assert_eq!(fragments_of(&chain, root).len(), 3);
    let refused = activate(&mut chain, root);
    assert!(!refused.status);
    assert!(refused.output.is_empty(), "nitro's plain error: a revert without data");
    let called = chain.transact(Tx::call(OWNER, root, Vec::new())).unwrap();
    assert_eq!(called.output.as_ref(), ArbWasm::ProgramNotActivated {}.abi_encode().as_slice());
}

#[test]
fn a_fragment_is_neither_activated_nor_run_as_a_program() {
    let wasm = wat::parse_str(data_program_wat(&noise(40_000))).unwrap();
    let mut chain = funded_chain();
    let root = chain.deploy_wasm(OWNER, &wasm).unwrap();
    let fragment = fragments_of(&chain, root)[0];
    let refused = activate(&mut chain, fragment);
    assert!(!refused.status);
    assert!(refused.output.is_empty(), "not ProgramNotWasm: nitro names it a fragment with a plain error");
    // Called, a fragment is EVM code whose first byte 0xEF is an invalid opcode: all gas is consumed.
    let called = chain.transact(Tx::call(OWNER, fragment, Vec::new()).with_gas(100_000)).unwrap();
    assert!(!called.status);
    assert_eq!(called.gas_used, 100_000);
}

#[test]
fn malformed_roots_are_refused_at_activation() {
    let wasm = wat::parse_str(data_program_wat(&noise(40_000))).unwrap();
    let mut chain = funded_chain();
    let good = chain.deploy_wasm(OWNER, &wasm).unwrap();
    let fragments: Vec<[u8; 20]> = fragments_of(&chain, good).into_iter().map(Address::into_array).collect();
    let single = chain.deploy_code(OWNER, &keel_wasm::deployed_code(&wat::parse_str(PROXY).unwrap())).unwrap();
    let roots = [
        keel_wasm::root_code(wasm.len() as u32 + 1, &fragments), // declared length off by one
        keel_wasm::root_code(wasm.len() as u32, &fragments[..1]), // a fragment missing
        keel_wasm::root_code(wasm.len() as u32, &[fragments[1], fragments[0]]), // out of order
        keel_wasm::root_code(wasm.len() as u32, &[fragments[0], single.into_array()]), // names a program
        keel_wasm::root_code(wasm.len() as u32, &[]),            // no fragment
        keel_wasm::root_code(200 * 1024, &fragments),            // above the 128 KiB WASM limit
    ];
    for (i, code) in roots.iter().enumerate() {
        let root = chain.deploy_code(OWNER, code).unwrap();
        let refused = activate(&mut chain, root);
        assert!(!refused.status && refused.output.is_empty(), "root {i} must be refused without data: {}", refused.output);
    }
}

#[test]
fn creation_accepts_stylus_components_and_refuses_other_0xef_code() {
    let mut chain = funded_chain();
    for code in [&[0xEF, 0xF0, 0x01, 0xAA][..], &[0xEF, 0xF0, 0x02, 0x00, 0, 0, 0, 0][..]] {
        assert!(chain.deploy_code(OWNER, code).is_ok(), "{code:02x?}");
    }
    for code in [&[0xEF, 0xF0, 0x03, 0xAA][..], &[0xEF, 0xF0, 0x01][..]] {
        assert!(chain.deploy_code(OWNER, code).is_err(), "{code:02x?} must be refused (EIP-3541)");
    }
}
