//! Keel's StrategyManager: where restaked tokens live.
//!
//! Each whitelisted ERC-20 (an LST such as stETH) has one strategy, keyed by
//! the token's address. A deposit mints strategy shares against the tokens
//! actually received (so fee-on-transfer tokens cannot over-credit), priced by
//! [`keel_math::shares`] with virtual offsets so a first-depositor donation
//! attack loses the attacker money. The strategy's assets are its live token
//! balance, so a rebasing token's yield accrues to share holders.
//!
//! Shares recorded here are *deposit shares*. The DelegationManager owns what
//! they are worth after slashing and is the only way out: it removes deposit
//! shares when a withdrawal is queued, and later either re-credits them or
//! redeems the (slashed) withdrawable shares for tokens. Slashed shares are
//! recorded for a recipient (a burn address or a redistribution recipient) and
//! paid out by a separate permissionless call, so a token that refuses the
//! transfer can never block a slash.
//!
//! Call graph: StrategyManager → token, StrategyManager → DelegationManager
//! (deposit hook). The DelegationManager never calls back within that hook, so
//! no contract is re-entered.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

pub mod errors;
mod migration;
mod strategy_list;

use alloc::vec::Vec;
use alloy_primitives::{aliases::U64, Address, Bytes, B256, U256};
use errors::*;
use keel_components::{
    access::{Access, ZeroAddress},
    calls::{call_or_revert, decode_output},
    emit, revert,
    signature::is_signed_by,
    token::{balance_of, safe_transfer, safe_transfer_from, try_permit},
    Revert, BURN_ADDRESS,
};
use keel_math::{
    eip712::{deposit_struct_hash, domain_separator, typed_data_digest},
    shares::{shares_for_deposit, underlying_for_shares},
};
use strategy_list::StrategyList;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageUint},
};

/// Most strategies one staker may hold shares in (bounds every per-staker loop).
pub const MAX_STAKER_STRATEGIES: usize = 32;
/// Pause flag of deposits.
pub const PAUSED_DEPOSITS: u8 = 0;
/// Pause flag of share redemptions for tokens (slashed-share payouts and
/// migrations included).
pub const PAUSED_WITHDRAWALS: u8 = 1;
/// Pause flag of slashed-share payouts alone: slashes are still recorded
/// and escrowed, only their payment waits.
pub const PAUSED_SLASH_PAYOUTS: u8 = 2;
/// Shortest slash escrow the owner may set: one day to notice a bad slash
/// and pause its payout.
pub const MIN_SLASH_ESCROW_DELAY: u64 = 86_400;
/// Longest slash escrow the owner may set (a recipient is paid within it).
pub const MAX_SLASH_ESCROW_DELAY: u64 = 30 * 86_400;
/// Slash escrow of a new StrategyManager: four days.
pub const DEFAULT_SLASH_ESCROW_DELAY: u64 = 4 * 86_400;
/// EIP-712 domain name.
pub const DOMAIN_NAME: &str = "Keel StrategyManager";
/// EIP-712 domain version.
pub const DOMAIN_VERSION: &str = "1";

/// The DelegationManager's published interface (`make abi`); the StrategyManager
/// calls its hook `increaseDelegatedShares` (credit the added shares to the
/// staker's operator; returns whether the staker is delegated).
mod delegation_manager {
    alloy_sol_types::sol!("../../abi/DelegationManager.sol");
}
use delegation_manager::IDelegationManager::{delegatedToCall, increaseDelegatedSharesCall};

alloy_sol_types::sol! {
    /// The successor's entry point for migrated stake ([`StrategyManager::migrate_in`]).
    function migrateIn(address staker, address token, uint256 amount) external returns (uint256);
}

/// One token's strategy. The flags and the deposit cap share a word, so a
/// deposit reads one cold slot for them: the cap is held in 240 bits, and
/// [`NO_CAP`] or more means no cap (read back as `U256::MAX`).
#[storage]
pub struct Strategy {
    listed: StorageBool,
    whitelisted: StorageBool,
    cap: StorageUint<240, 4>,
    total_shares: StorageU256,
}

