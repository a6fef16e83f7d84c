//! Appointees: an account (an operator or an AVS) lets other addresses call
//! chosen functions of one contract on its behalf, as EigenLayer's
//! PermissionController does, so a hot key can run day-to-day operations
//! while the identity (often a multisig) stays cold.
//!
//! * The account grants or revokes, itself and directly, one appointee one
//!   function (`setAppointee(appointee, selector, allowed)`). Only the
//!   functions a contract declares `act` in its
//!   [`contract_abi!`](crate::contract_abi) may be granted: those that act
//!   as their caller's operator or AVS identity. Nothing else (owner roles,
//!   staker flows, batching, the grants themselves) can be.
//! * An appointee calls `callAs(account, data)`: `data` is the ABI call of
//!   a granted function, which runs exactly as if the account had called
//!   it. The output comes back as `bytes`. A direct call by the account
//!   itself costs nothing extra.
//!
//! Every `act` function therefore takes its acting identity as a parameter
//! from the router, the one place that decides who is acting.

use crate::abi::{Decoder, Encode, Returns};
use crate::access::ZeroAddress;
use crate::{emit, revert, Revert};
use alloc::vec::Vec;
use alloy_primitives::{keccak256, Address, Bytes, FixedBytes, B256};
use stylus_sdk::{
    function_selector,
    prelude::*,
    storage::{StorageBool, StorageMap},
    ArbResult,
};

crate::abi_items! {
    /// Errors and events of the appointees shared by the operator and AVS contracts.
    AppointeesAbi {
        /// `caller` was not appointed by `account` to call `selector` on its behalf.
        error NotAppointed(address account, address caller, bytes4 selector);
        /// `selector` is not a function an account may appoint others to call.
        error NotAppointable(bytes4 selector);

        /// `account` granted (`allowed`) or revoked `appointee` the right to call `selector` on its behalf.
        event AppointeeSet(address indexed account, address indexed appointee, bytes4 selector, bool allowed);
    }
}

/// Which appointee may call which function for which account.
#[storage]
pub struct Appointees {
    grants: StorageMap<B256, StorageBool>,
}

/// The storage key of one grant.
fn grant_key(account: Address, appointee: Address, selector: u32) -> B256 {
    let mut packed = [0u8; 44];
    packed[..20].copy_from_slice(account.as_slice());
    packed[20..40].copy_from_slice(appointee.as_slice());
    packed[40..].copy_from_slice(&selector.to_be_bytes());
    keccak256(packed)
}

/// Whether a contract's function may be granted: true for its `act` functions.
pub type Appointable = fn(u32) -> bool;

impl Appointees {
    /// The caller grants (`allowed`) or revokes `appointee` the right to call
    /// `selector` (one of the contract's `appointable` functions) on its behalf.
    pub fn set(&mut self, appointee: Address, selector: FixedBytes<4>, allowed: bool, appointable: Appointable) -> Result<(), Revert> {
        let raw = u32::from_be_bytes(selector.0);
        if !appointable(raw) {
            return Err(revert!(NotAppointable { selector }));
        }
        if appointee.is_zero() {
            return Err(revert!(ZeroAddress {}));
        }
        let account = self.vm().msg_sender();
        self.grants.setter(grant_key(account, appointee, raw)).set(allowed);
        emit!(self.vm(), AppointeeSet; [account, appointee]; [selector, allowed]);
        Ok(())
    }

    /// Whether `appointee` may call `selector` on `account`'s behalf.
    pub fn is_appointee(&self, account: Address, appointee: Address, selector: FixedBytes<4>) -> bool {
        self.grants.get(grant_key(account, appointee, u32::from_be_bytes(selector.0)))
    }

    /// Refuses unless the caller may call `selector` as `account`: the
    /// function is appointable and the caller is the account or its appointee for it.
    pub fn check(&self, account: Address, selector: u32, appointable: Appointable) -> Result<(), Revert> {
        let selector_bytes = FixedBytes(selector.to_be_bytes());
        if !appointable(selector) {
            return Err(revert!(NotAppointable { selector: selector_bytes }));
        }
        let caller = self.vm().msg_sender();
        if caller != account && !self.grants.get(grant_key(account, caller, selector)) {
            return Err(revert!(NotAppointed { account, caller, selector: selector_bytes }));
        }
        Ok(())
    }

    /// `callAs(account, data)`: checks that the caller may make the call
    /// `data` as `account`, then runs it through `run_as` (the contract's
    /// router acting as `account`); returns its output as ABI `bytes`.
    fn call_as(&self, args: &mut Decoder<'_>, appointable: Appointable, run_as: &dyn Fn(Vec<u8>, Address) -> ArbResult) -> ArbResult {
        let account: Address = args.arg()?;
        let data: Bytes = args.arg()?;
        let selector = match data.get(..4) {
            Some(head) => u32::from_be_bytes([head[0], head[1], head[2], head[3]]),
            None => return Err(Vec::new()),
        };
        self.check(account, selector, appointable)?;
        let output = run_as(data.to_vec(), account)?;
        let mut encoded = Vec::with_capacity(output.len() + 96);
        Encode::encode(Bytes::from(output), &mut encoded);
        Ok(encoded)
    }

    /// Routes `setAppointee`, `isAppointee` and `callAs`; `None` if
    /// `selector` is none of them. None of the three is appointable.
    pub fn route(
        &mut self,
        selector: u32,
        args: &mut Decoder<'_>,
        appointable: Appointable,
        run_as: &dyn Fn(Vec<u8>, Address) -> ArbResult,
    ) -> Option<ArbResult> {
        let output = if selector == u32::from_be_bytes(function_selector!("setAppointee", Address, FixedBytes<4>, bool)) {
            (|| -> ArbResult {
                let (appointee, function, allowed) = (args.arg()?, args.arg()?, args.arg()?);
                Returns::<()>::into_output(self.set(appointee, function, allowed, appointable))
            })()
        } else if selector == u32::from_be_bytes(function_selector!("isAppointee", Address, Address, FixedBytes<4>)) {
            (|| -> ArbResult {
                let (account, appointee, function) = (args.arg()?, args.arg()?, args.arg()?);
                Returns::<bool>::into_output(Ok::<_, Revert>(self.is_appointee(account, appointee, function)))
            })()
        } else if selector == u32::from_be_bytes(function_selector!("callAs", Address, Bytes)) {
            self.call_as(args, appointable, run_as)
        } else {
            return None;
        };
        Some(output)
    }
}

/// The appointee functions, for the Solidity interface (`IAppointees`).
#[cfg(feature = "export-abi")]
pub fn interface_methods() -> Vec<crate::abi::Method> {
    use crate::abi::Method;
    alloc::vec![
        Method {
            name: "setAppointee",
            params: alloc::vec![("appointee", "address"), ("selector", "bytes4"), ("allowed", "bool")],
            returns: alloc::vec![],
            view: false
        },
        Method {
            name: "isAppointee",
            params: alloc::vec![("account", "address"), ("appointee", "address"), ("selector", "bytes4")],
            returns: alloc::vec!["bool"],
            view: true
        },
        Method {
            name: "callAs",
            params: alloc::vec![("account", "address"), ("data", "bytes calldata")],
            returns: alloc::vec!["bytes memory"],
            view: false
        },
    ]
}
