//! Vault math: rounding in the vault's favour, vesting, fees, fair exits.

use super::*;
use proptest::prelude::*;

fn u(x: u128) -> U256 {
    U256::from(x)
}

#[test]
fn first_deposit_is_one_to_one() {
    assert_eq!(to_shares(u(5_000), U256::ZERO, U256::ZERO, Rounding::Down), Some(u(5_000)));
    assert_eq!(rate(U256::ZERO, U256::ZERO), WAD);
}

#[test]
fn gains_lock_and_losses_eat_them_first() {
    // 100 gained since the checkpoint at 1,000: all of it unvested now.
    assert_eq!(settle(u(1_100), u(1_000), U256::ZERO), (u(1_000), u(100)));
    // A loss of 30 takes unvested gains first, then the counted assets.
    assert_eq!(settle(u(1_070), u(1_100), u(50)), (u(1_050), u(20)));
    assert_eq!(settle(u(900), u(1_100), u(50)), (u(900), U256::ZERO));
}

#[test]
fn fee_is_bps_of_the_gain_above_the_mark() {
    let supply = u(1_000_000_000_000_000_000_000);
    // 10% gain, 20% fee: the treasury's shares are worth 2% of the old assets.
    let shares = fee_shares(u(1_100_000_000_000_000_000_000), supply, WAD, u(2_000));
    let worth = to_assets(shares, u(1_100_000_000_000_000_000_000), supply + shares, Rounding::Down).unwrap();
    let fee = u(20_000_000_000_000_000_000);
    assert!(worth <= fee && fee - worth < u(1_000), "{worth}");
    assert_eq!(fee_shares(u(900), u(1_000), WAD, u(2_000)), U256::ZERO);
}

#[test]
fn fair_exit_takes_the_lower_value() {
    assert_eq!(fair_exit(u(100), u(90)), u(90));
    assert_eq!(fair_exit(u(100), u(110)), u(100));
}

proptest! {
    /// Depositing then redeeming never returns more than was deposited, and
    /// never lowers the rate for the other holders.
    #[test]
    fn round_trip_favours_the_vault(total in 0u128..=u64::MAX as u128 * 1_000, supply in 0u128..=u64::MAX as u128 * 1_000, amount in 1u128..=u64::MAX as u128) {
        let (total, supply, amount) = (u(total), u(supply), u(amount));
        let before = rate(total, supply);
        let minted = to_shares(amount, total, supply, Rounding::Down).unwrap();
        let (total, supply) = (total + amount, supply + minted);
        prop_assert!(rate(total, supply) >= before);
        let out = to_assets(minted, total, supply, Rounding::Down).unwrap();
        prop_assert!(out <= amount);
        prop_assert!(rate(total - out, supply - minted) >= before);
    }

    /// Σ of every holder's redeemable assets never exceeds the total assets.
    #[test]
    fn holders_never_exceed_total(holdings in proptest::collection::vec(1u128..=u64::MAX as u128, 1..20), total in 0u128..=u64::MAX as u128 * 40) {
        let supply = u(holdings.iter().sum());
        let paid = holdings.iter().map(|h| to_assets(u(*h), u(total), supply, Rounding::Down).unwrap()).fold(U256::ZERO, |a, b| a + b);
        prop_assert!(paid <= u(total));
    }

    /// The fee never takes more than `bps` of the gain, and the rate after
    /// the fee never falls below the mark.
    #[test]
    fn fee_is_bounded(supply in 1u128..=u64::MAX as u128 * 1_000, gain_bps in 0u128..5_000, bps in 0u128..=2_000) {
        let supply = u(supply);
        let total = to_assets(supply, supply, supply, Rounding::Down).unwrap() * u(10_000 + gain_bps) / u(10_000);
        let hwm = rate(supply, supply);
        let shares = fee_shares(total, supply, hwm, u(bps));
        let worth = to_assets(shares, total, supply + shares, Rounding::Down).unwrap();
        let gain = total.saturating_sub(to_assets(supply, supply, supply, Rounding::Up).unwrap());
        prop_assert!(worth <= bps_of(gain, u(bps)) + u(1));
        prop_assert!(rate(total, supply + shares) + u(1) >= hwm);
    }

    /// A settled checkpoint never counts more than the raw holdings.
    #[test]
    fn settle_is_conservative(raw in 0u128..=u64::MAX as u128, last in 0u128..=u64::MAX as u128, locked in 0u128..=u64::MAX as u128) {
        let (counted, still) = settle(u(raw), u(last), u(locked));
        prop_assert!(counted <= u(raw));
        if still <= u(raw) {
            prop_assert_eq!(counted + still, u(raw));
        }
    }
}
