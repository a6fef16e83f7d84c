//! ERC-20 allowances with EIP-2612 `permit`: an approval by the owner's
//! EIP-712 signature.
//!
//! [`Allowances`] holds every owner's allowances and permit nonces: it sets
//! them (emitting `Approval`), spends them (an allowance of `U256::MAX` is
//! never spent), and checks a permit: its deadline, its signature over
//! `Permit(owner, spender, value, nonce, deadline)` under the token's domain
//! (chain id and token address included), consuming the nonce, so a permit
//! works once, on one chain, for one token.

use crate::{emit, revert, signature::is_signed_by, Revert};
use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use keel_math::eip712::{permit_struct_hash, typed_data_digest};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

crate::abi_items! {
    /// Errors and events of the ERC-20 allowances and permits.
    AllowancesAbi {
        /// `spender` may move `have` of `owner`'s tokens, less than `want`.
        error InsufficientAllowance(address owner, address spender, uint256 have, uint256 want);
        /// The permit's deadline has passed.
        error PermitExpired(uint256 deadline);
        /// The permit was not signed by the owner (or its nonce was used).
        error InvalidPermitSignature();

        /// ERC-20 approval.
        event Approval(address indexed owner, address indexed spender, uint256 value);
    }
}

/// The allowances and permit nonces of one token's owners.
#[storage]
pub struct Allowances {
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    nonces: StorageMap<Address, StorageU256>,
}

impl Allowances {
    /// What `spender` may still move of `owner`'s tokens.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Lets `spender` move up to `value` of `owner`'s tokens.
    pub fn approve(&mut self, owner: Address, spender: Address, value: U256) {
        self.allowances.setter(owner).setter(spender).set(value);
        emit!(self.vm(), Approval; [owner, spender]; [value]);
    }

    /// Spends `value` of `spender`'s allowance over `owner`'s tokens.
    pub fn spend(&mut self, owner: Address, spender: Address, value: U256) -> Result<(), Revert> {
        let have = self.allowance(owner, spender);
        if have == U256::MAX {
            return Ok(());
        }
        if have < value {
            return Err(revert!(InsufficientAllowance { owner, spender, have, want: value }));
        }
        self.allowances.setter(owner).setter(spender).set(have - value);
        Ok(())
    }

    /// Approves by `owner`'s permit for `spender` to move `value` until
    /// `deadline`, signed `(v, r, s)` under the token's EIP-712 `domain`,
    /// consuming the owner's nonce.
    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        domain: B256,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Revert> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(revert!(PermitExpired { deadline }));
        }
        let nonce = self.nonces.get(owner);
        let digest = typed_data_digest(domain, permit_struct_hash(owner, spender, value, nonce, deadline));
        let mut signature = Vec::with_capacity(65);
        signature.extend_from_slice(r.as_slice());
        signature.extend_from_slice(s.as_slice());
        signature.push(v);
        if !is_signed_by(self.vm(), digest, owner, &signature) {
            return Err(revert!(InvalidPermitSignature {}));
        }
        self.nonces.setter(owner).set(nonce + U256::from(1));
        self.approve(owner, spender, value);
        Ok(())
    }

    /// The next permit nonce of `owner`.
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }
}
