//! The public chain API: accounts, transactions, read-only calls, Stylus
//! deployment and activation, block control. One transaction = one block.

use crate::create::create;
use crate::exec::{execute, BlockEnv, CallKind, Machine, Message, TxEnv};
use crate::gas::{access_list_gas, intrinsic_gas};
use crate::meter::EntryCosts;
use crate::precompiles::{ArbWasm, ARB_WASM};
use crate::state::State;
use crate::trace::Tracer;
use crate::tx::{DeployError, Receipt, Tx, TxError};
use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Per-transaction gas limit (Arbitrum's per-block execution limit).
pub const BLOCK_GAS_LIMIT: u64 = 32_000_000;
/// Base fee per gas: 0.1 gwei, Arbitrum One's minimum.
pub const BASE_FEE: u64 = 100_000_000;
/// Arbitrum's block coinbase (the sequencer); receives fees.
pub const COINBASE: Address = address!("A4b000000000000000000073657175656e636572");
/// Timestamp of the genesis block.
pub const GENESIS_TIMESTAMP: u64 = 1_700_000_000;
/// Native stack of the thread that executes a transaction: every nested
/// frame recurses on it, up to the EVM's call depth limit. Reserved, and only
/// touched as deep as execution goes.
const EXECUTION_STACK_BYTES: usize = 1 << 30;

/// A saved copy of the chain's state and block, to go back to later
/// (`evm_snapshot` / `evm_revert` in a JSON-RPC node).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    state: State,
    block: BlockEnv,
}

/// A local Arbitrum-Stylus-compatible chain.
pub struct Chain {
    /// Lent to the executing frames during a transaction, present otherwise.
    machine: Option<Machine>,
}

impl Chain {
    /// An empty chain with `chain_id` at block 0.
    pub fn new(chain_id: u64) -> Self {
        let block = BlockEnv {
            chain_id,
            number: 0,
            timestamp: GENESIS_TIMESTAMP,
            basefee: U256::from(BASE_FEE),
            gas_limit: BLOCK_GAS_LIMIT,
            coinbase: COINBASE,
        };
        Self { machine: Some(Machine::new(block)) }
    }

    fn machine(&self) -> &Machine {
        self.machine.as_ref().expect("the machine is only lent during execution")
    }

    fn machine_mut(&mut self) -> &mut Machine {
        self.machine.as_mut().expect("the machine is only lent during execution")
    }

    /// Chain id.
    pub fn chain_id(&self) -> u64 {
        self.machine().block.chain_id
    }

    /// Number of the block the next transaction goes into.
    pub fn block_number(&self) -> u64 {
        self.machine().block.number
    }

    /// Timestamp of the block the next transaction goes into.
    pub fn timestamp(&self) -> u64 {
        self.machine().block.timestamp
    }

    /// Moves time forward by `seconds` and starts a new block.
    pub fn advance_time(&mut self, seconds: u64) {
        let block = &mut self.machine_mut().block;
        block.timestamp += seconds;
        block.number += 1;
    }

    /// Starts block `number` at `timestamp`: later transactions see them.
    pub fn start_block(&mut self, number: u64, timestamp: u64) {
        let block = &mut self.machine_mut().block;
        block.number = number;
        block.timestamp = timestamp;
    }

    /// Base fee per gas of the current block.
    pub fn base_fee(&self) -> U256 {
        self.machine().block.basefee
    }

