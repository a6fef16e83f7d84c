//! Proptest fuzz target on keel-math: arbitrary 256-bit inputs (not just
//! realistic ones) against 512-bit reference arithmetic and the rounding
//! rules the contracts rely on. Nothing may panic, and every rounding must
//! favour the protocol. `PROPTEST_CASES=100000` runs it longer.

use alloy_primitives::{ruint::aliases::U512, U256};
use keel_math::{
    allocation::{slashed_magnitude, FULL},
    checkpoints::{pack, unpack},
    eip712::recovered_address,
    muldiv::{mul_div, Rounding},
    rewards::{payable, split_commission},
    shares::{shares_for_deposit, underlying_for_shares},
    slashing::{dsf_after_deposit, shares_at_magnitude, slashed_shares, withdrawable_shares, WAD},
};
use proptest::prelude::*;

/// Any 256-bit number, biased towards edges (0, 1, small, near 2^256).
fn any_u256() -> impl Strategy<Value = U256> {
    prop_oneof![
        Just(U256::ZERO),
        Just(U256::from(1)),
        Just(U256::MAX),
        (0u64..1_000).prop_map(U256::from),
        any::<u128>().prop_map(U256::from),
        any::<[u64; 4]>().prop_map(U256::from_limbs),
        any::<u64>().prop_map(|x| U256::MAX - U256::from(x)),
    ]
}

/// A realistic token amount (up to 2^128).
fn amount() -> impl Strategy<Value = U256> {
    prop_oneof![(1u64..1_000).prop_map(U256::from), any::<u128>().prop_map(U256::from)]
}

/// A magnitude or scaling factor: 0..=1e18 mostly, sometimes above (dsf can exceed 1e18).
fn factor() -> impl Strategy<Value = U256> {
    prop_oneof![(0u64..=10u64.pow(18)).prop_map(U256::from), (10u64.pow(18)..u64::MAX).prop_map(U256::from)]
}

fn wide(x: U256) -> U512 {
    U512::from_limbs_slice(x.as_limbs())
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn mul_div_matches_512_bit_arithmetic(a in any_u256(), b in any_u256(), c in any_u256(), up in any::<bool>()) {
        let rounding = if up { Rounding::Up } else { Rounding::Down };
        let got = mul_div(a, b, c, rounding);
        if c.is_zero() {
            prop_assert_eq!(got, None);
        } else {
            let product = wide(a) * wide(b);
            let (q, r) = (product / wide(c), product % wide(c));
            let exact = if up && !r.is_zero() { q + U512::from(1) } else { q };
            let expected = (exact <= wide(U256::MAX)).then(|| U256::from_limbs(exact.as_limbs()[..4].try_into().unwrap()));
            prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn a_deposit_never_redeems_for_more_than_it_paid(amount in amount(), total in amount(), balance in amount(), donation in amount()) {
        if let Some(shares) = shares_for_deposit(amount, total, balance) {
            let back = underlying_for_shares(shares, total + shares, balance + amount + donation);
            // With a donation after the deposit the depositor may gain its pro-rata part of it, never more.
            let ceiling = amount + mul_div(donation, shares, total + shares, Rounding::Up).unwrap_or(donation) + U256::from(1);
            prop_assert!(back <= ceiling, "paid {}, redeemed {}", amount, back);
            let without_donation = underlying_for_shares(shares, total + shares, balance + amount);
            prop_assert!(without_donation <= amount);
        }
    }

    #[test]
    fn redemption_never_exceeds_the_balance(shares in any_u256(), total in any_u256(), balance in any_u256()) {
        prop_assert!(underlying_for_shares(shares, total, balance) <= balance);
    }

    #[test]
    fn slashes_round_up_and_stakers_round_down(scaled in amount(), prev in factor(), cut in factor()) {
        let new = prev.saturating_sub(cut);
        let taken = slashed_shares(scaled, U256::from(1), prev, new);
        let (before, after) = (shares_at_magnitude(scaled, prev), shares_at_magnitude(scaled, new));
        prop_assert_eq!(after + taken, before);
        prop_assert!(after <= before);
    }

    #[test]
    fn stakers_never_sum_above_their_pool(shares in proptest::collection::vec((amount(), factor()), 1..8), magnitude in factor()) {
        let pool: U256 = shares.iter().map(|(d, dsf)| keel_math::slashing::scaled_shares(*d, *dsf)).sum();
        let stakers: U256 = shares.iter().map(|(d, dsf)| withdrawable_shares(*d, *dsf, magnitude)).sum();
        prop_assert!(stakers <= shares_at_magnitude(pool, magnitude));
    }

    #[test]
    fn a_deposit_adds_at_most_its_shares(prev in amount(), dsf in factor(), magnitude in 1u64..=10u64.pow(18), added in amount()) {
        let magnitude = U256::from(magnitude);
        let dsf = dsf.max(U256::from(1));
        if let Some(next) = dsf_after_deposit(prev, dsf, magnitude, added) {
            let before = withdrawable_shares(prev, dsf, magnitude);
            let after = withdrawable_shares(prev + added, next, magnitude);
            prop_assert!(after <= before + added, "{} + {} became {}", before, added, after);
        }
        prop_assert_eq!(dsf_after_deposit(prev, dsf, U256::ZERO, added), None);
    }

    #[test]
    fn a_slash_takes_at_least_its_share_and_at_most_the_allocation(allocated in any::<u64>(), wad in any::<u64>()) {
        let allocated = allocated % (FULL + 1);
        let taken = slashed_magnitude(allocated, wad);
        prop_assert!(taken <= allocated);
        prop_assert!(taken as u128 * FULL as u128 >= allocated as u128 * wad.min(FULL) as u128);
    }

    #[test]
    fn commission_and_stakers_add_up(gross in any_u256(), bps in any::<u64>()) {
        let (commission, stakers) = split_commission(gross, bps);
        prop_assert_eq!(commission + stakers, gross);
        prop_assert!(commission <= gross);
    }

    #[test]
    fn payable_wei_never_exceed_the_balance(balance in any_u256()) {
        let (wei, rest) = payable(balance);
        prop_assert!(rest < WAD);
        prop_assert_eq!(wide(wei) * wide(WAD) + wide(rest), wide(balance));
    }

    #[test]
    fn checkpoints_round_trip(timestamp in any::<u64>(), value in any_u256()) {
        match pack(timestamp, value) {
            Some(word) => prop_assert_eq!(unpack(word), (timestamp, value)),
            None => prop_assert!(value >= U256::from(1) << 192),
        }
    }

    #[test]
    fn ecrecover_output_of_any_shape_is_handled(output in proptest::collection::vec(any::<u8>(), 0..80)) {
        let got = recovered_address(&output);
        if output.len() != 32 || output[..12].iter().any(|b| *b != 0) {
            prop_assert_eq!(got, None);
        }
    }
}
