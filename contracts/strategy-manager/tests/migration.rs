//! Migration to a successor StrategyManager: who may move, what moves, and
//! that every balance is preserved.

use alloy_primitives::{Address, U256};
use keel_components::{
    access::{CurrentlyPaused, Unauthorized, ZeroAddress},
    calls::CallFailed,
};
use keel_fixtures::{strategies::*, *};
use keel_strategy_manager::errors::*;
use proptest::prelude::*;

fn migrate(world: &World, who: Address) -> Result<U256, Revert> {
    world.call(who, SM, &ISM::migrateCall { token: TOKEN })
}

/// The error `successor` raised inside a migration (which wraps it in `CallFailed`).
fn successor_error(err: Revert) -> Revert {
    let failed = err.decode::<CallFailed>().expect("a failed call into the successor");
    assert_eq!(failed.callee, SUCCESSOR);
    Revert(failed.reason.to_vec())
}

fn total_shares(world: &World, at: Address) -> U256 {
    world.call(OWNER, at, &ISM::totalSharesCall { token: TOKEN }).unwrap()
}

#[test]
fn an_undelegated_staker_moves_its_whole_deposit_in_one_call() {
    let world = setup_strategy_manager();
    deploy_successor(&world, TOKEN);
    deposit(&world, ALICE, ether(10)).unwrap();
    deposit(&world, BOB, ether(5)).unwrap();

    let minted = migrate(&world, ALICE).unwrap();
    assert_eq!(minted, ether(10));
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), U256::ZERO);
    assert!(world.call(OWNER, SM, &ISM::getStakerStrategyListCall { staker: ALICE }).unwrap().is_empty());
    assert_eq!(world.call(OWNER, SUCCESSOR, &ISM::stakerDepositSharesCall { staker: ALICE, token: TOKEN }).unwrap(), ether(10));
    assert_eq!((token_balance(&world, TOKEN, SM), token_balance(&world, TOKEN, SUCCESSOR)), (ether(5), ether(10)));
    assert_eq!((total_shares(&world, SM), total_shares(&world, SUCCESSOR)), (ether(5), ether(10)));
    assert_eq!(token_balance(&world, TOKEN, ALICE), ether(990), "the staker's wallet is not touched");
    assert_eq!(token_balance(&world, TOKEN, SM), deposit_value(&world, SM, BOB, TOKEN), "the staker left behind keeps all");

    let moved = world.events::<StakeMigrated>(SM);
    assert_eq!(moved.len(), 1);
    let m = &moved[0];
    assert_eq!(
        (m.staker, m.token, m.successor, m.shares, m.amount, m.newShares),
        (ALICE, TOKEN, SUCCESSOR, ether(10), ether(10), ether(10))
    );
    assert_eq!(world.events::<Deposit>(SUCCESSOR)[0].staker, ALICE);
    assert_eq!(migrate(&world, ALICE).unwrap_err().decode::<NothingToMigrate>().unwrap().staker, ALICE);
}

#[test]
fn nothing_moves_before_both_sides_are_named() {
    let world = setup_strategy_manager();
    deposit(&world, ALICE, ether(10)).unwrap();
    assert!(migrate(&world, ALICE).unwrap_err().is::<NoSuccessor>());

    // A successor that does not name this StrategyManager refuses the stake; nothing moves.
    deploy_strategy_manager(&world, SUCCESSOR, TOKEN);
    world.call(OWNER, SM, &ISM::setSuccessorCall { successor: SUCCESSOR }).unwrap();
    let err = successor_error(migrate(&world, ALICE).unwrap_err());
    assert_eq!(err.decode::<NotPredecessor>().unwrap().caller, SM);
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), ether(10));
    assert_eq!(token_balance(&world, TOKEN, SM), ether(10));
    assert_eq!(world.call(OWNER, SM, &ISM::migrationPeersCall {}).unwrap()._0, SUCCESSOR);
}

#[test]
fn peers_are_named_once_by_the_owner_only() {
    let world = setup_strategy_manager();
    let stranger = world.expect_revert(ALICE, SM, &ISM::setSuccessorCall { successor: SUCCESSOR });
    assert!(stranger.is::<Unauthorized>());
    assert!(world.expect_revert(ALICE, SM, &ISM::setPredecessorCall { predecessor: SUCCESSOR }).is::<Unauthorized>());
    assert!(world.expect_revert(OWNER, SM, &ISM::setSuccessorCall { successor: Address::ZERO }).is::<ZeroAddress>());
    deploy_successor(&world, TOKEN);
    let again = world.expect_revert(OWNER, SM, &ISM::setSuccessorCall { successor: BOB });
    assert_eq!(again.decode::<MigrationPeerAlreadySet>().unwrap().current, SUCCESSOR);
    let again = world.expect_revert(OWNER, SUCCESSOR, &ISM::setPredecessorCall { predecessor: BOB });
    assert_eq!(again.decode::<MigrationPeerAlreadySet>().unwrap().current, SM);
    assert_eq!(world.events::<SuccessorSet>(SM).len(), 1);
    assert_eq!(world.events::<PredecessorSet>(SUCCESSOR).len(), 1);
    assert_eq!(world.call(OWNER, SUCCESSOR, &ISM::migrationPeersCall {}).unwrap()._1, SM);
}

