//! Keel's AVS registry: operator sets, opt-in slashing conditions,
//! unique-stake allocations and slashing.
//!
//! * AVSs register, create operator sets `(avs, setId)` of at most
//!   [`MAX_STRATEGIES`] strategies, and publish slashing conditions: cap per
//!   incident, slasher, veto window and resolver, redistribution recipient,
//!   description and evidence schema. A condition never changes (only its
//!   slasher, and only after the slasher change delay); it can be retired.
//! * Operators (of the DelegationManager) register for sets, accepting an
//!   explicit list of conditions, and allocate magnitude per (set, strategy)
//!   out of their max magnitude ([`keel_math::allocation`]).
//! * A condition's slasher slashes at most the condition's cap of each
//!   allocation; the registry lowers the allocation and the operator's max
//!   magnitude and calls [`DelegationManager.slashOperatorShares`], which
//!   slashes every delegated staker in O(1) and records the slashed shares
//!   for the burn address or the condition's redistribution recipient.
//!   Under a condition with a veto window a slash is requested, may be vetoed
//!   by the resolver during the window, and is executed by anyone afterwards,
//!   before it expires.
//!
//! Call graph: registry → DelegationManager → StrategyManager; nothing calls
//! back into the registry.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

mod avs;
mod delegation_manager;
pub mod errors;
mod exposure;
mod operators;
mod slashing;

use alloc::{string::String, vec::Vec};
use alloy_primitives::{
    aliases::{U32, U64},
    Address, B256, U256,
};
use errors::*;
use keel_components::{access::ZeroAddress, appointees::Appointees, emit, revert, Access, Revert};
use keel_math::allocation::{Allocation, Magnitudes};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageMap, StorageU256, StorageU32, StorageU64, StorageU8, StorageVec},
};

/// Most strategies an operator set may hold.
pub const MAX_STRATEGIES: usize = 32;
/// Most conditions not retired an operator set may have: the exposure views
/// read them all to find the largest cap an operator accepted, so their
/// number is bounded (an AVS retires a condition to publish another).
pub const MAX_ACTIVE_CONDITIONS: usize = 16;
/// Longest veto window a condition may have.
pub const MAX_VETO_WINDOW: u64 = 2 * 86_400;
/// Time after its veto window in which a slash request can be executed.
/// The DelegationManager's shortest withdrawal delay is at least
/// `MAX_VETO_WINDOW + EXECUTION_WINDOW`, so a withdrawal queued once a
/// request is public is still slashable when the request executes.
pub const EXECUTION_WINDOW: u64 = 86_400;
/// Floor of the allocation configuration delay: 17.5 days, the
/// DelegationManager's longest withdrawal delay (14 days, only ever raised
/// towards it) plus 3.5 days for a staker to see a change and queue.
///
/// An operator's allocation delay `D` (how long an increase waits before it
/// is slashable) may be anything, 0 included: stakers see it before they
/// delegate. Every change of it, the first included, takes effect only after
/// the configuration delay `C`. A staker who sees a change at `t` and queues
/// at once completes by `t + 14 days`; an allocation made under the new delay
/// is slashable from `t + C + D' ≥ t + C` on, and one made before, under the
/// old delay `D`, from `t + D` on. With `C` above 14 days, lowering the delay
/// (say to 0, to slash stake to an AVS of the operator's own) never reaches a
/// staker who left when the change was announced; the stakers who stay (or
/// arrive) accept the new delay. This is EigenLayer's
/// `ALLOCATION_CONFIGURATION_DELAY`.
pub const MIN_ALLOCATION_CONFIGURATION_DELAY: u64 = 35 * 43_200;
/// Floor of the deallocation delay: a request's veto and execution windows
/// fit inside it, so an operator cannot deallocate out of a requested slash.
pub const MIN_DEALLOCATION_DELAY: u64 = MAX_VETO_WINDOW + EXECUTION_WINDOW;
/// Floor of the slasher change delay.
pub const MIN_SLASHER_CHANGE_DELAY: u64 = 86_400;
/// Ceiling of every owner-set delay (a year).
pub const MAX_DELAY: u64 = 365 * 86_400;
pub use keel_components::BURN_ADDRESS;
/// Pause flag of operator registration and condition acceptance.
pub const PAUSED_REGISTRATION: u8 = 0;
/// Pause flag of allocation changes.
pub const PAUSED_ALLOCATION: u8 = 1;

