//! Exposure views: the stake of `strategy` an AVS's operator set can slash
//! from an operator (and from each staker delegated to it), in all and in
//! one incident.
//!
//! In all: the operator's delegated shares × its slashable allocated
//! magnitude / its max magnitude, the stake repeated slashes could take.
//! Per incident: the same with the magnitude one slash can take, the
//! allocation × the largest cap among the set's active conditions the
//! operator accepted ([`keel_math::allocation::slashed_magnitude`], as
//! `slash` computes it). Zero when the operator is no longer slashable in the
//! set or the strategy left it. A staker's exposure is its share of the
//! operator's: its withdrawable shares × the same magnitude / the max
//! magnitude, which is the operator's figure × staker shares / operator
//! shares without a second rounding. Both round up: the views never
//! understate a risk. Shares in queued withdrawals (slashable until
//! completable) are not delegated shares and are not counted.

use crate::*;
use keel_math::{
    allocation::slashed_magnitude,
    muldiv::{mul_div, Rounding},
};

impl AvsRegistry {
    /// Ids of the conditions of set (`avs`, `set_id`) that are not retired
    /// (at most [`MAX_ACTIVE_CONDITIONS`]), in no particular order.
    pub fn active_slashing_conditions(&self, avs: Address, set_id: u64) -> Result<Vec<u64>, Revert> {
        let set = self.existing_set(avs, set_id)?;
        Ok((0..set.active_conditions.len()).map(|i| set.active_conditions.get(i).unwrap_or_default().to()).collect())
    }

    /// The active condition of set (`avs`, `set_id`) with the largest cap per
    /// incident among those `operator` accepted, and that cap (1e18 = all);
    /// `(0, 0)` when it accepted none.
    pub fn largest_slash_cap(&self, operator: Address, avs: Address, set_id: u64) -> Result<(u64, u64), Revert> {
        let set = self.existing_set(avs, set_id)?;
        let mut best = (0, 0);
        for i in 0..set.active_conditions.len() {
            let id = set.active_conditions.get(i).unwrap_or_default().to::<u64>();
            let cap = self.conditions.getter(id).max_wad.get().to::<u64>();
            if cap > best.1 && self.has_accepted_condition(operator, id) {
                best = (id, cap);
            }
        }
        Ok(best)
    }

    /// The shares of `strategy` set (`avs`, `set_id`) can slash from
    /// `operator`: in all, and in one incident.
    pub fn slashable_stake(&self, operator: Address, avs: Address, set_id: u64, strategy: Address) -> Result<(U256, U256), Revert> {
        let magnitudes = self.slashable_magnitudes(operator, avs, set_id, strategy)?;
        if magnitudes.0 == 0 {
            return Ok((U256::ZERO, U256::ZERO));
        }
        let shares = delegation_manager::operator_stake(self.vm(), self.delegation_manager.get(), operator, strategy)?;
        Ok(shares_at_risk(shares, magnitudes))
    }

    /// The shares of `strategy` set (`avs`, `set_id`) can slash from `staker`
    /// through the operator it is delegated to: in all, and in one incident
    /// (zero when not delegated).
    pub fn staker_slashable_stake(&self, staker: Address, avs: Address, set_id: u64, strategy: Address) -> Result<(U256, U256), Revert> {
        let dm = self.delegation_manager.get();
        let operator = delegation_manager::delegated_to(self.vm(), dm, staker)?;
        let magnitudes = self.slashable_magnitudes(operator, avs, set_id, strategy)?;
        if operator.is_zero() || magnitudes.0 == 0 {
            return Ok((U256::ZERO, U256::ZERO));
        }
        let shares = delegation_manager::withdrawable_shares(self.vm(), dm, staker, strategy)?;
        Ok(shares_at_risk(shares, magnitudes))
    }

    /// `operator`'s max magnitude of `strategy`, its magnitude set
    /// (`avs`, `set_id`) can slash now and what one incident can take of
    /// it; all zero when nothing is slashable there.
    fn slashable_magnitudes(&self, operator: Address, avs: Address, set_id: u64, strategy: Address) -> Result<(u64, u64, u64), Revert> {
        let key = set_key(avs, set_id);
        let in_set = self.existing_set(avs, set_id)?.contains.get(strategy);
        if !in_set || self.now() >= self.registrations.getter(operator).get(key).to::<u64>() {
            return Ok((0, 0, 0));
        }
        let (allocation, magnitudes) = self.settled(operator, key, strategy);
        let (_, cap) = self.largest_slash_cap(operator, avs, set_id)?;
        Ok((magnitudes.max, allocation.current, slashed_magnitude(allocation.current, cap)))
    }
}

/// `shares` × each slashable magnitude / the max magnitude, rounded up.
fn shares_at_risk(shares: U256, (max, total, incident): (u64, u64, u64)) -> (U256, U256) {
    let at = |magnitude: u64| mul_div(shares, U256::from(magnitude), U256::from(max), Rounding::Up).unwrap_or_default();
    (at(total), at(incident))
}