#[test]
fn only_the_predecessor_migrates_stake_in() {
    let world = setup_strategy_manager();
    deploy_successor(&world, TOKEN);
    world.call(ALICE, TOKEN, &IToken::approveCall { spender: SUCCESSOR, value: U256::MAX }).unwrap();
    let call = ISM::migrateInCall { staker: BOB, token: TOKEN, amount: ether(1) };
    assert_eq!(world.expect_revert(ALICE, SUCCESSOR, &call).decode::<NotPredecessor>().unwrap().caller, ALICE);
    assert_eq!(token_balance(&world, TOKEN, ALICE), ether(1_000));
}

#[test]
fn the_successor_refusing_a_token_reverts_the_whole_migration() {
    let world = setup_strategy_manager();
    deploy_successor(&world, TOKEN);
    deposit(&world, ALICE, ether(10)).unwrap();
    world.call(OWNER, SUCCESSOR, &ISM::setDepositCapCall { token: TOKEN, cap: ether(9) }).unwrap();
    assert!(successor_error(migrate(&world, ALICE).unwrap_err()).is::<DepositCapExceeded>());
    world.call(OWNER, SUCCESSOR, &ISM::setStrategyWhitelistedCall { token: TOKEN, whitelisted: false }).unwrap();
    assert!(successor_error(migrate(&world, ALICE).unwrap_err()).is::<StrategyNotWhitelisted>());
    assert_eq!(deposit_shares(&world, ALICE, TOKEN), ether(10));
    assert_eq!(token_balance(&world, TOKEN, SM), ether(10));
    assert_eq!(token_balance(&world, TOKEN, SUCCESSOR), U256::ZERO);
}

#[test]
fn pausing_withdrawals_holds_migrations() {
    let world = setup_strategy_manager();
    deploy_successor(&world, TOKEN);
    deposit(&world, ALICE, ether(10)).unwrap();
    world.call(OWNER, SM, &SmAccess::pauseCall { bits: U256::from(2) }).unwrap();
    assert_eq!(migrate(&world, ALICE).unwrap_err().decode::<CurrentlyPaused>().unwrap().flag, 1);
    world.call(OWNER, SM, &SmAccess::unpauseCall { bits: U256::from(2) }).unwrap();
    migrate(&world, ALICE).unwrap();
}

