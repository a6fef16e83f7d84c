//! The scenarios, end to end through the registry, the
//! DelegationManager and the StrategyManager.

use alloy_primitives::{Address, U256};
use keel_avs_registry::errors::*;
use keel_fixtures::registry::*;
use keel_fixtures::*;

/// ALICE (10) and BOB (30) delegated to OPERATOR, which is registered for
/// `avs`'s set 1 under one condition and has allocated `magnitude` to it.
fn allocated(avs: Address, cap: U256, veto: u64, recipient: Address, magnitude: u64) -> (World, u64) {
    let world = setup_with_registry();
    for (who, amount) in [(ALICE, 10), (BOB, 30)] {
        deposit(&world, who, ether(amount)).unwrap();
        delegate(&world, who, OPERATOR).unwrap();
    }
    create_set(&world, avs, 1);
    let condition = add_condition(&world, avs, 1, cap, veto, recipient);
    join(&world, OPERATOR, avs, 1, vec![condition]).unwrap();
    allocate(&world, OPERATOR, avs, 1, magnitude).unwrap();
    (world, condition)
}

#[test]
fn an_oracle_slashes_five_percent_for_a_wrong_price_report() {
    let (world, condition) = allocated(ORACLE, wad_percent(10), 0, Address::ZERO, percent(50));
    let id = slash(&world, ORACLE, OPERATOR, condition, wad_percent(5)).unwrap();
    assert_eq!(id, 1);
    // 5% of a 50% allocation: 2.5% of the operator's 40 tokens of stake.
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(50) - percent(50) / 20);
    assert_eq!(magnitudes(&world, OPERATOR).0, percent(100) - percent(50) / 20);
    assert_eq!(magnitude(&world, OPERATOR), U256::from(percent(100) - percent(50) / 20), "the DelegationManager mirrors the max magnitude");
    assert_eq!(operator_shares(&world, OPERATOR), ether(39));
    assert_eq!(withdrawable(&world, ALICE), ether(10) - ether(1) / U256::from(4));
    let pending = world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap()._0;
    assert_eq!(pending, ether(1));

    let ev = &world.events::<OperatorSlashed>(REGISTRY)[0];
    assert_eq!((ev.slashId, ev.operator, ev.conditionId, &ev.evidenceHash[..24]), (1, OPERATOR, condition, &[0xee; 24][..]));
    let ev = &world.events::<StrategySlashed>(REGISTRY)[0];
    assert_eq!(
        (ev.strategy, ev.wad, ev.magnitude, ev.maxMagnitude),
        (TOKEN, percent(5), percent(50) / 20, percent(100) - percent(50) / 20)
    );
    let burned = &world.events::<FundsBurned>(REGISTRY)[0];
    assert_eq!((burned.slashId, burned.strategy, burned.shares), (1, TOKEN, ether(1)));

    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap();
    assert_eq!(balance(&world, BURN), ether(1));
}

/// Execution of request `id` of 50% of the token allocation.
fn execute(id: u64) -> IReg::executeSlashCall {
    IReg::executeSlashCall { slashId: id, strategies: vec![TOKEN], wads: vec![percent(50)] }
}

