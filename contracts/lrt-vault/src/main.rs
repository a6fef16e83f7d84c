//! Prints the contract's Solidity interface (`make abi` completes it with events and errors).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    print!("{}", keel_lrt_vault::solidity_interface());
}
