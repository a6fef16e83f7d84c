//! Regression tests of the reviews' reward findings: dust filling a pool's
//! token slots (issue 18, F4), an immediate payment captured by stake that
//! arrives just before it (F5), streams outliving a full slash (issue 24,
//! L-2) and a rebasing reward token drained by the first claimers (L-3).

use alloy_primitives::{Address, U256};
use keel_fixtures::{rewards::*, *};

fn staked_world(stake: u64) -> World {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(stake)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    world
}

/// The stop call for the `index`-th stream submitted (terms from its event).
fn stop_call(world: &World, index: usize) -> IRC::stopStreamCall {
    stop_stream_call(&world.events::<IRC::RewardsSubmitted>(RC)[index])
}

fn near(actual: U256, expected: U256, wei: u64) -> bool {
    actual.max(expected) - actual.min(expected) <= U256::from(wei)
}

#[test]
fn strangers_cannot_fill_a_pools_reward_token_slots() {
    let world = staked_world(10);
    let dust: Vec<Address> = (1..=8u8).map(|i| Address::with_last_byte(0x70 + i)).collect();
    for token in &dust {
        deploy_reward_token(&world, *token);
        world.call(OPERATOR, RC, &IRC::acceptRewardTokenCall { token: *token, accepted: false }).unwrap();
        world.call(OWNER, *token, &IToken::mintCall { to: CAROL, value: U256::from(1u8) }).unwrap();
        world.call(CAROL, *token, &IToken::approveCall { spender: RC, value: U256::MAX }).unwrap();
    }
    // CAROL pays a wei in each of eight whitelisted tokens: refused, the operator never accepted them.
    for token in &dust {
        let call = IRC::submitRewardsCall {
            operators: vec![OPERATOR],
            amounts: vec![U256::from(1u8)],
            strategy: TOKEN,
            rewardToken: *token,
            start: 0,
            duration: 0,
        };
        let revert = world.expect_revert(CAROL, RC, &call);
        assert_eq!(revert.decode::<IRC::RewardTokenNotAccepted>().unwrap().token, *token);
    }
    assert!(world.call(OWNER, RC, &IRC::poolRewardTokensCall { operator: OPERATOR, strategy: TOKEN }).unwrap().is_empty());
    // The AVS's real payment still goes through.
    submit(&world, AVS1, OPERATOR, ether(100), 0, 0).unwrap();
    assert_eq!(world.call(OWNER, RC, &IRC::poolRewardTokensCall { operator: OPERATOR, strategy: TOKEN }).unwrap(), vec![REWARD]);
    // Only the operator's own acceptances use up the slots.
    assert!(!world.call(OWNER, RC, &IRC::isRewardTokenAcceptedCall { operator: OPERATOR, token: dust[0] }).unwrap());
    world.call(OPERATOR, RC, &IRC::acceptRewardTokenCall { token: dust[0], accepted: true }).unwrap();
    let accepted = world.events::<IRC::RewardTokenAccepted>(RC);
    assert_eq!(accepted.last().map(|e| (e.operator, e.token, e.accepted)), Some((OPERATOR, dust[0], true)));
    let call = IRC::submitRewardsCall {
        operators: vec![OPERATOR],
        amounts: vec![U256::from(1u8)],
        strategy: TOKEN,
        rewardToken: dust[0],
        start: 0,
        duration: 0,
    };
    world.call(CAROL, RC, &call).unwrap();
}

#[test]
fn an_immediate_payment_is_not_captured_by_stake_that_arrives_just_before_it() {
    let world = staked_world(10);
    world.advance(30 * 86_400);
    // BOB stakes 990 just before a payment of 1,000 at once, and leaves right after it.
    deposit(&world, BOB, ether(990)).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    submit(&world, AVS1, OPERATOR, ether(1_000), 0, 0).unwrap();
    queue(&world, BOB, ether(990)).unwrap();
    world.advance(SPREAD);
    let (alice, bob, operator) = (claim(&world, ALICE, OPERATOR), claim(&world, BOB, OPERATOR), claim(&world, OPERATOR, OPERATOR));
    assert_eq!(bob, U256::ZERO, "stake present for no time earns nothing of it");
    assert!(near(alice, ether(900), 2), "{alice}");
    assert!(near(operator, ether(100), 2), "{operator}");
}

