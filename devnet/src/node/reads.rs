//! The node's reads without its lock: `eth_call` and the state reads run on
//! a [`ReadView`], the head's committed state published after every change
//! (each request that takes the lock publishes one before letting go), so
//! any number of them run at once, beside the mining of transactions. A read
//! sees one whole state: the one before a transaction or the one after it.

use super::devnet::Clock;
use super::encode::quantity;
use super::l1;
use super::params::{BlockId, CallRequest, Params, StateOverrides};
use super::rpc::RpcError;
use super::signed::AccessListItem;
use crate::state::State;
use crate::{ChainView, Receipt, Tx, BLOCK_GAS_LIMIT};
use alloy_primitives::{Address, B256, U256};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the next block keeps the timestamp a call or an estimate ran
/// at: a transaction sent right after its `eth_estimateGas` then executes at
/// the same time, so time-dependent code costs the gas that was estimated.
const PENDING_TIMESTAMP_HOLD: Duration = Duration::from_secs(5);

/// The timestamp chosen for the block after the head named by `head`.
#[derive(Debug, Clone, Copy)]
struct Chosen {
    head: B256,
    timestamp: u64,
    at: Instant,
}

/// The next block's timestamp, once a call or a transaction chose it; shared
/// by the node and its views, and only valid on top of the head it was
/// chosen on (a view that is behind cannot pin a time for a newer head).
#[derive(Debug, Clone, Default)]
pub struct Pending(Arc<Mutex<Option<Chosen>>>);

impl Pending {
    /// The timestamp of the block after `head` (hash, timestamp): the one
    /// chosen within [`PENDING_TIMESTAMP_HOLD`] on that head, else the pinned
    /// one, else the wall clock plus the offset, never before the head.
    pub fn timestamp(&self, head: (B256, u64), clock: &Clock) -> u64 {
        let mut chosen = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match *chosen {
            Some(c) if c.head == head.0 && c.at.elapsed() < PENDING_TIMESTAMP_HOLD => c.timestamp,
            _ => {
                let timestamp = clock.next_timestamp(head.1, super::devnet::now());
                *chosen = Some(Chosen { head: head.0, timestamp, at: Instant::now() });
                timestamp
            }
        }
    }

    /// Forgets the chosen timestamp (a block was mined or the clock changed).
    pub fn clear(&self) {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
    }
}

/// What reads need of the node at one moment: the committed state and the
/// head it belongs to, the clock, the L1 price.
#[derive(Clone)]
pub struct ReadView {
    /// The head's committed state.
    pub chain: ChainView,
    /// Number, hash and timestamp of the head block.
    pub head: (u64, B256, u64),
    /// The clock (for the pending block's timestamp).
    pub clock: Clock,
    /// L1 price per calldata unit in wei.
    pub l1_price_per_unit: U256,
    /// The pending block's timestamp, shared with the node.
    pub pending: Pending,
}

impl ReadView {
    /// Fails unless `block` is the head: the devnet keeps no historical state.
    pub fn require_latest(&self, block: Option<BlockId>) -> Result<(), RpcError> {
        let (number, hash, _) = self.head;
        match block {
            None | Some(BlockId::Latest) => Ok(()),
            Some(BlockId::Number(n)) if n == number => Ok(()),
            Some(BlockId::Hash(h)) if h == hash => Ok(()),
            Some(other) => {
                Err(RpcError::server(format!("state of block {other:?} is not kept: only the latest block ({number}) can be queried")))
            }
        }
    }

    /// Timestamp of the pending block (see [`Pending::timestamp`]).
    pub fn pending_timestamp(&self) -> u64 {
        self.pending.timestamp((self.head.1, self.head.2), &self.clock)
    }

    /// `eth_call` (and one run of `eth_estimateGas`, sizing the poster gas
    /// as nitro does for an estimate when `estimating`): executes `request`
    /// in the pending block on this state with `overrides`; keeps nothing.
    pub fn call(&self, request: &CallRequest, overrides: Option<&StateOverrides>, estimating: bool) -> Result<Receipt, RpcError> {
        let gas = request.gas.unwrap_or(BLOCK_GAS_LIMIT).min(BLOCK_GAS_LIMIT);
        let tx = call_tx(self.l1_price_per_unit, self.chain.base_fee(), request, gas, estimating)?;
        let overrides = overrides.filter(|o| !o.is_empty());
        if let Some((address, _)) = overrides.into_iter().flatten().find(|(_, o)| o.state.is_some() && o.state_diff.is_some()) {
            return Err(RpcError::invalid_params(format!("override of {address} sets both state and stateDiff")));
        }
        let timestamp = self.pending_timestamp();
        let prepare = |state: &mut State| overrides.into_iter().flatten().for_each(|(address, o)| apply(state, *address, o));
        self.chain.call(&tx, self.head.0 + 1, timestamp, prepare).map_err(RpcError::server)
    }
}

