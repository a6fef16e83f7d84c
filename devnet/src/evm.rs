//! EVM bytecode, run by revm's interpreter against the devnet's state:
//! the code of a called account that is not a Stylus program, and the init
//! code of creations. CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE and
//! CREATE2 suspend the interpreter (`InterpreterAction::NewFrame`); the
//! nested message runs through the same dispatcher as every other frame
//! (`exec::execute`: Stylus, EVM, precompile or system contract; creations
//! through `create::create_frame`) and the interpreter resumes with its
//! outcome, so both kinds of frames share one journal and one call stack.

use crate::create::create_frame;
use crate::exec::{execute, CallKind, Machine, Message, Outcome};
use crate::halt::evm_halt;
use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use revm_interpreter::context_interface::cfg::GasParams;
use revm_interpreter::context_interface::journaled_state::AccountInfoLoad;
use revm_interpreter::context_interface::CreateScheme;
use revm_interpreter::host::LoadError;
use revm_interpreter::interpreter::{EthInterpreter, ExtBytecode};
use revm_interpreter::primitives::hardfork::SpecId;
use revm_interpreter::state::{AccountInfo, Bytecode};
use revm_interpreter::{
    instruction_table, instructions::gas_table_spec, CallInput, CallInputs, CallScheme, CreateInputs, FrameInput, Host, InputsImpl,
    Interpreter, InterpreterAction, SStoreResult, SelfDestructResult, SharedMemory, StateLoad,
};
use std::borrow::Cow;

/// The EVM rules code runs under (Arbitrum supports Cancun's opcodes).
const SPEC: SpecId = SpecId::CANCUN;
/// Largest init code (EIP-3860: twice the 24 KiB code limit).
const MAX_INIT_CODE: usize = 2 * 24_576;

/// Runs the EVM `code` of `msg.code_address` for `msg` (value already transferred).
pub(crate) fn run_call(machine: Machine, msg: &Message, code: Bytes) -> (Machine, Outcome) {
    let inputs = InputsImpl {
        target_address: msg.address,
        bytecode_address: Some(msg.code_address),
        caller_address: msg.caller,
        input: CallInput::Bytes(msg.input.clone()),
        call_value: msg.value,
        depth: machine.depth,
    };
    run_frame(machine, Bytecode::new_legacy(code), inputs, msg.is_static, msg.gas)
}

/// Runs `init_code` in the frame of the account being created at `address`,
/// called by `caller` with `value` (already transferred); a successful
/// outcome's output is the code to deploy.
pub(crate) fn run_init_code(
    machine: Machine,
    caller: Address,
    address: Address,
    init_code: &[u8],
    value: U256,
    gas: u64,
) -> (Machine, Outcome) {
    let inputs = InputsImpl {
        target_address: address,
        bytecode_address: None,
        caller_address: caller,
        input: CallInput::Bytes(Bytes::new()),
        call_value: value,
        depth: machine.depth,
    };
    run_frame(machine, Bytecode::new_legacy(Bytes::copy_from_slice(init_code)), inputs, false, gas)
}

/// Interprets `bytecode` until it returns, running every nested message it
/// asks for in between.
fn run_frame(machine: Machine, bytecode: Bytecode, inputs: InputsImpl, is_static: bool, gas: u64) -> (Machine, Outcome) {
    let mut interpreter = Interpreter::<EthInterpreter>::new(SharedMemory::new(), ExtBytecode::new(bytecode), inputs, is_static, SPEC, gas);
    let mut host = StateHost { machine, gas_params: GasParams::new_spec(SPEC) };
    let table = instruction_table::<EthInterpreter, StateHost>();
    let gas_table = gas_table_spec(SPEC);
    loop {
        match interpreter.run_plain(&table, &gas_table, &mut host) {
            InterpreterAction::Return(result) => {
                let outcome = if result.result.is_ok() {
                    // The frame's own SSTORE refunds (EIP-3529); nested frames add theirs.
                    host.machine.state.add_refund(result.gas.refunded());
                    Outcome::success(result.output, result.gas.remaining())
                } else if result.result.is_revert() {
                    Outcome { error: Some(evm_halt(result.result)), ..Outcome::revert(result.output, result.gas.remaining()) }
                } else {
                    Outcome::halt(evm_halt(result.result))
                };
                return (host.machine, outcome);
            }
            InterpreterAction::NewFrame(FrameInput::Call(inputs)) => {
                host.machine = nested_call(&mut interpreter, host.machine, &inputs);
            }
            InterpreterAction::NewFrame(FrameInput::Create(inputs)) => {
                host.machine = nested_create(&mut interpreter, host.machine, &inputs);
            }
            InterpreterAction::NewFrame(FrameInput::Empty) => return (host.machine, Outcome::failure()),
        }
    }
}

/// Runs a message call the interpreter asked for and hands it the outcome:
/// success flag on the stack, output in memory and return data, unused gas back.
fn nested_call(interpreter: &mut Interpreter<EthInterpreter>, machine: Machine, inputs: &CallInputs) -> Machine {
    // An empty input's memory range is not a valid slice (revm uses usize::MAX..usize::MAX).
    let input =
        if inputs.input.is_empty() { Bytes::new() } else { Bytes::copy_from_slice(&inputs.input.as_bytes_memory(&interpreter.memory)) };
    let kind = match inputs.scheme {
        CallScheme::Call => CallKind::Call,
        CallScheme::CallCode => CallKind::CallCode,
        CallScheme::DelegateCall => CallKind::Delegate,
        CallScheme::StaticCall => CallKind::Static,
    };
    let msg = Message {
        kind,
        caller: inputs.caller,
        address: inputs.target_address,
        code_address: inputs.bytecode_address,
        value: inputs.call_value(),
        input,
        gas: inputs.gas_limit,
        is_static: inputs.is_static,
    };
    let (machine, outcome) = execute(machine, msg);
    let out = inputs.return_memory_offset.clone();
    let copied = out.len().min(outcome.output.len());
    interpreter.memory.set(out.start, &outcome.output[..copied]);
    interpreter.return_data.0 = outcome.output;
    interpreter.gas.erase_cost(outcome.gas_left);
    let _ = interpreter.stack.push(U256::from(outcome.success));
    machine
}

