//! Liquid restaking vault math: ERC-4626 conversions with virtual offsets,
//! reward vesting, the performance fee and the fair-exit rule.
//!
//! Every conversion rounds in the vault's favour: shares minted and assets
//! paid round down, shares burned and assets owed round up. The virtual
//! offsets ([`VIRTUAL_SHARES`], [`VIRTUAL_ASSETS`]) make the first deposit
//! 1:1 and let no holder own all of the vault, so an inflation of the rate
//! before a victim's deposit is captured mostly by the offsets.
//!
//! Gains vest linearly over a period before they count in the rate (so a
//! deposit just before a reward cannot capture it), losses count at once and
//! eat unvested gains first (so nobody can exit ahead of a slash at the old
//! rate).

use crate::muldiv::{mul_div, Rounding};
use alloy_primitives::U256;

/// Virtual shares added to the supply in every conversion.
pub const VIRTUAL_SHARES: U256 = U256::from_limbs([1_000, 0, 0, 0]);
/// Virtual assets added to the total assets in every conversion.
pub const VIRTUAL_ASSETS: U256 = U256::from_limbs([1_000, 0, 0, 0]);
/// 1e18: one whole share, the unit of rates.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// 100% in basis points.
pub const MAX_BPS: U256 = U256::from_limbs([10_000, 0, 0, 0]);

/// Shares worth `assets` in a vault of `total` assets and `supply` shares.
/// `None` on overflow.
///
/// Minted shares (`Down`) take the offset conversion alone. Holders are
/// valued at the lower of the two rates, which is the offset one whenever
/// `total > supply`; minting at the plain pro-rata rate there charged the
/// depositor `total / supply` for shares then worth `(total + 1000) /
/// (supply + 1000)`, a spread of up to `1000 / (supply + 1000)` of the
/// deposit that went to the offsets and the other holders (much of a
/// deposit once the supply is dust and the assets are not, as after the
/// last holder leaves an instant-redemption fee behind). At or below 1:1
/// the offset conversion is already the smaller.
pub fn to_shares(assets: U256, total: U256, supply: U256, rounding: Rounding) -> Option<U256> {
    let offset = mul_div(assets, supply.checked_add(VIRTUAL_SHARES)?, total.checked_add(VIRTUAL_ASSETS)?, rounding)?;
    if supply.is_zero() || total.is_zero() || rounding == Rounding::Down {
        return Some(offset);
    }
    Some(favour(offset, mul_div(assets, supply, total, rounding)?, rounding))
}

/// Assets worth `shares` in a vault of `total` assets and `supply` shares.
/// `None` on overflow.
pub fn to_assets(shares: U256, total: U256, supply: U256, rounding: Rounding) -> Option<U256> {
    let offset = mul_div(shares, total.checked_add(VIRTUAL_ASSETS)?, supply.checked_add(VIRTUAL_SHARES)?, rounding)?;
    if supply.is_zero() {
        return Some(offset);
    }
    Some(favour(offset, mul_div(shares, total, supply, rounding)?, rounding))
}

/// The offset conversion, but never more generous than the plain pro-rata
/// one: paid-out amounts (`Down`) take the smaller, owed amounts (`Up`) the
/// larger. So no holder is paid above `total / supply` (after a slash the
/// offsets alone would pay above it), and the first deposit stays 1:1.
fn favour(offset: U256, pro_rata: U256, rounding: Rounding) -> U256 {
    match rounding {
        Rounding::Down => offset.min(pro_rata),
        Rounding::Up => offset.max(pro_rata),
    }
}

/// Assets per 1e18 shares, rounded down.
pub fn rate(total: U256, supply: U256) -> U256 {
    to_assets(WAD, total, supply, Rounding::Down).unwrap_or(U256::MAX)
}

/// `bps` of `amount`, rounded up (a fee the user pays).
pub fn bps_of(amount: U256, bps: U256) -> U256 {
    mul_div(amount, bps, MAX_BPS, Rounding::Up).unwrap_or(amount)
}

/// The vault's assets when its holdings are now worth `raw`, were worth
/// `last` at the last checkpoint, and `locked` of that is unvested: a gain
/// since the checkpoint joins the unvested part, a loss eats it first.
/// Returns (assets counted in the rate, unvested gains after this checkpoint).
pub fn settle(raw: U256, last: U256, locked: U256) -> (U256, U256) {
    let locked = if raw >= last { locked.saturating_add(raw - last) } else { locked.saturating_sub(last - raw) };
    (raw.saturating_sub(locked), locked)
}

/// Shares that pay a performance fee of `bps` on the rise of the rate above
/// the high-water mark `hwm`, for a vault of `total` assets and `supply`
/// shares: minted to the treasury, they are worth `bps` of the gain (rounded
/// down). Zero when the rate is at or below the mark.
pub fn fee_shares(total: U256, supply: U256, hwm: U256, bps: U256) -> U256 {
    let current = rate(total, supply);
    if current <= hwm || bps.is_zero() {
        return U256::ZERO;
    }
    let gain = mul_div(current - hwm, supply.saturating_add(VIRTUAL_SHARES), WAD, Rounding::Down).unwrap_or(U256::ZERO);
    let fee = mul_div(gain, bps, MAX_BPS, Rounding::Down).unwrap_or(U256::ZERO);
    let net = total.saturating_add(VIRTUAL_ASSETS).saturating_sub(fee);
    mul_div(fee, supply.saturating_add(VIRTUAL_SHARES), net, Rounding::Down).unwrap_or(U256::ZERO)
}

/// What a redemption request pays: the value recorded at the request, or
/// less if the assets it claims are worth less at the claim (a slash during
/// the delay); a gain after the request stays with the vault.
pub fn fair_exit(value_at_request: U256, value_at_claim: U256) -> U256 {
    value_at_request.min(value_at_claim)
}

#[cfg(test)]
mod tests;
