//! Keel's RewardsCoordinator: AVSs pay operators and their stakers on-chain,
//! with no trusted updater.
//!
//! Rewards are per *pool*, an operator's stake in one strategy (token), in a
//! whitelisted reward token. An AVS names per-operator amounts
//! ([`RewardsCoordinator::submit_rewards`]); each is paid at once or streamed
//! linearly from an epoch-aligned start for at least [`MIN_DURATION`]: a
//! payment "at once" streams from now to the first epoch boundary a day
//! later, so stake that arrives just before it and leaves just after earns
//! only its share of that day (rewards pay the stake present while they
//! stream, never the past). A pool takes a new reward token only if its
//! operator accepted it ([`RewardsCoordinator::accept_reward_token`]), so no
//! stranger can fill a pool's [`MAX_POOL_REWARD_TOKENS`] slots. An AVS can
//! stop its own streams, and anyone can stop the streams of a pool whose
//! operator was slashed to nothing; the unstreamed remainder goes back to
//! the AVS ([`RewardsCoordinator::stop_stream`]). Amounts and balances are
//! *booked units* ([`BOOKED_PER_WEI`] per wei); a claim pays them pro rata
//! to what the coordinator holds of the token, so a rebase reaches every
//! claimer alike. The streams of a pool in one reward
//! token are aggregated into one rate plus rate changes keyed by epoch, and
//! settled lazily (see [`streams`]): O(1) per submission, and per settlement
//! O(boundaries passed), never O(stakers). The operator's commission (default
//! 10 %, changes take effect after [`COMMISSION_DELAY`]) is split off; the rest
//! accrues to the pool's stakers pro rata to their *scaled shares* through a
//! reward-per-share accumulator. A slash lowers every staker of a pool by the
//! same fraction, so it changes no one's share of the rewards.
//!
//! The coordinator keeps no copy of the pools' stake: the DelegationManager
//! passes a staker's and its pool's scaled shares (before the change) to the
//! hook, and the coordinator reads them from its `rewardStake` view where it
//! settles outside the hook (claims, submissions, stops, settlements, views).
//!
//! Call graph: once a pool has a reward token (the coordinator tells the
//! DelegationManager with `poolRewarded` when it lists the first), the
//! DelegationManager calls [`RewardsCoordinator::on_stake_change`] after
//! every change of a staker's scaled shares in it; the hook never calls out.
//! The coordinator calls reward tokens (pull, pay) and the DelegationManager
//! (`operatorDetails`, `rewardStake`, `operatorStake` views; `poolRewarded`).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

pub mod errors;
mod streams;

use alloc::vec::Vec;
use alloy_primitives::{keccak256, Address, B256, U256};
use errors::*;
use keel_components::{
    access::{Access, ZeroAddress},
    appointees::Appointees,
    call_data,
    calls::{call_failed, call_or_revert, revert_data, view_or_revert},
    emit, revert,
    token::{balance_of, safe_transfer, safe_transfer_from},
    Revert,
};
use keel_math::{
    checkpoints::pack,
    mul_div,
    rewards::{ceil_to_epoch, payable, stream_rate, MAX_BPS},
    Rounding,
};
use stylus_sdk::{
    call::static_call,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU64, StorageVec},
};

/// Streams start and end on multiples of this many seconds (one hour).
pub const EPOCH: u64 = 3_600;
/// Shortest stream: one day (a payment at once is spread over it).
pub const MIN_DURATION: u64 = 86_400;
/// Longest stream: 365 days.
pub const MAX_DURATION: u64 = 365 * 86_400;
/// Latest start of a stream, counted from now: 365 days.
pub const MAX_START_LEAD: u64 = 365 * 86_400;
/// Largest total of one submission, requested and booked (2^112 units, so
/// about 5·10^27 wei booked), so that the accounting in wad (units × 1e18)
/// and accumulators (× 1e36) cannot overflow.
pub const MAX_SUBMISSION: U256 = U256::from_limbs([u64::MAX, (1 << 48) - 1, 0, 0]);
/// Booked units per token wei, also the virtual offset of the booked total:
/// without a rebase every conversion is exact, and a donation to an empty
/// ledger (the inflation attack) moves a later submission by at most one
/// part in a million of what was donated against what it brings.
pub const BOOKED_PER_WEI: U256 = U256::from_limbs([1_000_000, 0, 0, 0]);
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

