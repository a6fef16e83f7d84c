//! Stage 4, settlement: SSTORE refunds (EIP-3529: at most a fifth of the
//! gas used), unused gas paid back, gas used × price to the coinbase (the
//! tip is not split off, as on Arbitrum), the logs taken; a call that does
//! not commit is rolled back here.

use super::frames::Ran;
use super::validate::Validated;
use crate::exec::Machine;
use crate::state::Checkpoint;
use crate::tx::{Receipt, Tx};
use alloy_primitives::U256;

/// Settles `tx` after its frames `ran`; `start` is pre-execution's checkpoint.
pub fn settle(machine: &mut Machine, tx: &Tx, validated: &Validated, ran: Ran, start: Checkpoint, commit: bool) -> Receipt {
    let refund = crate::gas::capped_refund(machine.state.refund(), tx.gas - ran.gas_left);
    let gas_left = ran.gas_left + refund;
    let gas_used = tx.gas - gas_left;
    let price = validated.gas_price;
    let coinbase = machine.block.coinbase;
    let state = &mut machine.state;
    state.set_balance(tx.from, state.balance(tx.from) + U256::from(gas_left) * price);
    state.set_balance(coinbase, state.balance(coinbase) + U256::from(gas_used) * price);
    let logs = state.take_logs();
    if !commit {
        state.revert_to(start);
    }
    Receipt {
        status: ran.error.is_none(),
        gas_used,
        output: ran.output,
        logs,
        contract_address: ran.contract_address,
        block_number: machine.block.number,
        gas_used_for_l1: tx.poster_gas,
        error: ran.error,
    }
}
