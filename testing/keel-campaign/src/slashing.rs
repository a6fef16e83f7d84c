//! AVS and operator actions: sets, conditions, registration, allocation,
//! slashing and vetoable slash requests.

use crate::{
    action::WadPick,
    actors::*,
    ghost::{Condition, Incident, Request, Set},
    Campaign,
};
use alloy_primitives::{Address, B256, U256};
use keel_avs_registry::EXECUTION_WINDOW;
use keel_fixtures::{dm::IDelegationManager::OperatorSlashed, registry::*, *};
use keel_math::allocation::FULL;

/// Most sets and conditions per episode (keeps each step's checks bounded).
const MAX_SETS: usize = 6;
const MAX_CONDITIONS: usize = 12;
/// Pause flag index of the registry.
const REG_I: usize = 2;
/// Veto window of vetoable conditions.
const VETO: u64 = 86_400;

impl Campaign {
    pub(crate) fn create_set(&mut self, avs: usize, cap_percent: u64, veto: bool, redistribute: bool) -> bool {
        if self.ghost.sets.len() >= MAX_SETS {
            return false;
        }
        let avs = AVSS[avs];
        if !self.world.call(OWNER, REGISTRY, &IReg::isAVSCall { avs }).expect("view") {
            let call = IReg::registerAVSCall { metadataURI: "https://avs.example/meta.json".into() };
            self.world.call(avs, REGISTRY, &call).expect("an AVS registers once");
        }
        let id = self.ghost.sets.iter().filter(|s| s.avs == avs).count() as u64;
        self.act(avs, &IReg::createOperatorSetCall { setId: id, strategies: vec![TOKEN] }).expect("a new set is created");
        self.ghost.sets.push(Set { avs, id });
        self.add_condition(self.ghost.sets.len() - 1, cap_percent, veto, redistribute);
        true
    }

    pub(crate) fn add_condition(&mut self, set: usize, cap_percent: u64, veto: bool, redistribute: bool) -> bool {
        if self.ghost.sets.is_empty() || self.ghost.conditions.len() >= MAX_CONDITIONS {
            return false;
        }
        let set = set % self.ghost.sets.len();
        let Set { avs, id } = self.ghost.sets[set].clone();
        let (cap, veto) = (cap_percent * (FULL / 100), if veto { VETO } else { 0 });
        let call = IReg::addSlashingConditionCall {
            setId: id,
            maxSlashWad: cap,
            slasher: avs,
            vetoWindow: veto,
            resolver: if veto == 0 { Address::ZERO } else { RESOLVER },
            redistributionRecipient: if redistribute { VICTIMS } else { Address::ZERO },
            descriptionURI: "ipfs://condition".into(),
            evidenceSchemaHash: B256::repeat_byte(0x5e),
        };
        let id = self.act(avs, &call).expect("a valid condition is added");
        self.ghost.conditions.push(Condition {
            id,
            set,
            cap,
            veto,
            slasher: avs,
            pending: None,
            retired: false,
            redistributes: redistribute,
        });
        true
    }

    /// Opens a position that can be slashed from the first action (the
    /// operators' allocation delays set at setup are in effect by then): the
    /// first AVS creates a set with an immediate burning condition (cap
    /// 30%) and a vetoable redistributing one (cap 10%), the first operator
    /// joins it accepting both and allocates half its magnitude, and that
    /// allocation takes effect. Two episodes in three start this way (by
    /// seed; CI's first among them), so slashes, requests, vetoes,
    /// executions and escrow payouts happen early; the others start from
    /// nothing.
    pub(crate) fn open_slashable_position(&mut self) {
        let opened = self.create_set(0, 30, false, false) && self.add_condition(0, 10, true, true) && self.join(0, 0, 0b11);
        let allocated = opened && self.allocate(0, 0, 50);
        self.check(allocated, || "the slashable position could not be opened".into());
        let delay = self.ghost.allocation_delays.get(&OPERATORS[0]).and_then(|d| d.at(self.world.timestamp())).map_or(0, |d| d.delay);
        self.world.advance(delay + 1);
    }