#[test]
fn a_bridge_slash_is_vetoed_once_and_executed_once() {
    let window = 86_400u64;
    let (world, condition) = allocated(BRIDGE, wad_percent(100), window, Address::ZERO, percent(40));
    let err = slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap_err();
    assert_eq!(err.decode::<VetoWindowRequired>().unwrap().conditionId, condition);

    // First request: vetoed by the resolver inside the window.
    let first = request_slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap();
    let requested = &world.events::<SlashRequested>(REGISTRY)[0];
    assert_eq!((requested.slashId, requested.executableAt), (first, world.timestamp() + window));
    assert_eq!(world.events::<SlashRequestEntry>(REGISTRY)[0].wad, percent(50));
    let veto = IReg::vetoSlashCall { slashId: first };
    assert_eq!(world.expect_revert(BRIDGE, REGISTRY, &veto).decode::<NotResolver>().unwrap().caller, BRIDGE);
    let early = world.expect_revert(CAROL, REGISTRY, &execute(first));
    assert_eq!(early.decode::<VetoWindowOpen>().unwrap().executableAt, world.timestamp() + window);
    world.call(RESOLVER, REGISTRY, &veto).unwrap();
    assert_eq!(world.events::<SlashVetoed>(REGISTRY)[0].resolver, RESOLVER);
    assert!(world.expect_revert(RESOLVER, REGISTRY, &veto).is::<SlashAlreadyVetoed>());
    world.advance(window);
    assert!(world.expect_revert(CAROL, REGISTRY, &execute(first)).is::<SlashAlreadyVetoed>());
    assert_eq!(magnitude(&world, OPERATOR), U256::from(percent(100)));

    // Second request: the window passes, anyone executes it, once.
    let second = request_slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap();
    assert_eq!(second, first + 1);
    world.advance(window);
    assert!(world.expect_revert(RESOLVER, REGISTRY, &IReg::vetoSlashCall { slashId: second }).is::<VetoWindowPassed>());
    let forged = IReg::executeSlashCall { wads: vec![percent(100)], ..execute(second) };
    assert_eq!(world.expect_revert(CAROL, REGISTRY, &forged).decode::<SlashEntriesMismatch>().unwrap().slashId, second);
    world.call(CAROL, REGISTRY, &execute(second)).unwrap();
    assert_eq!(allocation(&world, OPERATOR, BRIDGE, 1).0, percent(20));
    assert_eq!(operator_shares(&world, OPERATOR), ether(32));
    let again = world.expect_revert(CAROL, REGISTRY, &execute(second));
    assert_eq!(again.decode::<SlashAlreadyExecuted>().unwrap().slashId, second);
    let status = world.call(OWNER, REGISTRY, &IReg::slashRequestCall { slashId: second }).unwrap();
    assert_eq!((status._0, status._1, status._2), (OPERATOR, condition, 3));

    // A third request left alone expires.
    let third = request_slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap();
    world.advance(window + keel_avs_registry::EXECUTION_WINDOW);
    assert!(world.expect_revert(CAROL, REGISTRY, &execute(third)).is::<SlashRequestExpired>());
    assert!(world.expect_revert(CAROL, REGISTRY, &execute(99)).is::<SlashRequestNotFound>());
}

#[test]
fn redistribution_pays_the_recipient() {
    let (world, condition) = allocated(BRIDGE, wad_percent(100), 0, VICTIMS, percent(100));
    slash(&world, BRIDGE, OPERATOR, condition, wad_percent(25)).unwrap();
    let ev = &world.events::<FundsRedistributed>(REGISTRY)[0];
    assert_eq!((ev.recipient, ev.shares), (VICTIMS, ether(10)));
    assert_eq!(world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: VICTIMS, avs: BRIDGE }).unwrap()._0, ether(10));
    assert!(world.events::<FundsBurned>(REGISTRY).is_empty());
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: VICTIMS, avs: BRIDGE }).unwrap();
    assert_eq!(balance(&world, VICTIMS), ether(10));
    assert_eq!(withdrawable(&world, BOB), ether(30) * U256::from(3) / U256::from(4));
}

