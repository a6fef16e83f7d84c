//! The campaign's world: every contract deployed and wired (token,
//! StrategyManager, DelegationManager, AVS registry, RewardsCoordinator with
//! a reward token, the LRT vault delegated to [`OPERATOR`]), six stakers (two
//! of them operators), a rogue operator, four LRT holders, three AVSs, and the keys that sign
//! deposits and delegation approvals.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use k256::ecdsa::SigningKey;
use keel_fixtures::{
    lrt::{vault_constructor, IAdmin, MANAGER, TREASURY},
    registry::*,
    rewards::*,
    *,
};
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

/// The key that owns [`APPROVER_WALLET`], so signs [`OPERATOR2`]'s delegation approvals.
pub fn approver_key() -> SigningKey {
    SigningKey::from_slice(&[0x43; 32]).expect("valid key")
}

/// [`OPERATOR2`]'s delegation approver: a contract wallet (EIP-1271) owned by
/// [`approver_key`], as an operator run by a multisig would have.
pub const APPROVER_WALLET: Address = address!("00000000000000000000000000000000000012a1");

/// A second slasher an AVS may hand a condition to.
pub const ALT_SLASHER: Address = address!("00000000000000000000000000000000000000c2");

/// Everyone who deposits: four stakers, then the two operators.
pub fn depositors() -> [Address; 6] {
    [ALICE, BOB, CAROL, signer(), OPERATOR, OPERATOR2]
}

/// Everyone staking in the strategy: the depositors and the LRT vault.
pub fn stakers() -> [Address; 7] {
    let d = depositors();
    [d[0], d[1], d[2], d[3], d[4], d[5], LRT]
}

/// An operator without an approver that the vault's manager may pick, and
/// that then slashes itself to nothing through an AVS of its own (issue 18
/// F1); it neither deposits nor is picked by the other actions.
pub const ROGUE: Address = address!("00000000000000000000000000000000000000b3");

/// The operators (the random actions pick among the first two).
pub const OPERATORS: [Address; 3] = [OPERATOR, OPERATOR2, ROGUE];
/// The AVSs (each also pays rewards).
pub const AVSS: [Address; 3] = [ORACLE, BRIDGE, DA];
/// Where slashed shares go: the registry's burn address and a redistribution recipient.
pub const RECIPIENTS: [Address; 2] = [keel_avs_registry::BURN_ADDRESS, VICTIMS];
/// The StrategyManager's slash escrow records the campaign can fill, as
/// (recipient, AVS key): burns share one record (key zero), redistributions
/// are kept per slashing AVS.
pub fn escrow_records() -> [(Address, Address); 4] {
    [(RECIPIENTS[0], Address::ZERO), (VICTIMS, AVSS[0]), (VICTIMS, AVSS[1]), (VICTIMS, AVSS[2])]
}
/// The pausable contracts, in the order pause actions index them.
pub const PAUSABLE: [Address; 4] = [SM, DM, REGISTRY, RC];

/// Where the campaign deploys the LRT vault (the fixtures' default address is the registry's).
pub const LRT: Address = address!("000000000000000000000000000000000000a000");
/// Where the campaign deploys the vault's admin extension.
pub const LRT_EXTENSION: Address = address!("000000000000000000000000000000000000a001");
/// An LRT holder who does not stake directly.
pub const DAVE: Address = address!("00000000000000000000000000000000000000a7");
/// An LRT holder who does not stake directly.
pub const ERIN: Address = address!("00000000000000000000000000000000000000a8");
/// Pays the strategy's rewards (the LST's yield, as tokens sent to the strategy).
pub const REWARDER: Address = address!("00000000000000000000000000000000000000a9");
/// Tokens the rewarder starts with.
pub const REWARDER_FUNDS: u64 = 1_000_000;
/// Performance fee of the vault (bps of its rate's rise above the high-water mark).
pub const LRT_PERFORMANCE_BPS: u64 = 1_000;
/// Instant-redemption fee of the vault (bps).
pub const LRT_INSTANT_BPS: u64 = 30;
/// The vault's reward vesting period (seconds).
pub const LRT_VESTING: u64 = 6 * 3_600;

/// Who holds LRT: two stakers who also stake directly, two who only hold
/// LRT, then the treasury (paid in LRT by the performance fee; it never
/// deposits, and the random actions never pick it).
pub const LRT_HOLDERS: [Address; 5] = [ALICE, CAROL, DAVE, ERIN, TREASURY];
/// The LRT holders who deposit (the first ones of [`LRT_HOLDERS`]).
pub const LRT_DEPOSITORS: usize = 4;