    pub(crate) fn retire_condition(&mut self, condition: usize) -> bool {
        let Some(c) = self.pick_condition(condition) else { return false };
        let avs = self.ghost.sets[self.ghost.conditions[c].set].avs;
        let ok = self.act(avs, &IReg::retireSlashingConditionCall { conditionId: self.ghost.conditions[c].id }).is_ok();
        self.check(ok != self.ghost.conditions[c].retired, || "retiring a condition disagrees with its state".into());
        self.ghost.conditions[c].retired = true;
        ok
    }

    pub(crate) fn change_slasher(&mut self, condition: usize) -> bool {
        let Some(c) = self.pick_condition(condition) else { return false };
        let now = self.world.timestamp();
        let avs = self.ghost.sets[self.ghost.conditions[c].set].avs;
        let current = self.ghost.conditions[c].slasher_at(now);
        let next = if current == avs { ALT_SLASHER } else { avs };
        let ok = self.act(avs, &IReg::setConditionSlasherCall { conditionId: self.ghost.conditions[c].id, slasher: next }).is_ok();
        if ok {
            self.ghost.conditions[c].slasher = current;
            self.ghost.conditions[c].pending = Some((next, now + SLASHER_DELAY));
        }
        ok
    }

    pub(crate) fn join(&mut self, operator: usize, set: usize, accept: u8) -> bool {
        if self.ghost.sets.is_empty() {
            return false;
        }
        let (operator, set) = (OPERATORS[operator], set % self.ghost.sets.len());
        let ids: Vec<u64> = self.conditions_of(set).enumerate().filter(|(i, _)| accept & (1 << (i % 8)) != 0).map(|(_, c)| c.id).collect();
        let Set { avs, id } = self.ghost.sets[set].clone();
        let call = IReg::registerForOperatorSetsCall { avs, setIds: vec![id], acceptedConditionIds: ids.clone() };
        let ok = self.act(operator, &call).is_ok();
        if ok {
            self.check(!self.ghost.is_paused(REG_I, 0), || "an operator registered while registration was paused".into());
            let retired = self.conditions_of(set).any(|c| c.retired && ids.contains(&c.id));
            self.check(!retired, || "an operator accepted a retired condition".into());
            self.ghost.registrations.insert((operator, set), u64::MAX);
            self.ghost.accepted.extend(ids.into_iter().map(|id| (operator, id)));
        }
        ok
    }

    pub(crate) fn accept(&mut self, operator: usize, condition: usize) -> bool {
        let Some(c) = self.pick_condition(condition) else { return false };
        let operator = OPERATORS[operator];
        let Condition { id, set, retired, .. } = self.ghost.conditions[c].clone();
        let ok = self.act(operator, &IReg::acceptSlashingConditionsCall { conditionIds: vec![id] }).is_ok();
        if ok {
            let registered = self.ghost.registrations.get(&(operator, set)) == Some(&u64::MAX);
            self.check(registered && !retired, || "a condition was accepted outside a registration or after retirement".into());
            self.ghost.accepted.insert((operator, id));
        }
        ok
    }

    pub(crate) fn leave(&mut self, operator: usize, set: usize) -> bool {
        if self.ghost.sets.is_empty() {
            return false;
        }
        let (operator, set) = (OPERATORS[operator], set % self.ghost.sets.len());
        let Set { avs, id } = self.ghost.sets[set].clone();
        let ok = self.act(operator, &IReg::deregisterFromOperatorSetsCall { avs, setIds: vec![id] }).is_ok();
        if ok {
            self.ghost.registrations.insert((operator, set), self.world.timestamp() + self.ghost.deallocation_delay);
        }
        ok
    }

    pub(crate) fn allocate(&mut self, operator: usize, set: usize, percent: u64) -> bool {
        if self.ghost.sets.is_empty() {
            return false;
        }
        let (operator, set) = (OPERATORS[operator], set % self.ghost.sets.len());
        let Set { avs, id } = self.ghost.sets[set].clone();
        let max = magnitudes(&self.world, operator).0;
        let ok = self.allocate_checked(operator, avs, id, (max as u128 * percent as u128 / 100) as u64);
        self.check(!(ok && self.ghost.is_paused(REG_I, 1)), || "an allocation changed while allocation was paused".into());
        ok
    }

