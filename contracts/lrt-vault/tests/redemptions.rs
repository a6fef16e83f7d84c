//! Redemption requests, claims, instant redemption and their views.

use alloy_primitives::U256;
use keel_components::access::Unauthorized;
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

fn funded() -> World {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    vault_deposit(&world, BOB, ether(30)).unwrap();
    world
}

#[test]
fn a_request_burns_the_lrt_and_queues_its_own_withdrawal() {
    let world = funded();
    let id = request(&world, ALICE, ether(4)).unwrap();
    assert_eq!(id, U256::from(1));
    assert_eq!(lrt_balance(&world, ALICE), ether(6));
    assert_eq!(world.call(OWNER, VAULT, &IVault::totalSupplyCall {}).unwrap(), ether(36));
    assert_eq!(total_assets(&world), ether(36));
    assert_eq!(rate(&world), ether(1));
    assert_eq!(withdrawable(&world, VAULT), ether(36));
    let ev = &world.events::<RedeemRequest>(VAULT)[0];
    assert_eq!((ev.controller, ev.owner, ev.requestId, ev.shares, ev.assets), (ALICE, ALICE, id, ether(4), ether(4)));
    assert_eq!(world.call(ALICE, VAULT, &IAdmin::pendingRedeemRequestCall { requestId: id, controller: ALICE }).unwrap(), ether(4));
    assert_eq!(world.call(ALICE, VAULT, &IAdmin::claimableRedeemRequestCall { requestId: id, controller: ALICE }).unwrap(), U256::ZERO);
    assert_eq!(world.call(ALICE, VAULT, &IAdmin::pendingRedeemRequestCall { requestId: id, controller: BOB }).unwrap(), U256::ZERO);
    let r = world.call(ALICE, VAULT, &IAdmin::redeemRequestCall { requestId: id }).unwrap();
    assert_eq!((r._0, r._1, r._2, r._3, r._4), (ALICE, ether(4), ether(4), U256::from(world.timestamp() + DELAY), true));
}

#[test]
fn claims_wait_for_the_delay_and_pay_the_controller_only() {
    let world = funded();
    let id = request(&world, ALICE, ether(4)).unwrap();
    let early = claim(&world, ALICE, ether(4)).unwrap_err();
    assert_eq!(early.decode::<RequestNotClaimable>().unwrap().requestId, id);
    world.advance(DELAY);
    assert_eq!(world.call(ALICE, VAULT, &IAdmin::claimableRedeemRequestCall { requestId: id, controller: ALICE }).unwrap(), ether(4));
    let stranger = world.expect_revert(BOB, VAULT, &IVault::redeemCall { shares: ether(4), receiver: BOB, controller: ALICE });
    assert_eq!(stranger.decode::<NotController>().unwrap().controller, ALICE);
    assert_eq!(claim(&world, ALICE, ether(4)).unwrap(), ether(4));
    assert_eq!(balance(&world, ALICE), ether(994));
    let ev = &world.events::<RedeemClaimed>(VAULT)[0];
    assert_eq!((ev.controller, ev.receiver, ev.requestId, ev.assets), (ALICE, ALICE, id, ether(4)));
    assert!(claim(&world, ALICE, ether(4)).unwrap_err().is::<RequestNotClaimable>());
    assert_eq!(rate(&world), ether(1));
}

#[test]
fn another_owner_needs_an_allowance_and_the_controller_claims() {
    let world = funded();
    let call = IVault::requestRedeemCall { shares: ether(2), controller: BOB, owner: ALICE };
    assert!(world.expect_revert(BOB, VAULT, &call).is::<InsufficientAllowance>());
    world.call(ALICE, VAULT, &IVault::approveCall { spender: BOB, value: ether(2) }).unwrap();
    // The controller is the owner or the caller, never a third account.
    let stranger = IVault::requestRedeemCall { shares: ether(2), controller: CAROL, owner: ALICE };
    assert!(world.expect_revert(BOB, VAULT, &stranger).is::<NotController>());
    world.call(BOB, VAULT, &call).unwrap();
    world.advance(DELAY);
    assert_eq!(world.call(BOB, VAULT, &IVault::redeemCall { shares: ether(2), receiver: CAROL, controller: BOB }).unwrap(), ether(2));
    assert_eq!(balance(&world, CAROL), ether(1_002));
}

