//! The world's call semantics, checked with a small probe contract.

extern crate alloc;

use alloc::vec::Vec;
use alloy_primitives::{address, Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall};
use keel_testhost::{router, World};
use stylus_sdk::{
    call::{call, delegate_call, static_call},
    prelude::*,
    storage::{StorageAddress, StorageU256},
};

sol! {
    interface IProbe {
        function set(uint256 value) external;
        function get() external view returns (uint256);
        function fail(uint256 value) external;
        function setThenCall(uint256 value, address target, bytes data) external returns (bool);
        function staticCallTo(address target, bytes data) external returns (bool);
        function reentrant() external view returns (bool);
        function sender() external view returns (address);
        function delegateTo(address target, bytes data) external payable returns (bool);
        function record() external payable;
        function recorded() external view returns (address, uint256, address);
    }
}

/// A contract that writes storage, calls others and reports what it sees.
#[storage]
#[entrypoint]
pub struct Probe {
    value: StorageU256,
    seen_reentrant: StorageU256,
    last_sender: StorageAddress,
    last_value: StorageU256,
    last_self: StorageAddress,
}

#[public]
impl Probe {
    /// Stores `value`, noting whether the call re-entered.
    pub fn set(&mut self, value: U256) {
        self.value.set(value);
        if self.vm().msg_reentrant() {
            self.seen_reentrant.set(U256::from(1));
        }
    }

    /// The stored value.
    pub fn get(&self) -> U256 {
        self.value.get()
    }

    /// Stores `value`, then reverts (the store must not persist).
    pub fn fail(&mut self, value: U256) -> Result<(), Vec<u8>> {
        self.value.set(value);
        Err(b"nope".to_vec())
    }

    /// Stores `value`, then calls `target` with `data`; whether the call succeeded.
    pub fn set_then_call(&mut self, value: U256, target: Address, data: Bytes) -> bool {
        self.value.set(value);
        let context = Call::new_mutating(self);
        call(self.vm(), context, target, &data).is_ok()
    }

    /// Static-calls `target` with `data`; whether the call succeeded.
    pub fn static_call_to(&mut self, target: Address, data: Bytes) -> bool {
        static_call(self.vm(), Call::new(), target, &data).is_ok()
    }

    /// Whether any call so far arrived re-entrantly.
    pub fn reentrant(&self) -> bool {
        self.seen_reentrant.get() == U256::from(1)
    }

    /// The caller of this call.
    pub fn sender(&self) -> Address {
        self.vm().msg_sender()
    }

    /// Delegate-calls `target` with `data`; whether the call succeeded.
    #[payable]
    pub fn delegate_to(&mut self, target: Address, data: Bytes) -> bool {
        let context = Call::new_mutating(self);
        unsafe { delegate_call(self.vm(), context, target, &data) }.is_ok()
    }

    /// Records the caller, the value sent and the executing address.
    #[payable]
    pub fn record(&mut self) {
        let (sender, value, me) = (self.vm().msg_sender(), self.vm().msg_value(), self.vm().contract_address());
        self.last_sender.set(sender);
        self.last_value.set(value);
        self.last_self.set(me);
        if self.vm().msg_reentrant() {
            self.seen_reentrant.set(U256::from(1));
        }
    }

    /// What the last `record` saw: caller, value, executing address.
    pub fn recorded(&self) -> (Address, U256, Address) {
        (self.last_sender.get(), self.last_value.get(), self.last_self.get())
    }
}

const USER: Address = address!("00000000000000000000000000000000000000a1");
const A: Address = address!("0000000000000000000000000000000000000a0a");
const B: Address = address!("0000000000000000000000000000000000000b0b");

fn world() -> World {
    let world = World::new();
    world.deploy(A, router!(Probe), USER, None).unwrap();
    world.deploy(B, router!(Probe), USER, None).unwrap();
    world
}

fn get(world: &World, at: Address) -> U256 {
    world.call(USER, at, &IProbe::getCall {}).unwrap()
}

#[test]
fn a_failed_inner_frame_rolls_back_only_itself() {
    let world = world();
    let inner = IProbe::failCall { value: U256::from(9) }.abi_encode();
    let ok = world.call(USER, A, &IProbe::setThenCallCall { value: U256::from(5), target: B, data: inner.into() }).unwrap();
    assert!(!ok);
    assert_eq!(get(&world, A), U256::from(5), "the caller's write stays");
    assert_eq!(get(&world, B), U256::ZERO, "the failed callee's write is undone");
}

