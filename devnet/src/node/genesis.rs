//! What a fresh devnet holds besides its funded dev accounts: the CREATE2
//! factory that public chains, anvil and nitro devnodes have at the same
//! address (the deterministic deployment proxy, deployed everywhere by one
//! keyless pre-EIP-155 transaction).

use crate::chain::Chain;
use alloy_primitives::{address, hex, Address, Bytes};

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
