//! Keel's LRT vault: a liquid restaking token over one LST. This crate holds
//! its storage layout and logic; two contracts route to it: `keel-lrt-vault`
//! (tokens, deposits, redemptions) and `keel-lrt-vault-admin` (settings,
//! operator changes, permit), which the vault runs by `delegatecall` on its
//! own storage (see [`extension`]). One struct for both keeps the layouts
//! from drifting apart.
//!
//! Holders deposit the asset and receive LRT (ERC-20 with EIP-2612 permit,
//! ERC-4626 deposits). The vault keeps an idle buffer and restakes the rest
//! through the StrategyManager, delegated to the operator its manager picks.
//!
//! **Accounting.** The vault's holdings are the idle buffer (its token
//! balance less what open requests reserved there, so it follows the
//! asset's rebases both ways: see [`accounting`]), the value of its
//! withdrawable strategy shares (after slashing) and the value of an
//! operator change still in the withdrawal queue. Gains since the last
//! checkpoint (rewards, positive rebases, claimed coordinator rewards, and
//! donations alike) vest linearly before they count, so a donation cannot
//! move the rate at once and a deposit just before a gain cannot capture it;
//! a new gain joins the unvested ones without restarting their schedule.
//! Losses count at once and eat unvested gains first. Conversions carry virtual offsets and never pay above pro rata
//! (see [`keel_math::vault`]). A performance fee on rises of the rate above
//! its high-water mark is minted to the treasury.
//!
//! **Fair exits.** `requestRedeem` burns the LRT, records its value and
//! queues a DelegationManager withdrawal of that value (one per request, so
//! no loop over users); `redeem` completes it after the delay and pays the
//! lower of the recorded value and what the withdrawal paid (slashes during
//! the delay reach the request; later gains stay with the holders). Instant
//! redemption from the buffer costs a capped fee, within a daily limit.
#![cfg_attr(feature = "contract-client-gen", allow(unused_imports))]

extern crate alloc;

pub mod accounting;
mod admin;
pub mod errors;
pub mod extension;
mod redeem;
mod restaking;
mod rewards;
pub mod slash_hold;
pub mod standards;
mod token;

use alloc::string::String;
use alloy_primitives::{aliases::U128, Address, Uint, B256, U256, U64};
use errors::*;
use keel_components::{access::ZeroAddress, allowances::Allowances, emit, revert, short_string::ShortString, Access, Revert};
use keel_math::{
    eip712::hash_words,
    mul_div,
    vault::{fee_shares, rate, settle, to_assets, to_shares, WAD},
    Rounding,
};
use stylus_sdk::{
    prelude::*,
    storage::{
        StorageAddress, StorageB256, StorageBool, StorageMap, StorageU128, StorageU16, StorageU160, StorageU256, StorageU32, StorageU64,
        StorageUint,
    },
};

/// Pause flag of deposits and mints.
pub const PAUSED_DEPOSITS: u8 = 0;
/// Pause flag of redemption requests and instant redemptions.
pub const PAUSED_REDEMPTIONS: u8 = 1;
/// Pause flag of claims.
pub const PAUSED_CLAIMS: u8 = 2;
/// Highest performance fee: 20%.
pub const MAX_PERFORMANCE_BPS: u64 = 2_000;
/// Highest instant-redemption fee: 2.5%.
pub const MAX_INSTANT_BPS: u64 = 250;

/// A redemption request, packed so that a request writes two new slots,
/// plus one for a part taken from the buffer: controller, claim time, open
/// flag and withdrawal share the first; the LRT and its value (each below
/// 2^128, [`RequestTooLarge`] otherwise) the second.
#[storage]
pub struct Request {
    controller: StorageAddress,
    /// Unix seconds (40 bits: for 34,000 years).
    claimable_at: StorageUint<40, 1>,
    open: StorageBool,
    /// The vault's DelegationManager withdrawal nonce of the withdrawal
    /// paying the rest, plus one (zero: none); its root follows from it.
    /// 48 bits: each withdrawal costs over 100,000 gas, so 2^48 of them
    /// cannot be queued.
    withdrawal: StorageUint<48, 1>,
    shares: StorageU128,
    /// Value of the shares at the request: the most the claim pays.
    assets: StorageU128,
    /// Part taken from the idle buffer at the request, in reserve units
    /// (see [`LrtVault::reconcile_buffer`]).
    from_idle: StorageU256,
}