/// Applies one account's state override.
fn apply(state: &mut State, address: Address, account: &super::params::AccountOverride) {
    if let Some(balance) = account.balance {
        state.set_balance(address, balance);
    }
    if let Some(nonce) = account.nonce {
        state.set_nonce(address, nonce);
    }
    if let Some(code) = &account.code {
        state.set_code(address, code.clone());
    }
    if let Some(slots) = &account.state {
        state.clear_storage(address);
        slots.iter().for_each(|(key, value)| state.set_storage(address, *key, *value));
    }
    if let Some(diff) = &account.state_diff {
        diff.iter().for_each(|(key, value)| state.set_storage(address, *key, *value));
    }
}

/// An access list as the execution core takes it.
pub fn core_access_list(items: &[AccessListItem]) -> Vec<(Address, Vec<B256>)> {
    items.iter().map(|item| (item.address, item.storage_keys.clone())).collect()
}

/// The execution core's transaction for a call `request` with `gas`.
pub fn call_tx(l1_price_per_unit: U256, base_fee: U256, request: &CallRequest, gas: u64, estimating: bool) -> Result<Tx, RpcError> {
    let poster_gas = match l1_price_per_unit.is_zero() {
        true => 0,
        false => l1::poster_gas(l1_price_per_unit, l1::call_units(request, gas, estimating)?, base_fee, estimating),
    };
    Ok(Tx {
        from: request.from.unwrap_or_default(),
        to: request.to,
        data: request.calldata()?,
        value: request.value.unwrap_or_default(),
        gas,
        nonce: None,
        gas_price: None,
        max_fee: None,
        access_list: core_access_list(request.access_list.as_deref().unwrap_or_default()),
        poster_gas,
    })
}

/// The methods that read only the head (its state, number, chain id).
const READS: [&str; 7] =
    ["eth_chainId", "eth_blockNumber", "eth_getBalance", "eth_getTransactionCount", "eth_getCode", "eth_getStorageAt", "eth_call"];

/// Whether [`dispatch`] answers `method`.
pub fn is_read(method: &str) -> bool {
    READS.contains(&method)
}

/// Answers a method that only reads the head ([`is_read`]) from `view`.
pub fn dispatch(view: &ReadView, method: &str, params: &[Value]) -> Result<Value, RpcError> {
    let p = &Params(params);
    match method {
        "eth_chainId" => p.at_most(0).map(|_| quantity(view.chain.chain_id())),
        "eth_blockNumber" => p.at_most(0).map(|_| quantity(view.head.0)),
        "eth_getBalance" => account_read(view, p, |c, a| json!(c.balance(a))),
        "eth_getTransactionCount" => account_read(view, p, |c, a| quantity(c.nonce(a))),
        "eth_getCode" => account_read(view, p, |c, a| json!(c.code(a))),
        "eth_getStorageAt" => storage_at(view, p),
        "eth_call" => call(view, p),
        _ => Err(RpcError::method_not_found(method)),
    }
}

fn account_read(view: &ReadView, p: &Params, read: impl Fn(&ChainView, Address) -> Value) -> Result<Value, RpcError> {
    p.at_most(2)?;
    let address: Address = p.get(0, "address")?;
    view.require_latest(p.opt(1, "block")?)?;
    Ok(read(&view.chain, address))
}

fn storage_at(view: &ReadView, p: &Params) -> Result<Value, RpcError> {
    p.at_most(3)?;
    let address: Address = p.get(0, "address")?;
    let slot: U256 = p.get(1, "slot")?;
    view.require_latest(p.opt(2, "block")?)?;
    Ok(json!(view.chain.storage(address, slot.into())))
}

fn call(view: &ReadView, p: &Params) -> Result<Value, RpcError> {
    p.at_most(3)?;
    let request: CallRequest = p.get(0, "transaction")?;
    view.require_latest(p.opt(1, "block")?)?;
    let overrides: Option<StateOverrides> = p.opt(2, "state overrides")?;
    let receipt = view.call(&request, overrides.as_ref(), false)?;
    if receipt.status {
        Ok(json!(receipt.output))
    } else {
        Err(RpcError::failed(receipt.error, &receipt.output))
    }
}
