//! EIP-2612 `permit`: an ERC-20 approval by the owner's EIP-712 signature.
//!
//! [`Permits`] holds the owners' nonces and checks a permit: its deadline,
//! its signature over `Permit(owner, spender, value, nonce, deadline)` under
//! the token's domain (chain id and token address included), and consumes the
//! nonce, so a permit works once, on one chain, for one token. The token then
//! sets the allowance itself.

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::sol;
use crate::{revert, signature::is_signed_by, Revert};
use keel_math::eip712::{permit_struct_hash, typed_data_digest};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

sol! {
    /// The permit's deadline has passed.
    error PermitExpired(uint256 deadline);
    /// The permit was not signed by the owner (or its nonce was used).
    error InvalidPermitSignature();
}

/// The permit nonces of one token's owners.
#[storage]
pub struct Permits {
    nonces: StorageMap<Address, StorageU256>,
}

impl Permits {
    /// Checks `owner`'s permit for `spender` to move `value` until `deadline`,
    /// signed `(v, r, s)` under the token's EIP-712 `domain`, and consumes
    /// the owner's nonce. The caller sets the allowance.
    #[allow(clippy::too_many_arguments)]
    pub fn consume(&mut self, domain: B256, owner: Address, spender: Address, value: U256, deadline: U256, v: u8, r: B256, s: B256) -> Result<(), Revert> {
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
        Ok(())
    }

    /// The next permit nonce of `owner`.
    pub fn nonce(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }
}
