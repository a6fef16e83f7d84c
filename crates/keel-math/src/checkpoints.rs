//! Timestamped values packed into one 256-bit word each, and lookup by time.
//!
//! A checkpoint is `(timestamp: u64, value < 2^192)`, packed as
//! `timestamp << 192 | value`. Histories are appended in time order, so the
//! value in force at time `t` is found by binary search: O(log n) storage
//! reads however long the history grows.

use alloy_primitives::U256;

/// Largest value a checkpoint can hold.
pub const MAX_CHECKPOINT_VALUE: U256 = U256::from_limbs([u64::MAX, u64::MAX, u64::MAX, 0]);

/// Packs a checkpoint; `None` if `value` needs more than 192 bits.
pub fn pack(timestamp: u64, value: U256) -> Option<U256> {
    // The timestamp is the top 64-bit limb: limb moves instead of ruint's general shifts.
    let mut limbs = *value.as_limbs();
    if limbs[3] != 0 {
        return None;
    }
    limbs[3] = timestamp;
    Some(U256::from_limbs(limbs))
}

/// Unpacks a checkpoint into `(timestamp, value)`.
pub fn unpack(word: U256) -> (u64, U256) {
    let mut limbs = *word.as_limbs();
    let timestamp = limbs[3];
    limbs[3] = 0;
    (timestamp, U256::from_limbs(limbs))
}

/// The value in force at `timestamp` in a history of `len` packed words read
/// through `get`: the last checkpoint at or before `timestamp`, else `default`.
pub fn value_at(len: usize, get: impl Fn(usize) -> U256, timestamp: u64, default: U256) -> U256 {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = (low + high) / 2;
        if unpack(get(mid)).0 <= timestamp {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    if low == 0 {
        default
    } else {
        unpack(get(low - 1)).1
    }
}

/// Bits of a history's head word that count its checkpoints.
const COUNT_BITS: usize = 24;
/// Bits of a head word's timestamp: 2^40 seconds is past the year 36000.
const HEAD_TIME_BITS: usize = 40;
/// Most checkpoints a history keeps its count of.
pub const MAX_CHECKPOINTS: u32 = (1 << COUNT_BITS) - 1;

/// Packs a history's head word: its checkpoint count (at most
/// [`MAX_CHECKPOINTS`]) beside its latest checkpoint, as `count << 232 |
/// timestamp << 192 | value`; `None` if the count, the timestamp (40 bits) or
/// the value (192 bits) does not fit. One word answers `latest` and appends
/// to an empty history.
pub fn pack_head(count: u32, timestamp: u64, value: U256) -> Option<U256> {
    if count > MAX_CHECKPOINTS || timestamp >> HEAD_TIME_BITS != 0 {
        return None;
    }
    pack((count as u64) << HEAD_TIME_BITS | timestamp, value)
}

/// Unpacks a head word into `(count, timestamp, value)`.
pub fn unpack_head(word: U256) -> (u32, u64, U256) {
    let (high, value) = unpack(word);
    ((high >> HEAD_TIME_BITS) as u32, high & ((1 << HEAD_TIME_BITS) - 1), value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pack_round_trips_and_refuses_wide_values() {
        let word = pack(1_700_000_000, U256::from(42)).unwrap();
        assert_eq!(unpack(word), (1_700_000_000, U256::from(42)));
        assert_eq!(pack(1, MAX_CHECKPOINT_VALUE + U256::from(1)), None);
    }

    #[test]
    fn lookup_finds_the_value_in_force() {
        let history: Vec<U256> = [(10, 100), (20, 90), (30, 50)].iter().map(|(t, v)| pack(*t, U256::from(*v)).unwrap()).collect();
        let at = |t| value_at(history.len(), |i| history[i], t, U256::from(7));
        assert_eq!(at(9), U256::from(7));
        assert_eq!(at(10), U256::from(100));
        assert_eq!(at(25), U256::from(90));
        assert_eq!(at(u64::MAX), U256::from(50));
    }

    #[test]
    fn head_refuses_what_does_not_fit() {
        assert_eq!(unpack_head(U256::ZERO), (0, 0, U256::ZERO));
        let max_time = (1 << 40) - 1;
        let word = pack_head(MAX_CHECKPOINTS, max_time, MAX_CHECKPOINT_VALUE).unwrap();
        assert_eq!(unpack_head(word), (MAX_CHECKPOINTS, max_time, MAX_CHECKPOINT_VALUE));
        assert_eq!(pack_head(MAX_CHECKPOINTS + 1, 1, U256::ZERO), None);
        assert_eq!(pack_head(1, max_time + 1, U256::ZERO), None);
        assert_eq!(pack_head(1, 1, MAX_CHECKPOINT_VALUE + U256::from(1)), None);
    }

    proptest! {
        #[test]
        fn head_round_trips(count in 0..=MAX_CHECKPOINTS, timestamp in 0u64..(1 << 40), limbs in any::<[u64; 3]>()) {
            let value = U256::from_limbs([limbs[0], limbs[1], limbs[2], 0]);
            let word = pack_head(count, timestamp, value).unwrap();
            prop_assert_eq!(unpack_head(word), (count, timestamp, value));
            prop_assert_eq!(unpack(word).1, value);
        }

        #[test]
        fn packing_is_timestamp_shifted_over_value(timestamp in any::<u64>(), limbs in any::<[u64; 4]>()) {
            let word = U256::from_limbs(limbs);
            let value = word & MAX_CHECKPOINT_VALUE;
            let packed = pack(timestamp, value).unwrap();
            prop_assert_eq!(packed, (U256::from(timestamp) << 192) | value);
            prop_assert_eq!(unpack(packed), (timestamp, value));
            prop_assert_eq!(unpack(word), ((word >> 192usize).to::<u64>(), value));
            prop_assert_eq!(pack(timestamp, word), (word <= MAX_CHECKPOINT_VALUE).then_some(word | (U256::from(timestamp) << 192)));
        }

        #[test]
        fn lookup_matches_a_linear_scan(mut times in proptest::collection::vec(0u64..1_000, 0..30), t in 0u64..1_100) {
            times.sort();
            let history: Vec<U256> = times.iter().enumerate().map(|(i, t)| pack(*t, U256::from(i)).unwrap()).collect();
            let linear = times.iter().enumerate().filter(|(_, x)| **x <= t).map(|(i, _)| U256::from(i)).next_back().unwrap_or(U256::MAX);
            prop_assert_eq!(value_at(history.len(), |i| history[i], t, U256::MAX), linear);
        }
    }
}