    pub(crate) fn slash(&mut self, operator: usize, condition: usize, pick: WadPick, caller: u8, request: bool) -> bool {
        let operator = OPERATORS[operator];
        // Mostly a condition the operator accepted (else few slashes would go through).
        let Some(c) = self.pick_accepted(operator, condition, request).or_else(|| self.pick_condition(condition)) else { return false };
        let cond = self.ghost.conditions[c].clone();
        let Set { avs, id: set_id } = self.ghost.sets[cond.set].clone();
        let now = self.world.timestamp();
        let wad = match pick {
            WadPick::Cap => cond.cap,
            WadPick::AboveCap => cond.cap + 1,
            WadPick::Part(p) => ((cond.cap as u128 * p as u128 / 100) as u64).max(1),
        };
        let caller = match caller {
            0 => cond.slasher_at(now),
            1 => avs,
            2 => ALT_SLASHER,
            _ => ALICE,
        };
        let allocated = allocation(&self.world, operator, avs, set_id).0;
        let max_before = magnitudes(&self.world, operator).0;
        let exposure = self.exposure(operator, avs, set_id);
        let stake_before = self.operator_shares(operator);
        let evidence = fresh_evidence();
        let escrow_before = self.escrow_before(&cond);
        let Ok(slash_id) = self.slash_call(caller, (operator, cond.id, evidence), wad, request) else { return false };
        self.check_escrow_release(&cond, escrow_before);
        self.ghost.incidents.push((operator, cond.id, evidence));
        self.check(caller == cond.slasher_at(now), || format!("{caller} slashed without being the condition's slasher"));
        self.check(self.ghost.accepted.contains(&(operator, cond.id)), || {
            "an operator was slashed under a condition it never accepted".into()
        });
        self.check(self.ghost.slashable(operator, cond.set, now), || "an operator was slashed outside its registration".into());
        self.check(!cond.retired, || "a retired condition slashed".into());
        self.check(wad <= cond.cap, || format!("a slash of {wad} passed the cap {}", cond.cap));
        self.check((cond.veto != 0) == request, || "a slash ignored its condition's veto window".into());
        if request {
            let request =
                Request { id: slash_id, operator, condition: c, wad, at: now, closed: false, slasher: caller, allocated, max: max_before };
            self.ghost.requests.push(request);
        } else {
            self.check_slashed(operator, allocated, max_before, wad);
            // The exposure views promise an upper bound: one incident takes at
            // most what `slashableStake` said it could, which is at most the total.
            let (in_all, per_incident) = exposure;
            let taken = stake_before.saturating_sub(self.operator_shares(operator));
            self.check(taken <= per_incident && per_incident <= in_all, || {
                format!("a slash took {taken} shares where the exposure view said one incident could take {per_incident} (of {in_all})")
            });
        }
        true
    }

    /// The registry's exposure view of `operator` in the set: the token shares
    /// it can slash in all and in one incident.
    fn exposure(&self, operator: Address, avs: Address, set_id: u64) -> (U256, U256) {
        let call = IReg::slashableStakeCall { operator, avs, setId: set_id, strategy: TOKEN };
        let view = self.world.call(OWNER, REGISTRY, &call).expect("the exposure view answers for a known set");
        (view._0, view._1)
    }

    /// `operator`'s delegated token shares after slashing.
    fn operator_shares(&self, operator: Address) -> U256 {
        self.world.call(OWNER, DM, &IDM::operatorStakeCall { operator, token: TOKEN }).expect("a view")._0
    }

    /// `caller` slashes (or requests) `wad` of `operator`'s token allocation
    /// under `incident`'s condition and evidence; returns the slash id.
    fn slash_call(&self, caller: Address, incident: Incident, wad: u64, request: bool) -> Result<u64, Revert> {
        let (operator, condition_id, evidence) = incident;
        let (strategies, wads) = (vec![TOKEN], vec![wad]);
        if request {
            self.world.call(
                caller,
                REGISTRY,
                &IReg::requestSlashCall { operator, conditionId: condition_id, strategies, wads, evidenceHash: evidence },
            )
        } else {
            self.world.call(
                caller,
                REGISTRY,
                &IReg::slashCall { operator, conditionId: condition_id, strategies, wads, evidenceHash: evidence },
            )
        }
    }

