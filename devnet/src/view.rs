//! Reads and calls on a committed state shared between threads: what lets
//! a node answer `eth_call` and the state reads without its chain's lock,
//! many at once, while transactions are mined.

use crate::exec::{BlockEnv, Machine, TxEnv};
use crate::host::HostCtx;
use crate::program::Programs;
use crate::state::State;
use crate::tx::{Receipt, Tx, TxError};
use alloy_primitives::{Address, Bytes, B256, U256};
use std::sync::Arc;
use wasmi::Linker;

/// The chain's state after some change, immutable and cheap to clone (see
/// [`crate::Chain::view`]), with what a call needs beside it: the block
/// constants, whether every program counts as cached, and the compiled
/// programs (shared with the chain: a module is compiled once for all).
#[derive(Clone)]
pub struct ChainView {
    state: Arc<State>,
    block: BlockEnv,
    cache_all: bool,
    programs: Programs,
    linker: Arc<Linker<HostCtx>>,
}

impl ChainView {
    /// A view of `state` (the committed part of a chain's state) with the chain's block constants and caches.
    pub(crate) fn new(state: State, block: &BlockEnv, cache_all: bool, programs: &Programs, linker: &Arc<Linker<HostCtx>>) -> Self {
        Self { state: Arc::new(state), block: block.clone(), cache_all, programs: programs.clone(), linker: linker.clone() }
    }

    /// The state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Chain id.
    pub fn chain_id(&self) -> u64 {
        self.block.chain_id
    }

    /// Base fee per gas.
    pub fn base_fee(&self) -> U256 {
        self.block.basefee
    }

    /// Balance of `address`.
    pub fn balance(&self, address: Address) -> U256 {
        self.state.balance(address)
    }

    /// Nonce of `address`.
    pub fn nonce(&self, address: Address) -> u64 {
        self.state.nonce(address)
    }

    /// Code of `address`.
    pub fn code(&self, address: Address) -> Bytes {
        self.state.code(address)
    }

    /// Storage slot `key` of `address`.
    pub fn storage(&self, address: Address, key: B256) -> B256 {
        self.state.storage(address, key)
    }

    /// Executes `tx` as [`crate::Chain::call`] does, in block `number` at
    /// `timestamp`, on a state over this one that `prepare` may change
    /// first (state overrides); keeps nothing. Any number of threads may
    /// call at once.
    pub fn call(&self, tx: &Tx, number: u64, timestamp: u64, prepare: impl FnOnce(&mut State) + Send) -> Result<Receipt, TxError> {
        crate::chain::on_execution_stack(|| {
            let mut state = State::over(self.state.clone());
            prepare(&mut state);
            let mut meter = crate::meter::TxMeter::default();
            meter.cache_all = self.cache_all;
            let machine = Machine {
                state,
                block: BlockEnv { number, timestamp, ..self.block.clone() },
                tx: TxEnv::default(),
                programs: self.programs.clone(),
                linker: self.linker.clone(),
                open_frames: Vec::new(),
                depth: 0,
                tracer: None,
                meter,
            };
            crate::stages::run(machine, tx, false).1
        })
    }
}
