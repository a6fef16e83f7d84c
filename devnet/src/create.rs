//! Contract creation. Only the standard Stylus init code (the 43-byte prelude
//! of `keel_wasm::init_code` followed by the deployed code) is understood;
//! running arbitrary EVM init code needs an EVM (revm), not yet integrated.

use crate::exec::Machine;
use crate::gas::{CODE_DEPOSIT_GAS, CREATE_GAS};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::SolError;
use keel_wasm::INIT_CODE_PRELUDE_LEN;

alloy_sol_types::sol! {
    /// Init code other than the Stylus prelude (an EVM is needed to run it).
    error UnsupportedInitCode();
    /// The derived address already holds code or a nonce.
    error CreateCollision(address account);
    /// The creator cannot pay the endowment.
    error CreateInsufficientBalance(uint256 have, uint256 want);
    /// Deploying the code needs more gas than given.
    error CreateOutOfGas(uint256 needed);
    /// The deployed code exceeds Arbitrum's size limit.
    error CodeTooLarge(uint256 size);
}

/// The code that `init_code` deploys, if it is the standard Stylus prelude.
pub fn stylus_code_from_init(init_code: &[u8]) -> Option<&[u8]> {
    if init_code.len() < INIT_CODE_PRELUDE_LEN {
        return None;
    }
    let code = &init_code[INIT_CODE_PRELUDE_LEN..];
    (keel_wasm::init_code(code)[..INIT_CODE_PRELUDE_LEN] == init_code[..INIT_CODE_PRELUDE_LEN]).then_some(code)
}

/// Result of a creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOutcome {
    /// Address of the new contract, or `None` if creation failed.
    pub address: Option<Address>,
    /// Revert data (ABI-encoded error) on failure, empty on success.
    pub output: Bytes,
    /// Gas not used.
    pub gas_left: u64,
}

impl CreateOutcome {
    fn failed(error: impl SolError, gas_left: u64) -> Self {
        Self { address: None, output: error.abi_encode().into(), gas_left }
    }
}

/// CREATE (no salt) or CREATE2 (`salt`) by `creator` with `value` wei; the
/// creator's nonce is used up even when creation fails.
pub fn create(machine: &mut Machine, creator: Address, init_code: &[u8], value: U256, salt: Option<B256>, gas: u64) -> CreateOutcome {
    let nonce = machine.state.bump_nonce(creator);
    let Some(code) = stylus_code_from_init(init_code) else {
        return CreateOutcome::failed(UnsupportedInitCode {}, gas);
    };
    if code.len() > keel_wasm::MAX_DEPLOYED_CODE {
        return CreateOutcome::failed(CodeTooLarge { size: U256::from(code.len()) }, gas);
    }
    let needed = CREATE_GAS + CODE_DEPOSIT_GAS * code.len() as u64;
    if needed > gas {
        return CreateOutcome::failed(CreateOutOfGas { needed: U256::from(needed) }, 0);
    }
    let state = &mut machine.state;
    let address = match salt {
        Some(salt) => creator.create2(salt, keccak256(init_code)),
        None => creator.create(nonce),
    };
    let checkpoint = state.checkpoint();
    if state.nonce(address) != 0 || !state.code(address).is_empty() {
        return CreateOutcome::failed(CreateCollision { account: address }, 0);
    }
    if let Err(e) = state.transfer(creator, address, value) {
        state.revert_to(checkpoint);
        return CreateOutcome::failed(CreateInsufficientBalance { have: e.have, want: e.want }, gas);
    }
    state.warm_account(address);
    state.bump_nonce(address);
    state.set_code(address, Bytes::copy_from_slice(code));
    CreateOutcome { address: Some(address), output: Bytes::new(), gas_left: gas - needed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_the_stylus_prelude() {
        let code = keel_wasm::deployed_code(b"\0asm\x01\0\0\0");
        let init = keel_wasm::init_code(&code);
        assert_eq!(stylus_code_from_init(&init), Some(&code[..]));
        let mut wrong_length = init.clone();
        wrong_length.push(0);
        assert_eq!(stylus_code_from_init(&wrong_length), None, "the PUSH32 length must match");
        assert_eq!(stylus_code_from_init(&[0x60, 0x00, 0xf3]), None);
    }
}
