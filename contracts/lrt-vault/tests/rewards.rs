//! Issue 24 M-1: the rewards the vault's stake earns in its operator's pool
//! reach its holders. Alice deposits 100 into the vault, Bob stakes 100
//! directly with the same operator, an AVS streams 100 reward tokens: Bob
//! claims 45 (after the 10% commission) and the vault's 45 must not stay in
//! the coordinator (before the fix nobody could claim them: `NotClaimer`).

use alloy_primitives::{Address, U256};
use keel_components::access::Unauthorized;
use keel_fixtures::{
    lrt::*,
    rewards::{deploy_rewards, next_epoch, reward_balance, AVS1, DAY, IRC, RC, REWARD},
    *,
};
use keel_lrt_vault::errors::*;

/// |a - b| <= tolerance.
fn close(a: U256, b: U256, tolerance: u64) -> bool {
    a.abs_diff(b) <= U256::from(tolerance)
}

/// The vault with the coordinator wired in, ALICE's 100 in the vault and
/// BOB's 100 staked directly, both in OPERATOR's pool.
fn pool_of_vault_and_bob() -> World {
    let world = setup_vault();
    deploy_rewards(&world);
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    deposit(&world, BOB, ether(100)).unwrap();
    delegate(&world, BOB, OPERATOR).unwrap();
    world
}

/// AVS1 streams 100 of `token` to OPERATOR's pool over a day (the
/// coordinator's shortest stream), and the stream runs to its end.
fn stream_100(world: &World, token: Address) {
    let start = next_epoch(world);
    let call = IRC::submitRewardsCall {
        operators: vec![OPERATOR],
        amounts: vec![ether(100)],
        strategy: TOKEN,
        rewardToken: token,
        start,
        duration: DAY,
    };
    world.call(AVS1, RC, &call).unwrap();
    world.advance(start + DAY - world.timestamp());
}

/// Makes the vault's asset a whitelisted reward token that OPERATOR accepts
/// and AVS1 holds.
fn asset_as_reward(world: &World) {
    world.call(OWNER, RC, &IRC::setRewardTokenCall { token: TOKEN, whitelisted: true }).unwrap();
    world.call(OPERATOR, RC, &IRC::acceptRewardTokenCall { token: TOKEN, accepted: true }).unwrap();
    world.call(OWNER, TOKEN, &IToken::mintCall { to: AVS1, value: ether(1_000) }).unwrap();
    world.call(AVS1, TOKEN, &IToken::approveCall { spender: RC, value: U256::MAX }).unwrap();
}

/// The vault's `token` rewards still in the coordinator (settled and not).
fn stranded(world: &World, token: Address) -> U256 {
    let settled = world.call(OWNER, RC, &IRC::claimableCall { earner: VAULT, rewardToken: token }).unwrap();
    let pending =
        world.call(OWNER, RC, &IRC::pendingRewardsCall { earner: VAULT, operator: OPERATOR, strategy: TOKEN, rewardToken: token }).unwrap();
    settled + pending
}

#[test]
fn the_vaults_share_of_an_asset_stream_vests_to_its_holders() {
    let world = pool_of_vault_and_bob();
    asset_as_reward(&world);
    stream_100(&world, TOKEN);
    let bob = world.call(
        BOB,
        RC,
        &IRC::claimCall { earner: BOB, operators: vec![OPERATOR], strategies: vec![TOKEN], rewardTokens: vec![TOKEN], recipient: BOB },
    );
    assert!(close(bob.unwrap()[0], ether(45), 1_000));
    assert!(close(stranded(&world, TOKEN), ether(45), 1_000), "the vault earned its 45");
    // Only the vault (or its claimer) may claim from the coordinator directly.
    for who in [OWNER, MANAGER, TREASURY, ALICE] {
        let call =
            IRC::claimCall { earner: VAULT, operators: vec![OPERATOR], strategies: vec![TOKEN], rewardTokens: vec![TOKEN], recipient: who };
        assert!(world.call(who, RC, &call).unwrap_err().is::<IRC::NotClaimer>());
    }
    // Mallory deposits just before the claim and leaves just after it.
    let shares = vault_deposit(&world, MALLORY, ether(100)).unwrap();
    claim_vault_rewards(&world, CAROL, vec![TOKEN]).unwrap();
    let harvested = world.events::<RewardsHarvested>(VAULT);
    assert_eq!((harvested.len(), harvested[0].token, harvested[0].recipient), (1, TOKEN, VAULT));
    assert!(close(harvested[0].amount, ether(45), 1_000));
    assert!(stranded(&world, TOKEN) < U256::from(1_000), "nothing left in the coordinator");
    request(&world, MALLORY, shares).unwrap();
    world.advance(DELAY);
    assert!(claim(&world, MALLORY, shares).unwrap() <= ether(100), "a deposit just before the claim captures none of it");
    // Alice, who was staked while the stream ran, gets it once it vested.
    assert!(close(to_assets(&world, lrt_balance(&world, ALICE)), ether(145), 1_000_000));
}

