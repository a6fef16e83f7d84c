//! Access control shared by every Keel contract.
//!
//! One storage component, [`Access`], holds:
//! * two-step ownership (the owner proposes, the new owner accepts);
//! * a pause bitmap: pausers may only set bits, the unpauser may only clear
//!   them, so a compromised pauser can halt but never resume the protocol;
//! * a reentrancy guard for entry points that move tokens. stylus-sdk 0.10
//!   also refuses re-entry at the entrypoint, but that guard is deprecated
//!   upstream; this one keeps Keel safe whichever SDK compiles it.
//!
//! Contracts embed `Access` as a field and expose its ABI with
//! [`impl_access_abi!`].
use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use crate::emit;
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU8},
};

sol! {
    /// The caller lacks the role the function requires.
    error Unauthorized(address caller);
    /// A zero address was given where a real account is required.
    error ZeroAddress();
    /// The function's pause flag is set.
    error CurrentlyPaused(uint8 flag);
    /// A token-moving entry point was entered again before it returned.
    error Reentered();

    /// `newOwner` was proposed; it becomes owner when it accepts.
    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    /// Ownership moved from `previousOwner` to `newOwner`.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// `account` was granted (`allowed`) or stripped of the pauser role.
    event PauserSet(address indexed account, bool allowed);
    /// The unpauser role moved to `account`.
    event UnpauserSet(address indexed previous, address indexed account);
    /// `account` set pause bits; `pausedStatus` is the new bitmap.
    event Paused(address indexed account, uint256 pausedStatus);
    /// `account` cleared pause bits; `pausedStatus` is the new bitmap.
    event Unpaused(address indexed account, uint256 pausedStatus);
}

/// Refusals raised by [`Access`].
#[derive(SolidityError)]
pub enum AccessError {
    /// See [`Unauthorized`].
    Unauthorized(Unauthorized),
    /// See [`ZeroAddress`].
    ZeroAddress(ZeroAddress),
    /// See [`CurrentlyPaused`].
    CurrentlyPaused(CurrentlyPaused),
    /// See [`Reentered`].
    Reentered(Reentered),
}

const GUARD_IDLE: u8 = 1;
const GUARD_ENTERED: u8 = 2;

/// Ownership, pausing and reentrancy state of one contract.
#[storage]
pub struct Access {
    owner: StorageAddress,
    pending_owner: StorageAddress,
    unpauser: StorageAddress,
    pausers: StorageMap<Address, StorageBool>,
    paused: StorageU256,
    guard: StorageU8,
}

impl Access {
    /// Sets the first owner (who is also unpauser and a pauser); called once from a constructor.
    pub fn init(&mut self, owner: Address) -> Result<(), AccessError> {
        if owner.is_zero() {
            return Err(AccessError::ZeroAddress(ZeroAddress {}));
        }
        self.owner.set(owner);
        self.unpauser.set(owner);
        self.pausers.setter(owner).set(true);
        self.guard.set(alloy_primitives::Uint::from(GUARD_IDLE));
        emit!(self.vm(), OwnershipTransferred; [Address::ZERO, owner]; []);
        emit!(self.vm(), UnpauserSet; [Address::ZERO, owner]; []);
        emit!(self.vm(), PauserSet; [owner]; [true]);
        Ok(())
    }

    /// The current owner.
    pub fn owner(&self) -> Address {
        self.owner.get()
    }

    /// The proposed owner, or zero.
    pub fn pending_owner(&self) -> Address {
        self.pending_owner.get()
    }

    /// Refuses unless the caller is the owner.
    pub fn only_owner(&self) -> Result<(), AccessError> {
        self.only(self.owner.get())
    }

