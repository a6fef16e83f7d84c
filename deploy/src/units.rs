//! Token amounts in units (`32`, `1.5`) rather than wei.

use alloy::primitives::{
    utils::{format_units, parse_units},
    U256,
};
use anyhow::{Context, Result};

/// Decimals of every Keel-facing amount (ERC-20s with 18 decimals, shares).
pub const DECIMALS: u8 = 18;

/// `"1.5"` → 1.5e18.
pub fn parse(text: &str) -> Result<U256> {
    Ok(parse_units(text, DECIMALS).with_context(|| format!("bad amount {text}"))?.get_absolute())
}

/// 1.5e18 → `"1.5"`, at most 6 decimals shown (rounded down), `∞` for the maximum.
pub fn show(value: U256) -> String {
    if value == U256::MAX {
        return "∞".into();
    }
    let text = format_units(value, DECIMALS).unwrap_or_default();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction[..fraction.len().min(6)].trim_end_matches('0');
    if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    }
}

/// `"12.5"` (percent) → 0.125e18 as a 64-bit wad.
pub fn percent_wad(text: &str) -> Result<u64> {
    let wad = parse(text)? / U256::from(100);
    anyhow::ensure!(wad <= U256::from(10u64.pow(18)), "{text}% is more than 100%");
    Ok(wad.to::<u64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_shows_units() {
        assert_eq!(parse("32").unwrap(), U256::from(32u64) * U256::from(10u64.pow(18)));
        assert_eq!(show(parse("1.5").unwrap()), "1.5");
        assert_eq!(show(parse("0.0000001").unwrap()), "0");
        assert_eq!(show(parse("1.4399999").unwrap()), "1.439999");
        assert_eq!(show(U256::MAX), "∞");
        assert!(parse("abc").is_err());
        assert_eq!(percent_wad("12.5").unwrap(), 125_000_000_000_000_000);
        assert!(percent_wad("101").is_err());
    }
}
