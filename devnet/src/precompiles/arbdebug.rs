//! The ArbDebug precompile (0xff), debug-only in nitro and enabled on this
//! devnet as on a nitro devnode: `becomeChainOwner()` makes the caller a
//! chain owner, the first step of nitro-devnode's setup
//! (nitro `precompiles/ArbDebug.go`).

use super::framework::{admit, returns, unknown_method, Purity, STORAGE_WRITE_GAS};
use crate::arbos;
use crate::exec::{Machine, Message, Outcome};
use alloy_primitives::{address, Address};
use alloy_sol_types::SolInterface;

/// Address of the ArbDebug precompile.
pub const ARB_DEBUG: Address = address!("00000000000000000000000000000000000000ff");

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbDebug this devnet provides.
    #[sol(all_derives)]
    interface ArbDebug {
        function becomeChainOwner() external;
    }
}

/// Handles a call to ArbDebug.
pub(super) fn run(machine: &mut Machine, msg: &Message) -> Outcome {
    let Ok(ArbDebug::ArbDebugCalls::becomeChainOwner(_)) = ArbDebug::ArbDebugCalls::abi_decode(&msg.input) else {
        return unknown_method();
    };
    let gas = match admit(msg, Purity::Write) {
        Ok(gas) => gas,
        Err(refused) => return refused,
    };
    arbos::add_chain_owner(&mut machine.state, msg.caller);
    returns(Vec::new(), gas, STORAGE_WRITE_GAS)
}
