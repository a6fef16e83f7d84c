//! Contract creation: the init code runs in revm's interpreter
//! (module `evm`, with calls and nested creations) and what it returns becomes the account's code (Stylus
//! code still needs activation before it can be called).

use crate::evm::run_init_code;
use crate::exec::{Machine, Outcome, MAX_CALL_DEPTH};
use crate::gas::{words, CODE_DEPOSIT_GAS, CREATE_GAS, INIT_CODE_WORD_GAS, KECCAK_WORD_GAS};
use crate::halt::Halt;
use crate::trace::{FrameKind, FrameStart};
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
    /// The deployed code starts with 0xEF but is not Stylus code: a program,
    /// a root or a fragment (EIP-3541).
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
    /// Why creation failed; `None` on success.
    pub error: Option<Halt>,
}

impl CreateOutcome {
    fn failed(error: impl SolError, gas_left: u64) -> Self {
        Self { address: None, output: error.abi_encode().into(), gas_left, error: Some(Halt::Reverted) }
    }
}

/// CREATE (no salt) or CREATE2 (`salt`) by `creator` with `value` wei, for
/// transactions and the StylusDeployer: charges the creation's base gas
/// (EVM rules), then runs [`create_frame`]. The creator's nonce is used up
/// even when creation fails.
pub fn create(machine: Machine, creator: Address, init_code: &[u8], value: U256, salt: Option<B256>, gas: u64) -> (Machine, CreateOutcome) {
    let base = CREATE_GAS + INIT_CODE_WORD_GAS * words(init_code.len());
    create_with_base(machine, creator, init_code, value, salt, gas, base)
}

/// Base gas of a Stylus program's `create1` / `create2` (nitro's
/// arbos/programs/api.go `create`): `CreateGas`, plus keccak's 6 gas per
/// word of init code for CREATE2; no EIP-3860 init-code word gas. The
/// program pays it before the 63/64 rule applies to the rest.
pub fn stylus_create_base_gas(init_code_len: usize, salted: bool) -> u64 {
    CREATE_GAS + if salted { KECCAK_WORD_GAS * words(init_code_len) } else { 0 }
}

/// [`create`] with `base` gas taken from `gas` first (0 if already paid).
pub(crate) fn create_with_base(
    mut machine: Machine,
    creator: Address,
    init_code: &[u8],
    value: U256,
    salt: Option<B256>,
    gas: u64,
    base: u64,
) -> (Machine, CreateOutcome) {
    let error = if init_code.len() > MAX_INIT_CODE {
        InitCodeTooLarge { size: U256::from(init_code.len()) }.abi_encode()
    } else if let Some(gas) = gas.checked_sub(base) {
        return create_frame(machine, creator, init_code, value, salt, gas);
    } else {
        CreateOutOfGas { needed: U256::from(base) }.abi_encode()
    };
    machine.state.bump_nonce(creator);
    (machine, CreateOutcome { address: None, output: error.into(), gas_left: 0, error: Some(Halt::Reverted) })
}

/// The creation itself, once its base gas is paid (EVM CREATE and CREATE2
/// charge it in the interpreter): derives the address, transfers `value`,
/// runs the init code in a new frame and deposits the code it returns. A
/// failed creation leaves no trace but the creator's nonce.
pub(crate) fn create_frame(
    mut machine: Machine,
    creator: Address,
    init_code: &[u8],
    value: U256,
    salt: Option<B256>,
    gas: u64,
) -> (Machine, CreateOutcome) {
    let Some(tracer) = machine.tracer.as_mut() else {
        return create_untraced(machine, creator, init_code, value, salt, gas);
    };
    let (kind, to) = match salt {
        Some(salt) => (FrameKind::Create2, creator.create2(salt, keccak256(init_code))),
        None => (FrameKind::Create, creator.create(machine.state.nonce(creator))),
    };
    tracer.enter(&FrameStart { kind, from: creator, to, value: Some(value), gas, input: init_code });
    let (mut machine, outcome) = create_untraced(machine, creator, init_code, value, salt, gas);
    let output = match outcome.address {
        Some(address) => machine.state.code(address),
        None => outcome.output.clone(),
    };
    crate::trace::exit(&mut machine, &output, gas.saturating_sub(outcome.gas_left), outcome.error);
    (machine, outcome)
}

fn create_untraced(
    mut machine: Machine,
    creator: Address,
    init_code: &[u8],
    value: U256,
    salt: Option<B256>,
    gas: u64,
) -> (Machine, CreateOutcome) {
    if machine.depth >= MAX_CALL_DEPTH {
        return (machine, CreateOutcome { address: None, output: Bytes::new(), gas_left: gas, error: Some(Halt::Depth) });
    }
    let nonce = machine.state.bump_nonce(creator);
    let address = match salt {
        Some(salt) => creator.create2(salt, keccak256(init_code)),
        None => creator.create(nonce),
    };
    let checkpoint = machine.state.checkpoint();
    let state = &mut machine.state;
    if state.nonce(address) != 0 || !state.code(address).is_empty() {
        return (machine, CreateOutcome::failed(CreateCollision { account: address }, 0));
    }
    if let Err(e) = state.transfer(creator, address, value) {
        state.revert_to(checkpoint);
        return (machine, CreateOutcome::failed(CreateInsufficientBalance { have: e.have, want: e.want }, gas));
    }
    state.warm_account(address);
    state.bump_nonce(address);
    machine.depth += 1;
    machine.open_frames.push(address);
    let (mut machine, run) = run_init_code(machine, creator, address, init_code, value, gas);
    machine.open_frames.pop();
    machine.depth -= 1;
    let outcome = deposit(&mut machine, address, run);
    if outcome.address.is_none() {
        machine.state.revert_to(checkpoint);
    }
    (machine, outcome)
}

/// Installs the code returned by successful init code, if it is acceptable
/// and its deposit gas is available.
fn deposit(machine: &mut Machine, address: Address, run: Outcome) -> CreateOutcome {
    if !run.success {
        return CreateOutcome { address: None, output: run.output, gas_left: run.gas_left, error: run.error };
    }
    let code = run.output;
    if code.len() > keel_wasm::MAX_DEPLOYED_CODE {
        return CreateOutcome::failed(CodeTooLarge { size: U256::from(code.len()) }, 0);
    }
    if code.first() == Some(&0xef) && !crate::program::is_stylus_component(&code) {
        return CreateOutcome::failed(InvalidCodePrefix {}, 0);
    }
    let deposit = CODE_DEPOSIT_GAS * code.len() as u64;
    let Some(gas_left) = run.gas_left.checked_sub(deposit) else {
        return CreateOutcome::failed(CreateOutOfGas { needed: U256::from(deposit) }, 0);
    };
    machine.state.set_code(address, code);
    CreateOutcome { address: Some(address), output: Bytes::new(), gas_left, error: None }
}
