//! Strategy share accounting.
//!
//! A strategy holds `balance` tokens and has issued `total_shares` shares. Both
//! sides carry a virtual offset ([`VIRTUAL_SHARES`], [`VIRTUAL_ASSETS`]) that
//! belongs to nobody: it makes the first depositor's exchange rate 1:1 and
//! turns a donation ("inflation") attack into a loss for the attacker, since
//! most of a donation is captured by the virtual shares.
//!
//! Conversions out of the strategy additionally never pay above the plain
//! pro-rata rate `balance / total_shares`, so the sum of what every holder can
//! withdraw never exceeds `balance`, even after a negative rebase.

use crate::muldiv::{mul_div, Rounding};
use alloy_primitives::U256;

/// Virtual shares added to the total supply in every conversion.
pub const VIRTUAL_SHARES: U256 = U256::from_limbs([1_000, 0, 0, 0]);
/// Virtual assets added to the balance in every conversion.
pub const VIRTUAL_ASSETS: U256 = U256::from_limbs([1_000, 0, 0, 0]);

/// Shares minted for a deposit of `amount`, given the strategy's state
/// *before* the deposit. Rounds down. `None` on arithmetic overflow.
pub fn shares_for_deposit(amount: U256, total_shares: U256, balance_before: U256) -> Option<U256> {
    mul_div(amount, total_shares.checked_add(VIRTUAL_SHARES)?, balance_before.checked_add(VIRTUAL_ASSETS)?, Rounding::Down)
}

/// Tokens owed for `shares`, given the strategy's current state. Rounds down
/// and never exceeds the pro-rata share of `balance`.
pub fn underlying_for_shares(shares: U256, total_shares: U256, balance: U256) -> U256 {
    if total_shares.is_zero() || shares.is_zero() {
        return U256::ZERO;
    }
    let shares = shares.min(total_shares);
    let pro_rata = mul_div(shares, balance, total_shares, Rounding::Down).unwrap_or(U256::ZERO);
    let with_offsets = match (balance.checked_add(VIRTUAL_ASSETS), total_shares.checked_add(VIRTUAL_SHARES)) {
        (Some(assets), Some(supply)) => mul_div(shares, assets, supply, Rounding::Down),
        _ => None,
    };
    with_offsets.map_or(pro_rata, |value| value.min(pro_rata))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(x: u128) -> U256 {
        U256::from(x)
    }

    #[test]
    fn first_deposit_is_one_to_one() {
        assert_eq!(shares_for_deposit(u(5_000), U256::ZERO, U256::ZERO), Some(u(5_000)));
        assert_eq!(underlying_for_shares(u(5_000), u(5_000), u(5_000)), u(5_000));
    }

    #[test]
    fn positive_rebase_accrues_to_holders() {
        // 1,000,000 shares backed by 1,035,000 tokens after a +3.5% rebase.
        let value = underlying_for_shares(u(1_000_000), u(1_000_000), u(1_035_000));
        assert!(value > u(1_034_900) && value <= u(1_035_000), "{value}");
    }

    #[test]
    fn negative_rebase_never_overpays() {
        // Every token lost: nobody may withdraw anything.
        assert_eq!(underlying_for_shares(u(1_000_000), u(1_000_000), U256::ZERO), U256::ZERO);
        // Half lost: a holder of half the shares gets at most a quarter of the original.
        assert_eq!(underlying_for_shares(u(500), u(1_000), u(500)), u(250));
    }

    #[test]
    fn overflowing_deposit_is_refused() {
        assert_eq!(shares_for_deposit(U256::MAX, U256::MAX - u(1), U256::ZERO), None);
    }

    /// Runs a donation attack and returns (attacker profit, victim shares).
    fn donation_attack(seed: u128, donation: u128, victim: u128) -> (i128, U256) {
        let attacker_shares = shares_for_deposit(u(seed), U256::ZERO, U256::ZERO).unwrap();
        let balance = u(seed + donation);
        let victim_shares = shares_for_deposit(u(victim), attacker_shares, balance).unwrap();
        let total = attacker_shares + victim_shares;
        let out = underlying_for_shares(attacker_shares, total, balance + u(victim));
        let out: u128 = out.to();
        (out as i128 - (seed + donation) as i128, victim_shares)
    }

    #[test]
    fn classic_inflation_attack_loses_money() {
        // 1 wei seed, 1e18 donation, victim deposits 1e18.
        let (profit, victim_shares) = donation_attack(1, 10u128.pow(18), 10u128.pow(18));
        assert!(profit < 0, "attacker profit {profit}");
        assert!(victim_shares > U256::ZERO);
    }

    proptest! {
        #[test]
        fn deposit_then_withdraw_never_gains(
            amount in 1u128..=u64::MAX as u128,
            shares in 0u128..=u64::MAX as u128,
            balance in 0u128..=u64::MAX as u128,
        ) {
            let minted = shares_for_deposit(u(amount), u(shares), u(balance)).unwrap();
            let out = underlying_for_shares(minted, u(shares) + minted, u(balance + amount));
            prop_assert!(out <= u(amount));
        }

        #[test]
        fn holders_never_exceed_balance(
            holdings in proptest::collection::vec(1u128..=u64::MAX as u128, 1..20),
            balance in 0u128..=u64::MAX as u128 * 4,
        ) {
            let total: u128 = holdings.iter().sum();
            let paid: U256 = holdings
                .iter()
                .map(|h| underlying_for_shares(u(*h), u(total), u(balance)))
                .fold(U256::ZERO, |acc, x| acc + x);
            prop_assert!(paid <= u(balance));
        }

        #[test]
        fn donation_attack_always_loses(
            seed in 1u128..=10u128.pow(20),
            donation in 1u128..=10u128.pow(24),
            victim in 1u128..=10u128.pow(24),
        ) {
            let (profit, _) = donation_attack(seed, donation, victim);
            prop_assert!(profit <= 0, "seed {} donation {} victim {} profit {}", seed, donation, victim, profit);
        }
    }
}
