//! A history of timestamped values in storage (see [`keel_math::checkpoints`]).

use alloy_primitives::U256;
use keel_math::checkpoints::{pack, unpack, value_at};
use stylus_sdk::{
    prelude::*,
    storage::{StorageU256, StorageVec},
};

/// Append-only, time-ordered history of values.
#[storage]
pub struct Checkpoints {
    points: StorageVec<StorageU256>,
}

impl Checkpoints {
    /// Records `value` from `timestamp` on (replacing a checkpoint at the same
    /// time). Returns `false` if the value needs more than 192 bits.
    pub fn push(&mut self, timestamp: u64, value: U256) -> bool {
        let Some(word) = pack(timestamp, value) else {
            return false;
        };
        let len = self.points.len();
        if len > 0 && unpack(self.points.get(len - 1).unwrap_or_default()).0 == timestamp {
            if let Some(mut last) = self.points.setter(len - 1) {
                last.set(word);
            }
        } else {
            self.points.push(word);
        }
        true
    }

    /// The latest value, or `default` if there is none.
    pub fn latest(&self, default: U256) -> U256 {
        match self.points.len() {
            0 => default,
            len => unpack(self.points.get(len - 1).unwrap_or_default()).1,
        }
    }

    /// The value in force at `timestamp`, or `default` before the first checkpoint.
    pub fn at(&self, timestamp: u64, default: U256) -> U256 {
        value_at(self.points.len(), |i| self.points.get(i).unwrap_or_default(), timestamp, default)
    }
}
