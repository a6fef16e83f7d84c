//! Ethereum's precompiles (0x02–0x0a, Cancun) and RIP-7212's P256VERIFY at
//! 0x100, as on Arbitrum, executed and priced by revm's precompile crate
//! (pure-Rust backends: sha2, ripemd, aurora modexp, arkworks bn254 and KZG).

use crate::exec::{Message, Outcome};
use revm_precompile::{secp256r1, Precompiles};
use std::sync::OnceLock;

/// Address of RIP-7212's P256VERIFY on Arbitrum.
pub const P256_VERIFY: alloy_primitives::Address = revm_precompile::u64_to_address(secp256r1::P256VERIFY_ADDRESS);

/// Cancun's set plus P256VERIFY (its pre-Osaka price, 3,450 gas, as on Arbitrum).
fn table() -> &'static Precompiles {
    static TABLE: OnceLock<Precompiles> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut precompiles = Precompiles::cancun().clone();
        precompiles.extend([secp256r1::P256VERIFY]);
        precompiles
    })
}

/// Addresses of these precompiles.
pub(super) fn addresses() -> impl Iterator<Item = alloy_primitives::Address> {
    table().addresses().copied()
}

/// Runs `msg` if its code address is one of these precompiles. Failing
/// inputs and too little gas consume all the gas given, as in the EVM.
pub(super) fn run(msg: &Message) -> Option<Outcome> {
    let precompile = table().get(&msg.code_address)?;
    let outcome = match precompile.execute(&msg.input, msg.gas, 0) {
        Ok(output) if output.is_success() => Outcome::success(output.bytes, msg.gas - output.gas_used),
        Ok(output) if output.is_revert() => Outcome::revert(output.bytes, msg.gas - output.gas_used),
        _ => Outcome::failure(),
    };
    Some(outcome)
}
