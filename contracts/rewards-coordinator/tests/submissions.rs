//! Submissions: validation errors, immediate payments, streams, events.

use alloy_primitives::{Address, U256};
use keel_components::access::Unauthorized;
use keel_fixtures::{rewards::*, *};
use keel_rewards_coordinator::{errors::*, BOOKED_PER_WEI};

fn staked_world() -> World {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    world
}

fn submit_call(operators: Vec<Address>, amounts: Vec<U256>, token: Address, start: u64, duration: u64) -> IRC::submitRewardsCall {
    IRC::submitRewardsCall { operators, amounts, strategy: TOKEN, rewardToken: token, start, duration }
}

#[test]
fn invalid_submissions_are_refused_with_named_errors() {
    let world = staked_world();
    let start = next_epoch(&world) + EPOCH;
    let one = || (vec![OPERATOR], vec![ether(1)]);
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, TOKEN, start, DAY)).is::<RewardTokenNotWhitelisted>());
    assert!(world.expect_revert(AVS1, RC, &submit_call(vec![OPERATOR], vec![U256::ZERO], REWARD, start, DAY)).is::<ZeroAmount>());
    assert!(world
        .expect_revert(AVS1, RC, &submit_call(vec![OPERATOR, BOB], vec![ether(1)], REWARD, start, DAY))
        .is::<InputLengthMismatch>());
    assert!(world.expect_revert(AVS1, RC, &submit_call(vec![], vec![], REWARD, start, DAY)).is::<InputLengthMismatch>());
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start, 366 * 86_400)).is::<DurationTooLong>());
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start, DAY - EPOCH)).is::<DurationTooShort>());
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start + 1, DAY)).is::<MisalignedEpoch>());
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start, DAY + 60)).is::<MisalignedEpoch>());
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start - 2 * EPOCH, DAY)).is::<StartInPast>());
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start + 400 * 86_400, DAY)).is::<StartTooFar>());
    assert!(world.expect_revert(AVS1, RC, &submit_call(vec![BOB], vec![ether(1)], REWARD, start, DAY)).is::<OperatorNotRegistered>());
    let too_much = U256::from(1u8) << 112;
    assert!(world.expect_revert(AVS1, RC, &submit_call(vec![OPERATOR], vec![too_much], REWARD, start, DAY)).is::<AmountTooLarge>());
    world.call(OWNER, RC, &IRC::setRewardTokenCall { token: REWARD, whitelisted: false }).unwrap();
    let (ops, amounts) = one();
    assert!(world.expect_revert(AVS1, RC, &submit_call(ops, amounts, REWARD, start, DAY)).is::<RewardTokenNotWhitelisted>());
    let call = IRC::setRewardTokenCall { token: REWARD, whitelisted: true };
    assert!(world.expect_revert(ALICE, RC, &call).is::<Unauthorized>());
}

#[test]
fn an_immediate_payment_splits_commission_and_pays_stakers_pro_rata() {
    let world = staked_world();
    deposit(&world, BOB, ether(30)).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    world.clear_logs();
    let received = submit(&world, AVS1, OPERATOR, ether(100), 0, 0).unwrap();
    assert_eq!(received, ether(100));
    let events = world.events::<IRC::RewardsSubmitted>(RC);
    let booked = ether(100) * U256::from(BOOKED_PER_WEI);
    assert_eq!((events[0].avs, events[0].operator, events[0].amount), (AVS1, OPERATOR, booked));
    assert_eq!(reward_balance(&world, RC), ether(100));
    world.advance(SPREAD);
    // Default commission 10 %: the operator gets 10, the stakers 90 split 1:3.
    assert!(ether(10) - claim(&world, OPERATOR, OPERATOR) <= U256::from(1));
    let alice = claim(&world, ALICE, OPERATOR);
    let bob = claim(&world, BOB, OPERATOR);
    assert!(ether(90) / U256::from(4) - alice <= U256::from(1));
    assert!(ether(90) * U256::from(3) / U256::from(4) - bob <= U256::from(1));
    assert_eq!(reward_balance(&world, ALICE), alice);
    let claimed = world.events::<IRC::RewardsClaimed>(RC);
    assert!(claimed.iter().any(|e| e.earner == BOB && e.amount == bob && e.recipient == BOB));
}

