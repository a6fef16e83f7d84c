//! EVM init code of contract creations, run by revm's interpreter against
//! the devnet's state. Enough for deployment code: arithmetic, memory,
//! CODECOPY, CALLVALUE, storage, logs, environment queries, RETURN and
//! REVERT. Calls and nested creations from init code are refused (the frame
//! fails), as is SELFDESTRUCT.

use crate::exec::Machine;
use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use revm_interpreter::context_interface::cfg::GasParams;
use revm_interpreter::context_interface::journaled_state::AccountInfoLoad;
use revm_interpreter::host::LoadError;
use revm_interpreter::interpreter::{EthInterpreter, ExtBytecode};
use revm_interpreter::primitives::hardfork::SpecId;
use revm_interpreter::state::{AccountInfo, Bytecode};
use revm_interpreter::{
    instructions::gas_table_spec, instruction_table, CallInput, Host, InputsImpl, Interpreter, InterpreterAction, SStoreResult,
    SelfDestructResult, SharedMemory, StateLoad,
};
use std::borrow::Cow;

/// The EVM rules init code runs under (Arbitrum supports Cancun's opcodes).
const SPEC: SpecId = SpecId::CANCUN;
/// Largest init code (EIP-3860: twice the 24 KiB code limit).
const MAX_INIT_CODE: usize = 2 * 24_576;

/// What running init code produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOutcome {
    /// True when the code returned (its output is the code to deploy).
    pub success: bool,
    /// Returned code, or revert data.
    pub output: Bytes,
    /// Gas not used.
    pub gas_left: u64,
}

/// Runs `init_code` in the frame of the account being created at `address`,
/// called by `caller` with `value` (already transferred).
pub fn run_init_code(machine: &mut Machine, caller: Address, address: Address, init_code: &[u8], value: U256, gas: u64) -> InitOutcome {
    let input = InputsImpl {
        target_address: address,
        bytecode_address: None,
        caller_address: caller,
        input: CallInput::Bytes(Bytes::new()),
        call_value: value,
        depth: machine.depth,
    };
    let bytecode = ExtBytecode::new(Bytecode::new_raw(Bytes::copy_from_slice(init_code)));
    let mut interpreter = Interpreter::<EthInterpreter>::new(SharedMemory::new(), bytecode, input, false, SPEC, gas);
    let mut host = StateHost { machine, gas_params: GasParams::new_spec(SPEC) };
    let table = instruction_table::<EthInterpreter, StateHost>();
    match interpreter.run_plain(&table, &gas_table_spec(SPEC), &mut host) {
        InterpreterAction::Return(result) => InitOutcome {
            success: result.result.is_ok(),
            gas_left: if result.result.is_ok_or_revert() { result.gas.remaining() } else { 0 },
            output: if result.result.is_ok_or_revert() { result.output } else { Bytes::new() },
        },
        // CALL, CREATE and friends would need nested EVM frames.
        InterpreterAction::NewFrame(_) => InitOutcome { success: false, output: Bytes::new(), gas_left: 0 },
    }
}

/// revm's view of the devnet state during one init-code frame.
struct StateHost<'a> {
    machine: &'a mut Machine,
    gas_params: GasParams,
}

impl Host for StateHost<'_> {
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

    fn selfdestruct(&mut self, _: Address, _: Address, _: bool) -> Result<StateLoad<SelfDestructResult>, LoadError> {
        Err(LoadError::DBError)
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
        let code = if load_code { Bytecode::new_raw(code) } else { Bytecode::default() };
        let info = AccountInfo::new(state.balance(address), state.nonce(address), code_hash, code);
        Ok(AccountInfoLoad { account: Cow::Owned(info), is_cold, is_empty: !state.exists(address) })
    }
}
