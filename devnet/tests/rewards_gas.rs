//! Gas of the RewardsCoordinator's stake hook on the devnet, with Keel's real
//! WASM: a delegated deposit with and without the coordinator wired, with 1
//! and 50 stakers in the pool (flat), with a reward stream running.

mod common;

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::sol_data;
use common::*;

/// The DelegationManager's published ABI.
mod dm {
    alloy_sol_types::sol!("../abi/DelegationManager.sol");
}
/// The RewardsCoordinator's published ABI.
#[allow(clippy::too_many_arguments)]
mod rc {
    alloy_sol_types::sol!("../abi/RewardsCoordinator.sol");
}
use dm::IDelegationManager as IDM;
use rc::IRewardsCoordinator as IRC;

const OPERATOR: Address = address!("00000000000000000000000000000000000000b1");
const AVS: Address = address!("00000000000000000000000000000000000000d1");
const EPOCH: u64 = 3_600;

/// Gas of ALICE's repeat delegated deposit with `others` more stakers in
/// the pool; with the coordinator wired and a stream running if `rewards`,
/// also the gas of the stream's submission and of ALICE's claim.
fn delegated_deposit_gas(others: u64, rewards: bool) -> (u64, u64, u64) {
    let mut keel = Keel::new();
    let (sm, token) = (keel.sm, keel.token);
    let chain = &mut keel.chain;
    type DmArgs = (sol_data::Address, sol_data::Address, sol_data::Uint<256>);
    let dm = deploy(chain, &contract_wasm("keel-delegation-manager"), constructor_calldata::<DmArgs>(&(OWNER, sm, U256::from(3 * 86_400))));
    send_ok(chain, OWNER, sm, &ISM::setDelegationManagerCall { delegationManager: dm });
    for who in [OPERATOR, AVS] {
        chain.set_balance(who, ether(1_000));
    }
    send_ok(chain, OPERATOR, dm, &IDM::registerAsOperatorCall { delegationApprover: Address::ZERO, metadataURI: String::new() });
    let rc = deploy(
        chain,
        &contract_wasm("keel-rewards-coordinator"),
        constructor_calldata::<(sol_data::Address, sol_data::Address)>(&(OWNER, dm)),
    );
    if rewards {
        send_ok(chain, OWNER, dm, &IDM::setRewardsCoordinatorCall { coordinator: rc });
        send_ok(chain, OWNER, rc, &IRC::setRewardTokenCall { token, whitelisted: true });
        send_ok(chain, OPERATOR, rc, &IRC::acceptRewardTokenCall { token, accepted: true });
        send_ok(chain, OWNER, token, &IToken::mintCall { to: AVS, value: ether(1_000) });
        send_ok(chain, AVS, token, &IToken::approveCall { spender: rc, value: U256::MAX });
    }
    let stakers: Vec<Address> = (0..others).map(|i| Address::left_padding_from(&(0x1000 + i).to_be_bytes())).chain([ALICE]).collect();
    for staker in &stakers {
        chain.set_balance(*staker, ether(1));
        if *staker != ALICE {
            send_ok(chain, OWNER, token, &IToken::mintCall { to: *staker, value: ether(10) });
            send_ok(chain, *staker, token, &IToken::approveCall { spender: sm, value: U256::MAX });
        }
        send_ok(chain, *staker, sm, &ISM::depositIntoStrategyCall { token, amount: ether(1) });
        let delegate = IDM::delegateToCall {
            operator: OPERATOR,
            approverExpiry: U256::ZERO,
            approverSignature: Default::default(),
            approverSalt: Default::default(),
        };
        send_ok(chain, *staker, dm, &delegate);
    }
    let mut submit_gas = 0;
    if rewards {
        let start = chain.timestamp().div_ceil(EPOCH) * EPOCH;
        let submit = IRC::submitRewardsCall {
            operators: vec![OPERATOR],
            amounts: vec![ether(100)],
            strategy: token,
            rewardToken: token,
            start,
            duration: 100 * EPOCH,
        };
        let receipt = send(chain, AVS, rc, &submit);
        assert!(receipt.status);
        submit_gas = receipt.gas_used;
        chain.advance_time(start - chain.timestamp() + 10 * EPOCH);
        // A first deposit settles the boundary crossed; the measured one is steady state.
        send_ok(chain, ALICE, sm, &ISM::depositIntoStrategyCall { token, amount: ether(1) });
        chain.advance_time(EPOCH / 2);
    }
    let receipt = keel.deposit(ALICE, ether(1));
    assert!(receipt.status, "deposit reverted with {}", receipt.output);
    if !rewards {
        return (receipt.gas_used, 0, 0);
    }
    let claim =
        IRC::claimCall { earner: ALICE, operators: vec![OPERATOR], strategies: vec![token], rewardTokens: vec![token], recipient: ALICE };
    let claimed = send(&mut keel.chain, ALICE, rc, &claim);
    assert!(claimed.status);
    (receipt.gas_used, submit_gas, claimed.gas_used)
}

#[test]
fn the_stake_hook_costs_the_same_for_1_and_50_stakers() {
    let (without, _, _) = delegated_deposit_gas(0, false);
    let (one, submit, claim) = delegated_deposit_gas(0, true);
    let (fifty, _, _) = delegated_deposit_gas(50, true);
    eprintln!(
        "delegated deposit: {without} gas without a coordinator, {one} with (1 staker), {fifty} with (51 stakers); hook ≈ {} gas",
        one - without
    );
    eprintln!("submitRewards (1 operator, stream, first in pool): {submit} gas; claim (1 pool, 1 token): {claim} gas");
    assert!(one.abs_diff(fifty) < 2_000, "flat in the number of stakers: {one} vs {fifty}");
}
