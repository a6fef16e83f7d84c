//! Prints the contract's Solidity interface (`-- abi`) or constructor (`-- constructor`).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    keel_test_token::print_from_args();
}
