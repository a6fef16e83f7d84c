//! Contract creation: the init code runs in revm's interpreter
//! (module `evm`) and what it returns becomes the account's code (Stylus
//! code still needs activation before it can be called).

use crate::evm::run_init_code;
use crate::exec::Machine;
use crate::gas::{words, CODE_DEPOSIT_GAS, CREATE_GAS, INIT_CODE_WORD_GAS};
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::SolError;

/// Largest init code (EIP-3860).
pub const MAX_INIT_CODE: usize = 2 * keel_wasm::MAX_DEPLOYED_CODE;

alloy_sol_types::sol! {
    /// The derived address already holds code or a nonce.
    error CreateCollision(address account);
    /// The creator cannot pay the endowment.
    error CreateInsufficientBalance(uint256 have, uint256 want);
    /// Creating or depositing the code needs more gas than given.
    error CreateOutOfGas(uint256 needed);
    /// The init code exceeds EIP-3860's limit.
    error InitCodeTooLarge(uint256 size);
    /// The deployed code exceeds Arbitrum's size limit.
    error CodeTooLarge(uint256 size);
    /// The deployed code starts with 0xEF but is not Stylus code (EIP-3541).
    error InvalidCodePrefix();
}

/// Result of a creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOutcome {
    /// Address of the new contract, or `None` if creation failed.
    pub address: Option<Address>,
    /// Revert data on failure (the init code's, or an ABI-encoded error of
    /// this module), empty on success.
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
    if init_code.len() > MAX_INIT_CODE {
        return CreateOutcome::failed(InitCodeTooLarge { size: U256::from(init_code.len()) }, 0);
    }
    let base = CREATE_GAS + INIT_CODE_WORD_GAS * words(init_code.len());
    let Some(gas) = gas.checked_sub(base) else {
        return CreateOutcome::failed(CreateOutOfGas { needed: U256::from(base) }, 0);
    };
    let address = match salt {
        Some(salt) => creator.create2(salt, keccak256(init_code)),
        None => creator.create(nonce),
    };
    let checkpoint = machine.state.checkpoint();
    let state = &mut machine.state;
    if state.nonce(address) != 0 || !state.code(address).is_empty() {
        return CreateOutcome::failed(CreateCollision { account: address }, 0);
    }
    if let Err(e) = state.transfer(creator, address, value) {
        state.revert_to(checkpoint);
        return CreateOutcome::failed(CreateInsufficientBalance { have: e.have, want: e.want }, gas);
    }
    state.warm_account(address);
    state.bump_nonce(address);
    let run = run_init_code(machine, creator, address, init_code, value, gas);
    let failed = |machine: &mut Machine, outcome: CreateOutcome| {
        machine.state.revert_to(checkpoint);
        outcome
    };
    if !run.success {
        return failed(machine, CreateOutcome { address: None, output: run.output, gas_left: run.gas_left });
    }
    let code = run.output;
    if code.len() > keel_wasm::MAX_DEPLOYED_CODE {
        return failed(machine, CreateOutcome::failed(CodeTooLarge { size: U256::from(code.len()) }, 0));
    }
    if code.first() == Some(&0xef) && !code.starts_with(&keel_wasm::DEPLOYED_CODE_PREFIX[..3]) {
        return failed(machine, CreateOutcome::failed(InvalidCodePrefix {}, 0));
    }
    let deposit = CODE_DEPOSIT_GAS * code.len() as u64;
    let Some(gas_left) = run.gas_left.checked_sub(deposit) else {
        return failed(machine, CreateOutcome::failed(CreateOutOfGas { needed: U256::from(base + deposit) }, 0));
    };
    machine.state.set_code(address, code);
    CreateOutcome { address: Some(address), output: Bytes::new(), gas_left }
}
