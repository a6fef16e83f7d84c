//! ArbOS's chain parameters that the owner precompiles read and write: the
//! chain owners, the cache managers, the Stylus fragment limit, the L1 price per unit, the
//! network fee account, the brotli level and the scheduled ArbOS upgrade.
//!
//! As in nitro, they live in the storage of the ArbOS state account
//! (`0xA4B05FFF…FF`), so they are journaled with the transaction that changes
//! them, persist with the state and read back through `eth_getStorageAt`.
//! The slot layout is this devnet's own (nitro nests sub-storages).

use crate::state::State;
use alloy_primitives::{address, keccak256, Address, B256, U256};

/// The ArbOS state account (nitro: `types.ArbosStateAddress`).
pub const ARBOS_STATE: Address = address!("a4b05fffffffffffffffffffffffffffffffffff");
/// ArbOS version whose rules the devnet follows (multi-fragment contracts).
pub const ARBOS_VERSION: u64 = 60;
/// nitro's default L1 price per unit (`l1pricing.InitialPricePerUnitWei`, 50 gwei).
pub const DEFAULT_L1_PRICE_PER_UNIT: u64 = 50_000_000_000;
/// Brotli level for L2 batches since ArbOS 20 (nitro `arbosState` upgrade to 20).
pub const DEFAULT_BROTLI_LEVEL: u64 = 1;

/// Top bit of a parameter's word: the parameter was set.
const SET: U256 = U256::from_limbs([0, 0, 0, 1 << 63]);

/// A parameter's slot in the ArbOS state account.
fn slot(name: &str) -> B256 {
    keccak256(format!("keel.devnet.arbos.{name}"))
}

/// A parameter with a default: the slot holds `1 << 255 | value` once set,
/// so an explicit zero differs from "never set".
fn read_or(state: &State, name: &str, default: U256) -> U256 {
    let word = U256::from_be_bytes(state.storage(ARBOS_STATE, slot(name)).0);
    if word.bit(255) {
        word ^ SET
    } else {
        default
    }
}

fn write(state: &mut State, name: &str, value: U256) {
    let word: U256 = value | SET;
    state.set_storage(ARBOS_STATE, slot(name), word.into());
}

/// Most fragments a Stylus root may name (ArbOS's `MaxFragmentCount`).
pub fn max_fragments(state: &State) -> u8 {
    read_or(state, "maxFragments", U256::from(keel_wasm::DEFAULT_MAX_FRAGMENTS)).to::<u8>()
}

/// Sets the fragment limit.
pub fn set_max_fragments(state: &mut State, count: u8) {
    write(state, "maxFragments", U256::from(count));
}

/// L1 price per unit in wei.
pub fn l1_price_per_unit(state: &State) -> U256 {
    read_or(state, "l1PricePerUnit", U256::from(DEFAULT_L1_PRICE_PER_UNIT))
}

/// Sets the L1 price per unit.
pub fn set_l1_price_per_unit(state: &mut State, price: U256) {
    // The top bit marks "set"; a price that large is not meaningful.
    write(state, "l1PricePerUnit", price & !SET);
}

/// The network fee account (zero until set, as with a zero initial owner).
pub fn network_fee_account(state: &State) -> Address {
    Address::from_word(read_or(state, "networkFeeAccount", U256::ZERO).into())
}

/// Sets the network fee account.
pub fn set_network_fee_account(state: &mut State, account: Address) {
    write(state, "networkFeeAccount", U256::from_be_bytes(account.into_word().0));
}

/// Brotli compression level of L2 batches.
pub fn brotli_level(state: &State) -> u64 {
    read_or(state, "brotliLevel", U256::from(DEFAULT_BROTLI_LEVEL)).to::<u64>()
}

/// Sets the brotli compression level.
pub fn set_brotli_level(state: &mut State, level: u64) {
    write(state, "brotliLevel", U256::from(level));
}

/// The scheduled ArbOS upgrade: (version, timestamp), (0, 0) if none.
pub fn scheduled_upgrade(state: &State) -> (u64, u64) {
    let word = read_or(state, "scheduledUpgrade", U256::ZERO);
    let (version, timestamp): (U256, U256) = (word >> 64, word & U256::from(u64::MAX));
    (version.to::<u64>(), timestamp.to::<u64>())
}

/// Schedules an ArbOS upgrade to `version` at `timestamp`. The devnet
/// records it for `getScheduledUpgrade` but never performs it.
pub fn schedule_upgrade(state: &mut State, version: u64, timestamp: u64) {
    write(state, "scheduledUpgrade", (U256::from(version) << 64) | U256::from(timestamp));
}