#[test]
fn redeem_claims_whole_requests_oldest_first() {
    let world = funded();
    request(&world, ALICE, ether(1)).unwrap();
    world.advance(3_600);
    request(&world, ALICE, ether(2)).unwrap();
    let v = world.call(ALICE, VAULT, &IAdmin::controllerRedeemsCall { controller: ALICE }).unwrap();
    assert_eq!((v._0, v._1, v._2, v._3), (ether(3), U256::ZERO, ether(3), U256::ZERO));
    world.advance(DELAY - 3_600);
    let v = world.call(ALICE, VAULT, &IAdmin::controllerRedeemsCall { controller: ALICE }).unwrap();
    assert_eq!((v._0, v._1, v._2, v._3), (ether(2), ether(1), ether(2), ether(1)));
    assert!(claim(&world, ALICE, ether(2)).unwrap_err().is::<RequestNotClaimable>(), "not a whole number of requests");
    assert!(claim(&world, ALICE, ether(3)).unwrap_err().is::<RequestNotClaimable>(), "the second is still pending");
    assert_eq!(claim(&world, ALICE, ether(1)).unwrap(), ether(1));
    world.advance(3_600);
    assert_eq!(claim(&world, ALICE, ether(2)).unwrap(), ether(2));
    let v = world.call(ALICE, VAULT, &IAdmin::controllerRedeemsCall { controller: ALICE }).unwrap();
    assert_eq!((v._0, v._1), (U256::ZERO, U256::ZERO));
}

#[test]
fn many_requests_of_one_controller_are_kept_in_order() {
    // Eleven requests fill the controller's first word (two ids) and three
    // slots of later ids (four to a slot); another controller's requests in
    // between make the ids non-consecutive.
    let world = funded();
    let mut ids = Vec::new();
    for _ in 0..11 {
        ids.push(request(&world, ALICE, ether(1) / U256::from(4)).unwrap());
        request(&world, BOB, ether(1)).unwrap();
    }
    assert_eq!(ids, (0..11u64).map(|i| U256::from(2 * i + 1)).collect::<Vec<_>>());
    world.advance(DELAY);
    let v = world.call(ALICE, VAULT, &IAdmin::controllerRedeemsCall { controller: ALICE }).unwrap();
    assert_eq!((v._0, v._1), (U256::ZERO, ether(11) / U256::from(4)));
    for chunk in [3usize, 5, 3] {
        claim(&world, ALICE, ether(1) / U256::from(4) * U256::from(chunk)).unwrap();
    }
    let claimed: Vec<U256> = world.events::<RedeemClaimed>(VAULT).iter().map(|ev| ev.requestId).collect();
    assert_eq!(claimed, ids, "claimed oldest first, each once");
    let v = world.call(ALICE, VAULT, &IAdmin::controllerRedeemsCall { controller: ALICE }).unwrap();
    assert_eq!((v._0, v._1), (U256::ZERO, U256::ZERO));
    assert!(claim(&world, ALICE, U256::from(1)).unwrap_err().is::<RequestNotClaimable>(), "none left");
    let bob = world.call(BOB, VAULT, &IAdmin::controllerRedeemsCall { controller: BOB }).unwrap();
    assert_eq!(bob._1, ether(11), "the other controller's requests untouched");
}

#[test]
fn a_request_the_stake_cannot_cover_takes_the_buffer() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(100) }).unwrap();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    let id = request(&world, ALICE, ether(4)).unwrap();
    let r = world.call(ALICE, VAULT, &IAdmin::redeemRequestCall { requestId: id }).unwrap();
    assert_eq!(r._3, U256::from(world.timestamp()), "claimable at once");
    assert_eq!(claim(&world, ALICE, ether(4)).unwrap(), ether(4));
    let too_much = request(&world, ALICE, ether(7)).unwrap_err();
    assert!(too_much.is::<InsufficientBalance>());
}

