//! Slashable share accounting, O(1) in the number of stakers.
//!
//! Per (operator, strategy) the protocol keeps a *magnitude* `m`: 1e18 until
//! the operator is first slashed, then only ever decreasing. Per (staker,
//! strategy) it keeps a *deposit scaling factor* `dsf` (1e18 by default). A
//! staker's withdrawable shares are
//!
//! ```text
//! withdrawable = depositShares × dsf × m / 1e36        (rounded down)
//! ```
//!
//! so a slash only writes the operator's `m`: every delegated staker's value
//! falls with it, however many there are. When shares are added, `dsf` is
//! reset so that the new shares are worth exactly what was added (they were
//! never exposed to past slashes). Queued withdrawals store *scaled shares*
//! (`depositShares × dsf / 1e18`), worth `scaled × m / 1e18` at completion, so
//! a slash during the delay still reaches them.
//!
//! The operator side is a pool of scaled shares: the operator holds
//! `Σ scaled` of its stakers, exactly, and its shares are `Σ scaled × m / 1e18`
//! rounded down. Because a floor of a sum is never below the sum of floors,
//! the stakers' withdrawable shares never add up to more than the operator's.
//!
//! A slash from `m` to `m'` takes from each holder `⌊s·m⌋ − ⌊s·m'⌋` (all
//! divided by 1e18), but it can only see the aggregate `S = Σ s`. The
//! aggregate's loss `⌊S·m⌋ − ⌊S·m'⌋` may exceed the holders' total loss: with
//! `gap(x) = ⌊S·x⌋ − Σ⌊s·x⌋ = ⌊Σ frac(s·x)⌋ ∈ [0, k − 1]` for `k` holders,
//! the excess is `gap(m) − gap(m')`, at most `k − 1` wei. Holders moving
//! between the pool, the queue and their own deposits reshuffle the gaps, so
//! these excesses do not cancel out over a history. [`slashed_shares`]
//! therefore promises the aggregate's loss less `k − 1`: never more than the
//! holders lost, so the shares owed never exceed the shares that exist. The
//! dust it leaves (under `k` wei per slash) stays in the strategy. A first
//! slash (from 1e18, where every value is exact and the gap is 0) is exact.

use crate::{
    checkpoints::{pack, unpack, MAX_CHECKPOINT_VALUE},
    muldiv::{mul_div, Rounding},
};
use alloy_primitives::U256;

/// 1e18, the unit of magnitudes and scaling factors.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// 1e36 = WAD², the unit of `dsf × magnitude`.
const WAD_SQUARED: U256 = U256::from_limbs([0xb34b_9f10_0000_0000, 0x00c0_97ce_7bc9_0715, 0, 0]);

/// Shares a staker may withdraw: `deposit × dsf × m / 1e36`, rounded down.
pub fn withdrawable_shares(deposit_shares: U256, dsf: U256, magnitude: U256) -> U256 {
    let scaled = scaled_shares(deposit_shares, dsf);
    shares_at_magnitude(scaled, magnitude)
}

/// Scaled shares stored in a queued withdrawal: `deposit × dsf / 1e18`, rounded down.
pub fn scaled_shares(deposit_shares: U256, dsf: U256) -> U256 {
    mul_div(deposit_shares, dsf, WAD, Rounding::Down).unwrap_or(U256::MAX)
}

/// Value of scaled shares at `magnitude`: `scaled × m / 1e18`, rounded down.
pub fn shares_at_magnitude(scaled: U256, magnitude: U256) -> U256 {
    mul_div(scaled, magnitude, WAD, Rounding::Down).unwrap_or(U256::MAX)
}

/// The deposit scaling factor after `added` shares join `prev_deposit`
/// deposit shares (held at `dsf` under an operator at `magnitude > 0`), chosen
/// so that the staker's withdrawable shares grow by at most `added`.
/// Rounded down. `None` if `magnitude` is zero (a fully slashed operator).
pub fn dsf_after_deposit(prev_deposit: U256, dsf: U256, magnitude: U256, added: U256) -> Option<U256> {
    if magnitude.is_zero() {
        return None;
    }
    if prev_deposit.is_zero() {
        return mul_div(WAD_SQUARED, U256::from(1u8), magnitude, Rounding::Down);
    }
    let current = withdrawable_shares(prev_deposit, dsf, magnitude);
    let denominator = prev_deposit.checked_add(added)?.checked_mul(magnitude)?;
    mul_div(current.checked_add(added)?, WAD_SQUARED, denominator, Rounding::Down)
}

