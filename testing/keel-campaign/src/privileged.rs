//! Every privileged function of every contract, with the one caller allowed
//! to call it: the campaign calls them as everyone else, and the attack
//! catalogue checks that each refuses every other caller.

use crate::actors::{LRT, PAUSABLE};
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use keel_fixtures::{
    lrt::{IAdmin, MANAGER},
    registry::*,
    rewards::*,
    *,
};

/// A privileged call.
pub struct Privileged {
    /// The contract called.
    pub contract: Address,
    /// Contract and function, for messages.
    pub name: &'static str,
    /// Calldata that succeeds for the rightful caller.
    pub data: Vec<u8>,
    /// The rightful caller (`None`: a setting that can be made only once, already made).
    pub rightful: Option<Address>,
}

fn call(contract: Address, name: &'static str, data: Vec<u8>, rightful: Option<Address>) -> Privileged {
    Privileged { contract, name, data, rightful }
}

/// The privileged calls, with arguments chosen for `caller` (the account
/// that should be refused); in the campaign's world each succeeds when its
/// rightful caller sends it (ALICE needs a deposit for the share hooks).
pub fn privileged_calls(world: &World, caller: Address) -> Vec<Privileged> {
    let one = U256::from(10u64.pow(18));
    let magnitude = magnitude(world, OPERATOR);
    let owner = Some(OWNER);
    let mut calls = vec![
        call(SM, "StrategyManager.addStrategy", ISM::addStrategyCall { token: REWARD, cap: U256::MAX }.abi_encode(), owner),
        call(
            SM,
            "StrategyManager.setStrategyWhitelisted",
            ISM::setStrategyWhitelistedCall { token: TOKEN, whitelisted: false }.abi_encode(),
            owner,
        ),
        call(SM, "StrategyManager.setDepositCap", ISM::setDepositCapCall { token: TOKEN, cap: U256::ZERO }.abi_encode(), owner),
        call(SM, "StrategyManager.setDelegationManager", ISM::setDelegationManagerCall { delegationManager: caller }.abi_encode(), None),
        call(SM, "StrategyManager.setSuccessor", ISM::setSuccessorCall { successor: caller }.abi_encode(), None),
        call(SM, "StrategyManager.setSlashEscrowDelay", ISM::setSlashEscrowDelayCall { delay: 86_400 }.abi_encode(), owner),
        call(SM, "StrategyManager.setPredecessor", ISM::setPredecessorCall { predecessor: caller }.abi_encode(), owner),
        // Only the predecessor, from within its `migrate` (after approving the tokens), can succeed.
        call(
            strategies::SUCCESSOR,
            "successor StrategyManager.migrateIn",
            ISM::migrateInCall { staker: caller, token: TOKEN, amount: U256::from(1) }.abi_encode(),
            None,
        ),
        call(SM, "StrategyManager.addShares", ISM::addSharesCall { staker: caller, token: TOKEN, shares: one }.abi_encode(), Some(DM)),
        call(SM, "StrategyManager.stakerDelegated", ISM::stakerDelegatedCall { staker: caller }.abi_encode(), Some(DM)),
        call(
            SM,
            "StrategyManager.removeDepositShares",
            ISM::removeDepositSharesCall { staker: ALICE, token: TOKEN, shares: U256::from(1) }.abi_encode(),
            Some(DM),
        ),
        call(
            SM,
            "StrategyManager.withdrawSharesAsTokens",
            ISM::withdrawSharesAsTokensCall { recipient: caller, token: TOKEN, shares: U256::from(1) }.abi_encode(),
            Some(DM),
        ),
        call(
            SM,
            "StrategyManager.addSlashedShares",
            ISM::addSlashedSharesCall { token: TOKEN, recipient: caller, avs: caller, shares: one }.abi_encode(),
            Some(DM),
        ),
        call(DM, "DelegationManager.setWithdrawalDelay", IDM::setWithdrawalDelayCall { delay: U256::from(DELAY) }.abi_encode(), owner),
        call(DM, "DelegationManager.setSlasher", IDM::setSlasherCall { slasher: caller }.abi_encode(), None),
        call(DM, "DelegationManager.setRewardsCoordinator", IDM::setRewardsCoordinatorCall { coordinator: caller }.abi_encode(), None),
        call(
            DM,
            "DelegationManager.increaseDelegatedShares",
            IDM::increaseDelegatedSharesCall { staker: caller, token: TOKEN, prevDepositShares: U256::ZERO, addedShares: one }.abi_encode(),
            Some(SM),
        ),
        call(
            DM,
            "DelegationManager.slashOperatorShares",
            IDM::slashOperatorSharesCall {
                operator: OPERATOR,
                token: TOKEN,
                prevMagnitude: magnitude,
                newMagnitude: magnitude / U256::from(2),
                recipient: caller,
                avs: caller,
            }
            .abi_encode(),
            Some(REGISTRY),
        ),
        call(DM, "DelegationManager.poolRewarded", IDM::poolRewardedCall { operator: caller, token: TOKEN }.abi_encode(), Some(RC)),
        call(
            REGISTRY,
            "AvsRegistry.setParameters",
            IReg::setParametersCall {
                allocationConfigurationDelay: CONFIG_DELAY,
                deallocationDelay: DELAY,
                slasherChangeDelay: SLASHER_DELAY,
            }
            .abi_encode(),
            owner,
        ),
        call(RC, "RewardsCoordinator.setRewardToken", IRC::setRewardTokenCall { token: TOKEN, whitelisted: true }.abi_encode(), owner),
        call(
            RC,
            "RewardsCoordinator.onStakeChange",
            IRC::onStakeChangeCall { staker: caller, operator: OPERATOR, strategy: TOKEN, scaledBefore: U256::ZERO, poolBefore: one }
                .abi_encode(),
            Some(DM),
        ),
        call(TOKEN, "TestToken.mint", IToken::mintCall { to: caller, value: one }.abi_encode(), owner),
        call(
            TOKEN,
            "TestToken.setTransferHook",
            IToken::setTransferHookCall { target: caller, data: Default::default() }.abi_encode(),
            owner,
        ),
    ];
    let manager = Some(MANAGER);
    calls.extend([
        call(LRT, "LrtVault.setManager", IAdmin::setManagerCall { manager: caller }.abi_encode(), owner),
        call(LRT, "LrtVault.setTreasury", IAdmin::setTreasuryCall { treasury: caller }.abi_encode(), owner),
        call(LRT, "LrtVault.setFees", IAdmin::setFeesCall { performanceBps: U256::ZERO, instantBps: U256::ZERO }.abi_encode(), owner),
        call(
            LRT,
            "LrtVault.setLimits",
            IAdmin::setLimitsCall { depositCap: U256::MAX, dailyInstantLimit: U256::ZERO, vestingPeriod: U256::ZERO }.abi_encode(),
            owner,
        ),
        call(LRT, "LrtVault.setBufferTarget", IAdmin::setBufferTargetCall { target: one }.abi_encode(), manager),
        call(LRT, "LrtVault.setRestakingOperator", IAdmin::setRestakingOperatorCall { operator: Address::ZERO }.abi_encode(), manager),
    ]);
    for contract in PAUSABLE.into_iter().chain([LRT]) {
        calls.push(call(contract, "pause", DmAccess::pauseCall { bits: U256::from(1) }.abi_encode(), owner));
        calls.push(call(contract, "unpause", DmAccess::unpauseCall { bits: U256::from(1) }.abi_encode(), owner));
        calls.push(call(contract, "setPauser", DmAccess::setPauserCall { account: caller, allowed: true }.abi_encode(), owner));
        calls.push(call(contract, "setUnpauser", DmAccess::setUnpauserCall { account: caller }.abi_encode(), owner));
        calls.push(call(contract, "transferOwnership", DmAccess::transferOwnershipCall { newOwner: caller }.abi_encode(), owner));
    }
    calls
}
