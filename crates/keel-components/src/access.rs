//! Access control shared by every Keel contract.
//!
//! One storage component, [`Access`], holds:
//! * two-step ownership (the owner proposes, the new owner accepts);
//! * a pause bitmap: pausers may only set bits, the unpauser may only clear
//!   them, so a compromised pauser can halt but never resume the protocol;
//! * a reentrancy guard for entry points that move tokens. stylus-sdk 0.10
//!   also refuses re-entry at the entrypoint, but that guard is deprecated
//!   upstream; this one keeps Keel safe whichever SDK compiles it. On Stylus
//!   its flag lives in transient storage (EIP-1153: about 100 gas a use,
//!   undone with a revert, gone after the transaction) instead of a storage
//!   slot (a cold read and two writes, about 2,300 gas net per entry);
//!   native builds, which have no transient storage, keep the slot.
//!
//! Contracts embed `Access` as a field and expose its functions by naming the
//! field in [`contract_abi!`](crate::contract_abi) (`access: field`).
use crate::abi::{Decoder, Returns};
use crate::{emit, revert, Revert};
use alloy_primitives::{Address, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU8},
    ArbResult,
};

crate::abi_items! {
    /// Errors and events of the access control shared by every contract.
    AccessControlAbi {
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
}

#[cfg(not(target_arch = "wasm32"))]
const GUARD_IDLE: u8 = 1;
#[cfg(not(target_arch = "wasm32"))]
const GUARD_ENTERED: u8 = 2;

/// Ownership, pausing and reentrancy state of one contract.
#[storage]
pub struct Access {
    owner: StorageAddress,
    pending_owner: StorageAddress,
    unpauser: StorageAddress,
    pausers: StorageMap<Address, StorageBool>,
    paused: StorageU256,
    /// The guard's flag in native builds (see the module doc).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    guard: StorageU8,
}

impl Access {
    /// Sets the first owner (who is also unpauser and a pauser); called once from a constructor.
    pub fn init(&mut self, owner: Address) -> Result<(), Revert> {
        if owner.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.owner.set(owner);
        self.unpauser.set(owner);
        self.pausers.setter(owner).set(true);
        #[cfg(not(target_arch = "wasm32"))]
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
    pub fn only_owner(&self) -> Result<(), Revert> {
        self.only(self.owner.get())
    }

    /// Refuses unless the caller is `account` (never matches the zero
    /// address, so an unset role admits nobody).
    pub fn only(&self, account: Address) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != account {
            return Err(revert!(Unauthorized { caller }));
        }
        Ok(())
    }

    /// Owner proposes `new_owner` (zero cancels a pending proposal).
    pub fn transfer_ownership(&mut self, new_owner: Address) -> Result<(), Revert> {
        self.only_owner()?;
        self.pending_owner.set(new_owner);
        emit!(self.vm(), OwnershipTransferStarted; [self.owner.get(), new_owner]; []);
        Ok(())
    }

    /// The proposed owner accepts ownership.
    pub fn accept_ownership(&mut self) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.pending_owner.get() {
            return Err(revert!(Unauthorized { caller }));
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
    pub fn set_pauser(&mut self, account: Address, allowed: bool) -> Result<(), Revert> {
        self.only_owner()?;
        if account.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        self.pausers.setter(account).set(allowed);
        emit!(self.vm(), PauserSet; [account]; [allowed]);
        Ok(())
    }

    /// Owner moves the unpauser role.
    pub fn set_unpauser(&mut self, account: Address) -> Result<(), Revert> {
        self.only_owner()?;
        if account.is_zero() {
            return Err(revert!(ZeroAddress {}));
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
    pub fn pause(&mut self, bits: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if !self.pausers.get(caller) {
            return Err(revert!(Unauthorized { caller }));
        }
        let status = self.paused.get() | bits;
        self.paused.set(status);
        emit!(self.vm(), Paused; [caller]; [status]);
        Ok(())
    }

    /// The unpauser clears `bits` (it can never set any).
    pub fn unpause(&mut self, bits: U256) -> Result<(), Revert> {
        let caller = self.vm().msg_sender();
        if caller != self.unpauser.get() {
            return Err(revert!(Unauthorized { caller }));
        }
        let status = self.paused.get() & !bits;
        self.paused.set(status);
        emit!(self.vm(), Unpaused; [caller]; [status]);
        Ok(())
    }

    /// Refuses while pause flag `flag` is set.
    pub fn when_not_paused(&self, flag: u8) -> Result<(), Revert> {
        if self.is_paused(flag) {
            return Err(revert!(CurrentlyPaused { flag }));
        }
        Ok(())
    }

    /// Enters the reentrancy guard; pair with [`Access::exit`].
    pub fn enter(&mut self) -> Result<(), Revert> {
        if self.entered() {
            return Err(revert!(Reentered {}));
        }
        self.set_entered(true);
        Ok(())
    }

    /// Leaves the reentrancy guard.
    pub fn exit(&mut self) {
        self.set_entered(false);
    }

    #[cfg(target_arch = "wasm32")]
    fn entered(&self) -> bool {
        transient_guard::entered()
    }

    #[cfg(target_arch = "wasm32")]
    fn set_entered(&mut self, entered: bool) {
        transient_guard::set(entered);
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn entered(&self) -> bool {
        self.guard.get() == alloy_primitives::Uint::from(GUARD_ENTERED)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn set_entered(&mut self, entered: bool) {
        self.guard.set(alloy_primitives::Uint::from(if entered { GUARD_ENTERED } else { GUARD_IDLE }));
    }
}

/// The guard's flag in the contract's transient storage, through the Stylus
/// host functions (stylus-sdk 0.10 exposes none for transient storage).
#[cfg(target_arch = "wasm32")]
mod transient_guard {
    /// The flag's transient slot; Keel's contracts use no other.
    const KEY: [u8; 32] = [0xee; 32];

    #[link(wasm_import_module = "vm_hooks")]
    extern "C" {
        fn transient_load_bytes32(key: *const u8, dest: *mut u8);
        fn transient_store_bytes32(key: *const u8, value: *const u8);
    }

    /// Whether the flag is set.
    pub(super) fn entered() -> bool {
        let mut word = [0u8; 32];
        // SAFETY: both pointers are to 32-byte buffers, as the host function reads and writes.
        unsafe { transient_load_bytes32(KEY.as_ptr(), word.as_mut_ptr()) };
        word[31] != 0
    }

    /// Sets or clears the flag.
    pub(super) fn set(entered: bool) {
        let mut word = [0u8; 32];
        word[31] = u8::from(entered);
        // SAFETY: both pointers are to 32-byte buffers, as the host function reads.
        unsafe { transient_store_bytes32(KEY.as_ptr(), word.as_ptr()) };
    }
}

/// Generates [`route`] and `interface_methods` from the table of the
/// access-control functions of a contract that embeds [`Access`]
/// (`access: field` in [`contract_abi!`](crate::contract_abi)).
macro_rules! access_router {
    ($($kind:ident $name:ident($($arg:ident : $ty:ty),*) $(-> ($ret:ty))? => $method:ident;)*) => {
        /// Routes a call to one of the access-control functions; `None` if
        /// `selector` is not one of them.
        #[allow(non_snake_case, unused_parens, unused_labels)]
        pub fn route(access: &mut Access, selector: u32, args: &mut Decoder<'_>) -> Option<ArbResult> {
            $(
                if selector == u32::from_be_bytes(stylus_sdk::function_selector!(stringify!($name) $(, $ty)*)) {
                    return Some('call: {
                        $(let $arg: $ty = match args.arg() {
                            Ok(value) => value,
                            Err(reject) => break 'call Err(reject.into()),
                        };)*
                        Returns::<($($ret)?)>::into_output(access.$method($($arg),*))
                    });
                }
            )*
            None
        }

        /// The access-control functions, for the Solidity interface.
        #[cfg(feature = "export-abi")]
        pub fn interface_methods() -> alloc::vec::Vec<crate::abi::Method> {
            use stylus_sdk::abi::AbiType;
            alloc::vec![$(crate::abi::Method {
                name: stringify!($name),
                params: alloc::vec![$((stringify!($arg), <$ty as AbiType>::EXPORT_ABI_ARG.as_str())),*],
                returns: alloc::vec![$(<$ret as AbiType>::EXPORT_ABI_RET.as_str())?],
                view: crate::contract_abi!(@view $kind),
            }),*]
        }
    };
}

access_router! {
    view owner() -> (Address) => owner;
    view pendingOwner() -> (Address) => pending_owner;
    write transferOwnership(newOwner: Address) => transfer_ownership;
    write acceptOwnership() => accept_ownership;
    view isPauser(account: Address) -> (bool) => is_pauser;
    view unpauser() -> (Address) => unpauser;
    write setPauser(account: Address, allowed: bool) => set_pauser;
    write setUnpauser(account: Address) => set_unpauser;
    view paused() -> (U256) => paused_status;
    write pause(bits: U256) => pause;
    write unpause(bits: U256) => unpause;
}