/// Shares a slash from `prev` to `new` magnitude may promise out of an
/// aggregate of `scaled` shares held by at most `holders` separately rounded
/// holders: its value at `prev` minus its value at `new`, less `holders − 1`
/// (see the module doc). Never more than the holders lose together. From an
/// unslashed `prev` (1e18) every value is exact, `gap(prev) = 0`, and the
/// aggregate's loss is promised in full.
pub fn slashed_shares(scaled: U256, holders: U256, prev: U256, new: U256) -> U256 {
    if new >= prev {
        return U256::ZERO;
    }
    let aggregate = shares_at_magnitude(scaled, prev) - shares_at_magnitude(scaled, new);
    let reserve = if prev == WAD { U256::ZERO } else { holders.saturating_sub(U256::from(1u8)) };
    aggregate.saturating_sub(reserve)
}

/// Top bit of a pool's stake word: the pool was paid in a reward token, so
/// every change of its stake is reported to the rewards coordinator.
const POOL_REWARDED: u64 = 1 << 63;

/// A pool's stake in one storage word, `rewarded × 2^255 + holders × 2^192 +
/// scaled` (the checkpoint packing), so a staker joining or leaving the pool
/// costs no storage write of its own; `holders` is capped at 2^63 − 1 (an
/// upper bound either way); `None` if `scaled` needs more than 192 bits.
pub fn pack_pool(holders: u64, scaled: U256, rewarded: bool) -> Option<U256> {
    let flag = if rewarded { POOL_REWARDED } else { 0 };
    pack(holders.min(POOL_REWARDED - 1) | flag, scaled)
}

/// The `(holders, scaled)` of a pool's stake word (see [`pack_pool`]).
pub fn unpack_pool(word: U256) -> (u64, U256) {
    let (holders, scaled) = unpack(word);
    (holders & !POOL_REWARDED, scaled)
}

/// Whether a pool's stake word carries the rewarded flag (see [`pack_pool`]).
pub fn pool_rewarded(word: U256) -> bool {
    word.bit(255)
}

/// Bits of a pool's cumulative queue record that count its entries.
const ENTRY_BITS: usize = 32;

/// A pool's cumulative queue record `Σ scaled × 2^32 + entries` after one
/// more withdrawal entry of `scaled` shares. `cumulative` is a checkpoint
/// value (under 2^192); a result of 2^192 or more does not fit one.
pub fn record_queued(cumulative: U256, scaled: U256) -> U256 {
    if scaled > MAX_CHECKPOINT_VALUE {
        return U256::MAX;
    }
    cumulative + shift_up(scaled) + U256::from(1u8)
}

/// The scaled shares and the number of entries queued between two cumulative
/// queue records (`earlier ≤ later`; under 2^32 entries in between).
pub fn queued_between(earlier: U256, later: U256) -> (U256, U256) {
    let difference = later - earlier;
    (shift_down(difference), U256::from(difference.as_limbs()[0] as u32))
}

/// `x << ENTRY_BITS` limb by limb (ruint's general shift is a loop over a
/// temporary array); the top `ENTRY_BITS` bits are dropped.
fn shift_up(x: U256) -> U256 {
    let l = x.as_limbs();
    let carry = |low: u64| low >> (64 - ENTRY_BITS);
    U256::from_limbs([
        l[0] << ENTRY_BITS,
        l[1] << ENTRY_BITS | carry(l[0]),
        l[2] << ENTRY_BITS | carry(l[1]),
        l[3] << ENTRY_BITS | carry(l[2]),
    ])
}

