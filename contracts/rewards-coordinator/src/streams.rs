//! Lazy settlement of reward streams and staker positions.
//!
//! A stream (one pool, one reward token) stores its current rate, its
//! accumulator and the time `last` it is settled to. Submissions schedule
//! rate changes at epoch boundaries (a wrapping net delta per epoch, and a
//! bitmap of the epochs that have one, 256 epochs per word). Settling walks
//! from `last` to now: one bitmap word per 256 elapsed epochs (never past the
//! stream's last scheduled change, which is at most two years ahead, so at
//! most 69 words) and one delta per boundary passed. Each segment is split where the operator's commission
//! changes; the commission goes to the operator's balance, the rest raises
//! the accumulator by `stakers × 1e18 / total scaled` (or, if the pool has
//! no stake, goes to the operator too). Nothing here loops over stakers.

use crate::{errors::*, stream_key, RewardsCoordinator, Stream, DEFAULT_COMMISSION_BPS, EPOCH, MAX_POOL_REWARD_TOKENS};
use alloy_primitives::{Address, U256};
use keel_components::{emit, revert, Revert};
use keel_math::rewards::{accumulator_increment, earned, next_set_bit, split_commission, streamed, value_and_next};
use stylus_sdk::prelude::*;

/// A stream advanced in memory.
#[derive(Clone, Copy)]
pub(crate) struct Progress {
    /// Rate after `last` (wad per second).
    pub rate: U256,
    /// Accumulator at `last`.
    pub acc: U256,
    /// Settled-to time.
    pub last: u64,
    /// Commission (and stake-less rewards) for the operator while advancing, in wad.
    pub commission: U256,
}

/// First epoch with a rate change strictly after `after` and at or before `until` (times).
fn next_boundary(stream: &Stream, after: u64, until: u64) -> Option<u64> {
    let (mut epoch, last_epoch) = (after / EPOCH + 1, until / EPOCH);
    while epoch <= last_epoch {
        let word = epoch / 256;
        if let Some(bit) = next_set_bit(stream.marks.get(word), (epoch % 256) as usize) {
            let found = word * 256 + bit as u64;
            return (found <= last_epoch).then_some(found);
        }
        epoch = (word + 1) * 256;
    }
    None
}

impl RewardsCoordinator {
    /// `operator`'s commission (bps) in force at `t` and the time of its next change.
    pub(crate) fn commission_at(&self, operator: Address, t: u64) -> (u64, Option<u64>) {
        let history = self.commissions.getter(operator);
        let (bps, next) = value_and_next(history.len(), |i| history.get(i).unwrap_or_default(), t, U256::from(DEFAULT_COMMISSION_BPS));
        (bps.to::<u64>(), next)
    }

    /// The `token` stream of (`operator`, `strategy`), whose stakers hold
    /// `total` scaled shares, advanced to `to` through at most
    /// `max_boundaries` rate changes; writes nothing.
    pub(crate) fn advance(
        &self,
        operator: Address,
        strategy: Address,
        token: Address,
        to: u64,
        max_boundaries: u32,
        total: U256,
    ) -> Progress {
        let pools = self.pools.getter(operator);
        let pool = pools.getter(strategy);
        let stream = pool.streams.getter(token);
        let last = stream.last.get().to::<u64>();
        let mut p =
            Progress { rate: stream.rate.get(), acc: stream.acc.get(), last: if last == 0 { to } else { last }, commission: U256::ZERO };
        let end = stream.end.get().to::<u64>();
        let mut steps = 0;
        while p.last < to && steps < max_boundaries {
            let boundary = next_boundary(&stream, p.last, to.min(end));
            self.accrue(&mut p, operator, total, boundary.map_or(to, |e| e * EPOCH));
            if let Some(epoch) = boundary {
                p.rate = p.rate.wrapping_add(stream.deltas.get(epoch));
                steps += 1;
            }
        }
        p
    }

    /// Accrues `p`'s rate from `p.last` to `until`, split where the commission changes.
    fn accrue(&self, p: &mut Progress, operator: Address, total: U256, until: u64) {
        while p.last < until {
            if p.rate.is_zero() {
                p.last = until;
                return;
            }
            let (bps, next) = self.commission_at(operator, p.last);
            let stop = next.filter(|t| *t < until).unwrap_or(until);
            distribute(p, streamed(p.rate, stop - p.last), bps, total);
            p.last = stop;
        }
    }

    /// Settles the `token` stream of (`operator`, `strategy`), whose stakers
    /// hold `total` scaled shares, up to now (through at most
    /// `max_boundaries` rate changes) and credits the operator's commission.
    pub(crate) fn settle_stream(
        &mut self,
        operator: Address,
        strategy: Address,
        token: Address,
        max_boundaries: u32,
        total: U256,
    ) -> Progress {
        let now = self.vm().block_timestamp();
        let p = self.advance(operator, strategy, token, now, max_boundaries, total);
        let mut pools = self.pools.setter(operator);
        let mut pool = pools.setter(strategy);
        let mut stream = pool.streams.setter(token);
        if stream.rate.get() != p.rate {
            stream.rate.set(p.rate);
        }
        stream.acc.set(p.acc);
        stream.last.set(alloy_primitives::Uint::from(p.last));
        self.credit(operator, operator, strategy, token, p.commission);
        p
    }

