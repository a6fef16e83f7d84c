//! The RewardsCoordinator deployed on top of [`setup`](crate::setup), wired
//! to the DelegationManager, with a reward token and three funded AVSs.

use crate::{ether, setup, World, DM, IDM, OPERATOR, OPERATOR2, OWNER, TOKEN};
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::sol_data;
use keel_testhost::{constructor_calldata, Revert};

/// The RewardsCoordinator's published ABI.
#[allow(clippy::too_many_arguments)]
pub mod rc {
    alloy_sol_types::sol!("../../abi/RewardsCoordinator.sol");
}

pub use rc::IRewardsCoordinator as IRC;

/// Address used by the fixtures.
pub const RC: Address = address!("0000000000000000000000000000000000009000");
/// The reward token (a second test token, whitelisted).
pub const REWARD: Address = address!("0000000000000000000000000000000000007100");
/// Address used by the fixtures (an AVS paying rewards).
pub const AVS1: Address = address!("00000000000000000000000000000000000000d1");
/// Address used by the fixtures (an AVS paying rewards).
pub const AVS2: Address = address!("00000000000000000000000000000000000000d2");
/// Address used by the fixtures (an AVS paying rewards).
pub const AVS3: Address = address!("00000000000000000000000000000000000000d3");
/// Streams align to this (the coordinator's epoch, seconds).
pub const EPOCH: u64 = 3_600;
/// The shortest stream (the coordinator's minimum duration, seconds): a day.
pub const DAY: u64 = 86_400;
/// A payment at once has streamed in full this long after it (it streams
/// to the first epoch boundary a day later).
pub const SPREAD: u64 = DAY + EPOCH;

/// The `stopStream` call for the stream `submitted` announced (its terms, as the event gives them).
pub fn stop_stream_call(submitted: &IRC::RewardsSubmitted) -> IRC::stopStreamCall {
    IRC::stopStreamCall {
        id: submitted.id,
        avs: submitted.avs,
        operator: submitted.operator,
        strategy: submitted.strategy,
        rewardToken: submitted.token,
        rate: submitted.rate,
        start: submitted.start.to(),
        end: submitted.end.to(),
    }
}

/// [`setup`] plus [`deploy_rewards`].
pub fn setup_with_rewards() -> World {
    let world = setup();
    deploy_rewards(&world);
    world
}

/// Deploys the RewardsCoordinator at [`RC`], sets it as the DelegationManager's
/// coordinator (once), deploys and whitelists [`REWARD`], and gives each AVS
/// 1,000,000 reward tokens approved to the coordinator.
pub fn deploy_rewards(world: &World) {
    let ctor = constructor_calldata::<(sol_data::Address, sol_data::Address)>(&(OWNER, DM));
    world.deploy(RC, keel_rewards_coordinator::dispatch, OWNER, Some(ctor)).unwrap();
    world.call(OWNER, DM, &IDM::setRewardsCoordinatorCall { coordinator: RC }).unwrap();
    deploy_reward_token(world, REWARD);
}

/// Deploys a test token at `token`, whitelists it as a reward token, has
/// [`OPERATOR`] and [`OPERATOR2`] accept it for their pools and gives each
/// AVS 1,000,000 of it approved to the coordinator.
pub fn deploy_reward_token(world: &World, token: Address) {
    type TokenArgs = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    let ctor = constructor_calldata::<TokenArgs>(&("Reward".into(), "RWD".into(), 18, OWNER));
    world.deploy(token, keel_test_token::dispatch, OWNER, Some(ctor)).unwrap();
    world.call(OWNER, RC, &IRC::setRewardTokenCall { token, whitelisted: true }).unwrap();
    for operator in [OPERATOR, OPERATOR2] {
        world.call(operator, RC, &IRC::acceptRewardTokenCall { token, accepted: true }).unwrap();
    }
    for avs in [AVS1, AVS2, AVS3] {
        world.call(OWNER, token, &crate::IToken::mintCall { to: avs, value: ether(1_000_000) }).unwrap();
        world.call(avs, token, &crate::IToken::approveCall { spender: RC, value: U256::MAX }).unwrap();
    }
}

/// The first epoch boundary at or after now.
pub fn next_epoch(world: &World) -> u64 {
    world.timestamp().div_ceil(EPOCH) * EPOCH
}

/// `avs` pays `amount` of [`REWARD`] to `operator`'s [`TOKEN`] pool from
/// `start` over `duration` seconds (0: at once, that is from now over a day).
pub fn submit(world: &World, avs: Address, operator: Address, amount: U256, start: u64, duration: u64) -> Result<U256, Revert> {
    let call =
        IRC::submitRewardsCall { operators: vec![operator], amounts: vec![amount], strategy: TOKEN, rewardToken: REWARD, start, duration };
    world.call(avs, RC, &call)
}

/// `earner` claims its [`REWARD`] after settling its position in
/// `operator`'s [`TOKEN`] pool; returns the amount paid (zero if nothing).
pub fn claim(world: &World, earner: Address, operator: Address) -> U256 {
    let call = IRC::claimCall { earner, operators: vec![operator], strategies: vec![TOKEN], rewardTokens: vec![REWARD], recipient: earner };
    world.call(earner, RC, &call).map(|paid| paid[0]).unwrap_or_default()
}

/// [`REWARD`] balance of `who`.
pub fn reward_balance(world: &World, who: Address) -> U256 {
    world.call(OWNER, REWARD, &crate::IToken::balanceOfCall { account: who }).unwrap()
}
