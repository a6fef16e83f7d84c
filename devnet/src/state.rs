//! World state (accounts, storage, logs, activated programs) with a journal
//! so that a failed frame undoes exactly the changes made since it started.

use crate::meter::activation::DataPricer;
use crate::meter::EntryCosts;
use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// One account: balance, nonce, code and persistent storage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Account {
    /// Balance in wei.
    pub balance: U256,
    /// Number of transactions sent or contracts created.
    pub nonce: u64,
    /// Deployed code (Stylus: `EF F0 00 00` + brotli(WASM)); set through
    /// [`State::set_code`], which keeps [`Account::code_hash`] in step.
    code: Bytes,
    /// keccak256 of `code`, computed on first use: every call of a program
    /// looks its code hash up, and hashing 16-24 KB of code each time was a
    /// third of an `eth_call`'s time.
    #[serde(skip)]
    code_hash: std::sync::OnceLock<B256>,
    /// Persistent storage; absent slots read as zero.
    pub storage: WordMap<B256, B256>,
}

impl Account {
    /// keccak256 of the code (of empty code for accounts without code).
    pub fn code_hash(&self) -> B256 {
        *self.code_hash.get_or_init(|| keccak256(&self.code))
    }

    /// The deployed code.
    pub fn code(&self) -> &Bytes {
        &self.code
    }

    /// Replaces the code, forgetting the old code's hash; returns the old code.
    fn replace_code(&mut self, code: Bytes) -> Bytes {
        self.code_hash = std::sync::OnceLock::new();
        std::mem::replace(&mut self.code, code)
    }

    /// The account without its storage (its code hash kept).
    fn clone_without_storage(&self) -> Self {
        let (balance, nonce, code, code_hash) = (self.balance, self.nonce, self.code.clone(), self.code_hash.clone());
        Self { balance, nonce, code, code_hash, storage: WordMap::default() }
    }

    /// True when the account has no balance, nonce or code (EIP-161).
    pub fn is_empty(&self) -> bool {
        self.balance.is_zero() && self.nonce == 0 && self.code.is_empty()
    }
}

/// Where the journal stood when a frame started.
#[derive(Debug, Clone, Copy)]
pub struct Checkpoint {
    journal: usize,
    logs: usize,
}

/// One undoable change.
#[derive(Debug, Clone)]
enum Change {
    AccountCreated(Address),
    Balance(Address, U256),
    Nonce(Address, u64),
    Code(Address, Bytes),
    Storage(Address, B256, Option<B256>),
    Transient(Address, B256, Option<B256>),
    WarmAccount(Address),
    WarmSlot(Address, B256),
    Activated(B256, Option<ActivatedProgram>),
    Refund(i64),
    DataPricer(DataPricer),
}

/// Why a balance transfer was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsufficientBalance {
    /// Balance of the payer.
    pub have: U256,
    /// Amount asked for.
    pub want: U256,
}

/// A Stylus program's activation: ArbWasm's record of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivatedProgram {
    /// Stylus version it was activated against.
    pub version: u16,
    /// Block timestamp of its (latest) activation; programs expire some time after it.
    pub activated_at: u64,
    /// Cached through ArbWasmCache: its frames skip the init cost.
    #[serde(default)]
    pub cached: bool,
    /// Entry costs and size estimate computed at activation (ArbWasm's queries).
    #[serde(default)]
    pub costs: EntryCosts,
}

/// A map keyed by addresses, hashes and slots: values that are already
/// well mixed (or, for precompiles, short), hashed by [`WordHasher`].
pub type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// A set of such keys (see [`WordMap`]).
pub type WordSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

