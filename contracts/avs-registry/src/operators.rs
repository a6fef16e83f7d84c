//! What operators do: register for operator sets accepting explicit
//! slashing conditions, leave sets, set their allocation delay and allocate.
//!
//! Each is an `act` function: `operator` is the acting operator, the caller
//! itself or the operator an appointee calls for.

use crate::*;
use keel_math::allocation::{modify, AllocationError};

impl AvsRegistry {
    /// Registers the operator (an operator of the DelegationManager) for the
    /// sets `set_ids` of `avs`, then accepts `condition_ids` (each must
    /// belong to a set the operator is registered for).
    pub fn register_for_operator_sets(
        &mut self,
        operator: Address,
        avs: Address,
        set_ids: Vec<u64>,
        condition_ids: Vec<u64>,
    ) -> Result<(), Revert> {
        self.access.when_not_paused(PAUSED_REGISTRATION)?;
        if !delegation_manager::is_operator(self.vm(), self.delegation_manager.get(), operator)? {
            return Err(revert!(NotAnOperator { operator }));
        }
        for set_id in set_ids {
            self.existing_set(avs, set_id)?;
            let key = set_key(avs, set_id);
            if self.registrations.getter(operator).get(key) == U64::MAX {
                return Err(revert!(AlreadyRegistered { operator, avs, setId: set_id }));
            }
            self.registrations.setter(operator).setter(key).set(U64::MAX);
            emit!(self.vm(), OperatorRegistered; [operator, avs, set_id]; []);
        }
        self.accept_slashing_conditions(operator, condition_ids)
    }

    /// The operator accepts the slashing conditions `ids`, each of a set it is
    /// registered for and not retired; it can be slashed under them from now on.
    pub fn accept_slashing_conditions(&mut self, operator: Address, ids: Vec<u64>) -> Result<(), Revert> {
        self.access.when_not_paused(PAUSED_REGISTRATION)?;
        for id in ids {
            let (avs, set_id) = self.existing_condition(id)?;
            if self.conditions.getter(id).retired.get() {
                return Err(revert!(ConditionRetired { conditionId: id }));
            }
            if self.registrations.getter(operator).get(set_key(avs, set_id)) != U64::MAX {
                return Err(revert!(NotRegistered { operator, avs, setId: set_id }));
            }
            let (word, bit) = accepted_bit(id);
            let mut slot = self.accepted.setter(operator);
            let mut bitmap = slot.setter(word);
            let mut accepted = bitmap.get();
            accepted.set_bit(bit, true);
            bitmap.set(accepted);
            emit!(self.vm(), SlashingConditionAccepted; [operator, id]; []);
        }
        Ok(())
    }

    /// The operator leaves the sets `set_ids` of `avs`; it stays slashable
    /// there for the deallocation delay.
    pub fn deregister_from_operator_sets(&mut self, operator: Address, avs: Address, set_ids: Vec<u64>) -> Result<(), Revert> {
        let until = self.now() + self.deallocation_delay.get().to::<u64>();
        for set_id in set_ids {
            let key = set_key(avs, set_id);
            if self.registrations.getter(operator).get(key) != U64::MAX {
                return Err(revert!(NotRegistered { operator, avs, setId: set_id }));
            }
            self.registrations.setter(operator).setter(key).set(U64::from(until));
            emit!(self.vm(), OperatorDeregistered; [operator, avs, set_id]; [until]);
        }
        Ok(())
    }

    /// The operator sets its allocation delay (how long an increase waits before
    /// it is slashable), effective after the allocation configuration delay
    /// (see [`crate::MIN_ALLOCATION_CONFIGURATION_DELAY`]); a change still
    /// pending is replaced and the new one waits the whole delay.
    pub fn set_allocation_delay(&mut self, operator: Address, delay: u64) -> Result<(), Revert> {
        let (set, current) = self.allocation_delay(operator);
        let effective_at = self.now() + self.allocation_configuration_delay.get().to::<u64>();
        let mut d = self.allocation_delays.setter(operator);
        d.set.set(set);
        d.delay.set(U64::from(current));
        d.pending_set.set(true);
        d.pending.set(U64::from(delay));
        d.effective_at.set(U64::from(effective_at));
        emit!(self.vm(), AllocationDelaySet; [operator]; [delay, effective_at]);
        Ok(())
    }

    /// The operator moves its allocations of `strategies` (ascending, unique)
    /// to set (`avs`, `set_id`) to `magnitudes`: an increase (only of a
    /// strategy in the set) is slashable after the operator's allocation delay,
    /// a decrease leaves after the deallocation delay. One change may be
    /// pending per allocation; asking for the current magnitude applies a
    /// change whose time has come (releasing a decrease's magnitude) and does nothing else.
    pub fn modify_allocations(
        &mut self,
        operator: Address,
        avs: Address,
        set_id: u64,
        strategies: Vec<Address>,
        magnitudes: Vec<u64>,
    ) -> Result<(), Revert> {
        self.access.when_not_paused(PAUSED_ALLOCATION)?;
        if strategies.len() != magnitudes.len() {
            return Err(revert!(InputLengthMismatch {}));
        }
        avs::check_sorted(&strategies)?;
        let (delay_set, delay) = self.allocation_delay(operator);
        if !delay_set {
            return Err(revert!(AllocationDelayNotSet { operator }));
        }
        let key = set_key(avs, set_id);
        let in_set = |registry: &Self, strategy| registry.sets.getter(key).contains.get(strategy);
        // A set holding the first strategy exists (sets are never deleted):
        // its flag is read only when that strategy is not in it.
        if !strategies.first().is_some_and(|&strategy| in_set(self, strategy)) {
            self.existing_set(avs, set_id)?;
        }
        let now = self.now();
        for (strategy, target) in strategies.into_iter().zip(magnitudes) {
            let (allocation, m) = self.settled(operator, key, strategy);
            if target > allocation.current && !in_set(self, strategy) {
                return Err(revert!(StrategyNotInSet { avs, setId: set_id, strategy }));
            }
            // Only a decrease waits the deallocation delay.
            let deallocation = if target < allocation.current { self.deallocation_delay.get().to::<u64>() } else { 0 };
            let (next, m) = modify(allocation, m, target, now, delay, deallocation).map_err(|e| match e {
                AllocationError::Pending(at) => revert!(AllocationPending { operator, strategy, effectiveAt: at }),
                AllocationError::Insufficient { available, requested } => {
                    revert!(InsufficientMagnitude { operator, strategy, available, requested })
                }
            })?;
            let encumbered_before = self.load_magnitudes(operator, strategy).encumbered;
            self.store(operator, key, strategy, next, m);
            if next.pending != 0 {
                emit!(self.vm(), AllocationUpdated; [operator, avs, strategy]; [set_id, target, next.effective_at]);
            }
            if m.encumbered != encumbered_before {
                emit!(self.vm(), EncumberedMagnitudeUpdated; [operator, strategy]; [m.encumbered]);
            }
        }
        Ok(())
    }
}