#[test]
fn an_asset_reward_books_as_an_unvested_gain_that_pays_the_performance_fee() {
    let world = pool_of_vault_and_bob();
    world.call(OWNER, VAULT, &IAdmin::setFeesCall { performanceBps: U256::from(1_000), instantBps: U256::ZERO }).unwrap();
    asset_as_reward(&world);
    stream_100(&world, TOKEN);
    claim_vault_rewards(&world, CAROL, vec![TOKEN]).unwrap();
    assert_eq!(total_assets(&world), ether(100), "nothing counts at once");
    world.advance(86_400);
    world.call(CAROL, VAULT, &IAdmin::rebalanceCall {}).unwrap();
    assert!(close(total_assets(&world), ether(145), 1_000));
    // 10% of the 45 gained, minted to the treasury as LRT.
    assert!(close(to_assets(&world, lrt_balance(&world, TREASURY)), wad_percent(450), 1_000_000));
}

#[test]
fn rewards_in_another_token_go_to_the_owners_reward_recipient() {
    let world = pool_of_vault_and_bob();
    stream_100(&world, REWARD);
    assert!(claim_vault_rewards(&world, CAROL, vec![REWARD]).unwrap_err().is::<NoRewardRecipient>(), "no recipient set yet");
    let set = IAdmin::setRewardRecipientCall { recipient: TREASURY };
    assert!(world.expect_revert(MALLORY, VAULT, &set).is::<Unauthorized>());
    world.call(OWNER, VAULT, &set).unwrap();
    assert_eq!(world.events::<RewardRecipientSet>(VAULT)[0].recipient, TREASURY);
    assert_eq!(world.call(OWNER, VAULT, &IAdmin::rewardRecipientCall {}).unwrap(), TREASURY);
    // A token listed twice is paid once.
    claim_vault_rewards(&world, CAROL, vec![REWARD, REWARD]).unwrap();
    assert!(close(reward_balance(&world, TREASURY), ether(45), 1_000));
    assert_eq!(reward_balance(&world, VAULT), U256::ZERO);
    assert_eq!(world.events::<RewardsHarvested>(VAULT).len(), 1);
    assert_eq!(total_assets(&world), ether(100), "the vault's assets are unchanged");
    assert!(stranded(&world, REWARD) < U256::from(1_000));
}

#[test]
fn a_reward_token_reentering_the_claim_is_refused() {
    let world = pool_of_vault_and_bob();
    world.call(OWNER, VAULT, &IAdmin::setRewardRecipientCall { recipient: TREASURY }).unwrap();
    stream_100(&world, REWARD);
    // Every REWARD transfer calls the vault's claim again.
    let reenter = alloy_sol_types::SolCall::abi_encode(&IAdmin::claimRewardsCall { operators: vec![OPERATOR], rewardTokens: vec![REWARD] });
    world.call(OWNER, REWARD, &IToken::setTransferHookCall { target: VAULT, data: reenter.into() }).unwrap();
    assert!(claim_vault_rewards(&world, CAROL, vec![REWARD]).is_err());
    assert_eq!(reward_balance(&world, TREASURY), U256::ZERO);
    world.call(OWNER, REWARD, &IToken::setTransferHookCall { target: Address::ZERO, data: Default::default() }).unwrap();
    claim_vault_rewards(&world, CAROL, vec![REWARD]).unwrap();
    assert!(close(reward_balance(&world, TREASURY), ether(45), 1_000), "paid once");
}

#[test]
fn claiming_without_a_coordinator_is_refused() {
    let world = setup_vault();
    vault_deposit(&world, ALICE, ether(100)).unwrap();
    assert!(claim_vault_rewards(&world, CAROL, vec![TOKEN]).unwrap_err().is::<NoRewardsCoordinator>());
}
