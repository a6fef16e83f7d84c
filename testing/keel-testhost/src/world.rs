//! The world state and the call machinery.

use crate::host::FrameHost;
use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use std::{
    cell::RefCell,
    collections::{HashMap, HashSet},
    rc::Rc,
};
use stylus_sdk::{host::VM, ArbResult};

/// A contract's router: calldata and a host in, return or revert data out.
pub type Router = fn(Vec<u8>, VM) -> ArbResult;

/// An emitted log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Log {
    /// The emitting contract.
    pub address: Address,
    /// Up to four topics.
    pub topics: Vec<B256>,
    /// ABI-encoded data.
    pub data: Bytes,
}

/// Revert data of a failed call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revert(pub Vec<u8>);

impl Revert {
    /// Whether the revert data is the custom error `E` (by selector).
    pub fn is<E: SolError>(&self) -> bool {
        self.0.len() >= 4 && self.0[..4] == E::SELECTOR
    }

    /// Decodes the revert data as the custom error `E`.
    pub fn decode<E: SolError>(&self) -> Option<E> {
        E::abi_decode(&self.0).ok()
    }
}

/// One open call frame.
pub(crate) struct Frame {
    /// The acting address: whose storage, balance and `contract_address` the frame uses.
    pub address: Address,
    /// Whether the frame runs another contract's code for `address` (`delegatecall`).
    pub delegate: bool,
    pub sender: Address,
    pub value: U256,
    pub calldata: Vec<u8>,
    pub is_static: bool,
    pub return_data: Vec<u8>,
    pub static_write: bool,
}

/// An undo record for rollback.
enum Undo {
    Storage(Address, U256, B256),
    Balance(Address, U256),
}

pub(crate) struct State {
    pub storage: HashMap<(Address, U256), B256>,
    pub balances: HashMap<Address, U256>,
    pub routers: HashMap<Address, Router>,
    pub logs: Vec<Log>,
    pub frames: Vec<Frame>,
    pub origin: Address,
    pub timestamp: u64,
    pub block_number: u64,
    pub chain_id: u64,
    pub deny_reentry: bool,
    undo: Vec<Undo>,
    written: HashSet<(Address, U256)>,
}

impl State {
    pub fn frame(&self) -> &Frame {
        self.frames.last().expect("host used outside a call")
    }

    pub fn frame_mut(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("host used outside a call")
    }

    pub fn load(&self, address: Address, key: U256) -> B256 {
        self.storage.get(&(address, key)).copied().unwrap_or_default()
    }

    pub fn store(&mut self, address: Address, key: U256, value: B256) {
        let old = self.load(address, key);
        self.undo.push(Undo::Storage(address, key, old));
        self.written.insert((address, key));
        self.storage.insert((address, key), value);
    }

    pub fn balance(&self, address: Address) -> U256 {
        self.balances.get(&address).copied().unwrap_or_default()
    }

    fn set_balance(&mut self, address: Address, value: U256) {
        let old = self.balance(address);
        self.undo.push(Undo::Balance(address, old));
        self.balances.insert(address, value);
    }

    fn rollback(&mut self, undo_mark: usize, log_mark: usize) {
        while self.undo.len() > undo_mark {
            match self.undo.pop().expect("length checked") {
                Undo::Storage(a, k, v) => {
                    self.storage.insert((a, k), v);
                }
                Undo::Balance(a, v) => {
                    self.balances.insert(a, v);
                }
            }
        }
        self.logs.truncate(log_mark);
    }
}

/// How a frame is entered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// An ordinary call (with value).
    Call,
    /// A call that may not write.
    Static,
    /// The callee's code on the caller's storage, address, sender and value.
    Delegate,
}

/// Executes one call in `state`: the frame, its value transfer, and rollback on failure.
pub(crate) fn execute(
    state: &Rc<RefCell<State>>,
    sender: Address,
    to: Address,
    calldata: Vec<u8>,
    value: U256,
    kind: CallKind,
) -> ArbResult {
    let (router, undo_mark, log_mark) = {
        let mut s = state.borrow_mut();
        let undo_mark = s.undo.len();
        let log_mark = s.logs.len();
        if kind == CallKind::Delegate {
            let Some(router) = s.routers.get(&to).copied() else {
                return Ok(Vec::new());
            };
            let parent = s.frame();
            let frame = Frame {
                address: parent.address,
                delegate: true,
                sender: parent.sender,
                value: parent.value,
                calldata: calldata.clone(),
                is_static: parent.is_static,
                return_data: Vec::new(),
                static_write: false,
            };
            s.frames.push(frame);
            drop(s);
            return run(state, router, calldata, undo_mark, log_mark);
        }
        if !value.is_zero() {
            let from = s.balance(sender);
            if from < value {
                return Err(Vec::new());
            }
            s.set_balance(sender, from - value);
            let to_balance = s.balance(to);
            s.set_balance(to, to_balance + value);
        }
        if to == crate::host::ECRECOVER {
            return Ok(crate::host::ecrecover(&calldata));
        }
        let Some(router) = s.routers.get(&to).copied() else {
            // A call to an account without code succeeds with no output, as in the EVM.
            return Ok(Vec::new());
        };
        let reentrant = s.frames.iter().any(|f| f.address == to && !f.delegate);
        if reentrant && s.deny_reentry {
            s.rollback(undo_mark, log_mark);
            return Err(Vec::new());
        }
        let parent_static = s.frames.last().is_some_and(|f| f.is_static);
        s.frames.push(Frame {
            address: to,
            delegate: false,
            sender,
            value,
            calldata: calldata.clone(),
            is_static: kind == CallKind::Static || parent_static,
            return_data: Vec::new(),
            static_write: false,
        });
        (router, undo_mark, log_mark)
    };
    run(state, router, calldata, undo_mark, log_mark)
}

