//! The node's chain: the execution core plus mined history, dev accounts,
//! impersonation, the clock and `evm_snapshot`s. Methods here speak Rust
//! types; [`super::methods`] turns them into JSON-RPC.

use super::accounts::DevAccount;
use super::l1;
use super::ledger::{Block, Ledger};
use super::params::{BlockId, CallRequest, StateOverrides};
use super::reads::{call_tx, core_access_list, Pending, ReadView};
use super::rpc::RpcError;
use super::signed::{SignedTx, UnsignedTx};
use crate::gas::{access_list_gas, intrinsic_gas};
use crate::trace::Tracer;
use crate::{BlockEnv, Chain, ChainView, Halt, Receipt, Snapshot, Tx, TxError, BLOCK_GAS_LIMIT};
use alloy_primitives::{Address, B256, U256};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};
/// How many of the latest transactions `debug_traceTransaction` can replay
/// (the state before each is kept).
pub const TRACEABLE_TXS: usize = 64;

/// Wall-clock offset and pinned timestamp of the next block.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct Clock {
    /// Seconds added to the wall clock (`evm_increaseTime`).
    pub offset: i64,
    /// Timestamp of the next block, if pinned (`evm_setNextBlockTimestamp`).
    pub next: Option<u64>,
    /// Seconds from each block to the next, in place of the wall clock
    /// (`anvil_setBlockTimestampInterval`): timestamps that do not depend
    /// on when a script runs, as gas benchmarks of time-dependent flows need.
    #[serde(default)]
    pub interval: Option<u64>,
    /// `evm_increaseTime` seconds to add to the next block's time under an interval.
    #[serde(default)]
    pub increase: u64,
}

impl Clock {
    /// The next block's timestamp after a head at `head`, with the wall clock at `wall`.
    pub fn next_timestamp(&self, head: u64, wall: u64) -> u64 {
        match (self.next, self.interval) {
            (Some(pinned), _) => pinned,
            (None, Some(interval)) => head.saturating_add(interval).saturating_add(self.increase),
            (None, None) => wall.saturating_add_signed(self.offset).max(head),
        }
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default()
}

/// What `evm_snapshot` saves.
struct Saved {
    chain: Snapshot,
    head: u64,
    clock: Clock,
}

/// Everything `--state` saves.
#[derive(Serialize, Deserialize)]
pub struct Persisted {
    /// Accounts, activations and block environment.
    pub chain: Snapshot,
    /// Blocks and transactions.
    pub ledger: Ledger,
    /// The clock.
    pub clock: Clock,
}

/// A chain with automining (one block per transaction).
pub struct Devnet {
    chain: Chain,
    ledger: Ledger,
    clock: Clock,
    accounts: Vec<DevAccount>,
    impersonated: HashSet<Address>,
    snapshots: BTreeMap<u64, Saved>,
    next_snapshot: u64,
    /// Timestamp given to the pending block (shared with the read views).
    pending: Pending,
    /// Print one line per mined transaction.
    pub log_transactions: bool,
    /// The state and block before each of the latest [`TRACEABLE_TXS`]
    /// transactions, by hash (the view published before it, shared).
    pre_states: VecDeque<(B256, ChainView, BlockEnv)>,
    /// L1 price per calldata unit in wei (`--l1-price-per-unit`; 0: no poster gas).
    pub l1_price_per_unit: U256,
}

fn tx_error(error: TxError) -> RpcError {
    RpcError::server(error)
}

impl Devnet {
    /// A fresh chain whose dev `accounts` hold `balance` each, with the
    /// CREATE2 factory at its standard address and nitro's placeholder code
    /// at the ArbOS precompiles.
    pub fn new(chain_id: u64, accounts: Vec<DevAccount>, balance: U256) -> Self {
        let mut chain = Chain::new(chain_id);
        accounts.iter().for_each(|account| chain.set_balance(account.address, balance));
        super::genesis::install_create2_factory(&mut chain);
        super::genesis::install_precompile_code(&mut chain);
        let ledger = Ledger::new(now(), chain.base_fee());
        Self::with(chain, ledger, Clock::default(), accounts)
    }