impl Request {
    /// The controller, who claims.
    pub(crate) fn controller(&self) -> Address {
        self.controller.get()
    }

    /// LRT burned by the request.
    pub(crate) fn shares(&self) -> U256 {
        U256::from(self.shares.get())
    }

    /// Value of the shares at the request: the most the claim pays.
    pub(crate) fn assets(&self) -> U256 {
        U256::from(self.assets.get())
    }

    /// When the claim opens (unix seconds).
    pub(crate) fn claimable_at(&self) -> U256 {
        U256::from(self.claimable_at.get())
    }

    /// Whether the request is still to be claimed.
    pub(crate) fn open(&self) -> bool {
        self.open.get()
    }

    /// Part taken from the idle buffer, in reserve units.
    pub(crate) fn buffer_units(&self) -> U256 {
        self.from_idle.get()
    }

    /// Root of the DelegationManager withdrawal `vault` queued for the rest
    /// (zero: none).
    pub(crate) fn root(&self, vault: Address) -> B256 {
        match self.withdrawal.get().to::<u64>() {
            0 => B256::ZERO,
            n => withdrawal_root(vault, n - 1),
        }
    }

    /// Records an open request.
    pub(crate) fn record(
        &mut self,
        controller: Address,
        shares: U256,
        assets: U256,
        from_idle: U256,
        withdrawal: Option<u64>,
        claimable_at: u64,
    ) -> Result<(), Revert> {
        let (Ok(lrt), Ok(value)) = (u128::try_from(shares), u128::try_from(assets)) else {
            return Err(revert!(RequestTooLarge { shares, assets }));
        };
        self.shares.set(U128::from(lrt));
        self.assets.set(U128::from(value));
        self.controller.set(controller);
        self.claimable_at.set(Uint::saturating_from(claimable_at));
        self.open.set(true);
        if let Some(nonce) = withdrawal {
            self.withdrawal.set(Uint::from(nonce + 1));
        }
        // A request's words start empty (ids are never reused): a zero
        // part from the buffer is not written.
        if !from_idle.is_zero() {
            self.from_idle.set(from_idle);
        }
        Ok(())
    }
}

/// A limit in assets as kept in 128 bits: from 2^128 − 1 up, none (an
/// amount no real asset reaches).
pub(crate) fn limit_to(amount: U256) -> U128 {
    U128::saturating_from(amount)
}

/// A limit kept by [`limit_to`] read back: 2^128 − 1 is none, `U256::MAX`.
pub(crate) fn limit_from(kept: U128) -> U256 {
    if kept == U128::MAX {
        U256::MAX
    } else {
        U256::from(kept)
    }
}

/// Root of the DelegationManager withdrawal `staker` queued with `nonce`
/// (the DelegationManager's own derivation).
pub(crate) fn withdrawal_root(staker: Address, nonce: u64) -> B256 {
    hash_words(&[staker.into_word(), U256::from(nonce).into()])
}

/// A controller's redemption requests in the order made. How many, how
/// many a claim has passed, and the first two ids share one word: a
/// controller's first request writes one new slot, and a claim reads and
/// rewrites that word. Later ids go four to a slot.
#[storage]
pub struct ControllerRequests {
    len: StorageU64,
    head: StorageU64,
    first: StorageU64,
    second: StorageU64,
    later: StorageMap<U64, StorageU256>,
}

impl ControllerRequests {
    /// Requests made.
    pub(crate) fn len(&self) -> u64 {
        self.len.get().to()
    }

