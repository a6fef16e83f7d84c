//! Storage slots written by the stake hook, flat in the number of stakers,
//! and by the coordinator's own operations (each is an SSTORE on chain),
//! printed and bounded at today's figures.

use alloy_primitives::{Address, U256};
use keel_fixtures::{rewards::*, *};

/// Slots written by a delegated deposit of ALICE (StrategyManager,
/// DelegationManager, token and the coordinator's hook) with `others` other
/// stakers in the pool and a stream running.
fn delegated_deposit_slots(others: u64) -> usize {
    let world = setup_with_rewards();
    for i in 0..others {
        let staker = Address::left_padding_from(&(0x1000 + i).to_be_bytes());
        fund(&world, staker, ether(10));
        deposit(&world, staker, ether(1)).unwrap();
        delegate(&world, staker, OPERATOR).unwrap();
    }
    deposit(&world, ALICE, ether(1)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let start = next_epoch(&world);
    submit(&world, AVS1, OPERATOR, ether(100), start, 100 * EPOCH).unwrap();
    world.advance(start - world.timestamp() + 10 * EPOCH);
    claim(&world, OPERATOR, OPERATOR);
    deposit(&world, ALICE, ether(1)).unwrap();
    world.slots_written()
}

#[test]
fn the_hook_writes_the_same_slots_for_1_and_50_stakers() {
    let (one, fifty) = (delegated_deposit_slots(0), delegated_deposit_slots(50));
    println!("delegated deposit with a stream running: {one} slots with 1 staker, {fifty} with 51");
    assert_eq!(one, fifty);
    assert!(one <= 15, "{one}");
}

#[test]
fn storage_writes_per_operation() {
    let world = setup_with_rewards();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let mut costs = costs::SlotCosts::new(&world);
    costs.measure("submitRewards (stream, first in pool)", 15, || {
        submit(&world, AVS1, OPERATOR, ether(100), next_epoch(&world) + EPOCH, 100 * EPOCH).unwrap();
    });
    costs.measure("submitRewards (stream, again)", 12, || {
        submit(&world, AVS2, OPERATOR, ether(100), next_epoch(&world) + 2 * EPOCH, 50 * EPOCH).unwrap();
    });
    costs.measure("submitRewards (at once)", 12, || {
        submit(&world, AVS3, OPERATOR, ether(100), 0, 0).unwrap();
    });
    world.advance(20 * EPOCH);
    costs.measure("deposit while delegated (hook, 1 token)", 16, || {
        deposit(&world, ALICE, ether(1)).unwrap();
    });
    costs.measure("claim (1 pool, 1 token)", 8, || {
        assert!(claim(&world, ALICE, OPERATOR) > U256::ZERO);
    });
    costs.measure("setOperatorCommission", 2, || {
        world.call(OPERATOR, RC, &IRC::setOperatorCommissionCall { bps: U256::from(500) }).unwrap();
    });
    for i in 1..8u8 {
        let token = Address::with_last_byte(0x70 + i);
        deploy_reward_token(&world, token);
        let call = IRC::submitRewardsCall {
            operators: vec![OPERATOR],
            amounts: vec![ether(1)],
            strategy: TOKEN,
            rewardToken: token,
            start: next_epoch(&world),
            duration: DAY,
        };
        world.call(AVS1, RC, &call).unwrap();
    }
    world.advance(2 * EPOCH);
    costs.measure("deposit while delegated (hook, 8 tokens)", 58, || {
        deposit(&world, ALICE, ether(1)).unwrap();
    });
    costs.print("slots written per operation (all contracts)");
}