#[test]
fn instant_redemption_charges_the_fee_within_the_daily_limit() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(20) }).unwrap();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::from(100) }).unwrap();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(5), vestingPeriod: U256::ZERO })
        .unwrap();
    vault_deposit(&world, ALICE, ether(10)).unwrap();
    vault_deposit(&world, BOB, ether(10)).unwrap();
    let (expected, fee) = (ether(4) * U256::from(99) / U256::from(100), ether(4) / U256::from(100));
    let call = IVault::instantRedeemCall { shares: ether(4), receiver: ALICE, owner: ALICE, minAssets: ether(4) };
    assert!(world.expect_revert(ALICE, VAULT, &call).is::<Slippage>());
    let paid = world.call(ALICE, VAULT, &IVault::instantRedeemCall { minAssets: U256::ZERO, ..call.clone() }).unwrap();
    assert_eq!(paid, expected);
    assert_eq!(balance(&world, ALICE), ether(990) + paid);
    let ev = &world.events::<InstantRedeem>(VAULT)[0];
    assert_eq!((ev.shares, ev.assets, ev.fee), (ether(4), paid, fee));
    assert!(rate(&world) > ether(1), "the fee stays with the holders");
    let over =
        world.expect_revert(BOB, VAULT, &IVault::instantRedeemCall { shares: ether(2), receiver: BOB, owner: BOB, minAssets: U256::ZERO });
    assert_eq!(over.decode::<DailyLimitExceeded>().unwrap().remaining, ether(5) - paid);
    world.advance(86_400);
    world.call(BOB, VAULT, &IVault::instantRedeemCall { shares: ether(2), receiver: BOB, owner: BOB, minAssets: U256::ZERO }).unwrap();
}

#[test]
fn instant_redemption_needs_the_buffer() {
    let world = funded();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(100), vestingPeriod: U256::ZERO })
        .unwrap();
    let err = world.expect_revert(
        ALICE,
        VAULT,
        &IVault::instantRedeemCall { shares: ether(1), receiver: ALICE, owner: ALICE, minAssets: U256::ZERO },
    );
    assert_eq!(err.decode::<BufferInsufficient>().unwrap().available, U256::ZERO);
}

#[test]
fn pausing_redemptions_and_claims() {
    let world = funded();
    world.call(OWNER, VAULT, &vault::IAccessControl::pauseCall { bits: U256::from(2) }).unwrap();
    assert!(request(&world, ALICE, ether(1)).unwrap_err().is::<keel_components::access::CurrentlyPaused>());
    world.call(OWNER, VAULT, &vault::IAccessControl::unpauseCall { bits: U256::from(2) }).unwrap();
    request(&world, ALICE, ether(1)).unwrap();
    world.advance(DELAY);
    world.call(OWNER, VAULT, &vault::IAccessControl::pauseCall { bits: U256::from(4) }).unwrap();
    assert!(claim(&world, ALICE, ether(1)).unwrap_err().is::<keel_components::access::CurrentlyPaused>());
    assert!(world.expect_revert(ALICE, VAULT, &vault::IAccessControl::pauseCall { bits: U256::from(4) }).is::<Unauthorized>());
}

/// Found by the invariant campaign (seed 3309): a request worth less than
/// one strategy share queued no withdrawal and had to be paid from the idle
/// buffer; with the buffer empty it was refused, so dust LRT could not leave.
/// The request now queues its shares rounded up (the claim returns the rest).
#[test]
fn dust_lrt_can_be_redeemed_with_an_empty_buffer() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    // A strategy share worth more than one token: one LRT wei is worth less than one share.
    deposit(&world, BOB, ether(100)).unwrap();
    world.call(BOB, TOKEN, &IToken::transferCall { to: SM, value: ether(20) }).unwrap();
    world.advance(2 * 86_400);
    let result = request(&world, ALICE, U256::from(1));
    assert!(result.is_ok(), "a request of one LRT wei was refused: {result:?}");
}

#[test]
fn a_request_above_its_128_bit_record_is_refused_by_name() {
    let world = funded();
    let huge = U256::from(1u8) << 129;
    world.call(OWNER, TOKEN, &IToken::mintCall { to: CAROL, value: huge }).unwrap();
    vault_deposit(&world, CAROL, huge).unwrap();
    let limit = U256::from(u128::MAX);
    let err = request(&world, CAROL, limit + U256::from(1)).unwrap_err();
    let refused = err.decode::<RequestTooLarge>().unwrap();
    assert_eq!(refused.shares, limit + U256::from(1));
    let id = request(&world, CAROL, limit).unwrap();
    let r = world.call(CAROL, VAULT, &IAdmin::redeemRequestCall { requestId: id }).unwrap();
    assert_eq!((r._0, r._1, r._2), (CAROL, limit, limit));
}
