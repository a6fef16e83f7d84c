//! EIP-1271 on the devnet with the real WASM: a Solidity contract wallet
//! signs a deposit and a delegation approval, approves a digest on chain,
//! changes its mind, and cannot be replayed; and a wallet batches deposits
//! with `multicall`.

mod common;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{sol_data, SolCall, SolError};
use common::solidity::IContractWallet as IWallet;
use common::*;
use k256::ecdsa::SigningKey;
use keel_math::eip712::{delegation_approval_struct_hash, deposit_struct_hash, typed_data_digest};

/// The DelegationManager's published ABI.
mod dm {
    alloy_sol_types::sol!("../abi/DelegationManager.sol");
}
use dm::IDelegationManager as IDM;

const OPERATOR: Address = Address::repeat_byte(0xb1);

/// The wallet's owner key and its address.
fn owner() -> (SigningKey, Address) {
    let key = SigningKey::from_slice(&[0x61; 32]).unwrap();
    let address = Address::from_public_key(key.verifying_key());
    (key, address)
}

fn sign(key: &SigningKey, digest: B256) -> Bytes {
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    bytes.into()
}

/// The StrategyManager and token of [`Keel`] plus a [`IWallet`] owned by [`owner`].
fn keel_with_wallet() -> (Keel, Address) {
    let mut keel = Keel::new();
    let (_, owner) = owner();
    keel.chain.set_balance(owner, ether(1));
    let wallet = deploy_solidity(&mut keel.chain, OWNER, "ContractWallet", &owner.into_word().0);
    (keel, wallet)
}

/// A deposit of `amount` for `staker`, signed with `signature` (or by the owner key).
fn signed_deposit(
    keel: &mut Keel,
    staker: Address,
    amount: U256,
    signature: Option<Bytes>,
) -> (ISM::depositIntoStrategyWithSignatureCall, B256) {
    let (sm, token) = (keel.sm, keel.token);
    let domain = view(&mut keel.chain, sm, &ISM::domainSeparatorCall {});
    let nonce = view(&mut keel.chain, sm, &ISM::noncesCall { staker });
    let expiry = U256::from(keel.chain.timestamp() + 3_600);
    let digest = typed_data_digest(domain, deposit_struct_hash(staker, token, amount, nonce, expiry));
    let signature = signature.unwrap_or_else(|| sign(&owner().0, digest));
    (ISM::depositIntoStrategyWithSignatureCall { staker, token, amount, expiry, signature }, digest)
}

#[test]
fn a_solidity_wallet_signs_deposits_once_and_can_change_its_mind() {
    let (mut keel, wallet) = keel_with_wallet();
    let sm = keel.sm;
    let (call, _) = signed_deposit(&mut keel, wallet, ether(3), None);
    let receipt = send(&mut keel.chain, BOB, sm, &call);
    assert!(receipt.status, "wallet-signed deposit reverted with {}", receipt.output);
    assert_eq!(keel.shares(wallet), ether(3));
    let refused = sm::IStrategyManager::InvalidSignature::new((wallet,)).abi_encode();
    let replay = send(&mut keel.chain, BOB, sm, &call);
    assert_eq!(replay.output.as_ref(), refused.as_slice(), "the nonce moved on");

    // A digest approved on chain needs no signature bytes at all.
    let (call, digest) = signed_deposit(&mut keel, wallet, ether(2), Some(Bytes::new()));
    assert_eq!(send(&mut keel.chain, BOB, sm, &call).output.as_ref(), refused.as_slice());
    send_ok(&mut keel.chain, owner().1, wallet, &IWallet::approveHashCall { hash: digest });
    let approved = send(&mut keel.chain, BOB, sm, &call);
    assert!(approved.status, "approved digest reverted with {}", approved.output);
    assert_eq!(keel.shares(wallet), ether(5));

    // The wallet's owners change their mind: a signature made before is refused.
    let (call, _) = signed_deposit(&mut keel, wallet, ether(1), None);
    send_ok(&mut keel.chain, owner().1, wallet, &IWallet::setRefusingCall { refusing_: true });
    assert_eq!(send(&mut keel.chain, BOB, sm, &call).output.as_ref(), refused.as_slice());
    assert_eq!(keel.shares(wallet), ether(5));
}

