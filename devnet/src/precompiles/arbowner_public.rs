//! The ArbOwnerPublic precompile (0x6b): what anyone may read of the chain's
//! ownership and parameters (nitro `precompiles/ArbOwnerPublic.go`).

use super::framework::{admit, returns, unknown_method, Purity, STORAGE_READ_GAS};
use crate::arbos;
use crate::exec::{Machine, Message, Outcome};
use alloy_primitives::{address, Address};
use alloy_sol_types::{SolCall, SolInterface};

/// Address of the ArbOwnerPublic precompile.
pub const ARB_OWNER_PUBLIC: Address = address!("000000000000000000000000000000000000006b");

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbOwnerPublic this devnet provides.
    #[sol(all_derives)]
    interface ArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
        function getNetworkFeeAccount() external view returns (address);
        function getInfraFeeAccount() external view returns (address);
        function getBrotliCompressionLevel() external view returns (uint64);
        function getScheduledUpgrade() external view returns (uint64 arbosVersion, uint64 scheduledForTimestamp);
        function isCalldataPriceIncreaseEnabled() external view returns (bool);
        function getMaxStylusContractFragments() external view returns (uint8);
    }
}

use ArbOwnerPublic::ArbOwnerPublicCalls as Calls;

/// Handles a call to ArbOwnerPublic.
pub(super) fn run(machine: &Machine, msg: &Message) -> Outcome {
    let Ok(call) = Calls::abi_decode(&msg.input) else {
        return unknown_method();
    };
    let gas = match admit(msg, Purity::View) {
        Ok(gas) => gas,
        Err(refused) => return refused,
    };
    let state = &machine.state;
    let read = STORAGE_READ_GAS;
    match call {
        Calls::isChainOwner(c) => {
            returns(ArbOwnerPublic::isChainOwnerCall::abi_encode_returns(&arbos::is_chain_owner(state, c.addr)), gas, read)
        }
        Calls::getAllChainOwners(_) => {
            let owners = arbos::chain_owners(state);
            let burned = read * (1 + owners.len() as u64);
            returns(ArbOwnerPublic::getAllChainOwnersCall::abi_encode_returns(&owners), gas, burned)
        }
        Calls::getNetworkFeeAccount(_) => {
            returns(ArbOwnerPublic::getNetworkFeeAccountCall::abi_encode_returns(&arbos::network_fee_account(state)), gas, read)
        }
        // The devnet has no infrastructure fee account (nitro's defaults to zero).
        Calls::getInfraFeeAccount(_) => returns(ArbOwnerPublic::getInfraFeeAccountCall::abi_encode_returns(&Address::ZERO), gas, read),
        Calls::getBrotliCompressionLevel(_) => {
            returns(ArbOwnerPublic::getBrotliCompressionLevelCall::abi_encode_returns(&arbos::brotli_level(state)), gas, read)
        }
        Calls::getScheduledUpgrade(_) => {
            let (version, timestamp) = arbos::scheduled_upgrade(state);
            let upgrade = ArbOwnerPublic::getScheduledUpgradeReturn { arbosVersion: version, scheduledForTimestamp: timestamp };
            returns(ArbOwnerPublic::getScheduledUpgradeCall::abi_encode_returns(&upgrade), gas, 2 * read)
        }
        // The calldata price increase (ArbOS 40 feature flag) is never enabled here.
        Calls::isCalldataPriceIncreaseEnabled(_) => {
            returns(ArbOwnerPublic::isCalldataPriceIncreaseEnabledCall::abi_encode_returns(&false), gas, read)
        }
        Calls::getMaxStylusContractFragments(_) => {
            returns(ArbOwnerPublic::getMaxStylusContractFragmentsCall::abi_encode_returns(&arbos::max_fragments(state)), gas, read)
        }
    }
}
