//! Slashing: O(1) in stakers, proportional losses, queued withdrawals stay slashable.

use alloy_primitives::{Address, U256};
use keel_components::access::Unauthorized;
use keel_delegation_manager::errors::*;
use keel_fixtures::*;
use keel_math::{mul_div, slashing::WAD, Rounding};

fn delegated_world(stakers: &[(Address, u64)]) -> World {
    let world = setup();
    for (who, amount) in stakers {
        deposit(&world, *who, ether(*amount)).unwrap();
        delegate(&world, *who, OPERATOR).unwrap();
    }
    world
}

#[test]
fn only_the_slasher_slashes_and_magnitudes_must_match() {
    let world = delegated_world(&[(ALICE, 10)]);
    let call = IDM::slashOperatorSharesCall {
        operator: OPERATOR,
        token: TOKEN,
        prevMagnitude: wad_percent(100),
        newMagnitude: wad_percent(90),
        recipient: BURN,
        avs: SLASHER,
    };
    assert_eq!(world.expect_revert(ALICE, DM, &call).decode::<Unauthorized>().unwrap().caller, ALICE);
    let stale = IDM::slashOperatorSharesCall { prevMagnitude: wad_percent(95), ..call.clone() };
    let err = world.expect_revert(SLASHER, DM, &stale).decode::<InvalidMagnitude>().unwrap();
    assert_eq!(err.current, wad_percent(100));
    let upward = IDM::slashOperatorSharesCall { newMagnitude: wad_percent(100), ..call };
    assert!(world.expect_revert(SLASHER, DM, &upward).is::<InvalidMagnitude>());
}

#[test]
fn a_ten_percent_slash_reaches_every_delegator_and_is_queued_for_burning() {
    let world = delegated_world(&[(ALICE, 10), (BOB, 30)]);
    let slashed = slash_to(&world, OPERATOR, wad_percent(90)).unwrap();
    assert_eq!(slashed, ether(4));
    assert_eq!(operator_shares(&world, OPERATOR), ether(36));
    assert_eq!(withdrawable(&world, ALICE), ether(9));
    assert_eq!(withdrawable(&world, BOB), ether(27));
    assert_eq!(world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap()._0, ether(4));
    let ev = &world.events::<OperatorSlashed>(DM)[0];
    assert_eq!((ev.operatorShares, ev.queuedShares, ev.newMagnitude), (ether(4), U256::ZERO, wad_percent(90)));

    // The slashed tokens leave through the StrategyManager after the escrow; the stakers can still exit at 90%.
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap();
    assert_eq!(balance(&world, BURN), ether(4));
    let root = queue(&world, ALICE, ether(10)).unwrap();
    world.advance(DELAY);
    complete(&world, ALICE, root, true).unwrap();
    assert_eq!(balance(&world, ALICE), ether(999));
}

#[test]
fn a_withdrawal_queued_before_a_slash_still_takes_the_loss() {
    let world = delegated_world(&[(ALICE, 10), (BOB, 10)]);
    let root = queue(&world, ALICE, ether(10)).unwrap();
    world.advance(DELAY / 2);
    let slashed = slash_to(&world, OPERATOR, wad_percent(80)).unwrap();
    assert_eq!(slashed, ether(4), "2 from Bob's delegated stake, 2 from Alice's queued stake");
    world.advance(DELAY / 2);
    complete(&world, ALICE, root, true).unwrap();
    assert_eq!(balance(&world, ALICE), ether(998));
}

#[test]
fn a_slash_after_the_delay_does_not_reach_a_completable_withdrawal() {
    let world = delegated_world(&[(ALICE, 10), (BOB, 10)]);
    let root = queue(&world, ALICE, ether(10)).unwrap();
    world.advance(DELAY);
    let slashed = slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert_eq!(slashed, ether(5), "only Bob's delegated stake");
    complete(&world, ALICE, root, true).unwrap();
    assert_eq!(balance(&world, ALICE), ether(1_000));
}

#[test]
fn a_fully_slashed_operator_takes_no_deposits_or_delegations() {
    let world = delegated_world(&[(ALICE, 10)]);
    slash_to(&world, OPERATOR, U256::ZERO).unwrap();
    assert_eq!(withdrawable(&world, ALICE), U256::ZERO);
    let err = deposit(&world, ALICE, ether(1)).unwrap_err();
    let failed = err.decode::<keel_components::calls::CallFailed>().unwrap();
    assert_eq!(failed.callee, DM);
    let inner = failed.reason;
    assert!(Revert(inner.to_vec()).is::<FullySlashed>());
    deposit(&world, BOB, ether(1)).unwrap();
    let err = delegate(&world, BOB, OPERATOR).unwrap_err();
    assert_eq!(err.decode::<FullySlashed>().unwrap().operator, OPERATOR);
}

#[test]
fn deposits_after_a_slash_are_not_slashed_by_it() {
    let world = delegated_world(&[(ALICE, 10)]);
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    deposit(&world, ALICE, ether(10)).unwrap();
    assert_eq!(withdrawable(&world, ALICE), ether(15));
    deposit(&world, BOB, ether(8)).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    assert_eq!(withdrawable(&world, BOB), ether(8));
    assert_eq!(operator_shares(&world, OPERATOR), ether(23));
}

#[test]
fn slashing_cost_does_not_grow_with_the_number_of_stakers() {
    let writes = |stakers: usize| {
        let world = setup();
        for i in 0..stakers {
            let who = Address::from_word(U256::from(0x1_0000 + i).into());
            fund(&world, who, ether(1));
            deposit(&world, who, ether(1)).unwrap();
            delegate(&world, who, OPERATOR).unwrap();
        }
        slash_to(&world, OPERATOR, wad_percent(90)).unwrap();
        world.slots_written()
    };
    let (one, hundred) = (writes(1), writes(100));
    assert_eq!(one, hundred, "slots written by a slash: {one} with 1 staker, {hundred} with 100");
    assert!(one <= 4, "a slash writes {one} slots");
}