    /// Requests a claim has passed: the oldest one left is at this position.
    pub(crate) fn head(&self) -> u64 {
        self.head.get().to()
    }

    /// Moves the claim position to `head`.
    pub(crate) fn set_head(&mut self, head: u64) {
        self.head.set(U64::from(head));
    }

    /// Id of the request at position `i` (0: the oldest); zero past the end.
    pub(crate) fn id(&self, i: u64) -> U256 {
        match i {
            0 => U256::from(self.first.get()),
            1 => U256::from(self.second.get()),
            _ => {
                let (slot, lane) = Self::later_position(i);
                (self.later.get(slot) >> lane) & U256::from(u64::MAX)
            }
        }
    }

    /// Appends request `id`.
    pub(crate) fn push(&mut self, id: U64) {
        let i = self.len();
        match i {
            0 => self.first.set(id),
            1 => self.second.set(id),
            _ => {
                let (slot, lane) = Self::later_position(i);
                let mut word = self.later.setter(slot);
                let lanes = word.get();
                word.set(lanes | (U256::from(id) << lane));
            }
        }
        self.len.set(U64::from(i + 1));
    }

    /// Slot and bit offset of position `i` (at least 2) among the later ids.
    fn later_position(i: u64) -> (U64, usize) {
        let later = i - 2;
        (U64::from(later / 4), 64 * (later % 4) as usize)
    }
}

/// The vault's restaked position as a flow read it.
#[derive(Clone, Copy)]
pub(crate) struct Stake {
    /// What the vault's withdrawable strategy shares are worth in the asset.
    pub(crate) staked: U256,
    /// Value of an operator change in the queue.
    pub(crate) migrating: U256,
}

/// Storage of the LRT vault.
#[storage]
pub struct LrtVault {
    /// Ownership, pausers and the reentrancy lock.
    pub access: Access,
    name: ShortString,
    symbol: ShortString,
    balances: StorageMap<Address, StorageU256>,
    allowances: Allowances,
    supply: StorageU256,
    // Fields a flow reads together share a word (one cold read), and each
    // counter sits beside an address, so its first move is no new slot.
    /// The asset, and the reward vesting period (seconds, at most 30 days).
    asset: StorageAddress,
    vesting_period: StorageU64,
    /// The StrategyManager, and the redemption requests made (the last id).
    strategy_manager: StorageAddress,
    request_count: StorageU64,
    /// The DelegationManager, and the withdrawals the vault itself queued
    /// there (requests and operator changes): any beyond it were queued by a
    /// forced undelegation (see [`adopt_withdrawal`](Self::adopt_withdrawal)).
    delegation_manager: StorageAddress,
    own_withdrawals: StorageU64,
    manager: StorageAddress,
    /// The treasury, the performance and instant fees (bps, capped), and
    /// what a reserve unit lost to the buffer's losses, in 1e18ths (below
    /// 1e18; zero until a loss, back to zero whenever no unit is left).
    treasury: StorageAddress,
    performance_bps: StorageU16,
    instant_bps: StorageU16,
    reserve_discount: StorageU64,
    /// The restaking operator, and when the operator change in the queue can
    /// complete (zero: none in the queue; its value is fixed from then on, so
    /// every flow completes it first).
    operator: StorageAddress,
    migration_due: StorageU64,
    idle: StorageU256,
    /// The idle buffer target and the deposit cap (assets), in one word a
    /// deposit reads: 128 bits each, where 2^128 − 1 and anything set above
    /// it mean no limit (see [`limit_from`]).
    buffer_target: StorageU128,
    deposit_cap: StorageU128,
    daily_limit: StorageU256,
    /// Holdings at the last checkpoint (moved by deposits and redemptions).
    last_total: StorageU256,
    locked: StorageU256,
    locked_since: StorageU256,
    high_water_mark: StorageU256,
    last_rate: StorageU256,
    migration_root: StorageB256,
    migration_operator: StorageAddress,
    migration_scaled: StorageU256,
    requests: StorageMap<U256, Request>,
    /// Each controller's request ids and claim position.
    controller_requests: StorageMap<Address, ControllerRequests>,
    /// Code of the functions the vault does not route (set once, by the constructor).
    extension: StorageAddress,
    /// What the instant redemptions of `day` paid; until when instant
    /// redemptions are refused (see [`slash_hold`]; the constructor sets 1,
    /// long past, so that the word is never empty and the first instant
    /// redemption rewrites it rather than creating it); the day (unix days)
    /// of the last instant redemption: one word, read and written by each
    /// (`day_used` first: the extension's word has no room for it).
    day_used: StorageU160,
    instant_held_until: StorageU64,
    day: StorageU32,
    /// Units of the reserve (idle tokens open requests took) still unclaimed.
    reserved: StorageU256,
    /// When the unvested gains `locked` (booked at `locked_since`) finish vesting.
    locked_until: StorageU256,
    /// Receives rewards claimed in tokens other than the asset (zero: unset).
    reward_recipient: StorageAddress,
    /// ERC-7540 operators: controller → operator → approved.
    operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
}