/// FxHash's multiply-and-rotate over 8-byte words, finished with
/// MurmurHash3's 64-bit mix (hashbrown picks buckets by the low bits, which
/// the multiply alone leaves nearly constant for keys that differ only in
/// their last bytes, such as consecutive storage slots): several times
/// faster than the standard library's SipHash on 20- and 32-byte keys. Not
/// resistant to chosen collisions, which a local chain does not need.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        let rest = words.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// The journaled world state of the chain. Serialized, it keeps accounts
/// and activations only (the rest lives within one transaction).
///
/// A state made by [`State::over`] reads through a shared, immutable
/// committed state (a call's view, see [`crate::ChainView`]): an account it
/// writes is copied into its own map without its storage, and a slot it
/// does not hold reads from below. Such a state is thrown away after the
/// call; it is never serialized or published.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    accounts: WordMap<Address, Account>,
    /// The committed state this one reads through, if any (see [`State::over`]).
    #[serde(skip)]
    base: Option<Arc<State>>,
    /// Stylus programs activated, by code hash.
    activated: WordMap<B256, ActivatedProgram>,
    /// Days after activation that programs expire (ArbOS's `expiryDays`
    /// parameter); `None`: they never do (the devnet's default).
    #[serde(default)]
    program_expiry_days: Option<u16>,
    /// ArbOS's activation data pricer.
    #[serde(default)]
    data_pricer: DataPricer,
    #[serde(skip)]
    logs: Vec<Log>,
    #[serde(skip)]
    journal: Vec<Change>,
    #[serde(skip)]
    transient: WordMap<(Address, B256), B256>,
    #[serde(skip)]
    warm_accounts: WordSet<Address>,
    #[serde(skip)]
    warm_slots: WordSet<(Address, B256)>,
    /// Slot values as they were when the transaction started (for SSTORE pricing).
    #[serde(skip)]
    original: WordMap<(Address, B256), B256>,
    /// The transaction's gas refund counter (EIP-3529), journaled as in geth.
    #[serde(skip)]
    refund: i64,
}

impl State {
    /// A state over `base` that reads through it and keeps its own changes,
    /// leaving `base` untouched: what a call runs on, so calls run side by
    /// side on one shared committed state. Activations and ArbOS's pricer
    /// are copied (a few entries); accounts are copied on first write.
    pub fn over(base: Arc<State>) -> Self {
        let parameters = base.parameters();
        Self { activated: base.activated.clone(), base: Some(base), ..parameters }
    }

    /// A copy of the committed part (accounts, activations, ArbOS's pricer
    /// and expiry), without the current transaction's journal, logs, access
    /// lists or transient storage. Of a state made by [`State::over`], the
    /// state it reads through with its own changes applied.
    pub fn committed(&self) -> State {
        let Some(base) = self.base.as_deref() else {
            let accounts = self.accounts.clone();
            return State { accounts, activated: self.activated.clone(), ..self.parameters() };
        };
        let mut accounts = base.committed().accounts;
        for (address, account) in &self.accounts {
            let merged = accounts.entry(*address).or_default();
            let storage = std::mem::take(&mut merged.storage);
            *merged = account.clone_without_storage();
            merged.storage = storage;
            merged.storage.extend(account.storage.iter().map(|(key, value)| (*key, *value)));
        }
        State { accounts, activated: self.activated.clone(), ..self.parameters() }
    }

    /// An empty state with this one's program expiry and activation pricer.
    fn parameters(&self) -> State {
        State { program_expiry_days: self.program_expiry_days, data_pricer: self.data_pricer, ..State::default() }
    }

    /// The account at `address`, if it exists. In a state made by
    /// [`State::over`], its `storage` holds only the slots written here:
    /// read slots with [`State::storage`].
    pub fn account(&self, address: Address) -> Option<&Account> {
        self.accounts.get(&address).or_else(|| self.base.as_deref()?.account(address))
    }

    /// True when an account exists at `address` and is not empty.
    pub fn exists(&self, address: Address) -> bool {
        self.account(address).is_some_and(|a| !a.is_empty())
    }

    fn account_mut(&mut self, address: Address) -> &mut Account {
        if !self.accounts.contains_key(&address) {
            match self.base.as_deref().and_then(|base| base.account(address)) {
                // Copied without its storage, whose slots still read from below.
                Some(below) => {
                    let copy = below.clone_without_storage();
                    self.accounts.insert(address, copy);
                }
                None => self.journal.push(Change::AccountCreated(address)),
            }
        }
        self.accounts.entry(address).or_default()
    }

    /// Balance of `address` (zero if absent).
    pub fn balance(&self, address: Address) -> U256 {
        self.account(address).map(|a| a.balance).unwrap_or_default()
    }