    /// A slasher reuses an incident's evidence (against the same operator and
    /// condition): refused, whether as a slash or a request.
    pub(crate) fn repeat_incident(&mut self, pick: usize, request: bool) -> bool {
        if self.ghost.incidents.is_empty() {
            return false;
        }
        let incident = self.ghost.incidents[pick % self.ghost.incidents.len()];
        let Some(cond) = self.ghost.conditions.iter().find(|c| c.id == incident.1).cloned() else { return false };
        let caller = cond.slasher_at(self.world.timestamp());
        let ok = self.slash_call(caller, incident, 1, request).is_ok();
        self.check(!ok, || format!("incident {incident:?} was slashed twice"));
        ok
    }

    /// `operator` queues a deallocation of its whole allocation to the set
    /// of a vetoable condition it accepted, `percent` of the deallocation
    /// delay passes, the slasher requests the cap there, the AVS maybe
    /// retires the condition (`interfere` 1) or hands it to another slasher
    /// (2), the veto window passes and anyone executes the request.
    pub(crate) fn deallocate_then_request(&mut self, operator: usize, condition: usize, percent: u64, interfere: u8) -> bool {
        let pick = condition * 5 + 1;
        let Some(c) = self.pick_accepted(OPERATORS[operator], pick, true) else { return false };
        let Set { avs, id } = self.ghost.sets[self.ghost.conditions[c].set].clone();
        let deallocate = IReg::modifyAllocationsCall { avs, setId: id, strategies: vec![TOKEN], magnitudes: vec![0] };
        let ok = self.act(OPERATORS[operator], &deallocate).is_ok();
        self.check(!(ok && self.ghost.is_paused(REG_I, 1)), || "an allocation changed while allocation was paused".into());
        self.world.advance(self.ghost.deallocation_delay * percent / 100);
        if !self.slash(operator, pick, WadPick::Cap, 0, true) {
            return false;
        }
        match interfere {
            1 => self.retire_condition(c),
            2 => self.change_slasher(c),
            _ => false,
        };
        self.world.advance(self.ghost.conditions[c].veto);
        self.execute_request(self.ghost.requests.len() - 1, false)
    }

    /// After a slash of `wad` of an allocation of `allocated` (max magnitude
    /// `max_before`): it took no more than the allocation and the wad of it.
    pub(crate) fn check_slashed(&mut self, operator: Address, allocated: u64, max_before: u64, wad: u64) {
        let max_after = magnitudes(&self.world, operator).0;
        let taken = max_before.saturating_sub(max_after);
        let bound = (allocated as u128 * wad as u128).div_ceil(FULL as u128) as u64;
        self.check(taken <= allocated && taken <= bound, || format!("a slash took {taken} of an allocation {allocated} at wad {wad}"));
        self.record_magnitudes();
    }

    pub(crate) fn veto(&mut self, request: usize, by_resolver: bool) -> bool {
        if self.ghost.requests.is_empty() {
            return false;
        }
        let r = self.pick_request(request);
        let Request { id, condition, at, closed, .. } = self.ghost.requests[r].clone();
        let caller = if by_resolver { RESOLVER } else { BOB };
        let ok = self.world.call(caller, REGISTRY, &IReg::vetoSlashCall { slashId: id }).is_ok();
        if ok {
            let open = self.world.timestamp() < at + self.ghost.conditions[condition].veto;
            self.check(by_resolver && !closed && open, || "a veto by someone else, twice or too late went through".into());
            self.ghost.requests[r].closed = true;
        }
        ok
    }

    pub(crate) fn execute(&mut self, request: usize, tamper: bool, wait: bool) -> bool {
        if self.ghost.requests.is_empty() {
            return false;
        }
        let r = self.pick_request(request);
        let Request { at, condition, .. } = self.ghost.requests[r];
        let opens = at + self.ghost.conditions[condition].veto;
        let now = self.world.timestamp();
        if wait && now < opens {
            self.world.advance(opens - now);
        }
        self.execute_request(r, tamper)
    }