/// An operator set.
#[storage]
pub struct OperatorSet {
    exists: StorageBool,
    strategies: StorageVec<StorageAddress>,
    contains: StorageMap<Address, StorageBool>,
    /// Ids of the set's conditions that are not retired (at most [`MAX_ACTIVE_CONDITIONS`]).
    active_conditions: StorageVec<StorageU64>,
}

/// A published slashing condition (immutable but for its slasher). Laid out
/// so a slash reads three words: (AVS, set id, retired), (slasher, slasher
/// change time, veto window), (recipient, cap); the pending slasher is read
/// only while a change is queued (its time is not zero).
#[storage]
pub struct Condition {
    avs: StorageAddress,
    set_id: StorageU64,
    retired: StorageBool,
    slasher: StorageAddress,
    slasher_effective_at: StorageU64,
    /// At most [`MAX_VETO_WINDOW`], which fits 32 bits.
    veto_window: StorageU32,
    recipient: StorageAddress,
    max_wad: StorageU64,
    pending_slasher: StorageAddress,
    resolver: StorageAddress,
    description: StorageB256,
    evidence_schema: StorageB256,
}

/// An operator's allocation delay: the one in effect and a pending change.
#[storage]
pub struct AllocationDelay {
    delay: StorageU64,
    pending: StorageU64,
    effective_at: StorageU64,
    set: StorageBool,
    pending_set: StorageBool,
}

/// A slash waiting out its veto window.
#[storage]
pub struct SlashRequest {
    operator: StorageAddress,
    condition: StorageU64,
    status: StorageU8,
    requested_at: StorageU64,
    /// The slasher who made the request: it executes only while still the slasher.
    slasher: StorageAddress,
    evidence: StorageB256,
    entries: StorageB256,
}

/// Storage of the AVS registry.
#[storage]
pub struct AvsRegistry {
    access: Access,
    delegation_manager: StorageAddress,
    /// Beside the DelegationManager: a slash reads both from one word.
    slash_count: StorageU64,
    allocation_configuration_delay: StorageU64,
    deallocation_delay: StorageU64,
    slasher_change_delay: StorageU64,
    condition_count: StorageU64,
    avs: StorageMap<Address, StorageBool>,
    sets: StorageMap<B256, OperatorSet>,
    conditions: StorageMap<u64, Condition>,
    /// operator → set key → `u64::MAX` while registered, else slashable-until time.
    registrations: StorageMap<Address, StorageMap<B256, StorageU64>>,
    /// operator → condition id / 256 → bitmap of the accepted ids (bit id % 256):
    /// the conditions of a set, published one after another, share a word.
    accepted: StorageMap<Address, StorageMap<u64, StorageU256>>,
    allocation_delays: StorageMap<Address, AllocationDelay>,
    /// operator → strategy → packed [`Magnitudes`].
    magnitudes: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// operator → set key → strategy → packed [`Allocation`].
    allocations: StorageMap<Address, StorageMap<B256, StorageMap<Address, StorageU256>>>,
    requests: StorageMap<u64, SlashRequest>,
    /// keccak256(operator, condition, evidence hash) of every slash and request made.
    evidence_used: StorageMap<B256, StorageBool>,
    /// Who may call which `act` function for which operator or AVS.
    appointees: Appointees,
}

// SAFETY: `AvsRegistry` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for AvsRegistry {}

