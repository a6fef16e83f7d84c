//! Pure arithmetic of the idle buffer and of the vesting schedule.
//!
//! **Buffer.** The vault's token balance holds the idle buffer and the
//! idle-funded parts of open redemption requests (the *reserve*). A rebasing
//! asset moves the whole balance, so [`split_buffer`] shares a shortfall
//! between the two pro rata, while a surplus (a positive rebase, a reward or
//! a donation) goes to the buffer, where the vesting schedule holds it back
//! before it counts. Requests hold the reserve as units of an index that
//! only falls (see `LrtVault::reconcile_buffer`).
//!
//! A surplus counts only once the supply is at least [`MIN_SUPPLY_FOR_SURPLUS`]:
//! a donation to a vault of a few wei of LRT would, once vested, price one
//! LRT wei so high that the vault's conversions (never above pro rata) would
//! mint a depositor nothing, or one wei worth a fraction of the deposit. With
//! that supply, a donor must give 1e9 times what a victim's rounding could lose.
//!
//! **Vesting.** Unvested gains run down linearly to an end time. A new gain
//! joins them and moves the end to the value-weighted mean of the old end
//! and a full period from now ([`vesting_end`]), so a dust gain moves it by
//! a dust fraction of the period (nothing, once rounded) and cannot hold
//! the others back; a loss leaves the end alone.

use alloy_primitives::U256;
use keel_math::{mul_div, Rounding};

/// LRT supply (wei) from which a surplus of the buffer counts.
pub const MIN_SUPPLY_FOR_SURPLUS: U256 = U256::from_limbs([1_000_000_000, 0, 0, 0]);

/// The token `balance` split into (idle buffer, reserve) when the books say
/// `idle` and `reserve`: a shortfall is shared pro rata (the reserve's part
/// rounded down), a surplus joins the buffer if `supply` is at least
/// [`MIN_SUPPLY_FOR_SURPLUS`] (else it waits, uncounted).
pub fn split_buffer(balance: U256, idle: U256, reserve: U256, supply: U256) -> (U256, U256) {
    let booked = idle.saturating_add(reserve);
    let balance = if supply < MIN_SUPPLY_FOR_SURPLUS { balance.min(booked) } else { balance };
    if balance >= booked {
        return (balance - reserve, reserve);
    }
    let reserve = mul_div(reserve, balance, booked, Rounding::Down).unwrap_or_default();
    (balance - reserve, reserve)
}

/// What is still unvested at `now` of `locked` gains booked at `since` and
/// vesting linearly until `until` (rounded up: the rate never runs ahead).
pub fn unvested(locked: U256, since: u64, until: u64, now: u64) -> U256 {
    if now >= until {
        return U256::ZERO;
    }
    let span = until.saturating_sub(since).max(1);
    mul_div(locked, U256::from(until - now), U256::from(span), Rounding::Up).unwrap_or(locked)
}

/// New end of the schedule when `gain` joins `remaining` unvested gains
/// ending at `until`: the mean of `until` and `now + period` weighted by the
/// two amounts, `until + gain × (now + period − until) / (remaining + gain)`.
/// Rounded down: rounding up would let each wei of dust push the end by a
/// second, and dust every block would then hold vesting back for good. An
/// end already beyond a full period (after the period was shortened) stays.
pub fn vesting_end(remaining: U256, until: u64, gain: U256, now: u64, period: u64) -> u64 {
    let until = until.max(now);
    let stretch = (now + period).saturating_sub(until);
    let extra = mul_div(gain, U256::from(stretch), remaining.saturating_add(gain), Rounding::Down).unwrap_or_default();
    until + extra.to::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400;

    fn e18(n: u64) -> U256 {
        U256::from(n) * U256::from(10u64).pow(U256::from(18))
    }

    #[test]
    fn a_surplus_goes_to_the_buffer_and_a_shortfall_is_shared() {
        let supply = MIN_SUPPLY_FOR_SURPLUS;
        assert_eq!(split_buffer(e18(120), e18(100), e18(10), supply), (e18(110), e18(10)));
        // −10% on 100 idle and 100 reserved: each keeps 90.
        assert_eq!(split_buffer(e18(180), e18(100), e18(100), supply), (e18(90), e18(90)));
        assert_eq!(split_buffer(U256::ZERO, e18(1), e18(1), supply), (U256::ZERO, U256::ZERO));
        // Rounding favours the buffer: 1 wei short on 1 + 2.
        assert_eq!(split_buffer(U256::from(2), U256::from(1), U256::from(2), supply), (U256::from(1), U256::from(1)));
    }

    #[test]
    fn a_surplus_waits_while_the_supply_is_dust() {
        let dust = MIN_SUPPLY_FOR_SURPLUS - U256::from(1);
        assert_eq!(split_buffer(e18(120), e18(100), e18(10), dust), (e18(100), e18(10)));
        assert_eq!(split_buffer(e18(99), e18(100), U256::ZERO, dust), (e18(99), U256::ZERO), "a shortfall still counts");
    }

    #[test]
    fn gains_vest_linearly_to_their_end() {
        assert_eq!(unvested(e18(100), 0, DAY, 0), e18(100));
        assert_eq!(unvested(e18(100), 0, DAY, DAY / 4), e18(75));
        assert_eq!(unvested(e18(100), 0, DAY, DAY), U256::ZERO);
        assert_eq!(unvested(e18(100), DAY, DAY, DAY + 1), U256::ZERO);
    }

    #[test]
    fn a_dust_gain_does_not_hold_back_the_others() {
        // 100 unvested with half a day left; 1 wei arrives.
        let end = vesting_end(e18(100), DAY / 2, U256::from(1), 0, DAY);
        assert_eq!(end, DAY / 2, "not moved: a wei's share of a day rounds to nothing");
        // A gain of a hundredth of the rest moves it by a hundredth of the gap.
        assert_eq!(vesting_end(e18(99), DAY / 2, e18(1), 0, DAY), DAY / 2 + DAY / 200);
        // A gain as large as the rest moves the end halfway to a full period.
        assert_eq!(vesting_end(e18(100), DAY / 2, e18(100), 0, DAY), 3 * DAY / 4);
        // Nothing left vesting: the new gain vests over a full period.
        assert_eq!(vesting_end(U256::ZERO, 0, e18(5), 10, DAY), 10 + DAY);
        assert_eq!(vesting_end(U256::ZERO, 0, U256::ZERO, 10, DAY), 10);
    }
}