/// The DelegationManager's published interface (`make abi`), which the coordinator reads.
mod delegation_manager {
    alloy_sol_types::sol!("../../abi/DelegationManager.sol");
}
use delegation_manager::IDelegationManager::{operatorDetailsCall, operatorStakeCall, poolRewardedCall, rewardStakeCall};

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

/// One operator's pool in one strategy (its stake is the DelegationManager's).
#[storage]
pub struct Pool {
    /// The reward tokens the pool was ever paid in (at most [`MAX_POOL_REWARD_TOKENS`]).
    tokens: StorageVec<StorageAddress>,
    streams: StorageMap<Address, Stream>,
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
    /// Per operator, the reward tokens it accepts as new tokens of its pools.
    accepted: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// Per reward token, booked units not yet paid out (claims pay pro rata to what is held).
    owed: StorageMap<Address, StorageU256>,
    /// Number of streams ever created (the last stream's id).
    stream_count: StorageU256,
    /// Per live stream id, the hash of its terms (see [`stream_key`]).
    stream_keys: StorageMap<U256, StorageB256>,
    /// Who may call which `act` function for which operator.
    appointees: Appointees,
}

// SAFETY: `RewardsCoordinator` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for RewardsCoordinator {}

keel_components::contract_abi! {
    RewardsCoordinator: "IRewardsCoordinator", access: access,
        constructor(owner: Address, delegationManager: Address) => constructor, batch: multicall,
        appointees: appointees,
        items: [errors::RewardsCoordinatorAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi, keel_components::appointees::AppointeesAbi];
    write setRewardToken(token: Address, whitelisted: bool) => set_reward_token;
    write submitRewards(operators: Vec<Address>, amounts: Vec<U256>, strategy: Address, rewardToken: Address, start: u64, duration: u64) -> (U256)
        => submit_rewards;
    act acceptRewardToken(token: Address, accepted: bool) => accept_reward_token;
    write stopStream(id: U256, avs: Address, operator: Address, strategy: Address, rewardToken: Address, rate: U256, start: u64, end: u64) -> (U256)
        => stop_stream;
    act setOperatorCommission(bps: U256) => set_operator_commission;
    write setClaimer(claimer: Address) => set_claimer;
    write claim(earner: Address, operators: Vec<Address>, strategies: Vec<Address>, rewardTokens: Vec<Address>, recipient: Address) -> (Vec<U256>)
        => claim;
    write settle(operator: Address, strategy: Address, rewardToken: Address, maxBoundaries: u32) -> (bool) => settle;
    write onStakeChange(staker: Address, operator: Address, strategy: Address, scaledBefore: U256, poolBefore: U256) => on_stake_change;
    view claimable(earner: Address, rewardToken: Address) -> (U256) => claimable;
    view pendingRewards(earner: Address, operator: Address, strategy: Address, rewardToken: Address) -> (U256) => pending_rewards;
    view rewardRate(operator: Address, strategy: Address, rewardToken: Address) -> (U256, U256, U256) => reward_rate;
    view operatorCommission(operator: Address) -> (U256, U256, U256) => operator_commission;
    view poolRewardTokens(operator: Address, strategy: Address) -> (Vec<Address>) => pool_reward_tokens;
    view isRewardToken(token: Address) -> (bool) => is_reward_token;
    view isRewardTokenAccepted(operator: Address, token: Address) -> (bool) => is_reward_token_accepted;
    view rewardsOwed(token: Address) -> (U256) => rewards_owed;
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
    /// `strategy` pool of `operators[i]` (which must carry the token already
    /// or have accepted it), streamed linearly from `start` (now or later,
    /// epoch-aligned) over `duration` seconds (epoch-aligned, from
    /// [`MIN_DURATION`] to [`MAX_DURATION`]); `duration` 0 ("at once") streams
    /// from now to the first epoch boundary [`MIN_DURATION`] later. Each
    /// operator's stream gets an id (see the `RewardsSubmitted` event) for
    /// [`Self::stop_stream`]. Pulls the total once; if the token delivers less
    /// (fee on transfer), every amount shrinks pro rata. Returns the amount
    /// received.
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
        let (start, end) = stream_window(self.vm().block_timestamp(), start, duration)?;
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
        let (received, booked) = self.pull(reward_token, total)?;
        let avs = self.vm().msg_sender();
        for (operator, amount) in operators.into_iter().zip(amounts) {
            let amount = mul_div(amount, booked, total, Rounding::Down).unwrap_or_default();
            let rate = stream_rate(amount, end - start).unwrap_or_default();
            let id = self.fund(avs, operator, strategy, reward_token, rate, start, end)?;
            emit!(self.vm(), RewardsSubmitted; [avs, operator, strategy]; [reward_token, amount, id, rate, U256::from(start), U256::from(end)]);
        }
        self.access.exit();
        Ok(received)
    }

    /// An operator (the caller, or the operator its appointee acts for)
    /// accepts `token` as a new reward token of its pools, or stops
    /// accepting it (pools already paid in it keep it). Only accepted
    /// tokens take one of a pool's [`MAX_POOL_REWARD_TOKENS`] slots.
    pub fn accept_reward_token(&mut self, operator: Address, token: Address, accepted: bool) -> Result<(), Revert> {
        self.accepted.setter(operator).setter(token).set(accepted);
        emit!(self.vm(), RewardTokenAccepted; [operator, token]; [accepted]);
        Ok(())
    }

    /// Stops stream `id` (its terms as in its `RewardsSubmitted` event) now
    /// and refunds its unstreamed remainder to `avs`, which paid it. Called
    /// by that AVS, or by anyone once the stream's operator is slashed to
    /// nothing in the stream's strategy (its stakers' stake is worth
    /// nothing, so the AVS gets its money back). What streamed before stays
    /// earned. Returns the tokens refunded.
    #[allow(clippy::too_many_arguments)]
    pub fn stop_stream(
        &mut self,
        id: U256,
        avs: Address,
        operator: Address,
        strategy: Address,
        reward_token: Address,
        rate: U256,
        start: u64,
        end: u64,
    ) -> Result<U256, Revert> {
        self.access.enter()?;
        if self.stream_keys.get(id) != stream_key(avs, operator, strategy, reward_token, rate, start, end) || rate.is_zero() {
            return Err(revert!(UnknownStream { id }));
        }
        let now = self.vm().block_timestamp();
        if end <= now {
            return Err(revert!(StreamEnded { id, end: U256::from(end) }));
        }
        let caller = self.vm().msg_sender();
        if caller != avs && !self.slashed_to_nothing(operator, strategy)? {
            return Err(revert!(StreamNotStoppable { id, caller }));
        }
        self.stream_keys.setter(id).set(B256::ZERO);
        let total = self.stake(Address::ZERO, operator, strategy)?.1;
        let p = self.settle_stream(operator, strategy, reward_token, u32::MAX, total);
        let from = start.max(p.last);
        let mut pools = self.pools.setter(operator);
        let mut pool = pools.setter(strategy);
        let mut stream = pool.streams.setter(reward_token);
        if start <= p.last {
            stream.rate.set(p.rate.wrapping_sub(rate));
        } else {
            streams::schedule(&mut stream, start / EPOCH, U256::ZERO.wrapping_sub(rate));
        }
        streams::schedule(&mut stream, end / EPOCH, rate);
        let booked = payable(rate.saturating_mul(U256::from(end - from))).0;
        let refund = self.pay_out(reward_token, booked)?;
        emit!(self.vm(), StreamStopped; [id, avs, caller]; [refund]);
        if !refund.is_zero() {
            let context = Call::new_mutating(self);
            safe_transfer(self.vm(), context, reward_token, avs, refund)
                .map_err(|_| revert!(TokenTransferFailed { token: reward_token }))?;
        }
        self.access.exit();
        Ok(refund)
    }

    /// An operator (the caller, or the operator its appointee acts for)
    /// sets its commission to `bps` (at most 10,000) from the first epoch
    /// boundary [`COMMISSION_DELAY`] from now.
    pub fn set_operator_commission(&mut self, operator: Address, bps: U256) -> Result<(), Revert> {
        if bps > U256::from(MAX_BPS) {
            return Err(revert!(CommissionAboveMax { bps, max: U256::from(MAX_BPS) }));
        }
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
    /// then pays its whole booked-unit balances of `reward_tokens` to
    /// `recipient`, each pro rata to what the coordinator holds of the token
    /// against what it owes in it (1:1 unless the token rebased). Called by
    /// the earner or its claimer. Returns the amounts paid.
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
            let stake = self.stake(earner, *operator, *strategy)?;
            self.settle_position(earner, *operator, *strategy, stake);
        }
        let mut paid = Vec::with_capacity(reward_tokens.len());
        for token in &reward_tokens {
            let (booked, rest) = payable(self.balances.getter(earner).get(*token));
            if !booked.is_zero() {
                self.balances.setter(earner).setter(*token).set(rest);
            }
            paid.push(self.pay_out(*token, booked)?);
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
        let total = self.stake(Address::ZERO, operator, strategy)?.1;
        let progress = self.settle_stream(operator, strategy, reward_token, max_boundaries, total);
        emit!(self.vm(), StreamSettled; [operator, strategy, reward_token]; [U256::from(progress.last), progress.acc]);
        Ok(progress.last >= now)
    }

    /// DelegationManager only: `staker`'s scaled shares in (`operator`,
    /// `strategy`) changed from `scaled_before`, the pool's from
    /// `pool_before`. Settles the staker at that stake in each of the pool's
    /// reward tokens (at most [`MAX_POOL_REWARD_TOKENS`]). Never calls out
    /// and never reverts for the DelegationManager.
    pub fn on_stake_change(
        &mut self,
        staker: Address,
        operator: Address,
        strategy: Address,
        scaled_before: U256,
        pool_before: U256,
    ) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.delegation_manager.get() {
            return Err(revert!(UnauthorizedHookCaller { caller }));
        }
        self.settle_position(staker, operator, strategy, (scaled_before, pool_before));
        Ok(())
    }

    // ----- views -----

    /// Whole wei of `reward_token` that `earner` can claim from settled
    /// rewards (add [`Self::pending_rewards`] of its pools for the rest).
    pub fn claimable(&self, earner: Address, reward_token: Address) -> U256 {
        self.tokens_for(reward_token, payable(self.balances.getter(earner).get(reward_token)).0).unwrap_or_default()
    }

    /// Wei of `reward_token` `earner` has earned in (`operator`, `strategy`)
    /// but not yet settled: as a staker, and as the pool's operator.
    pub fn pending_rewards(&self, earner: Address, operator: Address, strategy: Address, reward_token: Address) -> Result<U256, Revert> {
        let stake = self.stake(earner, operator, strategy)?;
        let booked = payable(self.unsettled(earner, operator, strategy, reward_token, stake)).0;
        Ok(self.tokens_for(reward_token, booked).unwrap_or_default())
    }

    /// APR inputs of (`operator`, `strategy`) in `reward_token`: the rate
    /// now (booked units × 1e18 per second, before commission; see
    /// [`BOOKED_PER_WEI`]), the stakers' scaled
    /// shares and the commission in force (bps).
    pub fn reward_rate(&self, operator: Address, strategy: Address, reward_token: Address) -> Result<(U256, U256, U256), Revert> {
        let now = self.vm().block_timestamp();
        let total = self.stake(Address::ZERO, operator, strategy)?.1;
        let progress = self.advance(operator, strategy, reward_token, now, u32::MAX, total);
        Ok((progress.rate, total, U256::from(self.commission_at(operator, now).0)))
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

    /// Whether `operator` accepts `token` as a new reward token of its pools.
    pub fn is_reward_token_accepted(&self, operator: Address, token: Address) -> bool {
        self.accepted.getter(operator).get(token)
    }

    /// Booked units of `token` the coordinator owes (streamed or not, unpaid;
    /// [`BOOKED_PER_WEI`] per token wei until the token rebases).
    pub fn rewards_owed(&self, token: Address) -> U256 {
        self.owed.get(token)
    }

    /// The address allowed to claim for `earner` (zero: only the earner).
    pub fn claimer_for(&self, earner: Address) -> Address {
        self.claimers.get(earner)
    }
}