/// `x >> ENTRY_BITS` limb by limb.
fn shift_down(x: U256) -> U256 {
    let l = x.as_limbs();
    let borrow = |high: u64| high << (64 - ENTRY_BITS);
    U256::from_limbs([
        l[0] >> ENTRY_BITS | borrow(l[1]),
        l[1] >> ENTRY_BITS | borrow(l[2]),
        l[2] >> ENTRY_BITS | borrow(l[3]),
        l[3] >> ENTRY_BITS,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    fn wad_frac(num: u128, den: u128) -> U256 {
        WAD * u(num) / u(den)
    }

    #[test]
    fn pool_word_keeps_the_rewarded_flag_apart_from_holders() {
        let scaled = u(123_456_789);
        for rewarded in [false, true] {
            let word = pack_pool(7, scaled, rewarded).unwrap();
            assert_eq!((unpack_pool(word), pool_rewarded(word)), ((7, scaled), rewarded));
        }
        let capped = pack_pool(u64::MAX, scaled, false).unwrap();
        assert_eq!((unpack_pool(capped).0, pool_rewarded(capped)), ((1 << 63) - 1, false), "holders never set the flag");
        assert!(pack_pool(0, U256::MAX, true).is_none());
    }

    /// `magnitude` after a slash of `slash_wad` (1e18 = all), the cut rounded up.
    fn after_slash(magnitude: U256, slash_wad: u128) -> U256 {
        magnitude - mul_div(magnitude, u(slash_wad), WAD, Rounding::Up).unwrap().min(magnitude)
    }

    #[test]
    fn unslashed_stakers_keep_their_deposit() {
        assert_eq!(withdrawable_shares(u(1_000), WAD, WAD), u(1_000));
        assert_eq!(dsf_after_deposit(u(1_000), WAD, WAD, u(500)), Some(WAD));
        assert_eq!(dsf_after_deposit(U256::ZERO, WAD, WAD, u(500)), Some(WAD));
    }

    #[test]
    fn a_ten_percent_slash_costs_ten_percent() {
        let m = wad_frac(9, 10);
        assert_eq!(withdrawable_shares(u(1_000), WAD, m), u(900));
        assert_eq!(slashed_shares(u(1_000), u(1), WAD, m), u(100));
    }

    #[test]
    fn new_deposits_under_a_slashed_operator_are_not_slashed_again() {
        let m = wad_frac(1, 2);
        let dsf = dsf_after_deposit(U256::ZERO, WAD, m, u(1_000)).unwrap();
        assert_eq!(dsf, WAD * u(2));
        assert_eq!(withdrawable_shares(u(1_000), dsf, m), u(1_000));
        // Existing 1,000 deposit shares worth 500, plus 1,000 new: worth 1,500.
        let dsf = dsf_after_deposit(u(1_000), WAD, m, u(1_000)).unwrap();
        assert_eq!(withdrawable_shares(u(2_000), dsf, m), u(1_500));
    }

    #[test]
    fn fully_slashed_operators_take_no_deposits() {
        assert_eq!(dsf_after_deposit(u(1), WAD, U256::ZERO, u(1)), None);
        assert_eq!(slashed_shares(u(7), u(1), WAD, U256::ZERO), u(7));
    }

    #[test]
    fn queued_shares_follow_the_magnitude() {
        let scaled = scaled_shares(u(1_000), WAD);
        assert_eq!(shares_at_magnitude(scaled, wad_frac(3, 4)), u(750));
        assert_eq!(slashed_shares(scaled, u(1), WAD, wad_frac(3, 4)), u(250));
    }

    /// A pure model of one operator's pool and its stakers, for the invariants.
    struct Model {
        magnitude: U256,
        pool_scaled: U256,
        burned: U256,
        stakers: Vec<(U256, U256)>, // (deposit shares, dsf)
        deposited: Vec<U256>,
    }

    impl Model {
        fn withdrawable(&self, i: usize) -> U256 {
            withdrawable_shares(self.stakers[i].0, self.stakers[i].1, self.magnitude)
        }
    }

    #[test]
    fn a_queue_record_counts_entries_and_shares_between_two_times() {
        let mut record = U256::ZERO;
        for scaled in [5u128, 0, 7] {
            record = record_queued(record, u(scaled));
        }
        let earlier = record;
        for scaled in [11u128, 13] {
            record = record_queued(record, u(scaled));
        }
        assert_eq!(queued_between(U256::ZERO, earlier), (u(12), u(3)));
        assert_eq!(queued_between(earlier, record), (u(24), u(2)));
        assert!(record_queued(U256::ZERO, MAX_CHECKPOINT_VALUE >> 31) > MAX_CHECKPOINT_VALUE);
        assert_eq!(record_queued(U256::ZERO, U256::MAX), U256::MAX);
    }

    #[test]
    fn wad_squared_is_wad_times_wad() {
        assert_eq!(WAD_SQUARED, WAD * WAD);
    }

    proptest! {
        #[test]
        fn limb_shifts_match_ruint_shifts(limbs in any::<[u64; 4]>()) {
            let x = U256::from_limbs(limbs);
            prop_assert_eq!(shift_up(x), x << ENTRY_BITS);
            prop_assert_eq!(shift_down(x), x >> ENTRY_BITS);
        }
    }

    #[test]
    fn a_pool_word_holds_its_holders_and_its_scaled_shares() {
        let word = pack_pool(3, u(1_000), false).unwrap();
        assert_eq!(unpack_pool(word), (3, u(1_000)));
        assert_eq!(unpack_pool(U256::ZERO), (0, U256::ZERO));
        assert_eq!(pack_pool(1, MAX_CHECKPOINT_VALUE + u(1), false), None);
    }

    /// One operator's stakers, its pool and its queue, slashed through the
    /// aggregates as the DelegationManager does.
    struct Ledger {
        magnitude: U256,
        stakers: Vec<(U256, U256)>, // (deposit shares, dsf)
        queue: Vec<U256>,           // scaled shares of withdrawals inside the delay
        frozen: U256,               // value of withdrawals past their delay
        promised: U256,             // slashed shares promised to the recipient
        deposited: U256,
    }

    impl Ledger {
        fn new() -> Self {
            let zero = U256::ZERO;
            Self { magnitude: WAD, stakers: vec![(zero, WAD); 4], queue: Vec::new(), frozen: zero, promised: zero, deposited: zero }
        }

        fn deposit(&mut self, who: usize, amount: u128) {
            if let Some(dsf) = dsf_after_deposit(self.stakers[who].0, self.stakers[who].1, self.magnitude, u(amount)) {
                self.stakers[who] = (self.stakers[who].0 + u(amount), dsf);
                self.deposited += u(amount);
            }
        }

        /// Queues all but `keep_percent` of `who`'s deposit shares.
        fn queue(&mut self, who: usize, keep_percent: u128) {
            let (deposit, dsf) = self.stakers[who];
            let remaining = deposit * u(keep_percent) / u(100);
            if remaining < deposit {
                self.queue.push(scaled_shares(deposit, dsf) - scaled_shares(remaining, dsf));
                self.stakers[who].0 = remaining;
            }
        }

        fn leave_window(&mut self, pick: usize) {
            if !self.queue.is_empty() {
                let scaled = self.queue.remove(pick % self.queue.len());
                self.frozen += shares_at_magnitude(scaled, self.magnitude);
            }
        }

        fn slash(&mut self, slash_wad: u128) {
            let new = after_slash(self.magnitude, slash_wad);
            let pooled: Vec<U256> = self.stakers.iter().map(|(d, dsf)| scaled_shares(*d, *dsf)).filter(|s| !s.is_zero()).collect();
            for holders in [pooled, self.queue.clone()] {
                self.promised += slashed_shares(holders.iter().sum(), u(holders.len() as u128), self.magnitude, new);
            }
            self.magnitude = new;
        }

        fn owed(&self) -> U256 {
            let stakers: U256 = self.stakers.iter().map(|(d, dsf)| withdrawable_shares(*d, *dsf, self.magnitude)).sum();
            let queued: U256 = self.queue.iter().map(|s| shares_at_magnitude(*s, self.magnitude)).sum();
            stakers + queued + self.frozen + self.promised
        }
    }

    /// The campaign's finding, shrunk: one staker queues part of its stake,
    /// is slashed, queues the rest; a second slash on the two-entry queue
    /// used to promise one share more than the entries lost.
    #[test]
    fn withdrawals_queued_around_a_slash_are_not_over_promised() {
        let mut ledger = Ledger::new();
        ledger.deposit(3, 29);
        ledger.queue(3, 94);
        ledger.slash(148_148_148_148_148_149);
        ledger.queue(3, 0);
        ledger.slash(28_485_757_121_439_279);
        assert!(ledger.owed() <= ledger.deposited, "owed {} > deposited {}", ledger.owed(), ledger.deposited);
    }

    proptest! {
        #[test]
        fn stakers_never_exceed_operator_shares(
            ops in proptest::collection::vec((0usize..4, 1u128..=10u128.pow(24), 0u128..=10u128.pow(17), any::<bool>()), 1..40)
        ) {
            let mut model = Model { magnitude: WAD, pool_scaled: U256::ZERO, burned: U256::ZERO, stakers: vec![(U256::ZERO, WAD); 4], deposited: vec![U256::ZERO; 4] };
            for (who, amount, slash_wad, is_slash) in ops {
                if is_slash {
                    let new = after_slash(model.magnitude, slash_wad);
                    model.burned += slashed_shares(model.pool_scaled, u(4), model.magnitude, new);
                    model.magnitude = new;
                } else if let Some(dsf) = dsf_after_deposit(model.stakers[who].0, model.stakers[who].1, model.magnitude, u(amount)) {
                    let (deposit, old_dsf) = model.stakers[who];
                    model.pool_scaled = model.pool_scaled - scaled_shares(deposit, old_dsf) + scaled_shares(deposit + u(amount), dsf);
                    model.stakers[who] = (deposit + u(amount), dsf);
                    model.deposited[who] += u(amount);
                }
                let operator = shares_at_magnitude(model.pool_scaled, model.magnitude);
                let total: U256 = (0..4).map(|i| model.withdrawable(i)).fold(U256::ZERO, |a, b| a + b);
                let deposited = model.deposited.iter().fold(U256::ZERO, |a, b| a + b);
                prop_assert!(total <= operator, "stakers {} > operator {}", total, operator);
                prop_assert!(operator + model.burned <= deposited, "operator {} + burned {} > deposited {}", operator, model.burned, deposited);
                for i in 0..4 {
                    prop_assert!(model.withdrawable(i) <= model.deposited[i]);
                }
            }
        }

        #[test]
        fn a_slash_never_promises_more_than_its_holders_lose(
            holders in proptest::collection::vec(1u128..=10u128.pow(30), 1..12),
            prev in 1u128..=10u128.pow(18), cut in 1u128..=10u128.pow(18),
        ) {
            let (prev, new) = (u(prev), u(prev.saturating_sub(cut)));
            let scaled: U256 = holders.iter().map(|s| u(*s)).sum();
            let lost: U256 = holders.iter().map(|s| shares_at_magnitude(u(*s), prev) - shares_at_magnitude(u(*s), new)).sum();
            let promised = slashed_shares(scaled, u(holders.len() as u128), prev, new);
            prop_assert!(promised <= lost, "promised {} > lost {}", promised, lost);
            let aggregate = shares_at_magnitude(scaled, prev) - shares_at_magnitude(scaled, new);
            prop_assert!(aggregate - promised < u(holders.len() as u128));
        }

        /// Stakers moving between their deposits, the pool and the queue
        /// while slashes hit both aggregates: what is owed never exceeds
        /// what was deposited.
        #[test]
        fn moving_holders_never_make_slashes_over_promise(
            ops in proptest::collection::vec((0u8..4, 0usize..4, 1u128..=1_000, 1u128..=10u128.pow(18) / 3), 1..80)
        ) {
            let mut ledger = Ledger::new();
            for (kind, who, amount, slash_wad) in ops {
                match kind {
                    0 => ledger.deposit(who, amount),
                    1 => ledger.queue(who, amount % 100),
                    2 => ledger.leave_window(amount as usize),
                    _ => ledger.slash(slash_wad),
                }
                prop_assert!(ledger.owed() <= ledger.deposited, "owed {} > deposited {}", ledger.owed(), ledger.deposited);
            }
        }

        #[test]
        fn a_slash_of_x_percent_takes_x_percent_from_a_queued_withdrawal(
            deposit in 1u128..=10u128.pow(27), slash_bps in 0u128..=10_000,
        ) {
            let scaled = scaled_shares(u(deposit), WAD);
            let new = WAD - WAD * u(slash_bps) / u(10_000);
            let paid = shares_at_magnitude(scaled, new);
            let exact = u(deposit) * new / WAD;
            prop_assert!(paid <= exact && exact - paid <= u(1));
            prop_assert_eq!(paid + slashed_shares(scaled, u(1), WAD, new), u(deposit));
        }
    }
}