// SAFETY: `LrtVault` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for LrtVault {}

impl LrtVault {
    /// Sets the owner (also manager and treasury until changed), the asset,
    /// the restaking contracts, the admin extension (fixed for good) and the
    /// token's name and symbol; approves the StrategyManager for restaking.
    /// Fees start at zero, the cap unlimited, rewards vest over one day,
    /// instant redemptions are held until second 1 (never).
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        owner: Address,
        asset: Address,
        strategy_manager: Address,
        delegation_manager: Address,
        extension: Address,
        name: String,
        symbol: String,
    ) -> Result<(), Revert> {
        self.access.init(owner)?;
        if asset.is_zero() || strategy_manager.is_zero() || delegation_manager.is_zero() || extension.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.extension.set(extension);
        self.name.set(&name).map_err(|_| revert!(NameTooLong {}))?;
        self.symbol.set(&symbol).map_err(|_| revert!(NameTooLong {}))?;
        self.asset.set(asset);
        self.strategy_manager.set(strategy_manager);
        self.delegation_manager.set(delegation_manager);
        self.manager.set(owner);
        self.treasury.set(owner);
        self.deposit_cap.set(U128::MAX);
        self.vesting_period.set(U64::from(86_400));
        self.instant_held_until.set(U64::from(1));
        self.high_water_mark.set(WAD);
        self.last_rate.set(WAD);
        let context = Call::new_mutating(self);
        restaking::approve_max(self.vm(), context, asset, strategy_manager)
    }

    /// The underlying asset.
    pub fn asset(&self) -> Address {
        self.asset.get()
    }

    /// Assets backing the LRT: idle buffer + restaked value after slashing +
    /// value of an operator change in the queue, less unvested gains.
    pub fn total_assets(&self) -> Result<U256, Revert> {
        Ok(self.checkpoint()?.0)
    }

    /// LRT a deposit of `assets` would mint now (rounded down).
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, Revert> {
        self.shares_for(assets, Rounding::Down)
    }

    /// Assets `shares` LRT are worth now (rounded down).
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, Revert> {
        self.assets_for(shares, Rounding::Down)
    }

    /// Assets per 1e18 LRT (rate-provider convention).
    pub fn get_rate(&self) -> Result<U256, Revert> {
        Ok(rate(self.total_assets()?, self.supply.get()))
    }

    /// Deposits `assets` for `receiver`; returns the LRT minted.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, Revert> {
        self.enter(assets, receiver, U256::ZERO)
    }

    /// [`deposit`](Self::deposit) that reverts if fewer than `min_shares` LRT are minted.
    pub fn deposit_with_min_shares(&mut self, assets: U256, receiver: Address, min_shares: U256) -> Result<U256, Revert> {
        self.enter(assets, receiver, min_shares)
    }

    /// Mints at least `shares` LRT for `receiver`; returns the assets taken
    /// ([`preview_mint`](Self::preview_mint) of them).
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, Revert> {
        let assets = self.preview_mint(shares)?;
        self.enter(assets, receiver, shares)?;
        Ok(assets)
    }
}