    /// Refuses unless the caller is `account` (never matches the zero
    /// address, so an unset role admits nobody).
    pub fn only(&self, account: Address) -> Result<(), AccessError> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != account {
            return Err(AccessError::Unauthorized(Unauthorized { caller }));
        }
        Ok(())
    }

    /// Owner proposes `new_owner` (zero cancels a pending proposal).
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), AccessError> {
        self.only_owner()?;
        self.pending_owner.set(new_owner);
        emit!(self.vm(), OwnershipTransferStarted; [self.owner.get(), new_owner]; []);
        Ok(())
    }

    /// The proposed owner accepts ownership.
    pub fn accept_ownership(&mut self) -> Result<(), AccessError> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.pending_owner.get() {
            return Err(AccessError::Unauthorized(Unauthorized { caller }));
        }
        let previous = self.owner.get();
        self.owner.set(caller);
        self.pending_owner.set(Address::ZERO);
        emit!(self.vm(), OwnershipTransferred; [previous, caller]; []);
        Ok(())
    }

    /// Whether `account` may set pause bits.
    pub fn is_pauser(&self, account: Address) -> bool {
        self.pausers.get(account)
    }

    /// The account that may clear pause bits.
    pub fn unpauser(&self) -> Address {
        self.unpauser.get()
    }

    /// Owner grants or revokes the pauser role.
    pub fn set_pauser(&mut self, account: Address, allowed: bool) -> Result<(), AccessError> {
        self.only_owner()?;
        if account.is_zero() {
            return Err(AccessError::ZeroAddress(ZeroAddress {}));
        }
        self.pausers.setter(account).set(allowed);
        emit!(self.vm(), PauserSet; [account]; [allowed]);
        Ok(())
    }

    /// Owner moves the unpauser role.
    pub fn set_unpauser(&mut self, account: Address) -> Result<(), AccessError> {
        self.only_owner()?;
        if account.is_zero() {
            return Err(AccessError::ZeroAddress(ZeroAddress {}));
        }
        let previous = self.unpauser.get();
        self.unpauser.set(account);
        emit!(self.vm(), UnpauserSet; [previous, account]; []);
        Ok(())
    }

    /// The pause bitmap.
    pub fn paused_status(&self) -> U256 {
        self.paused.get()
    }

    /// Whether pause flag `flag` is set.
    pub fn is_paused(&self, flag: u8) -> bool {
        self.paused.get().bit(flag as usize)
    }

    /// A pauser sets `bits` (it can never clear any).
    pub fn pause(&mut self, bits: U256) -> Result<(), AccessError> {
        let caller = self.vm().msg_sender();
        if !self.pausers.get(caller) {
            return Err(AccessError::Unauthorized(Unauthorized { caller }));
        }
        let status = self.paused.get() | bits;
        self.paused.set(status);
        emit!(self.vm(), Paused; [caller]; [status]);
        Ok(())
    }

    /// The unpauser clears `bits` (it can never set any).
    pub fn unpause(&mut self, bits: U256) -> Result<(), AccessError> {
        let caller = self.vm().msg_sender();
        if caller != self.unpauser.get() {
            return Err(AccessError::Unauthorized(Unauthorized { caller }));
        }
        let status = self.paused.get() & !bits;
        self.paused.set(status);
        emit!(self.vm(), Unpaused; [caller]; [status]);
        Ok(())
    }

    /// Refuses while pause flag `flag` is set.
    pub fn when_not_paused(&self, flag: u8) -> Result<(), AccessError> {
        if self.is_paused(flag) {
            return Err(AccessError::CurrentlyPaused(CurrentlyPaused { flag }));
        }
        Ok(())
    }

    /// Enters the reentrancy guard; pair with [`Access::exit`].
    pub fn enter(&mut self) -> Result<(), AccessError> {
        if self.guard.get() == alloy_primitives::Uint::from(GUARD_ENTERED) {
            return Err(AccessError::Reentered(Reentered {}));
        }
        self.guard.set(alloy_primitives::Uint::from(GUARD_ENTERED));
        Ok(())
    }

    /// Leaves the reentrancy guard.
    pub fn exit(&mut self) {
        self.guard.set(alloy_primitives::Uint::from(GUARD_IDLE));
    }
}

/// Implements `From<AccessError>` for a contract error enum that has the
/// variants `Unauthorized`, `ZeroAddress`, `CurrentlyPaused` and `Reentered`.
#[macro_export]
macro_rules! impl_from_access_error {
    ($error:ty) => {
        impl From<$crate::access::AccessError> for $error {
            fn from(e: $crate::access::AccessError) -> Self {
                match e {
                    $crate::access::AccessError::Unauthorized(e) => Self::Unauthorized(e),
                    $crate::access::AccessError::ZeroAddress(e) => Self::ZeroAddress(e),
                    $crate::access::AccessError::CurrentlyPaused(e) => Self::CurrentlyPaused(e),
                    $crate::access::AccessError::Reentered(e) => Self::Reentered(e),
                }
            }
        }
    };
}

