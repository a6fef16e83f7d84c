//! Properties over random sequences of deposits, requests, claims, instant
//! redemptions, rewards and slashes: Σ holders' redeemable assets ≤ total
//! assets, and deposits and redemptions never move the rate against the
//! holders beyond rounding (the rate's, and two wei of assets for the
//! rebasing token's transfers).

use alloy_primitives::{Address, U256};
use keel_fixtures::{lrt::*, *};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Deposit(usize, u64),
    Request(usize, u64),
    Instant(usize, u64),
    Claim(usize),
    Reward(u64),
    Slash(u64),
    Wait(u64),
}

const USERS: [Address; 3] = [ALICE, BOB, CAROL];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 1u64..50_000).prop_map(|(u, a)| Op::Deposit(u, a)),
        2 => (0usize..3, 1u64..100).prop_map(|(u, p)| Op::Request(u, p)),
        2 => (0usize..3, 1u64..100).prop_map(|(u, p)| Op::Instant(u, p)),
        1 => (0usize..3).prop_map(Op::Claim),
        1 => (1u64..5).prop_map(Op::Reward),
        1 => (1u64..20).prop_map(Op::Slash),
        1 => (1u64..DELAY).prop_map(Op::Wait),
    ]
}

/// A milli-token amount.
fn milli(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(15))
}

fn check_solvency(world: &World) -> Result<(), TestCaseError> {
    let total = total_assets(world);
    let redeemable =
        [ALICE, BOB, CAROL, TREASURY].iter().map(|who| to_assets(world, lrt_balance(world, *who))).fold(U256::ZERO, |a, b| a + b);
    prop_assert!(redeemable <= total, "redeemable {} > total {}", redeemable, total);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn solvent_and_rate_preserving(ops in proptest::collection::vec(op(), 1..25), buffer in 0u64..20_000) {
        let world = setup_vault();
        world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: milli(buffer) }).unwrap();
        world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(1_000), instantBps: U256::from(30) }).unwrap();
        world.call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(1_000), vestingPeriod: U256::from(3_600) }).unwrap();
        for op in ops {
            // A keeper checkpoint first, so that fees and vesting booked by
            // the next call are not mistaken for an effect of the flow.
            world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
            let before = rate(&world);
            let flow = match op {
                Op::Deposit(u, amount) => vault_deposit(&world, USERS[u], milli(amount)).is_ok(),
                Op::Request(u, percent) => {
                    let shares = lrt_balance(&world, USERS[u]) * U256::from(percent) / U256::from(100);
                    request(&world, USERS[u], shares).is_ok()
                }
                Op::Instant(u, percent) => {
                    let shares = lrt_balance(&world, USERS[u]) * U256::from(percent) / U256::from(100);
                    world.call(USERS[u], VAULT, &IVault::instantRedeemCall { shares, receiver: USERS[u], owner: USERS[u], minAssets: U256::ZERO }).is_ok()
                }
                Op::Claim(u) => {
                    let claimable = world.call(OWNER, VAULT, &IAdmin::controllerRedeemsCall { controller: USERS[u] }).unwrap()._1;
                    !claimable.is_zero() && claim(&world, USERS[u], claimable).is_ok()
                }
                Op::Reward(percent) => { reward(&world, percent); false }
                Op::Slash(percent) => {
                    let m = magnitude(&world, OPERATOR);
                    slash_to(&world, OPERATOR, m * U256::from(100 - percent) / U256::from(100)).unwrap();
                    false
                }
                Op::Wait(seconds) => { world.advance(seconds); false }
            };
            if flow {
                // The rate may fall by its own rounding (a wei) and by what
                // the rebasing token's transfer rounding costs the holders (a
                // wei or two of assets, a rate wei per 1e18 LRT): with a
                // supply of 0.08 LRT, a wei of assets is 12 wei of rate.
                let after = rate(&world);
                let supply = world.call(OWNER, VAULT, &IVault::totalSupplyCall {}).unwrap().max(U256::from(1));
                let allowed = U256::from(1) + (U256::from(2) * ether(1)).div_ceil(supply);
                prop_assert!(after + allowed >= before, "{:?}: rate {} -> {} (supply {})", op, before, after, supply);
            }
            check_solvency(&world)?;
        }
    }
}
