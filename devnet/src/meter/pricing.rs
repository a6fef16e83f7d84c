//! nitro's Stylus prices for WASM execution and program entry, in one place.
//! Each number names the nitro source it mirrors (OffchainLabs/nitro).

use wasmparser::Operator;

/// Ink charged per basic block for checking the ink left
/// (`ink_header_cost` of `CompileConfig::version(1 | 2)`, prover/src/programs/config.rs).
pub const BLOCK_HEADER_INK: u64 = 2_450;
/// Ink per byte of `memory.copy` (`memory_copy_ink = 800 / 8`, config.rs).
pub const MEMORY_COPY_BYTE_INK: u64 = 800 / 8;
/// Ink per byte of `memory.fill` (`memory_fill_ink = 800 / 8`, config.rs).
pub const MEMORY_FILL_BYTE_INK: u64 = 800 / 8;
/// Largest stack frame of one function, in words (`max_frame_size`, config.rs).
pub const MAX_FRAME_SIZE: u32 = 10 * 1024;
/// Most values alive at once in one frame (`max_frame_contention`, config.rs).
pub const MAX_FRAME_CONTENTION: u32 = 4_096;
/// Stack space a program starts with, in words (`initialStackDepth`, arbos/programs/params.go).
pub const MAX_STACK_DEPTH: u32 = 4 * 65_536;
/// Ink of an operator nitro does not support: any block holding it cannot be paid for.
pub const UNSUPPORTED_INK: u64 = u64::MAX;

/// Pages of memory a transaction gets free (`InitialFreePages`, params.go).
pub const FREE_PAGES: u16 = 2;
/// Linear gas per page opened beyond the free ones (`InitialPageGas`, params.go).
pub const PAGE_GAS: u64 = 1_000;
/// Units of the minimum init gas (`v2MinInitGas`, params.go: Stylus version 2).
pub const MIN_INIT_GAS: u64 = 69;
/// Units of the minimum cached gas (`initialMinCachedGas`, params.go).
pub const MIN_CACHED_INIT_GAS: u64 = 11;
/// Init cost scalar, in 2% steps (`initialInitCostScalar`, params.go).
pub const INIT_COST_SCALAR: u64 = 50;
/// Cached cost scalar, in 2% steps (`initialCachedCostScalar`, params.go).
pub const CACHED_COST_SCALAR: u64 = 50;
/// Gas per unit of `MIN_INIT_GAS` (`MinInitGasUnits`, params.go).
pub const MIN_INIT_GAS_UNITS: u64 = 128;
/// Gas per unit of `MIN_CACHED_INIT_GAS` (`MinCachedGasUnits`, params.go).
pub const MIN_CACHED_GAS_UNITS: u64 = 32;
/// Percent per unit of a cost scalar (`CostScalarPercent`, params.go).
pub const COST_SCALAR_PERCENT: u64 = 2;
/// Programs remembered per block as recently run (`initialRecentCacheSize`, params.go).
pub const BLOCK_CACHE_SIZE: usize = 32;

/// Whether `op` ends a basic block (`ends_basic_block`, arbutil/src/operator.rs).
pub fn ends_basic_block(op: &Operator) -> bool {
    use Operator::*;
    matches!(
        op,
        End | Else | Return | Loop { .. } | Br { .. } | BrTable { .. } | BrIf { .. } | If { .. } | Call { .. } | CallIndirect { .. }
    )
}

/// Ink of one operator (`pricing_v1`, prover/src/programs/meter.rs).
/// `call_indirect_params` gives the parameter count of a type index.
pub fn operator_ink(op: &Operator, call_indirect_params: impl Fn(u32) -> usize) -> u64 {
    use Operator::*;
    match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        Drop => 9,
        Block { .. } | Loop { .. } | Else | End => 1,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1_250,
        Call { .. } => 3_800,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. } | I32Load8S { .. } | I32Load8U { .. } | I32Load16S { .. } | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3_000,
        MemoryGrow { .. } => 8_050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS | I64GeU => 225,
        I32Clz | I32Ctz | I64Clz | I64Ctz => 210,
        I32Add | I32Sub => 70,
        I32Mul | I64Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1_120,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64Add | I64Sub => 100,
        I64DivS | I64DivU | I64RemS | I64RemU => 1_270,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2_650,
        I64Popcnt => 6_000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        CallIndirect { type_index, .. } => 13_610 + 650 * call_indirect_params(*type_index) as u64,
        // Floats, SIMD, atomics, references, tables...: priced u64::MAX by nitro.
        _ => UNSUPPORTED_INK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_enders_are_nitros() {
        assert!(ends_basic_block(&Operator::Call { function_index: 0 }));
        assert!(ends_basic_block(&Operator::End));
        assert!(!ends_basic_block(&Operator::Block { blockty: wasmparser::BlockType::Empty }));
        assert!(!ends_basic_block(&Operator::I32Add));
    }

    #[test]
    fn table_prices_follow_pricing_v1() {
        let none = |_| 0;
        assert_eq!(operator_ink(&Operator::LocalGet { local_index: 0 }, none), 75);
        assert_eq!(operator_ink(&Operator::BrIf { relative_depth: 0 }, none), 765);
        assert_eq!(operator_ink(&Operator::CallIndirect { type_index: 3, table_index: 0 }, |t| t as usize), 13_610 + 3 * 650);
        assert_eq!(operator_ink(&Operator::F32Add, none), UNSUPPORTED_INK);
    }
}
