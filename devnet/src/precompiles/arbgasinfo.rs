//! The ArbGasInfo precompile (0x6c): gas prices as nitro derives them from
//! the L1 price per unit and the L2 base fee (nitro `precompiles/ArbGasInfo.go`,
//! ArbOS ≥ 4 formulas). The devnet reports the L1 price but charges no L1
//! poster fee (see the crate's notes).

use super::framework::{admit, returns, unknown_method, Purity, STORAGE_READ_GAS};
use crate::arbos;
use crate::exec::{Machine, Message, Outcome};
use crate::gas::{SSTORE_SET_GAS, TX_NONZERO_BYTE_GAS};
use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolInterface};

/// Address of the ArbGasInfo precompile.
pub const ARB_GAS_INFO: Address = address!("000000000000000000000000000000000000006c");
/// Size of a simple transaction nitro assumes when pricing one (`AssumedSimpleTxSize`).
const ASSUMED_SIMPLE_TX_SIZE: u64 = 140;

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbGasInfo this devnet provides.
    #[sol(all_derives)]
    interface ArbGasInfo {
        function getPricesInWei() external view returns (uint256, uint256, uint256, uint256, uint256, uint256);
        function getPricesInArbGas() external view returns (uint256, uint256, uint256);
        function getL1BaseFeeEstimate() external view returns (uint256);
        function getMinimumGasPrice() external view returns (uint256);
    }
}

use ArbGasInfo::ArbGasInfoCalls as Calls;

/// Handles a call to ArbGasInfo.
pub(super) fn run(machine: &Machine, msg: &Message) -> Outcome {
    let Ok(call) = Calls::abi_decode(&msg.input) else {
        return unknown_method();
    };
    let gas = match admit(msg, Purity::View) {
        Ok(gas) => gas,
        Err(refused) => return refused,
    };
    let l1_price = arbos::l1_price_per_unit(&machine.state);
    let l2_price = machine.block.basefee;
    let min_base_fee = U256::from(crate::BASE_FEE);
    // Wei for one byte of L1 calldata, and for a simple transaction's bytes.
    let per_l1_byte = l1_price * U256::from(TX_NONZERO_BYTE_GAS);
    let per_l2_tx = per_l1_byte * U256::from(ASSUMED_SIMPLE_TX_SIZE);
    let read = STORAGE_READ_GAS;
    match call {
        Calls::getPricesInWei(_) => {
            let base = min_base_fee.min(l2_price);
            let prices = ArbGasInfo::getPricesInWeiReturn {
                _0: per_l2_tx,
                _1: per_l1_byte,
                _2: l2_price * U256::from(SSTORE_SET_GAS),
                _3: base,
                _4: l2_price - base,
                _5: l2_price,
            };
            returns(ArbGasInfo::getPricesInWeiCall::abi_encode_returns(&prices), gas, 2 * read)
        }
        Calls::getPricesInArbGas(_) => {
            let in_gas = |wei: U256| wei.checked_div(l2_price).unwrap_or_default();
            let prices =
                ArbGasInfo::getPricesInArbGasReturn { _0: in_gas(per_l2_tx), _1: in_gas(per_l1_byte), _2: U256::from(SSTORE_SET_GAS) };
            returns(ArbGasInfo::getPricesInArbGasCall::abi_encode_returns(&prices), gas, read)
        }
        Calls::getL1BaseFeeEstimate(_) => returns(ArbGasInfo::getL1BaseFeeEstimateCall::abi_encode_returns(&l1_price), gas, read),
        Calls::getMinimumGasPrice(_) => returns(ArbGasInfo::getMinimumGasPriceCall::abi_encode_returns(&min_base_fee), gas, read),
    }
}
