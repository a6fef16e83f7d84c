//! Roles, settings, restaking and operator changes.
//!
//! Owner: manager, treasury, fees, limits (and the pause roles of
//! [`Access`](keel_components::Access)). Manager: the operator and the idle
//! buffer target.

use crate::{errors::*, limit_from, limit_to, restaking, withdrawal_root, LrtVault, MAX_INSTANT_BPS, MAX_PERFORMANCE_BPS};
use alloy_primitives::{aliases::U16, Address, B256, U256, U64};
use keel_components::{access::ZeroAddress, emit, revert, Revert};
use stylus_sdk::prelude::*;

impl LrtVault {
    /// Restakes idle assets above the buffer target (anyone may call).
    pub fn rebalance(&mut self) -> Result<(), Revert> {
        self.access.enter()?;
        self.accrue()?;
        if self.restake_excess() {
            self.last_total.set(self.raw_total()?);
        }
        self.access.exit();
        Ok(())
    }

    /// Manager moves the vault's stake to `operator` (zero: undelegated; the
    /// operator must take delegations without an approver signature). The
    /// stake under the old operator goes through the withdrawal queue (it
    /// stays slashable for the delay and keeps counting in the assets) and
    /// comes back with [`complete_migration`](Self::complete_migration).
    pub fn set_restaking_operator(&mut self, operator: Address) -> Result<(), Revert> {
        self.access.only(self.manager.get())?;
        self.access.enter()?;
        let pending = self.migration_root.get();
        if !pending.is_zero() {
            return Err(revert!(MigrationPending { root: pending }));
        }
        self.accrue()?;
        let (dm, current, me) = (self.delegation_manager.get(), self.operator.get(), self.vm().contract_address());
        let mut root = B256::ZERO;
        if !current.is_zero() {
            let context = Call::new_mutating(self);
            root = restaking::undelegate(self.vm(), context, dm, me)?;
            if !root.is_zero() {
                self.count_own_withdrawal();
                let scaled = restaking::queued_scaled(self.vm(), dm, root)?;
                let delay = restaking::withdrawal_delay(self.vm(), dm)?;
                self.queue_migration(root, current, scaled, U256::from(self.vm().block_timestamp()) + delay);
            }
        }
        if !operator.is_zero() {
            let context = Call::new_mutating(self);
            restaking::delegate(self.vm(), context, dm, operator)?;
        }
        self.operator.set(operator);
        self.last_total.set(self.raw_total()?);
        emit!(self.vm(), OperatorChanged; [operator]; [root]);
        self.access.exit();
        Ok(())
    }

    /// After the delay, returns the stake of the last operator change to the
    /// strategy, delegated to the current operator (anyone may call; every
    /// flow also does it first once the change is due). Works also after the
    /// operator undelegated the vault on its own, so that the manager can then
    /// adopt that withdrawal; the rate is not checkpointed then (every flow
    /// waits for the adoption, which books what changed since the last
    /// checkpoint: the holdings leave out the forced withdrawal until then).
    pub fn complete_migration(&mut self) -> Result<(), Revert> {
        self.access.enter()?;
        if self.migration_root.get().is_zero() {
            return Err(revert!(NoMigration {}));
        }
        let dm = self.delegation_manager.get();
        if restaking::delegated_to(self.vm(), dm, self.vm().contract_address())? == self.operator.get() {
            self.accrue()?;
        }
        if !self.migration_root.get().is_zero() {
            self.finish_migration()?;
        }
        self.access.exit();
        Ok(())
    }

    /// Manager adopts `root`, the withdrawal queued when the vault's
    /// operator undelegated it on its own (zero if that queued nothing, the
    /// vault's stake being all in the buffer): it is valued and completed as
    /// an operator change (to no operator), and the vault works again. Only
    /// the one withdrawal beyond those the vault queued itself qualifies.
    pub fn adopt_withdrawal(&mut self, root: B256) -> Result<(), Revert> {
        self.access.only(self.manager.get())?;
        let (dm, me, old) = (self.delegation_manager.get(), self.vm().contract_address(), self.operator.get());
        let pending = self.migration_root.get();
        if !pending.is_zero() {
            return Err(revert!(MigrationPending { root: pending }));
        }
        if old.is_zero() || !restaking::delegated_to(self.vm(), dm, me)?.is_zero() {
            return Err(revert!(NotAdoptable { root }));
        }
        let own = self.own_withdrawals.get().to::<u64>();
        let forced = if restaking::withdrawal_nonce(self.vm(), dm, me)? == U256::from(own) { B256::ZERO } else { withdrawal_root(me, own) };
        if root != forced {
            return Err(revert!(NotAdoptable { root }));
        }
        if !root.is_zero() {
            self.count_own_withdrawal();
            let scaled = restaking::queued_scaled(self.vm(), dm, root)?;
            self.queue_migration(root, old, scaled, restaking::completable_at(self.vm(), dm, root)?);
        }
        // The stake counts again (as the change in the queue): book what
        // changed since the last checkpoint as every flow does (a loss eats
        // the unvested gains first, a gain vests), or the stale unvested
        // gains would come back and lower the rate.
        self.book(None)?;
        // Already due: completed now, at the value the DelegationManager
        // pays (the old operator's current magnitude may understate it).
        if !root.is_zero() && self.migration_is_due() {
            self.finish_migration()?;
        }
        self.operator.set(Address::ZERO);
        self.last_total.set(self.raw_total()?);
        emit!(self.vm(), OperatorChanged; [Address::ZERO]; [root]);
        Ok(())
    }

