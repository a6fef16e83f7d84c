//! The scenarios: slashing, rewards and fees, donation and sandwich
//! attacks, operator changes.

use alloy_primitives::{Address, B256, U256};
use keel_fixtures::{lrt::*, *};
use keel_lrt_vault::errors::*;

/// |a - b| <= tolerance.
fn close(a: U256, b: U256, tolerance: u64) -> bool {
    a.abs_diff(b) <= U256::from(tolerance)
}

#[test]
fn a_ten_percent_slash_reaches_holders_and_a_pending_redemption() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, BOB, ether(100)).unwrap();
    let id = request(&world, BOB, ether(50)).unwrap();
    slash_to(&world, OPERATOR, wad_percent(90)).unwrap();
    assert_eq!(rate(&world), wad_percent(90), "the rate falls 10%");
    assert_eq!(to_assets(&world, lrt_balance(&world, ALICE)), ether(90));
    assert_eq!(to_assets(&world, lrt_balance(&world, BOB)), ether(45));
    assert_eq!(total_assets(&world), ether(135));
    world.advance(DELAY);
    let paid = claim(&world, BOB, ether(50)).unwrap();
    assert_eq!(paid, ether(45), "the pending redemption pays the slashed value");
    assert_eq!(world.events::<RedeemClaimed>(VAULT)[0].requestId, id);
    assert_eq!(rate(&world), wad_percent(90));
}

#[test]
fn a_slash_after_the_delay_does_not_reach_a_claimable_request() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    request(&world, ALICE, ether(50)).unwrap();
    world.advance(DELAY + 1);
    slash_to(&world, OPERATOR, wad_percent(90)).unwrap();
    assert_eq!(claim(&world, ALICE, ether(50)).unwrap(), ether(50));
    assert_eq!(to_assets(&world, lrt_balance(&world, ALICE)), ether(45));
}

#[test]
fn rewards_vest_into_the_rate_and_the_treasury_gets_exactly_the_fee() {
    let world = setup_vault();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(1_000), instantBps: U256::ZERO }).unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, BOB, ether(100)).unwrap();
    reward(&world, 10);
    assert_eq!(rate(&world), ether(1), "a fresh gain is unvested");
    // A keeper's checkpoint starts the vesting.
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    assert!(lrt_balance(&world, TREASURY).is_zero());
    world.advance(43_200);
    let half = rate(&world);
    assert!(close(half, wad_percent(105), 10), "{half}");
    world.advance(43_200);
    assert!(close(rate(&world), wad_percent(110), 10));
    // The next interaction books the fee: 10% of the 20-token gain.
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    let fee_shares = lrt_balance(&world, TREASURY);
    let fee_value = to_assets(&world, fee_shares);
    assert!(fee_value <= ether(2) && close(fee_value, ether(2), 1_000), "{fee_value}");
    println!("performance fee: {fee_value} of 2e18 due ({} wei rounded in the holders' favour)", ether(2) - fee_value);
    let ev = &world.events::<FeeMinted>(VAULT)[0];
    assert_eq!((ev.treasury, ev.shares), (TREASURY, fee_shares));
    assert!(close(rate(&world), ether(1) + wad_percent(9), 10), "holders keep 90% of the gain");
    assert!(close(to_assets(&world, lrt_balance(&world, ALICE)), ether(109), 1_000));
    assert!(!world.events::<RateUpdated>(VAULT).is_empty());
    // No fee again until the rate passes the high-water mark.
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    assert_eq!(lrt_balance(&world, TREASURY), fee_shares);
}

#[test]
fn rewards_after_a_request_stay_with_the_holders() {
    let world = setup_vault();
    world
        .call(OWNER, VAULT, &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: U256::ZERO, vestingPeriod: U256::ZERO })
        .unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, BOB, ether(100)).unwrap();
    request(&world, BOB, ether(100)).unwrap();
    reward(&world, 10);
    world.advance(DELAY);
    assert_eq!(claim(&world, BOB, ether(100)).unwrap(), ether(100));
    let alice = to_assets(&world, lrt_balance(&world, ALICE));
    assert!(close(alice, ether(120), 1_000), "Alice gets the whole reward: {alice}");
}