/// A delegated staker's stake is slashable, so it cannot move at once: it
/// undelegates, its stake waits out the delay in the queue (where a slash
/// still reaches it), it completes as shares, and then it migrates.
#[test]
fn delegated_stake_moves_only_through_the_queue_and_keeps_its_slash() {
    let world = setup();
    deploy_successor(&world, TOKEN);
    deposit(&world, ALICE, ether(100)).unwrap();
    deposit(&world, BOB, ether(50)).unwrap();
    delegate(&world, ALICE, OPERATOR).unwrap();
    let refused = migrate(&world, ALICE).unwrap_err().decode::<StakerDelegated>().unwrap();
    assert_eq!((refused.staker, refused.operator), (ALICE, OPERATOR));

    let root = world.call(ALICE, DM, &IDM::undelegateCall { staker: ALICE }).unwrap();
    assert!(migrate(&world, ALICE).unwrap_err().is::<NothingToMigrate>(), "queued stake is not in the deposit");
    slash_to(&world, OPERATOR, wad_percent(80)).unwrap();
    world.advance(DELAY + 1);
    complete(&world, ALICE, root, false).unwrap();
    assert_eq!(migrate(&world, ALICE).unwrap(), ether(80));
    assert_eq!(deposit_value(&world, SUCCESSOR, ALICE, TOKEN), ether(80), "the slash during the delay was taken");
    assert_eq!(deposit_value(&world, SM, BOB, TOKEN), ether(50));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every balance is preserved: the migrating staker takes out exactly
    /// what it could have withdrawn and the successor mints it what an
    /// ordinary deposit of what arrived would (its virtual offsets' rounding
    /// included; the rebasing token may deliver a wei more or less), and the stakers left behind lose nothing but the rebasing token's own
    /// transfer rounding (a transfer out at a rebased factor may take a wei
    /// or two above its amount, as every withdrawal does), whatever the
    /// deposits, rebases and earlier migrations into the successor.
    #[test]
    fn migration_preserves_every_balance(
        alice in 1u64..1_000_000, bob in 1u64..1_000_000, carol in 1u64..1_000_000,
        rebase_bps in 9_000u64..12_000, early_carol in any::<bool>(),
    ) {
        let world = setup_strategy_manager();
        deploy_successor(&world, TOKEN);
        fund_token(&world, TOKEN, CAROL, ether(1_000));
        let gwei = |n: u64| U256::from(n) * U256::from(1_000_000_000u64);
        deposit(&world, ALICE, gwei(alice)).unwrap();
        deposit(&world, BOB, gwei(bob)).unwrap();
        deposit(&world, CAROL, gwei(carol)).unwrap();
        if early_carol {
            migrate(&world, CAROL).unwrap();
        }
        let factor = U256::from(rebase_bps) * U256::from(100_000_000_000_000u64);
        world.call(OWNER, TOKEN, &IToken::rebaseCall { factorWad: factor }).unwrap();
        let (alice_before, bob_before) = (deposit_value(&world, SM, ALICE, TOKEN), deposit_value(&world, SM, BOB, TOKEN));
        let carol_before = deposit_value(&world, SUCCESSOR, CAROL, TOKEN);

        let rounding = U256::from(2);
        let quote = |amount: U256| world.call(OWNER, SUCCESSOR, &ISM::underlyingToSharesCall { token: TOKEN, amount }).unwrap();
        let (most, least) = (quote(alice_before + rounding), quote(alice_before - rounding.min(alice_before)));

        let minted = migrate(&world, ALICE).unwrap();
        let moved = world.events::<StakeMigrated>(SM).pop().unwrap();
        prop_assert_eq!(moved.amount, alice_before, "the staker moves exactly what it could have withdrawn");
        prop_assert!(least <= minted && minted <= most, "minted {minted}, a deposit of that amount mints {least}..{most}");
        prop_assert!(deposit_value(&world, SUCCESSOR, ALICE, TOKEN) <= alice_before + rounding);
        let bob_after = deposit_value(&world, SM, BOB, TOKEN);
        prop_assert!(bob_after + rounding >= bob_before, "{bob_before} → {bob_after}");
        let carol_after = deposit_value(&world, SUCCESSOR, CAROL, TOKEN);
        prop_assert!(carol_after + rounding >= carol_before, "{carol_before} → {carol_after}");
        prop_assert!(token_balance(&world, TOKEN, SM) >= deposit_value(&world, SM, BOB, TOKEN));
    }
}

/// Several tokens move together through `multicall`: all of them, or none
/// when the successor refuses one.
#[test]
fn several_tokens_move_in_one_batch_all_or_nothing() {
    use alloy_sol_types::SolCall;
    let world = setup_strategy_manager();
    deploy_successor(&world, TOKEN);
    let second = Address::repeat_byte(0x72);
    deploy_token(&world, second, "Second Staked Ether", "sETH2");
    world.call(OWNER, SM, &ISM::addStrategyCall { token: second, cap: U256::MAX }).unwrap();
    fund_token(&world, second, ALICE, ether(100));
    deposit(&world, ALICE, ether(10)).unwrap();
    world.call(ALICE, SM, &ISM::depositIntoStrategyCall { token: second, amount: ether(20) }).unwrap();
    let batch = ISM::multicallCall { data: [TOKEN, second].map(|token| ISM::migrateCall { token }.abi_encode().into()).to_vec() };
    let refused = successor_error(world.call(ALICE, SM, &batch).unwrap_err());
    assert!(refused.is::<StrategyNotWhitelisted>(), "the successor has no strategy for the second token");
    assert_eq!((deposit_shares(&world, ALICE, TOKEN), deposit_shares(&world, ALICE, second)), (ether(10), ether(20)));

    world.call(OWNER, SUCCESSOR, &ISM::addStrategyCall { token: second, cap: U256::MAX }).unwrap();
    world.call(ALICE, SM, &batch).unwrap();
    assert_eq!((deposit_value(&world, SUCCESSOR, ALICE, TOKEN), deposit_value(&world, SUCCESSOR, ALICE, second)), (ether(10), ether(20)));
    assert!(world.call(OWNER, SM, &ISM::getStakerStrategyListCall { staker: ALICE }).unwrap().is_empty());
}