keel_components::contract_abi! {
    AvsRegistry: "IAvsRegistry", access: access,
        constructor(owner: Address, delegationManager: Address, allocationConfigurationDelay: u64, deallocationDelay: u64, slasherChangeDelay: u64) => constructor,
        batch: multicall,
        appointees: appointees,
        items: [errors::AvsRegistryAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi, keel_components::appointees::AppointeesAbi];
    write setParameters(allocationConfigurationDelay: u64, deallocationDelay: u64, slasherChangeDelay: u64) => set_parameters;
    write registerAVS(metadataURI: String) => register_avs;
    act updateAVSMetadataURI(metadataURI: String) => update_avs_metadata_uri;
    act createOperatorSet(setId: u64, strategies: Vec<Address>) => create_operator_set;
    act addStrategiesToOperatorSet(setId: u64, strategies: Vec<Address>) => add_strategies;
    act removeStrategiesFromOperatorSet(setId: u64, strategies: Vec<Address>) => remove_strategies;
    act addSlashingCondition(setId: u64, maxSlashWad: u64, slasher: Address, vetoWindow: u64, resolver: Address, redistributionRecipient: Address, descriptionURI: String, evidenceSchemaHash: B256) -> (u64)
        => add_slashing_condition;
    act retireSlashingCondition(conditionId: u64) => retire_slashing_condition;
    act setConditionSlasher(conditionId: u64, slasher: Address) => set_condition_slasher;
    act registerForOperatorSets(avs: Address, setIds: Vec<u64>, acceptedConditionIds: Vec<u64>) => register_for_operator_sets;
    act acceptSlashingConditions(conditionIds: Vec<u64>) => accept_slashing_conditions;
    act deregisterFromOperatorSets(avs: Address, setIds: Vec<u64>) => deregister_from_operator_sets;
    act setAllocationDelay(delay: u64) => set_allocation_delay;
    act modifyAllocations(avs: Address, setId: u64, strategies: Vec<Address>, magnitudes: Vec<u64>) => modify_allocations;
    write slash(operator: Address, conditionId: u64, strategies: Vec<Address>, wads: Vec<u64>, evidenceHash: B256) -> (u64) => slash;
    write requestSlash(operator: Address, conditionId: u64, strategies: Vec<Address>, wads: Vec<u64>, evidenceHash: B256) -> (u64) => request_slash;
    write vetoSlash(slashId: u64) => veto_slash;
    write executeSlash(slashId: u64, strategies: Vec<Address>, wads: Vec<u64>) => execute_slash;
    view isAVS(avs: Address) -> (bool) => is_avs;
    view operatorSetStrategies(avs: Address, setId: u64) -> (Vec<Address>) => operator_set_strategies;
    view slashingCondition(conditionId: u64) -> (Address, u64, u64, u64, Address, Address, bool) => slashing_condition;
    view conditionDetails(conditionId: u64) -> (Address, Address, u64, B256, B256) => condition_details;
    view registrationStatus(operator: Address, avs: Address, setId: u64) -> (bool, bool, u64) => registration_status;
    view hasAcceptedCondition(operator: Address, conditionId: u64) -> (bool) => has_accepted_condition;
    view allocationDelay(operator: Address) -> (bool, u64) => allocation_delay;
    view pendingAllocationDelay(operator: Address) -> (u64, u64) => pending_allocation_delay;
    view allocation(operator: Address, avs: Address, setId: u64, strategy: Address) -> (u64, u64, u64) => allocation;
    view operatorMagnitudes(operator: Address, strategy: Address) -> (u64, u64, u64) => operator_magnitudes;
    view slashRequest(slashId: u64) -> (Address, u64, u8, u64, B256, u64) => slash_request;
    view parameters() -> (Address, u64, u64, u64) => parameters;
    view activeSlashingConditions(avs: Address, setId: u64) -> (Vec<u64>) => active_slashing_conditions;
    view largestSlashCap(operator: Address, avs: Address, setId: u64) -> (u64, u64) => largest_slash_cap;
    view slashableStake(operator: Address, avs: Address, setId: u64, strategy: Address) -> (U256, U256) => slashable_stake;
    view stakerSlashableStake(staker: Address, avs: Address, setId: u64, strategy: Address) -> (U256, U256) => staker_slashable_stake;
}

/// Where condition `id`'s acceptance lives: its bitmap word and bit.
fn accepted_bit(id: u64) -> (u64, usize) {
    (id >> 8, (id & 0xff) as usize)
}