#[test]
fn a_donation_does_not_move_the_rate_and_the_inflation_attack_fails() {
    let world = setup_vault();
    // Mallory seeds the vault with 1 wei and donates 100 tokens to it.
    vault_deposit(&world, MALLORY, U256::from(1)).unwrap();
    world.call(MALLORY, TOKEN, &IToken::transferCall { to: VAULT, value: ether(100) }).unwrap();
    assert_eq!(rate(&world), ether(1));
    assert_eq!(total_assets(&world), U256::from(1));
    let minted = vault_deposit(&world, ALICE, ether(10)).unwrap();
    assert_eq!(minted, ether(10));
    assert!(close(to_assets(&world, minted), ether(10), 1));
    assert!(to_assets(&world, lrt_balance(&world, MALLORY)) <= U256::from(1));
}

#[test]
fn a_donation_to_the_strategy_vests_and_profits_nobody_who_entered_after() {
    let world = setup_vault();
    vault_deposit(&world, MALLORY, U256::from(1)).unwrap();
    world.call(MALLORY, TOKEN, &IToken::transferCall { to: SM, value: ether(100) }).unwrap();
    // The strategy's own offsets keep most of the donation; the vault's part
    // is a gain that vests, so Alice, who deposits next, pays no premium.
    let minted = vault_deposit(&world, ALICE, ether(10)).unwrap();
    let alice = to_assets(&world, minted);
    assert!(alice >= wad_percent(990) && alice <= ether(10), "{alice}");
    world.advance(86_400);
    let mallory = to_assets(&world, lrt_balance(&world, MALLORY));
    assert!(mallory < ether(1), "Mallory donated 100 and holds {mallory}");
}

#[test]
fn sandwiching_a_reward_is_not_profitable() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(400) }).unwrap();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::from(10) }).unwrap();
    world
        .call(
            OWNER,
            VAULT,
            &IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: ether(10_000), vestingPeriod: U256::from(86_400) },
        )
        .unwrap();
    vault_deposit(&world, ALICE, ether(500)).unwrap();
    // Mallory deposits right before a 1% reward, and leaves right after.
    let shares = vault_deposit(&world, MALLORY, ether(500)).unwrap();
    reward(&world, 1);
    let id = request(&world, MALLORY, shares / U256::from(2)).unwrap();
    let out = world
        .call(
            MALLORY,
            VAULT,
            &IVault::instantRedeemCall { shares: shares / U256::from(2), receiver: MALLORY, owner: MALLORY, minAssets: U256::ZERO },
        )
        .unwrap();
    world.advance(DELAY);
    let claimed = claim(&world, MALLORY, shares / U256::from(2)).unwrap();
    assert!(out + claimed <= ether(500), "Mallory ends with {} of 500", out + claimed);
    assert_eq!(world.events::<RedeemClaimed>(VAULT)[0].requestId, id);
    // Alice, who stayed, gets the whole reward once it has vested.
    assert!(to_assets(&world, lrt_balance(&world, ALICE)) > ether(505));
}

#[test]
fn front_running_a_slash_with_a_request_does_not_escape_it() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    vault_deposit(&world, MALLORY, ether(100)).unwrap();
    request(&world, MALLORY, ether(100)).unwrap();
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    world.advance(DELAY);
    assert_eq!(claim(&world, MALLORY, ether(100)).unwrap(), ether(50));
    assert_eq!(to_assets(&world, lrt_balance(&world, ALICE)), ether(50));
}

#[test]
fn changing_operator_goes_through_the_queue_and_stays_valued() {
    let world = setup_vault();
    register(&world, OPERATOR2, Address::ZERO);
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).unwrap();
    let root = world.events::<OperatorChanged>(VAULT).last().unwrap().root;
    assert_ne!(root, B256::ZERO);
    assert_eq!(world.call(OWNER, DM, &IDM::delegatedToCall { staker: VAULT }).unwrap(), OPERATOR2);
    assert_eq!(total_assets(&world), ether(100));
    assert_eq!(world.call(OWNER, VAULT, &IAdmin::holdingsCall {}).unwrap()._3, ether(100));
    let again = world.expect_revert(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR });
    assert_eq!(again.decode::<MigrationPending>().unwrap().root, root);
    // New deposits go to the new operator; the old stake is still slashable.
    vault_deposit(&world, BOB, ether(100)).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR2), ether(100));
    slash_to(&world, OPERATOR, wad_percent(90)).unwrap();
    assert_eq!(total_assets(&world), ether(190));
    assert!(
        world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).decode::<keel_components::calls::CallFailed>().unwrap().callee
            == DM
    );
    world.advance(DELAY);
    world.call(CAROL, VAULT, &IAdmin::completeMigrationCall {}).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR2), ether(190));
    assert_eq!(total_assets(&world), ether(190));
    assert!(world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is::<NoMigration>());
}

