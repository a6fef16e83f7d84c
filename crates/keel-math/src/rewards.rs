//! Reward streams and reward-per-share accumulators (the RewardsCoordinator's math).
//!
//! Units: a stream's *rate* is reward-token wei × 1e18 per second, and what
//! it pays (`gross`, commissions, earner balances) is counted in the same
//! *wad* units (wei × 1e18), so a rate truncates no more than 1 wei per
//! stream. A pool's *accumulator* is wad × 1e18 per scaled share (1e36
//! precision in all). Every step rounds down (the rate, the stakers'
//! accumulator increment, each staker's earnings, the wei paid out of a wad
//! balance), so the sum of all payouts never exceeds what was submitted.
//! Accumulators may wrap around 2^256: only differences are used.

use crate::{checkpoints::unpack, mul_div, Rounding};
use alloy_primitives::U256;

/// 1e18: wad units per wei, and the accumulator's extra precision.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// Basis points in 100 %.
pub const MAX_BPS: u64 = 10_000;

/// Rate (wad per second) of a stream paying `amount` wei over `duration`
/// seconds (non-zero), rounded down; `None` if it does not fit 256 bits.
pub fn stream_rate(amount: U256, duration: u64) -> Option<U256> {
    mul_div(amount, WAD, U256::from(duration), Rounding::Down)
}

/// What a stream of `rate` pays over `seconds`, in wad (saturating).
pub fn streamed(rate: U256, seconds: u64) -> U256 {
    rate.saturating_mul(U256::from(seconds))
}

/// Splits `gross` into the operator's commission (`bps` of it, rounded
/// down) and the stakers' part (the rest), which add up to `gross` exactly.
pub fn split_commission(gross: U256, bps: u64) -> (U256, U256) {
    let commission = mul_div(gross, U256::from(bps.min(MAX_BPS)), U256::from(MAX_BPS), Rounding::Down).unwrap_or(gross);
    (commission, gross - commission)
}

/// Accumulator increment for distributing `stakers` wad over `total_scaled`
/// scaled shares (rounded down); `None` when the pool is empty.
pub fn accumulator_increment(stakers: U256, total_scaled: U256) -> Option<U256> {
    if total_scaled.is_zero() {
        return None;
    }
    Some(mul_div(stakers, WAD, total_scaled, Rounding::Down).unwrap_or(U256::MAX))
}

/// Wad earned by `scaled` shares while the accumulator moved from
/// `snapshot` to `acc` (rounded down; zero if absurdly large).
pub fn earned(scaled: U256, acc: U256, snapshot: U256) -> U256 {
    mul_div(scaled, acc.wrapping_sub(snapshot), WAD, Rounding::Down).unwrap_or_default()
}

/// Splits a wad balance into whole wei to pay and the wad remainder kept.
pub fn payable(balance: U256) -> (U256, U256) {
    // mul_div rather than `/`: it spares contracts a second 256-bit division.
    let wei = mul_div(balance, U256::from(1u8), WAD, Rounding::Down).unwrap_or_default();
    (wei, balance - wei * WAD)
}

/// First multiple of `epoch` at or after `t` (saturating).
pub fn ceil_to_epoch(t: u64, epoch: u64) -> u64 {
    t.div_ceil(epoch).saturating_mul(epoch)
}

/// Lowest set bit of `word` at position `from` or above.
pub fn next_set_bit(word: U256, from: usize) -> Option<usize> {
    if from >= 256 {
        return None;
    }
    let masked = word >> from << from;
    (!masked.is_zero()).then(|| masked.trailing_zeros())
}

