//! A transaction's path through the execution core, one stage per file (as
//! revm names them): [`validate`] refuses what cannot be included,
//! [`pre_execute`] warms and buys gas, [`frames`] runs the outermost call or
//! creation, [`settle`] applies refunds and pays the fees. The node calls
//! nothing but this path: there is one validation.

mod frames;
mod pre_execute;
mod settle;
mod validate;

use crate::exec::Machine;
use crate::tx::{Receipt, Tx, TxError};

use validate::validate;

/// Runs `tx` through every stage on `machine`; `commit = false` (a call or
/// an estimate) charges no fee and keeps no change.
pub(crate) fn run(mut machine: Machine, tx: &Tx, commit: bool) -> (Machine, Result<Receipt, TxError>) {
    let validated = match validate(&machine.state, &machine.block, tx, commit) {
        Ok(validated) => validated,
        Err(error) => return (machine, Err(error)),
    };
    let start = pre_execute::pre_execute(&mut machine, tx, &validated);
    let (mut machine, ran) = frames::run(machine, tx, tx.gas - validated.intrinsic_gas);
    let receipt = settle::settle(&mut machine, tx, &validated, ran, start, commit);
    (machine, Ok(receipt))
}
