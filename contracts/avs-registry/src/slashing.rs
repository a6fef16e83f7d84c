//! Slashing: at once under a condition without a veto window; otherwise
//! requested, open to the resolver's veto for the window, then executable by
//! anyone until it expires. A request is checked (slasher, acceptance,
//! slashability, caps) when it is made, and again at execution for what may
//! have changed since: the condition must not be retired and its slasher must
//! still be the one who made the request. A request freezes the slashable
//! allocation: a decrease already queued cannot take effect before the
//! request expires (it is postponed), and one queued after the request cannot
//! either (the deallocation delay floor covers the longest veto window plus
//! the execution window). A request stores a hash of its (strategy, wad)
//! entries, which are emitted as `SlashRequestEntry` events; the executor
//! passes them back.
//!
//! A condition's cap is per incident, and each incident is named by its
//! evidence hash: an (operator, condition, evidence hash) triple can be
//! slashed or requested once, so repeated slashes need distinct evidence.

use crate::*;
use alloy_primitives::{aliases::U8, keccak256};
use keel_math::allocation::{slash, FULL};

const PENDING: u8 = 1;
const VETOED: u8 = 2;
const EXECUTED: u8 = 3;

impl AvsRegistry {
    /// The slasher of condition `condition_id` (which has no veto window)
    /// slashes `wads` (1e18 = all, each at most the condition's cap) of
    /// `operator`'s allocations of `strategies` (ascending, unique, in the
    /// condition's set); returns the slash id.
    pub fn slash(
        &mut self,
        operator: Address,
        condition_id: u64,
        strategies: Vec<Address>,
        wads: Vec<u64>,
        evidence: B256,
    ) -> Result<u64, Revert> {
        self.check_slash(operator, condition_id, &strategies, &wads, evidence)?;
        if self.conditions.getter(condition_id).veto_window.get() != U32::ZERO {
            return Err(revert!(VetoWindowRequired { conditionId: condition_id }));
        }
        let id = self.next_slash_id();
        self.execute(id, operator, condition_id, &strategies, &wads, evidence)?;
        Ok(id)
    }

    /// The slasher of condition `condition_id` (which has a veto window)
    /// requests a slash, checked as [`AvsRegistry::slash`]; returns its id.
    /// A decrease of a requested allocation that would take effect before the
    /// request expires is postponed to its expiry.
    pub fn request_slash(
        &mut self,
        operator: Address,
        condition_id: u64,
        strategies: Vec<Address>,
        wads: Vec<u64>,
        evidence: B256,
    ) -> Result<u64, Revert> {
        let (slasher, avs, set_id) = self.check_slash(operator, condition_id, &strategies, &wads, evidence)?;
        let window = self.conditions.getter(condition_id).veto_window.get().to::<u64>();
        if window == 0 {
            return Err(revert!(NoVetoWindow { conditionId: condition_id }));
        }
        let id = self.next_slash_id();
        let now = self.now();
        let mut r = self.requests.setter(id);
        r.operator.set(operator);
        r.condition.set(U64::from(condition_id));
        r.status.set(U8::from(PENDING));
        r.requested_at.set(U64::from(now));
        r.slasher.set(slasher);
        r.evidence.set(evidence);
        r.entries.set(entries_hash(&strategies, &wads));
        emit!(self.vm(), SlashRequested; [id, operator, condition_id]; [evidence, now + window]);
        let expires_at = now + window + EXECUTION_WINDOW;
        let key = set_key(avs, set_id);
        for (strategy, wad) in strategies.into_iter().zip(wads) {
            emit!(self.vm(), SlashRequestEntry; [id, strategy]; [wad]);
            let (mut allocation, m) = self.settled(operator, key, strategy);
            if allocation.decrease && allocation.effective_at < expires_at {
                allocation.effective_at = expires_at;
                self.store(operator, key, strategy, allocation, m);
                emit!(self.vm(), AllocationUpdated; [operator, avs, strategy]; [set_id, allocation.target(), expires_at]);
            }
        }
        Ok(id)
    }

