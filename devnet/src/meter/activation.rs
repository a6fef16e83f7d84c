//! Activation gas (prover/src/programs/mod.rs `activate`: microseconds of
//! compile work per module feature, converted to gas) and the data fee
//! (arbos/programs/data_pricer.go: an exponential price on recent demand).

use super::costs::ModuleShape;
use alloy_primitives::U256;
use serde::{Deserialize, Serialize};

/// Gas per estimated microsecond of compilation (`us_to_gas`: fudge 2 × 7M gas/s ÷ 500,000).
const GAS_PER_MICROSECOND: u64 = 2 * 7_000_000 / 500_000;
/// When demand was last updated on a fresh chain (`ArbitrumStartTime`).
const ARBITRUM_START_TIME: u64 = 1_421_388_000;
/// Demand forgiven per second (`initialBytesPerSecond`: 1 TiB a year).
const BYTES_PER_SECOND: u32 = ((1u64 << 40) / (365 * 24) / 3_600) as u32;
/// Price per byte at no demand, in wei (`initialMinPrice`).
const MIN_PRICE: u64 = 82_928_201;
/// Demand at which the price grows e-fold (`initialInertia`).
const INERTIA: u64 = 21_360_419;
/// One in basis points.
const ONE_IN_BIPS: u64 = 10_000;

impl ModuleShape {
    /// Gas to activate the module (nitro's `activate` with ArbOS's charging
    /// fixes: each term floored, then converted, as nitro pays them).
    pub fn activation_gas(&self) -> u64 {
        [
            self.wasm_len.saturating_mul(31_733) / 100_000,
            self.funcs.saturating_mul(17_263) / 100_000,
            self.data_bytes.saturating_mul(17_376) / 100_000,
            self.elem_len.saturating_mul(17_376) / 100_000,
            u64::from(self.footprint).saturating_mul(2_217),
            self.code_ops.saturating_mul(535) / 1_000,
        ]
        .iter()
        .map(|us| us.saturating_mul(GAS_PER_MICROSECOND))
        .fold(0u64, u64::saturating_add)
    }
}

/// ArbOS's data pricer: recent activation demand in bytes, decaying over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataPricer {
    /// Bytes of recent demand.
    pub demand: u32,
    /// Time of the last update, in seconds.
    pub last_update: u64,
}

impl Default for DataPricer {
    fn default() -> Self {
        Self { demand: 0, last_update: ARBITRUM_START_TIME }
    }
}

impl DataPricer {
    /// Adds `bytes` (the program's machine-code estimate) to the demand at
    /// `now` and returns the fee in wei (`UpdateModel`).
    pub fn update(&mut self, bytes: u32, now: u64) -> U256 {
        let passed = u32::try_from(now.saturating_sub(self.last_update)).unwrap_or(u32::MAX);
        let credit = BYTES_PER_SECOND.saturating_mul(passed);
        self.demand = self.demand.saturating_sub(credit).saturating_add(bytes);
        self.last_update = now;
        let exponent = ONE_IN_BIPS * u64::from(self.demand) / INERTIA;
        let multiplier = approx_exp_bips(exponent, 12);
        let per_byte = MIN_PRICE.saturating_mul(multiplier) / ONE_IN_BIPS;
        U256::from(per_byte) * U256::from(bytes)
    }
}

/// `b · e^(x/b)` in basis points by Horner's method over `accuracy` terms
/// (arbmath `ApproxExpBasisPoints`, non-negative `x`).
fn approx_exp_bips(x: u64, accuracy: u64) -> u64 {
    let b = ONE_IN_BIPS;
    let mut result = b + x / accuracy;
    for i in (1..accuracy).rev() {
        result = b + result.saturating_mul(x) / (i * b);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_gas_sums_nitros_terms() {
        let shape = ModuleShape {
            wasm_len: 100_000,
            funcs: 200,
            data_bytes: 1_000,
            elem_len: 50,
            footprint: 2,
            code_ops: 40_000,
            ..Default::default()
        };
        // µs: wasm 31,733 + funcs 34 + data 173 + elements 8 + memory 4,434 + code 21,400, each × 28.
        assert_eq!(shape.activation_gas(), (31_733 + 34 + 173 + 8 + 4_434 + 21_400) * 28);
    }

    #[test]
    fn the_exponential_is_one_at_zero_and_e_at_one() {
        assert_eq!(approx_exp_bips(0, 12), 10_000);
        assert_eq!(approx_exp_bips(10_000, 12), 27_182);
    }

    #[test]
    fn the_data_fee_rises_with_demand_and_decays_with_time() {
        let mut pricer = DataPricer::default();
        let now = ARBITRUM_START_TIME + 10 * 365 * 86_400;
        let first = pricer.update(1_000_000, now);
        // Demand 1 MB: exponent 468 bips, multiplier e^0.0468.
        assert_eq!(first, U256::from(MIN_PRICE * approx_exp_bips(468, 12) / 10_000) * U256::from(1_000_000u64));
        let second = pricer.update(1_000_000, now);
        assert!(second > first, "demand accumulates within the same second");
        let later = pricer.update(1_000_000, now + 3_600);
        assert_eq!(later, first, "an hour forgives 125 MB of demand");
    }
}
