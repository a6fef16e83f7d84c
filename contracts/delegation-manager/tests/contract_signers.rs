//! Contract signers (EIP-1271) for every signature Keel checks: delegation
//! approvals, signed deposits and permits, with a one-owner wallet contract
//! standing in for a multisig. Keel believes only the magic value, and a
//! contract's approval is as single-use as a key's.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use k256::ecdsa::SigningKey;
use keel_delegation_manager::errors::{InvalidSignature, SaltAlreadySpent};
use keel_fixtures::*;
use keel_math::eip712::{delegation_approval_struct_hash, deposit_struct_hash, permit_struct_hash, typed_data_digest};
use keel_testhost::{router, ContractSigner, IContractSigner, Mode};

/// Where the wallet contract lives.
const WALLET: Address = address!("0000000000000000000000000000000000001271");

/// The wallet's owner key.
fn owner_key() -> SigningKey {
    SigningKey::from_slice(&[0x51; 32]).unwrap()
}

/// 65-byte `r ‖ s ‖ v` of `digest` by `key`.
fn sign(key: &SigningKey, digest: B256) -> Bytes {
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    bytes.into()
}

/// The fixtures' world plus [`WALLET`], owned by [`owner_key`], answering in `mode`.
fn world_with_wallet(mode: Mode) -> World {
    let world = setup();
    world.deploy(WALLET, router!(ContractSigner), OWNER, None).unwrap();
    let owner = Address::from_private_key(&owner_key());
    world.call(OWNER, WALLET, &IContractSigner::setModeCall { mode: mode as u8 }).unwrap();
    world.call(OWNER, WALLET, &IContractSigner::setOwnerCall { owner }).unwrap();
    world
}

/// Switches the wallet's answers (a multisig whose owners change their mind).
fn set_mode(world: &World, mode: Mode) {
    world.call(Address::from_private_key(&owner_key()), WALLET, &IContractSigner::setModeCall { mode: mode as u8 }).unwrap();
}

/// OPERATOR2, approved by [`WALLET`], and `staker`'s delegation carrying the
/// wallet owner's signature over the approval.
fn delegation(world: &World, staker: Address, salt: B256) -> IDM::delegateToCall {
    let expiry = U256::from(world.timestamp() + 600);
    let domain = world.call(OWNER, DM, &IDM::domainSeparatorCall {}).unwrap();
    let digest = typed_data_digest(domain, delegation_approval_struct_hash(staker, OPERATOR2, salt, expiry));
    IDM::delegateToCall { operator: OPERATOR2, approverExpiry: expiry, approverSignature: sign(&owner_key(), digest), approverSalt: salt }
}

#[test]
fn a_contract_approver_approves_delegations_once_per_salt() {
    let world = world_with_wallet(Mode::Owner);
    register(&world, OPERATOR2, WALLET);
    let salt = B256::repeat_byte(1);
    world.call(ALICE, DM, &delegation(&world, ALICE, salt)).unwrap();
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: ALICE }).unwrap(), OPERATOR2);
    assert!(world.call(OWNER, DM, &IDM::isSaltSpentCall { approver: WALLET, salt }).unwrap());

    let replay = world.expect_revert(BOB, DM, &delegation(&world, BOB, salt));
    assert_eq!(replay.decode::<SaltAlreadySpent>().unwrap().approver, WALLET);
    world.call(BOB, DM, &delegation(&world, BOB, B256::repeat_byte(2))).unwrap();
}

#[test]
fn a_contract_approver_that_answers_wrong_reverts_or_is_forged_is_refused() {
    let world = world_with_wallet(Mode::Owner);
    register(&world, OPERATOR2, WALLET);
    let salt = B256::repeat_byte(3);
    // A key that is not the wallet's owner signs the same approval.
    let mut forged = delegation(&world, ALICE, salt);
    let domain = world.call(OWNER, DM, &IDM::domainSeparatorCall {}).unwrap();
    let digest = typed_data_digest(domain, delegation_approval_struct_hash(ALICE, OPERATOR2, salt, forged.approverExpiry));
    forged.approverSignature = sign(&SigningKey::from_slice(&[0x52; 32]).unwrap(), digest);
    assert_eq!(world.expect_revert(ALICE, DM, &forged).decode::<InvalidSignature>().unwrap().approver, WALLET);

    for mode in [Mode::WrongValue, Mode::Reverts] {
        set_mode(&world, mode);
        let refused = world.expect_revert(ALICE, DM, &delegation(&world, ALICE, salt));
        assert_eq!(refused.decode::<InvalidSignature>().unwrap().approver, WALLET, "{mode:?}");
    }
    assert!(!world.call(OWNER, DM, &IDM::isSaltSpentCall { approver: WALLET, salt }).unwrap(), "a refusal spends nothing");
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: ALICE }).unwrap(), Address::ZERO);
}