    /// Anyone executes the request at index `r` of the model, maybe tampered.
    fn execute_request(&mut self, r: usize, tamper: bool) -> bool {
        let Request { id, operator, condition, wad, at, closed, slasher, allocated: at_request, max } = self.ghost.requests[r].clone();
        let cond = self.ghost.conditions[condition].clone();
        let Set { avs, id: set_id } = self.ghost.sets[cond.set].clone();
        let allocated = allocation(&self.world, operator, avs, set_id).0;
        let max_before = magnitudes(&self.world, operator).0;
        let wads = vec![if tamper { wad + 1 } else { wad }];
        let escrow_before = self.escrow_before(&cond);
        let ok = self.world.call(CAROL, REGISTRY, &IReg::executeSlashCall { slashId: id, strategies: vec![TOKEN], wads }).is_ok();
        self.check_escrow_release(&cond, escrow_before);
        let now = self.world.timestamp();
        let window = now >= at + cond.veto && now < at + cond.veto + EXECUTION_WINDOW;
        let live = !cond.retired && cond.slasher_at(now) == slasher;
        // A request that may execute still reaches the allocation it saw,
        // unless a slash since then took it (deallocations wait for it).
        let untouched = at_request > 0 && magnitudes(&self.world, operator).0 == max;
        self.check(ok || !(!tamper && !closed && window && live && untouched), || {
            format!("request {id} could not reach the allocation {at_request} it was made against")
        });
        if ok {
            self.check(live, || format!("request {id} executed under a retired condition or a replaced slasher"));
            self.check(!tamper && !closed && window, || "a slash request executed tampered, twice, vetoed or outside its window".into());
            self.ghost.requests[r].closed = true;
            self.check_slashed(operator, allocated, max_before, wad);
        }
        ok
    }

