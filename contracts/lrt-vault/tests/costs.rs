//! Storage slots written per vault operation across all contracts (each is
//! an SSTORE on chain), printed and bounded at today's figures.
//! (A request that queues a withdrawal also counts it in the vault's
//! own-withdrawal counter, which tells a forced undelegation's apart; a
//! checkpoint that books a gain also writes the vesting schedule's end.)

use alloy_primitives::U256;
use keel_fixtures::{lrt::*, *};

#[test]
fn storage_writes_per_operation() {
    let world = setup_vault();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(1_000), instantBps: U256::from(10) }).unwrap();
    world
        .call(
            OWNER,
            VAULT,
            &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(100), vestingPeriod: U256::from(86_400) },
        )
        .unwrap();
    let mut rows = Vec::new();
    let mut measure = |name: &str, bound: usize, run: &dyn Fn()| {
        run();
        let written = world.slots_written();
        rows.push(format!("{name:<36} {written:>3} (bound {bound})"));
        assert!(written <= bound, "{name} wrote {written} slots");
    };
    measure("first deposit (restaked, delegated)", 16, &|| {
        vault_deposit(&world, ALICE, ether(10)).unwrap();
    });
    measure("repeat deposit (restaked)", 14, &|| {
        vault_deposit(&world, ALICE, ether(10)).unwrap();
    });
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(100) }).unwrap();
    measure("deposit into the buffer", 8, &|| {
        vault_deposit(&world, BOB, ether(10)).unwrap();
    });
    measure("instantRedeem", 10, &|| {
        world.call(BOB, VAULT, &IVault::instantRedeemCall { shares: ether(1), receiver: BOB, owner: BOB, minAssets: U256::ZERO }).unwrap();
    });
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: U256::ZERO }).unwrap();
    measure("requestRedeem (queues a withdrawal)", 32, &|| {
        request(&world, ALICE, ether(5)).unwrap();
    });
    reward(&world, 1);
    world.advance(DELAY);
    measure("redeem (1 request, fee accrued)", 12, &|| {
        claim(&world, ALICE, ether(5)).unwrap();
    });
    measure("rebalance (keeper checkpoint)", 14, &|| {
        world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    });
    println!("slots written per operation (all contracts, incl. token balances):\n{}", rows.join("\n"));
}
