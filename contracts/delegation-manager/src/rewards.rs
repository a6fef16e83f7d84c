//! Reports of delegated-stake changes to the rewards coordinator.
//!
//! Rewards accrue per operator pool, pro rata to the stakers' *scaled*
//! shares: a slash lowers every staker of a pool by the same fraction, so it
//! changes no one's share of the pool's rewards and needs no report. Every
//! other change of a staker's scaled shares in a pool (deposit while
//! delegated, delegation, queueing, completion as shares) is reported, after
//! the DelegationManager's own state is updated, so the coordinator can settle
//! the staker's rewards at the old stake before counting the new one. The
//! coordinator never calls back. Before a coordinator is set, nothing is sent.

use crate::DelegationManager;
use alloy_primitives::{Address, U256};
use keel_components::{call_data, calls::call_or_revert, Revert};
use stylus_sdk::prelude::*;

/// The RewardsCoordinator's published interface (`make abi`).
#[allow(clippy::too_many_arguments, reason = "the generated constructor of RewardsSubmitted takes one argument per field")]
mod rewards_coordinator {
    alloy_sol_types::sol!("../../abi/RewardsCoordinator.sol");
}
use rewards_coordinator::IRewardsCoordinator::onStakeChangeCall;

impl DelegationManager {
    /// Tells the rewards coordinator that `staker`'s scaled shares of
    /// `token` in `operator`'s pool went from `before` to `after`.
    pub(crate) fn report_stake_change(
        &mut self,
        staker: Address,
        operator: Address,
        token: Address,
        before: U256,
        after: U256,
    ) -> Result<(), Revert> {
        let coordinator = self.rewards_coordinator.get();
        if coordinator.is_zero() || before == after {
            return Ok(());
        }
        let data = call_data!(onStakeChangeCall; staker, operator, token, before, after);
        let context = Call::new_mutating(self);
        call_or_revert(self.vm(), context, coordinator, &data).map(|_| ())
    }
}