/// Stored cap meaning "no cap": 2^240 − 1, more than any token balance.
pub const NO_CAP: U256 = U256::from_limbs([u64::MAX, u64::MAX, u64::MAX, 0xffff_ffff_ffff]);

impl Strategy {
    /// The deposit cap in tokens (`U256::MAX`: none).
    fn cap(&self) -> U256 {
        let cap = U256::from(self.cap.get());
        if cap == NO_CAP {
            U256::MAX
        } else {
            cap
        }
    }

    /// Sets the deposit cap; any cap of [`NO_CAP`] or more is no cap.
    fn set_cap(&mut self, cap: U256) {
        self.cap.set(cap.min(NO_CAP).to());
    }
}

/// Storage of the StrategyManager.
#[storage]
pub struct StrategyManager {
    access: Access,
    delegation_manager: StorageAddress,
    /// Seconds slashed shares wait before they can be paid. Packed into the
    /// DelegationManager's slot, which every slash reads anyway.
    slash_escrow_delay: StorageU64,
    strategies: StorageMap<Address, Strategy>,
    deposit_shares: StorageMap<Address, StorageMap<Address, StorageU256>>,
    staker_strategies: StorageMap<Address, StrategyList>,
    nonces: StorageMap<Address, StorageU256>,
    /// token → recipient → slashing AVS ([`escrow_avs`]) → slashed shares
    /// awaiting payment and the time from which they may be paid, as
    /// [`recorded`] and [`releasable_at`] read them.
    slashed_shares: StorageMap<Address, StorageMap<Address, StorageMap<Address, StorageU256>>>,
    /// The StrategyManager stakers may migrate to ([`StrategyManager::migrate`]), once named.
    successor: StorageAddress,
    /// The StrategyManager allowed to migrate stake in, once named.
    predecessor: StorageAddress,
}

/// Most shares one slashed-shares record holds (2^192 − 2): far above any
/// token's supply; a slash beyond it is recorded up to it, never refused.
const MAX_RECORDED: U256 = U256::from_limbs([u64::MAX - 1, u64::MAX, u64::MAX, 0]);

/// The shares a slashed-shares record holds: zero for a record never
/// opened, else its low 192 bits minus one. A record stays open (at least
/// one) once paid out, so a later slash updates its slot instead of
/// creating one.
fn recorded(word: U256) -> U256 {
    (word & (MAX_RECORDED + U256::from(1))).saturating_sub(U256::from(1))
}

/// The time from which a record's shares may be paid (its high 64 bits).
fn releasable_at(word: U256) -> u64 {
    (word >> 192usize).to::<u64>()
}

/// The AVS key of the escrow record a slash by `avs` for `recipient` goes
/// into. Redistributions are kept per AVS, so one AVS re-slashing into a
/// recipient's record cannot hold what another AVS's slashes owe it; burns
/// share one record (key zero), since holding a burn harms nobody.
fn escrow_avs(recipient: Address, avs: Address) -> Address {
    if recipient == BURN_ADDRESS {
        Address::ZERO
    } else {
        avs
    }
}

/// A record holding `shares` (at most [`MAX_RECORDED`]), payable from `releasable_at`.
fn record(shares: U256, releasable_at: u64) -> U256 {
    (U256::from(releasable_at) << 192) | (shares.min(MAX_RECORDED) + U256::from(1))
}

// SAFETY: `StrategyManager` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for StrategyManager {}