impl LrtVault {
    /// Shares for `assets` now (zero if the conversion overflows).
    fn shares_for(&self, assets: U256, rounding: Rounding) -> Result<U256, Revert> {
        Ok(to_shares(assets, self.total_assets()?, self.supply.get(), rounding).unwrap_or_default())
    }

    /// Assets for `shares` now (zero if the conversion overflows).
    fn assets_for(&self, shares: U256, rounding: Rounding) -> Result<U256, Revert> {
        Ok(to_assets(shares, self.total_assets()?, self.supply.get(), rounding).unwrap_or_default())
    }

    /// Value of the restaked shares and of an operator change in the queue.
    fn restaked(&self) -> Result<Stake, Revert> {
        self.restaked_from(None)
    }

    /// [`restaked`](Self::restaked) with the vault's withdrawable shares
    /// already read (`None`: read them).
    fn restaked_from(&self, withdrawable: Option<U256>) -> Result<Stake, Revert> {
        let (sm, dm, asset, me) =
            (self.strategy_manager.get(), self.delegation_manager.get(), self.asset.get(), self.vm().contract_address());
        let withdrawable = match withdrawable {
            Some(shares) => shares,
            None => restaking::withdrawable(self.vm(), dm, me, asset)?,
        };
        let staked = restaking::to_underlying(self.vm(), sm, asset, withdrawable)?;
        // Valued as the DelegationManager will pay it: once due, at the old
        // operator's magnitude at the end of the delay (a later slash of that
        // operator does not reach it). Its fields are read only when one is
        // in the queue (a due time is set).
        let queued = !self.migration_due.get().is_zero();
        let migrating = if !queued || self.migration_scaled.get().is_zero() {
            U256::ZERO
        } else {
            let shares = restaking::queued_shares(self.vm(), dm, self.migration_root.get())?;
            restaking::to_underlying(self.vm(), sm, asset, shares)?
        };
        Ok(Stake { staked, migrating })
    }

    /// Completes the operator change in the queue: its stake returns to the
    /// strategy, delegated to the current operator (the DelegationManager
    /// refuses before the delay is over). If the operator cannot take the
    /// shares (fully slashed, or anything else the DelegationManager refuses
    /// there), the stake comes back as tokens into the idle buffer instead,
    /// so no third party can hold the vault's flows.
    fn finish_migration(&mut self) -> Result<(), Revert> {
        let (root, dm) = (self.migration_root.get(), self.delegation_manager.get());
        // Book the asset's rebases first: tokens arriving into an unreconciled
        // balance would take part of the buffer's loss off the reserve.
        let before = self.reconcile_buffer()?;
        for as_tokens in [false, true] {
            let context = Call::new_mutating(self);
            match restaking::complete(self.vm(), context, dm, root, as_tokens) {
                Ok(()) => break,
                Err(refused) if as_tokens => return Err(refused),
                Err(_) => {}
            }
        }
        self.idle.set(self.idle.get() + self.asset_balance()?.saturating_sub(before));
        self.migration_root.set(B256::ZERO);
        self.migration_operator.set(Address::ZERO);
        self.migration_scaled.set(U256::ZERO);
        self.migration_due.set(U64::ZERO);
        emit!(self.vm(), MigrationCompleted; [root]; []);
        Ok(())
    }

    /// Records an operator change in the queue: withdrawal `root` of
    /// `scaled` shares from `operator`, completable at `due` (never zero:
    /// a due time marks a change in the queue).
    fn queue_migration(&mut self, root: B256, operator: Address, scaled: U256, due: U256) {
        self.migration_root.set(root);
        self.migration_operator.set(operator);
        self.migration_scaled.set(scaled);
        self.migration_due.set(U64::from(due.saturating_to::<u64>().max(1)));
    }