    /// Owner moves the manager role.
    pub fn set_manager(&mut self, manager: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        if manager.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.manager.set(manager);
        emit!(self.vm(), ManagerSet; [manager]; []);
        Ok(())
    }

    /// Owner sets the treasury (zero: no performance fee is minted).
    pub fn set_treasury(&mut self, treasury: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.accrue()?;
        self.treasury.set(treasury);
        emit!(self.vm(), TreasurySet; [treasury]; []);
        Ok(())
    }

    /// Owner sets the performance fee (≤ 20%) and the instant-redemption fee (≤ 2.5%), in bps.
    pub fn set_fees(&mut self, performance_bps: U256, instant_bps: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        for (bps, cap) in [(performance_bps, MAX_PERFORMANCE_BPS), (instant_bps, MAX_INSTANT_BPS)] {
            if bps > U256::from(cap) {
                return Err(revert!(FeeAboveCap { bps, cap: U256::from(cap) }));
            }
        }
        self.accrue()?;
        // Both are at most their caps (checked above), far below 2^16.
        self.performance_bps.set(U16::from(performance_bps.to::<u16>()));
        self.instant_bps.set(U16::from(instant_bps.to::<u16>()));
        emit!(self.vm(), FeesSet; []; [performance_bps, instant_bps]);
        Ok(())
    }

    /// Owner sets the deposit cap (assets; 2^128 − 1 or more: none), the
    /// instant redemptions allowed per day (assets) and the reward vesting
    /// period (seconds, ≤ 30 days).
    pub fn set_limits(&mut self, deposit_cap: U256, daily_instant_limit: U256, vesting_period: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        if vesting_period > U256::from(30 * 86_400) {
            return Err(revert!(VestingTooLong { period: vesting_period, cap: U256::from(30 * 86_400) }));
        }
        self.accrue()?;
        // Stored, read back and reported as kept (no limit from 2^128 - 1 up).
        self.deposit_cap.set(limit_to(deposit_cap));
        let deposit_cap = limit_from(limit_to(deposit_cap));
        self.daily_limit.set(daily_instant_limit);
        self.vesting_period.set(U64::from(vesting_period.to::<u64>()));
        emit!(self.vm(), LimitsSet; []; [deposit_cap, daily_instant_limit, vesting_period]);
        Ok(())
    }

    /// Manager sets the idle buffer target (assets kept unrestaked for
    /// instant redemptions; 2^128 − 1 or more: keep everything idle).
    pub fn set_buffer_target(&mut self, target: U256) -> Result<(), Revert> {
        self.access.only(self.manager.get())?;
        self.buffer_target.set(limit_to(target));
        let target = limit_from(limit_to(target));
        emit!(self.vm(), BufferTargetSet; []; [target]);
        Ok(())
    }

    /// Manager, treasury, performance fee and instant fee (bps), deposit
    /// cap, daily instant limit, reward vesting period (seconds). The owner
    /// is `owner()`, the operator the DelegationManager's `delegatedTo(vault)`.
    pub fn settings(&self) -> (Address, Address, U256, U256, U256, U256, U256) {
        (
            self.manager.get(),
            self.treasury.get(),
            U256::from(self.performance_bps.get()),
            U256::from(self.instant_bps.get()),
            limit_from(self.deposit_cap.get()),
            self.daily_limit.get(),
            U256::from(self.vesting_period.get()),
        )
    }

    /// Idle buffer, buffer target, restaked value, value of the operator
    /// change in the queue (its root is in `OperatorChanged`), unvested gains.
    pub fn holdings_view(&self) -> Result<(U256, U256, U256, U256, U256), Revert> {
        let crate::Stake { staked, migrating, .. } = self.restaked()?;
        let (_, locked, _) = self.checkpoint()?;
        Ok((self.buffer()?.0, limit_from(self.buffer_target.get()), staked, migrating, locked))
    }
}
