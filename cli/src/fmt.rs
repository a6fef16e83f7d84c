//! Figures for people: 18-decimal amounts rounded to two places with
//! thousands separators (`1,234.57`), percentages (`8.00%`) and dollars
//! (`$7,680`). `--exact` ([`set_exact`]) shows every decimal instead.
//! Rounding here is for display only (to the nearest); the protocol's own
//! arithmetic and the demo's checks use the exact values.

use alloy::primitives::U256;
use std::sync::atomic::{AtomicBool, Ordering};

/// Decimal places shown when rounding.
const PLACES: u32 = 2;
/// Decimals of every Keel-facing amount.
const DECIMALS: u32 = 18;

static EXACT: AtomicBool = AtomicBool::new(false);

/// Shows every decimal (`--exact`) instead of rounding, for this process.
pub fn set_exact(exact: bool) {
    EXACT.store(exact, Ordering::Relaxed);
}

/// An 18-decimal amount for people: `1,439.99` (two places, to the nearest,
/// trailing zeros dropped), `<0.01` for a dust amount, `∞` for the maximum;
/// with `--exact`, every decimal.
pub fn amount(value: U256) -> String {
    if value == U256::MAX {
        return "∞".into();
    }
    if EXACT.load(Ordering::Relaxed) {
        return exact(value);
    }
    rounded(value, PLACES)
}

/// `amount` followed by the token's symbol: `1.44 kstETH`.
pub fn tokens(value: U256, symbol: &str) -> String {
    format!("{} {symbol}", amount(value))
}

/// Why a payment of `needed` is refused: `balance 68 kstETH is below 1,000`
/// (every decimal when rounding would hide the difference).
pub fn shortfall(balance: U256, needed: U256, symbol: &str) -> String {
    let (have, want) = (amount(balance), amount(needed));
    if have == want {
        return format!("balance {} {symbol} is below {}", exact(balance), exact(needed));
    }
    format!("balance {have} {symbol} is below {want}")
}

/// Every decimal of an 18-decimal amount, thousands separated: `1,439.999999999999999999`.
pub fn exact(value: U256) -> String {
    let unit = U256::from(10u64).pow(U256::from(DECIMALS));
    let fraction = format!("{:0>18}", (value % unit).to_string());
    join(value / unit, fraction.trim_end_matches('0'))
}

/// An 18-decimal amount rounded to `places` decimals (to the nearest),
/// trailing zeros dropped; `<0.01` (at two places) for a non-zero amount that rounds to zero.
pub fn rounded(value: U256, places: u32) -> String {
    let step = U256::from(10u64).pow(U256::from(DECIMALS - places));
    let scaled = (value + step / U256::from(2)) / step;
    if scaled.is_zero() && !value.is_zero() {
        return format!("<0.{}1", "0".repeat(places as usize - 1));
    }
    let unit = U256::from(10u64).pow(U256::from(places));
    let fraction = format!("{:0>width$}", (scaled % unit).to_string(), width = places as usize);
    join(scaled / unit, fraction.trim_end_matches('0'))
}

/// A wad fraction (1e18 = 100%) as a percentage with two decimals: `8.00%`.
pub fn percent(wad: U256) -> String {
    if EXACT.load(Ordering::Relaxed) {
        return format!("{}%", exact(wad * U256::from(100)));
    }
    let hundredths = (wad * U256::from(10_000) + U256::from(5u64 * 10u64.pow(17))) / U256::from(10u64.pow(18));
    let fraction = format!("{:0>2}", (hundredths % U256::from(100)).to_string());
    format!("{}.{fraction}%", separated(hundredths / U256::from(100)))
}

/// An 18-decimal dollar figure in whole dollars (to the nearest): `$7,680`.
pub fn usd(value: U256) -> String {
    if EXACT.load(Ordering::Relaxed) {
        return format!("${}", exact(value));
    }
    format!("${}", rounded(value, 0))
}

/// `whole.fraction` with thousands separators in `whole` (no point without a fraction).
fn join(whole: U256, fraction: &str) -> String {
    if fraction.is_empty() {
        separated(whole)
    } else {
        format!("{}.{fraction}", separated(whole))
    }
}

/// `1234567` → `1,234,567`.
fn separated(whole: U256) -> String {
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `units` tokens as an 18-decimal amount.
    fn wei(units: &str) -> U256 {
        crate::units::parse(units).unwrap()
    }

    #[test]
    fn rounds_amounts_to_the_nearest_hundredth_with_separators() {
        assert_eq!(rounded(wei("1.439999"), 2), "1.44");
        assert_eq!(rounded(wei("0.959999"), 2), "0.96");
        assert_eq!(rounded(wei("1.434999"), 2), "1.43");
        assert_eq!(rounded(wei("1.5"), 2), "1.5");
        assert_eq!(rounded(wei("68"), 2), "68");
        assert_eq!(rounded(wei("1234567.891"), 2), "1,234,567.89");
        assert_eq!(rounded(wei("999.999"), 2), "1,000");
        assert_eq!(rounded(U256::ZERO, 2), "0");
        assert_eq!(rounded(U256::from(1u64), 2), "<0.01");
        assert_eq!(rounded(wei("7679.999999"), 0), "7,680");
        assert_eq!(amount(U256::MAX), "∞");
    }

    #[test]
    fn shows_exact_values_percentages_and_dollars() {
        assert_eq!(exact(wei("1439.999999999999999999")), "1,439.999999999999999999");
        assert_eq!(exact(wei("32")), "32");
        assert_eq!(exact(U256::from(1u64)), "0.000000000000000001");
        assert_eq!(percent(wei("0.07999999")), "8.00%");
        assert_eq!(percent(wei("0.125")), "12.50%");
        assert_eq!(percent(wei("1")), "100.00%");
        assert_eq!(usd(wei("7679.999999")), "$7,680");
        assert_eq!(tokens(wei("1.44"), "kstETH"), "1.44 kstETH");
        assert_eq!(shortfall(wei("68"), wei("1000"), "kstETH"), "balance 68 kstETH is below 1,000");
        assert_eq!(shortfall(wei("9.999"), wei("10"), "kstETH"), "balance 9.999 kstETH is below 10");
    }
}
