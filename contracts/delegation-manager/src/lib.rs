//! Keel's DelegationManager: operators, delegation, and the only way out.
//!
//! Stakers delegate all their strategy shares to one operator at a time.
//! Slashing is O(1) in the number of stakers: each (operator, token) pair is a
//! pool of *scaled shares* valued at the operator's magnitude (1e18 until
//! slashed, then only decreasing), and each staker carries a deposit scaling
//! factor; see [`keel_math::slashing`] for the accounting and its rounding.
//!
//! Withdrawals go through a queue. Queued shares leave the operator's pool as
//! scaled shares, so a slash during the delay still reaches them: the payout
//! uses the operator's magnitude at the end of the delay, and the slash burns
//! the queued scaled shares that are still inside their delay (tracked by a
//! cumulative checkpoint history keyed by each withdrawal's completion time,
//! O(log n) per slash). The owner may raise the withdrawal delay, never lower
//! it: completion times then never decrease, the history stays ordered, and a
//! slash burns exactly the withdrawals that will pay at the slashed magnitude,
//! whatever delay each was queued under.
//!
//! Call graph: DelegationManager → StrategyManager (share moves, payouts,
//! slashed shares); StrategyManager → DelegationManager only through the
//! deposit hook [`DelegationManager::increase_delegated_shares`], which never
//! calls back. The AVS registry calls [`DelegationManager::slash_operator_shares`].
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

pub mod errors;
mod pools;
mod rewards;
mod strategy_manager;

use alloc::{string::String, vec::Vec};
use alloy_primitives::{Address, Bytes, B256, U256};
use errors::*;
use keel_components::{
    access::{Access, Unauthorized, ZeroAddress},
    checkpoints::Checkpoints,
    emit,
    events::{emit_string, ToWord},
    revert,
    signature::is_signed_by,
    Revert,
};
use keel_math::{
    eip712::{delegation_approval_struct_hash, domain_separator, typed_data_digest},
    slashing::{queued_between, shares_at_magnitude, slashed_shares, unpack_pool, WAD},
};
use strategy_manager as sm;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU32, StorageU64},
};

/// Shortest withdrawal delay: the longest path from a slash request to its
/// execution in the AVS registry (2-day veto window + 1-day execution
/// window), so a withdrawal queued once a request is public is still in its
/// delay when the request executes. 7 days is the documented default.
pub const MIN_WITHDRAWAL_DELAY: u64 = 3 * 86_400;
/// Longest withdrawal delay (14 days, EigenLayer's): a bound an allocation
/// delay floor can be set against.
pub const MAX_WITHDRAWAL_DELAY: u64 = 14 * 86_400;
/// Pause flag of registration and delegation.
pub const PAUSED_DELEGATION: u8 = 0;
/// Pause flag of entering the withdrawal queue (queue, undelegate).
pub const PAUSED_ENTER_QUEUE: u8 = 1;
/// Pause flag of leaving the withdrawal queue.
pub const PAUSED_EXIT_QUEUE: u8 = 2;
/// EIP-712 domain name.
pub const DOMAIN_NAME: &str = "Keel DelegationManager";

/// One operator's stake in one token's strategy.
#[storage]
pub struct Pool {
    /// Σ scaled shares of the delegated stakers, and an upper bound on how
    /// many of them hold any, in one word (see [`keel_math::slashing::pack_pool`]).
    stake: StorageU256,
    /// Magnitude history (1e18 before the first slash).
    magnitudes: Checkpoints,
    /// Cumulative queue record keyed by completion time: `Σ scaled queued ×
    /// 2^32 + entries queued` (see [`keel_math::slashing::record_queued`]).
    queued: Checkpoints,
}

/// A staker's operator and withdrawal count and, for an operator, its
/// registration, in one word: a staker's first withdrawal writes no new
/// slot, registering as an operator writes one (with its self-delegation),
/// and delegating to an open operator reads one slot of it.
#[storage]
pub struct Staker {
    operator: StorageAddress,
    withdrawal_nonce: StorageU64,
    /// Registered as an operator.
    registered: StorageBool,
    /// As an operator: whether it has a delegation approver (in `approvers`).
    has_approver: StorageBool,
}

