//! Migration to a successor deployment (see `docs/upgrades.md`).
//!
//! Keel's contracts are immutable; a fix ships as a new deployment that
//! stakers move to when they choose. The owner names the successor once
//! ([`StrategyManager::set_successor`]) and the successor names this
//! deployment as its predecessor once. Naming moves nobody.
//!
//! Only stake no AVS can slash moves in one transaction: the whole deposit
//! of an undelegated staker. Its shares are burned here and their tokens
//! deposited in the successor for the same staker, through the successor's
//! ordinary deposit path (its whitelist, cap and pause apply). A delegated
//! staker first undelegates: its stake waits out the withdrawal delay in
//! the queue, slashable as ever, and is completed as shares, which it can
//! then migrate. So moving is never a way around a pending slash.

use crate::{delegatedToCall, errors::*, migrateInCall, StrategyManager, PAUSED_WITHDRAWALS};
use alloy_primitives::{Address, U256};
use keel_components::{
    access::ZeroAddress,
    calls::{call_failed, call_or_revert, view_or_revert},
    emit, revert,
    token::safe_approve,
    Revert,
};
use stylus_sdk::prelude::*;

impl StrategyManager {
    /// Owner names the StrategyManager stakers may migrate to, once.
    pub fn set_successor(&mut self, successor: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        Self::name_once(self.successor.get(), successor)?;
        self.successor.set(successor);
        emit!(self.vm(), SuccessorSet; [successor]; []);
        Ok(())
    }

    /// Owner names the StrategyManager stake may migrate in from, once.
    pub fn set_predecessor(&mut self, predecessor: Address) -> Result<(), Revert> {
        self.access.only_owner()?;
        Self::name_once(self.predecessor.get(), predecessor)?;
        self.predecessor.set(predecessor);
        emit!(self.vm(), PredecessorSet; [predecessor]; []);
        Ok(())
    }

    /// Moves the caller's whole deposit of `token` to the successor, in
    /// this transaction; returns the shares the successor minted. The
    /// caller must not be delegated (its stake would be slashable). Several
    /// tokens move together, all or nothing, through `multicall`. A token
    /// the successor refuses (not whitelisted, over its cap, deposits
    /// paused) reverts the migration.
    pub fn migrate(&mut self, token: Address) -> Result<U256, Revert> {
        self.access.when_not_paused(PAUSED_WITHDRAWALS)?;
        let successor = self.successor.get();
        if successor.is_zero() {
            return Err(revert!(NoSuccessor {}));
        }
        let staker = self.vm().msg_sender();
        let manager = self.delegation_manager.get();
        if !manager.is_zero() {
            // Read-only (a static call): the DelegationManager can change nothing here.
            let operator: Address = view_or_revert(self.vm(), manager, &keel_components::call_data!(delegatedToCall; staker))?;
            if !operator.is_zero() {
                return Err(revert!(StakerDelegated { staker, operator }));
            }
        }
        self.access.enter()?;
        let minted = self.migrate_token(staker, token, successor)?;
        self.access.exit();
        Ok(minted)
    }

    /// Predecessor only: deposits `amount` of `token`, pulled from the
    /// predecessor, for `staker`; returns the shares minted.
    pub fn migrate_in(&mut self, staker: Address, token: Address, amount: U256) -> Result<U256, Revert> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.predecessor.get() {
            return Err(revert!(NotPredecessor { caller }));
        }
        self.deposit(caller, staker, token, amount)
    }

    /// (successor, predecessor), each zero until named.
    pub fn migration_peers(&self) -> (Address, Address) {
        (self.successor.get(), self.predecessor.get())
    }

    /// Burns `staker`'s deposit shares of `token` and deposits their tokens
    /// in `successor` for it; returns the shares the successor minted.
    fn migrate_token(&mut self, staker: Address, token: Address, successor: Address) -> Result<U256, Revert> {
        let shares = self.deposit_shares.getter(staker).get(token);
        if shares.is_zero() {
            return Err(revert!(NothingToMigrate { staker, token }));
        }
        self.deposit_shares.setter(staker).setter(token).set(U256::ZERO);
        self.staker_strategies.setter(staker).remove(token);
        let amount = self.burn(staker, token, shares)?;
        if amount.is_zero() {
            return Err(revert!(ZeroAmount {}));
        }
        let context = Call::new_mutating(self);
        safe_approve(self.vm(), context, token, successor, amount).map_err(|_| revert!(TokenTransferFailed { token }))?;
        let data = keel_components::call_data!(migrateInCall; staker, token, amount);
        let context = Call::new_mutating(self);
        let output = call_or_revert(self.vm(), context, successor, &data)?;
        let new_shares = U256::from_be_bytes(Self::first_word(successor, &output)?);
        emit!(self.vm(), StakeMigrated; [staker, token, successor]; [shares, amount, new_shares]);
        Ok(new_shares)
    }

    /// The first word of `callee`'s output; a shorter output reverts with
    /// `CallFailed(callee, "")`, as a malformed answer must not read as zero.
    fn first_word(callee: Address, output: &[u8]) -> Result<[u8; 32], Revert> {
        output.get(..32).and_then(|word| word.try_into().ok()).ok_or_else(|| call_failed(callee, Vec::new()))
    }

    /// Refuses to name a zero address or to rename a migration peer.
    fn name_once(current: Address, new: Address) -> Result<(), Revert> {
        if !current.is_zero() {
            return Err(revert!(MigrationPeerAlreadySet { current }));
        }
        if new.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        Ok(())
    }
}
