//! The public chain API: accounts, transactions, read-only calls, Stylus
//! deployment and activation, block control. One transaction = one block.

use crate::exec::{BlockEnv, Machine};
use crate::meter::EntryCosts;
use crate::precompiles::{ArbWasm, ARB_WASM};
use crate::state::State;
use crate::trace::Tracer;
use crate::tx::{DeployError, Receipt, Tx, TxError};
use crate::view::ChainView;
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

thread_local! {
    /// Whether this thread was started by [`spawn_with_execution_stack`].
    static HAS_EXECUTION_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts a thread named `name` with the stack a transaction needs. A
/// [`Chain`] used from it executes in place; from any other thread it hands
/// each transaction to a fresh thread with that stack, two context switches
/// that cost most of a read's time on a loaded machine. The node's
/// connection and miner threads are started this way.
pub fn spawn_with_execution_stack<F, T>(name: &str, f: F) -> std::io::Result<std::thread::JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    std::thread::Builder::new().name(name.into()).stack_size(EXECUTION_STACK_BYTES).spawn(move || {
        HAS_EXECUTION_STACK.with(|flag| flag.set(true));
        f()
    })
}

/// A saved copy of the chain's state and block, to go back to later
/// (`evm_snapshot` / `evm_revert` in a JSON-RPC node).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    state: State,
    block: BlockEnv,
}

/// Runs `f` on a thread with the stack execution needs: this one if it was
/// started by [`spawn_with_execution_stack`], a fresh one otherwise.
pub(crate) fn on_execution_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if HAS_EXECUTION_STACK.with(std::cell::Cell::get) {
        return f();
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("devnet-execution".into())
            .stack_size(EXECUTION_STACK_BYTES)
            .spawn_scoped(scope, f)
            .expect("cannot start the execution thread");
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A local Arbitrum-Stylus-compatible chain.
pub struct Chain {
    /// Lent to the executing frames during a transaction, present otherwise.
    machine: Option<Machine>,
    /// The committed state as last shared by [`Chain::view`]; dropped by
    /// every change, made again by the next [`Chain::view`].
    published: Option<ChainView>,
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
        Self { machine: Some(Machine::new(block)), published: None }
    }

    fn machine(&self) -> &Machine {
        self.machine.as_ref().expect("the machine is only lent during execution")
    }

    /// The machine, to change its state: the shared view is out of date.
    fn machine_mut(&mut self) -> &mut Machine {
        self.published = None;
        self.machine.as_mut().expect("the machine is only lent during execution")
    }

    /// The block environment, to move it (the shared view does not hold it).
    fn block_mut(&mut self) -> &mut BlockEnv {
        &mut self.machine.as_mut().expect("the machine is only lent during execution").block
    }

    /// The committed state as an immutable, shared [`ChainView`] on which
    /// reads and calls run without this chain (from other threads, at the
    /// same time as each other). Made once per change of state (a copy of
    /// the state), then shared: a view never sees later changes.
    pub fn view(&mut self) -> ChainView {
        if let Some(view) = &self.published {
            return view.clone();
        }
        let machine = self.machine();
        let view = ChainView::new(machine.state.committed(), &machine.block, machine.meter.cache_all, &machine.programs, &machine.linker);
        self.published = Some(view.clone());
        view
    }

    /// The shared view if the state has not changed since it was made.
    pub fn current_view(&self) -> Option<ChainView> {
        self.published.clone()
    }

    /// Returns to the state of `view` in `block` (dropping every later
    /// change, activations included); `view` becomes the shared view.
    pub fn restore_view(&mut self, view: &ChainView, block: BlockEnv) {
        let machine = self.machine_mut();
        machine.state = view.state().clone();
        machine.block = block;
        self.published = Some(view.clone());
    }

    /// The current block environment.
    pub fn block(&self) -> &BlockEnv {
        &self.machine().block
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
        let block = self.block_mut();
        block.timestamp += seconds;
        block.number += 1;
    }

    /// Starts block `number` at `timestamp`: later transactions see them.
    pub fn start_block(&mut self, number: u64, timestamp: u64) {
        let block = self.block_mut();
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
        let code_hash = self.machine().state.code_hash(program);
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
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        crate::arbos::add_cache_manager(state, manager);
    }

    /// The state nitro-devnode's setup script leaves: `owner` is a chain
    /// owner (ArbDebug's `becomeChainOwner`) and a cache manager, and ArbOS's
    /// L1 price per unit is 0 (ArbOwner's `setL1PricePerUnit`).
    pub fn configure_as_devnode(&mut self, owner: Address) {
        let state = &mut self.machine_mut().state;
        state.begin_transaction();
        crate::arbos::add_chain_owner(state, owner);
        crate::arbos::add_cache_manager(state, owner);
        crate::arbos::set_l1_price_per_unit(state, U256::ZERO);
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
        let code_hash = self.machine().state.code_hash(program);
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
        self.block_mut().number += 1;
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
        let lent = "the machine is only lent during execution";
        self.machine.as_mut().expect(lent).tracer = Some(tracer);
        let result = self.execute_tx(&tx, as_transaction);
        let tracer = self.machine.as_mut().expect(lent).tracer.take().expect("the tracer stays with the machine");
        let receipt = result?;
        let trace = tracer.result(tx.gas, receipt.gas_used);
        Ok((receipt, trace))
    }

    /// Runs [`Chain::execute_on_this_thread`] on a thread with a deep stack:
    /// this one if it has it, a fresh one otherwise.
    fn execute_tx(&mut self, tx: &Tx, commit: bool) -> Result<Receipt, TxError> {
        on_execution_stack(|| self.execute_on_this_thread(tx, commit))
    }

    fn execute_on_this_thread(&mut self, tx: &Tx, commit: bool) -> Result<Receipt, TxError> {
        if commit {
            self.published = None;
        }
        let machine = self.machine.take().expect("the machine is only lent during execution");
        let (machine, result) = crate::stages::run(machine, tx, commit);
        self.machine = Some(machine);
        result
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
