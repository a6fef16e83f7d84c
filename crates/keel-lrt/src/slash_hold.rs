//! Slash requests in their veto window and the instant path.
//!
//! A vetoable slash request is public for up to its veto window plus its
//! execution window before it lowers the vault's rate. Requests and claims
//! need no rule: a request's withdrawal stays slashable through the
//! DelegationManager's delay. An instant redemption, though, would leave
//! from the buffer at the pre-slash rate for the instant fee. So anyone may
//! report a pending request against the vault's operator (or the old
//! operator of its change in the queue), and instant redemptions are then
//! refused until the request expires; a veto does not lift the hold early.
//! The registry is the DelegationManager's slasher, so the vault needs no
//! address of its own for it.

use crate::{errors::*, restaking, LrtVault};
use alloy_primitives::{U256, U64};
use keel_components::{emit, revert, Revert};
use stylus_sdk::prelude::*;

/// Seconds a slash request stays executable after its veto window (the AVS
/// registry's `EXECUTION_WINDOW`).
pub const SLASH_EXECUTION_WINDOW: u64 = 86_400;
/// Status of a pending slash request in the AVS registry.
const PENDING: u64 = 1;

impl LrtVault {
    /// Anyone reports slash request `slash_id`, pending against the vault's
    /// operator or the old operator of its change in the queue: instant
    /// redemptions are refused until the request expires.
    pub fn hold_instant_redemptions(&mut self, slash_id: u64) -> Result<(), Revert> {
        let id = U256::from(slash_id);
        let registry = restaking::slasher(self.vm(), self.delegation_manager.get())?;
        let (operator, status, executable_at) = restaking::slash_request(self.vm(), registry, id)?;
        let until = executable_at + U256::from(SLASH_EXECUTION_WINDOW);
        let ours = !operator.is_zero() && (operator == self.operator.get() || operator == self.migration_operator.get());
        if !ours || status != U256::from(PENDING) || U256::from(self.vm().block_timestamp()) >= until {
            return Err(revert!(NotHoldable { slashId: id }));
        }
        if until > self.instant_held_until() {
            // A time: far below 2^64.
            self.instant_held_until.set(U64::from(until.saturating_to::<u64>()));
        }
        emit!(self.vm(), InstantRedemptionsHeld; [id]; [until]);
        Ok(())
    }

    /// When instant redemptions are held until (zero or past: not held).
    pub fn instant_held_until(&self) -> U256 {
        U256::from(self.instant_held_until.get())
    }

    /// Refuses while a reported slash request may still execute.
    pub(crate) fn check_instant_hold(&self) -> Result<(), Revert> {
        let until = self.instant_held_until();
        if U256::from(self.vm().block_timestamp()) < until {
            return Err(revert!(SlashRequestPending { until }));
        }
        Ok(())
    }
}