    /// The StrategyManager's escrow record the slashes of `cond` fill:
    /// (shares, release time).
    fn escrow_of(&self, cond: &Condition) -> (U256, u64) {
        let (recipient, avs) = self.escrow_key(cond);
        let escrow = self.world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient, avs }).expect("view");
        (escrow._0, escrow._1)
    }

    /// (recipient, AVS key) of `cond`'s escrow record: its AVS's own record
    /// of the redistribution recipient, or the burns' shared one.
    fn escrow_key(&self, cond: &Condition) -> (Address, Address) {
        if cond.redistributes {
            (VICTIMS, self.ghost.sets[cond.set].avs)
        } else {
            (RECIPIENTS[0], Address::ZERO)
        }
    }

    /// `cond`'s escrow record before a slash, and how many DelegationManager
    /// slash events the logs held then.
    pub(crate) fn escrow_before(&self, cond: &Condition) -> EscrowBefore {
        EscrowBefore { record: self.escrow_of(cond), events: self.world.events::<OperatorSlashed>(DM).len() }
    }

    /// After a slash (or an attempt) under `cond`: the DelegationManager's
    /// new slash events name the condition's recipient, and its record grew
    /// by exactly the shares they took (the operator's and the queue's),
    /// released the slash escrow delay after now; a slash taking nothing
    /// leaves the record as it was.
    pub(crate) fn check_escrow_release(&mut self, cond: &Condition, before: EscrowBefore) {
        let (shares, release) = self.escrow_of(cond);
        let (now, delay) = (self.world.timestamp(), self.ghost.slash_escrow_delay);
        let recipient = self.escrow_key(cond).0;
        let events = self.world.events::<OperatorSlashed>(DM);
        let new = events.get(before.events..).unwrap_or_default();
        self.check(new.iter().all(|e| e.recipient == recipient), || format!("a slash paid another recipient than {recipient}"));
        let taken: U256 = new.iter().filter(|e| e.token == TOKEN).map(|e| e.operatorShares + e.queuedShares).sum();
        let (held, released_at) = before.record;
        if taken.is_zero() {
            self.check(shares == held && release == released_at, || {
                format!("a slash taking nothing moved its escrow record from ({held}, {released_at}) to ({shares}, {release})")
            });
        } else {
            self.check(shares == held + taken, || {
                format!("a slash took {taken} shares but its escrow record went from {held} to {shares}")
            });
            self.check(release == now + delay, || {
                format!("slashed shares added at {now} are released at {release}, not after the {delay}-second escrow")
            });
        }
    }

    /// Pays every escrow record of `recipient` (one per slashing AVS for a
    /// redistribution recipient); true if any paid.
    pub(crate) fn clear_slashed(&mut self, recipient: usize) -> bool {
        let recipient = RECIPIENTS[recipient];
        let records = escrow_records().into_iter().filter(|(r, _)| *r == recipient);
        records.fold(false, |any, (_, avs)| self.clear_slashed_record(recipient, avs) || any)
    }

    fn clear_slashed_record(&mut self, recipient: Address, avs: Address) -> bool {
        let escrow = self.world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient, avs }).expect("view");
        let (now, paused) = (self.world.timestamp(), |bit| self.ghost.is_paused(crate::staking::SM_I, bit));
        let (withdrawals_paused, payouts_paused) = (paused(1), paused(2));
        let ok = self.world.call(DA, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient, avs }).is_ok();
        self.check(!(ok && withdrawals_paused), || "slashed shares were paid out while withdrawals were paused".into());
        self.check(!(ok && payouts_paused), || "slashed shares were paid out while slash payouts were paused".into());
        self.check(!ok || now >= escrow._1, || format!("slashed shares escrowed until {} were paid out at {now}", escrow._1));
        let due = !escrow._0.is_zero() && now >= escrow._1 && !withdrawals_paused && !payouts_paused;
        self.check(ok || !due, || format!("{} slashed shares of {avs} past their escrow could not be paid to {recipient}", escrow._0));
        ok
    }

    /// Appends each operator's DelegationManager magnitude to the model's
    /// history if it changed.
    pub(crate) fn record_magnitudes(&mut self) {
        let now = self.world.timestamp();
        for operator in OPERATORS {
            let m = magnitude(&self.world, operator);
            let history = self.ghost.magnitudes.entry(operator).or_default();
            if history.last().map(|(_, last)| *last) != Some(m) {
                history.push((now, m));
            }
        }
    }

    /// With `pick` not a multiple of 5: a live condition `operator` accepted,
    /// with a veto window if `vetoable`.
    fn pick_accepted(&self, operator: Address, pick: usize, vetoable: bool) -> Option<usize> {
        if pick.is_multiple_of(5) {
            return None;
        }
        let live: Vec<usize> = (0..self.ghost.conditions.len())
            .filter(|&i| {
                let c = &self.ghost.conditions[i];
                !c.retired && (c.veto != 0) == vetoable && self.ghost.accepted.contains(&(operator, c.id))
            })
            .collect();
        (!live.is_empty()).then(|| live[pick % live.len()])
    }

    /// A request: mostly one still open (neither closed nor past its
    /// execution window), one in five any request.
    fn pick_request(&self, pick: usize) -> usize {
        let now = self.world.timestamp();
        let live = |r: &Request| !r.closed && now < r.at + self.ghost.conditions[r.condition].veto + EXECUTION_WINDOW;
        let open: Vec<usize> = (0..self.ghost.requests.len()).filter(|&i| live(&self.ghost.requests[i])).collect();
        if pick.is_multiple_of(5) || open.is_empty() {
            pick % self.ghost.requests.len()
        } else {
            open[pick % open.len()]
        }
    }

    fn pick_condition(&self, pick: usize) -> Option<usize> {
        (!self.ghost.conditions.is_empty()).then(|| pick % self.ghost.conditions.len())
    }

    fn conditions_of(&self, set: usize) -> impl Iterator<Item = &Condition> {
        self.ghost.conditions.iter().filter(move |c| c.set == set)
    }
}

/// An escrow record before a slash, and the DelegationManager's slash
/// events in the logs then.
pub(crate) struct EscrowBefore {
    record: (U256, u64),
    events: usize,
}