    /// Saves the current state and block.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot { state: self.machine().state.clone(), block: self.machine().block.clone() }
    }

    /// Returns to `snapshot`, dropping every later change (activations included).
    pub fn restore(&mut self, snapshot: Snapshot) {
        let machine = self.machine_mut();
        machine.state = snapshot.state;
        machine.block = snapshot.block;
    }

    /// Balance of `address`.
    pub fn balance(&self, address: Address) -> U256 {
        self.machine().state.balance(address)
    }

    /// Sets the balance of `address` (a faucet).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        state.set_balance(address, balance);
    }

    /// Sets the nonce of `address` (a cheat).
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        state.set_nonce(address, nonce);
    }

    /// Installs `code` at `address` (a cheat; Stylus code still needs activation).
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        state.set_code(address, code);
    }

    /// Writes storage slot `key` of `address` (a cheat).
    pub fn set_storage(&mut self, address: Address, key: B256, value: B256) {
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        state.set_storage(address, key, value);
    }

    /// Clears every storage slot of `address` (a cheat).
    pub fn clear_storage(&mut self, address: Address) {
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        state.clear_storage(address);
    }

    /// Makes programs expire `days` after activation, as ArbOS's
    /// `expiryDays` does (Arbitrum: [`crate::precompiles::EXPIRY_DAYS`]);
    /// `None`, the default, keeps them forever so that time travel in tests
    /// does not expire them.
    pub fn set_program_expiry_days(&mut self, days: Option<u16>) {
        self.machine_mut().state.set_program_expiry_days(days);
    }

    /// Treats every Stylus program as cached (nitro's init cost is never
    /// charged), as if ArbWasmCache held them all; off by default.
    pub fn set_cache_all_programs(&mut self, on: bool) {
        self.machine_mut().meter.cache_all = on;
    }

    /// Marks the program at `program` cached or not, as ArbWasmCache's
    /// `cacheProgram` / `evictCodehash` do (a cheat: no access control);
    /// false if no activated program is there.
    pub fn set_program_cached(&mut self, program: Address, cached: bool) -> bool {
        let code_hash = alloy_primitives::keccak256(self.code(program));
        let state = &mut self.machine_mut().state;
        if state.program(code_hash).is_none() {
            return false;
        }
        state.begin_transaction();
        state.set_program_cached(code_hash, cached);
        true
    }

    /// Lets `manager` cache and evict programs through ArbWasmCache.
    pub fn add_cache_manager(&mut self, manager: Address) {
        self.machine_mut().state.add_cache_manager(manager);
    }

    /// Registers the function names of `named_wasm` (a module keeping its
    /// `name` section, as `make wasm` leaves in `target/wasm-names`) for the
    /// program deployed from it without custom sections, for `keelProfiler`;
    /// returns that module's hash.
    pub fn register_wasm_names(&self, named_wasm: &[u8]) -> Result<B256, String> {
        self.machine().programs.register_names(named_wasm)
    }

    /// Entry costs of the activated program at `program`, if any.
    pub fn program_entry_costs(&self, program: Address) -> Option<EntryCosts> {
        let code_hash = alloy_primitives::keccak256(self.code(program));
        self.machine().state.program(code_hash)?;
        self.machine().programs.cached(code_hash).map(|compiled| compiled.costs)
    }

    /// Nonce of `address`.
    pub fn nonce(&self, address: Address) -> u64 {
        self.machine().state.nonce(address)
    }

    /// Code of `address`.
    pub fn code(&self, address: Address) -> Bytes {
        self.machine().state.code(address)
    }

    /// Storage slot `key` of `address`.
    pub fn storage(&self, address: Address, key: B256) -> B256 {
        self.machine().state.storage(address, key)
    }

    /// Executes and commits a transaction (a revert still charges gas and bumps the nonce).
    pub fn transact(&mut self, tx: Tx) -> Result<Receipt, TxError> {
        let receipt = self.execute_tx(&tx, true)?;
        self.machine_mut().block.number += 1;
        Ok(receipt)
    }

    /// Executes `tx` without keeping any change (like `eth_call`); no fee is charged.
    pub fn call(&mut self, tx: Tx) -> Result<Receipt, TxError> {
        self.execute_tx(&tx, false)
    }

    /// Executes `tx` reporting to `tracer`; returns the receipt and the
    /// trace. `as_transaction` charges fees and keeps the changes as
    /// [`Chain::transact`] does (without starting a new block: callers
    /// replaying a transaction restore a snapshot after); otherwise it runs
    /// as [`Chain::call`].
    pub fn trace(&mut self, tx: Tx, tracer: Box<dyn Tracer>, as_transaction: bool) -> Result<(Receipt, Value), TxError> {
        self.machine_mut().tracer = Some(tracer);
        let result = self.execute_tx(&tx, as_transaction);
        let tracer = self.machine_mut().tracer.take().expect("the tracer stays with the machine");
        let receipt = result?;
        let trace = tracer.result(tx.gas, receipt.gas_used);
        Ok((receipt, trace))
    }

    /// Runs [`Chain::execute_on_this_thread`] on a thread with a deep stack.
    fn execute_tx(&mut self, tx: &Tx, commit: bool) -> Result<Receipt, TxError> {
        std::thread::scope(|scope| {
            let worker = std::thread::Builder::new()
                .name("devnet-execution".into())
                .stack_size(EXECUTION_STACK_BYTES)
                .spawn_scoped(scope, || self.execute_on_this_thread(tx, commit))
                .expect("cannot start the execution thread");
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    fn execute_on_this_thread(&mut self, tx: &Tx, commit: bool) -> Result<Receipt, TxError> {
        // As nitro, the poster gas must be there before execution starts.
        let needed = intrinsic_gas(&tx.data) + access_list_gas(&tx.access_list) + tx.poster_gas;
        if tx.gas < needed {
            return Err(TxError::IntrinsicGasTooLow { needed });
        }
        if tx.gas > BLOCK_GAS_LIMIT {
            return Err(TxError::GasLimitTooHigh);
        }
        let expected = self.nonce(tx.from);
        match tx.nonce {
            Some(got) if got < expected => return Err(TxError::NonceTooLow { expected, got }),
            Some(got) if got > expected => return Err(TxError::NonceTooHigh { expected, got }),
            _ => {}
        }
        let base_fee = self.machine().block.basefee;
        let gas_price = if commit { tx.gas_price.unwrap_or(base_fee) } else { U256::ZERO };
        if commit && gas_price < base_fee {
            return Err(TxError::GasPriceBelowBaseFee { gas_price, base_fee });
        }
        let mut machine = self.machine.take().expect("the machine is only lent during execution");
        let max_fee = U256::from(tx.gas) * gas_price;
        let have = machine.state.balance(tx.from);
        if have < max_fee + tx.value {
            self.machine = Some(machine);
            return Err(TxError::InsufficientFunds { have, want: max_fee + tx.value });
        }
        machine.state.begin_transaction();
        machine.meter.begin_transaction();
        crate::precompiles::warm_all(&mut machine.state);
        // EIP-2929 and EIP-3651: the sender and the coinbase start warm (the recipient is warmed on entry).
        let coinbase = machine.block.coinbase;
        machine.state.warm_account(tx.from);
        machine.state.warm_account(coinbase);
        for (address, keys) in &tx.access_list {
            machine.state.warm_account(*address);
            keys.iter().for_each(|key| _ = machine.state.warm_slot(*address, *key));
        }
        let start = machine.state.checkpoint();
        machine.tx = TxEnv { origin: tx.from, gas_price };
        machine.state.set_balance(tx.from, have - max_fee);
        let gas = tx.gas - needed;
        let (mut machine, error, output, gas_left, contract_address) = match tx.to {
            Some(to) => {
                machine.state.bump_nonce(tx.from);
                let msg = Message {
                    kind: CallKind::Call,
                    caller: tx.from,
                    address: to,
                    code_address: to,
                    value: tx.value,
                    input: tx.data.clone(),
                    gas,
                    is_static: false,
                };
                let (machine, outcome) = execute(machine, msg);
                (machine, outcome.error, outcome.output, outcome.gas_left, None)
            }
            None => {
                let (machine, outcome) = create(machine, tx.from, &tx.data, tx.value, None, gas);
                (machine, outcome.error, outcome.output, outcome.gas_left, outcome.address)
            }
        };
        // EIP-3529: refunds (reverted frames' undone) cover at most a fifth of the gas used.
        let refund = crate::gas::capped_refund(machine.state.refund(), tx.gas - gas_left);
        let gas_left = gas_left + refund;
        let gas_used = tx.gas - gas_left;
        let state = &mut machine.state;
        state.set_balance(tx.from, state.balance(tx.from) + U256::from(gas_left) * gas_price);
        let coinbase = machine.block.coinbase;
        state.set_balance(coinbase, state.balance(coinbase) + U256::from(gas_used) * gas_price);
        let logs = state.take_logs();
        if !commit {
            state.revert_to(start);
        }
        let block_number = machine.block.number;
        self.machine = Some(machine);
        Ok(Receipt { status: error.is_none(), gas_used, output, logs, contract_address, block_number, gas_used_for_l1: tx.poster_gas, error })
    }

    /// Deploys Stylus `code` (prefix + brotli(WASM)) from `from` with the
    /// standard init code; the program still has to be activated.
    pub fn deploy_code(&mut self, from: Address, code: &[u8]) -> Result<Address, DeployError> {
        let init = keel_wasm::init_code(code);
        let receipt = self.transact(Tx::create(from, init))?;
        receipt.contract_address.ok_or(DeployError::Reverted(receipt.output))
    }

    /// Compresses `wasm` and deploys it (see [`Chain::deploy_code`]); a
    /// module too large for one contract is deployed as fragments, then the
    /// root naming them (as cargo-stylus does), whose address is returned.
    pub fn deploy_wasm(&mut self, from: Address, wasm: &[u8]) -> Result<Address, DeployError> {
        match keel_wasm::deployment(wasm) {
            keel_wasm::Deployment::Single(code) => self.deploy_code(from, &code),
            keel_wasm::Deployment::Fragmented(fragmented) => {
                let mut addresses = Vec::with_capacity(fragmented.fragments.len());
                for fragment in &fragmented.fragments {
                    addresses.push(self.deploy_code(from, fragment)?.into_array());
                }
                self.deploy_code(from, &fragmented.root_code(&addresses))
            }
        }
    }

    /// Deploys `wasm`, activates it and, if `constructor` is given, calls the
    /// program with it (stylus-sdk constructors: selector `0x5585258d` + ABI
    /// arguments), as Arbitrum's StylusDeployer does in one transaction.
    pub fn deploy_stylus(&mut self, from: Address, wasm: &[u8], constructor: Option<Bytes>) -> Result<Address, DeployError> {
        let program = self.deploy_wasm(from, wasm)?;
        self.activate(from, program)?;
        if let Some(data) = constructor {
            let receipt = self.transact(Tx::call(from, program, data))?;
            if !receipt.status {
                return Err(DeployError::Reverted(receipt.output));
            }
        }
        Ok(program)
    }

    /// Activates the program at `program` through ArbWasm, paying exactly
    /// the data fee; fails with the reason if the code cannot be activated.
    pub fn activate(&mut self, from: Address, program: Address) -> Result<Receipt, DeployError> {
        let code = self.code(program);
        let machine = self.machine();
        let limits = crate::precompiles::activation_limits(&machine.state);
        let compiled = machine.programs.compile(&machine.state, &code, limits).map_err(DeployError::Activation)?;
        let fee = self.machine().state.data_pricer().update(compiled.costs.asm_estimate, self.timestamp());
        let data = ArbWasm::activateProgramCall { program }.abi_encode();
        let receipt = self.transact(Tx::call(from, ARB_WASM, data).with_value(fee))?;
        if !receipt.status {
            return Err(DeployError::Reverted(receipt.output));
        }
        Ok(receipt)
    }
}
