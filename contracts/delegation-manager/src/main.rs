//! Prints the contract's Solidity interface (`-- abi`) or constructor (`-- constructor`).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    keel_delegation_manager::print_from_args();
}