#[test]
fn an_avs_stops_its_stream_and_anyone_stops_one_whose_pool_was_slashed_to_nothing() {
    let world = staked_world(100);
    let start = next_epoch(&world);
    // Issue 24's example: 1,000 over 100 hours, the operator slashed to nothing after one hour.
    submit(&world, AVS1, OPERATOR, ether(1_000), start, 100 * EPOCH).unwrap();
    let stop = stop_call(&world, 0);
    let revert = world.expect_revert(BOB, RC, &stop);
    assert_eq!(revert.decode::<IRC::StreamNotStoppable>().unwrap().caller, BOB, "a healthy pool's stream is its AVS's to stop");
    world.advance(start - world.timestamp() + EPOCH);
    slash_to(&world, OPERATOR, U256::ZERO).unwrap();
    let avs_before = reward_balance(&world, AVS1);
    world.call(BOB, RC, &stop).unwrap();
    let refund = reward_balance(&world, AVS1) - avs_before;
    assert!(near(refund, ether(990), 1), "the unstreamed 99 hours go back to the AVS: {refund}");
    let stopped = &world.events::<IRC::StreamStopped>(RC)[0];
    assert_eq!((stopped.id, stopped.avs, stopped.caller, stopped.refund), (stop.id, AVS1, BOB, refund));
    world.advance(49 * EPOCH);
    let alice = claim(&world, ALICE, OPERATOR);
    assert!(near(alice, ether(9), 2), "the worthless stake earns nothing after the stop: {alice}");
    world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    world.advance(50 * EPOCH);
    assert!(near(claim(&world, OPERATOR, OPERATOR), ether(1), 2), "the slashed operator collects nothing of the rest");
    assert!(world.expect_revert(AVS1, RC, &stop).is::<IRC::UnknownStream>(), "a stream stops once");
    assert!(reward_balance(&world, RC) <= U256::from(4), "rounding dust only: {}", reward_balance(&world, RC));

    // An AVS stops its own stream in a healthy pool; an ended stream has nothing left to stop.
    let next = next_epoch(&world);
    register(&world, OPERATOR2, Address::ZERO);
    submit(&world, AVS2, OPERATOR2, ether(48), next, 2 * DAY).unwrap();
    submit(&world, AVS2, OPERATOR2, ether(24), next, DAY).unwrap();
    world.advance(next - world.timestamp() + DAY);
    assert!(world.expect_revert(AVS2, RC, &stop_call(&world, 2)).is::<IRC::StreamEnded>());
    let before = reward_balance(&world, AVS2);
    let refund = world.call(AVS2, RC, &stop_call(&world, 1)).unwrap();
    assert!(near(refund, ether(24), 1), "{refund}");
    assert_eq!(reward_balance(&world, AVS2) - before, refund);
    let mut tampered = stop_call(&world, 2);
    tampered.rate += U256::from(1u8);
    assert!(world.expect_revert(AVS2, RC, &tampered).is::<IRC::UnknownStream>());
}

#[test]
fn a_rebasing_reward_token_pays_every_claimer_pro_rata_to_what_is_held() {
    let world = staked_world(10);
    deposit(&world, BOB, ether(10)).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    // Issue 24's example: 100 to ALICE and BOB, then the token rebases -50 %.
    submit(&world, AVS1, OPERATOR, ether(100), 0, 0).unwrap();
    world.advance(SPREAD);
    world.call(OWNER, REWARD, &IToken::rebaseCall { factorWad: wad_percent(50) }).unwrap();
    let alice = claim(&world, ALICE, OPERATOR);
    let bob = claim(&world, BOB, OPERATOR);
    let operator = claim(&world, OPERATOR, OPERATOR);
    assert!(near(alice, ether(45) / U256::from(2), 2) && near(bob, ether(45) / U256::from(2), 2), "{alice} {bob}");
    assert!(near(operator, ether(5), 2), "{operator}");
    assert!(reward_balance(&world, RC) <= U256::from(4));

    // A payment after the rebase is booked at what it brought, and a positive rebase is shared, not stuck.
    submit(&world, AVS1, OPERATOR, ether(50), 0, 0).unwrap();
    world.advance(SPREAD);
    world.call(OWNER, REWARD, &IToken::rebaseCall { factorWad: wad_percent(100) }).unwrap();
    let paid = claim(&world, ALICE, OPERATOR) + claim(&world, BOB, OPERATOR) + claim(&world, OPERATOR, OPERATOR);
    assert!(near(paid, ether(100), 8), "the 50 paid in doubled: {paid}");
    assert!(reward_balance(&world, RC) <= U256::from(8));
}

#[test]
fn a_donation_to_a_nearly_empty_ledger_does_not_inflate_away_a_later_payment() {
    // The inflation attack on the booking: AVS2 owns the only booked wei
    // (one wei paid to OPERATOR2's pool), donates 1,000 tokens, then AVS1
    // pays 1,000 to OPERATOR's pool, whose stakers must still get it.
    let world = staked_world(10);
    register(&world, OPERATOR2, Address::ZERO);
    submit(&world, AVS2, OPERATOR2, U256::from(1u8), 0, 0).unwrap();
    world.call(AVS2, REWARD, &IToken::transferCall { to: RC, value: ether(1_000) }).unwrap();
    submit(&world, AVS1, OPERATOR, ether(1_000), 0, 0).unwrap();
    world.advance(SPREAD);
    let paid = claim(&world, ALICE, OPERATOR) + claim(&world, OPERATOR, OPERATOR);
    assert!(
        paid + ether(1) / U256::from(1_000) >= ether(1_000),
        "the payment lost {} to the donor's rounding",
        ether(1_000) - paid.min(ether(1_000))
    );
}