    /// The condition's resolver vetoes pending request `id` inside its veto window.
    pub fn veto_slash(&mut self, id: u64) -> Result<(), Revert> {
        let (condition_id, requested_at) = self.pending_request(id)?;
        let c = self.conditions.getter(condition_id);
        let resolver = c.resolver.get();
        let executable_at = requested_at + c.veto_window.get().to::<u64>();
        let caller = self.vm().msg_sender();
        if caller != resolver {
            return Err(revert!(NotResolver { caller }));
        }
        if self.now() >= executable_at {
            return Err(revert!(VetoWindowPassed { slashId: id }));
        }
        self.requests.setter(id).status.set(U8::from(VETOED));
        emit!(self.vm(), SlashVetoed; [id, resolver]; []);
        Ok(())
    }

    /// Anyone executes pending request `id` after its veto window and before
    /// it expires, passing the request's `strategies` and `wads` (from its
    /// `SlashRequestEntry` events), while its condition is not retired and its
    /// slasher is still the one who made the request.
    pub fn execute_slash(&mut self, id: u64, strategies: Vec<Address>, wads: Vec<u64>) -> Result<(), Revert> {
        let (condition_id, requested_at) = self.pending_request(id)?;
        if self.conditions.getter(condition_id).retired.get() {
            return Err(revert!(ConditionRetired { conditionId: condition_id }));
        }
        let (slasher, _, _) = self.slasher_state(condition_id);
        if slasher != self.requests.getter(id).slasher.get() {
            return Err(revert!(SlasherReplaced { slashId: id, slasher }));
        }
        let executable_at = requested_at + self.conditions.getter(condition_id).veto_window.get().to::<u64>();
        let now = self.now();
        if now < executable_at {
            return Err(revert!(VetoWindowOpen { slashId: id, executableAt: executable_at }));
        }
        if now >= executable_at + EXECUTION_WINDOW {
            return Err(revert!(SlashRequestExpired { slashId: id, expiredAt: executable_at + EXECUTION_WINDOW }));
        }
        let r = self.requests.getter(id);
        let (operator, evidence) = (r.operator.get(), r.evidence.get());
        if r.entries.get() != entries_hash(&strategies, &wads) {
            return Err(revert!(SlashEntriesMismatch { slashId: id }));
        }
        self.requests.setter(id).status.set(U8::from(EXECUTED));
        self.execute(id, operator, condition_id, &strategies, &wads, evidence)
    }

    fn next_slash_id(&mut self) -> u64 {
        let id = self.slash_count.get().to::<u64>() + 1;
        self.slash_count.set(U64::from(id));
        id
    }

    /// Request `id`'s condition and time, if it is pending.
    fn pending_request(&self, id: u64) -> Result<(u64, u64), Revert> {
        let r = self.requests.getter(id);
        match r.status.get().to::<u8>() {
            PENDING => Ok((r.condition.get().to(), r.requested_at.get().to())),
            VETOED => Err(revert!(SlashAlreadyVetoed { slashId: id })),
            EXECUTED => Err(revert!(SlashAlreadyExecuted { slashId: id })),
            _ => Err(revert!(SlashRequestNotFound { slashId: id })),
        }
    }

