//! Solidity contracts on the devnet: deployment, calls, revert data,
//! CREATE2 from EVM code, and calls crossing into and out of Stylus frames.

mod common;

use alloy_primitives::{keccak256, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use common::solidity::{ISolidityToken as IToken, ITokenFactory};
use common::*;
use keel_devnet::{Chain, Tx};

fn funded_chain() -> Chain {
    let mut chain = Chain::new(CHAIN_ID);
    for who in [OWNER, ALICE, BOB] {
        chain.set_balance(who, ether(100));
    }
    chain
}

fn token_args(name: &str, symbol: &str) -> Vec<u8> {
    (name.to_string(), symbol.to_string()).abi_encode_params()
}

#[test]
fn a_solidity_erc20_deploys_runs_and_reverts_with_its_custom_error() {
    let mut chain = funded_chain();
    let token = deploy_solidity(&mut chain, OWNER, "SolidityToken", &token_args("Wrapped stETH", "wstETH"));
    assert_eq!(view(&mut chain, token, &IToken::nameCall {}), "Wrapped stETH");
    send_ok(&mut chain, OWNER, token, &IToken::mintCall { to: ALICE, value: ether(5) });

    let moved = send(&mut chain, ALICE, token, &IToken::transferCall { to: BOB, value: ether(2) });
    assert!(moved.status, "{}", moved.output);
    let event = IToken::Transfer::decode_log_data(&moved.logs[0].data).unwrap();
    assert_eq!((moved.logs[0].address, event.from, event.to, event.value), (token, ALICE, BOB, ether(2)));
    assert!((25_000..80_000).contains(&moved.gas_used), "an ERC-20 transfer costs EVM gas: {}", moved.gas_used);
    eprintln!("Solidity ERC-20 transfer: {} gas (receipt, incl. 21,000)", moved.gas_used);
    assert_eq!(view(&mut chain, token, &IToken::balanceOfCall { account: BOB }), ether(2));

    let refused = send(&mut chain, ALICE, token, &IToken::transferCall { to: BOB, value: ether(10) });
    assert!(!refused.status);
    let error = IToken::ERC20InsufficientBalance::abi_decode(&refused.output).unwrap();
    assert_eq!((error.sender, error.balance, error.needed), (ALICE, ether(3), ether(10)));
    let forbidden = send(&mut chain, ALICE, token, &IToken::mintCall { to: ALICE, value: ether(1) });
    assert_eq!(IToken::Unauthorized::abi_decode(&forbidden.output).unwrap().caller, ALICE);
}

#[test]
fn evm_code_creates_contracts_with_create2() {
    let mut chain = funded_chain();
    let factory = deploy_solidity(&mut chain, OWNER, "TokenFactory", &[]);
    let salt = B256::repeat_byte(7);
    let create = ITokenFactory::createCall { name_: "Restaked".into(), symbol_: "rTKN".into(), salt };
    let token = send_ok(&mut chain, OWNER, factory, &create);
    let init = [solidity::init_code("SolidityToken"), token_args("Restaked", "rTKN")].concat();
    assert_eq!(token, factory.create2(salt, keccak256(&init)));
    assert_eq!(view(&mut chain, token, &IToken::minterCall {}), factory);
    assert_eq!(view(&mut chain, token, &IToken::nameCall {}), "Restaked");
    assert_eq!(chain.nonce(factory), 2, "a contract's nonce starts at 1 and counts its creations");

    let again = send(&mut chain, OWNER, factory, &create);
    assert!(!again.status, "the same salt collides");
}

#[test]
fn stylus_calls_solidity_and_sees_its_revert_data() {
    let mut chain = funded_chain();
    let token = deploy_solidity(&mut chain, OWNER, "SolidityToken", &token_args("T", "T"));
    let proxy = install_wat(&mut chain, PROXY);
    let transfer = IToken::transferCall { to: BOB, value: ether(1) }.abi_encode();

    let refused = chain.transact(Tx::call(OWNER, proxy, via_proxy(1, token, &transfer))).unwrap();
    assert_ne!(refused.output[0], 0, "the call failed");
    let error = IToken::ERC20InsufficientBalance::abi_decode(&refused.output[1..]).unwrap();
    assert_eq!((error.sender, error.balance, error.needed), (proxy, U256::ZERO, ether(1)));

    send_ok(&mut chain, OWNER, token, &IToken::mintCall { to: proxy, value: ether(3) });
    let moved = chain.transact(Tx::call(OWNER, proxy, via_proxy(1, token, &transfer))).unwrap();
    assert_eq!(moved.output[0], 0);
    assert!(bool::abi_decode(&moved.output[1..]).unwrap());
    assert_eq!(view(&mut chain, token, &IToken::balanceOfCall { account: BOB }), ether(1));
    assert_eq!(moved.logs.len(), 1, "the EVM frame's log is kept");
}

#[test]
fn a_reverted_evm_frame_under_a_successful_stylus_frame_leaves_no_writes() {
    let mut chain = funded_chain();
    let token = deploy_solidity(&mut chain, OWNER, "SolidityToken", &token_args("T", "T"));
    let proxy = install_wat(&mut chain, PROXY);
    send_ok(&mut chain, OWNER, token, &IToken::mintCall { to: ALICE, value: ether(1) });
    send_ok(&mut chain, ALICE, token, &IToken::approveCall { spender: proxy, value: ether(5) });
    // transferFrom lowers the allowance, then finds the balance short and reverts.
    let pull = IToken::transferFromCall { from: ALICE, to: BOB, value: ether(2) }.abi_encode();
    let receipt = chain.transact(Tx::call(OWNER, proxy, via_proxy(1, token, &pull))).unwrap();
    assert!(receipt.status && receipt.output[0] != 0, "the outer Stylus frame succeeds, the EVM frame fails");
    assert!(receipt.logs.is_empty());
    assert_eq!(view(&mut chain, token, &IToken::allowanceCall { owner: ALICE, spender: proxy }), ether(5));
}

#[test]
fn msg_reentrant_sees_evm_frames() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let forwarder = install_evm(&mut chain, &EVM_FORWARDER);
    let ask_reentrant = [proxy.as_slice(), &[2]].concat();
    // Stylus proxy → EVM forwarder → proxy again: a re-entry.
    let nested = chain.call(Tx::call(OWNER, proxy, via_proxy(1, forwarder, &ask_reentrant))).unwrap();
    assert_eq!(nested.output.as_ref(), &[0, 1]);
    // EVM forwarder → proxy: the proxy's only frame.
    let direct = chain.call(Tx::call(OWNER, forwarder, ask_reentrant)).unwrap();
    assert_eq!(direct.output.as_ref(), &[0]);
}

