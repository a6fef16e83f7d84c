//! Moving stake in and out of operator pools (see [`keel_math::slashing`]).

use crate::{errors::*, strategy_manager as sm, DelegationManager};
use alloy_primitives::{Address, B256, U256};
use keel_components::{emit, revert, Revert};
use keel_math::{
    eip712::hash_words,
    slashing::{
        dsf_after_deposit, pack_pool, pool_rewarded, record_queued, scaled_shares, shares_at_magnitude, unpack_pool, withdrawable_shares,
        WAD,
    },
};
use stylus_sdk::prelude::*;

impl DelegationManager {
    /// `staker`'s deposit scaling factor for `token` (unset means 1e18).
    pub(crate) fn scaling_factor(&self, staker: Address, token: Address) -> U256 {
        let factor = self.scaling_factors.getter(staker).get(token);
        if factor.is_zero() {
            WAD
        } else {
            factor
        }
    }

    /// Stores `staker`'s factor for `token`, 1e18 as zero (the unset value):
    /// a staker who was never slashed keeps an empty slot and pays no write.
    fn set_scaling_factor(&mut self, staker: Address, token: Address, factor: U256) {
        let stored = if factor == WAD { U256::ZERO } else { factor };
        self.scaling_factors.setter(staker).setter(token).set(stored);
    }

    /// `operator`'s current magnitude for `token`; 1e18 for the zero
    /// operator (shares that are not delegated cannot be slashed).
    fn operator_magnitude(&self, operator: Address, token: Address) -> U256 {
        if operator.is_zero() {
            WAD
        } else {
            self.pools.getter(operator).getter(token).magnitudes.latest(WAD)
        }
    }

    /// Withdrawable shares of `deposit` deposit shares of `staker` in `token`.
    pub(crate) fn withdrawable(&self, staker: Address, token: Address, deposit: U256) -> U256 {
        let magnitude = self.operator_magnitude(self.stakers.getter(staker).operator.get(), token);
        withdrawable_shares(deposit, self.scaling_factor(staker, token), magnitude)
    }

    /// Adds `added` fresh shares to `staker`'s `prev` deposit shares of
    /// `token`, under `operator` (zero: not delegated): resets the scaling
    /// factor and grows the operator's pool by the staker's new scaled shares.
    pub(crate) fn increase_delegation(
        &mut self,
        operator: Address,
        staker: Address,
        token: Address,
        prev: U256,
        added: U256,
    ) -> Result<(), Revert> {
        let magnitude = self.operator_magnitude(operator, token);
        let old_factor = self.scaling_factor(staker, token);
        let new_factor = dsf_after_deposit(prev, old_factor, magnitude, added).ok_or(revert!(FullySlashed { operator, token }))?;
        self.set_scaling_factor(staker, token, new_factor);
        emit!(self.vm(), DepositScalingFactorUpdated; [staker, token]; [new_factor]);
        if !operator.is_zero() {
            let (old_scaled, new_scaled) = (scaled_shares(prev, old_factor), scaled_shares(prev + added, new_factor));
            let mut pools = self.pools.setter(operator);
            let mut pool = pools.setter(token);
            // The pool holds exactly Σ scaled of its stakers, which the
            // factor's rounding may move either way.
            let word = pool.stake.get();
            let ((holders, scaled), rewarded) = (unpack_pool(word), pool_rewarded(word));
            let joined = old_scaled.is_zero() && !new_scaled.is_zero();
            let word = pack_pool(holders + u64::from(joined), (scaled + new_scaled).saturating_sub(old_scaled), rewarded);
            pool.stake.set(word.ok_or(revert!(MathOverflow {}))?);
            emit!(self.vm(), OperatorSharesIncreased; [operator, staker, token]; [added]);
            if rewarded {
                self.report_stake_change(staker, operator, token, [old_scaled, new_scaled, scaled])?;
            }
        }
        Ok(())
    }

