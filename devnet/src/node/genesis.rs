//! What a fresh devnet holds besides its funded dev accounts: the CREATE2
//! factory that public chains, anvil and nitro devnodes have at the same
//! address (the deterministic deployment proxy, deployed everywhere by one
//! keyless pre-EIP-155 transaction).

use crate::chain::Chain;
use alloy_primitives::{address, hex, Address, Bytes};
use alloy_sol_types::{sol_data, SolType};

/// Address of the CREATE2 factory.
pub const CREATE2_FACTORY: Address = address!("4e59b44847b379578588920ca78fbf26c0b4956c");

/// The factory's runtime code: calldata is a 32-byte salt followed by init
/// code; it CREATE2s with the call's value and returns the new address
/// (20 bytes), reverting if the creation fails.
pub const CREATE2_FACTORY_CODE: [u8; 69] = hex!(
    "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0"
    "3601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3"
);

/// Installs the CREATE2 factory at its standard address.
pub fn install_create2_factory(chain: &mut Chain) {
    chain.set_code(CREATE2_FACTORY, Bytes::from_static(&CREATE2_FACTORY_CODE));
}

/// Gives each ArbOS precompile the one-byte code `INVALID` (0xfe), as nitro
/// does when it initialises ArbOS: Solidity's typed calls to functions that
/// return nothing first check that the callee has code. Calls still reach
/// the precompile, never the code.
pub fn install_precompile_code(chain: &mut Chain) {
    for address in crate::precompiles::ARBOS_PRECOMPILES {
        chain.set_code(address, Bytes::from_static(&[0xfe]));
    }
}

/// The devnet's CacheManager (`devnet/solidity/CacheManager.sol`, compiled by
/// `make solc-fixtures`): what cargo-stylus's `cache bid` and `cache status` call.
const CACHE_MANAGER_FIXTURE: &str = include_str!("../../solidity/CacheManager.json");
/// Bytes of machine code the devnode's CacheManager holds (the devnet's
/// choice: room for a few hundred programs of Keel's size).
pub const CACHE_MANAGER_SIZE: u64 = 64 << 20;
/// Wei per second a bid is credited for the time it is placed (the devnet's
/// choice: bids do not decay, so an empty slot costs nothing).
pub const CACHE_MANAGER_DECAY: u64 = 0;

/// Init code deploying the CacheManager with [`CACHE_MANAGER_SIZE`] and [`CACHE_MANAGER_DECAY`].
pub fn cache_manager_init_code() -> Bytes {
    let fixture: serde_json::Value = serde_json::from_str(CACHE_MANAGER_FIXTURE).expect("the CacheManager fixture is JSON");
    let bytecode = fixture["bytecode"].as_str().expect("the fixture has init code");
    let mut code = hex::decode(bytecode).expect("the init code is hex");
    type Args = (sol_data::Uint<64>, sol_data::Uint<64>);
    code.extend(Args::abi_encode_params(&(CACHE_MANAGER_SIZE, CACHE_MANAGER_DECAY)));
    Bytes::from(code)
}