#[test]
fn evm_passes_63_64ths_of_its_gas_to_stylus() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let forwarder = install_evm(&mut chain, &EVM_FORWARDER);
    let data = [proxy.as_slice(), &[3]].concat();
    let gas = 1_000_000;
    let receipt = chain.call(Tx::call(OWNER, forwarder, data.clone()).with_gas(gas)).unwrap();
    let seen = u64::from_le_bytes(receipt.output[..8].try_into().unwrap());
    let intrinsic = keel_devnet::gas::intrinsic_gas(&data);
    let available = gas - intrinsic;
    // The Stylus frame first pays its entry cost (not cached: init gas too).
    let entry = chain.program_entry_costs(proxy).unwrap().entry_gas(false);
    let cap = available - available / 64 - entry;
    assert!(seen < cap && seen > cap - 10_000, "the Stylus frame saw {seen} gas, the cap is {cap}");
    let used = receipt.gas_used - intrinsic - entry;
    assert!(used > 2_600 && used < 10_000, "the callee's unused gas comes back, what it used is charged: {used}");
}

/// Stores 7 in slot 0 of the account whose storage it runs on.
const WRITER: &str = r#"(module
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (memory (export "memory") 1)
    (func (export "user_entrypoint") (param i32) (result i32)
        (i32.store8 (i32.const 63) (i32.const 7))
        (call $cache (i32.const 0) (i32.const 32))
        (call $flush (i32.const 0))
        (i32.const 0)))"#;

#[test]
fn evm_delegatecall_and_callcode_run_stylus_code_on_the_evm_contracts_storage() {
    let mut chain = funded_chain();
    let writer = install_wat(&mut chain, WRITER);
    let (mut delegate, mut callcode) = (EVM_STATIC_FORWARDER, EVM_FORWARDER);
    assert_eq!((delegate[19], callcode[20]), (0xfa, 0xf1), "the call opcode's position in the forwarders");
    delegate[19] = 0xf4;
    callcode[20] = 0xf2;
    for code in [&delegate[..], &callcode[..]] {
        let forwarder = install_evm(&mut chain, code);
        let receipt = chain.transact(Tx::call(OWNER, forwarder, writer.to_vec())).unwrap();
        assert!(receipt.status, "{}", receipt.output);
        assert_eq!(chain.storage(forwarder, B256::ZERO), B256::with_last_byte(7));
    }
    assert_eq!(chain.storage(writer, B256::ZERO), B256::ZERO, "the Stylus program's own storage is untouched");
}

#[test]
fn value_moves_from_evm_into_stylus_and_comes_back_when_the_frame_reverts() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let rejecter = install_wat(
        &mut chain,
        r#"(module (memory (export "memory") 1) (func (export "user_entrypoint") (param i32) (result i32) (i32.const 1)))"#,
    );
    let mut payer = EVM_FORWARDER;
    assert_eq!(payer[13], 0x5f, "the forwarder's value push");
    payer[13] = 0x34; // CALLVALUE: forward the value received
    let forwarder = install_evm(&mut chain, &payer);

    let paid = chain.transact(Tx::call(OWNER, forwarder, [proxy.as_slice(), &[2]].concat()).with_value(U256::from(5))).unwrap();
    assert!(paid.status, "{}", paid.output);
    assert_eq!((chain.balance(proxy), chain.balance(forwarder)), (U256::from(5), U256::ZERO));

    let before = chain.balance(OWNER);
    let refused = chain.transact(Tx::call(OWNER, forwarder, rejecter.to_vec()).with_value(U256::from(7))).unwrap();
    assert!(!refused.status);
    assert_eq!((chain.balance(rejecter), chain.balance(forwarder)), (U256::ZERO, U256::ZERO));
    let fee = U256::from(refused.gas_used) * chain.base_fee();
    assert_eq!(chain.balance(OWNER), before - fee, "only the fee is spent");
}

#[test]
fn code_starting_with_0xef01_is_plain_bytecode_that_halts() {
    let mut chain = funded_chain();
    let odd = alloy_primitives::address!("00000000000000000000000000000000000ef01e");
    chain.set_code(odd, alloy_primitives::Bytes::from_static(&[0xef, 0x01, 0x00]));
    let direct = chain.transact(Tx::call(OWNER, odd, Vec::new())).unwrap();
    assert!(!direct.status && direct.output.is_empty(), "0xEF is an invalid opcode");
    let forwarder = install_evm(&mut chain, &EVM_FORWARDER);
    let nested = chain.transact(Tx::call(OWNER, forwarder, odd.to_vec())).unwrap();
    assert!(!nested.status, "the forwarder reverts when its callee halts");
}