keel_components::contract_abi! {
    StrategyManager: "IStrategyManager", access: access, constructor(owner: Address) => constructor, batch: multicall,
        items: [errors::StrategyManagerAbi, keel_components::access::AccessControlAbi, keel_components::calls::CallsAbi];
    write addStrategy(token: Address, cap: U256) => add_strategy;
    write setStrategyWhitelisted(token: Address, whitelisted: bool) => set_strategy_whitelisted;
    write setDepositCap(token: Address, cap: U256) => set_deposit_cap;
    write setDelegationManager(delegationManager: Address) => set_delegation_manager;
    write depositIntoStrategy(token: Address, amount: U256) -> (U256) => deposit_into_strategy;
    write depositIntoStrategyWithPermit(token: Address, amount: U256, deadline: U256, v: u8, r: B256, s: B256) -> (U256)
        => deposit_into_strategy_with_permit;
    write depositIntoStrategyWithSignature(staker: Address, token: Address, amount: U256, expiry: U256, signature: Bytes) -> (U256)
        => deposit_into_strategy_with_signature;
    write clearSlashedShares(token: Address, recipient: Address, avs: Address) -> (U256) => clear_slashed_shares;
    write addShares(staker: Address, token: Address, shares: U256) -> (U256) => add_shares;
    write stakerDelegated(staker: Address) -> (Vec<Address>, Vec<U256>) => staker_delegated;
    write removeDepositShares(staker: Address, token: Address, shares: U256) -> (bool) => remove_deposit_shares;
    write withdrawSharesAsTokens(recipient: Address, token: Address, shares: U256) -> (U256) => withdraw_shares_as_tokens;
    write addSlashedShares(token: Address, recipient: Address, avs: Address, shares: U256) => add_slashed_shares;
    write setSlashEscrowDelay(delay: u64) => set_slash_escrow_delay;
    write setSuccessor(successor: Address) => set_successor;
    write setPredecessor(predecessor: Address) => set_predecessor;
    write migrate(token: Address) -> (U256) => migrate;
    write migrateIn(staker: Address, token: Address, amount: U256) -> (U256) => migrate_in;
    view stakerDepositShares(staker: Address, token: Address) -> (U256) => staker_deposit_shares;
    view getStakerStrategyList(staker: Address) -> (Vec<Address>) => get_staker_strategy_list;
    view stakerStrategyListLength(staker: Address) -> (U256) => staker_strategy_list_length;
    view strategyInfo(token: Address) -> (bool, bool, U256, U256) => strategy_info;
    view totalShares(token: Address) -> (U256) => total_shares;
    view sharesToUnderlying(token: Address, shares: U256) -> (U256) => shares_to_underlying;
    view underlyingToShares(token: Address, amount: U256) -> (U256) => underlying_to_shares;
    view slashEscrow(token: Address, recipient: Address, avs: Address) -> (U256, u64) => slash_escrow;
    view slashEscrowDelay() -> (u64) => slash_escrow_delay;
    view nonces(staker: Address) -> (U256) => nonces;
    view domainSeparator() -> (B256) => domain_separator;
    view delegationManager() -> (Address) => delegation_manager;
    view migrationPeers() -> (Address, Address) => migration_peers;
}

impl StrategyManager {
    /// Sets the owner (also first pauser and unpauser) and the slash escrow
    /// to [`DEFAULT_SLASH_ESCROW_DELAY`].
    pub fn constructor(&mut self, owner: Address) -> Result<(), Revert> {
        self.slash_escrow_delay.set(U64::from(DEFAULT_SLASH_ESCROW_DELAY));
        self.access.init(owner)
    }

    // ----- owner configuration -----

    /// Owner gives `token` a strategy open to deposits up to `cap` tokens.
    pub fn add_strategy(&mut self, token: Address, cap: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        if token.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let mut strategy = self.strategies.setter(token);
        if strategy.listed.get() {
            return Err(revert!(StrategyAlreadyExists { token }));
        }
        strategy.listed.set(true);
        strategy.whitelisted.set(true);
        strategy.set_cap(cap);
        // Opens the burn address's record (see `recorded`): the token's first slash updates it.
        self.slashed_shares.setter(token).setter(BURN_ADDRESS).setter(Address::ZERO).set(U256::from(1));
        emit!(self.vm(), StrategyAdded; [token]; [cap]);
        Ok(())
    }