#[test]
fn an_operator_that_undelegates_the_vault_freezes_flows_until_the_manager_adopts_the_withdrawal() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    // The stake left the vault's books: nobody may enter or leave at that rate.
    let err = vault_deposit(&world, MALLORY, ether(100)).unwrap_err();
    assert_eq!(err.decode::<ForcedUndelegation>().unwrap().operator, OPERATOR);
    assert!(request(&world, ALICE, ether(1)).unwrap_err().is::<ForcedUndelegation>());
    assert!(world.expect_revert(ALICE, VAULT, &IAdmin::adoptWithdrawalCall { root }).is::<keel_components::access::Unauthorized>());
    assert!(world.expect_revert(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root: B256::ZERO }).is::<NotAdoptable>());
    world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root }).unwrap();
    assert_eq!(total_assets(&world), ether(100));
    assert_eq!(vault_deposit(&world, BOB, ether(10)).unwrap(), ether(10));
    register(&world, OPERATOR2, Address::ZERO);
    assert!(world.expect_revert(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).is::<MigrationPending>());
    world.advance(DELAY);
    world.call(CAROL, VAULT, &IAdmin::completeMigrationCall {}).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR2 }).unwrap();
    assert_eq!(operator_shares(&world, OPERATOR2), ether(110));
    assert_eq!(total_assets(&world), ether(110));
}

/// Found by the invariant campaign's forced undelegations: an operator that
/// undelegates the vault while it has no restaked shares (everything in the
/// buffer) queues no withdrawal, so there was nothing to adopt and every flow
/// that checkpoints refused with `ForcedUndelegation` for good. The manager
/// now adopts the zero root: the vault counts the withdrawals it queued
/// itself, and the DelegationManager's nonce shows none was added.
#[test]
fn an_operator_undelegating_a_vault_with_nothing_restaked_does_not_freeze_it() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(1_000) }).unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    assert_eq!(root, B256::ZERO, "nothing restaked, nothing queued");
    let recovered = world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root }).is_ok()
        || world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).is_ok();
    assert!(recovered, "the manager has no way to recover the vault");
    assert!(request(&world, ALICE, ether(10)).is_ok(), "ALICE's LRT stay frozen");
}

/// Found by the invariant campaign's forced undelegations: an operator that
/// undelegates the vault while an operator change is still in the queue
/// deadlocked it (`adoptWithdrawal` refuses while a migration is pending, and
/// `completeMigration` refused with `ForcedUndelegation`). The change now
/// completes without a checkpoint, and the manager then adopts the withdrawal.
#[test]
fn an_operator_undelegating_the_vault_during_an_operator_change_does_not_deadlock_it() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).unwrap();
    vault_deposit(&world, BOB, ether(100)).unwrap();
    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    assert_ne!(root, B256::ZERO, "BOB's deposit was restaked and is queued");
    world.advance(DELAY);
    let completed = world.call(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is_ok();
    let adopted = world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root }).is_ok();
    assert!(completed && adopted, "migration completed: {completed}, forced withdrawal adopted: {adopted}");
    assert!(request(&world, ALICE, ether(10)).is_ok(), "ALICE's LRT stay frozen");
}

/// Only the forced undelegation's withdrawal can be adopted: not one of the
/// vault's own redemption withdrawals, and not the zero root when the forced
/// undelegation did queue one.
#[test]
fn the_manager_adopts_only_the_forced_withdrawal() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    request(&world, ALICE, ether(10)).unwrap();
    let own = keel_math::eip712::hash_words(&[VAULT.into_word(), U256::ZERO.into()]);
    let forced = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    for root in [own, B256::ZERO] {
        let err = world.expect_revert(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root });
        assert_eq!(err.decode::<NotAdoptable>().unwrap().root, root);
    }
    world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root: forced }).unwrap();
    assert!(world.expect_revert(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root: forced }).is::<MigrationPending>());
}