    /// A chain restored from `saved` (see [`Devnet::persist`]).
    pub fn restore(chain_id: u64, saved: Persisted, accounts: Vec<DevAccount>) -> Self {
        let mut chain = Chain::new(chain_id);
        chain.restore(saved.chain);
        Self::with(chain, saved.ledger, saved.clock, accounts)
    }

    fn with(chain: Chain, ledger: Ledger, clock: Clock, accounts: Vec<DevAccount>) -> Self {
        let impersonated = HashSet::new();
        Self {
            chain,
            ledger,
            clock,
            accounts,
            impersonated,
            snapshots: BTreeMap::new(),
            next_snapshot: 1,
            pending: Pending::default(),
            log_transactions: false,
            pre_states: VecDeque::new(),
            l1_price_per_unit: U256::ZERO,
        }
    }

    /// The state to save on shutdown.
    pub fn persist(&self) -> Persisted {
        Persisted { chain: self.chain.snapshot(), ledger: self.ledger.clone(), clock: self.clock }
    }

    /// What reads need now (the committed state, the head, the clock),
    /// shareable with threads that do not hold this devnet: made when the
    /// state changed, shared otherwise.
    pub fn read_view(&mut self) -> ReadView {
        self.chain.view();
        self.current_read_view().expect("the chain's view was just made")
    }

    /// [`Devnet::read_view`] if it needs no new copy of the state.
    pub fn current_read_view(&self) -> Option<ReadView> {
        let head = self.ledger.head();
        Some(ReadView {
            head: (head.number, head.hash, head.timestamp),
            chain: self.chain.current_view()?,
            clock: self.clock,
            l1_price_per_unit: self.l1_price_per_unit,
            pending: self.pending.clone(),
        })
    }

    /// The execution core, for reads.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The mined history.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The dev accounts.
    pub fn accounts(&self) -> &[DevAccount] {
        &self.accounts
    }

    /// Points the execution core at the next block; its timestamp (see
    /// [`Pending::timestamp`]), once chosen, holds for a few seconds or until
    /// a block is mined or the clock is changed.
    fn start_pending_block(&mut self) -> u64 {
        let head = self.ledger.head();
        let timestamp = self.pending.timestamp((head.hash, head.timestamp), &self.clock);
        self.chain.start_block(self.ledger.head().number + 1, timestamp);
        timestamp
    }

    /// Fails unless `block` is the head: the devnet keeps no historical state.
    pub fn require_latest(&self, block: Option<BlockId>) -> Result<(), RpcError> {
        let head = self.ledger.head();
        match block {
            None | Some(BlockId::Latest) => Ok(()),
            Some(BlockId::Number(n)) if n == head.number => Ok(()),
            Some(BlockId::Hash(h)) if h == head.hash => Ok(()),
            Some(other) => Err(RpcError::server(format!(
                "state of block {other:?} is not kept: only the latest block ({}) can be queried",
                head.number
            ))),
        }
    }

    /// The block named by `id`, if mined.
    pub fn block(&self, id: BlockId) -> Option<&Block> {
        match id {
            BlockId::Latest => Some(self.ledger.head()),
            BlockId::Number(n) => self.ledger.block(n),
            BlockId::Hash(h) => self.ledger.block_by_hash(h),
        }
    }

    /// Mines an empty block.
    pub fn mine(&mut self) {
        let timestamp = self.start_pending_block();
        self.finish_block(timestamp, None);
    }

    fn finish_block(&mut self, timestamp: u64, tx: Option<(SignedTx, Receipt, U256)>) {
        self.pending.clear();
        self.clock.increase = 0;
        if self.clock.next.take().is_some() {
            // Later blocks continue from the pinned time.
            self.clock.offset = timestamp as i64 - now() as i64;
        }
        self.ledger.push(timestamp, self.chain.base_fee(), tx);
    }