/// A queued withdrawal, packed so that queueing one token writes three
/// words: staker, completion time and pending flag share the first;
/// operator and entry count the second; each entry takes one (see [`QueuedEntry`]).
#[storage]
pub struct Withdrawal {
    staker: StorageAddress,
    completable_at: StorageU64,
    pending: StorageBool,
    operator: StorageAddress,
    count: StorageU32,
    entries: StorageMap<u32, QueuedEntry>,
}

/// One token of a queued withdrawal and its scaled shares, in one word
/// when they are below [`WIDE_SCALED`] (about 7.9e28: any real amount);
/// larger ones are kept in a second word, [`WIDE_SCALED`] in the first.
#[storage]
pub struct QueuedEntry {
    token: StorageAddress,
    scaled_low: StorageU64,
    scaled_high: StorageU32,
    wide: StorageU256,
}

/// Marks a queued entry whose scaled shares are in its second word: 2^96 − 1.
pub const WIDE_SCALED: U256 = U256::from_limbs([u64::MAX, 0xffff_ffff, 0, 0]);

impl QueuedEntry {
    /// The entry's scaled shares.
    fn scaled(&self) -> U256 {
        let scaled = U256::from_limbs([self.scaled_low.get().to(), self.scaled_high.get().to(), 0, 0]);
        if scaled == WIDE_SCALED {
            self.wide.get()
        } else {
            scaled
        }
    }

    /// Records `token` and its `scaled` shares.
    pub(crate) fn set(&mut self, token: Address, scaled: U256) {
        self.token.set(token);
        let narrow = scaled.min(WIDE_SCALED);
        let limbs = narrow.as_limbs();
        self.scaled_low.set(alloy_primitives::Uint::from(limbs[0]));
        self.scaled_high.set(alloy_primitives::Uint::from(limbs[1] as u32));
        if narrow == WIDE_SCALED {
            self.wide.set(scaled);
        }
    }
}

/// Storage of the DelegationManager.
#[storage]
pub struct DelegationManager {
    access: Access,
    strategy_manager: StorageAddress,
    slasher: StorageAddress,
    rewards_coordinator: StorageAddress,
    withdrawal_delay: StorageU256,
    /// Each operator's delegation approver, kept only while it has one.
    approvers: StorageMap<Address, StorageAddress>,
    stakers: StorageMap<Address, Staker>,
    pools: StorageMap<Address, StorageMap<Address, Pool>>,
    scaling_factors: StorageMap<Address, StorageMap<Address, StorageU256>>,
    spent_salts: StorageMap<Address, StorageMap<B256, StorageBool>>,
    withdrawals: StorageMap<B256, Withdrawal>,
}

// SAFETY: `DelegationManager` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for DelegationManager {}

keel_components::contract_abi! {
    DelegationManager: "IDelegationManager", access: access,
        constructor(owner: Address, strategyManager: Address, withdrawalDelay: U256) => constructor, batch: multicall,
        items: [errors::DelegationManagerAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi];
    write setWithdrawalDelay(delay: U256) => set_withdrawal_delay;
    write setSlasher(slasher: Address) => set_slasher;
    write setRewardsCoordinator(coordinator: Address) => set_rewards_coordinator;
    write registerAsOperator(delegationApprover: Address, metadataURI: String) => register_as_operator;
    write modifyOperatorDetails(delegationApprover: Address) => modify_operator_details;
    write updateOperatorMetadataURI(metadataURI: String) => update_operator_metadata_uri;
    write delegateTo(operator: Address, approverExpiry: U256, approverSignature: Bytes, approverSalt: B256) => delegate_to;
    write undelegate(staker: Address) -> (B256) => undelegate;
    write redelegate(newOperator: Address, approverExpiry: U256, approverSignature: Bytes, approverSalt: B256) -> (B256) => redelegate;
    write queueWithdrawal(tokens: Vec<Address>, depositShares: Vec<U256>) -> (B256) => queue_withdrawal;
    write completeQueuedWithdrawal(root: B256, receiveAsTokens: bool) => complete_queued_withdrawal;
    write increaseDelegatedShares(staker: Address, token: Address, prevDepositShares: U256, addedShares: U256) -> (bool) => increase_delegated_shares;
    write slashOperatorShares(operator: Address, token: Address, prevMagnitude: U256, newMagnitude: U256, recipient: Address, avs: Address) -> (U256)
        => slash_operator_shares;
    write poolRewarded(operator: Address, token: Address) => pool_rewarded;
    view operatorDetails(account: Address) -> (bool, Address) => operator_details;
    view delegatedTo(staker: Address) -> (Address) => delegated_to;
    view operatorStake(operator: Address, token: Address) -> (U256, U256) => operator_stake;
    view rewardStake(staker: Address, operator: Address, token: Address) -> (U256, U256) => reward_stake;
    view withdrawableShares(staker: Address, token: Address) -> (U256, U256) => withdrawable_shares;
    view stakePosition(staker: Address, token: Address) -> (Address, U256) => stake_position;
    view queuedWithdrawal(root: B256) -> (Address, Address, U256, bool, U256) => queued_withdrawal;
    view queuedWithdrawalEntry(root: B256, index: U256) -> (Address, U256, U256) => queued_withdrawal_entry;
    view withdrawalNonce(staker: Address) -> (U256) => withdrawal_nonce;
    view isSaltSpent(approver: Address, salt: B256) -> (bool) => is_salt_spent;
    view domainSeparator() -> (B256) => domain_separator;
    view config() -> (Address, Address, Address, U256) => config;
}

