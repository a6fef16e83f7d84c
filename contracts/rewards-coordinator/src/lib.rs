//! Keel's RewardsCoordinator: AVSs pay operators and their stakers on-chain,
//! with no trusted updater.
//!
//! Rewards are per *pool*, an operator's stake in one strategy (token), in a
//! whitelisted reward token. An AVS names per-operator amounts
//! ([`RewardsCoordinator::submit_rewards`]); each is paid at once or streamed
//! linearly from an epoch-aligned start. The streams of a pool in one reward
//! token are aggregated into one rate plus rate changes keyed by epoch, and
//! settled lazily (see [`streams`]): O(1) per submission, and per settlement
//! O(boundaries passed), never O(stakers). The operator's commission (default
//! 10 %, changes take effect after [`COMMISSION_DELAY`]) is split off; the rest
//! accrues to the pool's stakers pro rata to their *scaled shares* through a
//! reward-per-share accumulator. A slash lowers every staker of a pool by the
//! same fraction, so it changes no one's share of the rewards.
//!
//! Call graph: the DelegationManager calls [`RewardsCoordinator::on_stake_change`]
//! after every change of a staker's scaled shares in a pool; the hook never
//! calls out. The coordinator calls reward tokens (pull, pay) and, on a
//! submission, the DelegationManager's `operatorDetails` view.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

pub mod errors;
mod streams;

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use errors::*;
use keel_components::{
    access::{Access, ZeroAddress},
    call_data,
    calls::view_or_revert,
    emit, revert,
    token::{balance_of, safe_transfer, safe_transfer_from},
    Revert,
};
use keel_math::{
    checkpoints::pack,
    mul_div,
    rewards::{ceil_to_epoch, payable, MAX_BPS},
    Rounding,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageVec},
};

/// Streams start and end on multiples of this many seconds (one hour).
pub const EPOCH: u64 = 3_600;
/// Longest stream: 365 days.
pub const MAX_DURATION: u64 = 365 * 86_400;
/// Latest start of a stream, counted from now: 365 days.
pub const MAX_START_LEAD: u64 = 365 * 86_400;
/// Largest total of one submission (2^112 wei), so that the accounting in
/// wad (wei × 1e18) and accumulators (× 1e36) cannot overflow.
pub const MAX_SUBMISSION: U256 = U256::from_limbs([u64::MAX, (1 << 48) - 1, 0, 0]);
/// Most reward tokens one pool carries (bounds the work of the stake hook).
pub const MAX_POOL_REWARD_TOKENS: usize = 8;
/// Commission of an operator that never set one: 10 %.
pub const DEFAULT_COMMISSION_BPS: u64 = 1_000;
/// A commission change takes effect at the first epoch boundary after 7 days.
pub const COMMISSION_DELAY: u64 = 7 * 86_400;
/// Pause flag of submissions.
pub const PAUSED_SUBMISSIONS: u8 = 0;
/// Pause flag of claims.
pub const PAUSED_CLAIMS: u8 = 1;

sol! {
    function operatorDetails(address account) external view returns (bool, address);
}

/// The aggregate of all streams of one pool in one reward token.
#[storage]
pub struct Stream {
    /// Rate in wad (wei × 1e18) per second after `last`.
    rate: StorageU256,
    /// Reward per scaled share (wad × 1e18), wrapping.
    acc: StorageU256,
    /// Time up to which the stream is settled (zero: never used).
    last: StorageU64,
    /// Latest scheduled rate change (time).
    end: StorageU64,
    /// Net rate change at each epoch (wrapping: starts add, ends subtract).
    deltas: StorageMap<u64, StorageU256>,
    /// Bitmap of epochs with a rate change, 256 epochs per word.
    marks: StorageMap<u64, StorageU256>,
}

/// One operator's stake in one strategy, as reported by the DelegationManager.
#[storage]
pub struct Pool {
    /// Σ scaled shares of the stakers.
    total: StorageU256,
    /// The reward tokens the pool was ever paid in (at most [`MAX_POOL_REWARD_TOKENS`]).
    tokens: StorageVec<StorageAddress>,
    streams: StorageMap<Address, Stream>,
    /// Each staker's scaled shares.
    scaled: StorageMap<Address, StorageU256>,
    /// Each staker's accumulator snapshot per reward token.
    snapshots: StorageMap<Address, StorageMap<Address, StorageU256>>,
}

/// Storage of the RewardsCoordinator.
#[storage]
pub struct RewardsCoordinator {
    access: Access,
    delegation_manager: StorageAddress,
    reward_tokens: StorageMap<Address, StorageBool>,
    pools: StorageMap<Address, StorageMap<Address, Pool>>,
    /// Per operator, packed (effective time, bps) checkpoints.
    commissions: StorageMap<Address, StorageVec<StorageU256>>,
    /// Settled rewards per earner and token, in wad.
    balances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    claimers: StorageMap<Address, StorageAddress>,
}

