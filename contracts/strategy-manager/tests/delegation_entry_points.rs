//! Entry points reserved for the DelegationManager, and slashed-share payouts.

use alloy_primitives::{Address, U256};
use keel_components::access::Unauthorized;
use keel_fixtures::{strategies::*, *};
use keel_strategy_manager::errors::*;

/// A privileged call made as the given account.
type CallAs<'a> = dyn Fn(Address) -> Result<(), Revert> + 'a;

fn setup_with_dm() -> World {
    let world = setup_strategy_manager();
    world.call(OWNER, SM, &ISM::setDelegationManagerCall { delegationManager: DM }).unwrap();
    deposit(&world, ALICE, ether(10)).unwrap();
    world
}

#[test]
fn only_the_delegation_manager_moves_shares() {
    let world = setup_with_dm();
    let calls: Vec<Box<CallAs>> = vec![
        Box::new(|who| world.call(who, SM, &ISM::addSharesCall { staker: ALICE, token: TOKEN, shares: ether(1) }).map(|_| ())),
        Box::new(|who| world.call(who, SM, &ISM::stakerDelegatedCall { staker: ALICE }).map(|_| ())),
        Box::new(|who| world.call(who, SM, &ISM::removeDepositSharesCall { staker: ALICE, token: TOKEN, shares: ether(1) }).map(|_| ())),
        Box::new(|who| {
            world.call(who, SM, &ISM::withdrawSharesAsTokensCall { recipient: who, token: TOKEN, shares: ether(1) }).map(|_| ())
        }),
        Box::new(|who| {
            world.call(who, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: who, avs: who, shares: ether(1) }).map(|_| ())
        }),
    ];
    for call in &calls {
        for intruder in [ALICE, OWNER, SM] {
            let err = call(intruder).unwrap_err();
            assert_eq!(err.decode::<Unauthorized>().unwrap().caller, intruder);
        }
        call(DM).unwrap();
    }
}

#[test]
fn queue_then_complete_as_tokens_pays_the_share_value() {
    let world = setup_with_dm();
    let empty = world.call(DM, SM, &ISM::removeDepositSharesCall { staker: ALICE, token: TOKEN, shares: ether(10) }).unwrap();
    assert!(empty);
    assert!(world.call(ALICE, SM, &ISM::getStakerStrategyListCall { staker: ALICE }).unwrap().is_empty());
    let err = world.expect_revert(DM, SM, &ISM::removeDepositSharesCall { staker: ALICE, token: TOKEN, shares: U256::from(1) });
    assert_eq!(err.decode::<InsufficientShares>().unwrap().have, U256::ZERO);

    let paid = world.call(DM, SM, &ISM::withdrawSharesAsTokensCall { recipient: ALICE, token: TOKEN, shares: ether(10) }).unwrap();
    assert_eq!(paid, ether(10));
    assert_eq!(token_balance(&world, TOKEN, ALICE), ether(1_000));
    assert_eq!(world.call(ALICE, SM, &ISM::totalSharesCall { token: TOKEN }).unwrap(), U256::ZERO);
    let ev = &world.events::<SharesWithdrawn>(SM)[0];
    assert_eq!((ev.recipient, ev.shares, ev.amount), (ALICE, ether(10), ether(10)));
}

#[test]
fn completing_as_shares_recredits_the_staker() {
    let world = setup_with_dm();
    world.call(DM, SM, &ISM::removeDepositSharesCall { staker: ALICE, token: TOKEN, shares: ether(4) }).unwrap();
    let previous = world.call(DM, SM, &ISM::addSharesCall { staker: ALICE, token: TOKEN, shares: ether(4) }).unwrap();
    assert_eq!(previous, ether(6));
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), ether(10));
    assert_eq!(world.events::<SharesAdded>(SM).len(), 1);
}

#[test]
fn withdrawals_pause_independently_of_deposits() {
    let world = setup_with_dm();
    world.call(OWNER, SM, &SmAccess::pauseCall { bits: U256::from(2) }).unwrap();
    let err = world.expect_revert(DM, SM, &ISM::withdrawSharesAsTokensCall { recipient: ALICE, token: TOKEN, shares: ether(1) });
    assert_eq!(err.decode::<keel_components::access::CurrentlyPaused>().unwrap().flag, 1);
    deposit(&world, BOB, ether(1)).unwrap();
}

/// Issue 18, also reported: `clearSlashedShares` paid out while withdrawals
/// were paused. Pausing withdrawals now holds slashed shares too (still
/// recorded, so a slash is never blocked); they are paid once unpaused.
#[test]
fn pausing_withdrawals_holds_slashed_share_payouts() {
    let world = setup_with_dm();
    world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO, shares: ether(3) }).unwrap();
    world.call(OWNER, SM, &SmAccess::pauseCall { bits: U256::from(2) }).unwrap();
    let err = world.expect_revert(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO });
    assert_eq!(err.decode::<keel_components::access::CurrentlyPaused>().unwrap().flag, 1);
    world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO, shares: ether(1) }).unwrap();
    assert_eq!(token_balance(&world, TOKEN, BURN), U256::ZERO);
    world.call(OWNER, SM, &SmAccess::unpauseCall { bits: U256::from(2) }).unwrap();
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    assert_eq!(world.call(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap(), ether(4));
}

#[test]
fn slashed_shares_are_paid_out_by_anyone_once() {
    let world = setup_with_dm();
    // 3 of Alice's 10 shares were slashed: the DelegationManager records them for burning.
    world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO, shares: ether(3) }).unwrap();
    assert_eq!(world.call(BOB, SM, &ISM::slashEscrowCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap()._0, ether(3));
    world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
    let paid = world.call(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO }).unwrap();
    assert_eq!(paid, ether(3));
    assert_eq!(token_balance(&world, TOKEN, BURN), ether(3));
    assert_eq!(world.call(BOB, SM, &ISM::totalSharesCall { token: TOKEN }).unwrap(), ether(7));
    let again = world.expect_revert(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient: BURN, avs: Address::ZERO });
    assert!(again.is::<ZeroAmount>());
    let ev = &world.events::<SlashedSharesCleared>(SM)[0];
    assert_eq!((ev.recipient, ev.shares, ev.amount), (BURN, ether(3), ether(3)));
}

/// Records are kept at one past their shares once opened (the burn
/// address's with the strategy, any other's by its first slash) and stay
/// open after a payout: every figure read back is the exact share count.
#[test]
fn slashed_share_records_read_exact_counts_after_payouts() {
    let world = setup_with_dm();
    let pending = |recipient| world.call(BOB, SM, &ISM::slashEscrowCall { token: TOKEN, recipient, avs: DM }).unwrap()._0;
    let victims = Address::repeat_byte(0x77);
    for recipient in [BURN, victims] {
        assert_eq!(pending(recipient), U256::ZERO);
        let err = world.expect_revert(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient, avs: DM });
        assert!(err.is::<ZeroAmount>());
        for round in 1..=2u64 {
            world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient, avs: DM, shares: U256::from(round) }).unwrap();
            world.call(DM, SM, &ISM::addSlashedSharesCall { token: TOKEN, recipient, avs: DM, shares: U256::from(1) }).unwrap();
            assert_eq!(pending(recipient), U256::from(round + 1));
            world.advance(keel_strategy_manager::DEFAULT_SLASH_ESCROW_DELAY);
            assert_eq!(
                world.call(BOB, SM, &ISM::clearSlashedSharesCall { token: TOKEN, recipient, avs: DM }).unwrap(),
                U256::from(round + 1)
            );
            assert_eq!(pending(recipient), U256::ZERO);
        }
    }
}