#[test]
fn a_failed_top_level_call_rolls_back_everything_and_returns_its_data() {
    let world = world();
    let err = world.call_raw(USER, A, IProbe::failCall { value: U256::from(3) }.abi_encode(), U256::ZERO).unwrap_err();
    assert_eq!(err.0, b"nope".to_vec());
    assert_eq!(get(&world, A), U256::ZERO);
    assert_eq!(world.slots_written(), 0, "the rollback leaves nothing written");
}

#[test]
fn msg_sender_is_the_calling_contract() {
    let world = world();
    assert_eq!(world.call(USER, A, &IProbe::senderCall {}).unwrap(), USER);
}

#[test]
fn reentry_is_refused_by_default_and_flagged_when_allowed() {
    let world = world();
    // A -> B -> A.set: the inner call re-enters A.
    let back_to_a = IProbe::setCall { value: U256::from(7) }.abi_encode();
    let b_calls_a = IProbe::setThenCallCall { value: U256::from(1), target: A, data: back_to_a.into() }.abi_encode();
    let outer = IProbe::setThenCallCall { value: U256::from(2), target: B, data: b_calls_a.clone().into() };
    assert!(world.call(USER, A, &outer).unwrap());
    assert_eq!(get(&world, A), U256::from(2), "the re-entrant set was refused");
    assert!(!world.call(USER, A, &IProbe::reentrantCall {}).unwrap());

    world.set_deny_reentry(false);
    assert!(world.call(USER, A, &outer).unwrap());
    assert_eq!(get(&world, A), U256::from(7));
    assert!(world.call(USER, A, &IProbe::reentrantCall {}).unwrap(), "msg_reentrant was true inside");
}

#[test]
fn static_calls_cannot_write() {
    let world = world();
    let write = IProbe::setCall { value: U256::from(4) }.abi_encode();
    assert!(!world.call(USER, A, &IProbe::staticCallToCall { target: B, data: write.into() }).unwrap());
    let read = IProbe::getCall {}.abi_encode();
    assert!(world.call(USER, A, &IProbe::staticCallToCall { target: B, data: read.into() }).unwrap());
    assert_eq!(get(&world, B), U256::ZERO);
}

#[test]
fn value_moves_with_calls_and_is_refused_beyond_the_balance() {
    let world = world();
    world.set_balance(USER, U256::from(100));
    world.call_raw(USER, B, Vec::new(), U256::from(0)).expect_err("no receive function");
    let to_eoa = address!("00000000000000000000000000000000000000e0");
    world.call_raw(USER, to_eoa, Vec::new(), U256::from(60)).unwrap();
    assert_eq!((world.balance(USER), world.balance(to_eoa)), (U256::from(40), U256::from(60)));
    world.call_raw(USER, to_eoa, Vec::new(), U256::from(41)).expect_err("insufficient balance");
    assert_eq!(world.balance(USER), U256::from(40));
}

#[test]
fn a_delegate_call_runs_the_callee_code_as_the_caller() {
    let world = world();
    world.set_balance(USER, U256::from(10));
    let record = IProbe::recordCall {}.abi_encode();
    let outer = IProbe::delegateToCall { target: B, data: record.into() };
    assert!(world.call_value(USER, A, &outer, U256::from(5)).unwrap(), "not refused as a re-entry of A");
    let seen = world.call(USER, A, &IProbe::recordedCall {}).unwrap();
    assert_eq!((seen._0, seen._1, seen._2), (USER, U256::from(5), A), "A's storage, A's caller and value, A's address");
    assert!(!world.call(USER, A, &IProbe::reentrantCall {}).unwrap(), "msg_reentrant is false in the delegated frame");
    let in_b = world.call(USER, B, &IProbe::recordedCall {}).unwrap();
    assert_eq!((in_b._0, in_b._1, in_b._2), (Address::ZERO, U256::ZERO, Address::ZERO), "B's storage untouched");
    assert_eq!((world.balance(A), world.balance(B)), (U256::from(5), U256::ZERO), "no value moves with a delegate call");

    let fail = IProbe::failCall { value: U256::from(9) }.abi_encode();
    assert!(!world.call(USER, A, &IProbe::delegateToCall { target: B, data: fail.into() }).unwrap());
    assert_eq!(get(&world, A), U256::ZERO, "the failed delegated frame's write to A is undone");
}
