//! The DelegationManager's stake reports drive the accounting: undelegating
//! stops a staker's accrual, re-delegated shares earn in the new pool, and
//! a pool's first reward token makes the DelegationManager report it.

use alloy_primitives::U256;
use keel_fixtures::{rewards::*, *};

fn pending(world: &World, earner: alloy_primitives::Address, operator: alloy_primitives::Address) -> U256 {
    world.call(OWNER, RC, &IRC::pendingRewardsCall { earner, operator, strategy: TOKEN, rewardToken: REWARD }).unwrap()
}

#[test]
fn stake_follows_delegation() {
    let world = setup_with_rewards();
    register(&world, OPERATOR2, alloy_primitives::Address::ZERO);
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let start = next_epoch(&world);
    for operator in [OPERATOR, OPERATOR2] {
        submit(&world, AVS1, operator, ether(100), start, 24 * EPOCH).unwrap();
    }
    let rewarded = world.events::<IDM::PoolRewarded>(DM);
    assert_eq!(rewarded.iter().map(|e| (e.operator, e.token)).collect::<Vec<_>>(), vec![(OPERATOR, TOKEN), (OPERATOR2, TOKEN)]);
    let rate = world.call(OWNER, RC, &IRC::rewardRateCall { operator: OPERATOR, strategy: TOKEN, rewardToken: REWARD }).unwrap();
    assert_eq!(rate._1, ether(10), "the pool's stake is the DelegationManager's");
    world.advance(start - world.timestamp() + 12 * EPOCH);
    let root = world
        .call(
            ALICE,
            DM,
            &IDM::redelegateCall {
                newOperator: OPERATOR2,
                approverExpiry: U256::ZERO,
                approverSignature: Default::default(),
                approverSalt: Default::default(),
            },
        )
        .unwrap();
    let earned = claim(&world, ALICE, OPERATOR);
    assert!(ether(45) - earned <= U256::from(2), "half of OPERATOR's stream after commission: {earned}");
    world.advance(DELAY);
    assert_eq!(pending(&world, ALICE, OPERATOR), U256::ZERO, "no accrual after undelegating");
    assert_eq!(pending(&world, ALICE, OPERATOR2), U256::ZERO, "queued shares earn nowhere");
    assert!(ether(100) - claim(&world, OPERATOR2, OPERATOR2) <= U256::from(1), "an empty pool's rewards go to its operator");
    let next = next_epoch(&world);
    submit(&world, AVS1, OPERATOR2, ether(10), next, 24 * EPOCH).unwrap();
    complete(&world, ALICE, root, false).unwrap();
    let accrued = world.events::<IRC::RewardsAccrued>(RC);
    assert!(accrued.iter().any(|e| e.earner == ALICE && e.operator == OPERATOR));
    world.advance(next - world.timestamp() + 24 * EPOCH);
    let second = claim(&world, ALICE, OPERATOR2);
    assert!(ether(9) - second <= U256::from(2), "the new pool pays after completion as shares: {second}");
}