/// `depositIntoStrategyWithSignature` for [`WALLET`] as staker, signed by the owner key.
fn signed_deposit(world: &World, amount: U256) -> ISM::depositIntoStrategyWithSignatureCall {
    let expiry = U256::from(world.timestamp() + 600);
    let nonce = world.call(OWNER, SM, &ISM::noncesCall { staker: WALLET }).unwrap();
    let domain = world.call(OWNER, SM, &ISM::domainSeparatorCall {}).unwrap();
    let digest = typed_data_digest(domain, deposit_struct_hash(WALLET, TOKEN, amount, nonce, expiry));
    ISM::depositIntoStrategyWithSignatureCall { staker: WALLET, token: TOKEN, amount, expiry, signature: sign(&owner_key(), digest) }
}

/// `staker`'s deposit shares.
fn shares(world: &World, staker: Address) -> U256 {
    world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).unwrap()
}

#[test]
fn a_contract_staker_signs_deposits_that_cannot_be_replayed() {
    let world = world_with_wallet(Mode::Owner);
    let call = signed_deposit(&world, ether(2));
    world.call(BOB, SM, &call).unwrap();
    assert_eq!(shares(&world, WALLET), ether(2));
    assert_eq!(world.call(OWNER, SM, &ISM::noncesCall { staker: WALLET }).unwrap(), U256::from(1));

    let replay = world.expect_revert(BOB, SM, &call);
    assert_eq!(replay.decode::<keel_strategy_manager::errors::InvalidSignature>().unwrap().staker, WALLET);
    world.call(BOB, SM, &signed_deposit(&world, ether(1))).unwrap();
    assert_eq!(shares(&world, WALLET), ether(3));
}

#[test]
fn a_contract_staker_that_changes_its_mind_refuses_a_signed_deposit() {
    let world = world_with_wallet(Mode::Owner);
    let call = signed_deposit(&world, ether(2));
    for mode in [Mode::WrongValue, Mode::Reverts] {
        set_mode(&world, mode);
        let refused = world.expect_revert(BOB, SM, &call);
        assert!(refused.is::<keel_strategy_manager::errors::InvalidSignature>(), "{mode:?}");
    }
    assert_eq!((shares(&world, WALLET), world.call(OWNER, SM, &ISM::noncesCall { staker: WALLET }).unwrap()), (U256::ZERO, U256::ZERO));
    set_mode(&world, Mode::Owner);
    world.call(BOB, SM, &call).unwrap();
}

#[test]
fn an_account_without_code_is_not_a_contract_signer() {
    // An EOA (no code) answers a static call with nothing: no magic value.
    let world = setup();
    let call = ISM::depositIntoStrategyWithSignatureCall {
        staker: CAROL,
        token: TOKEN,
        amount: ether(1),
        expiry: U256::from(world.timestamp() + 60),
        signature: Bytes::from(vec![0x16, 0x26, 0xba, 0x7e]),
    };
    assert!(world.expect_revert(BOB, SM, &call).is::<keel_strategy_manager::errors::InvalidSignature>());
}

#[test]
fn a_contract_owner_permits_by_eip1271_and_each_permit_works_once() {
    let world = world_with_wallet(Mode::Owner);
    let deadline = U256::from(world.timestamp() + 600);
    let domain = world.call(OWNER, TOKEN, &IToken::DOMAIN_SEPARATORCall {}).unwrap();
    let digest = typed_data_digest(domain, permit_struct_hash(WALLET, BOB, ether(5), U256::ZERO, deadline));
    let sig = sign(&owner_key(), digest);
    let (r, s, v) = (B256::from_slice(&sig[..32]), B256::from_slice(&sig[32..64]), sig[64]);
    let permit = IToken::permitCall { owner: WALLET, spender: BOB, value: ether(5), deadline, v, r, s };
    world.call(CAROL, TOKEN, &permit).unwrap();
    assert_eq!(world.call(OWNER, TOKEN, &IToken::allowanceCall { owner: WALLET, spender: BOB }).unwrap(), ether(5));
    assert!(world.expect_revert(CAROL, TOKEN, &permit).is::<keel_components::allowances::InvalidPermitSignature>());
}