/// The storage key of operator set (`avs`, `set_id`): the address, then the id.
pub fn set_key(avs: Address, set_id: u64) -> B256 {
    let mut key = B256::ZERO;
    key[..20].copy_from_slice(avs.as_slice());
    key[24..].copy_from_slice(&set_id.to_be_bytes());
    key
}

impl AvsRegistry {
    /// Sets the owner, the DelegationManager and the three delays (seconds).
    pub fn constructor(
        &mut self,
        owner: Address,
        delegation_manager: Address,
        allocation_configuration: u64,
        deallocation: u64,
        slasher_change: u64,
    ) -> Result<(), Revert> {
        self.access.init(owner)?;
        if delegation_manager.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.delegation_manager.set(delegation_manager);
        self.apply_parameters(allocation_configuration, deallocation, slasher_change)
    }

    /// Owner sets the allocation configuration delay, the deallocation delay
    /// and the slasher change delay, each at least its floor and at most [`MAX_DELAY`].
    pub fn set_parameters(&mut self, allocation_configuration: u64, deallocation: u64, slasher_change: u64) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.apply_parameters(allocation_configuration, deallocation, slasher_change)
    }

    fn apply_parameters(&mut self, allocation_configuration: u64, deallocation: u64, slasher_change: u64) -> Result<(), Revert> {
        for (delay, minimum) in [
            (allocation_configuration, MIN_ALLOCATION_CONFIGURATION_DELAY),
            (deallocation, MIN_DEALLOCATION_DELAY),
            (slasher_change, MIN_SLASHER_CHANGE_DELAY),
        ] {
            if delay < minimum {
                return Err(revert!(DelayBelowMinimum { delay: U256::from(delay), minimum: U256::from(minimum) }));
            }
            if delay > MAX_DELAY {
                return Err(revert!(DelayAboveMaximum { delay: U256::from(delay), maximum: U256::from(MAX_DELAY) }));
            }
        }
        self.allocation_configuration_delay.set(U64::from(allocation_configuration));
        self.deallocation_delay.set(U64::from(deallocation));
        self.slasher_change_delay.set(U64::from(slasher_change));
        emit!(self.vm(), ParametersSet; []; [allocation_configuration, deallocation, slasher_change]);
        Ok(())
    }

    fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    fn load_magnitudes(&self, operator: Address, strategy: Address) -> Magnitudes {
        Magnitudes::unpack(self.magnitudes.getter(operator).get(strategy))
    }

    fn load_allocation(&self, operator: Address, key: B256, strategy: Address) -> Allocation {
        Allocation::unpack(self.allocations.getter(operator).getter(key).get(strategy))
    }

    fn store(&mut self, operator: Address, key: B256, strategy: Address, allocation: Allocation, magnitudes: Magnitudes) {
        self.allocations.setter(operator).setter(key).setter(strategy).set(allocation.pack());
        self.magnitudes.setter(operator).setter(strategy).set(magnitudes.pack());
    }

    /// The allocation and the operator's magnitudes with any change whose
    /// time has come applied (not yet written).
    fn settled(&self, operator: Address, key: B256, strategy: Address) -> (Allocation, Magnitudes) {
        let (allocation, released) = self.load_allocation(operator, key, strategy).settle(self.now());
        let mut magnitudes = self.load_magnitudes(operator, strategy);
        magnitudes.encumbered -= released;
        (allocation, magnitudes)
    }

    // ----- views -----

    /// Whether `avs` registered.
    pub fn is_avs(&self, avs: Address) -> bool {
        self.avs.get(avs)
    }

    /// The strategies of operator set (`avs`, `set_id`).
    pub fn operator_set_strategies(&self, avs: Address, set_id: u64) -> Result<Vec<Address>, Revert> {
        let set = self.existing_set(avs, set_id)?;
        Ok((0..set.strategies.len()).map(|i| set.strategies.get(i).unwrap_or_default()).collect())
    }

    /// Condition `id`: AVS, set id, cap per incident, veto window, resolver,
    /// redistribution recipient (zero: burn) and whether it is retired.
    pub fn slashing_condition(&self, id: u64) -> (Address, u64, u64, u64, Address, Address, bool) {
        let c = self.conditions.getter(id);
        (
            c.avs.get(),
            c.set_id.get().to(),
            c.max_wad.get().to(),
            c.veto_window.get().to(),
            c.resolver.get(),
            c.recipient.get(),
            c.retired.get(),
        )
    }

    /// Condition `id`'s slasher now, its pending slasher and when that takes
    /// effect (zero: none), its description hash and evidence schema hash.
    pub fn condition_details(&self, id: u64) -> (Address, Address, u64, B256, B256) {
        let c = self.conditions.getter(id);
        let (slasher, pending, at) = self.slasher_state(id);
        (slasher, pending, at, c.description.get(), c.evidence_schema.get())
    }

    /// Whether `operator` is registered for set (`avs`, `set_id`), whether it
    /// is slashable there now, and until when it stays slashable after leaving.
    pub fn registration_status(&self, operator: Address, avs: Address, set_id: u64) -> (bool, bool, u64) {
        let until = self.registrations.getter(operator).get(set_key(avs, set_id)).to::<u64>();
        (until == u64::MAX, self.now() < until, if until == u64::MAX { 0 } else { until })
    }

    /// Whether `operator` accepted condition `id`.
    pub fn has_accepted_condition(&self, operator: Address, id: u64) -> bool {
        let (word, bit) = accepted_bit(id);
        self.accepted.getter(operator).get(word).bit(bit)
    }

    /// Whether `operator` has an allocation delay in effect, and that delay.
    pub fn allocation_delay(&self, operator: Address) -> (bool, u64) {
        let d = self.allocation_delays.getter(operator);
        if d.pending_set.get() && self.now() >= d.effective_at.get().to::<u64>() {
            return (true, d.pending.get().to());
        }
        (d.set.get(), d.delay.get().to())
    }

    /// `operator`'s allocation delay waiting to take effect and when it
    /// does, or `(0, 0)` when no change is pending.
    pub fn pending_allocation_delay(&self, operator: Address) -> (u64, u64) {
        let d = self.allocation_delays.getter(operator);
        let at = d.effective_at.get().to::<u64>();
        if !d.pending_set.get() || self.now() >= at {
            return (0, 0);
        }
        (d.pending.get().to(), at)
    }

    /// `operator`'s allocation of `strategy` to set (`avs`, `set_id`) now: the
    /// slashable magnitude, the magnitude it is moving to, and when it gets
    /// there (zero: no change pending).
    pub fn allocation(&self, operator: Address, avs: Address, set_id: u64, strategy: Address) -> (u64, u64, u64) {
        let (a, _) = self.load_allocation(operator, set_key(avs, set_id), strategy).settle(self.now());
        (a.current, a.target(), a.effective_at)
    }

    /// `operator`'s max magnitude of `strategy`, its encumbered magnitude
    /// (decreases that took effect are released when their allocation is next
    /// touched) and the magnitude free to allocate.
    pub fn operator_magnitudes(&self, operator: Address, strategy: Address) -> (u64, u64, u64) {
        let m = self.load_magnitudes(operator, strategy);
        (m.max, m.encumbered, m.allocatable())
    }

    /// Slash request `id`: operator, condition, status (0 none, 1 pending,
    /// 2 vetoed, 3 executed), request time, evidence hash, and the time from
    /// which it can be executed (its expiry is [`EXECUTION_WINDOW`] later).
    pub fn slash_request(&self, id: u64) -> (Address, u64, u8, u64, B256, u64) {
        let r = self.requests.getter(id);
        let condition = r.condition.get().to::<u64>();
        let executable_at = r.requested_at.get().to::<u64>() + self.conditions.getter(condition).veto_window.get().to::<u64>();
        (r.operator.get(), condition, r.status.get().to(), r.requested_at.get().to(), r.evidence.get(), executable_at)
    }

    /// The DelegationManager, the allocation configuration delay, the
    /// deallocation delay and the slasher change delay.
    pub fn parameters(&self) -> (Address, u64, u64, u64) {
        (
            self.delegation_manager.get(),
            self.allocation_configuration_delay.get().to(),
            self.deallocation_delay.get().to(),
            self.slasher_change_delay.get().to(),
        )
    }
}
