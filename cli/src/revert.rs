//! Names the custom error in revert data, across every Keel contract's ABI.

use crate::bindings::{arbitrum, avs_registry, delegation_manager, lrt_vault, rewards_coordinator, strategy_manager, test_token};
use alloy::{primitives::Bytes, sol_types::SolInterface};

/// `Name { field: value, .. }` for revert data of a known custom error (a
/// `CallFailed` shows the callee's decoded reason inside), or the raw hex.
pub fn describe(data: &[u8]) -> String {
    if data.is_empty() {
        return "reverted without data".into();
    }
    if let Ok(error) = delegation_manager::IDelegationManager::IDelegationManagerErrors::abi_decode(data) {
        return match error {
            delegation_manager::IDelegationManager::IDelegationManagerErrors::CallFailed(failed) => {
                format!("CallFailed {{ callee: {}, reason: {} }}", failed.callee, describe(&failed.reason))
            }
            other => tidy(format!("{other:?}")),
        };
    }
    if let Ok(error) = avs_registry::IAvsRegistry::IAvsRegistryErrors::abi_decode(data) {
        return tidy(format!("{error:?}"));
    }
    if let Ok(error) = rewards_coordinator::IRewardsCoordinator::IRewardsCoordinatorErrors::abi_decode(data) {
        return tidy(format!("{error:?}"));
    }
    if let Ok(error) = strategy_manager::IStrategyManager::IStrategyManagerErrors::abi_decode(data) {
        return tidy(format!("{error:?}"));
    }
    if let Ok(error) = lrt_vault::ILrtVault::ILrtVaultErrors::abi_decode(data) {
        return tidy(format!("{error:?}"));
    }
    if let Ok(error) = test_token::ITestToken::ITestTokenErrors::abi_decode(data) {
        return tidy(format!("{error:?}"));
    }
    if let Ok(error) = arbitrum::ArbWasm::ArbWasmErrors::abi_decode(data) {
        return format!("ArbWasm: {}", tidy(format!("{error:?}")));
    }
    format!("unknown error {}", Bytes::copy_from_slice(data))
}

/// A failed call or transaction explained: the custom error's name and
/// fields when the node returned revert data, the transport error otherwise.
pub fn explain(error: alloy::contract::Error) -> anyhow::Error {
    match error.as_revert_data() {
        Some(data) => anyhow::anyhow!("reverted: {}", describe(&data)),
        // One line: the error's message already quotes its sources.
        None => anyhow::anyhow!(error.to_string()),
    }
}

/// `Name(Name { .. })` (the enum's Debug) → `Name { .. }`.
fn tidy(debug: String) -> String {
    match debug.split_once('(') {
        Some((name, rest)) if rest.starts_with(name) && rest.ends_with(')') => rest[..rest.len() - 1].to_string(),
        _ => debug,
    }
}

#[cfg(test)]
mod tests {
    use super::describe;
    use crate::bindings::delegation_manager::IDelegationManager::{CallFailed, NotDelegated};
    use alloy::{primitives::Address, sol_types::SolError};

    #[test]
    fn names_errors_and_their_fields() {
        let data = NotDelegated { staker: Address::repeat_byte(1) }.abi_encode();
        assert_eq!(describe(&data), format!("NotDelegated {{ staker: {} }}", Address::repeat_byte(1)));
        let wrapped = CallFailed { callee: Address::repeat_byte(2), reason: data.into() }.abi_encode();
        assert!(describe(&wrapped).contains("reason: NotDelegated { staker:"));
        assert_eq!(describe(&[]), "reverted without data");
        assert!(describe(&[1, 2, 3, 4]).starts_with("unknown error 0x01020304"));
    }
}
