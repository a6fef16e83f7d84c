//! Precompiles and system contracts: `ecrecover` (0x01, native), Ethereum's
//! other precompiles and P256VERIFY (0x02–0x0a, 0x100, revm's), and natively
//! ArbSys (0x64), ArbOwnerPublic (0x6b), ArbGasInfo (0x6c), ArbOwner (0x70),
//! ArbWasm (0x71), ArbWasmCache (0x72), ArbDebug (0xff) and the StylusDeployer.

mod arbdebug;
mod arbgasinfo;
mod arbowner;
mod arbowner_public;
mod arbsys;
mod arbwasm;
mod arbwasm_cache;
pub(crate) mod deployer;
mod ecrecover;
mod ethereum;
mod framework;

use crate::exec::{Machine, Message, Outcome};
use crate::state::WordSet;
use alloy_primitives::{address, Address};

pub use arbdebug::{ArbDebug, ARB_DEBUG};
pub use arbgasinfo::{ArbGasInfo, ARB_GAS_INFO};
pub use arbowner::{ArbOwner, ARB_OWNER};
pub use arbowner_public::{ArbOwnerPublic, ARB_OWNER_PUBLIC};
pub use arbsys::{ArbSys, ARB_SYS};
pub(crate) use arbwasm::{activation_limits, program_status};
pub use arbwasm::{ArbWasm, ARB_WASM, EXPIRY_DAYS};
pub use arbwasm_cache::{ArbWasmCache, ARB_WASM_CACHE};
pub use deployer::{StylusDeployer, STYLUS_DEPLOYER};
pub use ethereum::P256_VERIFY;

/// Address of the `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// The ArbOS precompiles the devnet implements.
pub const ARBOS_PRECOMPILES: [Address; 7] = [ARB_SYS, ARB_WASM, ARB_WASM_CACHE, ARB_OWNER_PUBLIC, ARB_GAS_INFO, ARB_OWNER, ARB_DEBUG];

/// Whether `address` is a precompile: warm in every transaction, as EIP-2929
/// has them from its start (Arbitrum counts its ArbOS precompiles among them).
pub(crate) fn is_precompile(address: Address) -> bool {
    static ALL: std::sync::OnceLock<WordSet<Address>> = std::sync::OnceLock::new();
    // Every precompile address is below 2^16: most addresses stop at this test.
    address.0[..18].iter().all(|byte| *byte == 0)
        && ALL.get_or_init(|| ethereum::addresses().chain([ECRECOVER]).chain(ARBOS_PRECOMPILES).collect()).contains(&address)
}

/// Runs `msg` if its code address is a precompile; `None` otherwise.
pub(crate) fn run(machine: &mut Machine, msg: &Message) -> Option<Outcome> {
    match msg.code_address {
        ECRECOVER => Some(ecrecover::run(msg)),
        ARB_WASM => Some(arbwasm::run(machine, msg)),
        ARB_WASM_CACHE => Some(arbwasm_cache::run(machine, msg)),
        ARB_SYS => Some(arbsys::run(machine, msg)),
        ARB_OWNER_PUBLIC => Some(arbowner_public::run(machine, msg)),
        ARB_GAS_INFO => Some(arbgasinfo::run(machine, msg)),
        ARB_OWNER => Some(arbowner::run(machine, msg)),
        ARB_DEBUG => Some(arbdebug::run(machine, msg)),
        _ => ethereum::run(msg),
    }
}
