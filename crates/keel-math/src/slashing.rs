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
//! rounded down. A slash from `m` to `m'` burns the difference of the pool's
//! value at the two magnitudes. Because a floor of a sum is never below the
//! sum of floors, the stakers' withdrawable shares never add up to more than
//! the operator's shares, and operator shares plus everything burned never
//! exceed what was deposited: stakers round down, slashes round up.

use crate::muldiv::{mul_div, Rounding};
use alloy_primitives::U256;

/// 1e18, the unit of magnitudes and scaling factors.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

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
    let wad_squared = WAD * WAD;
    if prev_deposit.is_zero() {
        return mul_div(wad_squared, U256::from(1u8), magnitude, Rounding::Down);
    }
    let current = withdrawable_shares(prev_deposit, dsf, magnitude);
    let denominator = prev_deposit.checked_add(added)?.checked_mul(magnitude)?;
    mul_div(current.checked_add(added)?, wad_squared, denominator, Rounding::Down)
}

/// Shares a slash from `prev` to `new` magnitude takes from a pool of
/// `scaled` shares: its value at `prev` minus its value at `new`.
pub fn slashed_shares(scaled: U256, prev: U256, new: U256) -> U256 {
    if new >= prev {
        return U256::ZERO;
    }
    shares_at_magnitude(scaled, prev) - shares_at_magnitude(scaled, new)
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
    fn unslashed_stakers_keep_their_deposit() {
        assert_eq!(withdrawable_shares(u(1_000), WAD, WAD), u(1_000));
        assert_eq!(dsf_after_deposit(u(1_000), WAD, WAD, u(500)), Some(WAD));
        assert_eq!(dsf_after_deposit(U256::ZERO, WAD, WAD, u(500)), Some(WAD));
    }

    #[test]
    fn a_ten_percent_slash_costs_ten_percent() {
        let m = wad_frac(9, 10);
        assert_eq!(withdrawable_shares(u(1_000), WAD, m), u(900));
        assert_eq!(slashed_shares(u(1_000), WAD, m), u(100));
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
        assert_eq!(slashed_shares(u(7), WAD, U256::ZERO), u(7));
    }

    #[test]
    fn queued_shares_follow_the_magnitude() {
        let scaled = scaled_shares(u(1_000), WAD);
        assert_eq!(shares_at_magnitude(scaled, wad_frac(3, 4)), u(750));
        assert_eq!(slashed_shares(scaled, WAD, wad_frac(3, 4)), u(250));
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

    proptest! {
        #[test]
        fn stakers_never_exceed_operator_shares(
            ops in proptest::collection::vec((0usize..4, 1u128..=10u128.pow(24), 0u128..=10u128.pow(17), any::<bool>()), 1..40)
        ) {
            let mut model = Model { magnitude: WAD, pool_scaled: U256::ZERO, burned: U256::ZERO, stakers: vec![(U256::ZERO, WAD); 4], deposited: vec![U256::ZERO; 4] };
            for (who, amount, slash_wad, is_slash) in ops {
                if is_slash {
                    let new = model.magnitude - mul_div(model.magnitude, u(slash_wad), WAD, Rounding::Up).unwrap().min(model.magnitude);
                    model.burned += slashed_shares(model.pool_scaled, model.magnitude, new);
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
        fn a_slash_of_x_percent_takes_x_percent_from_a_queued_withdrawal(
            deposit in 1u128..=10u128.pow(27), slash_bps in 0u128..=10_000,
        ) {
            let scaled = scaled_shares(u(deposit), WAD);
            let new = WAD - WAD * u(slash_bps) / u(10_000);
            let paid = shares_at_magnitude(scaled, new);
            let exact = u(deposit) * new / WAD;
            prop_assert!(paid <= exact && exact - paid <= u(1));
            prop_assert_eq!(paid + slashed_shares(scaled, WAD, new), u(deposit));
        }
    }
}
