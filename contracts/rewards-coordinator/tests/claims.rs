//! Claims, claimers, commission changes and the hook's caller check.

use alloy_primitives::{Address, U256};
use keel_fixtures::{rewards::*, *};
use keel_rewards_coordinator::errors::*;

fn claim_call(earner: Address, recipient: Address) -> IRC::claimCall {
    IRC::claimCall { earner, operators: vec![OPERATOR], strategies: vec![TOKEN], rewardTokens: vec![REWARD], recipient }
}

#[test]
fn only_the_earner_or_its_claimer_claims() {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    submit(&world, AVS1, OPERATOR, ether(10), 0, 0).unwrap();
    world.advance(SPREAD);
    assert!(world.expect_revert(BOB, RC, &claim_call(ALICE, BOB)).is::<NotClaimer>());
    world.call(ALICE, RC, &IRC::setClaimerCall { claimer: BOB }).unwrap();
    assert_eq!(world.events::<IRC::ClaimerSet>(RC)[0].claimer, BOB);
    assert_eq!(world.call(OWNER, RC, &IRC::claimerForCall { earner: ALICE }).unwrap(), BOB);
    let paid = world.call(BOB, RC, &claim_call(ALICE, CAROL)).unwrap();
    assert!(ether(9) - paid[0] <= U256::from(1), "{paid:?}");
    assert_eq!(reward_balance(&world, CAROL), paid[0]);
    assert!(world.expect_revert(ALICE, RC, &claim_call(ALICE, ALICE)).is::<NothingToClaim>());
    let mismatched =
        IRC::claimCall { earner: ALICE, operators: vec![OPERATOR], strategies: vec![], rewardTokens: vec![REWARD], recipient: ALICE };
    assert!(world.expect_revert(ALICE, RC, &mismatched).is::<InputLengthMismatch>());
}

#[test]
fn only_the_delegation_manager_reports_stake() {
    let world = setup_with_rewards();
    let call =
        IRC::onStakeChangeCall { staker: ALICE, operator: OPERATOR, strategy: TOKEN, scaledBefore: U256::ZERO, poolBefore: ether(1_000) };
    let revert = world.expect_revert(ALICE, RC, &call);
    assert_eq!(revert.decode::<UnauthorizedHookCaller>().unwrap().caller, ALICE);
}

#[test]
fn commission_changes_take_effect_after_the_delay() {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let too_high = IRC::setOperatorCommissionCall { bps: U256::from(10_001) };
    assert!(world.expect_revert(OPERATOR, RC, &too_high).is::<CommissionAboveMax>());
    world.call(OPERATOR, RC, &IRC::setOperatorCommissionCall { bps: U256::from(5_000) }).unwrap();
    let event = &world.events::<IRC::CommissionSet>(RC)[0];
    let effective = event.effectiveAt.to::<u64>();
    assert_eq!(effective % EPOCH, 0);
    assert!(effective >= world.timestamp() + 7 * 86_400);
    let (now, latest, at) = world.call(OWNER, RC, &IRC::operatorCommissionCall { operator: OPERATOR }).unwrap().into();
    assert_eq!((now, latest, at), (U256::from(1_000), U256::from(5_000), event.effectiveAt));
    // A stream across the change: 10 % before it, 50 % after.
    let start = next_epoch(&world);
    let before = (effective - start) / EPOCH;
    submit(&world, AVS1, OPERATOR, ether(2) * U256::from(before), start, 2 * before * EPOCH).unwrap();
    world.advance(start - world.timestamp() + 2 * before * EPOCH);
    let operator = claim(&world, OPERATOR, OPERATOR);
    let expected = ether(1) * U256::from(before) / U256::from(10) + ether(1) * U256::from(before) / U256::from(2);
    assert!(expected - operator <= U256::from(2), "{operator} vs {expected}");
    let alice = claim(&world, ALICE, OPERATOR);
    assert!(ether(2) * U256::from(before) - operator - alice <= U256::from(3));
}

#[test]
fn a_long_idle_pool_can_be_settled_in_chunks() {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let start = next_epoch(&world);
    for i in 0..10u64 {
        submit(&world, AVS1, OPERATOR, ether(1), start + i * EPOCH, DAY).unwrap();
    }
    world.advance(60 * EPOCH);
    let settle = IRC::settleCall { operator: OPERATOR, strategy: TOKEN, rewardToken: REWARD, maxBoundaries: 8 };
    assert!(!world.call(ALICE, RC, &settle).unwrap());
    assert!(!world.call(ALICE, RC, &settle).unwrap());
    assert!(world.call(ALICE, RC, &settle).unwrap());
    assert_eq!(world.events::<IRC::StreamSettled>(RC).len(), 3);
    let alice = claim(&world, ALICE, OPERATOR);
    let operator = claim(&world, OPERATOR, OPERATOR);
    assert!(ether(10) - alice - operator <= U256::from(10));
    assert!(ether(1) - operator <= U256::from(10));
}

#[test]
fn a_claimer_batches_claims_for_several_earners_all_or_nothing() {
    use alloy_sol_types::SolCall;
    let world = setup_with_rewards();
    for earner in [ALICE, CAROL] {
        deposit(&world, earner, ether(10)).unwrap();
        delegate(&world, earner, OPERATOR).unwrap();
        world.call(earner, RC, &IRC::setClaimerCall { claimer: BOB }).unwrap();
    }
    submit(&world, AVS1, OPERATOR, ether(20), 0, 0).unwrap();
    world.advance(SPREAD);
    let batch =
        |earners: &[Address]| IRC::multicallCall { data: earners.iter().map(|e| claim_call(*e, BOB).abi_encode().into()).collect() };

    // A failing claim (ALICE twice: nothing left the second time) undoes the batch.
    assert!(world.expect_revert(BOB, RC, &batch(&[ALICE, ALICE])).is::<NothingToClaim>());
    assert_eq!(reward_balance(&world, BOB), U256::ZERO);
    // Only the earners' claimer may send their claims: the batch runs as its sender.
    assert!(world.expect_revert(ALICE, RC, &batch(&[ALICE, CAROL])).is::<NotClaimer>());

    let outputs = world.call(BOB, RC, &batch(&[ALICE, CAROL])).unwrap();
    let paid: Vec<U256> = outputs.iter().map(|out| IRC::claimCall::abi_decode_returns(out).unwrap()[0]).collect();
    assert!(paid.iter().all(|p| ether(9) - *p <= U256::from(1)), "{paid:?}");
    assert_eq!(reward_balance(&world, BOB), paid[0] + paid[1]);
}
