//! The withdrawal queue: delays, completion as tokens or shares, and pausing.

use alloy_primitives::{B256, U256};
use keel_components::access::{CurrentlyPaused, Unauthorized};
use keel_delegation_manager::errors::*;
use keel_fixtures::*;

#[test]
fn a_withdrawal_pays_tokens_only_after_the_delay_and_only_once() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let root = queue(&world, ALICE, ether(4)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(6));
    assert_eq!(withdrawable(&world, ALICE), ether(6));

    let err = complete(&world, ALICE, root, true).unwrap_err();
    let completable = err.decode::<WithdrawalDelayNotElapsed>().unwrap().completableAt;
    assert_eq!(completable, U256::from(world.timestamp() + DELAY));
    world.advance(DELAY);
    assert_eq!(complete(&world, BOB, root, true).unwrap_err().decode::<Unauthorized>().unwrap().caller, BOB);
    complete(&world, ALICE, root, true).unwrap();
    assert_eq!(balance(&world, ALICE), ether(994));
    assert!(complete(&world, ALICE, root, true).unwrap_err().is::<WithdrawalNotQueued>());
    let ev = &world.events::<WithdrawalCompleted>(DM)[0];
    assert_eq!((ev.root, ev.staker, ev.receiveAsTokens), (root, ALICE, true));
    let paid = &world.events::<WithdrawalPaid>(DM)[0];
    assert_eq!((paid.root, paid.token, paid.shares), (root, TOKEN, ether(4)));
}

#[test]
fn bad_queue_requests_are_refused_by_name() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    let err = queue(&world, ALICE, ether(11)).unwrap_err();
    assert_eq!(err.decode::<InsufficientShares>().unwrap().have, ether(10));
    assert!(queue(&world, ALICE, U256::ZERO).unwrap_err().is::<ZeroShares>());
    let err = world.expect_revert(ALICE, DM, &IDM::queueWithdrawalCall { tokens: vec![TOKEN], depositShares: vec![] });
    assert!(err.is::<InputLengthMismatch>());
    let unknown = B256::repeat_byte(5);
    assert!(complete(&world, ALICE, unknown, true).unwrap_err().is::<WithdrawalNotQueued>());
}

#[test]
fn undelegated_stakers_withdraw_too() {
    let world = setup();
    deposit(&world, BOB, ether(3)).unwrap();
    let root = queue(&world, BOB, ether(3)).unwrap();
    world.advance(DELAY);
    complete(&world, BOB, root, true).unwrap();
    assert_eq!(balance(&world, BOB), ether(1_000));
}

#[test]
fn completing_as_shares_redelegates_to_the_current_operator() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let root = queue(&world, ALICE, ether(10)).unwrap();
    world.advance(DELAY);
    complete(&world, ALICE, root, false).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR), ether(10));
    assert_eq!(withdrawable(&world, ALICE), ether(10));
    assert_eq!(balance(&world, ALICE), ether(990));
}

#[test]
fn queue_entry_and_exit_pause_separately() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    let root = queue(&world, ALICE, ether(5)).unwrap();
    world.call(OWNER, DM, &DmAccess::pauseCall { bits: U256::from(2) }).unwrap();
    assert_eq!(queue(&world, ALICE, ether(1)).unwrap_err().decode::<CurrentlyPaused>().unwrap().flag, 1);
    world.advance(DELAY);
    complete(&world, ALICE, root, true).unwrap();
    world.call(OWNER, DM, &DmAccess::pauseCall { bits: U256::from(4) }).unwrap();
    world.call(OWNER, DM, &DmAccess::unpauseCall { bits: U256::from(2) }).unwrap();
    let root = queue(&world, ALICE, ether(1)).unwrap();
    world.advance(DELAY);
    assert_eq!(complete(&world, ALICE, root, true).unwrap_err().decode::<CurrentlyPaused>().unwrap().flag, 2);
}