impl DelegationManager {
    /// Sets the owner, the StrategyManager and the withdrawal delay (seconds).
    pub fn constructor(&mut self, owner: Address, strategy_manager: Address, withdrawal_delay: U256) -> Result<(), Revert> {
        self.access.init(owner)?;
        if strategy_manager.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.strategy_manager.set(strategy_manager);
        self.apply_withdrawal_delay(withdrawal_delay)
    }

    // ----- owner configuration -----

    /// Owner raises the withdrawal delay (at most [`MAX_WITHDRAWAL_DELAY`]);
    /// it cannot be lowered (see the module doc).
    pub fn set_withdrawal_delay(&mut self, delay: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.apply_withdrawal_delay(delay)
    }

    /// Owner sets the slasher (the AVS registry), once.
    pub fn set_slasher(&mut self, slasher: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        set_once(&mut self.slasher, slasher)?;
        emit!(self.vm(), SlasherSet; [slasher]; []);
        Ok(())
    }

    /// Owner sets the rewards coordinator, once: from then on every change
    /// of a staker's delegated stake is reported to it (see [`rewards`]).
    pub fn set_rewards_coordinator(&mut self, coordinator: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        set_once(&mut self.rewards_coordinator, coordinator)?;
        emit!(self.vm(), RewardsCoordinatorSet; [coordinator]; []);
        Ok(())
    }

    // ----- operators -----

    /// Registers the caller as an operator, delegated to itself for good.
    pub fn register_as_operator(&mut self, delegation_approver: Address, metadata_uri: String) -> Result<(), Revert> {
        self.access.when_not_paused(PAUSED_DELEGATION)?;
        let operator = self.vm().msg_sender();
        let current = self.stakers.getter(operator).operator.get();
        if !current.is_zero() {
            return Err(revert!(AlreadyDelegated { staker: operator, operator: current }));
        }
        self.stakers.setter(operator).registered.set(true);
        self.set_approver(operator, delegation_approver);
        emit!(self.vm(), OperatorRegistered; [operator]; [delegation_approver]);
        self.emit_metadata_uri(operator, &metadata_uri);
        self.delegate(operator, operator)
    }

    /// An operator changes its delegation approver (zero: open to all).
    pub fn modify_operator_details(&mut self, delegation_approver: Address) -> Result<(), Revert> {
        let operator = self.registered_caller()?;
        self.set_approver(operator, delegation_approver);
        emit!(self.vm(), OperatorDetailsModified; [operator]; [delegation_approver]);
        Ok(())
    }

    /// An operator publishes new metadata (emitted only, not stored).
    pub fn update_operator_metadata_uri(&mut self, metadata_uri: String) -> Result<(), Revert> {
        let operator = self.registered_caller()?;
        self.emit_metadata_uri(operator, &metadata_uri);
        Ok(())
    }