#[test]
fn an_operator_in_three_avss_slashed_by_one_keeps_the_others_stake() {
    let world = setup_with_registry();
    deposit(&world, ALICE, ether(100)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let mut conditions = Vec::new();
    for (avs, share) in [(ORACLE, 30), (BRIDGE, 30), (DA, 40)] {
        create_set(&world, avs, 7);
        let condition = add_condition(&world, avs, 7, wad_percent(100), 0, Address::ZERO);
        join(&world, OPERATOR, avs, 7, vec![condition]).unwrap();
        allocate(&world, OPERATOR, avs, 7, percent(share)).unwrap();
        conditions.push(condition);
    }
    assert_eq!(magnitudes(&world, OPERATOR), (percent(100), percent(100), 0));
    // Slashable stake of a set: operator shares × allocation / max magnitude.
    let stake = |avs| {
        let (max, _, _) = magnitudes(&world, OPERATOR);
        operator_shares(&world, OPERATOR) * U256::from(allocation(&world, OPERATOR, avs, 7).0) / U256::from(max)
    };
    let before = [stake(BRIDGE), stake(DA)];
    assert_eq!(before, [ether(30), ether(40)]);
    slash(&world, ORACLE, OPERATOR, conditions[0], wad_percent(100)).unwrap();
    assert_eq!(stake(ORACLE), U256::ZERO);
    assert_eq!([stake(BRIDGE), stake(DA)], before, "unique stake: the other AVSs keep theirs");
    assert_eq!(operator_shares(&world, OPERATOR), ether(70));
    assert_eq!(magnitudes(&world, OPERATOR), (percent(70), percent(70), 0));
}

#[test]
fn a_staker_who_queued_just_before_the_slash_still_loses() {
    let (world, condition) = allocated(ORACLE, wad_percent(100), 0, Address::ZERO, percent(100));
    let root = queue(&world, ALICE, ether(10)).unwrap();
    world.advance(12);
    slash(&world, ORACLE, OPERATOR, condition, wad_percent(10)).unwrap();
    world.advance(DELAY);
    complete(&world, ALICE, root, true).unwrap();
    assert_eq!(balance(&world, ALICE), ether(999));
    assert_eq!(world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap()._0, ether(4));
}

/// Issue 24 L-1: only the request checked `retired`, so a request filed
/// before its condition was retired (say, because the slasher's key leaked)
/// still executed. Execution now re-checks the condition.
#[test]
fn a_request_under_a_condition_retired_since_does_not_execute() {
    let window = 86_400u64;
    let (world, condition) = allocated(BRIDGE, wad_percent(100), window, Address::ZERO, percent(40));
    let id = request_slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap();
    world.call(BRIDGE, REGISTRY, &IReg::retireSlashingConditionCall { conditionId: condition }).unwrap();
    world.advance(window);
    let err = world.expect_revert(CAROL, REGISTRY, &execute(id));
    assert_eq!(err.decode::<ConditionRetired>().unwrap().conditionId, condition);
    assert_eq!(magnitude(&world, OPERATOR), U256::from(percent(100)));
}

/// L-1: the same for a request filed by a slasher replaced since; a change
/// still pending at execution leaves the requester in charge.
#[test]
fn a_request_by_a_slasher_replaced_since_does_not_execute() {
    let window = 86_400u64;
    let (world, condition) = allocated(BRIDGE, wad_percent(100), window, Address::ZERO, percent(40));
    let stale = request_slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap();
    world.call(BRIDGE, REGISTRY, &IReg::setConditionSlasherCall { conditionId: condition, slasher: CAROL }).unwrap();
    world.advance(SLASHER_DELAY.max(window));
    let err = world.expect_revert(ALICE, REGISTRY, &execute(stale)).decode::<SlasherReplaced>().unwrap();
    assert_eq!((err.slashId, err.slasher), (stale, CAROL));
    assert_eq!(magnitude(&world, OPERATOR), U256::from(percent(100)));

    let current = request_slash(&world, CAROL, OPERATOR, condition, wad_percent(50)).unwrap();
    world.advance(3_600);
    world.call(BRIDGE, REGISTRY, &IReg::setConditionSlasherCall { conditionId: condition, slasher: BRIDGE }).unwrap();
    world.advance(window - 3_600);
    world.call(ALICE, REGISTRY, &execute(current)).unwrap();
    assert_eq!(allocation(&world, OPERATOR, BRIDGE, 1).0, percent(20));
}

/// Issue 18 F6: execution read the allocation at execution time, so a
/// request made while a queued deallocation was still slashable reverted
/// `NoSlashableAllocation` once the deallocation took effect. A request now
/// postpones such a decrease to its own expiry.
#[test]
fn a_request_reaches_a_deallocation_queued_before_it() {
    let window = keel_avs_registry::MAX_VETO_WINDOW;
    let (world, condition) = allocated(BRIDGE, wad_percent(100), window, Address::ZERO, percent(40));
    allocate(&world, OPERATOR, BRIDGE, 1, 0).unwrap();
    world.advance(DEALLOCATION_DELAY - 1);
    let id = request_slash(&world, BRIDGE, OPERATOR, condition, wad_percent(50)).unwrap();
    let expires = world.timestamp() + window + keel_avs_registry::EXECUTION_WINDOW;
    assert_eq!(allocation(&world, OPERATOR, BRIDGE, 1), (percent(40), 0, expires), "the decrease waits for the request");
    let ev = world.events::<AllocationUpdated>(REGISTRY).pop().unwrap();
    assert_eq!((ev.magnitude, ev.effectiveAt), (0, expires));
    world.advance(window + keel_avs_registry::EXECUTION_WINDOW - 1);
    world.call(CAROL, REGISTRY, &execute(id)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(32), "20% of the 40 tokens");
    world.advance(1);
    assert_eq!(allocation(&world, OPERATOR, BRIDGE, 1), (0, 0, 0), "the rest leaves at the request's expiry");
    assert_eq!(magnitudes(&world, OPERATOR), (percent(80), percent(20), percent(60)), "released on the next touch");
}

/// Issue 18, also reported: a condition's cap is per incident and an incident
/// is named by its evidence hash, which could repeat, so the same incident
/// could be slashed again and again up to 100%. An (operator, condition,
/// evidence) triple is now slashed or requested once.
#[test]
fn an_incident_is_slashed_once() {
    let (world, condition) = allocated(ORACLE, wad_percent(10), 0, Address::ZERO, percent(50));
    let evidence = alloy_primitives::B256::repeat_byte(0x42);
    let call = IReg::slashCall {
        operator: OPERATOR,
        conditionId: condition,
        strategies: vec![TOKEN],
        wads: vec![percent(10)],
        evidenceHash: evidence,
    };
    world.call(ORACLE, REGISTRY, &call).unwrap();
    let err = world.expect_revert(ORACLE, REGISTRY, &call).decode::<EvidenceAlreadyUsed>().unwrap();
    assert_eq!((err.operator, err.conditionId, err.evidenceHash), (OPERATOR, condition, evidence));
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(45));
    let other = IReg::slashCall { evidenceHash: alloy_primitives::B256::repeat_byte(0x43), ..call };
    world.call(ORACLE, REGISTRY, &other).unwrap();
    assert_eq!(allocation(&world, OPERATOR, ORACLE, 1).0, percent(45) - percent(45) / 10, "a new incident is a new slash");
}

/// Issue 18 F8: the floors of the two contracts compose (checked at compile
/// time). A withdrawal queued when a request is made, or a deallocation
/// queued after it, is still in its delay at the request's latest execution.
#[test]
fn the_delay_floors_of_the_registry_and_the_delegation_manager_compose() {
    use keel_avs_registry::{EXECUTION_WINDOW, MAX_VETO_WINDOW, MIN_DEALLOCATION_DELAY};
    use keel_delegation_manager::MIN_WITHDRAWAL_DELAY;
    const { assert!(MIN_WITHDRAWAL_DELAY >= MAX_VETO_WINDOW + EXECUTION_WINDOW) };
    const { assert!(MIN_DEALLOCATION_DELAY >= MAX_VETO_WINDOW + EXECUTION_WINDOW) };
}