    /// Checks and mines a signed (or impersonated) transaction.
    pub fn send(&mut self, tx: SignedTx) -> Result<B256, RpcError> {
        let chain_id = self.chain.chain_id();
        if let Some(id) = tx.chain_id.filter(|id| *id != chain_id) {
            return Err(RpcError::server(format!("invalid chain id: transaction for chain {id}, node is {chain_id}")));
        }
        if self.ledger.tx(tx.hash).is_some() {
            return Err(RpcError::server("already known"));
        }
        if tx.max_priority_fee.is_some_and(|tip| tip > tx.max_fee) {
            return Err(RpcError::server("max priority fee per gas higher than max fee per gas"));
        }
        // Gas limit, nonce, price and balance: the core's validation stage refuses (`stages::validate`).
        let base_fee = self.chain.base_fee();
        let timestamp = self.start_pending_block();
        let price = tx.effective_gas_price(base_fee);
        let (pre_state, pre_block) = (self.chain.view(), self.chain.block().clone());
        let receipt = self.chain.transact(self.core_tx(&tx, price)).map_err(tx_error)?;
        if self.pre_states.len() == TRACEABLE_TXS {
            self.pre_states.pop_front();
        }
        self.pre_states.push_back((tx.hash, pre_state, pre_block));
        if self.log_transactions {
            let status = if receipt.status { "ok".to_string() } else { format!("reverted {}", receipt.output) };
            println!("block {}: tx {} from {}, gas used {}, {status}", self.ledger.head().number + 1, tx.hash, tx.from, receipt.gas_used);
        }
        let hash = tx.hash;
        self.finish_block(timestamp, Some((tx, receipt, price)));
        Ok(hash)
    }

    /// Leaves the chain as nitro-devnode's setup leaves a devnode: dev account
    /// 0 a chain owner and cache manager, ArbOS's L1 price per unit 0, and a
    /// CacheManager contract that dev account 0 deploys (a mined transaction,
    /// its nonce 0) and that is registered as the last cache manager, the one
    /// cargo-stylus's `cache` commands use. Returns the CacheManager's address.
    pub fn configure_as_devnode(&mut self) -> Result<Address, RpcError> {
        let owner =
            self.accounts.first().map(|account| account.address).ok_or_else(|| RpcError::server("a devnode needs a dev account"))?;
        self.chain.configure_as_devnode(owner);
        let manager = owner.create(self.chain.nonce(owner));
        let deploy = CallRequest { from: Some(owner), input: Some(super::genesis::cache_manager_init_code()), ..CallRequest::default() };
        self.send_unsigned(&deploy)?;
        if self.chain.code(manager).is_empty() {
            return Err(RpcError::server("the CacheManager deployment failed"));
        }
        self.chain.add_cache_manager(manager);
        Ok(manager)
    }

    /// `eth_sendTransaction`: fills defaults, signs with the dev key (or
    /// impersonates) and mines.
    pub fn send_unsigned(&mut self, request: &CallRequest) -> Result<B256, RpcError> {
        let from = request.from.ok_or_else(|| RpcError::invalid_params("\"from\" is required"))?;
        let key = self.accounts.iter().find(|a| a.address == from).map(|a| a.key.clone());
        if key.is_none() && !self.impersonated.contains(&from) {
            return Err(RpcError::server(format!("no key for {from}: not a dev account; impersonate it first")));
        }
        let gas = match request.gas {
            Some(gas) => gas,
            None => self.estimate_gas(request, None)?,
        };
        let base_fee = self.chain.base_fee();
        let (max_fee, tip) = match (request.gas_price, request.max_fee_per_gas) {
            (Some(price), _) => (price, price.saturating_sub(base_fee)),
            (None, max_fee) => (max_fee.unwrap_or(base_fee * U256::from(2)), request.max_priority_fee_per_gas.unwrap_or_default()),
        };
        let unsigned = UnsignedTx {
            chain_id: self.chain.chain_id(),
            nonce: request.nonce.unwrap_or_else(|| self.chain.nonce(from)),
            max_fee,
            max_priority_fee: tip.min(max_fee),
            gas,
            to: request.to,
            value: request.value.unwrap_or_default(),
            input: request.calldata()?,
            access_list: request.access_list.clone().unwrap_or_default(),
        };
        let tx = match key {
            Some(key) => super::signed::decode(&unsigned.sign(&key)).map_err(RpcError::internal)?,
            None => unsigned.impersonated(from),
        };
        self.send(tx)
    }

