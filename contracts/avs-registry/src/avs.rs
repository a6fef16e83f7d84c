//! What AVSs do: register, manage operator sets, publish and retire slashing
//! conditions, hand a condition to a new slasher (after a delay).
//!
//! Every function but `register_avs` is an `act` function: `caller` is the
//! acting AVS, the caller itself or the AVS an appointee calls for.

use crate::*;
use alloy_primitives::keccak256;
use keel_components::{access::Unauthorized, events::emit_string};
use stylus_sdk::storage::StorageGuard;

impl AvsRegistry {
    /// Registers the caller as an AVS and publishes its metadata.
    pub fn register_avs(&mut self, metadata_uri: String) -> Result<(), Revert> {
        let avs = self.vm().msg_sender();
        if self.avs.get(avs) {
            return Err(revert!(AVSAlreadyRegistered { avs }));
        }
        self.avs.setter(avs).set(true);
        emit!(self.vm(), AVSRegistered; [avs]; []);
        self.publish_metadata(avs, &metadata_uri);
        Ok(())
    }

    /// A registered AVS publishes new metadata (emitted only).
    pub fn update_avs_metadata_uri(&mut self, caller: Address, metadata_uri: String) -> Result<(), Revert> {
        let avs = self.registered_avs(caller)?;
        self.publish_metadata(avs, &metadata_uri);
        Ok(())
    }

    /// Creates the caller's operator set `set_id` with `strategies` (ascending, unique).
    pub fn create_operator_set(&mut self, caller: Address, set_id: u64, strategies: Vec<Address>) -> Result<(), Revert> {
        let avs = self.registered_avs(caller)?;
        let key = set_key(avs, set_id);
        if self.sets.getter(key).exists.get() {
            return Err(revert!(OperatorSetExists { avs, setId: set_id }));
        }
        self.sets.setter(key).exists.set(true);
        emit!(self.vm(), OperatorSetCreated; [avs, set_id]; []);
        self.add_strategies(avs, set_id, strategies)
    }

    /// Adds `strategies` (ascending, unique, not yet in the set) to the caller's set `set_id`.
    pub fn add_strategies(&mut self, caller: Address, set_id: u64, strategies: Vec<Address>) -> Result<(), Revert> {
        let avs = self.registered_avs(caller)?;
        self.existing_set(avs, set_id)?;
        check_sorted(&strategies)?;
        let mut set = self.sets.setter(set_key(avs, set_id));
        let count = set.strategies.len() + strategies.len();
        if count > MAX_STRATEGIES {
            return Err(revert!(TooManyStrategies { count: U256::from(count), max: U256::from(MAX_STRATEGIES) }));
        }
        for &strategy in &strategies {
            if set.contains.get(strategy) {
                return Err(revert!(StrategyAlreadyInSet { avs, setId: set_id, strategy }));
            }
            set.contains.setter(strategy).set(true);
            set.strategies.push(strategy);
        }
        for strategy in strategies {
            emit!(self.vm(), StrategyAddedToOperatorSet; [avs, set_id, strategy]; []);
        }
        Ok(())
    }

    /// Removes `strategies` (ascending, unique, in the set) from the caller's
    /// set `set_id`. Allocations to them can still be decreased, no longer
    /// increased or slashed.
    pub fn remove_strategies(&mut self, caller: Address, set_id: u64, strategies: Vec<Address>) -> Result<(), Revert> {
        let avs = self.registered_avs(caller)?;
        self.existing_set(avs, set_id)?;
        check_sorted(&strategies)?;
        let mut set = self.sets.setter(set_key(avs, set_id));
        for &strategy in &strategies {
            if !set.contains.get(strategy) {
                return Err(revert!(StrategyNotInSet { avs, setId: set_id, strategy }));
            }
            set.contains.setter(strategy).set(false);
            let last = set.strategies.len() - 1;
            let index = (0..last).find(|&i| set.strategies.get(i) == Some(strategy)).unwrap_or(last);
            let moved = set.strategies.get(last).unwrap_or_default();
            if let Some(mut slot) = set.strategies.setter(index) {
                slot.set(moved);
            }
            set.strategies.erase_last();
        }
        for strategy in strategies {
            emit!(self.vm(), StrategyRemovedFromOperatorSet; [avs, set_id, strategy]; []);
        }
        Ok(())
    }

    /// Publishes a slashing condition for the caller's set `set_id`; returns
    /// its id. `max_slash_wad` is the most one incident may take of an
    /// allocation (1e18 = all); a `veto_window` (seconds) needs a resolver;
    /// a zero `recipient` burns slashed funds. The condition never changes
    /// (its slasher only after the slasher change delay); operators opt in to it by id.
    #[allow(clippy::too_many_arguments)]
    pub fn add_slashing_condition(
        &mut self,
        caller: Address,
        set_id: u64,
        max_slash_wad: u64,
        slasher: Address,
        veto_window: u64,
        resolver: Address,
        recipient: Address,
        description_uri: String,
        evidence_schema: B256,
    ) -> Result<u64, Revert> {
        let avs = self.registered_avs(caller)?;
        if self.existing_set(avs, set_id)?.active_conditions.len() >= MAX_ACTIVE_CONDITIONS {
            return Err(revert!(TooManyConditions { avs, setId: set_id, max: U256::from(MAX_ACTIVE_CONDITIONS) }));
        }
        if max_slash_wad == 0 || max_slash_wad > keel_math::allocation::FULL {
            return Err(revert!(InvalidSlashCap { maxSlashWad: max_slash_wad }));
        }
        if veto_window > MAX_VETO_WINDOW {
            return Err(revert!(VetoWindowTooLong { vetoWindow: veto_window, max: MAX_VETO_WINDOW }));
        }
        if slasher.is_zero() || (veto_window != 0 && resolver.is_zero()) {
            return Err(revert!(ZeroAddress {}));
        }
        let id = self.condition_count.get().to::<u64>() + 1;
        self.condition_count.set(U64::from(id));
        self.sets.setter(set_key(avs, set_id)).active_conditions.push(U64::from(id));
        let description = keccak256(description_uri.as_bytes());
        let mut c = self.conditions.setter(id);
        c.avs.set(avs);
        c.set_id.set(U64::from(set_id));
        c.veto_window.set(U32::from(veto_window as u32));
        c.max_wad.set(U64::from(max_slash_wad));
        c.resolver.set(resolver);
        c.recipient.set(recipient);
        c.slasher.set(slasher);
        c.description.set(description);
        c.evidence_schema.set(evidence_schema);
        emit!(self.vm(), SlashingConditionAdded; [id, avs, set_id]; [max_slash_wad, slasher, veto_window, resolver, recipient, description, evidence_schema]);
        let signature = <SlashingConditionDescription as alloy_sol_types::SolEvent>::SIGNATURE_HASH;
        emit_string(self.vm(), signature, &[keel_components::events::ToWord::to_word(id)], &description_uri);
        Ok(id)
    }