/// Checks a stream's schedule; returns its start and end (a payment at
/// once streams from `now` to the first epoch boundary a day later).
fn stream_window(now: u64, start: u64, duration: u64) -> Result<(u64, u64), Revert> {
    if duration == 0 {
        return Ok((now, ceil_to_epoch(now + MIN_DURATION, EPOCH)));
    }
    let (s, d) = (U256::from(start), U256::from(duration));
    if duration > MAX_DURATION {
        return Err(revert!(DurationTooLong { duration: d, max: U256::from(MAX_DURATION) }));
    }
    if duration < MIN_DURATION {
        return Err(revert!(DurationTooShort { duration: d, min: U256::from(MIN_DURATION) }));
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
    Ok((start, start + duration))
}

/// Hash of a stream's terms, kept per live stream id.
fn stream_key(avs: Address, operator: Address, strategy: Address, token: Address, rate: U256, start: u64, end: u64) -> B256 {
    let words = [
        avs.into_word(),
        operator.into_word(),
        strategy.into_word(),
        token.into_word(),
        rate.into(),
        U256::from(start).into(),
        U256::from(end).into(),
    ];
    keccak256(words.concat())
}

impl RewardsCoordinator {
    /// Whether the DelegationManager reports `operator`'s magnitude in `strategy` at zero.
    fn slashed_to_nothing(&self, operator: Address, strategy: Address) -> Result<bool, Revert> {
        Ok(self.dm_words(&call_data!(operatorStakeCall; operator, strategy))?.1.is_zero())
    }

    /// `staker`'s scaled shares in (`operator`, `strategy`) and the pool's,
    /// from the DelegationManager (zero `staker`: the pool's only).
    pub(crate) fn stake(&self, staker: Address, operator: Address, strategy: Address) -> Result<(U256, U256), Revert> {
        self.dm_words(&call_data!(rewardStakeCall; staker, operator, strategy))
    }

    /// Tells the DelegationManager that (`operator`, `strategy`) has a reward token.
    pub(crate) fn mark_rewarded(&mut self, operator: Address, strategy: Address) -> Result<(), Revert> {
        let dm = self.delegation_manager.get();
        let context = Call::new_mutating(self);
        call_or_revert(self.vm(), context, dm, &call_data!(poolRewardedCall; operator, strategy)).map(|_| ())
    }

    /// The first two words a DelegationManager view returns for `data`.
    fn dm_words(&self, data: &[u8]) -> Result<(U256, U256), Revert> {
        let dm = self.delegation_manager.get();
        let output = static_call(self.vm(), Call::new(), dm, data).map_err(|e| call_failed(dm, revert_data(e)))?;
        let word = |i: usize| output.get(i * 32..i * 32 + 32).map(U256::from_be_slice).ok_or_else(|| call_failed(dm, Vec::new()));
        Ok((word(0)?, word(1)?))
    }

    /// Pulls `amount` of `token` from the caller; returns what arrived and
    /// the booked units it is worth (pro rata to what was held against what
    /// was owed, so a rebase before it is not shared with it), now owed.
    fn pull(&mut self, token: Address, amount: U256) -> Result<(U256, U256), Revert> {
        let failed = |_| revert!(TokenTransferFailed { token });
        let (this, payer) = (self.vm().contract_address(), self.vm().msg_sender());
        let before = balance_of(self.vm(), token, this).map_err(failed)?;
        let context = Call::new_mutating(self);
        safe_transfer_from(self.vm(), context, token, payer, this, amount).map_err(failed)?;
        let received = balance_of(self.vm(), token, this).map_err(failed)?.saturating_sub(before).min(amount);
        let owed = self.owed.get(token);
        let booked = mul_div(received, owed + BOOKED_PER_WEI, before + U256::from(1u8), Rounding::Down).unwrap_or(U256::MAX);
        if booked > MAX_SUBMISSION {
            return Err(revert!(AmountTooLarge { amount: booked, max: MAX_SUBMISSION }));
        }
        if booked.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        self.owed.setter(token).set(owed + booked);
        Ok((received, booked))
    }

    /// Tokens that `booked` units of `token` are worth: pro rata to what the
    /// coordinator holds against what it owes (rounded down).
    fn tokens_for(&self, token: Address, booked: U256) -> Result<U256, Revert> {
        if booked.is_zero() {
            return Ok(U256::ZERO);
        }
        let held = balance_of(self.vm(), token, self.vm().contract_address()).map_err(|_| revert!(TokenTransferFailed { token }))?;
        let owed = self.owed.get(token);
        Ok(mul_div(booked, held + U256::from(1u8), owed + BOOKED_PER_WEI, Rounding::Down).unwrap_or_default().min(held))
    }

    /// Takes `booked` units of `token` off what is owed; returns the tokens to pay for them.
    fn pay_out(&mut self, token: Address, booked: U256) -> Result<U256, Revert> {
        let tokens = self.tokens_for(token, booked)?;
        let owed = self.owed.get(token);
        self.owed.setter(token).set(owed.saturating_sub(booked));
        Ok(tokens)
    }
}
