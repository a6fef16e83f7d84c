//! What every ArbOS precompile shares in nitro (`precompiles/precompile.go`,
//! `Precompile.Call`): the refusals before a method runs, each of which
//! reverts and consumes all gas (bad selector or arguments, a write in a
//! static call, value to a non-payable method, a delegate call), and the
//! pricing: 3 gas per word of arguments and of results, 800 per ArbOS
//! storage read, 20,000 per write (`arbos/storage`: `StorageReadCost`,
//! `StorageWriteCost`).

use crate::exec::{Message, Outcome};
use crate::gas::{words, COPY_WORD_GAS};

/// Gas of one read of ArbOS state.
pub(super) const STORAGE_READ_GAS: u64 = 800;
/// Gas of one write of ArbOS state.
pub(super) const STORAGE_WRITE_GAS: u64 = 20_000;

/// Whether a method only reads ArbOS state or writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purity {
    /// A view: allowed in static calls.
    View,
    /// Writes state: refused in static calls.
    Write,
}

/// Checks a decoded call before its method runs; returns the gas left after
/// paying for the arguments, or the refusal (revert, all gas consumed).
pub(super) fn admit(msg: &Message, purity: Purity) -> Result<u64, Outcome> {
    let refused = || Outcome::revert(Vec::new(), 0);
    if msg.address != msg.code_address || (purity == Purity::Write && msg.is_static) || !msg.value.is_zero() {
        return Err(refused());
    }
    let args = COPY_WORD_GAS * words(msg.input.len().saturating_sub(4));
    msg.gas.checked_sub(args).ok_or_else(refused)
}

/// The refusal of calldata that names no method of the precompile.
pub(super) fn unknown_method() -> Outcome {
    Outcome::revert(Vec::new(), 0)
}

/// A method's result, after `burned` gas of work and the copy of `output`;
/// running out of gas fails the call.
pub(super) fn returns(output: Vec<u8>, gas: u64, burned: u64) -> Outcome {
    let cost = burned + COPY_WORD_GAS * words(output.len());
    match gas.checked_sub(cost) {
        Some(left) => Outcome::success(output, left),
        None => Outcome::failure(),
    }
}
