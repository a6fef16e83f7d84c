//! Stage 3, execution: the outermost frame, a message call
//! ([`crate::exec::execute`]) or a creation ([`crate::create::create`]);
//! every nested frame runs inside it.

use crate::create::create;
use crate::exec::{execute, CallKind, Machine, Message};
use crate::halt::Halt;
use crate::tx::Tx;
use alloy_primitives::{Address, Bytes};

/// How the outermost frame ended.
pub struct Ran {
    /// Why it failed; `None` on success.
    pub error: Option<Halt>,
    /// Return or revert data.
    pub output: Bytes,
    /// Gas it did not use.
    pub gas_left: u64,
    /// The created contract, for a creation that succeeded.
    pub contract_address: Option<Address>,
}

/// Runs `tx`'s outermost frame with `gas` (its limit less intrinsic gas).
pub fn run(machine: Machine, tx: &Tx, gas: u64) -> (Machine, Ran) {
    match tx.to {
        Some(to) => {
            let msg = Message {
                kind: CallKind::Call,
                caller: tx.from,
                address: to,
                code_address: to,
                value: tx.value,
                input: tx.data.clone(),
                gas,
                is_static: false,
            };
            let (machine, outcome) = execute(machine, msg);
            (machine, Ran { error: outcome.error, output: outcome.output, gas_left: outcome.gas_left, contract_address: None })
        }
        None => {
            let (machine, outcome) = create(machine, tx.from, &tx.data, tx.value, None, gas);
            (machine, Ran { error: outcome.error, output: outcome.output, gas_left: outcome.gas_left, contract_address: outcome.address })
        }
    }
}
