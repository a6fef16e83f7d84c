//! A staker's strategies (their tokens), with the count and the first token
//! in one storage word: a staker's first deposit lists its strategy with one
//! new slot, not two (a length and an element). The same word records
//! whether the staker's deposits are reported to the DelegationManager.

use alloc::vec::Vec;
use alloy_primitives::{Address, Uint};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU8},
};

/// Tokens in which one staker holds deposit shares, in no particular order
/// (at most 255; the StrategyManager allows [`crate::MAX_STAKER_STRATEGIES`]).
#[storage]
pub struct StrategyList {
    first: StorageAddress,
    len: StorageU8,
    reported: StorageBool,
    rest: StorageMap<u8, StorageAddress>,
}

impl StrategyList {
    /// Number of tokens listed.
    pub(crate) fn len(&self) -> usize {
        self.len.get().to()
    }

    /// The token at `index` (below [`Self::len`]).
    fn get(&self, index: usize) -> Address {
        match index {
            0 => self.first.get(),
            i => self.rest.get(i as u8),
        }
    }

    fn set(&mut self, index: usize, token: Address) {
        match index {
            0 => self.first.set(token),
            i => self.rest.setter(i as u8).set(token),
        }
    }

    /// Whether the staker's deposits are reported to the DelegationManager:
    /// from its delegation until the DelegationManager answers a report
    /// with "not delegated". A staker that never delegated is not reported.
    pub(crate) fn reported(&self) -> bool {
        self.reported.get()
    }

    /// Records whether the staker's deposits are reported.
    pub(crate) fn set_reported(&mut self, reported: bool) {
        self.reported.set(reported);
    }

    /// Every token listed.
    pub(crate) fn tokens(&self) -> Vec<Address> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }

    /// Appends `token` (the caller keeps the count below 255).
    pub(crate) fn push(&mut self, token: Address) {
        let len = self.len();
        self.set(len, token);
        self.len.set(Uint::from(len + 1));
    }

    /// Removes `token` if listed: the last token takes its place.
    pub(crate) fn remove(&mut self, token: Address) {
        let len = self.len();
        if let Some(index) = (0..len).find(|i| self.get(*i) == token) {
            let last = self.get(len - 1);
            self.set(index, last);
            self.set(len - 1, Address::ZERO);
            self.len.set(Uint::from(len - 1));
        }
    }
}