/// Exposes an [`Access`] field's functions in a contract's ABI:
/// `owner`, `pendingOwner`, `transferOwnership`, `acceptOwnership`,
/// `isPauser`, `unpauser`, `setPauser`, `setUnpauser`, `paused`, `pause`, `unpause`.
///
/// Use as `impl_access_abi!(MyContract, access_field, MyError);` and list
/// `AccessControl` in the contract's `#[implements(...)]`; `MyError` must
/// implement `From<AccessError>` and `Into<Vec<u8>>` (derive `SolidityError`).
#[macro_export]
macro_rules! impl_access_abi {
    ($contract:ty, $field:ident, $error:ty) => {
        #[stylus_sdk::prelude::public]
        impl $crate::access::AccessControl for $contract {
            fn owner(&self) -> stylus_sdk::alloy_primitives::Address {
                self.$field.owner()
            }

            fn pending_owner(&self) -> stylus_sdk::alloy_primitives::Address {
                self.$field.pending_owner()
            }

            fn transfer_ownership(&mut self, new_owner: stylus_sdk::alloy_primitives::Address) -> Result<(), alloc::vec::Vec<u8>> {
                Ok(self.$field.transfer_ownership(new_owner).map_err(<$error>::from)?)
            }

            fn accept_ownership(&mut self) -> Result<(), alloc::vec::Vec<u8>> {
                Ok(self.$field.accept_ownership().map_err(<$error>::from)?)
            }

            fn is_pauser(&self, account: stylus_sdk::alloy_primitives::Address) -> bool {
                self.$field.is_pauser(account)
            }

            fn unpauser(&self) -> stylus_sdk::alloy_primitives::Address {
                self.$field.unpauser()
            }

            fn set_pauser(&mut self, account: stylus_sdk::alloy_primitives::Address, allowed: bool) -> Result<(), alloc::vec::Vec<u8>> {
                Ok(self.$field.set_pauser(account, allowed).map_err(<$error>::from)?)
            }

            fn set_unpauser(&mut self, account: stylus_sdk::alloy_primitives::Address) -> Result<(), alloc::vec::Vec<u8>> {
                Ok(self.$field.set_unpauser(account).map_err(<$error>::from)?)
            }

            fn paused(&self) -> stylus_sdk::alloy_primitives::U256 {
                self.$field.paused_status()
            }

            fn pause(&mut self, bits: stylus_sdk::alloy_primitives::U256) -> Result<(), alloc::vec::Vec<u8>> {
                Ok(self.$field.pause(bits).map_err(<$error>::from)?)
            }

            fn unpause(&mut self, bits: stylus_sdk::alloy_primitives::U256) -> Result<(), alloc::vec::Vec<u8>> {
                Ok(self.$field.unpause(bits).map_err(<$error>::from)?)
            }
        }
    };
}

/// The ABI of [`Access`], implemented for a contract by [`impl_access_abi!`].
#[public]
pub trait AccessControl {
    /// The current owner.
    fn owner(&self) -> Address;
    /// The proposed owner, or zero.
    fn pending_owner(&self) -> Address;
    /// Owner proposes a new owner.
    fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), alloc::vec::Vec<u8>>;
    /// The proposed owner accepts.
    fn accept_ownership(&mut self) -> Result<(), alloc::vec::Vec<u8>>;
    /// Whether `account` may pause.
    fn is_pauser(&self, account: Address) -> bool;
    /// The account that may unpause.
    fn unpauser(&self) -> Address;
    /// Owner grants or revokes the pauser role.
    fn set_pauser(&mut self, account: Address, allowed: bool) -> Result<(), alloc::vec::Vec<u8>>;
    /// Owner moves the unpauser role.
    fn set_unpauser(&mut self, account: Address) -> Result<(), alloc::vec::Vec<u8>>;
    /// The pause bitmap.
    fn paused(&self) -> U256;
    /// A pauser sets bits of the pause bitmap.
    fn pause(&mut self, bits: U256) -> Result<(), alloc::vec::Vec<u8>>;
    /// The unpauser clears bits of the pause bitmap.
    fn unpause(&mut self, bits: U256) -> Result<(), alloc::vec::Vec<u8>>;
}