    // ----- delegation -----

    /// Delegates all the caller's shares to `operator`. If the operator has an
    /// approver, `approver_signature` is its EIP-712 signature over (staker,
    /// operator, `approver_salt`, `approver_expiry`); each salt works once.
    pub fn delegate_to(
        &mut self,
        operator: Address,
        approver_expiry: U256,
        approver_signature: Bytes,
        approver_salt: B256,
    ) -> Result<(), Revert> {
        self.access.when_not_paused(PAUSED_DELEGATION)?;
        let staker = self.vm().msg_sender();
        let current = self.stakers.getter(staker).operator.get();
        if !current.is_zero() {
            return Err(revert!(AlreadyDelegated { staker, operator: current }));
        }
        if !self.stakers.getter(operator).registered.get() {
            return Err(revert!(OperatorNotRegistered { operator }));
        }
        self.check_approval(staker, operator, approver_expiry, &approver_signature, approver_salt)?;
        self.delegate(staker, operator)
    }

    /// Undelegates `staker` (called by the staker, its operator or the
    /// operator's approver), queueing all its shares; returns the withdrawal
    /// root (zero if it had none).
    pub fn undelegate(&mut self, staker: Address) -> Result<B256, Revert> {
        self.access.when_not_paused(PAUSED_ENTER_QUEUE)?;
        let operator = self.stakers.getter(staker).operator.get();
        if operator.is_zero() {
            return Err(revert!(NotDelegated { staker }));
        }
        if self.stakers.getter(staker).registered.get() {
            return Err(revert!(OperatorsCannotUndelegate { operator: staker }));
        }
        let caller = self.vm().msg_sender();
        if caller != staker && caller != operator && caller != self.approver(operator) {
            return Err(revert!(Unauthorized { caller }));
        }
        let tokens = sm::strategy_list(self.vm(), self.strategy_manager.get(), staker)?;
        let root = if tokens.is_empty() { B256::ZERO } else { self.queue(staker, operator, &tokens, None)? };
        self.stakers.setter(staker).operator.set(Address::ZERO);
        emit!(self.vm(), StakerUndelegated; [staker, operator]; []);
        Ok(root)
    }

    /// Undelegates the caller and delegates it to `new_operator`; its shares
    /// come back through the queue (complete the returned withdrawal as shares).
    pub fn redelegate(
        &mut self,
        new_operator: Address,
        approver_expiry: U256,
        approver_signature: Bytes,
        approver_salt: B256,
    ) -> Result<B256, Revert> {
        let staker = self.vm().msg_sender();
        let root = self.undelegate(staker)?;
        self.delegate_to(new_operator, approver_expiry, approver_signature, approver_salt)?;
        Ok(root)
    }

    // ----- withdrawal queue -----

    /// Queues a withdrawal of the caller's `deposit_shares` of each of
    /// `tokens`; returns its root. (One withdrawal per call: a struct-array
    /// batch costs more WASM than Stylus's size limit leaves room for.)
    pub fn queue_withdrawal(&mut self, tokens: Vec<Address>, deposit_shares: Vec<U256>) -> Result<B256, Revert> {
        self.access.when_not_paused(PAUSED_ENTER_QUEUE)?;
        if tokens.len() != deposit_shares.len() {
            return Err(revert!(InputLengthMismatch {}));
        }
        let staker = self.vm().msg_sender();
        let operator = self.stakers.getter(staker).operator.get();
        self.queue(staker, operator, &tokens, Some(&deposit_shares))
    }

