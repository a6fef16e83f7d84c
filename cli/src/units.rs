//! Token amounts typed in units (`32`, `1.5`) rather than wei; the
//! parsers double as clap value parsers, so a bad value is refused in one
//! line naming the flag.

use alloy::primitives::{utils::parse_units, U256};
use anyhow::{anyhow, ensure, Result};

/// Decimals of every Keel-facing amount (ERC-20s with 18 decimals, shares).
pub const DECIMALS: u8 = 18;

/// `"1.5"` → 1.5e18; refuses anything but digits with at most one point
/// and 18 decimals.
pub fn parse(text: &str) -> Result<U256> {
    let refused = || anyhow!("expected a number of tokens such as 32 or 1.5 (digits, at most {DECIMALS} decimals)");
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    ensure!(
        !(whole.is_empty() && fraction.is_empty()) && digits(whole) && digits(fraction) && fraction.len() <= DECIMALS as usize,
        refused()
    );
    Ok(parse_units(text, DECIMALS).map_err(|_| refused())?.get_absolute())
}

/// `"12.5"` (percent) → 0.125e18 as a 64-bit wad.
pub fn percent_wad(text: &str) -> Result<u64> {
    let wad = parse(text).map_err(|_| anyhow!("expected a percentage such as 50 or 12.5 (digits, no % sign)"))? / U256::from(100);
    ensure!(wad <= U256::from(10u64.pow(18)), "{text}% is more than 100%");
    Ok(wad.to::<u64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_refuses_anything_else_in_one_line() {
        assert_eq!(parse("32").unwrap(), U256::from(32u64) * U256::from(10u64.pow(18)));
        assert_eq!(parse("1.5").unwrap(), U256::from(15u64) * U256::from(10u64.pow(17)));
        assert_eq!(parse(".5").unwrap(), U256::from(5u64) * U256::from(10u64.pow(17)));
        for bad in ["abc", "", ".", "-1", "1.2.3", "1e18", "0.0000000000000000001", " 1"] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error.chain().count(), 1, "{bad}");
            assert!(error.to_string().starts_with("expected a number of tokens such as 32 or 1.5"), "{bad}: {error}");
        }
        assert_eq!(percent_wad("12.5").unwrap(), 125_000_000_000_000_000);
        assert!(percent_wad("101").is_err());
        assert!(percent_wad("ten").unwrap_err().to_string().starts_with("expected a percentage"));
    }
}