    /// The execution core's transaction for `tx` paying `price` per gas.
    fn core_tx(&self, tx: &SignedTx, price: U256) -> Tx {
        let poster_gas = l1::poster_gas(self.l1_price_per_unit, l1::signed_units(tx), self.chain.base_fee(), false);
        Tx {
            from: tx.from,
            to: tx.to,
            data: tx.input.clone(),
            value: tx.value,
            gas: tx.gas,
            nonce: Some(tx.nonce),
            gas_price: Some(price),
            max_fee: Some(tx.max_fee),
            access_list: core_access_list(&tx.access_list),
            poster_gas,
        }
    }

    /// `eth_call`: executes on the head state (with `overrides`) and keeps nothing.
    pub fn call(&mut self, request: &CallRequest, overrides: Option<&StateOverrides>) -> Result<Receipt, RpcError> {
        self.read_view().call(request, overrides, false)
    }

    /// `debug_traceTransaction`: replays mined transaction `hash` on the
    /// state before it, reporting to `tracer`; the head state is untouched.
    pub fn trace_transaction(&mut self, hash: B256, tracer: Box<dyn Tracer>) -> Result<Value, RpcError> {
        let mined = self.ledger.tx(hash).ok_or_else(|| RpcError::server(format!("transaction {hash} not found")))?;
        let tx = Tx { poster_gas: mined.gas_used_for_l1, ..self.core_tx(&mined.tx, mined.effective_gas_price) };
        let Some((_, pre_state, pre_block)) = self.pre_states.iter().rev().find(|(h, _, _)| *h == hash) else {
            return Err(RpcError::server(format!(
                "the state before transaction {hash} is not kept (only the latest {TRACEABLE_TXS} transactions of this run can be traced)"
            )));
        };
        let (head, head_block) = (self.chain.view(), self.chain.block().clone());
        self.chain.restore_view(pre_state, pre_block.clone());
        let traced = self.chain.trace(tx, tracer, true);
        self.chain.restore_view(&head, head_block);
        traced.map(|(_, trace)| trace).map_err(tx_error)
    }

    /// `debug_traceCall`: executes `request` as `eth_call` does, reporting to `tracer`.
    pub fn trace_call(&mut self, request: &CallRequest, tracer: Box<dyn Tracer>) -> Result<Value, RpcError> {
        let gas = request.gas.unwrap_or(BLOCK_GAS_LIMIT).min(BLOCK_GAS_LIMIT);
        let tx = call_tx(self.l1_price_per_unit, self.chain.base_fee(), request, gas, false)?;
        self.start_pending_block();
        self.chain.trace(tx, tracer, false).map(|(_, trace)| trace).map_err(tx_error)
    }

    /// `eth_estimateGas`: the smallest gas limit with which the transaction
    /// succeeds (binary search, each candidate really executed), searched up
    /// to the request's gas, the block gas limit and, when the request names
    /// a fee, what the sender's balance can pay for.
    pub fn estimate_gas(&mut self, request: &CallRequest, overrides: Option<&StateOverrides>) -> Result<u64, RpcError> {
        let cap = request.gas.unwrap_or(BLOCK_GAS_LIMIT).min(BLOCK_GAS_LIMIT).min(self.affordable_gas(request, overrides));
        let view = self.read_view();
        let at = |gas: u64| view.call(&CallRequest { gas: Some(gas), ..request.clone() }, overrides, true);
        let access_list = core_access_list(request.access_list.as_deref().unwrap_or_default());
        let floor = intrinsic_gas(&request.calldata()?) + access_list_gas(&access_list);
        if cap < floor {
            return Err(RpcError::server(format!("gas required exceeds allowance ({cap})")));
        }
        let first = at(cap)?;
        if !first.status {
            // As geth: only running out of gas means the allowance is too small.
            if first.error == Some(Halt::OutOfGas) {
                return Err(RpcError::server(format!("gas required exceeds allowance ({cap})")));
            }
            return Err(RpcError::failed(first.error, &first.output));
        }
        // `lo` fails (or is below the floor), `hi` succeeds.
        let mut lo = first.gas_used.saturating_sub(1).max(floor - 1);
        // Usually the gas used is itself enough (no call needed the 1/64 held
        // back); no smaller limit can succeed, so it is the answer.
        if lo + 1 < cap && at(lo + 1).is_ok_and(|r| r.status) {
            return Ok(lo + 1);
        }
        let mut hi = cap;
        let guess = (first.gas_used * 64 / 63).max(first.gas_used + 1);
        if guess < hi && at(guess).is_ok_and(|r| r.status) {
            hi = guess;
        }
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            if at(mid).is_ok_and(|r| r.status) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    }

