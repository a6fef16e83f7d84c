//! Migration to the successor deployment (docs/upgrades.md): an
//! undelegated staker moves its whole deposit in one transaction; a
//! delegated one must be refused (its stake is slashable and leaves only
//! through the queue); what moves keeps its value; and at the drain every
//! migrated staker leaves the successor through its own queue.

use crate::{actors::*, staking::SM_I, Campaign};
use alloy_primitives::{Address, B256, U256};
use keel_fixtures::{
    strategies::{deposit_value, SUCCESSOR},
    *,
};

/// The successor's shares worth less than this may be refused (a deposit of
/// dust can mint nothing in the successor).
const DUST_VALUE: u64 = 1_000_000_000;

impl Campaign {
    /// A depositor asks to move its whole deposit to the successor.
    pub(crate) fn migrate(&mut self, who: usize) -> bool {
        let staker = depositors()[who];
        let operator = self.delegated_to(staker);
        let paused = self.ghost.is_paused(SM_I, 1);
        let worth = deposit_value(&self.world, SM, staker, TOKEN);
        let held_there = deposit_value(&self.world, SUCCESSOR, staker, TOKEN);
        let ok = self.world.call(staker, SM, &ISM::migrateCall { token: TOKEN }).is_ok();
        self.check(!ok || operator.is_zero(), || format!("{staker}, delegated to {operator}, moved its slashable stake at once"));
        self.check(!(ok && paused), || "a migration went through while withdrawals were paused".into());
        let movable = operator.is_zero() && !paused && worth >= U256::from(DUST_VALUE);
        self.check(ok || !movable, || format!("{staker}, not delegated, could not move its deposit worth {worth}"));
        if !ok {
            return false;
        }
        let left = self.world.call(OWNER, SM, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).expect("view");
        self.check(left.is_zero(), || format!("{staker} kept {left} deposit shares after moving all of them"));
        let gained = deposit_value(&self.world, SUCCESSOR, staker, TOKEN).saturating_sub(held_there);
        // The rebasing token may deliver a wei or two more; the successor's
        // virtual offsets keep a little of a deposit when its price is not 1.
        let slack = U256::from(10_000u64) + worth / U256::from(1_000_000_000_000u64);
        self.check(gained <= worth + U256::from(2) && gained + slack >= worth, || {
            format!("{staker} moved a deposit worth {worth} and holds {gained} more in the successor")
        });
        true
    }

    /// Queues, as each depositor holding shares in the successor, all of
    /// them in the successor's DelegationManager; returns (depositor, root).
    pub(crate) fn leave_successor(&mut self) -> Vec<(Address, B256)> {
        let mut roots = Vec::new();
        for staker in depositors() {
            let shares = self.world.call(OWNER, SUCCESSOR, &ISM::stakerDepositSharesCall { staker, token: TOKEN }).expect("view");
            if shares.is_zero() {
                continue;
            }
            let call = IDM::queueWithdrawalCall { tokens: vec![TOKEN], depositShares: vec![shares] };
            match self.world.call(staker, SUCCESSOR_DM, &call) {
                Ok(root) => roots.push((staker, root)),
                Err(e) => self.check(false, || format!("{staker} could not leave the successor: {e:?}")),
            }
        }
        roots
    }

    /// Completes the successor withdrawals of [`Self::leave_successor`] as
    /// tokens (their delay over), then checks the successor is empty.
    pub(crate) fn complete_successor_exits(&mut self, roots: Vec<(Address, B256)>) {
        for (staker, root) in roots {
            let call = IDM::completeQueuedWithdrawalCall { root, receiveAsTokens: true };
            if let Err(e) = self.world.call(staker, SUCCESSOR_DM, &call) {
                self.check(false, || format!("{staker}'s withdrawal from the successor is stuck: {e:?}"));
            }
        }
        let shares = self.world.call(OWNER, SUCCESSOR, &ISM::totalSharesCall { token: TOKEN }).expect("view");
        let left = balance(&self.world, SUCCESSOR);
        let dust = U256::from(1_000_000u64);
        self.check(shares <= dust && left <= dust, || {
            format!("after everyone left the successor still has {shares} shares and {left} tokens")
        });
    }
}