    /// Whether an operator change is in the queue and its delay is over.
    fn migration_is_due(&self) -> bool {
        let due = self.migration_due.get().to::<u64>();
        due != 0 && self.vm().block_timestamp() >= due
    }

    /// Counts a withdrawal the vault queued itself.
    fn count_own_withdrawal(&mut self) {
        let own = self.own_withdrawals.get();
        self.own_withdrawals.set(own + U64::from(1));
    }

    /// Holdings now: idle (read from the balance) + restaked + migrating.
    fn raw_total(&self) -> Result<U256, Revert> {
        Ok(self.raw_total_at(self.asset_balance()?, None)?.0)
    }

    /// [`raw_total`](Self::raw_total) with the vault's asset balance already
    /// read, and the stake it counted.
    /// `withdrawable` is the vault's withdrawable shares if already read.
    fn raw_total_at(&self, balance: U256, withdrawable: Option<U256>) -> Result<(U256, Stake), Revert> {
        let stake = self.restaked_from(withdrawable)?;
        Ok((self.buffer_at(balance).0 + stake.staked + stake.migrating, stake))
    }

    /// (idle buffer, reserve) now: the vault's balance split between them by
    /// [`split_buffer`](accounting::split_buffer) (a surplus counts from a
    /// minimum supply on, which defeats the inflation attack).
    fn buffer(&self) -> Result<(U256, U256), Revert> {
        Ok(self.buffer_at(self.asset_balance()?))
    }

    /// [`buffer`](Self::buffer) of an asset balance already read.
    fn buffer_at(&self, balance: U256) -> (U256, U256) {
        let reserve = self.reserve_value(self.reserved.get());
        accounting::split_buffer(balance, self.idle.get(), reserve, self.supply.get())
    }

    /// Tokens per 1e18 reserve units.
    fn reserve_index(&self) -> U256 {
        WAD - U256::from(self.reserve_discount.get())
    }

    /// Tokens `units` reserve units are worth (rounded down).
    fn reserve_value(&self, units: U256) -> U256 {
        mul_div(units, self.reserve_index(), WAD, Rounding::Down).unwrap_or_default()
    }

    /// Books the asset's rebases of the balance: `idle` becomes the buffer's
    /// part of it and the reserve index falls with the reserve's part of a
    /// loss (a surplus stays in the buffer, where it vests).
    /// Returns the balance it read.
    fn reconcile_buffer(&mut self) -> Result<U256, Revert> {
        let balance = self.asset_balance()?;
        self.reconcile_buffer_at(balance);
        Ok(balance)
    }

    /// [`reconcile_buffer`](Self::reconcile_buffer) of an asset balance already read.
    fn reconcile_buffer_at(&mut self, balance: U256) {
        let (idle, reserve) = self.buffer_at(balance);
        if idle != self.idle.get() {
            self.idle.set(idle);
        }
        let fallen = self.fallen_index(reserve);
        if fallen != self.reserve_index() {
            // `fallen` is at least 1, so the discount is below 1e18 < 2^64.
            self.reserve_discount.set(U64::from((WAD - fallen).to::<u64>()));
        }
    }

    /// The reserve index once the reserve's part `reserve` of the balance
    /// is booked: it falls with a loss, never below one wei per 1e18 units
    /// (so it always prices new units), and is back at par with no unit left.
    fn fallen_index(&self, reserve: U256) -> U256 {
        let (units, index) = (self.reserved.get(), self.reserve_index());
        if units.is_zero() {
            return WAD;
        }
        let booked = self.reserve_value(units);
        mul_div(index, reserve, booked, Rounding::Down).unwrap_or(index).clamp(U256::from(1), index)
    }

