//! L1 poster gas, as nitro's `arbos/l1pricing` and `TxProcessor` charge it
//! (`--l1-price-per-unit`): a transaction's calldata units are 16 per byte
//! of its signed envelope compressed with brotli at level 1 (ArbOS ≥ 20,
//! window 22); the poster cost is the L1 price per unit times the units, and
//! the transaction buys it as gas at the base fee (`posterGas`, rounded
//! down) before execution. Receipts report it as `gasUsedForL1`.
//!
//! Calls and estimates have no signed transaction: nitro sizes a stand-in
//! EIP-1559 envelope (random-looking values for the fields a call leaves
//! empty, a fixed gas limit when estimating) and pads its units by 16
//! bytes' worth and 1%; estimates also pad the cost by 10%.

use super::params::CallRequest;
use super::rpc::RpcError;
use super::signed::{SignedTx, UnsignedTx};
use alloy_primitives::{keccak256, Bytes, U256};
use std::io::Write;

/// Calldata units per compressed byte (`TxDataNonZeroGasEIP2028`).
pub const UNITS_PER_BYTE: u64 = 16;
/// Brotli level of ArbOS ≥ 20 (`BrotliCompressionLevel`).
const BROTLI_LEVEL: u32 = 1;
/// Brotli window (`arbcompress.WINDOW_SIZE`).
const BROTLI_WINDOW: u32 = 22;
/// Units added to a stand-in envelope (`estimationPaddingUnits`).
const ESTIMATION_PADDING_UNITS: u64 = 16 * UNITS_PER_BYTE;
/// Then scaled up by 1% (`estimationPaddingBasisPoints`).
const ESTIMATION_PADDING_BIPS: u64 = 100;
/// Estimates pay 110% of the poster cost (`GasEstimationL1PricePadding`).
const ESTIMATION_PRICE_BIPS: u64 = 11_000;
const ONE_IN_BIPS: u64 = 10_000;
/// Chain id nitro signs its stand-in envelope for (Arbitrum One's).
const STAND_IN_CHAIN_ID: u64 = 42_161;

/// Calldata units of envelope `bytes`.
pub fn units(bytes: &[u8]) -> u64 {
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, BROTLI_LEVEL, BROTLI_WINDOW);
        writer.write_all(bytes).expect("writing to memory cannot fail");
    }
    UNITS_PER_BYTE * compressed.len() as u64
}

/// Gas a transaction with `units` buys for the poster at `base_fee`.
pub fn poster_gas(price_per_unit: U256, units: u64, base_fee: U256, estimating: bool) -> u64 {
    if price_per_unit.is_zero() || base_fee.is_zero() {
        return 0;
    }
    let mut cost = price_per_unit.saturating_mul(U256::from(units));
    if estimating {
        cost = cost.saturating_mul(U256::from(ESTIMATION_PRICE_BIPS)) / U256::from(ONE_IN_BIPS);
    }
    u64::try_from(cost / base_fee).unwrap_or(u64::MAX)
}

/// Units of a mined transaction.
pub fn signed_units(tx: &SignedTx) -> u64 {
    units(&tx.marshal_binary())
}

/// 32 bits of keccak256(`label`), as nitro derives its stand-in values.
fn stand_in(label: &str, bytes: usize) -> U256 {
    U256::from_be_slice(&keccak256(label.as_bytes())[..bytes])
}

/// Padded units of the stand-in envelope for a call or an estimate with `gas`.
pub fn call_units(request: &CallRequest, gas: u64, estimating: bool) -> Result<u64, RpcError> {
    let nonzero = |value: Option<U256>, label| value.filter(|v| !v.is_zero()).unwrap_or_else(|| stand_in(label, 4));
    let stand_in_gas = stand_in("Gas", 4).to::<u64>();
    let tx = UnsignedTx {
        chain_id: 0,
        nonce: request.nonce.filter(|n| *n != 0).unwrap_or_else(|| stand_in("Nonce", 8).to::<u64>()),
        max_fee: nonzero(request.max_fee_per_gas.or(request.gas_price), "GasFeeCap"),
        max_priority_fee: nonzero(request.max_priority_fee_per_gas.or(request.gas_price), "GasTipCap"),
        gas: if estimating || gas == 0 { stand_in_gas } else { gas },
        to: request.to,
        value: request.value.unwrap_or_default(),
        input: request.calldata().unwrap_or_else(|_| Bytes::new()),
        access_list: request.access_list.clone().unwrap_or_default(),
    };
    let v = U256::from(STAND_IN_CHAIN_ID * 3);
    let bytes = tx.envelope_with(v, keccak256(b"R").into(), keccak256(b"S").into());
    let padded = (units(&bytes) + ESTIMATION_PADDING_UNITS) * (ONE_IN_BIPS + ESTIMATION_PADDING_BIPS) / ONE_IN_BIPS;
    Ok(padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poster_gas_is_the_cost_at_the_base_fee_rounded_down() {
        let base_fee = U256::from(100_000_000u64);
        assert_eq!(poster_gas(U256::ZERO, 1_000, base_fee, false), 0);
        // 30 gwei per unit × 1,600 units / 0.1 gwei = 480,000 gas.
        assert_eq!(poster_gas(U256::from(30_000_000_000u64), 1_600, base_fee, false), 480_000);
        assert_eq!(poster_gas(U256::from(30_000_000_000u64), 1_600, base_fee, true), 528_000);
        assert_eq!(poster_gas(U256::from(1), 99_999_999, base_fee, false), 0);
    }

    #[test]
    fn units_are_sixteen_per_compressed_byte() {
        assert_eq!(units(&[]) % UNITS_PER_BYTE, 0);
        let repetitive = vec![7u8; 10_000];
        assert!(units(&repetitive) < 16 * 100, "brotli shrinks repeated bytes");
        let varied: Vec<u8> = (0..2_000u32).map(|i| keccak256(i.to_be_bytes())[0]).collect();
        assert!(units(&varied) >= 16 * 2_000, "random bytes do not shrink");
    }
}
