//! An operator's hot key sets its commission and reward tokens through
//! `callAs`, only as far as it was appointed.

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::SolCall;
use keel_components::appointees::{NotAppointable, NotAppointed};
use keel_fixtures::rewards::{rc::IAppointees, *};
use keel_fixtures::*;
use keel_rewards_coordinator::errors::*;

fn call_as<C: SolCall>(world: &World, caller: Address, account: Address, call: &C) -> Result<Bytes, Revert> {
    world.call(caller, RC, &IAppointees::callAsCall { account, data: call.abi_encode().into() })
}

#[test]
fn a_hot_key_sets_its_operators_commission_and_nothing_else() {
    let world = setup_with_rewards();
    let grant =
        IAppointees::setAppointeeCall { appointee: CAROL, selector: FixedBytes(IRC::setOperatorCommissionCall::SELECTOR), allowed: true };
    world.call(OPERATOR, RC, &grant).unwrap();
    call_as(&world, CAROL, OPERATOR, &IRC::setOperatorCommissionCall { bps: U256::from(500) }).unwrap();
    let set = world.events::<CommissionSet>(RC).pop().unwrap();
    assert_eq!((set.operator, set.bps), (OPERATOR, U256::from(500)));
    let too_high = call_as(&world, CAROL, OPERATOR, &IRC::setOperatorCommissionCall { bps: U256::from(10_001) }).unwrap_err();
    assert!(too_high.is::<CommissionAboveMax>(), "the function's own checks apply");

    let accept = IRC::acceptRewardTokenCall { token: REWARD, accepted: true };
    assert_eq!(call_as(&world, CAROL, OPERATOR, &accept).unwrap_err().decode::<NotAppointed>().unwrap().account, OPERATOR);
    let revoke = IAppointees::setAppointeeCall { allowed: false, ..grant };
    world.call(OPERATOR, RC, &revoke).unwrap();
    assert!(call_as(&world, CAROL, OPERATOR, &IRC::setOperatorCommissionCall { bps: U256::ZERO }).unwrap_err().is::<NotAppointed>());
    // Claims and AVS payments cannot be appointed.
    for selector in [IRC::claimCall::SELECTOR, IRC::submitRewardsCall::SELECTOR, IRC::setClaimerCall::SELECTOR] {
        let call = IAppointees::setAppointeeCall { appointee: CAROL, selector: FixedBytes(selector), allowed: true };
        assert!(world.expect_revert(OPERATOR, RC, &call).is::<NotAppointable>());
    }
}