    /// Checks a slash or request by the caller and spends its evidence hash;
    /// returns the slasher and the condition's set (AVS, set id).
    fn check_slash(
        &mut self,
        operator: Address,
        condition_id: u64,
        strategies: &[Address],
        wads: &[u64],
        evidence: B256,
    ) -> Result<(Address, Address, u64), Revert> {
        let (avs, set_id) = self.existing_condition(condition_id)?;
        let c = self.conditions.getter(condition_id);
        if c.retired.get() {
            return Err(revert!(ConditionRetired { conditionId: condition_id }));
        }
        let cap = c.max_wad.get().to::<u64>();
        let (slasher, _, _) = self.slasher_state(condition_id);
        let caller = self.vm().msg_sender();
        if caller != slasher {
            return Err(revert!(NotSlasher { caller, slasher }));
        }
        if !self.has_accepted_condition(operator, condition_id) {
            return Err(revert!(ConditionNotAccepted { operator, conditionId: condition_id }));
        }
        if self.now() >= self.registrations.getter(operator).get(set_key(avs, set_id)).to::<u64>() {
            return Err(revert!(OperatorNotSlashable { operator, avs, setId: set_id }));
        }
        if strategies.len() != wads.len() {
            return Err(revert!(InputLengthMismatch {}));
        }
        avs::check_sorted(strategies)?;
        let set = self.sets.getter(set_key(avs, set_id));
        for (&strategy, &wad) in strategies.iter().zip(wads) {
            if !set.contains.get(strategy) {
                return Err(revert!(StrategyNotInSet { avs, setId: set_id, strategy }));
            }
            if wad == 0 {
                return Err(revert!(WadZero { strategy }));
            }
            if wad > cap {
                return Err(revert!(WadAboveCap { strategy, wad, cap }));
            }
        }
        let incident = keccak256([operator.as_slice(), &condition_id.to_be_bytes(), evidence.as_slice()].concat());
        if self.evidence_used.get(incident) {
            return Err(revert!(EvidenceAlreadyUsed { operator, conditionId: condition_id, evidenceHash: evidence }));
        }
        self.evidence_used.setter(incident).set(true);
        Ok((slasher, avs, set_id))
    }

    /// Slashes the allocations as they are now and calls the DelegationManager per strategy.
    fn execute(
        &mut self,
        id: u64,
        operator: Address,
        condition_id: u64,
        strategies: &[Address],
        wads: &[u64],
        evidence: B256,
    ) -> Result<(), Revert> {
        let (avs, set_id) = self.existing_condition(condition_id)?;
        let key = set_key(avs, set_id);
        let recipient = self.conditions.getter(condition_id).recipient.get();
        let dm = self.delegation_manager.get();
        emit!(self.vm(), OperatorSlashed; [id, operator, condition_id]; [evidence]);
        let mut any = false;
        for (&strategy, &wad) in strategies.iter().zip(wads) {
            let (allocation, m) = self.settled(operator, key, strategy);
            let (next, after, slashed) = slash(allocation, m, wad.min(FULL));
            self.store(operator, key, strategy, next, after);
            if slashed == 0 {
                continue;
            }
            any = true;
            emit!(self.vm(), StrategySlashed; [id, operator, strategy]; [wad, slashed, after.max]);
            emit!(self.vm(), EncumberedMagnitudeUpdated; [operator, strategy]; [after.encumbered]);
            let to = if recipient.is_zero() { BURN_ADDRESS } else { recipient };
            let context = Call::new_mutating(self);
            let shares =
                delegation_manager::slash_operator_shares(self.vm(), context, dm, operator, strategy, (m.max, after.max), (to, avs))?;
            if recipient.is_zero() {
                emit!(self.vm(), FundsBurned; [id, strategy]; [shares]);
            } else {
                emit!(self.vm(), FundsRedistributed; [id, strategy, recipient]; [shares]);
            }
        }
        if !any {
            return Err(revert!(NoSlashableAllocation { operator, conditionId: condition_id }));
        }
        Ok(())
    }
}

/// keccak256 of the packed (strategy, wad) entries of a slash request.
fn entries_hash(strategies: &[Address], wads: &[u64]) -> B256 {
    let mut packed = Vec::with_capacity(28 * strategies.len());
    for (strategy, wad) in strategies.iter().zip(wads) {
        packed.extend_from_slice(strategy.as_slice());
        packed.extend_from_slice(&wad.to_be_bytes());
    }
    keccak256(packed)
}