/// Issue 18 F8: the floor was one hour while a veto request takes up to 3
/// days from request to execution, so a staker could queue after a request
/// was published and leave before it executed. The delay is now between
/// the longest slash path (3 days) and 14 days (the registry's tests check
/// that the floors compose).
#[test]
fn the_withdrawal_delay_spans_the_longest_slash_path() {
    use keel_delegation_manager::{MAX_WITHDRAWAL_DELAY, MIN_WITHDRAWAL_DELAY};
    let world = core();
    let fresh = alloy_primitives::Address::repeat_byte(0x61);
    let deploy = |delay: u64| deploy_delegation_manager(&world, fresh, SM, delay);
    for delay in [3_600, MIN_WITHDRAWAL_DELAY - 1, MAX_WITHDRAWAL_DELAY + 1] {
        let bounds = deploy(delay).unwrap_err().decode::<DelayOutOfBounds>().unwrap();
        assert_eq!((bounds.minimum, bounds.maximum), (U256::from(3 * 86_400), U256::from(14 * 86_400)), "delay {delay}");
    }
    deploy(MIN_WITHDRAWAL_DELAY).unwrap();
    let config = world.call(OWNER, fresh, &IDM::configCall {}).unwrap();
    assert_eq!(config._3, U256::from(MIN_WITHDRAWAL_DELAY));
}

/// `queuedWithdrawalEntry` reports what the entry pays if completed now: a
/// slash during the delay reaches it, one after the delay does not (the LRT
/// vault values an operator change in the queue by it).
#[test]
fn a_queued_entry_reports_what_it_pays_now() {
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let root = queue(&world, ALICE, ether(10)).unwrap();
    let paid = |world: &World| world.call(OWNER, DM, &IDM::queuedWithdrawalEntryCall { root, index: U256::ZERO }).unwrap()._2;
    assert_eq!(paid(&world), ether(10));
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    assert_eq!(paid(&world), ether(5), "a slash in the delay reaches it");
    world.advance(DELAY);
    slash_to(&world, OPERATOR, wad_percent(25)).unwrap();
    assert_eq!(paid(&world), ether(5), "one after the delay does not");
    complete(&world, ALICE, root, true).unwrap();
    assert_eq!(balance(&world, ALICE), ether(995));
}

#[test]
fn queued_entries_below_and_above_2_pow_96_scaled_shares_are_kept_whole() {
    let world = setup();
    let wide = keel_delegation_manager::WIDE_SCALED;
    world.call(OWNER, TOKEN, &IToken::mintCall { to: ALICE, value: wide * U256::from(2) }).unwrap();
    deposit(&world, ALICE, wide * U256::from(2)).unwrap();
    for amount in [wide - U256::from(1), wide + U256::from(1)] {
        let root = queue(&world, ALICE, amount).unwrap();
        let (token, scaled) = {
            let entry = world.call(OWNER, DM, &IDM::queuedWithdrawalEntryCall { root, index: U256::ZERO }).unwrap();
            (entry._0, entry._1)
        };
        assert_eq!((token, scaled), (TOKEN, amount), "one share per token, factor 1e18");
        world.advance(DELAY);
        complete(&world, ALICE, root, true).unwrap();
        let paid = world.events::<WithdrawalPaid>(DM).last().unwrap().shares;
        assert_eq!(paid, amount);
    }
}

#[test]
fn a_staker_completes_several_withdrawals_in_one_batch_all_or_nothing() {
    use alloy_sol_types::SolCall;
    let world = setup();
    deposit(&world, ALICE, ether(10)).unwrap();
    let roots = [queue(&world, ALICE, ether(2)).unwrap(), queue(&world, ALICE, ether(3)).unwrap()];
    world.advance(DELAY + 1);
    let completion =
        |root: B256| -> alloy_primitives::Bytes { IDM::completeQueuedWithdrawalCall { root, receiveAsTokens: true }.abi_encode().into() };
    let before = balance(&world, ALICE);

    // Completing the first root twice fails the second call and undoes the first.
    let twice = IDM::multicallCall { data: vec![completion(roots[0]), completion(roots[0])] };
    assert_eq!(world.expect_revert(ALICE, DM, &twice).decode::<WithdrawalNotQueued>().unwrap().root, roots[0]);
    assert_eq!(balance(&world, ALICE), before);
    // Only the withdrawer completes: a batch sent by BOB runs as BOB.
    let both = IDM::multicallCall { data: roots.iter().map(|r| completion(*r)).collect() };
    assert_eq!(world.expect_revert(BOB, DM, &both).decode::<Unauthorized>().unwrap().caller, BOB);

    world.call(ALICE, DM, &both).unwrap();
    assert_eq!(balance(&world, ALICE), before + ether(5));
}