    /// Owner opens or closes `token`'s strategy to deposits (withdrawals always work).
    pub fn set_strategy_whitelisted(&mut self, token: Address, whitelisted: bool) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.listed_strategy(token)?;
        self.strategies.setter(token).whitelisted.set(whitelisted);
        emit!(self.vm(), StrategyWhitelistSet; [token]; [whitelisted]);
        Ok(())
    }

    /// Owner changes `token`'s deposit cap (in tokens held by the strategy).
    pub fn set_deposit_cap(&mut self, token: Address, cap: U256) -> Result<(), Revert> {
        self.access.only_owner()?;
        self.listed_strategy(token)?;
        self.strategies.setter(token).set_cap(cap);
        emit!(self.vm(), DepositCapSet; [token]; [cap]);
        Ok(())
    }

    /// Owner sets how long slashed shares wait in escrow before they can be
    /// paid, between [`MIN_SLASH_ESCROW_DELAY`] and [`MAX_SLASH_ESCROW_DELAY`].
    /// It applies to slashes recorded from now on.
    pub fn set_slash_escrow_delay(&mut self, delay: u64) -> Result<(), Revert> {
        self.access.only_owner()?;
        if !(MIN_SLASH_ESCROW_DELAY..=MAX_SLASH_ESCROW_DELAY).contains(&delay) {
            return Err(revert!(SlashEscrowDelayOutOfBounds { delay, min: MIN_SLASH_ESCROW_DELAY, max: MAX_SLASH_ESCROW_DELAY }));
        }
        self.slash_escrow_delay.set(U64::from(delay));
        emit!(self.vm(), SlashEscrowDelaySet; []; [delay]);
        Ok(())
    }

    /// Owner sets the DelegationManager, once.
    pub fn set_delegation_manager(&mut self, delegation_manager: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        let current = self.delegation_manager.get();
        if !current.is_zero() {
            return Err(revert!(DelegationManagerAlreadySet { current }));
        }
        if delegation_manager.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.delegation_manager.set(delegation_manager);
        emit!(self.vm(), DelegationManagerSet; [delegation_manager]; []);
        Ok(())
    }

    // ----- staker entry points -----

    /// Deposits `amount` of `token` from the caller; returns the shares minted.
    pub fn deposit_into_strategy(&mut self, token: Address, amount: U256) -> Result<U256, Revert> {
        let staker = self.vm().msg_sender();
        self.deposit(staker, staker, token, amount)
    }

    /// Deposits `amount` of `token` from the caller in one transaction, with
    /// the caller's EIP-2612 permit (deadline, `v`, `r`, `s`) standing in for
    /// an approval; returns the shares minted. A permit already used (say,
    /// front-run from the mempool) does not block the deposit: the allowance
    /// it granted is what the transfer needs.
    pub fn deposit_into_strategy_with_permit(
        &mut self,
        token: Address,
        amount: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<U256, Revert> {
        let (staker, this) = (self.vm().msg_sender(), self.vm().contract_address());
        let context = Call::new_mutating(self);
        try_permit(self.vm(), context, token, staker, this, amount, (deadline, v, r, s));
        self.deposit(staker, staker, token, amount)
    }

    /// Deposits `amount` of `token` from the caller for `staker`, who signed
    /// the deposit (EIP-712, with nonce and expiry); returns the shares minted.
    pub fn deposit_into_strategy_with_signature(
        &mut self,
        staker: Address,
        token: Address,
        amount: U256,
        expiry: U256,
        signature: Bytes,
    ) -> Result<U256, Revert> {
        if U256::from(self.vm().block_timestamp()) > expiry {
            return Err(revert!(SignatureExpired { expiry }));
        }
        let nonce = self.nonces.get(staker);
        let digest = typed_data_digest(self.domain_separator(), deposit_struct_hash(staker, token, amount, nonce, expiry));
        if !is_signed_by(self.vm(), digest, staker, &signature) {
            return Err(revert!(InvalidSignature { staker }));
        }
        self.nonces.setter(staker).set(nonce + U256::from(1));
        let payer = self.vm().msg_sender();
        self.deposit(payer, staker, token, amount)
    }

    /// Pays out the slashed shares of `token` that `avs`'s slashes owe
    /// `recipient` (any `avs` for the burn address, whose record is shared)
    /// once their escrow is over; anyone may call, unless withdrawals or
    /// slash payouts are paused (the shares stay recorded).
    pub fn clear_slashed_shares(&mut self, token: Address, recipient: Address, avs: Address) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_WITHDRAWALS)?;
        self.access.when_not_paused(PAUSED_SLASH_PAYOUTS)?;
        self.access.enter()?;
        let avs = escrow_avs(recipient, avs);
        let word = self.slashed_shares.getter(token).getter(recipient).get(avs);
        let shares = recorded(word);
        if shares.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let releasable_at = releasable_at(word);
        if self.vm().block_timestamp() < releasable_at {
            return Err(revert!(SlashEscrowed { token, recipient, avs, releasableAt: releasable_at }));
        }
        self.slashed_shares.setter(token).setter(recipient).setter(avs).set(U256::from(1));
        let amount = self.redeem(recipient, token, shares)?;
        emit!(self.vm(), SlashedSharesCleared; [token, recipient, avs]; [shares, amount]);
        self.access.exit();
        Ok(amount)
    }

    // ----- DelegationManager entry points -----

    /// Credits `shares` of `token` to `staker` (a withdrawal completed as shares);
    /// returns the staker's previous deposit shares.
    pub fn add_shares(&mut self, staker: Address, token: Address, shares: U256) -> Result<U256, Revert> {
        self.only_delegation_manager()?;
        let previous = self.credit(staker, token, shares)?;
        emit!(self.vm(), SharesAdded; [staker, token]; [shares]);
        Ok(previous)
    }

    /// `staker` delegated: its deposits are reported from now on.
    /// Returns the tokens it holds deposit shares in, and its deposit
    /// shares of each.
    pub fn staker_delegated(&mut self, staker: Address) -> Result<(Vec<Address>, Vec<U256>), Revert> {
        self.only_delegation_manager()?;
        let mut list = self.staker_strategies.setter(staker);
        list.set_reported(true);
        let tokens = list.tokens();
        let deposits = self.deposit_shares.getter(staker);
        let shares = tokens.iter().map(|token| deposits.get(*token)).collect();
        Ok((tokens, shares))
    }

    /// Debits `shares` of `token` from `staker` (a withdrawal being queued);
    /// returns whether the staker has no deposit shares of `token` left.
    pub fn remove_deposit_shares(&mut self, staker: Address, token: Address, shares: U256) -> Result<bool, Revert> {
        self.only_delegation_manager()?;
        if shares.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let have = self.deposit_shares.getter(staker).get(token);
        if have < shares {
            return Err(revert!(InsufficientShares { staker, token, have, want: shares }));
        }
        let left = have - shares;
        self.deposit_shares.setter(staker).setter(token).set(left);
        if left.is_zero() {
            self.staker_strategies.setter(staker).remove(token);
        }
        emit!(self.vm(), SharesRemoved; [staker, token]; [shares]);
        Ok(left.is_zero())
    }

    /// Redeems `shares` of `token` for tokens sent to `recipient` (a withdrawal
    /// completed as tokens); returns the amount sent.
    pub fn withdraw_shares_as_tokens(&mut self, recipient: Address, token: Address, shares: U256) -> Result<U256, Revert> {
        self.only_delegation_manager()?;
        self.access.when_not_paused(PAUSED_WITHDRAWALS)?;
        self.access.enter()?;
        let amount = self.redeem(recipient, token, shares)?;
        emit!(self.vm(), SharesWithdrawn; [recipient, token]; [shares, amount]);
        self.access.exit();
        Ok(amount)
    }

    /// Records `shares` of `token` slashed by `avs` for `recipient`, escrowed
    /// for the slash escrow delay, then paid by [`Self::clear_slashed_shares`].
    /// The shares one AVS's slashes owe a recipient share a record (burns
    /// share one across AVSs), so a new slash holds that record's earlier
    /// shares until its own escrow ends, and never another AVS's.
    pub fn add_slashed_shares(&mut self, token: Address, recipient: Address, avs: Address, shares: U256) -> Result<(), Revert> {
        self.only_delegation_manager()?;
        if recipient.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let avs = escrow_avs(recipient, avs);
        let pending = recorded(self.slashed_shares.getter(token).getter(recipient).get(avs));
        let releasable_at = self.vm().block_timestamp().saturating_add(self.slash_escrow_delay.get().to::<u64>());
        self.slashed_shares.setter(token).setter(recipient).setter(avs).set(record(pending.saturating_add(shares), releasable_at));
        emit!(self.vm(), SlashedSharesAdded; [token, recipient, avs]; [shares, releasable_at]);
        Ok(())
    }

    // ----- views -----

    /// Deposit shares of `staker` in `token`'s strategy.
    pub fn staker_deposit_shares(&self, staker: Address, token: Address) -> U256 {
        self.deposit_shares.getter(staker).get(token)
    }

    /// Tokens whose strategies `staker` holds shares in.
    pub fn get_staker_strategy_list(&self, staker: Address) -> Vec<Address> {
        self.staker_strategies.getter(staker).tokens()
    }

    /// Number of strategies `staker` holds shares in.
    pub fn staker_strategy_list_length(&self, staker: Address) -> U256 {
        U256::from(self.staker_strategies.getter(staker).len())
    }

    /// (listed, whitelisted, total shares, deposit cap) of `token`'s strategy.
    pub fn strategy_info(&self, token: Address) -> (bool, bool, U256, U256) {
        let s = self.strategies.getter(token);
        (s.listed.get(), s.whitelisted.get(), s.total_shares.get(), s.cap())
    }

    /// Total shares issued by `token`'s strategy.
    pub fn total_shares(&self, token: Address) -> U256 {
        self.strategies.getter(token).total_shares.get()
    }

    /// Tokens `shares` of `token`'s strategy are worth now (rounded down).
    pub fn shares_to_underlying(&self, token: Address, shares: U256) -> Result<U256, Revert> {
        let balance = self.strategy_balance(token)?;
        Ok(underlying_for_shares(shares, self.strategies.getter(token).total_shares.get(), balance))
    }

    /// Shares a deposit of `amount` of `token` would mint now (rounded down).
    pub fn underlying_to_shares(&self, token: Address, amount: U256) -> Result<U256, Revert> {
        let balance = self.strategy_balance(token)?;
        shares_for_deposit(amount, self.strategies.getter(token).total_shares.get(), balance).ok_or(revert!(MathOverflow {}))
    }

    /// Slashed shares of `token` that `avs`'s slashes owe `recipient` (any
    /// `avs` for the burn address), and the time from which they may be paid.
    pub fn slash_escrow(&self, token: Address, recipient: Address, avs: Address) -> (U256, u64) {
        let word = self.slashed_shares.getter(token).getter(recipient).get(escrow_avs(recipient, avs));
        (recorded(word), releasable_at(word))
    }

    /// Seconds slashed shares wait in escrow.
    pub fn slash_escrow_delay(&self) -> u64 {
        self.slash_escrow_delay.get().to()
    }

    /// Next signed-deposit nonce of `staker`.
    pub fn nonces(&self, staker: Address) -> U256 {
        self.nonces.get(staker)
    }

    /// EIP-712 domain separator of signed deposits.
    pub fn domain_separator(&self) -> B256 {
        domain_separator(DOMAIN_NAME, DOMAIN_VERSION, self.vm().chain_id(), self.vm().contract_address())
    }

    /// The DelegationManager, or zero before it is set.
    pub fn delegation_manager(&self) -> Address {
        self.delegation_manager.get()
    }
}