    /// (assets counted in the rate, unvested gains, holdings) now. A gain
    /// starts vesting when a transaction first sees it (any entry point, or
    /// [`rebalance`](Self::rebalance) by a keeper); until then it is unvested.
    fn checkpoint(&self) -> Result<(U256, U256, U256), Revert> {
        let (total, locked, raw, _) = self.checkpoint_at(self.asset_balance()?, None)?;
        Ok((total, locked, raw))
    }

    /// [`checkpoint`](Self::checkpoint) with the vault's asset balance already
    /// read, and the stake it counted.
    fn checkpoint_at(&self, balance: U256, withdrawable: Option<U256>) -> Result<(U256, U256, U256, Stake), Revert> {
        let (raw, stake) = self.raw_total_at(balance, withdrawable)?;
        if self.vesting_period.get().is_zero() {
            return Ok((raw, U256::ZERO, raw, stake));
        }
        let locked = accounting::unvested(
            self.locked.get(),
            self.locked_since.get().to(),
            self.locked_until.get().to(),
            self.vm().block_timestamp(),
        );
        let (total, locked) = settle(raw, self.last_total.get(), locked);
        Ok((total, locked, raw, stake))
    }

    /// Completes a due operator change, then checkpoints (see
    /// [`book`](Self::book)); returns the counted assets. Refuses while the vault's operator undelegated it without the
    /// manager (its stake sits in a withdrawal the vault does not track yet:
    /// see [`adopt_withdrawal`](Self::adopt_withdrawal)), so nobody enters
    /// or leaves at the understated rate. Also returns the stake it counted,
    /// which holds until the flow moves stake, and the vault's asset balance
    /// it read, which holds until the flow moves tokens.
    fn accrue(&mut self) -> Result<(U256, Stake, U256), Revert> {
        // One call reads both the delegation and the stake it values.
        let (dm, me, asset) = (self.delegation_manager.get(), self.vm().contract_address(), self.asset.get());
        let (delegated, withdrawable) = restaking::stake_position(self.vm(), dm, me, asset)?;
        let operator = self.operator.get();
        if delegated != operator {
            return Err(revert!(ForcedUndelegation { operator }));
        }
        if self.migration_is_due() {
            // If the DelegationManager refuses (its exits paused), the flow
            // waits rather than value the change at the old operator's magnitude.
            self.finish_migration()?;
            // The stake it returned is valued afresh.
            return self.book(None);
        }
        self.book(Some(withdrawable))
    }

    /// The checkpoint of [`accrue`](Self::accrue), without its checks:
    /// books the asset's rebases of the buffer, then the gains (they join
    /// the unvested ones) and losses (they eat unvested gains first) since
    /// the last checkpoint; mints the performance fee and reports a rate
    /// change; returns the counted assets, the stake it counted and the
    /// vault's asset balance it read (minting the fee moves no tokens).
    /// `withdrawable` is the vault's withdrawable shares if already read.
    fn book(&mut self, withdrawable: Option<U256>) -> Result<(U256, Stake, U256), Revert> {
        // One balance read serves both: booking the buffer moves no tokens.
        let balance = self.asset_balance()?;
        self.reconcile_buffer_at(balance);
        let (total, locked, raw, stake) = self.checkpoint_at(balance, withdrawable)?;
        let last = self.last_total.get();
        if raw != last {
            let now = self.vm().block_timestamp();
            if raw > last {
                // The gain joins the unvested gains without restarting them.
                let gain = raw - last;
                let end = accounting::vesting_end(
                    locked.saturating_sub(gain),
                    self.locked_until.get().to(),
                    gain,
                    now,
                    self.vesting_period.get().to(),
                );
                self.locked_until.set(U256::from(end));
            }
            self.locked.set(locked);
            self.locked_since.set(U256::from(now));
            self.last_total.set(raw);
        }
        let (supply, mark, treasury) = (self.supply.get(), self.high_water_mark.get(), self.treasury.get());
        let fee = self.fee_due(total, supply);
        let now = rate(total, supply + fee);
        if !fee.is_zero() {
            self.mint_shares(treasury, fee);
            emit!(self.vm(), FeeMinted; [treasury]; [fee, now]);
        }
        if now > mark {
            self.high_water_mark.set(now);
        }
        if now != self.last_rate.get() {
            self.last_rate.set(now);
            emit!(self.vm(), RateUpdated; []; [now]);
        }
        Ok((total, stake, balance))
    }

