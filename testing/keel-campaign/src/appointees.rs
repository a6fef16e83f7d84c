//! Hot keys: every operator and AVS appointed its hot key (at setup) to
//! each of its registry functions (and each operator to its commission and
//! reward tokens on the RewardsCoordinator), and every other such call an
//! operator or AVS makes goes through that key's `callAs` instead of
//! coming from the account itself, with the same outcome expected. Every
//! eighth such call first revokes the grant, checks that the key and a
//! key nobody appointed are both refused, and grants it again. Nothing
//! here draws from the episode's random stream, so seeds replay as before.

use crate::{actors::*, Campaign};
use alloy_primitives::{Address, Bytes, FixedBytes};
use alloy_sol_types::SolCall;
use keel_fixtures::registry::{avs::IAppointees, IReg, REGISTRY};
use keel_fixtures::rewards::{IRC, RC};
use keel_fixtures::*;

/// The hot key of operator or AVS `account`.
pub fn hot_key(account: Address) -> Address {
    let mut bytes = account.0;
    bytes[0] = 0x40;
    Address(bytes)
}

/// The registry functions an operator or AVS acts through.
pub fn appointable() -> [[u8; 4]; 9] {
    [
        IReg::createOperatorSetCall::SELECTOR,
        IReg::addSlashingConditionCall::SELECTOR,
        IReg::retireSlashingConditionCall::SELECTOR,
        IReg::setConditionSlasherCall::SELECTOR,
        IReg::registerForOperatorSetsCall::SELECTOR,
        IReg::acceptSlashingConditionsCall::SELECTOR,
        IReg::deregisterFromOperatorSetsCall::SELECTOR,
        IReg::setAllocationDelayCall::SELECTOR,
        IReg::modifyAllocationsCall::SELECTOR,
    ]
}

fn grant(appointee: Address, selector: [u8; 4], allowed: bool) -> IAppointees::setAppointeeCall {
    IAppointees::setAppointeeCall { appointee, selector: FixedBytes(selector), allowed }
}

/// Every operator and AVS appoints its hot key to each of [`appointable`],
/// and every operator to its commission and reward tokens.
pub fn appoint_hot_keys(world: &World) {
    for account in OPERATORS.into_iter().chain(AVSS) {
        for selector in appointable() {
            world.call(account, REGISTRY, &grant(hot_key(account), selector, true)).expect("an account appoints its hot key");
        }
    }
    for operator in OPERATORS {
        for selector in [IRC::setOperatorCommissionCall::SELECTOR, IRC::acceptRewardTokenCall::SELECTOR] {
            world.call(operator, RC, &grant(hot_key(operator), selector, true)).expect("an operator appoints its hot key");
        }
    }
}

impl Campaign {
    /// `account` (an operator or AVS) makes the registry call `call`:
    /// itself, or every other time through its hot key.
    pub(crate) fn act<C: SolCall>(&mut self, account: Address, call: &C) -> Result<C::Return, Revert> {
        self.act_on(REGISTRY, account, call)
    }

    /// `account` makes the call `call` to contract `to` (the appointee
    /// functions are the same on every contract): itself, or every other
    /// time through its hot key.
    pub(crate) fn act_on<C: SolCall>(&mut self, to: Address, account: Address, call: &C) -> Result<C::Return, Revert> {
        self.hot_key_calls.0 += 1;
        if !self.hot_key_calls.0.is_multiple_of(2) {
            return self.world.call(account, to, call);
        }
        let wrapped = IAppointees::callAsCall { account, data: Bytes::from(call.abi_encode()) };
        if self.hot_key_calls.0.is_multiple_of(16) {
            self.world.call(account, to, &grant(hot_key(account), C::SELECTOR, false)).expect("an account revokes its hot key");
            let revoked = self.world.call(hot_key(account), to, &wrapped);
            self.check(revoked.is_err_and(|e| e.is::<IReg::NotAppointed>()), || format!("{account}'s revoked hot key still acted for it"));
            let stranger = self.world.call(hot_key(OWNER), to, &wrapped);
            self.check(stranger.is_err_and(|e| e.is::<IReg::NotAppointed>()), || format!("a key {account} never appointed acted for it"));
            self.world.call(account, to, &grant(hot_key(account), C::SELECTOR, true)).expect("an account appoints its hot key");
        }
        let output = self.world.call(hot_key(account), to, &wrapped)?;
        self.hot_key_calls.1 += 1;
        Ok(C::abi_decode_returns(&output).expect("callAs returns the call's own output"))
    }
}