    /// Completes the caller's queued withdrawal `root` after its delay: as
    /// tokens, or as shares re-delegated to the caller's current operator.
    /// Pays what the shares are worth at the end of the delay, so a slash
    /// during the delay is taken.
    pub fn complete_queued_withdrawal(&mut self, root: B256, receive_as_tokens: bool) -> Result<(), Revert> {
        self.access.when_not_paused(PAUSED_EXIT_QUEUE)?;
        self.access.enter()?;
        let w = self.withdrawals.getter(root);
        if !w.pending.get() {
            return Err(revert!(WithdrawalNotQueued { root }));
        }
        let (staker, operator, completable_at) = (w.staker.get(), w.operator.get(), U256::from(w.completable_at.get()));
        let caller = self.vm().msg_sender();
        if caller != staker {
            return Err(revert!(Unauthorized { caller }));
        }
        if U256::from(self.vm().block_timestamp()) < completable_at {
            return Err(revert!(WithdrawalDelayNotElapsed { completableAt: completable_at }));
        }
        let at: u64 = completable_at.to::<u64>().saturating_sub(1);
        let count = w.count.get().to::<u32>();
        let mut payouts = Vec::with_capacity(count as usize);
        for i in 0..count {
            let entry = w.entries.getter(i);
            let token = entry.token.get();
            payouts.push((token, self.shares_paid(operator, token, entry.scaled(), at)));
        }
        self.withdrawals.setter(root).pending.set(false);
        let manager = self.strategy_manager.get();
        let current_operator = if receive_as_tokens { Address::ZERO } else { self.stakers.getter(staker).operator.get() };
        for (token, shares) in &payouts {
            emit!(self.vm(), WithdrawalPaid; [root, *token]; [*shares]);
            if shares.is_zero() {
                continue;
            }
            if receive_as_tokens {
                let context = Call::new_mutating(self);
                sm::withdraw_as_tokens(self.vm(), context, manager, staker, *token, *shares)?;
            } else {
                let context = Call::new_mutating(self);
                let previous = sm::add_shares(self.vm(), context, manager, staker, *token, *shares)?;
                self.increase_delegation(current_operator, staker, *token, previous, *shares)?;
            }
        }
        emit!(self.vm(), WithdrawalCompleted; [root, staker]; [receive_as_tokens]);
        self.access.exit();
        Ok(())
    }

    // ----- protocol hooks -----

    /// StrategyManager hook: a deposit of `added_shares` by `staker`.
    /// Returns whether `staker` is delegated: the StrategyManager stops
    /// reporting the deposits of an undelegated staker until it delegates.
    pub fn increase_delegated_shares(
        &mut self,
        staker: Address,
        token: Address,
        prev_deposit_shares: U256,
        added_shares: U256,
    ) -> Result<bool, Revert> {
        self.access.only(self.strategy_manager.get())?;
        let operator = self.stakers.getter(staker).operator.get();
        self.increase_delegation(operator, staker, token, prev_deposit_shares, added_shares)?;
        Ok(!operator.is_zero())
    }

    /// Slasher (AVS registry) only: lowers `operator`'s magnitude for `token`
    /// from `prev_magnitude` to `new_magnitude`. Every delegated staker and
    /// every withdrawal still in its delay loses the same fraction, in O(1);
    /// the slashed shares are recorded for `recipient` (burn address or
    /// redistribution recipient) in the escrow record of `avs`, the AVS
    /// slashing. Returns the shares slashed.
    pub fn slash_operator_shares(
        &mut self,
        operator: Address,
        token: Address,
        prev_magnitude: U256,
        new_magnitude: U256,
        recipient: Address,
        avs: Address,
    ) -> Result<U256, Revert> {
        self.access.only(self.slasher.get())?;
        let now = self.vm().block_timestamp();
        let pools = self.pools.getter(operator);
        let pool = pools.getter(token);
        let current = pool.magnitudes.latest(WAD);
        if prev_magnitude != current || new_magnitude >= prev_magnitude {
            return Err(revert!(InvalidMagnitude { current, prevMagnitude: prev_magnitude, newMagnitude: new_magnitude }));
        }
        let (in_queue, entries) = queued_between(pool.queued.at(now, U256::ZERO), pool.queued.latest(U256::ZERO));
        let (holders, scaled) = unpack_pool(pool.stake.get());
        let operator_shares = slashed_shares(scaled, U256::from(holders), prev_magnitude, new_magnitude);
        let queued_shares = slashed_shares(in_queue, entries, prev_magnitude, new_magnitude);
        if !self.pools.setter(operator).setter(token).magnitudes.push(now, new_magnitude) {
            return Err(revert!(MathOverflow {}));
        }
        let total = operator_shares + queued_shares;
        if !total.is_zero() {
            let context = Call::new_mutating(self);
            sm::add_slashed_shares(self.vm(), context, self.strategy_manager.get(), token, (recipient, avs), total)?;
        }
        emit!(self.vm(), OperatorSlashed; [operator, token]; [prev_magnitude, new_magnitude, operator_shares, queued_shares, recipient]);
        Ok(total)
    }