// SAFETY: `RewardsCoordinator` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for RewardsCoordinator {}

keel_components::contract_abi! {
    RewardsCoordinator: "IRewardsCoordinator", access: access,
        constructor(owner: Address, delegationManager: Address) => constructor;
    write setRewardToken(token: Address, whitelisted: bool) => set_reward_token;
    write submitRewards(operators: Vec<Address>, amounts: Vec<U256>, strategy: Address, rewardToken: Address, start: u64, duration: u64) -> (U256)
        => submit_rewards;
    write setOperatorCommission(bps: U256) => set_operator_commission;
    write setClaimer(claimer: Address) => set_claimer;
    write claim(earner: Address, operators: Vec<Address>, strategies: Vec<Address>, rewardTokens: Vec<Address>, recipient: Address) -> (Vec<U256>)
        => claim;
    write settle(operator: Address, strategy: Address, rewardToken: Address, maxBoundaries: u32) -> (bool) => settle;
    write onStakeChange(staker: Address, operator: Address, strategy: Address, scaledBefore: U256, scaledAfter: U256) => on_stake_change;
    view claimable(earner: Address, rewardToken: Address) -> (U256) => claimable;
    view pendingRewards(earner: Address, operator: Address, strategy: Address, rewardToken: Address) -> (U256) => pending_rewards;
    view rewardRate(operator: Address, strategy: Address, rewardToken: Address) -> (U256, U256, U256) => reward_rate;
    view operatorCommission(operator: Address) -> (U256, U256, U256) => operator_commission;
    view poolRewardTokens(operator: Address, strategy: Address) -> (Vec<Address>) => pool_reward_tokens;
    view isRewardToken(token: Address) -> (bool) => is_reward_token;
    view claimerFor(earner: Address) -> (Address) => claimer_for;
}

impl RewardsCoordinator {
    /// Sets the owner and the DelegationManager (the only hook caller).
    pub fn constructor(&mut self, owner: Address, delegation_manager: Address) -> Result<(), Revert> {
        self.access.init(owner)?;
        if delegation_manager.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.delegation_manager.set(delegation_manager);
        Ok(())
    }

    /// Owner whitelists `token` as a reward token, or delists it (no new
    /// submissions; what was submitted keeps streaming and stays claimable).
    pub fn set_reward_token(&mut self, token: Address, whitelisted: bool) -> Result<(), Revert> {
        self.access.only_owner()?;
        if token.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.reward_tokens.setter(token).set(whitelisted);
        emit!(self.vm(), RewardTokenSet; [token]; [whitelisted]);
        Ok(())
    }

