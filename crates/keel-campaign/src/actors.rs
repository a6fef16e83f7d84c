//! The campaign's world: every contract deployed and wired (token,
//! StrategyManager, DelegationManager, AVS registry, RewardsCoordinator with
//! a reward token), six stakers (two of them operators), three AVSs, and the
//! keys that sign deposits and delegation approvals.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use k256::ecdsa::SigningKey;
use keel_fixtures::{registry::*, rewards::*, *};
use keel_math::eip712::{delegation_approval_struct_hash, deposit_struct_hash, typed_data_digest};

/// A staker who deposits by signature (its key is [`signer_key`]).
pub fn signer() -> Address {
    static SIGNER: std::sync::OnceLock<Address> = std::sync::OnceLock::new();
    *SIGNER.get_or_init(|| Address::from_private_key(&signer_key()))
}

/// The signing key of [`signer`].
pub fn signer_key() -> SigningKey {
    SigningKey::from_slice(&[0x42; 32]).expect("valid key")
}

/// The delegation approver of [`OPERATOR2`].
pub fn approver_key() -> SigningKey {
    SigningKey::from_slice(&[0x43; 32]).expect("valid key")
}

/// A second slasher an AVS may hand a condition to.
pub const ALT_SLASHER: Address = address!("00000000000000000000000000000000000000c2");

/// Everyone who deposits: four stakers, then the two operators.
pub fn depositors() -> [Address; 6] {
    [ALICE, BOB, CAROL, signer(), OPERATOR, OPERATOR2]
}

/// The operators.
pub const OPERATORS: [Address; 2] = [OPERATOR, OPERATOR2];
/// The AVSs (each also pays rewards).
pub const AVSS: [Address; 3] = [ORACLE, BRIDGE, DA];
/// Where slashed shares go: the registry's burn address and a redistribution recipient.
pub const RECIPIENTS: [Address; 2] = [keel_avs_registry::BURN_ADDRESS, VICTIMS];
/// The pausable contracts, in the order pause actions index them.
pub const PAUSABLE: [Address; 4] = [SM, DM, REGISTRY, RC];

/// Tokens each depositor starts with.
pub fn starting_balance() -> U256 {
    ether(1_000)
}

/// A fresh world: [`setup_with_registry`] plus the RewardsCoordinator,
/// [`OPERATOR2`] registered with an approver, every depositor funded with
/// [`starting_balance`] and ready.
pub fn world() -> World {
    let world = setup_with_registry();
    deploy_rewards(&world);
    let approver = Address::from_private_key(&approver_key());
    fund(&world, OPERATOR2, starting_balance());
    fund(&world, signer(), starting_balance());
    register(&world, OPERATOR2, approver);
    ready_operator(&world, OPERATOR2);
    world
}

/// A 65-byte (r, s, v) signature of `digest` by `key`.
pub fn sign(key: &SigningKey, digest: B256) -> Bytes {
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).expect("signing works");
    let mut bytes = sig.to_bytes().to_vec();
    bytes.push(27 + recid.to_byte());
    bytes.into()
}

/// [`signer`]'s signature of a deposit of `amount` at `nonce`, valid until `expiry`.
pub fn deposit_signature(world: &World, amount: U256, nonce: U256, expiry: U256) -> Bytes {
    let domain = world.call(OWNER, SM, &ISM::domainSeparatorCall {}).expect("view");
    sign(&signer_key(), typed_data_digest(domain, deposit_struct_hash(signer(), TOKEN, amount, nonce, expiry)))
}

/// [`OPERATOR2`]'s approver's signature letting `staker` delegate to it.
pub fn approval_signature(world: &World, staker: Address, salt: B256, expiry: U256) -> Bytes {
    let domain = world.call(OWNER, DM, &IDM::domainSeparatorCall {}).expect("view");
    sign(&approver_key(), typed_data_digest(domain, delegation_approval_struct_hash(staker, OPERATOR2, salt, expiry)))
}