    // ----- views -----

    /// Whether `account` is a registered operator, and its delegation approver.
    pub fn operator_details(&self, account: Address) -> (bool, Address) {
        (self.stakers.getter(account).registered.get(), self.approver(account))
    }

    /// The operator `staker` is delegated to, or zero.
    pub fn delegated_to(&self, staker: Address) -> Address {
        self.stakers.getter(staker).operator.get()
    }

    /// `operator`'s delegated shares of `token` after slashing, and its
    /// magnitude (slashing factor, 1e18 unslashed).
    pub fn operator_stake(&self, operator: Address, token: Address) -> (U256, U256) {
        let pools = self.pools.getter(operator);
        let pool = pools.getter(token);
        let magnitude = pool.magnitudes.latest(WAD);
        (shares_at_magnitude(unpack_pool(pool.stake.get()).1, magnitude), magnitude)
    }

    /// Shares of `token` `staker` could withdraw now (after slashing), and
    /// its deposit scaling factor.
    pub fn withdrawable_shares(&self, staker: Address, token: Address) -> Result<(U256, U256), Revert> {
        let deposit = sm::deposit_shares(self.vm(), self.strategy_manager.get(), staker, token)?;
        Ok((self.withdrawable(staker, token, deposit), self.scaling_factor(staker, token)))
    }

    /// The operator `staker` is delegated to (zero: none) and the shares of
    /// `token` it could withdraw now: one call for a staker that checks both
    /// (the LRT vault, in every flow).
    pub fn stake_position(&self, staker: Address, token: Address) -> Result<(Address, U256), Revert> {
        let deposit = sm::deposit_shares(self.vm(), self.strategy_manager.get(), staker, token)?;
        Ok((self.stakers.getter(staker).operator.get(), self.withdrawable(staker, token, deposit)))
    }

    /// A queued withdrawal: staker, operator at queueing, completable-at
    /// time, whether still pending, and how many tokens it holds.
    pub fn queued_withdrawal(&self, root: B256) -> (Address, Address, U256, bool, U256) {
        let w = self.withdrawals.getter(root);
        (w.staker.get(), w.operator.get(), U256::from(w.completable_at.get()), w.pending.get(), U256::from(w.count.get()))
    }

    /// Entry `index` of a queued withdrawal: the token, its scaled shares
    /// (worth `scaled × magnitude / 1e18` at completion), and the shares it
    /// pays if completed now: at the magnitude at the end of its delay once
    /// that is over (a later slash does not reach it), else at the current one.
    pub fn queued_withdrawal_entry(&self, root: B256, index: U256) -> (Address, U256, U256) {
        let w = self.withdrawals.getter(root);
        let (token, scaled) = match u32::try_from(index) {
            Ok(i) if U256::from(i) < U256::from(w.count.get()) => {
                let entry = w.entries.getter(i);
                (entry.token.get(), entry.scaled())
            }
            _ => return (Address::ZERO, U256::ZERO, U256::ZERO),
        };
        let at = self.vm().block_timestamp().min(U256::from(w.completable_at.get()).to::<u64>().saturating_sub(1));
        (token, scaled, self.shares_paid(w.operator.get(), token, scaled, at))
    }

    /// Shares `scaled` scaled shares of `token` queued from `operator` (zero:
    /// none) pay at `operator`'s magnitude at time `at`.
    fn shares_paid(&self, operator: Address, token: Address, scaled: U256, at: u64) -> U256 {
        let magnitude = if operator.is_zero() { WAD } else { self.pools.getter(operator).getter(token).magnitudes.at(at, WAD) };
        shares_at_magnitude(scaled, magnitude)
    }

    /// Number of withdrawals `staker` has queued (the next nonce); the root of
    /// withdrawal `n` is `keccak256(abi.encode(staker, n))`.
    pub fn withdrawal_nonce(&self, staker: Address) -> U256 {
        U256::from(self.stakers.getter(staker).withdrawal_nonce.get())
    }