#[test]
fn a_wallet_signed_deposit_costs_the_wallets_check_over_a_key_signed_one() {
    let (mut keel, wallet) = keel_with_wallet();
    let (_, eoa) = owner();
    let sm = keel.sm;
    // Warm both stakers' slots first so the two measured deposits write alike.
    for staker in [eoa, wallet] {
        let (call, _) = signed_deposit(&mut keel, staker, ether(1), None);
        assert!(send(&mut keel.chain, BOB, sm, &call).status);
    }
    let (by_key, _) = signed_deposit(&mut keel, eoa, ether(1), None);
    let (by_wallet, _) = signed_deposit(&mut keel, wallet, ether(1), None);
    let key_gas = send(&mut keel.chain, BOB, sm, &by_key).gas_used;
    let wallet_gas = send(&mut keel.chain, BOB, sm, &by_wallet).gas_used;
    eprintln!("signed deposit: key {key_gas} gas, contract wallet {wallet_gas} gas");
    assert!(wallet_gas > key_gas, "the wallet's check is an extra call");
    assert!(wallet_gas < key_gas + 20_000, "one failed ecrecover plus one static call: {wallet_gas} vs {key_gas}");
}

#[test]
fn a_solidity_wallet_approves_a_delegation_to_its_operator_once_per_salt() {
    let (mut keel, wallet) = keel_with_wallet();
    let sm = keel.sm;
    type DmArgs = (sol_data::Address, sol_data::Address, sol_data::Uint<256>);
    let ctor = constructor_calldata::<DmArgs>(&(OWNER, sm, U256::from(7 * 86_400)));
    let dm = deploy(&mut keel.chain, &contract_wasm("keel-delegation-manager"), ctor);
    send_ok(&mut keel.chain, OWNER, sm, &ISM::setDelegationManagerCall { delegationManager: dm });
    keel.chain.set_balance(OPERATOR, ether(1));
    send_ok(
        &mut keel.chain,
        OPERATOR,
        dm,
        &IDM::registerAsOperatorCall { delegationApprover: wallet, metadataURI: "https://keel.example/op.json".into() },
    );

    let domain = view(&mut keel.chain, dm, &IDM::domainSeparatorCall {});
    let expiry = U256::from(keel.chain.timestamp() + 600);
    let salt = B256::repeat_byte(5);
    let approval =
        |staker: Address| sign(&owner().0, typed_data_digest(domain, delegation_approval_struct_hash(staker, OPERATOR, salt, expiry)));
    let call = IDM::delegateToCall { operator: OPERATOR, approverExpiry: expiry, approverSignature: approval(ALICE), approverSalt: salt };
    let receipt = send(&mut keel.chain, ALICE, dm, &call);
    assert!(receipt.status, "delegation reverted with {}", receipt.output);
    assert_eq!(view(&mut keel.chain, dm, &IDM::delegatedToCall { staker: ALICE }), OPERATOR);

    let replay = IDM::delegateToCall { operator: OPERATOR, approverExpiry: expiry, approverSignature: approval(BOB), approverSalt: salt };
    let receipt = send(&mut keel.chain, BOB, dm, &replay);
    assert_eq!(receipt.output.as_ref(), dm::IDelegationManager::SaltAlreadySpent::new((wallet, salt)).abi_encode().as_slice());
}

#[test]
fn a_wallet_batches_deposits_with_multicall_and_a_failure_undoes_the_batch() {
    let mut keel = Keel::new();
    let (sm, token) = (keel.sm, keel.token);
    let deposit = |amount: u64| -> Bytes { ISM::depositIntoStrategyCall { token, amount: ether(amount) }.abi_encode().into() };
    let results = send_ok(&mut keel.chain, ALICE, sm, &ISM::multicallCall { data: vec![deposit(3), deposit(4)] });
    assert_eq!(results.len(), 2);
    assert_eq!(keel.shares(ALICE), ether(7));
    assert_eq!(keel.token_balance(ALICE), ether(993));

    let receipt = send(&mut keel.chain, ALICE, sm, &ISM::multicallCall { data: vec![deposit(1), deposit(5_000)] });
    assert!(!receipt.status);
    assert_eq!(keel.shares(ALICE), ether(7), "the first deposit of the failed batch is undone");
}