/// The invariant campaign's 1-share finding, shrunk: a staker queues part of
/// its stake, is slashed, queues the rest, and a second slash hits the
/// two-entry queue. The slash must not promise the recipient more than the
/// two withdrawals lose, or the shares owed would exceed the shares that exist.
#[test]
fn a_slash_never_promises_more_shares_than_exist() {
    let world = delegated_world(&[]);
    deposit(&world, ALICE, U256::from(29)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let first = queue(&world, ALICE, U256::from(2)).unwrap();
    let after_first = WAD - mul_wad_up(WAD, 148_148_148_148_148_149);
    slash_to(&world, OPERATOR, after_first).unwrap();
    let second = queue(&world, ALICE, U256::from(27)).unwrap();
    slash_to(&world, OPERATOR, after_first - mul_wad_up(after_first, 28_485_757_121_439_279)).unwrap();

    let magnitude = magnitude(&world, OPERATOR);
    let queued: U256 = [first, second]
        .into_iter()
        .map(|root| world.call(OWNER, DM, &IDM::queuedWithdrawalEntryCall { root, index: U256::ZERO }).unwrap()._1 * magnitude / WAD)
        .sum();
    let promised = world.call(OWNER, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap()._0;
    let total = world.call(OWNER, SM, &ISM::totalSharesCall { token: TOKEN }).unwrap();
    let owed = withdrawable(&world, ALICE) + queued + promised;
    assert!(owed <= total, "owed {owed} (queued {queued}, promised {promised}) > {total} shares");
}

/// `x × wad / 1e18`, rounded up (a slash's cut of a magnitude).
fn mul_wad_up(x: U256, wad: u64) -> U256 {
    mul_div(x, U256::from(wad), WAD, Rounding::Up).unwrap()
}

/// Issue 18 F3: a slash burned the queued shares inside `now − current
/// delay`. Raising the delay then reached a withdrawal already paid (Bob
/// lost 100, not 50). Each withdrawal's completion time now keys the queue
/// record, so a slash burns exactly the withdrawals it will reach.
#[test]
fn raising_the_withdrawal_delay_keeps_slashing_exact() {
    let world = delegated_world(&[(ALICE, 100), (BOB, 100)]);
    let alice = queue(&world, ALICE, ether(100)).unwrap();
    world.advance(DELAY);
    complete(&world, ALICE, alice, true).unwrap();
    world.call(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(2 * DELAY) }).unwrap();
    let slashed = slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert_eq!(slashed, ether(50), "Bob's 50 only: Alice's withdrawal was paid before the slash");
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    world.call(CAROL, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap();
    let bob = queue(&world, BOB, ether(100)).unwrap();
    world.advance(2 * DELAY);
    complete(&world, BOB, bob, true).unwrap();
    assert_eq!(balance(&world, BOB), ether(950), "Bob loses half of his 100");
}

/// F3, queued under both delays: Carol queued under 7 days, Bob under 14;
/// a slash 8 days after both reaches Bob's withdrawal only, and promises
/// exactly what the two withdrawals lose together.
#[test]
fn a_slash_reaches_each_withdrawal_by_its_own_delay() {
    let world = delegated_world(&[(CAROL, 100), (BOB, 100)]);
    let carol = queue(&world, CAROL, ether(100)).unwrap();
    world.call(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(2 * DELAY) }).unwrap();
    let bob = queue(&world, BOB, ether(100)).unwrap();
    world.advance(DELAY + 86_400);
    let slashed = slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert_eq!(slashed, ether(50), "Bob's queued 100 lose 50; Carol's were due before the slash");
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    world.call(ALICE, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap();
    complete(&world, CAROL, carol, true).unwrap();
    world.advance(DELAY);
    complete(&world, BOB, bob, true).unwrap();
    assert_eq!((balance(&world, CAROL), balance(&world, BOB)), (ether(1_000), ether(950)));
}

/// F3: lowering the delay would let a later withdrawal leave before an
/// earlier one and break the ordered record: refused.
#[test]
fn the_withdrawal_delay_is_never_lowered() {
    let world = setup();
    let err = world.expect_revert(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(DELAY - 1) });
    assert_eq!(err.decode::<DelayOutOfBounds>().unwrap().minimum, U256::from(DELAY));
    world.call(OWNER, DM, &IDM::setWithdrawalDelayCall { delay: U256::from(DELAY) }).unwrap();
    let ev = world.events::<WithdrawalDelaySet>(DM).pop().unwrap();
    assert_eq!(ev.delay, U256::from(DELAY));
}

#[test]
fn stake_position_is_the_delegation_and_the_withdrawable_shares_in_one_call() {
    let world = delegated_world(&[(ALICE, 10)]);
    let position = |who| world.call(OWNER, DM, &IDM::stakePositionCall { staker: who, token: TOKEN }).unwrap();
    let p = position(ALICE);
    assert_eq!((p._0, p._1), (OPERATOR, ether(10)));
    slash_to(&world, OPERATOR, wad_percent(75)).unwrap();
    let p = position(ALICE);
    assert_eq!((p._0, p._1), (OPERATOR, withdrawable(&world, ALICE)));
    assert_eq!(p._1, ether(10) * U256::from(3) / U256::from(4));
    world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    let p = position(ALICE);
    assert_eq!((p._0, p._1), (Address::ZERO, U256::ZERO), "undelegated: nothing left to withdraw but the queue");
    let p = position(BOB);
    assert_eq!((p._0, p._1), (Address::ZERO, U256::ZERO));
}