/// Everyone holding campaign tokens other than the depositors: the
/// slashed-share recipients, the StrategyManager, the vault, the LRT-only
/// holders, the treasury, the rewarder and the successor StrategyManager.
pub fn other_token_holders() -> [Address; 9] {
    [RECIPIENTS[0], RECIPIENTS[1], SM, LRT, DAVE, ERIN, TREASURY, REWARDER, strategies::SUCCESSOR]
}

/// Tokens each depositor starts with.
pub fn starting_balance() -> U256 {
    ether(1_000)
}

/// A fresh world: [`setup_with_registry`] plus the RewardsCoordinator,
/// [`OPERATOR2`] registered with a contract approver, every depositor funded with
/// [`starting_balance`] and ready, every operator's and AVS's hot key appointed.
pub fn world() -> World {
    let world = setup_with_registry();
    deploy_rewards(&world);
    keel_testhost::deploy_contract_signer(&world, APPROVER_WALLET, Address::from_private_key(&approver_key())).expect("wallet deploys");
    fund(&world, OPERATOR2, starting_balance());
    fund(&world, signer(), starting_balance());
    register(&world, OPERATOR2, APPROVER_WALLET);
    register(&world, ROGUE, Address::ZERO);
    ready_operators(&world, &[OPERATOR2, ROGUE]);
    crate::appointees::appoint_hot_keys(&world);
    deploy_lrt(&world);
    crate::reward_attacks::deploy_dust_tokens(&world);
    deploy_successor_deployment(&world);
    world
}

/// The successor deployment's DelegationManager (its StrategyManager is
/// [`strategies::SUCCESSOR`]).
pub const SUCCESSOR_DM: Address = address!("0000000000000000000000000000000000006001");

/// A successor deployment stakers may migrate to: a StrategyManager with the
/// token's strategy, named by [`SM`] and naming it, and a DelegationManager
/// (no slasher, no operators) through which migrated stakers leave.
fn deploy_successor_deployment(world: &World) {
    strategies::deploy_successor(world, TOKEN);
    deploy_delegation_manager(world, SUCCESSOR_DM, strategies::SUCCESSOR, DELAY).expect("successor DM deploys");
    world.call(OWNER, strategies::SUCCESSOR, &ISM::setDelegationManagerCall { delegationManager: SUCCESSOR_DM }).expect("wired");
}

/// Deploys the LRT vault at [`LRT`] (manager MANAGER, treasury TREASURY,
/// fees [`LRT_PERFORMANCE_BPS`] / [`LRT_INSTANT_BPS`], 300 tokens a day of
/// instant redemptions, rewards vesting over [`LRT_VESTING`]) delegated to
/// [`OPERATOR`]; funds DAVE, ERIN and the rewarder; every LRT depositor
/// approves the vault.
fn deploy_lrt(world: &World) {
    world.deploy(LRT_EXTENSION, keel_lrt_vault_admin::dispatch, OWNER, None).expect("extension deploys");
    world.deploy(LRT, keel_lrt_vault::dispatch, OWNER, Some(vault_constructor(LRT_EXTENSION))).expect("vault deploys");
    world.call(OWNER, LRT, &IAdmin::setManagerCall { manager: MANAGER }).expect("owner sets the manager");
    world.call(OWNER, LRT, &IAdmin::setTreasuryCall { treasury: TREASURY }).expect("owner sets the treasury");
    world.call(OWNER, LRT, &IAdmin::setRewardRecipientCall { recipient: TREASURY }).expect("owner sets the reward recipient");
    let fees = IAdmin::setFeesCall { performanceBps: U256::from(LRT_PERFORMANCE_BPS), instantBps: U256::from(LRT_INSTANT_BPS) };
    world.call(OWNER, LRT, &fees).expect("fees under the caps");
    let limits = IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(300), vestingPeriod: U256::from(LRT_VESTING) };
    world.call(OWNER, LRT, &limits).expect("limits are valid");
    world.call(MANAGER, LRT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).expect("OPERATOR takes the vault's delegation");
    for who in [DAVE, ERIN] {
        fund(world, who, starting_balance());
    }
    fund(world, REWARDER, ether(REWARDER_FUNDS));
    for who in &LRT_HOLDERS[..LRT_DEPOSITORS] {
        world.call(*who, TOKEN, &IToken::approveCall { spender: LRT, value: U256::MAX }).expect("approve");
    }
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

/// [`OPERATOR2`]'s approver's signature letting `staker` delegate to it (its
/// wallet's owner key signs; the DelegationManager asks the wallet).
pub fn approval_signature(world: &World, staker: Address, salt: B256, expiry: U256) -> Bytes {
    let domain = world.call(OWNER, DM, &IDM::domainSeparatorCall {}).expect("view");
    sign(&approver_key(), typed_data_digest(domain, delegation_approval_struct_hash(staker, OPERATOR2, salt, expiry)))
}