/// Runs `router` in the frame just pushed, pops it, rolls back on failure.
fn run(state: &Rc<RefCell<State>>, router: Router, calldata: Vec<u8>, undo_mark: usize, log_mark: usize) -> ArbResult {
    let host = FrameHost { state: state.clone() };
    let result = router(calldata, VM { host: Box::new(host) });
    let mut s = state.borrow_mut();
    let frame = s.frames.pop().expect("frame pushed above");
    let result = if frame.static_write { Err(Vec::new()) } else { result };
    if result.is_err() {
        s.rollback(undo_mark, log_mark);
    }
    result
}

/// A world of Stylus contracts and externally owned accounts.
#[derive(Clone)]
pub struct World {
    state: Rc<RefCell<State>>,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// An empty world at chain id 412346, block 1, timestamp 1,700,000,000.
    pub fn new() -> Self {
        let state = State {
            storage: HashMap::new(),
            balances: HashMap::new(),
            routers: HashMap::new(),
            logs: Vec::new(),
            frames: Vec::new(),
            origin: Address::ZERO,
            timestamp: 1_700_000_000,
            block_number: 1,
            chain_id: 412_346,
            deny_reentry: true,
            undo: Vec::new(),
            written: HashSet::new(),
        };
        Self { state: Rc::new(RefCell::new(state)) }
    }

    /// Registers `router` at `address` and, if `constructor` is given, runs it
    /// (`stylus_constructor` calldata) as `deployer`.
    pub fn deploy(&self, address: Address, router: Router, deployer: Address, constructor: Option<Vec<u8>>) -> Result<(), Revert> {
        self.state.borrow_mut().routers.insert(address, router);
        match constructor {
            Some(data) => self.call_raw(deployer, address, data, U256::ZERO).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Sends a top-level transaction; on failure every change is rolled back.
    pub fn call_raw(&self, from: Address, to: Address, calldata: Vec<u8>, value: U256) -> Result<Vec<u8>, Revert> {
        {
            let mut s = self.state.borrow_mut();
            assert!(s.frames.is_empty(), "top-level call from inside a call");
            s.origin = from;
            s.undo.clear();
            s.written.clear();
        }
        execute(&self.state, from, to, calldata, value, CallKind::Call).map_err(Revert)
    }

    /// Sends the typed call `call` and decodes its return value.
    pub fn call<C: SolCall>(&self, from: Address, to: Address, call: &C) -> Result<C::Return, Revert> {
        self.call_value(from, to, call, U256::ZERO)
    }

    /// Sends `call`, which must revert, and returns its revert data.
    ///
    /// # Panics
    /// If the call succeeds.
    pub fn expect_revert<C: SolCall>(&self, from: Address, to: Address, call: &C) -> Revert {
        match self.call_raw(from, to, call.abi_encode(), U256::ZERO) {
            Ok(_) => panic!("{} from {from} to {to} succeeded but must revert", C::SIGNATURE),
            Err(revert) => revert,
        }
    }

    /// Like [`World::call`], with ETH value attached.
    pub fn call_value<C: SolCall>(&self, from: Address, to: Address, call: &C, value: U256) -> Result<C::Return, Revert> {
        let out = self.call_raw(from, to, call.abi_encode(), value)?;
        Ok(C::abi_decode_returns(&out).expect("return data must decode"))
    }

    /// Logs emitted so far.
    pub fn logs(&self) -> Vec<Log> {
        self.state.borrow().logs.clone()
    }

    /// Forgets emitted logs.
    pub fn clear_logs(&self) {
        self.state.borrow_mut().logs.clear();
    }

    /// Events of type `E` emitted by `address`, decoded, in order.
    pub fn events<E: SolEvent>(&self, address: Address) -> Vec<E> {
        self.logs()
            .iter()
            .filter(|l| l.address == address && l.topics.first() == Some(&E::SIGNATURE_HASH))
            .map(|l| E::decode_raw_log(l.topics.iter().copied(), &l.data).expect("event must decode"))
            .collect()
    }

    /// Storage slot `key` of `address`.
    pub fn storage(&self, address: Address, key: U256) -> B256 {
        self.state.borrow().load(address, key)
    }

    /// Distinct storage slots written by the last top-level call (a cost
    /// measure for scaling tests: each costs an SSTORE on chain).
    pub fn slots_written(&self) -> usize {
        self.state.borrow().written.len()
    }

    /// ETH balance of `address`.
    pub fn balance(&self, address: Address) -> U256 {
        self.state.borrow().balance(address)
    }

    /// Sets the ETH balance of `address`.
    pub fn set_balance(&self, address: Address, value: U256) {
        self.state.borrow_mut().balances.insert(address, value);
    }

    /// Current block timestamp.
    pub fn timestamp(&self) -> u64 {
        self.state.borrow().timestamp
    }

    /// Moves time forward by `seconds` and the block number by one.
    pub fn advance(&self, seconds: u64) {
        let mut s = self.state.borrow_mut();
        s.timestamp += seconds;
        s.block_number += 1;
    }

    /// Chain id seen by contracts.
    pub fn chain_id(&self) -> u64 {
        self.state.borrow().chain_id
    }

    /// Sets the chain id seen by contracts.
    pub fn set_chain_id(&self, chain_id: u64) {
        self.state.borrow_mut().chain_id = chain_id;
    }

    /// Whether re-entering a contract with an open frame reverts (the deployed
    /// entrypoint's behaviour; on by default).
    pub fn set_deny_reentry(&self, deny: bool) {
        self.state.borrow_mut().deny_reentry = deny;
    }
}
