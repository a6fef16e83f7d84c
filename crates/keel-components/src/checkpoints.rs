//! A history of timestamped values in storage (see [`keel_math::checkpoints`]).

use alloy_primitives::U256;
use keel_math::checkpoints::{pack, pack_head, unpack_head, value_at};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

/// Append-only, time-ordered history of values. The latest checkpoint lives
/// beside the count in one word ([`pack_head`]), so reading the latest value
/// or appending to an empty history touches one slot; the earlier ones are
/// kept by index.
#[storage]
pub struct Checkpoints {
    /// Count, latest timestamp and latest value (zero: empty).
    head: StorageU256,
    /// Checkpoint `i` for every `i` below the count minus one, oldest first.
    earlier: StorageMap<u32, StorageU256>,
}

impl Checkpoints {
    /// Records `value` from `timestamp` on (replacing a checkpoint at the same
    /// time). Returns `false` if the value needs more than 192 bits, the
    /// timestamp more than 40, or the history is full.
    pub fn push(&mut self, timestamp: u64, value: U256) -> bool {
        let (count, latest_time, latest) = unpack_head(self.head.get());
        let count = if count > 0 && latest_time == timestamp {
            count
        } else {
            let (Some(previous), Some(_)) = (pack(latest_time, latest), pack_head(count + 1, timestamp, value)) else {
                return false;
            };
            if count > 0 {
                self.earlier.setter(count - 1).set(previous);
            }
            count + 1
        };
        let Some(head) = pack_head(count, timestamp, value) else {
            return false;
        };
        self.head.set(head);
        true
    }

    /// The latest value, or `default` if there is none.
    pub fn latest(&self, default: U256) -> U256 {
        match unpack_head(self.head.get()) {
            (0, _, _) => default,
            (_, _, value) => value,
        }
    }

    /// The value in force at `timestamp`, or `default` before the first checkpoint.
    pub fn at(&self, timestamp: u64, default: U256) -> U256 {
        match unpack_head(self.head.get()) {
            (0, _, _) => default,
            (_, time, value) if time <= timestamp => value,
            (count, _, _) => value_at(count as usize - 1, |i| self.earlier.get(i as u32), timestamp, default),
        }
    }
}
