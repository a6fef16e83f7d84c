//! The human part of a revert's JSON-RPC message: what geth and nitro add
//! after "execution reverted: " when they can decode the revert data.

use crate::precompiles::{ArbWasm::ArbWasmErrors, StylusDeployer::StylusDeployerErrors};
use alloy_sol_types::{Panic, Revert, SolError, SolInterface};

/// The reason of an `Error(string)`, the kind of a `Panic(uint256)`, or
/// `error Name(args)` for the errors of Arbitrum's system contracts; `None`
/// for anything else (the client decodes it from the data).
pub fn revert_reason(output: &[u8]) -> Option<String> {
    if let Ok(revert) = Revert::abi_decode(output) {
        return Some(revert.reason);
    }
    if let Ok(panic) = Panic::abi_decode(output) {
        return Some(match panic.kind() {
            Some(kind) => format!("panic: {kind} ({:#x})", panic.code),
            None => format!("panic: {:#x}", panic.code),
        });
    }
    if let Ok(error) = ArbWasmErrors::abi_decode(output) {
        return Some(format!("error {}", arb_wasm_error(&error)));
    }
    if let Ok(error) = StylusDeployerErrors::abi_decode(output) {
        return Some(format!("error {}", deployer_error(&error)));
    }
    None
}

fn arb_wasm_error(error: &ArbWasmErrors) -> String {
    use ArbWasmErrors as E;
    match error {
        E::ProgramNotWasm(_) => "ProgramNotWasm()".into(),
        E::ProgramNotActivated(_) => "ProgramNotActivated()".into(),
        E::ProgramNeedsUpgrade(e) => format!("ProgramNeedsUpgrade({}, {})", e.version, e.stylusVersion),
        E::ProgramExpired(e) => format!("ProgramExpired({})", e.ageInSeconds),
        E::ProgramUpToDate(_) => "ProgramUpToDate()".into(),
        E::ProgramKeepaliveTooSoon(e) => format!("ProgramKeepaliveTooSoon({})", e.ageInSeconds),
        E::ProgramInsufficientValue(e) => format!("ProgramInsufficientValue({}, {})", e.have, e.want),
    }
}

fn deployer_error(error: &StylusDeployerErrors) -> String {
    use StylusDeployerErrors as E;
    match error {
        E::ContractDeploymentError(e) => format!("ContractDeploymentError({})", e.bytecode),
        E::ContractInitializationError(e) => format!("ContractInitializationError({}, {})", e.newContract, e.data),
        E::InitValueTooHigh(e) => format!("InitValueTooHigh({}, {})", e.initValue, e.value),
        E::ActivationFailed(e) => match revert_reason(&e.data) {
            Some(inner) => format!("ActivationFailed({}) [{inner}]", e.data),
            None => format!("ActivationFailed({})", e.data),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::precompiles::ArbWasm;
    use alloy_primitives::U256;

    #[test]
    fn system_contract_errors_read_as_on_arbitrum() {
        assert_eq!(revert_reason(&ArbWasm::ProgramUpToDate {}.abi_encode()).unwrap(), "error ProgramUpToDate()");
        let value = ArbWasm::ProgramInsufficientValue { have: U256::from(1), want: U256::from(20) };
        assert_eq!(revert_reason(&value.abi_encode()).unwrap(), "error ProgramInsufficientValue(1, 20)");
        assert_eq!(revert_reason(&Revert::from("no").abi_encode()).unwrap(), "no");
        let overflow = Panic::from(0x11u64).abi_encode();
        assert_eq!(revert_reason(&overflow).unwrap(), "panic: arithmetic underflow or overflow (0x11)");
        assert_eq!(revert_reason(&[0xde, 0xad, 0xbe, 0xef]), None);
    }
}
