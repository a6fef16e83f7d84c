//! Entering a Stylus frame (arbos/programs/programs.go `CallProgram`): the
//! memory of the program's initial pages, the cached cost, and the init
//! cost unless the program is cached (ArbWasmCache) or already ran in the
//! same block (ArbOS 60's recent-programs cache).

use super::memory::Pages;
use super::pricing::BLOCK_CACHE_SIZE;
use crate::exec::{Machine, Message, Outcome};
use crate::gas::INK_PER_GAS;
use crate::host;
use crate::program::CompiledProgram;
use alloy_primitives::B256;
use wasmi::Module;

/// Metering state of the running transaction, and the node's caching option.
#[derive(Debug, Clone, Default)]
pub struct TxMeter {
    /// Stylus memory pages of the transaction.
    pub pages: Pages,
    /// Programs run in this block, most recent last (geth's `RecentWasms`).
    recent: Vec<B256>,
    /// Treat every program as cached (the node's `--cache-all-programs`).
    pub cache_all: bool,
}

impl TxMeter {
    /// Starts a transaction in a new block (the devnet mines one per transaction).
    pub fn begin_transaction(&mut self) {
        self.pages = Pages::default();
        self.recent.clear();
    }

    /// Records that `code_hash` runs; true if it already ran in this block
    /// (geth's `RecentWasms.Insert`, an LRU of `BlockCacheSize` entries).
    fn ran_recently(&mut self, code_hash: B256) -> bool {
        let hit = match self.recent.iter().position(|hash| *hash == code_hash) {
            Some(index) => {
                self.recent.remove(index);
                true
            }
            None => false,
        };
        self.recent.push(code_hash);
        if self.recent.len() > BLOCK_CACHE_SIZE {
            self.recent.remove(0);
        }
        hit
    }
}

/// Runs the program `program` (code hash `code_hash`) for `msg`: pays the
/// entry costs, runs the frame (whose outcome makes returned data cost at
/// least its EVM memory price, ArbOS `StylusFixes`: see `stylus_exit`) and
/// closes its pages.
pub(crate) fn run_stylus(mut machine: Machine, code_hash: B256, program: &CompiledProgram, mut msg: Message) -> (Machine, Outcome) {
    let starting_gas = msg.gas;
    let open_before = machine.meter.pages.open;
    let memory_gas = machine.meter.pages.open(program.costs.footprint);
    let recent = machine.meter.ran_recently(code_hash);
    let cached = recent || machine.meter.cache_all || machine.state.program(code_hash).is_some_and(|p| p.cached);
    let entry_gas = memory_gas.saturating_add(program.costs.entry_gas(cached));
    let Some(gas) = msg.gas.checked_sub(entry_gas) else {
        machine.meter.pages.open = open_before;
        return (machine, Outcome::failure());
    };
    msg.gas = gas;
    let (module, pool_id) = match profiled_module(&mut machine, program, gas) {
        Some(profiled) => (profiled, None),
        None => (&program.module, Some(program.id)),
    };
    let (mut machine, outcome) = host::run_program(machine, module, pool_id, msg, starting_gas);
    machine.meter.pages.open = open_before;
    (machine, outcome)
}

/// The profiling build of `program` if the machine's tracer profiles (and
/// it can be built), after telling the tracer the frame starts with `gas`.
fn profiled_module<'a>(machine: &mut Machine, program: &'a CompiledProgram, gas: u64) -> Option<&'a Module> {
    if !machine.tracer.as_ref().is_some_and(|tracer| tracer.profiles()) {
        return None;
    }
    let module = program.profiled_module(machine.programs.engine());
    let names = machine.programs.names(program);
    let tracer = machine.tracer.as_mut()?;
    tracer.stylus_enter(program.module_hash, names, gas.saturating_mul(INK_PER_GAS));
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_is_recent_once_it_ran_in_the_block() {
        let mut meter = TxMeter::default();
        let (a, b) = (B256::with_last_byte(1), B256::with_last_byte(2));
        assert!(!meter.ran_recently(a));
        assert!(meter.ran_recently(a));
        assert!(!meter.ran_recently(b));
        meter.begin_transaction();
        assert!(!meter.ran_recently(a), "a new block starts with no recent programs");
    }

    #[test]
    fn the_recent_cache_keeps_the_last_32_programs() {
        let mut meter = TxMeter::default();
        (0..=BLOCK_CACHE_SIZE as u8).for_each(|i| _ = meter.ran_recently(B256::with_last_byte(i)));
        assert!(!meter.ran_recently(B256::with_last_byte(0)), "the oldest was evicted");
        assert!(meter.ran_recently(B256::with_last_byte(BLOCK_CACHE_SIZE as u8)));
    }
}
