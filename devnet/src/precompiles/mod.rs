//! Precompiles and system contracts implemented natively: `ecrecover`
//! (0x01), ArbSys (0x64), ArbWasm (0x71) and the StylusDeployer.

mod arbsys;
mod arbwasm;
pub(crate) mod deployer;
mod ecrecover;

use crate::exec::{Machine, Message, Outcome};
use alloy_primitives::{address, Address};

pub use arbsys::{ArbSys, ARB_SYS};
pub use arbwasm::{ArbWasm, ARB_WASM};
pub use deployer::{StylusDeployer, STYLUS_DEPLOYER};

/// Address of the `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// Runs `msg` if its code address is a precompile; `None` otherwise.
pub(crate) fn run(machine: &mut Machine, msg: &Message) -> Option<Outcome> {
    match msg.code_address {
        ECRECOVER => Some(ecrecover::run(msg)),
        ARB_WASM => Some(arbwasm::run(machine, msg)),
        ARB_SYS => Some(arbsys::run(machine, msg)),
        _ => None,
    }
}
