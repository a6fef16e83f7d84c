//! Issue 18 F2's second half: holders leaving through the instant path while
//! a slash request against the vault's operator sits public in its veto
//! window. Anyone may report the request; instant redemptions are then
//! refused until it expires, while requests (still slashable) stay open.

use alloy_primitives::{Address, U256};
use keel_fixtures::{lrt::*, registry::*, *};
use keel_lrt_vault::errors::*;

const V: Address = VAULT_BY_REGISTRY;
/// Veto window of the test condition.
const VETO: u64 = 86_400;
/// The registry's execution window after the veto window.
const EXECUTION: u64 = 86_400;

/// The vault beside the registry: ALICE and MALLORY deposit 100 each, 100
/// stays idle (instant fee 2.5%, 1,000 a day); OPERATOR allocates all to
/// ORACLE's set, whose condition (cap 50%) has a veto window; ORACLE
/// requests a 50% slash. Returns the world and the request's id.
fn requested() -> (World, u64) {
    let world = setup_vault_with_registry();
    let id = request(&world);
    (world, id)
}

/// [`requested`]'s deposits and request in `world`; returns the request's id.
fn request(world: &World) -> u64 {
    world.call(MANAGER, V, &IAdmin::setBufferTargetCall { target: ether(100) }).unwrap();
    world.call(OWNER, V, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::from(250) }).unwrap();
    world
        .call(OWNER, V, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(1_000), vestingPeriod: U256::ZERO })
        .unwrap();
    world.call(ALICE, V, &IVault::depositCall { assets: ether(100), receiver: ALICE }).unwrap();
    world.call(MALLORY, V, &IVault::depositCall { assets: ether(100), receiver: MALLORY }).unwrap();
    create_set(world, ORACLE, 0);
    let condition = add_condition(world, ORACLE, 0, U256::from(percent(50)), VETO, Address::ZERO);
    join(world, OPERATOR, ORACLE, 0, vec![condition]).unwrap();
    allocate(world, OPERATOR, ORACLE, 0, percent(100)).unwrap();
    request_slash(world, ORACLE, OPERATOR, condition, U256::from(percent(50))).unwrap()
}

fn instant(world: &World, who: Address, shares: U256) -> Result<U256, Revert> {
    world.call(who, V, &IVault::instantRedeemCall { shares, receiver: who, owner: who, minAssets: U256::ZERO })
}

/// MALLORY sees the request and leaves from the buffer at the pre-slash
/// rate for 2.5%: without the hold she got 97.5 and the slash fell on
/// ALICE alone. Reported by anyone, the request holds the instant path
/// until it expires; MALLORY may still request, through the queue.
#[test]
fn a_pending_slash_request_holds_instant_redemptions_until_it_expires() {
    let (world, id) = requested();
    world.call(CAROL, V, &IAdmin::holdInstantRedemptionsCall { slashId: id }).unwrap();
    let requested_at = world.timestamp();
    let until = U256::from(requested_at + VETO + EXECUTION);
    let ev = world.events::<InstantRedemptionsHeld>(V);
    assert_eq!((ev[0].slashId, ev[0].until), (U256::from(id), until));
    assert_eq!(world.call(OWNER, V, &IAdmin::instantHeldUntilCall {}).unwrap(), until);
    let err = instant(&world, MALLORY, ether(100)).unwrap_err();
    assert_eq!(err.decode::<SlashRequestPending>().unwrap().until, until, "MALLORY left at the pre-slash rate");
    // Requests stay open: their withdrawals stay slashable through the delay.
    let call = IVault::requestRedeemCall { shares: ether(100), controller: MALLORY, owner: MALLORY };
    let request = world.call(MALLORY, V, &call).unwrap();
    let claimable_at = world.call(OWNER, V, &IAdmin::redeemRequestCall { requestId: request }).unwrap()._3;
    assert_eq!(claimable_at, U256::from(world.timestamp() + DELAY));
    world.advance(VETO);
    world.call(CAROL, REGISTRY, &IReg::executeSlashCall { slashId: id, strategies: vec![TOKEN], wads: vec![percent(50)] }).unwrap();
    world.advance(EXECUTION - 1);
    assert!(instant(&world, ALICE, ether(1)).unwrap_err().is::<SlashRequestPending>());
    world.advance(1);
    assert!(instant(&world, ALICE, ether(1)).is_ok(), "the hold ends when the request expires");
    // MALLORY's request was paid from the stake, so it bears the slash.
    world.advance(DELAY);
    let paid = world.call(MALLORY, V, &IVault::redeemCall { shares: ether(100), receiver: MALLORY, controller: MALLORY }).unwrap();
    assert_eq!(paid, ether(50));
}

/// Only a pending request against the vault's stake holds the instant
/// path: not one against another operator, not an unknown or vetoed one,
/// and not one past its expiry.
#[test]
fn only_a_pending_request_against_the_vaults_operator_holds_instant_redemptions() {
    // OPERATOR2's allocation delay takes the configuration delay (17.5 days)
    // to take effect: longer than the request lives, so it comes first.
    let world = setup_vault_with_registry();
    register(&world, OPERATOR2, Address::ZERO);
    ready_operator(&world, OPERATOR2);
    let id = request(&world);
    let hold = |slash_id: u64| world.expect_revert(CAROL, V, &IAdmin::holdInstantRedemptionsCall { slashId: slash_id });
    assert_eq!(hold(id + 1).decode::<NotHoldable>().unwrap().slashId, U256::from(id + 1));
    let condition = add_condition(&world, ORACLE, 0, U256::from(percent(50)), VETO, Address::ZERO);
    join(&world, OPERATOR2, ORACLE, 0, vec![condition]).unwrap();
    allocate(&world, OPERATOR2, ORACLE, 0, percent(100)).unwrap();
    let other = request_slash(&world, ORACLE, OPERATOR2, condition, U256::from(percent(10))).unwrap();
    assert!(hold(other).is::<NotHoldable>());
    world.call(RESOLVER, REGISTRY, &IReg::vetoSlashCall { slashId: id }).unwrap();
    assert!(hold(id).is::<NotHoldable>());
    assert_eq!(instant(&world, MALLORY, ether(10)).unwrap(), wad_percent(975));
}
