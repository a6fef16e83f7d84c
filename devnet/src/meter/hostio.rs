//! nitro's host-I/O ink (arbutil/src/pricing.rs) and its storage-cache
//! tiers (arbutil/src/evm/storage.rs `StorageCache`).

use alloy_primitives::B256;

pub use crate::gas::{EVM_API_INK, HOSTIO_INK, PTR_INK};
/// Ink of `math_div` / `math_mod` on top of the call (`DIV_INK`).
pub const DIV_INK: u64 = 20_000;
/// Ink of `math_mul_mod` on top of the call (`MUL_MOD_INK`).
pub const MUL_MOD_INK: u64 = 24_100;
/// Ink of `math_add_mod` on top of the call (`ADD_MOD_INK`).
pub const ADD_MOD_INK: u64 = 21_000;
/// Gas a storage-cache access must have left (`StorageCache::REQUIRED_ACCESS_GAS`).
pub const CACHE_ACCESS_GAS: u64 = 10;
/// Gas of a storage read's request to the chain (`ink_to_gas(EVM_API_INK)`, ArbOS charging fixes).
pub const STORAGE_READ_API_GAS: u64 = EVM_API_INK / 10_000;
/// Gas of a call or create that brings an empty account to life with value (`CallNewAccountGas`).
pub const NEW_ACCOUNT_GAS: u64 = 25_000;

/// Ink to copy `bytes` from the host into the program (`write_price`).
pub fn write_price(bytes: usize) -> u64 {
    5_040 + 30 * (bytes as u64).saturating_sub(32)
}

/// Ink to copy `bytes` from the program to the host (`read_price`).
pub fn read_price(bytes: usize) -> u64 {
    16_381 + 55 * (bytes as u64).saturating_sub(32)
}

/// Ink of `native_keccak256` over `bytes` (`keccak_price`: two words included).
pub fn keccak_price(bytes: usize) -> u64 {
    121_800 + 21_000 * crate::gas::words(bytes).saturating_sub(2)
}

/// Ink of `math_pow`'s exponent (`pow_price`: less per leading zero byte).
pub fn pow_price(exponent: B256) -> u64 {
    let significant = 33 - exponent.iter().take_while(|byte| **byte == 0).count() as u64;
    3_000 + significant * 17_500
}

/// Gas of the `n`-th storage read of a frame (`StorageCache::read_gas`).
pub fn cache_read_gas(n: usize) -> u64 {
    match n {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// Gas of the `n`-th storage write of a frame (`StorageCache::write_gas`).
pub fn cache_write_gas(n: usize) -> u64 {
    match n {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_prices_include_the_first_word() {
        assert_eq!(write_price(0), 5_040);
        assert_eq!(write_price(100), 5_040 + 30 * 68);
        assert_eq!(read_price(32), 16_381);
        assert_eq!(read_price(36), 16_381 + 4 * 55);
    }

    #[test]
    fn keccak_costs_121800_for_two_words_then_21000_per_word() {
        assert_eq!(keccak_price(0), 121_800);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 121_800 + 21_000);
    }

    #[test]
    fn pow_price_falls_with_leading_zero_bytes() {
        assert_eq!(pow_price(B256::ZERO), 3_000 + 17_500);
        assert_eq!(pow_price(B256::with_last_byte(2)), 3_000 + 2 * 17_500);
        assert_eq!(pow_price(B256::repeat_byte(1)), 3_000 + 33 * 17_500);
    }

    #[test]
    fn the_first_reads_and_writes_of_a_frame_are_free() {
        assert_eq!((cache_read_gas(1), cache_read_gas(32), cache_read_gas(33), cache_read_gas(129)), (0, 0, 2, 10));
        assert_eq!((cache_write_gas(8), cache_write_gas(9), cache_write_gas(64), cache_write_gas(65)), (0, 7, 7, 10));
    }
}
