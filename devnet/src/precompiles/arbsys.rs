//! The ArbSys precompile: the L2 block number, chain id and ArbOS version,
//! as contracts on Arbitrum read them.

use crate::exec::{Machine, Message, Outcome};
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolInterface};

/// Address of the ArbSys precompile.
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");
/// Gas of a query.
const QUERY_GAS: u64 = 800;

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbSys precompile this devnet provides.
    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        /// 55 + the ArbOS version, as nitro reports it (Nitro's first ArbOS counted as 56).
        function arbOSVersion() external pure returns (uint256);
    }
}

use ArbSys::ArbSysCalls;

/// Handles a call to ArbSys; unknown selectors and value revert without data.
pub(super) fn run(machine: &Machine, msg: &Message) -> Outcome {
    let Ok(call) = ArbSysCalls::abi_decode(&msg.input) else {
        return Outcome::revert(Vec::new(), msg.gas);
    };
    if !msg.value.is_zero() {
        return Outcome::revert(Vec::new(), msg.gas);
    }
    if msg.gas < QUERY_GAS {
        return Outcome::failure();
    }
    let output = match call {
        ArbSysCalls::arbBlockNumber(_) => ArbSys::arbBlockNumberCall::abi_encode_returns(&U256::from(machine.block.number)),
        ArbSysCalls::arbChainID(_) => ArbSys::arbChainIDCall::abi_encode_returns(&U256::from(machine.block.chain_id)),
        ArbSysCalls::arbOSVersion(_) => ArbSys::arbOSVersionCall::abi_encode_returns(&U256::from(55 + crate::arbos::ARBOS_VERSION)),
    };
    Outcome::success(output, msg.gas - QUERY_GAS)
}