    /// Whether `approver` already used `salt`.
    pub fn is_salt_spent(&self, approver: Address, salt: B256) -> bool {
        self.spent_salts.getter(approver).get(salt)
    }

    /// EIP-712 domain separator of delegation approvals.
    pub fn domain_separator(&self) -> B256 {
        domain_separator(DOMAIN_NAME, "1", self.vm().chain_id(), self.vm().contract_address())
    }

    /// The StrategyManager, the slasher (AVS registry), the rewards
    /// coordinator (each zero before it is set) and the withdrawal delay in seconds.
    pub fn config(&self) -> (Address, Address, Address, U256) {
        (self.strategy_manager.get(), self.slasher.get(), self.rewards_coordinator.get(), self.withdrawal_delay.get())
    }
}

/// Sets an address that can be set only once.
fn set_once(slot: &mut StorageAddress, value: Address) -> Result<(), Revert> {
    let current = slot.get();
    if !current.is_zero() {
        return Err(revert!(AlreadySet { current }));
    }
    if value.is_zero() {
        return Err(revert!(ZeroAddress {}));
    }
    slot.set(value);
    Ok(())
}

impl DelegationManager {
    /// Sets the withdrawal delay: at least the current one (a raise only) and
    /// [`MIN_WITHDRAWAL_DELAY`], at most [`MAX_WITHDRAWAL_DELAY`].
    fn apply_withdrawal_delay(&mut self, delay: U256) -> Result<(), Revert> {
        let (minimum, maximum) = (U256::from(MIN_WITHDRAWAL_DELAY).max(self.withdrawal_delay.get()), U256::from(MAX_WITHDRAWAL_DELAY));
        if delay < minimum || delay > maximum {
            return Err(revert!(DelayOutOfBounds { delay, minimum, maximum }));
        }
        self.withdrawal_delay.set(delay);
        emit!(self.vm(), WithdrawalDelaySet; []; [delay]);
        Ok(())
    }

    /// `operator`'s delegation approver (zero: open to all); its slot is read
    /// only if it has one.
    fn approver(&self, operator: Address) -> Address {
        if self.stakers.getter(operator).has_approver.get() {
            self.approvers.get(operator)
        } else {
            Address::ZERO
        }
    }

    /// Sets `operator`'s delegation approver; an open operator keeps no slot.
    fn set_approver(&mut self, operator: Address, approver: Address) {
        let had = self.stakers.getter(operator).has_approver.get();
        if had || !approver.is_zero() {
            self.approvers.setter(operator).set(approver);
        }
        self.stakers.setter(operator).has_approver.set(!approver.is_zero());
    }

    fn emit_metadata_uri(&self, operator: Address, uri: &str) {
        let signature = <OperatorMetadataURIUpdated as alloy_sol_types::SolEvent>::SIGNATURE_HASH;
        emit_string(self.vm(), signature, &[operator.to_word()], uri);
    }

    fn registered_caller(&self) -> Result<Address, Revert> {
        let operator = self.vm().msg_sender();
        if !self.stakers.getter(operator).registered.get() {
            return Err(revert!(OperatorNotRegistered { operator }));
        }
        Ok(operator)
    }

    fn check_approval(&mut self, staker: Address, operator: Address, expiry: U256, signature: &[u8], salt: B256) -> Result<(), Revert> {
        let approver = self.approver(operator);
        if approver.is_zero() || self.vm().msg_sender() == approver {
            return Ok(());
        }
        if U256::from(self.vm().block_timestamp()) > expiry {
            return Err(revert!(SignatureExpired { expiry }));
        }
        if self.spent_salts.getter(approver).get(salt) {
            return Err(revert!(SaltAlreadySpent { approver, salt }));
        }
        let digest = typed_data_digest(self.domain_separator(), delegation_approval_struct_hash(staker, operator, salt, expiry));
        if !is_signed_by(self.vm(), digest, approver, signature) {
            return Err(revert!(InvalidSignature { approver }));
        }
        self.spent_salts.setter(approver).setter(salt).set(true);
        Ok(())
    }
}