/// In a time-ordered history of `len` packed checkpoints (see
/// [`crate::checkpoints`]) read through `get`: the value in force at `t`
/// (`default` before the first) and the time of the next checkpoint after `t`.
pub fn value_and_next(len: usize, get: impl Fn(usize) -> U256, t: u64, default: U256) -> (U256, Option<u64>) {
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = (low + high) / 2;
        if unpack(get(mid)).0 <= t {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    let value = if low == 0 { default } else { unpack(get(low - 1)).1 };
    (value, (low < len).then(|| unpack(get(low)).0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoints::pack;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn commission_split_is_exact() {
        assert_eq!(split_commission(u(1_000), 1_000), (u(100), u(900)));
        assert_eq!(split_commission(u(999), 1_000), (u(99), u(900)));
        assert_eq!(split_commission(u(7), 0), (u(0), u(7)));
        assert_eq!(split_commission(u(7), MAX_BPS), (u(7), u(0)));
    }

    #[test]
    fn epochs_and_bits() {
        assert_eq!(ceil_to_epoch(0, 3_600), 0);
        assert_eq!(ceil_to_epoch(1, 3_600), 3_600);
        assert_eq!(ceil_to_epoch(7_200, 3_600), 7_200);
        let word = (U256::from(1u8) << 3) | (U256::from(1u8) << 200);
        assert_eq!(next_set_bit(word, 0), Some(3));
        assert_eq!(next_set_bit(word, 4), Some(200));
        assert_eq!(next_set_bit(word, 201), None);
        assert_eq!(next_set_bit(U256::MAX, 255), Some(255));
        assert_eq!(next_set_bit(U256::MAX, 256), None);
    }

    #[test]
    fn history_lookup_gives_the_next_change() {
        let h: Vec<U256> = [(10, 5), (20, 7)].iter().map(|(t, v)| pack(*t, u(*v)).unwrap()).collect();
        let at = |t| value_and_next(h.len(), |i| h[i], t, u(1));
        assert_eq!(at(0), (u(1), Some(10)));
        assert_eq!(at(10), (u(5), Some(20)));
        assert_eq!(at(19), (u(5), Some(20)));
        assert_eq!(at(25), (u(7), None));
    }

    proptest! {
        /// Streams split over arbitrary segments, commission and stakers
        /// never pay out more than was submitted, and lose less than one wei
        /// per stream and staker to rounding on top of the dust of the
        /// accumulator.
        #[test]
        fn payouts_never_exceed_the_submission(
            amount in 1u128..1u128 << 100,
            epochs in 1u64..8_760,
            cuts in proptest::collection::vec(0u64..8_760, 0..6),
            bps in 0u64..=MAX_BPS,
            stakes in proptest::collection::vec(1u128..1u128 << 90, 1..5),
        ) {
            let duration = epochs * 3_600;
            let rate = stream_rate(u(amount), duration).unwrap();
            let mut points: Vec<u64> = cuts.iter().map(|c| c * 3_600 % duration).collect();
            points.push(duration);
            points.sort();
            let total: U256 = stakes.iter().map(|s| u(*s)).fold(U256::ZERO, |a, b| a + b);
            let (mut acc, mut last, mut operator) = (U256::ZERO, 0, U256::ZERO);
            for p in points {
                let (c, s) = split_commission(streamed(rate, p - last), bps);
                operator += c;
                acc = acc.wrapping_add(accumulator_increment(s, total).unwrap());
                last = p;
            }
            let stakers: U256 = stakes.iter().map(|s| payable(earned(u(*s), acc, U256::ZERO)).0).fold(U256::ZERO, |a, b| a + b);
            let paid = stakers + payable(operator).0;
            prop_assert!(paid <= u(amount));
            prop_assert!(u(amount) - paid <= u(stakes.len() as u128 + 3));
        }

        /// Earnings are linear in the stake: a staker with k times the shares earns k times as much (± rounding).
        #[test]
        fn earnings_are_pro_rata(stake in 1u128..1u128 << 90, k in 1u128..1_000, delta in 0u128..1u128 << 120) {
            let one = earned(u(stake), u(delta), U256::ZERO);
            let many = earned(u(stake * k), u(delta), U256::ZERO);
            prop_assert!(many >= one * u(k));
            prop_assert!(many - one * u(k) < u(k));
        }

        /// The accumulator works across wrap-around.
        #[test]
        fn wrapping_accumulators(snapshot in any::<[u64; 4]>(), delta in 0u128..1u128 << 100, stake in 0u128..1u128 << 100) {
            let snapshot = U256::from_limbs(snapshot);
            let acc = snapshot.wrapping_add(u(delta));
            prop_assert_eq!(earned(u(stake), acc, snapshot), earned(u(stake), u(delta), U256::ZERO));
        }
    }
}