/// Found by the invariant campaign (seeds 3036, 3180): an operator change in
/// the queue was valued at the old operator's current magnitude also after
/// its delay, when slashes no longer reach it, so after such a slash deposits
/// minted LRT too cheaply and redemptions paid too little until someone
/// completed the change. Every flow now completes a due change first, at the
/// value the DelegationManager pays. (Views cannot complete it: until the next
/// transaction, `totalAssets` stays on the low side.)
#[test]
fn a_slash_after_an_operator_changes_delay_does_not_reach_the_vault() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: Address::ZERO }).unwrap();
    world.advance(DELAY + 1);
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    let minted = vault_deposit(&world, BOB, ether(100)).unwrap();
    assert!(world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is::<NoMigration>(), "the deposit completed the change");
    assert_eq!(total_assets(&world), ether(200));
    let bob = to_assets(&world, minted);
    assert!(bob <= ether(100) && ether(100) - bob <= U256::from(1), "BOB's LRT are worth {bob}");
    assert!(to_assets(&world, lrt_balance(&world, ALICE)) >= ether(100) - U256::from(1));
}

/// Found by the invariant campaign (seed 683): adopting a forced withdrawal
/// that was already past its delay booked it at the old operator's current
/// magnitude, understated by any later slash, and the completion then handed
/// the difference to whoever held LRT as it vested. It is completed at once.
#[test]
fn adopting_a_forced_withdrawal_past_its_delay_books_what_it_pays() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    world.advance(DELAY + 1);
    slash_to(&world, OPERATOR, wad_percent(50)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root }).unwrap();
    assert_eq!(total_assets(&world), ether(100));
    assert!(world.expect_revert(CAROL, VAULT, &IAdmin::completeMigrationCall {}).is::<NoMigration>());
}

/// Campaign seeds 4725601913518637766 and 7586834010586449779 (1,000,000-action
/// run): a gain of 10 still vesting, the operator undelegates the vault
/// (nothing restaked) and the asset falls 10%. The views count the loss at
/// once and it eats the unvested gain (99), but `adoptWithdrawal` reset the
/// checkpoint without booking it, so the eaten gain came back as unvested:
/// the rate fell to 0.89 and re-vested over a day to whoever held then
/// (a depositor right after the adoption took part of it). The adoption now
/// books what changed like every flow.
#[test]
fn adopting_a_forced_undelegation_after_a_loss_does_not_bring_back_the_gains_it_ate() {
    let world = setup_vault();
    world.call(MANAGER, VAULT, &IAdmin::setBufferTargetCall { target: ether(1_000) }).unwrap();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    reward(&world, 10);
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    rebase_down(&world, 10);
    assert!(close(total_assets(&world), ether(99), 10), "the loss ate the unvested gain");
    world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root }).unwrap();
    assert!(close(total_assets(&world), ether(99), 10), "the adoption moved the rate: {}", total_assets(&world));
    world.advance(86_400);
    assert!(close(total_assets(&world), ether(99), 10), "nothing is left to vest");
}

/// The other side of the same reset: a gain of the forced withdrawal while
/// the vault waited for its manager counted at once at the adoption; it now
/// vests like every gain (so a donation cannot move the rate at once). An
/// operator change completed in between leaves the checkpoint alone, so the
/// adoption still sees the forced withdrawal as the stake it was.
#[test]
fn a_gain_while_the_vault_waits_for_its_adoption_vests() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    world.call(MANAGER, VAULT, &IAdmin::setRestakingOperatorCall { operator: OPERATOR }).unwrap();
    vault_deposit(&world, BOB, ether(100)).unwrap();
    let root = world.call(OPERATOR, DM, &IDM::undelegateCall { staker: VAULT }).unwrap();
    world.advance(DELAY);
    world.call(CAROL, VAULT, &IAdmin::completeMigrationCall {}).unwrap();
    reward(&world, 10);
    world.call(MANAGER, VAULT, &IAdmin::adoptWithdrawalCall { root }).unwrap();
    assert!(close(total_assets(&world), ether(200), 1_000), "the gain counted at once: {}", total_assets(&world));
    world.advance(86_400);
    assert!(close(total_assets(&world), ether(220), 1_000), "{}", total_assets(&world));
}
