//! [`ContractSigner`]: an EIP-1271 wallet for tests, standing in for a
//! multisig. It accepts a digest signed (ECDSA) by its owner key, and can be
//! switched to answer a wrong value, to revert, or to accept everything, so
//! tests can show that Keel believes only the magic value.

use alloy_primitives::{Address, Bytes, FixedBytes, B256};
use alloy_sol_types::sol;
use keel_components::signature::is_signed_by;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU8},
};

sol! {
    /// The ABI of [`ContractSigner`].
    interface IContractSigner {
        /// EIP-1271: `0x1626ba7e` if the wallet accepts `signature` over `hash`.
        function isValidSignature(bytes32 hash, bytes signature) external view returns (bytes4);
        /// Sets the owner key (only the current owner, or anyone while unset).
        function setOwner(address owner) external;
        /// Sets how the wallet answers (see [`Mode`](super::Mode)); only the owner.
        function setMode(uint8 mode) external;
    }
}

/// How a [`ContractSigner`] answers `isValidSignature`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    /// The magic value iff the owner's ECDSA signature is over the digest.
    Owner = 0,
    /// `0xffffffff` whatever it is asked.
    WrongValue = 1,
    /// Reverts.
    Reverts = 2,
    /// The magic value whatever it is asked.
    AcceptsAll = 3,
}

/// The EIP-1271 magic value.
const MAGIC: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];

/// A one-owner contract wallet that signs by EIP-1271.
#[storage]
pub struct ContractSigner {
    owner: StorageAddress,
    mode: StorageU8,
}

// SAFETY: `ContractSigner` is the program's whole storage, rooted at slot 0.
unsafe impl TopLevelStorage for ContractSigner {}

#[public]
impl ContractSigner {
    /// EIP-1271: whether the wallet accepts `signature` over `hash`.
    pub fn is_valid_signature(&self, hash: B256, signature: Bytes) -> Result<FixedBytes<4>, Vec<u8>> {
        let accepted = match self.mode.get().to::<u8>() {
            0 => is_signed_by(self.vm(), hash, self.owner.get(), &signature),
            1 => false,
            3 => true,
            _ => return Err(b"ContractSigner: refuses to answer".to_vec()),
        };
        Ok(FixedBytes(if accepted { MAGIC } else { [0xff; 4] }))
    }

    /// Sets the owner key (only the current owner, or anyone while unset).
    pub fn set_owner(&mut self, owner: Address) -> Result<(), Vec<u8>> {
        self.only_owner()?;
        self.owner.set(owner);
        Ok(())
    }

    /// Sets how the wallet answers; only the owner.
    pub fn set_mode(&mut self, mode: u8) -> Result<(), Vec<u8>> {
        self.only_owner()?;
        self.mode.set(alloy_primitives::Uint::from(mode));
        Ok(())
    }
}

impl ContractSigner {
    fn only_owner(&self) -> Result<(), Vec<u8>> {
        let owner = self.owner.get();
        if owner.is_zero() || owner == self.vm().msg_sender() {
            Ok(())
        } else {
            Err(b"ContractSigner: not the owner".to_vec())
        }
    }
}

/// Deploys a [`ContractSigner`] at `at` owned by `owner` (answering as [`Mode::Owner`]).
pub fn deploy_contract_signer(world: &crate::World, at: Address, owner: Address) -> Result<(), crate::Revert> {
    world.deploy(at, crate::router!(ContractSigner), owner, None)?;
    world.call(owner, at, &IContractSigner::setOwnerCall { owner }).map(|_| ())
}