    /// Delegates `staker` and moves its current deposit shares into `operator`'s pools.
    pub(crate) fn delegate(&mut self, staker: Address, operator: Address) -> Result<(), Revert> {
        self.stakers.setter(staker).operator.set(operator);
        emit!(self.vm(), StakerDelegated; [staker, operator]; []);
        let manager = self.strategy_manager.get();
        let context = Call::new_mutating(self);
        for (token, deposit) in sm::staker_delegated(self.vm(), context, manager, staker)? {
            if !deposit.is_zero() {
                self.increase_delegation(operator, staker, token, U256::ZERO, deposit)?;
            }
        }
        Ok(())
    }

    /// Queues `shares` deposit shares of each of `tokens` (all of them when
    /// `shares` is `None`) out of `staker`'s position and `operator`'s pools
    /// (if delegated); returns the root.
    pub(crate) fn queue(
        &mut self,
        staker: Address,
        operator: Address,
        tokens: &[Address],
        shares: Option<&[U256]>,
    ) -> Result<B256, Revert> {
        if tokens.is_empty() {
            return Err(revert!(ZeroShares {}));
        }
        let manager = self.strategy_manager.get();
        let now = self.vm().block_timestamp();
        let nonce = self.stakers.getter(staker).withdrawal_nonce.get();
        self.stakers.setter(staker).withdrawal_nonce.set(nonce + alloy_primitives::Uint::from(1));
        let nonce = U256::from(nonce);
        let root = hash_words(&[staker.into_word(), nonce.into()]);
        let completable_at = U256::from(now) + self.withdrawal_delay.get();
        let mut scaled_out = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().copied().enumerate() {
            let deposit = sm::deposit_shares(self.vm(), manager, staker, token)?;
            let amount = shares.map_or(deposit, |s| s[i]);
            if amount.is_zero() {
                return Err(revert!(ZeroShares {}));
            }
            if deposit < amount {
                return Err(revert!(InsufficientShares { token, have: deposit, want: amount }));
            }
            let factor = self.scaling_factor(staker, token);
            let (before, after) = (scaled_shares(deposit, factor), scaled_shares(deposit - amount, factor));
            let scaled = before - after;
            if deposit == amount {
                // The position empties: its factor starts afresh (1e18, which
                // the StrategyManager relies on to skip an undelegated staker's reports).
                self.set_scaling_factor(staker, token, WAD);
            }
            if !operator.is_zero() {
                let magnitude = self.operator_magnitude(operator, token);
                let withdrawn = shares_at_magnitude(before, magnitude) - shares_at_magnitude(after, magnitude);
                let mut pools = self.pools.setter(operator);
                let mut pool = pools.setter(token);
                let word = pool.stake.get();
                let ((holders, pooled), rewarded) = (unpack_pool(word), pool_rewarded(word));
                let left = after.is_zero() && !before.is_zero();
                let word = pack_pool(holders.saturating_sub(u64::from(left)), pooled.saturating_sub(scaled), rewarded);
                pool.stake.set(word.unwrap_or_default());
                let cumulative = record_queued(pool.queued.latest(U256::ZERO), scaled);
                if !pool.queued.push(completable_at.to::<u64>(), cumulative) {
                    return Err(revert!(MathOverflow {}));
                }
                emit!(self.vm(), OperatorSharesDecreased; [operator, staker, token]; [withdrawn]);
                if rewarded {
                    self.report_stake_change(staker, operator, token, [before, after, pooled])?;
                }
            }
            let context = Call::new_mutating(self);
            sm::remove_deposit_shares(self.vm(), context, manager, staker, token, amount)?;
            scaled_out.push(scaled);
        }
        let count = u32::try_from(tokens.len()).map_err(|_| revert!(MathOverflow {}))?;
        let mut w = self.withdrawals.setter(root);
        w.staker.set(staker);
        w.completable_at.set(alloy_primitives::Uint::from(completable_at.to::<u64>()));
        w.pending.set(true);
        w.operator.set(operator);
        w.count.set(alloy_primitives::Uint::from(count));
        for (i, (token, scaled)) in (0..count).zip(tokens.iter().zip(&scaled_out)) {
            w.entries.setter(i).set(*token, *scaled);
        }
        emit!(self.vm(), WithdrawalQueued; [root, staker, operator]; [nonce, completable_at]);
        for (token, scaled) in tokens.iter().zip(&scaled_out) {
            emit!(self.vm(), WithdrawalEntry; [root, *token]; [*scaled]);
        }
        Ok(root)
    }
}
