//! Keel's real StrategyManager and test token, compiled to WASM, on the devnet.

mod common;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use common::*;
use k256::ecdsa::SigningKey;
use keel_math::eip712::{deposit_struct_hash, typed_data_digest};
use std::time::Instant;

#[test]
fn deposit_mints_shares_moves_tokens_and_emits_deposit() {
    let mut keel = Keel::new();
    let started = Instant::now();
    let receipt = keel.deposit(ALICE, ether(100));
    let elapsed = started.elapsed();
    assert!(receipt.status, "deposit reverted with {}", receipt.output);
    eprintln!("depositIntoStrategy: {} gas, {:?}", receipt.gas_used, elapsed);

    let minted = ISM::depositIntoStrategyCall::abi_decode_returns(&receipt.output).unwrap();
    assert_eq!(keel.shares(ALICE), minted);
    assert!(!minted.is_zero());
    assert_eq!(keel.token_balance(ALICE), ether(900));
    assert_eq!(keel.token_balance(keel.sm), ether(100));

    let deposit = receipt
        .logs
        .iter()
        .find(|log| log.address == keel.sm && log.topics().first() == Some(&sm::IStrategyManager::Deposit::SIGNATURE_HASH))
        .expect("a Deposit event from the StrategyManager");
    let event = sm::IStrategyManager::Deposit::decode_log_data(&deposit.data).unwrap();
    assert_eq!((event.staker, event.token, event.amount, event.shares), (ALICE, keel.token, ether(100), minted));
    assert!(receipt.logs.iter().any(|log| log.address == keel.token), "the token's Transfer is logged too");
    assert!(receipt.gas_used > 21_000 && receipt.gas_used < 1_000_000, "gas used {}", receipt.gas_used);
}

#[test]
fn second_deposit_is_cheaper_than_the_first() {
    let mut keel = Keel::new();
    let first = keel.deposit(ALICE, ether(10));
    let started = Instant::now();
    let second = keel.deposit(ALICE, ether(10));
    let elapsed = started.elapsed();
    assert!(first.status && second.status);
    eprintln!("first deposit {} gas, repeat deposit {} gas in {elapsed:?}", first.gas_used, second.gas_used);
    assert!(second.gas_used < first.gas_used, "zero→non-zero SSTOREs make the first deposit dearer");

    const REPEATS: u32 = 20;
    let started = Instant::now();
    for _ in 0..REPEATS {
        assert!(keel.deposit(BOB, ether(1)).status);
    }
    eprintln!("mean of {REPEATS} deposits: {:?}", started.elapsed() / REPEATS);
}

#[test]
fn a_reverting_deposit_returns_the_custom_error_and_changes_nothing() {
    let mut keel = Keel::new();
    let nonce = keel.chain.nonce(ALICE);
    let receipt = keel.deposit(ALICE, U256::ZERO);
    assert!(!receipt.status);
    assert_eq!(receipt.output.as_ref(), sm::IStrategyManager::ZeroAmount {}.abi_encode().as_slice());
    assert!(receipt.logs.is_empty());
    assert_eq!(keel.shares(ALICE), U256::ZERO);
    assert_eq!(keel.token_balance(ALICE), ether(1_000));
    assert_eq!(keel.chain.nonce(ALICE), nonce + 1, "a reverted transaction still uses its nonce");

    let too_much = keel.deposit(ALICE, ether(1_001));
    assert!(!too_much.status, "the token's transferFrom fails, so the deposit reverts");
    assert_eq!(keel.token_balance(ALICE), ether(1_000));
    assert_eq!(keel.shares(ALICE), U256::ZERO);
}

#[test]
fn reentering_the_strategy_manager_through_a_transfer_hook_reverts() {
    let mut keel = Keel::new();
    let (sm, token) = (keel.sm, keel.token);
    let reenter = ISM::depositIntoStrategyCall { token, amount: ether(1) }.abi_encode();
    send_ok(&mut keel.chain, OWNER, token, &IToken::setTransferHookCall { target: sm, data: reenter.into() });

    let receipt = keel.deposit(ALICE, ether(5));
    assert!(!receipt.status, "the hook re-enters the StrategyManager");
    let expected = sm::IStrategyManager::TokenTransferFailed::new((token,)).abi_encode();
    assert_eq!(receipt.output.as_ref(), expected.as_slice(), "the token call failed because its hook was refused");
    assert!(receipt.logs.is_empty());
    assert_eq!(keel.shares(ALICE), U256::ZERO);
    assert_eq!(keel.token_balance(ALICE), ether(1_000));
    assert_eq!(keel.token_balance(sm), U256::ZERO);

    send_ok(&mut keel.chain, OWNER, token, &IToken::setTransferHookCall { target: BOB, data: vec![1].into() });
    assert!(keel.deposit(ALICE, ether(5)).status, "a hook that does not re-enter lets the deposit through");
    assert_eq!(keel.shares(ALICE), ether(5));
}

#[test]
fn only_the_owner_may_add_strategies() {
    let mut keel = Keel::new();
    let (sm, token) = (keel.sm, keel.token);
    let receipt = send(&mut keel.chain, ALICE, sm, &ISM::addStrategyCall { token: ALICE, cap: U256::MAX });
    assert!(!receipt.status);
    assert_eq!(receipt.output.as_ref(), sm::IStrategyManager::Unauthorized::new((ALICE,)).abi_encode().as_slice());
    let receipt = send(&mut keel.chain, OWNER, sm, &ISM::addStrategyCall { token, cap: U256::MAX });
    assert_eq!(receipt.output.as_ref(), sm::IStrategyManager::StrategyAlreadyExists::new((token,)).abi_encode().as_slice());
}

#[test]
fn a_signed_deposit_is_checked_through_the_ecrecover_precompile() {
    let mut keel = Keel::new();
    let key = SigningKey::from_slice(&[0x42; 32]).unwrap();
    let staker = Address::from_public_key(key.verifying_key());
    let (sm, token) = (keel.sm, keel.token);
    let domain = view(&mut keel.chain, sm, &ISM::domainSeparatorCall {});
    let expiry = U256::from(keel.chain.timestamp() + 3_600);
    let digest = typed_data_digest(domain, deposit_struct_hash(staker, token, ether(3), U256::ZERO, expiry));
    let (signature, recovery) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut signature = signature.to_bytes().to_vec();
    signature.push(27 + recovery.to_byte());
    let call = ISM::depositIntoStrategyWithSignatureCall { staker, token, amount: ether(3), expiry, signature: signature.into() };

    let receipt = send(&mut keel.chain, BOB, sm, &call);
    assert!(receipt.status, "signed deposit reverted with {}", receipt.output);
    assert_eq!(keel.shares(staker), ether(3));
    assert_eq!(keel.token_balance(BOB), ether(997), "the caller pays");

    let replay = send(&mut keel.chain, BOB, sm, &call);
    assert_eq!(replay.output.as_ref(), sm::IStrategyManager::InvalidSignature::new((staker,)).abi_encode().as_slice());
}

#[test]
fn restoring_a_snapshot_undoes_later_transactions() {
    let mut keel = Keel::new();
    let snapshot = keel.chain.snapshot();
    let block = keel.chain.block_number();
    assert!(keel.deposit(ALICE, ether(100)).status);
    keel.chain.advance_time(60);
    keel.chain.restore(snapshot);
    assert_eq!(keel.shares(ALICE), U256::ZERO);
    assert_eq!(keel.token_balance(ALICE), ether(1_000));
    assert_eq!(keel.chain.block_number(), block);
    assert!(keel.deposit(ALICE, ether(100)).status, "the restored chain keeps working");
}