/// Runs a CREATE or CREATE2 the interpreter asked for; pushes the new
/// address (zero on failure) and keeps the init code's revert data.
fn nested_create(interpreter: &mut Interpreter<EthInterpreter>, machine: Machine, inputs: &CreateInputs) -> Machine {
    let salt = match inputs.scheme() {
        CreateScheme::Create2 { salt } => Some(B256::from(salt)),
        _ => None,
    };
    let (machine, outcome) = create_frame(machine, inputs.caller(), inputs.init_code(), inputs.value(), salt, inputs.gas_limit());
    interpreter.gas.erase_cost(outcome.gas_left);
    let created = outcome.address.map(|address| U256::from_be_slice(address.as_slice())).unwrap_or_default();
    interpreter.return_data.0 = if outcome.address.is_none() { outcome.output } else { Bytes::new() };
    let _ = interpreter.stack.push(created);
    machine
}

/// revm's view of the devnet state during one EVM frame.
struct StateHost {
    machine: Machine,
    gas_params: GasParams,
}

impl Host for StateHost {
    fn basefee(&self) -> U256 {
        self.machine.block.basefee
    }

    fn blob_gasprice(&self) -> U256 {
        U256::ZERO
    }

    fn gas_limit(&self) -> U256 {
        U256::from(self.machine.block.gas_limit)
    }

    fn difficulty(&self) -> U256 {
        U256::from(1) // as on Arbitrum
    }

    fn prevrandao(&self) -> Option<U256> {
        Some(U256::from(1))
    }

    fn block_number(&self) -> U256 {
        U256::from(self.machine.block.number)
    }

    fn timestamp(&self) -> U256 {
        U256::from(self.machine.block.timestamp)
    }

    fn beneficiary(&self) -> Address {
        self.machine.block.coinbase
    }

    fn slot_num(&self) -> U256 {
        U256::ZERO
    }

    fn chain_id(&self) -> U256 {
        U256::from(self.machine.block.chain_id)
    }

    fn effective_gas_price(&self) -> U256 {
        self.machine.tx.gas_price
    }

    fn caller(&self) -> Address {
        self.machine.tx.origin
    }

    fn blob_hash(&self, _number: usize) -> Option<U256> {
        None
    }

    fn max_initcode_size(&self) -> usize {
        MAX_INIT_CODE
    }

    fn gas_params(&self) -> &GasParams {
        &self.gas_params
    }

    fn is_amsterdam_eip8037_enabled(&self) -> bool {
        false
    }

    fn block_hash(&mut self, number: u64) -> Option<B256> {
        let current = self.machine.block.number;
        (number < current && current - number <= 256).then(|| keccak256(number.to_be_bytes()))
    }

    /// EIP-6780 for an account that existed before the transaction: the
    /// balance moves to `target` and the account stays (the deletion of an
    /// account created in the same transaction is not modelled).
    fn selfdestruct(&mut self, address: Address, target: Address, _: bool) -> Result<StateLoad<SelfDestructResult>, LoadError> {
        let state = &mut self.machine.state;
        let is_cold = state.warm_account(target);
        let balance = state.balance(address);
        let target_exists = state.exists(target);
        if target != address {
            state.transfer(address, target, balance).expect("the whole balance is available");
        }
        let result = SelfDestructResult { had_value: !balance.is_zero(), target_exists, previously_destroyed: false };
        Ok(StateLoad { data: result, is_cold })
    }

    fn log(&mut self, log: Log) {
        self.machine.state.push_log(log);
    }

    fn sstore_skip_cold_load(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
        _skip_cold_load: bool,
    ) -> Result<StateLoad<SStoreResult>, LoadError> {
        let state = &mut self.machine.state;
        let key = B256::from(key);
        let is_cold = state.warm_slot(address, key);
        let original_value = state.original_storage(address, key).into();
        let present_value = state.storage(address, key).into();
        state.set_storage(address, key, value.into());
        Ok(StateLoad { data: SStoreResult { original_value, present_value, new_value: value }, is_cold })
    }

    fn sload_skip_cold_load(&mut self, address: Address, key: U256, _skip_cold_load: bool) -> Result<StateLoad<U256>, LoadError> {
        let state = &mut self.machine.state;
        let key = B256::from(key);
        let is_cold = state.warm_slot(address, key);
        Ok(StateLoad { data: state.storage(address, key).into(), is_cold })
    }

    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        self.machine.state.set_transient(address, key.into(), value.into());
    }

    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.machine.state.transient(address, key.into()).into()
    }

    fn load_account_info_skip_cold_load(
        &mut self,
        address: Address,
        load_code: bool,
        _skip_cold_load: bool,
    ) -> Result<AccountInfoLoad<'_>, LoadError> {
        let state = &mut self.machine.state;
        let is_cold = state.warm_account(address);
        let code = state.code(address);
        let code_hash = keccak256(&code);
        let code = if load_code { Bytecode::new_legacy(code) } else { Bytecode::default() };
        let info = AccountInfo::new(state.balance(address), state.nonce(address), code_hash, code);
        Ok(AccountInfoLoad { account: Cow::Owned(info), is_cold, is_empty: !state.exists(address) })
    }
}