impl StrategyManager {
    fn only_delegation_manager(&self) -> Result<(), Revert> {
        self.access.only(self.delegation_manager.get())
    }

    fn listed_strategy(&self, token: Address) -> Result<(), Revert> {
        if !self.strategies.getter(token).listed.get() {
            return Err(revert!(StrategyNotWhitelisted { token }));
        }
        Ok(())
    }

    fn strategy_balance(&self, token: Address) -> Result<U256, Revert> {
        if !self.strategies.getter(token).listed.get() {
            return Ok(U256::ZERO);
        }
        self.held(token)
    }

    /// This contract's balance of `token`.
    fn held(&self, token: Address) -> Result<U256, Revert> {
        balance_of(self.vm(), token, self.vm().contract_address()).map_err(|_| revert!(TokenTransferFailed { token }))
    }

    /// Pulls `amount` of `token` from `payer`, mints shares to `staker` for what arrived.
    fn deposit(&mut self, payer: Address, staker: Address, token: Address, amount: U256) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_DEPOSITS)?;
        self.access.enter()?;
        if amount.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let strategy = self.strategies.getter(token);
        if !strategy.whitelisted.get() {
            return Err(revert!(StrategyNotWhitelisted { token }));
        }
        let (total_shares, cap) = (strategy.total_shares.get(), strategy.cap());
        let this = self.vm().contract_address();
        let failed = |_| revert!(TokenTransferFailed { token });
        let before = balance_of(self.vm(), token, this).map_err(failed)?;
        let context = Call::new_mutating(self);
        safe_transfer_from(self.vm(), context, token, payer, this, amount).map_err(failed)?;
        let after = balance_of(self.vm(), token, this).map_err(failed)?;
        if after > cap {
            return Err(revert!(DepositCapExceeded { token, cap, balanceAfter: after }));
        }
        let received = after.saturating_sub(before);
        let shares = shares_for_deposit(received, total_shares, before).ok_or(revert!(MathOverflow {}))?;
        if shares.is_zero() {
            return Err(revert!(ZeroSharesMinted { token, amount: received }));
        }
        self.strategies.setter(token).total_shares.set(total_shares + shares);
        let previous = self.credit(staker, token, shares)?;
        emit!(self.vm(), Deposit; [staker, token]; [received, shares]);
        self.notify_delegation(staker, token, previous, shares)?;
        self.access.exit();
        Ok(shares)
    }

    /// Adds deposit shares to `staker`, listing the strategy if new; returns the previous shares.
    fn credit(&mut self, staker: Address, token: Address, shares: U256) -> Result<U256, Revert> {
        if shares.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        if staker.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let previous = self.deposit_shares.getter(staker).get(token);
        if previous.is_zero() {
            let mut list = self.staker_strategies.setter(staker);
            if list.len() >= MAX_STAKER_STRATEGIES {
                return Err(revert!(TooManyStrategies { staker, max: U256::from(MAX_STAKER_STRATEGIES) }));
            }
            list.push(token);
        }
        self.deposit_shares.setter(staker).setter(token).set(previous + shares);
        Ok(previous)
    }

    /// Burns `shares` of `token`'s strategy and sends their value to `recipient`.
    fn redeem(&mut self, recipient: Address, token: Address, shares: U256) -> Result<U256, Revert> {
        let amount = self.burn(recipient, token, shares)?;
        if !amount.is_zero() {
            let context = Call::new_mutating(self);
            safe_transfer(self.vm(), context, token, recipient, amount).map_err(|_| revert!(TokenTransferFailed { token }))?;
        }
        Ok(amount)
    }

    /// Burns `shares` of `token`'s strategy held for `holder`; returns the
    /// tokens they were worth (rounded down), which the caller must send out.
    fn burn(&mut self, holder: Address, token: Address, shares: U256) -> Result<U256, Revert> {
        if shares.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let total = self.strategies.getter(token).total_shares.get();
        if shares > total {
            return Err(revert!(InsufficientShares { staker: holder, token, have: total, want: shares }));
        }
        // Shares exist only in a listed strategy, so its listing need not be read.
        let balance = self.held(token)?;
        let amount = underlying_for_shares(shares, total, balance);
        self.strategies.setter(token).total_shares.set(total - shares);
        Ok(amount)
    }

    /// Tells the DelegationManager (if set) about new deposit shares of a
    /// staker that delegated, until it answers that the staker is no longer
    /// delegated: an undelegated staker's scaling factor is 1e18 (it starts
    /// there, and the DelegationManager resets it when a position empties),
    /// which a deposit leaves as it is, so the report would change nothing.
    /// A staker that never delegated is never reported; delegating
    /// ([`Self::staker_delegated`]) turns the reports on.
    fn notify_delegation(&mut self, staker: Address, token: Address, previous: U256, added: U256) -> Result<(), Revert> {
        if !self.staker_strategies.getter(staker).reported() {
            return Ok(());
        }
        // Only the DelegationManager turns reports on, so it is set.
        let manager = self.delegation_manager.get();
        let data = keel_components::call_data!(increaseDelegatedSharesCall; staker, token, previous, added);
        let context = Call::new_mutating(self);
        let output = call_or_revert(self.vm(), context, manager, &data)?;
        if decode_output::<bool>(&output) == Ok(false) {
            self.staker_strategies.setter(staker).set_reported(false);
        }
        Ok(())
    }
}