#[test]
fn a_stream_pays_linearly_and_the_views_follow_it() {
    let world = staked_world();
    let start = next_epoch(&world) + EPOCH;
    submit(&world, AVS1, OPERATOR, ether(100), start, 100 * EPOCH).unwrap();
    let rate = world.call(OWNER, RC, &IRC::rewardRateCall { operator: OPERATOR, strategy: TOKEN, rewardToken: REWARD }).unwrap();
    assert_eq!(rate._0, U256::ZERO, "not started yet");
    world.advance(start - world.timestamp() + 50 * EPOCH);
    let rate = world.call(OWNER, RC, &IRC::rewardRateCall { operator: OPERATOR, strategy: TOKEN, rewardToken: REWARD }).unwrap();
    assert_eq!(rate._0, ether(100) * BOOKED_PER_WEI * ether(1) / U256::from(100 * EPOCH));
    assert_eq!((rate._1, rate._2), (ether(10), U256::from(1_000)));
    let pending = world
        .call(OWNER, RC, &IRC::pendingRewardsCall { earner: ALICE, operator: OPERATOR, strategy: TOKEN, rewardToken: REWARD })
        .unwrap();
    assert!(ether(45) - pending <= U256::from(2), "half the stream, minus 10 % commission: {pending}");
    assert_eq!(claim(&world, ALICE, OPERATOR), pending);
    world.advance(100 * EPOCH);
    let rest = claim(&world, ALICE, OPERATOR);
    assert!(ether(45) - rest <= U256::from(2));
    assert_eq!(
        world.call(OWNER, RC, &IRC::rewardRateCall { operator: OPERATOR, strategy: TOKEN, rewardToken: REWARD }).unwrap()._0,
        U256::ZERO
    );
}

#[test]
fn rewards_for_an_empty_pool_go_to_the_operator() {
    let world = setup_with_rewards();
    submit(&world, AVS1, OPERATOR, ether(5), 0, 0).unwrap();
    world.advance(SPREAD);
    assert!(ether(5) - claim(&world, OPERATOR, OPERATOR) <= U256::from(1));
}

#[test]
fn a_pool_carries_at_most_eight_reward_tokens() {
    let world = staked_world();
    let mut tokens = vec![REWARD];
    for i in 1..=8u8 {
        let token = Address::with_last_byte(0x70 + i);
        deploy_reward_token(&world, token);
        tokens.push(token);
    }
    for token in &tokens[..8] {
        world.call(AVS1, RC, &submit_call(vec![OPERATOR], vec![ether(1)], *token, 0, 0)).unwrap();
    }
    let revert = world.expect_revert(AVS1, RC, &submit_call(vec![OPERATOR], vec![ether(1)], tokens[8], 0, 0));
    assert!(revert.is::<TooManyRewardTokens>());
    let listed = world.call(OWNER, RC, &IRC::poolRewardTokensCall { operator: OPERATOR, strategy: TOKEN }).unwrap();
    assert_eq!(listed, tokens[..8].to_vec());
}

#[test]
fn a_fee_on_transfer_token_shrinks_every_amount_pro_rata() {
    let world = staked_world();
    register(&world, OPERATOR2, Address::ZERO);
    world.call(OWNER, REWARD, &IToken::setTransferFeeCall { bps: U256::from(100) }).unwrap();
    let call = submit_call(vec![OPERATOR, OPERATOR2], vec![ether(30), ether(70)], REWARD, 0, 0);
    let received = world.call(AVS1, RC, &call).unwrap();
    assert_eq!(received, ether(99));
    let amounts: Vec<U256> = world.events::<IRC::RewardsSubmitted>(RC).iter().map(|e| e.amount).collect();
    let booked = |amount: U256| amount * U256::from(99) / U256::from(100) * BOOKED_PER_WEI;
    assert_eq!(amounts, vec![booked(ether(30)), booked(ether(70))]);
    assert!(amounts[0] + amounts[1] <= received * BOOKED_PER_WEI);
    world.call(OWNER, REWARD, &IToken::setTransferFeeCall { bps: U256::ZERO }).unwrap();
    world.advance(SPREAD);
    let paid = claim(&world, ALICE, OPERATOR) + claim(&world, OPERATOR, OPERATOR) + claim(&world, OPERATOR2, OPERATOR2);
    assert!(paid <= received && received - paid <= U256::from(4), "lost {}", received - paid);
}