    /// Settles `staker`'s rewards in every reward token of (`operator`,
    /// `strategy`) at its `stake`: (its scaled shares, the pool's) since its
    /// last settlement.
    pub(crate) fn settle_position(&mut self, staker: Address, operator: Address, strategy: Address, stake: (U256, U256)) {
        let (scaled, total) = stake;
        let count = self.pools.getter(operator).getter(strategy).tokens.len();
        for i in 0..count {
            let token = self.pools.getter(operator).getter(strategy).tokens.get(i).unwrap_or_default();
            let p = self.settle_stream(operator, strategy, token, u32::MAX, total);
            let mut pools = self.pools.setter(operator);
            let mut pool = pools.setter(strategy);
            let mut snapshots = pool.snapshots.setter(staker);
            let snapshot = snapshots.get(token);
            if snapshot != p.acc {
                snapshots.setter(token).set(p.acc);
                self.credit(staker, operator, strategy, token, earned(scaled, p.acc, snapshot));
            }
        }
    }

    /// Wad of `token` `earner` earned in (`operator`, `strategy`) at its
    /// `stake` (its scaled shares, the pool's) and not yet settled.
    pub(crate) fn unsettled(&self, earner: Address, operator: Address, strategy: Address, token: Address, stake: (U256, U256)) -> U256 {
        let p = self.advance(operator, strategy, token, self.vm().block_timestamp(), u32::MAX, stake.1);
        let pools = self.pools.getter(operator);
        let pool = pools.getter(strategy);
        let staked = earned(stake.0, p.acc, pool.snapshots.getter(earner).get(token));
        if earner == operator {
            staked.saturating_add(p.commission)
        } else {
            staked
        }
    }

    /// Adds `wad` to `earner`'s balance of `token`.
    fn credit(&mut self, earner: Address, operator: Address, strategy: Address, token: Address, wad: U256) {
        if wad.is_zero() {
            return;
        }
        let balance = self.balances.getter(earner).get(token);
        self.balances.setter(earner).setter(token).set(balance.saturating_add(wad));
        emit!(self.vm(), RewardsAccrued; [earner, operator, strategy]; [token, wad]);
    }

    /// Adds `avs`'s stream of `rate` from `start` (now or a later epoch
    /// boundary) to `end` (an epoch boundary) to (`operator`, `strategy`) in
    /// `token`; returns its id, under which the hash of its terms is kept.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn fund(
        &mut self,
        avs: Address,
        operator: Address,
        strategy: Address,
        token: Address,
        rate: U256,
        start: u64,
        end: u64,
    ) -> Result<U256, Revert> {
        self.add_pool_token(operator, strategy, token)?;
        let total = self.stake(Address::ZERO, operator, strategy)?.1;
        let p = self.settle_stream(operator, strategy, token, u32::MAX, total);
        let mut pools = self.pools.setter(operator);
        let mut pool = pools.setter(strategy);
        let mut stream = pool.streams.setter(token);
        if start <= p.last {
            stream.rate.set(p.rate.wrapping_add(rate));
        } else {
            schedule(&mut stream, start / EPOCH, rate);
        }
        schedule(&mut stream, end / EPOCH, U256::ZERO.wrapping_sub(rate));
        if end > stream.end.get().to::<u64>() {
            stream.end.set(alloy_primitives::Uint::from(end));
        }
        let id = self.stream_count.get() + U256::from(1u8);
        self.stream_count.set(id);
        self.stream_keys.setter(id).set(stream_key(avs, operator, strategy, token, rate, start, end));
        Ok(id)
    }

    /// Lists `token` among the pool's reward tokens (at most
    /// [`MAX_POOL_REWARD_TOKENS`]) if the operator accepted it; the pool's
    /// first makes the DelegationManager report its stake changes.
    fn add_pool_token(&mut self, operator: Address, strategy: Address, token: Address) -> Result<(), Revert> {
        let pools = self.pools.getter(operator);
        let pool = pools.getter(strategy);
        let len = pool.tokens.len();
        if (0..len).any(|i| pool.tokens.get(i) == Some(token)) {
            return Ok(());
        }
        if !self.accepted.getter(operator).get(token) {
            return Err(revert!(RewardTokenNotAccepted { operator, token }));
        }
        let mut pools = self.pools.setter(operator);
        let mut pool = pools.setter(strategy);
        if len >= MAX_POOL_REWARD_TOKENS {
            return Err(revert!(TooManyRewardTokens { operator, strategy, max: U256::from(MAX_POOL_REWARD_TOKENS) }));
        }
        pool.tokens.push(token);
        if len == 0 {
            self.mark_rewarded(operator, strategy)?;
        }
        Ok(())
    }
}

/// Adds `delta` (wrapping) to the rate change at `epoch` and marks the epoch.
pub(crate) fn schedule(stream: &mut Stream, epoch: u64, delta: U256) {
    let current = stream.deltas.get(epoch);
    stream.deltas.setter(epoch).set(current.wrapping_add(delta));
    let word = stream.marks.get(epoch / 256);
    stream.marks.setter(epoch / 256).set(word | (U256::from(1u8) << (epoch % 256) as usize));
}

/// Splits `gross` wad at `bps` commission: the commission (and the stakers'
/// part if the pool has no stake) to `p.commission`, the rest into `p.acc`.
fn distribute(p: &mut Progress, gross: U256, bps: u64, total: U256) {
    let (commission, stakers) = split_commission(gross, bps);
    p.commission = p.commission.saturating_add(commission);
    match accumulator_increment(stakers, total) {
        Some(increment) => p.acc = p.acc.wrapping_add(increment),
        None => p.commission = p.commission.saturating_add(stakers),
    }
}
