//! The LRT as an ERC-20 with EIP-2612 permit.

use crate::{errors::*, LrtVault};
use alloc::string::String;
use alloy_primitives::{Address, B256, U256};
use keel_components::{access::ZeroAddress, emit, revert, Revert};
use keel_math::eip712::domain_separator;
use stylus_sdk::prelude::*;

impl LrtVault {
    /// Token name.
    pub fn name(&self) -> String {
        self.name.get()
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        self.symbol.get()
    }

    /// Decimals: 18, as the LSTs it restakes.
    pub fn decimals(&self) -> u8 {
        18
    }

    /// LRT in circulation (burned at redemption requests).
    pub fn total_supply(&self) -> U256 {
        self.supply.get()
    }

    /// LRT held by `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// Remaining allowance of `spender` over `owner`'s LRT.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.allowance(owner, spender)
    }

    /// Moves `value` LRT from the caller to `to`.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Revert> {
        let from = self.vm().msg_sender();
        self.move_shares(from, to, value)?;
        Ok(true)
    }

    /// Moves `value` LRT from `from` to `to` using the caller's allowance.
    pub fn transfer_from(&mut self, from: Address, to: Address, value: U256) -> Result<bool, Revert> {
        self.spend_allowance(from, value)?;
        self.move_shares(from, to, value)?;
        Ok(true)
    }

    /// Lets `spender` move up to `value` of the caller's LRT.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Revert> {
        let owner = self.vm().msg_sender();
        self.allowances.approve(owner, spender, value);
        Ok(true)
    }

    /// EIP-2612: approval by the owner's signature.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(&mut self, owner: Address, spender: Address, value: U256, deadline: U256, v: u8, r: B256, s: B256) -> Result<(), Revert> {
        let domain = self.domain_separator();
        self.allowances.permit(domain, owner, spender, value, deadline, v, r, s)
    }

    /// Next permit nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.allowances.nonce(owner)
    }

    /// EIP-712 domain separator of permits (name, version "1", chain, vault).
    pub fn domain_separator(&self) -> B256 {
        domain_separator(&self.name.get(), "1", self.vm().chain_id(), self.vm().contract_address())
    }
}

impl LrtVault {
    pub(crate) fn mint_shares(&mut self, to: Address, shares: U256) {
        self.supply.set(self.supply.get() + shares);
        let balance = self.balances.get(to);
        self.balances.setter(to).set(balance + shares);
        emit!(self.vm(), Transfer; [Address::ZERO, to]; [shares]);
    }

    /// Burns `shares` of `owner`, spending the caller's allowance unless it
    /// is the owner or the owner's ERC-7540 operator.
    pub(crate) fn burn_shares(&mut self, owner: Address, shares: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller != owner && !self.is_operator(owner, caller) {
            self.spend_allowance(owner, shares)?;
        }
        self.debit(owner, shares)?;
        self.supply.set(self.supply.get() - shares);
        emit!(self.vm(), Transfer; [owner, Address::ZERO]; [shares]);
        Ok(())
    }

    fn debit(&mut self, from: Address, value: U256) -> Result<(), Revert> {
        let have = self.balances.get(from);
        if have < value {
            return Err(revert!(InsufficientBalance { from, have, want: value }));
        }
        self.balances.setter(from).set(have - value);
        Ok(())
    }

    fn move_shares(&mut self, from: Address, to: Address, value: U256) -> Result<(), Revert> {
        if to.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.debit(from, value)?;
        let balance = self.balances.get(to);
        self.balances.setter(to).set(balance + value);
        emit!(self.vm(), Transfer; [from, to]; [value]);
        Ok(())
    }

    /// Spends `value` of the caller's allowance over `owner`'s LRT.
    fn spend_allowance(&mut self, owner: Address, value: U256) -> Result<(), Revert> {
        let spender = self.vm().msg_sender();
        self.allowances.spend(owner, spender, value)
    }
}
