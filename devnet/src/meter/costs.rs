//! A program's entry costs, estimated at activation from the module's shape
//! (prover/src/binary.rs `instrument`) and turned into gas with ArbOS's
//! program parameters (arbos/programs/programs.go `initGas`, `cachedGas`).

use super::pricing::{
    CACHED_COST_SCALAR, COST_SCALAR_PERCENT, INIT_COST_SCALAR, MIN_CACHED_GAS_UNITS, MIN_CACHED_INIT_GAS, MIN_INIT_GAS, MIN_INIT_GAS_UNITS,
};

/// The features of a module nitro's cost estimates read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModuleShape {
    /// Functions defined by the module (imports excluded).
    pub funcs: u64,
    /// Parameters plus results over the defined functions' types.
    pub type_len: u64,
    /// Bytes of the (decompressed, uninstrumented) WASM.
    pub wasm_len: u64,
    /// Globals defined after instrumentation (nitro counts its own four).
    pub globals: u64,
    /// Bytes of the data and element segments.
    pub data_len: u64,
    /// Initial memory pages.
    pub footprint: u16,
    /// Bytes of the data segments' contents (activation gas).
    pub data_bytes: u64,
    /// Bytes of the element segments (activation gas).
    pub elem_len: u64,
    /// Operators of all function bodies after instrumentation (activation gas).
    pub code_ops: u64,
}

/// Entry costs of a program, stored at activation as nitro does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryCosts {
    /// nitro's `initCost` (u16): loading a program that is not cached.
    pub init_cost: u16,
    /// nitro's `cachedCost` (u16): entering any program.
    pub cached_cost: u16,
    /// Initial memory pages, paid through the memory model on entry.
    pub footprint: u16,
    /// nitro's machine-code size estimate in bytes (`asm_estimate`).
    pub asm_estimate: u32,
}

impl ModuleShape {
    /// The entry costs of a Stylus version 2 program (binary.rs: each term
    /// is floored on its own, as nitro computes them).
    pub fn entry_costs(&self) -> Result<EntryCosts, String> {
        let Self { funcs, type_len, wasm_len, globals, data_len, footprint, .. } = *self;
        let asm_estimate = 512_000u64
            .saturating_add(funcs.saturating_mul(996_829) / 1_000)
            .saturating_add(type_len.saturating_mul(11_416) / 1_000)
            .saturating_add(wasm_len.saturating_mul(62_628) / 10_000);
        let cached = (funcs.saturating_mul(13_420) / 100_000)
            .saturating_add(type_len.saturating_mul(89) / 100_000)
            .saturating_add(wasm_len.saturating_mul(122) / 100_000)
            .saturating_add(globals.saturating_mul(1_628) / 1_000)
            .saturating_add(data_len.saturating_mul(75_244) / 100_000)
            .saturating_add(u64::from(footprint) * 5);
        let init = (funcs.saturating_mul(8_252) / 1_000)
            .saturating_add(type_len.saturating_mul(1_059) / 1_000)
            .saturating_add(wasm_len.saturating_mul(1_286) / 10_000);
        Ok(EntryCosts {
            init_cost: init.try_into().map_err(|_| "init cost too high")?,
            cached_cost: cached.try_into().map_err(|_| "cached cost too high")?,
            footprint,
            asm_estimate: asm_estimate.try_into().map_err(|_| "asm estimate too large")?,
        })
    }
}

impl EntryCosts {
    /// ArbWasm's `codehashAsmSize`: the machine-code estimate in whole KiB
    /// (nitro stores `asmEstimateKb`, rounded up), in bytes.
    pub fn asm_size(&self) -> u32 {
        self.asm_estimate.div_ceil(1024).saturating_mul(1024)
    }

    /// Gas every frame of the program pays (programs.go `cachedGas`).
    pub fn cached_gas(&self) -> u64 {
        let dynamic = u64::from(self.cached_cost) * CACHED_COST_SCALAR * COST_SCALAR_PERCENT;
        MIN_CACHED_INIT_GAS * MIN_CACHED_GAS_UNITS + dynamic.div_ceil(100)
    }

    /// Gas a frame pays on top when the program is not cached (programs.go `initGas`).
    pub fn init_gas(&self) -> u64 {
        let dynamic = u64::from(self.init_cost) * INIT_COST_SCALAR * COST_SCALAR_PERCENT;
        MIN_INIT_GAS * MIN_INIT_GAS_UNITS + dynamic.div_ceil(100)
    }

    /// Gas to enter a frame: `cachedGas`, plus `initGas` if not cached
    /// (programs.go `CallProgram`, Stylus version 2; memory is paid apart).
    pub fn entry_gas(&self, cached: bool) -> u64 {
        self.cached_gas() + if cached { 0 } else { self.init_gas() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_follow_binary_rs_term_by_term() {
        let shape =
            ModuleShape { funcs: 100, type_len: 300, wasm_len: 50_000, globals: 5, data_len: 2_000, footprint: 2, ..Default::default() };
        let costs = shape.entry_costs().unwrap();
        // cached: funcs 13 + types 0 + bytes 61 + globals 8 + data 1504 + footprint 10
        assert_eq!(costs.cached_cost, 1_596);
        // init: 825 + 317 + 6430
        assert_eq!(costs.init_cost, 825 + 317 + 6_430);
        assert_eq!(costs.asm_estimate, 512_000 + 99_682 + 3_424 + 313_140);
        // gas: 11 * 32 + ceil(cost * 100 / 100); 69 * 128 + ceil(cost * 100 / 100)
        assert_eq!(costs.cached_gas(), 352 + u64::from(costs.cached_cost));
        assert_eq!(costs.init_gas(), 8_832 + 7_572);
        assert_eq!(costs.entry_gas(true), costs.cached_gas());
        assert_eq!(costs.entry_gas(false), costs.cached_gas() + costs.init_gas());
        assert_eq!(costs.asm_size(), 907 * 1024, "{} rounded up to KiB", costs.asm_estimate);
    }

    #[test]
    fn oversized_costs_are_refused() {
        let shape = ModuleShape { wasm_len: 10_000_000, ..ModuleShape::default() };
        assert!(shape.entry_costs().is_err());
    }
}