    /// The caller (an AVS) pays `amounts[i]` of `reward_token` to the
    /// `strategy` pool of `operators[i]`: at once if `duration` is 0, else
    /// streamed linearly from `start` (now or later, epoch-aligned) over
    /// `duration` seconds (epoch-aligned, at most [`MAX_DURATION`]). Pulls
    /// the total once; if the token delivers less (fee on transfer), every
    /// amount shrinks pro rata. Returns the amount received.
    pub fn submit_rewards(
        &mut self,
        operators: Vec<Address>,
        amounts: Vec<U256>,
        strategy: Address,
        reward_token: Address,
        start: u64,
        duration: u64,
    ) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_SUBMISSIONS)?;
        self.access.enter()?;
        if !self.reward_tokens.get(reward_token) {
            return Err(revert!(RewardTokenNotWhitelisted { token: reward_token }));
        }
        if operators.len() != amounts.len() || operators.is_empty() {
            return Err(revert!(InputLengthMismatch {}));
        }
        let now = self.vm().block_timestamp();
        check_schedule(now, start, duration)?;
        let mut total = U256::ZERO;
        for amount in &amounts {
            if amount.is_zero() {
                return Err(revert!(ZeroAmount {}));
            }
            total = total.saturating_add(*amount);
        }
        if total > MAX_SUBMISSION {
            return Err(revert!(AmountTooLarge { amount: total, max: MAX_SUBMISSION }));
        }
        let dm = self.delegation_manager.get();
        for operator in &operators {
            if !view_or_revert::<bool>(self.vm(), dm, &call_data!(operatorDetailsCall; *operator))? {
                return Err(revert!(OperatorNotRegistered { operator: *operator }));
            }
        }
        let received = self.pull(reward_token, total)?;
        let avs = self.vm().msg_sender();
        for (operator, amount) in operators.into_iter().zip(amounts) {
            let amount = mul_div(amount, received, total, Rounding::Down).unwrap_or_default();
            self.fund(operator, strategy, reward_token, amount, start, duration)?;
            emit!(self.vm(), RewardsSubmitted; [avs, operator, strategy]; [reward_token, amount, U256::from(start), U256::from(duration)]);
        }
        self.access.exit();
        Ok(received)
    }

    /// The caller (an operator) sets its commission to `bps` (at most
    /// 10,000) from the first epoch boundary [`COMMISSION_DELAY`] from now.
    pub fn set_operator_commission(&mut self, bps: U256) -> Result<(), Revert> {
        if bps > U256::from(MAX_BPS) {
            return Err(revert!(CommissionAboveMax { bps, max: U256::from(MAX_BPS) }));
        }
        let operator = self.vm().msg_sender();
        let effective_at = ceil_to_epoch(self.vm().block_timestamp() + COMMISSION_DELAY, EPOCH);
        let word = pack(effective_at, bps).unwrap_or_default();
        let mut history = self.commissions.setter(operator);
        match history.len().checked_sub(1) {
            Some(i) if keel_math::checkpoints::unpack(history.get(i).unwrap_or_default()).0 == effective_at => {
                if let Some(mut slot) = history.setter(i) {
                    slot.set(word);
                }
            }
            _ => history.push(word),
        }
        emit!(self.vm(), CommissionSet; [operator]; [bps, U256::from(effective_at)]);
        Ok(())
    }

    /// The caller lets `claimer` claim its rewards (zero revokes).
    pub fn set_claimer(&mut self, claimer: Address) -> Result<(), Revert> {
        let earner = self.vm().msg_sender();
        self.claimers.setter(earner).set(claimer);
        emit!(self.vm(), ClaimerSet; [earner, claimer]; []);
        Ok(())
    }

    /// Settles `earner`'s position in each pool (`operators[i]`,
    /// `strategies[i]`) (stake and, for the pool's operator, commission),
    /// then pays its whole-wei balances of `reward_tokens` to `recipient`.
    /// Called by the earner or its claimer. Returns the amounts paid.
    pub fn claim(
        &mut self,
        earner: Address,
        operators: Vec<Address>,
        strategies: Vec<Address>,
        reward_tokens: Vec<Address>,
        recipient: Address,
    ) -> Result<Vec<U256>, Revert> {
        self.access.when_not_paused(PAUSED_CLAIMS)?;
        self.access.enter()?;
        let caller = self.vm().msg_sender();
        if caller != earner && (caller != self.claimers.get(earner) || caller.is_zero()) {
            return Err(revert!(NotClaimer { caller, earner }));
        }
        if operators.len() != strategies.len() {
            return Err(revert!(InputLengthMismatch {}));
        }
        if recipient.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        for (operator, strategy) in operators.iter().zip(&strategies) {
            self.settle_position(earner, *operator, *strategy);
        }
        let mut paid = Vec::with_capacity(reward_tokens.len());
        for token in &reward_tokens {
            let (amount, rest) = payable(self.balances.getter(earner).get(*token));
            if !amount.is_zero() {
                self.balances.setter(earner).setter(*token).set(rest);
            }
            paid.push(amount);
        }
        if paid.iter().all(|a| a.is_zero()) {
            return Err(revert!(NothingToClaim { earner }));
        }
        for (token, amount) in reward_tokens.iter().zip(&paid) {
            if amount.is_zero() {
                continue;
            }
            let context = Call::new_mutating(self);
            safe_transfer(self.vm(), context, *token, recipient, *amount).map_err(|_| revert!(TokenTransferFailed { token: *token }))?;
            emit!(self.vm(), RewardsClaimed; [earner, *token, recipient]; [*amount]);
        }
        self.access.exit();
        Ok(paid)
    }

    /// Anyone settles the `reward_token` stream of (`operator`, `strategy`)
    /// through at most `max_boundaries` rate changes (catch-up in chunks for
    /// a long-idle pool); returns whether it is settled up to now.
    pub fn settle(&mut self, operator: Address, strategy: Address, reward_token: Address, max_boundaries: u32) -> Result<bool, Revert> {
        let now = self.vm().block_timestamp();
        let progress = self.settle_stream(operator, strategy, reward_token, max_boundaries);
        emit!(self.vm(), StreamSettled; [operator, strategy, reward_token]; [U256::from(progress.last), progress.acc]);
        Ok(progress.last >= now)
    }

    /// DelegationManager only: `staker`'s scaled shares in (`operator`,
    /// `strategy`) became `scaled_after`. Settles the staker at its recorded
    /// stake in each of the pool's reward tokens (at most
    /// [`MAX_POOL_REWARD_TOKENS`]), then records the new stake. Never calls
    /// out and never reverts for the DelegationManager. The recorded stake,
    /// not `scaledBefore`, is what was earning.
    pub fn on_stake_change(&mut self, staker: Address, operator: Address, strategy: Address, _scaled_before: U256, scaled_after: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.delegation_manager.get() {
            return Err(revert!(UnauthorizedHookCaller { caller }));
        }
        self.settle_position(staker, operator, strategy);
        let mut pools = self.pools.setter(operator);
        let mut pool = pools.setter(strategy);
        let old = pool.scaled.get(staker);
        let total = pool.total.get().saturating_sub(old).saturating_add(scaled_after);
        pool.total.set(total);
        pool.scaled.setter(staker).set(scaled_after);
        emit!(self.vm(), StakeUpdated; [staker, operator, strategy]; [scaled_after, total]);
        Ok(())
    }

    // ----- views -----

    /// Whole wei of `reward_token` that `earner` can claim from settled
    /// rewards (add [`Self::pending_rewards`] of its pools for the rest).
    pub fn claimable(&self, earner: Address, reward_token: Address) -> U256 {
        payable(self.balances.getter(earner).get(reward_token)).0
    }

    /// Wei of `reward_token` `earner` has earned in (`operator`, `strategy`)
    /// but not yet settled: as a staker, and as the pool's operator.
    pub fn pending_rewards(&self, earner: Address, operator: Address, strategy: Address, reward_token: Address) -> U256 {
        payable(self.unsettled(earner, operator, strategy, reward_token)).0
    }

    /// APR inputs of (`operator`, `strategy`) in `reward_token`: the rate
    /// now (wei × 1e18 per second, before commission), the stakers' scaled
    /// shares and the commission in force (bps).
    pub fn reward_rate(&self, operator: Address, strategy: Address, reward_token: Address) -> (U256, U256, U256) {
        let now = self.vm().block_timestamp();
        let progress = self.advance(operator, strategy, reward_token, now, u32::MAX);
        let total = self.pools.getter(operator).getter(strategy).total.get();
        (progress.rate, total, U256::from(self.commission_at(operator, now).0))
    }

    /// `operator`'s commission now, its latest scheduled commission and when
    /// that takes effect (both bps; zero time if never set).
    pub fn operator_commission(&self, operator: Address) -> (U256, U256, U256) {
        let history = self.commissions.getter(operator);
        let now = self.commission_at(operator, self.vm().block_timestamp()).0;
        let latest = history.len().checked_sub(1).and_then(|i| history.get(i)).map(keel_math::checkpoints::unpack);
        let (at, bps) = latest.unwrap_or((0, U256::from(DEFAULT_COMMISSION_BPS)));
        (U256::from(now), bps, U256::from(at))
    }

    /// Reward tokens (`operator`, `strategy`) was ever paid in.
    pub fn pool_reward_tokens(&self, operator: Address, strategy: Address) -> Vec<Address> {
        let pools = self.pools.getter(operator);
        let tokens = &pools.getter(strategy).tokens;
        (0..tokens.len()).filter_map(|i| tokens.get(i)).collect()
    }

    /// Whether `token` may be submitted as a reward.
    pub fn is_reward_token(&self, token: Address) -> bool {
        self.reward_tokens.get(token)
    }

    /// The address allowed to claim for `earner` (zero: only the earner).
    pub fn claimer_for(&self, earner: Address) -> Address {
        self.claimers.get(earner)
    }
}

