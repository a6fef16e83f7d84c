//! The vault's admin extension: the second half of its code.
//!
//! Stylus caps a program at 24 KiB compressed, and the vault's logic does not
//! fit in one. The vault routes its token, deposit and redemption functions
//! and hands every other selector, whole, to the extension set by its
//! constructor with `delegatecall`: the extension's code then runs on the
//! vault's storage, as the vault's address, with the caller and value of the
//! call, so access checks, events and the EIP-712 domain are the vault's.
//!
//! **Guard.** The extension works only when run that way. It has no
//! constructor, so its own storage stays empty; each of its functions first
//! requires the `extension` slot to hold an address other than the running
//! contract's. Called directly, the slot reads zero (refused with
//! `NotViaVault`); delegate-called by another contract, it runs on that
//! contract's storage and cannot reach the vault's.

use crate::{errors::NotViaVault, LrtVault};
use alloc::vec::Vec;
use keel_components::{calls::delegate_or_revert, revert, Revert};
use stylus_sdk::prelude::*;

impl LrtVault {
    /// The vault's fallback: runs `calldata` in the extension, on the
    /// vault's storage; its output and revert data pass through unchanged.
    pub fn forward_to_extension(&mut self, calldata: &[u8]) -> Result<Vec<u8>, Revert> {
        let extension = self.extension.get();
        let context = Call::new_mutating(self);
        delegate_or_revert(self.vm(), context, extension, calldata)
    }

    /// The extension's guard: refuses unless it runs on an initialised
    /// vault's storage under another address than its own.
    pub fn only_via_vault(&self) -> Result<(), Revert> {
        let extension = self.extension.get();
        if extension.is_zero() || extension == self.vm().contract_address() {
            return Err(revert!(NotViaVault {}));
        }
        Ok(())
    }
}