    /// Most gas the sender of `request` can pay for at the fee it names
    /// (unlimited when it names none, as for `eth_call`).
    fn affordable_gas(&self, request: &CallRequest, overrides: Option<&StateOverrides>) -> u64 {
        let fee = request.max_fee_per_gas.or(request.gas_price).unwrap_or_default();
        if fee.is_zero() {
            return u64::MAX;
        }
        let from = request.from.unwrap_or_default();
        let overridden = overrides.and_then(|o| o.get(&from)).and_then(|account| account.balance);
        let balance = overridden.unwrap_or_else(|| self.chain.balance(from));
        let available = balance.saturating_sub(request.value.unwrap_or_default());
        u64::try_from(available / fee).unwrap_or(u64::MAX)
    }

    /// Lets `eth_sendTransaction` send from `address` without its key (or stops it).
    pub fn impersonate(&mut self, address: Address, on: bool) {
        if on {
            self.impersonated.insert(address);
        } else {
            self.impersonated.remove(&address);
        }
    }

    /// Execution core for cheats that change state outside transactions.
    pub fn chain_mut(&mut self) -> &mut Chain {
        &mut self.chain
    }

    /// `evm_increaseTime`: moves the clock forward; returns the total offset.
    pub fn increase_time(&mut self, seconds: u64) -> i64 {
        self.pending.clear();
        self.clock.increase = self.clock.increase.saturating_add(seconds);
        self.clock.offset = self.clock.offset.saturating_add(seconds as i64);
        self.clock.offset
    }

    /// `anvil_setBlockTimestampInterval` (`Some`) and
    /// `anvil_removeBlockTimestampInterval` (`None`): each next block's
    /// timestamp is the last one's plus `interval` (and any
    /// `evm_increaseTime` since), or follows the wall clock again. Returns
    /// the interval it replaced.
    pub fn set_timestamp_interval(&mut self, interval: Option<u64>) -> Option<u64> {
        self.pending.clear();
        if interval.is_none() && self.clock.interval.is_some() {
            // The wall clock resumes from the last block's time.
            self.clock.offset = self.ledger.head().timestamp as i64 - now() as i64;
        }
        std::mem::replace(&mut self.clock.interval, interval)
    }

    /// `evm_setNextBlockTimestamp`: pins the next block's timestamp.
    pub fn set_next_timestamp(&mut self, timestamp: u64) -> Result<(), RpcError> {
        let head = self.ledger.head().timestamp;
        if timestamp < head {
            return Err(RpcError::server(format!("timestamp {timestamp} is before the latest block's ({head})")));
        }
        self.clock.next = Some(timestamp);
        self.pending.clear();
        Ok(())
    }

    /// `evm_snapshot`: saves the chain; returns the snapshot id.
    pub fn snapshot(&mut self) -> u64 {
        let id = self.next_snapshot;
        self.next_snapshot += 1;
        let saved = Saved { chain: self.chain.snapshot(), head: self.ledger.head().number, clock: self.clock };
        self.snapshots.insert(id, saved);
        id
    }

    /// `evm_revert`: returns to snapshot `id` (dropping it and later ones);
    /// false if there is no such snapshot.
    pub fn revert(&mut self, id: u64) -> bool {
        let Some(saved) = self.snapshots.remove(&id) else {
            return false;
        };
        self.snapshots.retain(|later, _| *later < id);
        self.chain.restore(saved.chain);
        self.ledger.truncate(saved.head);
        self.clock = saved.clock;
        self.pending.clear();
        true
    }
}