/// Checks a stream's schedule (nothing to check when paid at once).
fn check_schedule(now: u64, start: u64, duration: u64) -> Result<(), Revert> {
    if duration == 0 {
        return Ok(());
    }
    let (s, d) = (U256::from(start), U256::from(duration));
    if duration > MAX_DURATION {
        return Err(revert!(DurationTooLong { duration: d, max: U256::from(MAX_DURATION) }));
    }
    if !start.is_multiple_of(EPOCH) || !duration.is_multiple_of(EPOCH) {
        return Err(revert!(MisalignedEpoch { start: s, duration: d, epoch: U256::from(EPOCH) }));
    }
    if start < now {
        return Err(revert!(StartInPast { start: s, now: U256::from(now) }));
    }
    if start - now > MAX_START_LEAD {
        return Err(revert!(StartTooFar { start: s, latest: U256::from(now + MAX_START_LEAD) }));
    }
    Ok(())
}

impl RewardsCoordinator {
    /// Pulls `amount` of `token` from the caller; returns what arrived.
    fn pull(&mut self, token: Address, amount: U256) -> Result<U256, Revert> {
        let failed = |_| revert!(TokenTransferFailed { token });
        let (this, payer) = (self.vm().contract_address(), self.vm().msg_sender());
        let before = balance_of(self.vm(), token, this).map_err(failed)?;
        let context = Call::new_mutating(self);
        safe_transfer_from(self.vm(), context, token, payer, this, amount).map_err(failed)?;
        let received = balance_of(self.vm(), token, this).map_err(failed)?.saturating_sub(before).min(amount);
        if received.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        Ok(received)
    }
}