    /// The AVS retires its condition `id`: no new slashes (or requests) under
    /// it; it leaves its set's active conditions.
    pub fn retire_slashing_condition(&mut self, caller: Address, id: u64) -> Result<(), Revert> {
        let (avs, set_id) = self.own_condition(caller, id)?;
        if self.conditions.getter(id).retired.get() {
            return Err(revert!(ConditionRetired { conditionId: id }));
        }
        self.conditions.setter(id).retired.set(true);
        let mut set = self.sets.setter(set_key(avs, set_id));
        let last = set.active_conditions.len() - 1;
        let index = (0..last).find(|&i| set.active_conditions.get(i) == Some(U64::from(id))).unwrap_or(last);
        let moved = set.active_conditions.get(last).unwrap_or_default();
        if let Some(mut slot) = set.active_conditions.setter(index) {
            slot.set(moved);
        }
        set.active_conditions.erase_last();
        emit!(self.vm(), SlashingConditionRetired; [id]; []);
        Ok(())
    }

    /// The AVS hands condition `id` to `slasher`, effective after the slasher
    /// change delay (a change still pending is replaced).
    pub fn set_condition_slasher(&mut self, caller: Address, id: u64, slasher: Address) -> Result<(), Revert> {
        self.own_condition(caller, id)?;
        if slasher.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let (current, _, _) = self.slasher_state(id);
        let effective_at = self.now() + self.slasher_change_delay.get().to::<u64>();
        let mut c = self.conditions.setter(id);
        c.slasher.set(current);
        c.pending_slasher.set(slasher);
        c.slasher_effective_at.set(U64::from(effective_at));
        emit!(self.vm(), SlasherChangeQueued; [id, slasher]; [effective_at]);
        Ok(())
    }

    /// Condition `id`'s slasher now, and the pending change (slasher, time) if any.
    pub(crate) fn slasher_state(&self, id: u64) -> (Address, Address, u64) {
        let c = self.conditions.getter(id);
        let at = c.slasher_effective_at.get().to::<u64>();
        if at == 0 {
            return (c.slasher.get(), Address::ZERO, 0);
        }
        let pending = c.pending_slasher.get();
        if self.now() >= at {
            return (pending, Address::ZERO, 0);
        }
        (c.slasher.get(), pending, at)
    }

    /// The operator set, which must exist.
    pub(crate) fn existing_set(&self, avs: Address, set_id: u64) -> Result<StorageGuard<'_, OperatorSet>, Revert> {
        let set = self.sets.getter(set_key(avs, set_id));
        if !set.exists.get() {
            return Err(revert!(OperatorSetNotFound { avs, setId: set_id }));
        }
        Ok(set)
    }

    /// The existing condition `id`, as (AVS, set id).
    pub(crate) fn existing_condition(&self, id: u64) -> Result<(Address, u64), Revert> {
        let c = self.conditions.getter(id);
        let avs = c.avs.get();
        if avs.is_zero() {
            return Err(revert!(ConditionNotFound { conditionId: id }));
        }
        Ok((avs, c.set_id.get().to()))
    }

    /// Condition `id` of AVS `caller` (the caller or the AVS its appointee acts for), as (AVS, set id).
    fn own_condition(&self, caller: Address, id: u64) -> Result<(Address, u64), Revert> {
        let (avs, set_id) = self.existing_condition(id)?;
        if caller != avs {
            return Err(revert!(Unauthorized { caller }));
        }
        Ok((avs, set_id))
    }

    /// `avs` (the caller, or the AVS its appointee acts for), which must be registered.
    fn registered_avs(&self, avs: Address) -> Result<Address, Revert> {
        if !self.avs.get(avs) {
            return Err(revert!(AVSNotRegistered { avs }));
        }
        Ok(avs)
    }

    fn publish_metadata(&self, avs: Address, uri: &str) {
        let signature = <AVSMetadataURIUpdated as alloy_sol_types::SolEvent>::SIGNATURE_HASH;
        emit_string(self.vm(), signature, &[avs.into_word()], uri);
    }
}

/// Refuses strategies that are not in strictly ascending order.
pub(crate) fn check_sorted(strategies: &[Address]) -> Result<(), Revert> {
    for pair in strategies.windows(2) {
        if pair[1] == pair[0] {
            return Err(revert!(DuplicateStrategy { strategy: pair[1] }));
        }
        if pair[1] < pair[0] {
            return Err(revert!(UnsortedStrategies { strategy: pair[1] }));
        }
    }
    Ok(())
}