    /// Performance fee (LRT) a checkpoint at `total` assets and `supply` LRT
    /// mints to the treasury (none while the treasury is unset).
    fn fee_due(&self, total: U256, supply: U256) -> U256 {
        if self.treasury.get().is_zero() {
            return U256::ZERO;
        }
        fee_shares(total, supply, self.high_water_mark.get(), U256::from(self.performance_bps.get()))
    }

    /// Deposits idle assets above the buffer target into the strategy;
    /// returns whether it did (a refused deposit leaves them idle).
    fn restake_excess(&mut self) -> bool {
        let (idle, target) = (self.idle.get(), limit_from(self.buffer_target.get()));
        if idle <= target {
            return false;
        }
        let amount = idle - target;
        let (sm, asset) = (self.strategy_manager.get(), self.asset.get());
        let context = Call::new_mutating(self);
        match restaking::deposit(self.vm(), context, sm, asset, amount) {
            Ok(shares) => {
                self.idle.set(target);
                emit!(self.vm(), Restaked; []; [amount, shares]);
                true
            }
            Err(_) => false,
        }
    }

    /// Takes `assets` from the caller and mints LRT for what the vault's
    /// holdings actually grew by (after transfer fees and restaking rounding).
    fn enter(&mut self, assets: U256, receiver: Address, min_shares: U256) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_DEPOSITS)?;
        self.access.enter()?;
        if assets.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        if receiver.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let (total, _, balance) = self.accrue()?;
        let cap = limit_from(self.deposit_cap.get());
        if total.saturating_add(assets) > cap {
            return Err(revert!(DepositCapExceeded { cap, wanted: assets }));
        }
        let before = self.last_total.get();
        let received = self.pull(assets, balance)?;
        self.idle.set(self.idle.get() + received);
        let after = if self.restake_excess() { self.raw_total()? } else { before + received };
        // Never more than arrived: the restaking may re-price the rest of the
        // stake by a wei of rounding, which is the holders', not the depositor's.
        let added = after.saturating_sub(before).min(received);
        let shares = to_shares(added, total, self.supply.get(), Rounding::Down).unwrap_or_default();
        if shares.is_zero() || shares < min_shares {
            return Err(revert!(Slippage { got: shares, bound: min_shares }));
        }
        self.last_total.set(after);
        self.mint_shares(receiver, shares);
        let sender = self.vm().msg_sender();
        emit!(self.vm(), Deposit; [sender, receiver]; [assets, shares]);
        self.access.exit();
        Ok(shares)
    }

    /// Pulls `assets` from the caller into a balance of `before`; returns what arrived.
    fn pull(&mut self, assets: U256, before: U256) -> Result<U256, Revert> {
        let (asset, from, me) = (self.asset.get(), self.vm().msg_sender(), self.vm().contract_address());
        let context = Call::new_mutating(self);
        keel_components::token::safe_transfer_from(self.vm(), context, asset, from, me, assets).map_err(|_| revert!(TransferFailed {}))?;
        Ok(self.asset_balance()?.saturating_sub(before))
    }

    /// Pays `assets` to `to`.
    fn pay(&mut self, to: Address, assets: U256) -> Result<(), Revert> {
        let asset = self.asset.get();
        let context = Call::new_mutating(self);
        keel_components::token::safe_transfer(self.vm(), context, asset, to, assets).map_err(|_| revert!(TransferFailed {}))
    }

    fn asset_balance(&self) -> Result<U256, Revert> {
        keel_components::token::balance_of(self.vm(), self.asset.get(), self.vm().contract_address())
            .map_err(|_| revert!(TransferFailed {}))
    }
}