/// An address set in the ArbOS state account (the chain owners, the cache
/// managers): members in insertion order, a removal moves the last one into
/// the freed place.
#[derive(Clone, Copy)]
struct AddressSet(&'static str);

/// The chain owners (ArbOwner).
const OWNERS: AddressSet = AddressSet("owners");
/// The accounts ArbWasmCache lets cache and evict programs.
const CACHE_MANAGERS: AddressSet = AddressSet("cacheManagers");

impl AddressSet {
    fn members(self, state: &State) -> Vec<Address> {
        (0..self.len(state)).map(|i| Address::from_word(state.storage(ARBOS_STATE, self.member_slot(i)))).collect()
    }

    fn contains(self, state: &State, who: Address) -> bool {
        !state.storage(ARBOS_STATE, self.index_slot(who)).is_zero()
    }

    fn add(self, state: &mut State, who: Address) {
        if self.contains(state, who) {
            return;
        }
        let count = self.len(state);
        state.set_storage(ARBOS_STATE, self.member_slot(count), who.into_word());
        state.set_storage(ARBOS_STATE, self.index_slot(who), U256::from(count + 1).into());
        state.set_storage(ARBOS_STATE, slot(self.0), U256::from(count + 1).into());
    }

    fn remove(self, state: &mut State, who: Address) -> bool {
        let index = U256::from_be_bytes(state.storage(ARBOS_STATE, self.index_slot(who)).0).to::<u64>();
        if index == 0 {
            return false;
        }
        let last = self.len(state) - 1;
        let moved = state.storage(ARBOS_STATE, self.member_slot(last));
        state.set_storage(ARBOS_STATE, self.member_slot(index - 1), moved);
        state.set_storage(ARBOS_STATE, self.index_slot(Address::from_word(moved)), U256::from(index).into());
        state.set_storage(ARBOS_STATE, self.member_slot(last), B256::ZERO);
        state.set_storage(ARBOS_STATE, self.index_slot(who), B256::ZERO);
        state.set_storage(ARBOS_STATE, slot(self.0), U256::from(last).into());
        true
    }

    fn len(self, state: &State) -> u64 {
        U256::from_be_bytes(state.storage(ARBOS_STATE, slot(self.0)).0).to::<u64>()
    }

    fn member_slot(self, index: u64) -> B256 {
        (U256::from_be_bytes(slot(self.0).0) + U256::from(index + 1)).into()
    }

    fn index_slot(self, who: Address) -> B256 {
        keccak256([slot(self.0).as_slice(), b"index".as_slice(), who.as_slice()].concat())
    }
}

/// The chain owners, in insertion order (a removal moves the last one into its place).
pub fn chain_owners(state: &State) -> Vec<Address> {
    OWNERS.members(state)
}

/// Whether `who` is a chain owner.
pub fn is_chain_owner(state: &State, who: Address) -> bool {
    OWNERS.contains(state, who)
}

/// Adds `who` to the chain owners (no effect if already one).
pub fn add_chain_owner(state: &mut State, who: Address) {
    OWNERS.add(state, who);
}

/// Removes `who` from the chain owners; false if it was not one.
pub fn remove_chain_owner(state: &mut State, who: Address) -> bool {
    OWNERS.remove(state, who)
}

/// ArbWasmCache's cache managers, in insertion order.
pub fn cache_managers(state: &State) -> Vec<Address> {
    CACHE_MANAGERS.members(state)
}

/// Whether `who` is a cache manager.
pub fn is_cache_manager(state: &State, who: Address) -> bool {
    CACHE_MANAGERS.contains(state, who)
}

/// Adds a cache manager (ArbOwner's `addWasmCacheManager`; no effect if already one).
pub fn add_cache_manager(state: &mut State, who: Address) {
    CACHE_MANAGERS.add(state, who);
}

/// Removes a cache manager; false if it was not one (nitro: "tried to remove non-manager").
pub fn remove_cache_manager(state: &mut State, who: Address) -> bool {
    CACHE_MANAGERS.remove(state, who)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Address = Address::with_last_byte(0xa);
    const B: Address = Address::with_last_byte(0xb);
    const C: Address = Address::with_last_byte(0xc);

    #[test]
    fn parameters_default_to_nitros_until_set_even_to_zero() {
        let mut state = State::default();
        assert_eq!(max_fragments(&state), 2);
        assert_eq!(l1_price_per_unit(&state), U256::from(50_000_000_000u64));
        set_max_fragments(&mut state, 0);
        set_l1_price_per_unit(&mut state, U256::ZERO);
        assert_eq!(max_fragments(&state), 0);
        assert_eq!(l1_price_per_unit(&state), U256::ZERO);
        schedule_upgrade(&mut state, 61, 1_800_000_000);
        assert_eq!(scheduled_upgrade(&state), (61, 1_800_000_000));
        set_network_fee_account(&mut state, A);
        assert_eq!(network_fee_account(&state), A);
    }

    #[test]
    fn owners_are_a_set_that_survives_removals() {
        let mut state = State::default();
        for who in [A, B, C, B] {
            add_chain_owner(&mut state, who);
        }
        assert_eq!(chain_owners(&state), vec![A, B, C]);
        assert!(remove_chain_owner(&mut state, A));
        assert!(!remove_chain_owner(&mut state, A));
        assert_eq!(chain_owners(&state), vec![C, B]);
        assert!(!is_chain_owner(&state, A) && is_chain_owner(&state, B) && is_chain_owner(&state, C));
        assert!(remove_chain_owner(&mut state, B));
        assert_eq!(chain_owners(&state), vec![C]);
    }

    #[test]
    fn cache_managers_are_a_set_apart_from_the_owners() {
        let mut state = State::default();
        add_chain_owner(&mut state, A);
        add_cache_manager(&mut state, B);
        add_cache_manager(&mut state, B);
        assert_eq!(cache_managers(&state), vec![B]);
        assert!(is_cache_manager(&state, B) && !is_cache_manager(&state, A) && !is_chain_owner(&state, B));
        assert!(!remove_cache_manager(&mut state, A));
        assert!(remove_cache_manager(&mut state, B));
        assert!(cache_managers(&state).is_empty());
        assert_eq!(chain_owners(&state), vec![A]);
    }
}