    /// Sets the balance of `address`.
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        let account = self.account_mut(address);
        let old = std::mem::replace(&mut account.balance, balance);
        self.journal.push(Change::Balance(address, old));
    }

    /// Moves `value` wei from `from` to `to`.
    pub fn transfer(&mut self, from: Address, to: Address, value: U256) -> Result<(), InsufficientBalance> {
        let have = self.balance(from);
        if have < value {
            return Err(InsufficientBalance { have, want: value });
        }
        self.set_balance(from, have - value);
        let to_balance = self.balance(to);
        self.set_balance(to, to_balance + value);
        Ok(())
    }

    /// Nonce of `address` (zero if absent).
    pub fn nonce(&self, address: Address) -> u64 {
        self.account(address).map(|a| a.nonce).unwrap_or_default()
    }

    /// Increments the nonce of `address`, returning the previous one.
    pub fn bump_nonce(&mut self, address: Address) -> u64 {
        let account = self.account_mut(address);
        let old = account.nonce;
        account.nonce += 1;
        self.journal.push(Change::Nonce(address, old));
        old
    }

    /// Sets the nonce of `address`.
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        let account = self.account_mut(address);
        let old = std::mem::replace(&mut account.nonce, nonce);
        self.journal.push(Change::Nonce(address, old));
    }

    /// Code at `address` (empty if absent).
    pub fn code(&self, address: Address) -> Bytes {
        self.account(address).map(|a| a.code.clone()).unwrap_or_default()
    }

    /// Code hash as EXTCODEHASH reports it: zero for empty accounts.
    pub fn code_hash(&self, address: Address) -> B256 {
        match self.account(address) {
            Some(account) if !account.is_empty() => account.code_hash(),
            _ => B256::ZERO,
        }
    }

    /// Installs `code` at `address`.
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        let old = self.account_mut(address).replace_code(code);
        self.journal.push(Change::Code(address, old));
    }

    /// Persistent storage slot `key` of `address`.
    pub fn storage(&self, address: Address, key: B256) -> B256 {
        if let Some(value) = self.accounts.get(&address).and_then(|a| a.storage.get(&key)) {
            return *value;
        }
        self.base.as_deref().map(|base| base.storage(address, key)).unwrap_or_default()
    }

    /// The keys of every slot `address` holds, here or below (some may be zero).
    fn storage_keys(&self, address: Address) -> HashSet<B256> {
        let mut keys = self.base.as_deref().map(|base| base.storage_keys(address)).unwrap_or_default();
        keys.extend(self.accounts.get(&address).into_iter().flat_map(|a| a.storage.keys().copied()));
        keys
    }

    /// Slot value when the current transaction started.
    pub fn original_storage(&self, address: Address, key: B256) -> B256 {
        self.original.get(&(address, key)).copied().unwrap_or_else(|| self.storage(address, key))
    }

    /// Writes persistent storage slot `key` of `address`.
    pub fn set_storage(&mut self, address: Address, key: B256, value: B256) {
        let current = self.storage(address, key);
        self.original.entry((address, key)).or_insert(current);
        let old = self.account_mut(address).storage.insert(key, value);
        self.journal.push(Change::Storage(address, key, old));
    }

    /// Zeroes every persistent storage slot of `address`.
    pub fn clear_storage(&mut self, address: Address) {
        self.storage_keys(address).into_iter().for_each(|key| self.set_storage(address, key, B256::ZERO));
    }

    /// Transient storage slot `key` of `address` (EIP-1153).
    pub fn transient(&self, address: Address, key: B256) -> B256 {
        self.transient.get(&(address, key)).copied().unwrap_or_default()
    }

    /// Writes transient storage slot `key` of `address`.
    pub fn set_transient(&mut self, address: Address, key: B256, value: B256) {
        let old = self.transient.insert((address, key), value);
        self.journal.push(Change::Transient(address, key, old));
    }

    /// Whether `address` is warm in the current transaction (EIP-2929).
    /// Precompiles are warm in every transaction.
    pub fn is_warm_account(&self, address: Address) -> bool {
        crate::precompiles::is_precompile(address) || self.warm_accounts.contains(&address)
    }

    /// Marks `address` warm; returns whether it was cold (EIP-2929).
    pub fn warm_account(&mut self, address: Address) -> bool {
        if crate::precompiles::is_precompile(address) {
            return false;
        }
        let cold = self.warm_accounts.insert(address);
        if cold {
            self.journal.push(Change::WarmAccount(address));
        }
        cold
    }

    /// Marks a slot warm; returns whether it was cold (EIP-2929).
    pub fn warm_slot(&mut self, address: Address, key: B256) -> bool {
        let cold = self.warm_slots.insert((address, key));
        if cold {
            self.journal.push(Change::WarmSlot(address, key));
        }
        cold
    }

    /// Stylus version of the program with `code_hash`, if activated.
    pub fn program_version(&self, code_hash: B256) -> Option<u16> {
        self.program(code_hash).map(|program| program.version)
    }

    /// Version and activation time of the program with `code_hash`, if activated.
    pub fn program(&self, code_hash: B256) -> Option<ActivatedProgram> {
        self.activated.get(&code_hash).copied()
    }

    /// Days after activation that programs expire, if they do.
    pub fn program_expiry_days(&self) -> Option<u16> {
        self.program_expiry_days
    }

    /// Sets the days after activation that programs expire (`None`: never).
    pub fn set_program_expiry_days(&mut self, days: Option<u16>) {
        self.program_expiry_days = days;
    }

    /// Records the activation of the program with `code_hash` against
    /// `version` at `timestamp` with its entry `costs` (a re-activation
    /// restarts its lifetime).
    pub fn set_activated(&mut self, code_hash: B256, version: u16, timestamp: u64, costs: EntryCosts) {
        let cached = self.program(code_hash).is_some_and(|program| program.cached);
        let old = self.activated.insert(code_hash, ActivatedProgram { version, activated_at: timestamp, cached, costs });
        self.journal.push(Change::Activated(code_hash, old));
    }

    /// Marks the activated program with `code_hash` cached or not
    /// (ArbWasmCache); does nothing for a program never activated.
    pub fn set_program_cached(&mut self, code_hash: B256, cached: bool) {
        if let Some(program) = self.activated.get_mut(&code_hash) {
            let old = *program;
            program.cached = cached;
            self.journal.push(Change::Activated(code_hash, Some(old)));
        }
    }

    /// The activation data pricer.
    pub fn data_pricer(&self) -> DataPricer {
        self.data_pricer
    }

    /// Prices an activation of `bytes` (machine-code estimate) at `now`,
    /// adding it to the pricer's demand; returns the data fee in wei.
    pub fn price_activation(&mut self, bytes: u32, now: u64) -> U256 {
        self.journal.push(Change::DataPricer(self.data_pricer));
        self.data_pricer.update(bytes, now)
    }

    /// Appends a log.
    pub fn push_log(&mut self, log: Log) {
        self.logs.push(log);
    }

    /// Removes and returns the logs of the transaction so far.
    pub fn take_logs(&mut self) -> Vec<Log> {
        std::mem::take(&mut self.logs)
    }

    /// Starts a transaction: clears transient storage, access lists and
    /// original slot values; earlier changes can no longer be undone.
    pub fn begin_transaction(&mut self) {
        self.journal.clear();
        self.logs.clear();
        self.transient.clear();
        self.warm_accounts.clear();
        self.warm_slots.clear();
        self.original.clear();
        self.refund = 0;
    }

    /// Adds `delta` (possibly negative) to the transaction's refund counter.
    pub fn add_refund(&mut self, delta: i64) {
        if delta != 0 {
            self.journal.push(Change::Refund(self.refund));
            self.refund += delta;
        }
    }

    /// The transaction's refund counter (geth's `GetRefund`).
    pub fn refund(&self) -> i64 {
        self.refund
    }

    /// Marks the current position of the journal.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { journal: self.journal.len(), logs: self.logs.len() }
    }

    /// Undoes every change made since `checkpoint`.
    pub fn revert_to(&mut self, checkpoint: Checkpoint) {
        self.logs.truncate(checkpoint.logs);
        while self.journal.len() > checkpoint.journal {
            match self.journal.pop().expect("length checked") {
                Change::AccountCreated(a) => {
                    self.accounts.remove(&a);
                }
                Change::Balance(a, old) => self.accounts.entry(a).or_default().balance = old,
                Change::Nonce(a, old) => self.accounts.entry(a).or_default().nonce = old,
                Change::Code(a, old) => {
                    self.accounts.entry(a).or_default().replace_code(old);
                }
                Change::Storage(a, key, old) => {
                    let storage = &mut self.accounts.entry(a).or_default().storage;
                    match old {
                        Some(value) => storage.insert(key, value),
                        None => storage.remove(&key),
                    };
                }
                Change::Transient(a, key, old) => {
                    match old {
                        Some(value) => self.transient.insert((a, key), value),
                        None => self.transient.remove(&(a, key)),
                    };
                }
                Change::Refund(old) => self.refund = old,
                Change::DataPricer(old) => self.data_pricer = old,
                Change::WarmAccount(a) => {
                    self.warm_accounts.remove(&a);
                }
                Change::WarmSlot(a, key) => {
                    self.warm_slots.remove(&(a, key));
                }
                Change::Activated(hash, old) => {
                    match old {
                        Some(program) => self.activated.insert(hash, program),
                        None => self.activated.remove(&hash),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, LogData};

    const A: Address = address!("00000000000000000000000000000000000000aa");
    const B: Address = address!("00000000000000000000000000000000000000bb");

    /// How many of the 4,096 buckets of a 12-bit table `keys` fall in.
    fn low_bits_spread<K: std::hash::Hash>(keys: impl Iterator<Item = K>) -> usize {
        use std::hash::BuildHasher;
        let hasher = BuildHasherDefault::<WordHasher>::default();
        keys.map(|key| hasher.hash_one(key) & 0xfff).collect::<HashSet<_>>().len()
    }

    #[test]
    fn consecutive_slots_and_addresses_spread_over_the_low_bits() {
        // 10,000 keys thrown at random into 4,096 buckets fill ~3,760 of them.
        let slots = low_bits_spread((0..10_000u64).map(|i| B256::from(U256::from(i))));
        let array = low_bits_spread((0..10_000u64).map(|i| B256::from(U256::from_be_bytes(keccak256([7u8]).0) + U256::from(i))));
        let addresses = low_bits_spread((1..10_001u64).map(|i| Address::from_word(B256::from(U256::from(i)))));
        for (keys, spread) in [("slots", slots), ("array elements", array), ("addresses", addresses)] {
            assert!(spread > 3_500, "{keys} fall in {spread} of 4,096 buckets");
        }
    }

    #[test]
    fn revert_undoes_exactly_the_changes_after_the_checkpoint() {
        let mut state = State::default();
        state.set_balance(A, U256::from(100));
        state.set_storage(A, B256::with_last_byte(1), B256::with_last_byte(7));
        let checkpoint = state.checkpoint();

        state.transfer(A, B, U256::from(40)).unwrap();
        state.set_storage(A, B256::with_last_byte(1), B256::with_last_byte(8));
        state.set_storage(A, B256::with_last_byte(2), B256::with_last_byte(9));
        state.set_code(B, Bytes::from_static(&[1, 2, 3]));
        state.bump_nonce(A);
        state.set_activated(B256::with_last_byte(5), 2, 1_000, EntryCosts::default());
        state.push_log(Log { address: A, data: LogData::new_unchecked(vec![], Bytes::new()) });
        state.revert_to(checkpoint);

        assert_eq!(state.balance(A), U256::from(100));
        assert!(state.account(B).is_none(), "account created after the checkpoint is gone");
        assert_eq!(state.storage(A, B256::with_last_byte(1)), B256::with_last_byte(7));
        assert_eq!(state.storage(A, B256::with_last_byte(2)), B256::ZERO);
        assert_eq!(state.nonce(A), 0);
        assert_eq!(state.program_version(B256::with_last_byte(5)), None);
        assert!(state.take_logs().is_empty());
    }

    #[test]
    fn transfer_refuses_overdrafts() {
        let mut state = State::default();
        state.set_balance(A, U256::from(5));
        assert_eq!(state.transfer(A, B, U256::from(6)), Err(InsufficientBalance { have: U256::from(5), want: U256::from(6) }));
        assert_eq!(state.balance(A), U256::from(5));
    }

    #[test]
    fn original_storage_is_the_value_at_transaction_start() {
        let mut state = State::default();
        state.set_storage(A, B256::ZERO, B256::with_last_byte(1));
        state.begin_transaction();
        state.set_storage(A, B256::ZERO, B256::with_last_byte(2));
        assert_eq!(state.original_storage(A, B256::ZERO), B256::with_last_byte(1));
        assert_eq!(state.storage(A, B256::ZERO), B256::with_last_byte(2));
    }
}
