//! Stage 2, pre-execution: the state and meter begin a transaction, what
//! starts warm is warmed, the sender buys its gas (and a call bumps its
//! nonce here; a creation bumps it in [`crate::create::create`]).

use super::validate::Validated;
use crate::exec::{Machine, TxEnv};
use crate::state::Checkpoint;
use crate::tx::Tx;
use alloy_primitives::U256;

/// Prepares `machine` to run `tx`; returns the checkpoint before any of the
/// transaction's changes (the gas purchase included), which a call that
/// does not commit goes back to.
pub fn pre_execute(machine: &mut Machine, tx: &Tx, validated: &Validated) -> Checkpoint {
    machine.state.begin_transaction();
    machine.meter.begin_transaction();
    // EIP-2929 and EIP-3651: the sender and the coinbase start warm (the recipient is warmed on entry).
    let coinbase = machine.block.coinbase;
    machine.state.warm_account(tx.from);
    machine.state.warm_account(coinbase);
    for (address, keys) in &tx.access_list {
        machine.state.warm_account(*address);
        keys.iter().for_each(|key| _ = machine.state.warm_slot(*address, *key));
    }
    let start = machine.state.checkpoint();
    machine.tx = TxEnv { origin: tx.from, gas_price: validated.gas_price };
    let cost = U256::from(tx.gas) * validated.gas_price;
    let balance = machine.state.balance(tx.from);
    machine.state.set_balance(tx.from, balance - cost);
    if tx.to.is_some() {
        machine.state.bump_nonce(tx.from);
    }
    start
}
