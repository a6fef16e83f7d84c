//! How a Stylus frame ends, as nitro decides it: the program's status
//! (`user_entrypoint`'s result, `exit_early`, or the trap that stopped it)
//! becomes one of nitro's user outcomes, and each outcome leaves the caller
//! the gas nitro leaves it.
//!
//! nitro (`crates/stylus/src/lib.rs` `stylus_call`, `arbos/programs`
//! `userStatus.toResult` and `CallProgram`):
//! * success: the output, the ink left as gas;
//! * revert (non-zero status): the output as revert data, the ink left;
//! * failure (any trap: `unreachable`, a bad memory access, a refused host
//!   call): no data, `ErrExecutionReverted`, so the ink left goes back;
//! * out of ink: `ErrOutOfGas`, all gas consumed;
//! * out of stack: `ErrDepth`, all gas consumed (nitro zeroes the ink).
//!
//! Then, for a non-empty output, the caller gets back at most the frame's
//! gas minus what the EVM would charge to hold the output in memory
//! (`evmMemoryCost`), and runs out of gas if that is more than the frame had.

use crate::exec::Outcome;
use crate::gas::INK_PER_GAS;
use crate::halt::Halt;
use crate::host::HostTrap;
use wasmi::TrapCode;

/// EVM memory gas per word and the quadratic divisor (`evmMemoryCost`).
const MEMORY_WORD_GAS: u64 = 3;
const MEMORY_QUAD_DIVISOR: u64 = 512;

/// nitro's user outcome of a Stylus frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserOutcome {
    /// `user_entrypoint` (or `exit_early`) returned 0.
    Success,
    /// It returned another status.
    Revert,
    /// The program trapped.
    Failure,
    /// The ink ran out.
    OutOfInk,
    /// The stack ran out.
    OutOfStack,
}

/// What the program's meter showed when it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MeterState {
    /// The ink ran out (`stylus_ink_status` set).
    pub out_of_ink: bool,
    /// The stack ran out (`stylus_stack_left` zeroed by the depth check).
    pub out_of_stack: bool,
}

impl UserOutcome {
    /// Classifies how `user_entrypoint` ended, in nitro's order (`run_main`):
    /// an `exit_early`, then an empty stack, then exhausted ink, else a trap.
    pub(crate) fn of(status: &Result<i32, wasmi::Error>, meter: MeterState) -> Self {
        let error = match status {
            Ok(0) => return Self::Success,
            Ok(_) => return Self::Revert,
            Err(error) => error,
        };
        match error.downcast_ref::<HostTrap>() {
            Some(HostTrap::ExitEarly(0)) => return Self::Success,
            Some(HostTrap::ExitEarly(_)) => return Self::Revert,
            _ => {}
        }
        // wasmi's own call-depth limit stands in for nitro's native stack.
        if meter.out_of_stack || error.as_trap_code() == Some(TrapCode::StackOverflow) {
            return Self::OutOfStack;
        }
        if meter.out_of_ink || matches!(error.downcast_ref::<HostTrap>(), Some(HostTrap::OutOfInk)) {
            return Self::OutOfInk;
        }
        Self::Failure
    }
}

/// EVM gas to hold `len` bytes in memory (nitro's `evmMemoryCost`).
fn evm_memory_cost(len: usize) -> u64 {
    let words = crate::gas::words(len);
    words * MEMORY_WORD_GAS + words * words / MEMORY_QUAD_DIVISOR
}

/// The frame's outcome for `outcome`, the data it returned, the ink it had
/// left and the gas it was given.
pub(crate) fn stylus_outcome(outcome: UserOutcome, output: Vec<u8>, ink_left: u64, starting_gas: u64) -> Outcome {
    let gas_left = ink_left / INK_PER_GAS;
    let (mut result, output_len) = match outcome {
        UserOutcome::Success => (Outcome::success(output.clone(), gas_left), output.len()),
        UserOutcome::Revert => (Outcome::revert(output.clone(), gas_left), output.len()),
        UserOutcome::Failure => (Outcome::revert(Vec::new(), gas_left), 0),
        UserOutcome::OutOfInk => (Outcome::halt(Halt::OutOfGas), 0),
        UserOutcome::OutOfStack => (Outcome::halt(Halt::Depth), 0),
    };
    if output_len > 0 {
        let Some(most) = starting_gas.checked_sub(evm_memory_cost(output_len)) else {
            return Outcome::halt(Halt::OutOfGas);
        };
        result.gas_left = result.gas_left.min(most);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_outcome_leaves_the_gas_nitro_leaves() {
        let ink = 5_000 * INK_PER_GAS + 9_999;
        assert_eq!(stylus_outcome(UserOutcome::Success, vec![1], ink, 100_000), Outcome::success(vec![1], 5_000));
        assert_eq!(stylus_outcome(UserOutcome::Revert, vec![2], ink, 100_000), Outcome::revert(vec![2], 5_000));
        assert_eq!(stylus_outcome(UserOutcome::Failure, vec![3], ink, 100_000), Outcome::revert(Vec::new(), 5_000));
        assert_eq!(stylus_outcome(UserOutcome::OutOfInk, vec![], ink, 100_000), Outcome::halt(Halt::OutOfGas));
        assert_eq!(stylus_outcome(UserOutcome::OutOfStack, vec![], ink, 100_000), Outcome::halt(Halt::Depth));
    }

    #[test]
    fn output_costs_at_least_its_evm_memory() {
        // 1,024 words: 3,072 linear + 2,048 quadratic.
        assert_eq!(evm_memory_cost(32 * 1_024), 5_120);
        let output = vec![7; 32 * 1_024];
        let capped = stylus_outcome(UserOutcome::Success, output.clone(), 9_000 * INK_PER_GAS, 10_000);
        assert_eq!(capped.gas_left, 10_000 - 5_120);
        let starved = stylus_outcome(UserOutcome::Revert, output, 1_000 * INK_PER_GAS, 5_119);
        assert_eq!(starved, Outcome::halt(Halt::OutOfGas));
    }
}
