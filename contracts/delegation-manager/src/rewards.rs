//! Reports of delegated-stake changes to the rewards coordinator.
//!
//! Rewards accrue per operator pool, pro rata to the stakers' *scaled*
//! shares: a slash lowers every staker of a pool by the same fraction, so it
//! changes no one's share of the pool's rewards and needs no report. The
//! coordinator keeps no copy of the pools: it reads a staker's and a pool's
//! scaled shares here ([`DelegationManager::reward_stake`]) when it settles
//! outside a report. Once the coordinator marks a pool as rewarded (its
//! first reward token, [`DelegationManager::pool_rewarded`]), every other
//! change of a staker's scaled shares in it (deposit while delegated,
//! delegation, queueing, completion as shares) is reported with the stake
//! that was earning until then, after the DelegationManager's own state is
//! updated, so the coordinator settles the staker at the old stake. A pool
//! without a reward token earns nothing and is not reported. The
//! coordinator never calls back.

use crate::{errors::*, strategy_manager as sm, DelegationManager};
use alloy_primitives::{Address, U256};
use keel_components::{call_data, calls::call_or_revert, emit, revert, Revert};
use keel_math::slashing::{pack_pool, pool_rewarded, scaled_shares, unpack_pool};
use stylus_sdk::prelude::*;

/// The RewardsCoordinator's published interface (`make abi`).
#[allow(clippy::too_many_arguments, reason = "the generated constructor of RewardsSubmitted takes one argument per field")]
mod rewards_coordinator {
    alloy_sol_types::sol!("../../abi/RewardsCoordinator.sol");
}
use rewards_coordinator::IRewardsCoordinator::onStakeChangeCall;

impl DelegationManager {
    /// Tells the rewards coordinator that `staker`'s scaled shares of
    /// `token` in `operator`'s rewarded pool went from `before` to `after`
    /// while the pool held `total` scaled shares (`[before, after, total]`).
    pub(crate) fn report_stake_change(
        &mut self,
        staker: Address,
        operator: Address,
        token: Address,
        stake: [U256; 3],
    ) -> Result<(), Revert> {
        let [before, after, total] = stake;
        if before == after {
            return Ok(());
        }
        let coordinator = self.rewards_coordinator.get();
        let data = call_data!(onStakeChangeCall; staker, operator, token, before, total);
        let context = Call::new_mutating(self);
        call_or_revert(self.vm(), context, coordinator, &data).map(|_| ())
    }

    /// Rewards coordinator only: (`operator`, `token`) got its first reward
    /// token; its stake changes are reported from now on.
    pub fn pool_rewarded(&mut self, operator: Address, token: Address) -> Result<(), Revert> {
        self.access.only(self.rewards_coordinator.get())?;
        let mut pools = self.pools.setter(operator);
        let mut pool = pools.setter(token);
        let word = pool.stake.get();
        if !pool_rewarded(word) {
            let (holders, scaled) = unpack_pool(word);
            pool.stake.set(pack_pool(holders, scaled, true).ok_or(revert!(MathOverflow {}))?);
            emit!(self.vm(), PoolRewarded; [operator, token]; []);
        }
        Ok(())
    }

    /// `staker`'s scaled shares of `token` in `operator`'s pool (zero unless
    /// it is delegated to `operator`) and the pool's: what earns its rewards.
    pub fn reward_stake(&self, staker: Address, operator: Address, token: Address) -> Result<(U256, U256), Revert> {
        let total = unpack_pool(self.pools.getter(operator).getter(token).stake.get()).1;
        if staker.is_zero() || self.stakers.getter(staker).operator.get() != operator {
            return Ok((U256::ZERO, total));
        }
        let deposit = sm::deposit_shares(self.vm(), self.strategy_manager.get(), staker, token)?;
        Ok((scaled_shares(deposit, self.scaling_factor(staker, token)), total))
    }
}
