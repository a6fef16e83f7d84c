//! Typed bindings of Keel's published ABIs (`abi/*.sol`), one module each.

#![allow(missing_docs, clippy::too_many_arguments)]

/// StrategyManager.
pub mod strategy_manager {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/StrategyManager.sol"
    );
}

/// DelegationManager.
pub mod delegation_manager {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/DelegationManager.sol"
    );
}

/// The test ERC-20 (stETH-like on devnets).
pub mod test_token {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/TestToken.sol"
    );
}

/// Arbitrum's ArbWasm precompile and the StylusDeployer.
pub mod arbitrum {
    alloy::sol! {
        #[sol(rpc, all_derives)]
        interface ArbWasm {
            function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
            function codehashVersion(bytes32 codehash) external view returns (uint16 version);
            error ProgramNotWasm();
            error ProgramNotActivated();
            error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
            error ProgramExpired(uint64 ageInSeconds);
            error ProgramUpToDate();
            error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
            error ProgramInsufficientValue(uint256 have, uint256 want);
        }

        #[sol(rpc)]
        interface StylusDeployer {
            function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
            event ContractDeployed(address deployedContract);
        }
    }
}

pub use delegation_manager::IDelegationManager;
pub use strategy_manager::IStrategyManager;
pub use test_token::ITestToken;

/// AVS registry.
pub mod avs_registry {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/AvsRegistry.sol"
    );
}

/// RewardsCoordinator.
pub mod rewards_coordinator {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/RewardsCoordinator.sol"
    );
}

pub use avs_registry::IAvsRegistry;
pub use rewards_coordinator::IRewardsCoordinator;

/// The LRT vault.
pub mod lrt_vault {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/LrtVault.sol"
    );
}

/// The LRT vault's admin extension (called at the vault's address).
pub mod lrt_vault_admin {
    alloy::sol!(
        #[sol(rpc, all_derives)]
        "../abi/LrtVaultAdmin.sol"
    );
}

pub use lrt_vault::ILrtVault;
pub use lrt_vault_admin::ILrtVaultAdmin;
