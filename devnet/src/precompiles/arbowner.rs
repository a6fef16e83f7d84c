//! The ArbOwner precompile (0x70): the chain owners' controls, for the
//! methods a nitro devnode's setup and Stylus tooling use (nitro
//! `precompiles/ArbOwner.go`, wrapped by `OwnerPrecompile` in `wrapper.go`).
//!
//! As in nitro: a caller that is not a chain owner fails with all its gas
//! consumed ("unauthorized caller to access-controlled method", a plain
//! error); an owner pays no gas, whatever the outcome; a refused call
//! reverts without data; every successful call outside a static context
//! logs `OwnerActs(method, owner, calldata)`.

use super::framework::{admit, unknown_method, Purity};
use crate::arbos;
use crate::exec::{Machine, Message, Outcome};
use crate::state::State;
use alloy_primitives::{address, Address, FixedBytes, Log, LogData};
use alloy_sol_types::{SolCall, SolEvent, SolInterface};

/// Address of the ArbOwner precompile.
pub const ARB_OWNER: Address = address!("0000000000000000000000000000000000000070");

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbOwner this devnet provides.
    #[sol(all_derives)]
    interface ArbOwner {
        function addChainOwner(address newOwner) external;
        function removeChainOwner(address ownerToRemove) external;
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
        function setNetworkFeeAccount(address newNetworkFeeAccount) external;
        function getNetworkFeeAccount() external view returns (address);
        function setL1PricePerUnit(uint256 pricePerUnit) external;
        function setBrotliCompressionLevel(uint64 level) external;
        function scheduleArbOSUpgrade(uint64 newVersion, uint64 timestamp) external;
        function setMaxStylusContractFragments(uint8 maxFragments) external;
        function addWasmCacheManager(address manager) external;
        function removeWasmCacheManager(address manager) external;
        event OwnerActs(bytes4 indexed method, address indexed owner, bytes data);
        event ChainOwnerAdded(address indexed owner);
        event ChainOwnerRemoved(address indexed owner);
    }
}

use ArbOwner::ArbOwnerCalls as Calls;

/// Highest brotli level ArbOS accepts (nitro `arbcompress.LEVEL_WELL`).
const MAX_BROTLI_LEVEL: u64 = 11;

/// Handles a call to ArbOwner.
pub(super) fn run(machine: &mut Machine, msg: &Message) -> Outcome {
    if !arbos::is_chain_owner(&machine.state, msg.caller) {
        return Outcome::failure();
    }
    let refused = Outcome::revert(Vec::new(), msg.gas);
    let Ok(call) = Calls::abi_decode(&msg.input) else {
        return Outcome { gas_left: msg.gas, ..unknown_method() };
    };
    let purity = match call {
        Calls::isChainOwner(_) | Calls::getAllChainOwners(_) | Calls::getNetworkFeeAccount(_) => Purity::View,
        _ => Purity::Write,
    };
    if admit(msg, purity).is_err() {
        return refused;
    }
    let Some(output) = act(&mut machine.state, call) else {
        return refused;
    };
    if !msg.is_static {
        let method = FixedBytes::from_slice(&msg.input[..4]);
        let acts = ArbOwner::OwnerActs { method, owner: msg.caller, data: msg.input.clone() };
        emit(&mut machine.state, acts.encode_log_data());
    }
    Outcome::success(output, msg.gas)
}

/// Performs an owner's call; `None` if ArbOS refuses it.
fn act(state: &mut State, call: Calls) -> Option<Vec<u8>> {
    match call {
        Calls::addChainOwner(c) => {
            arbos::add_chain_owner(state, c.newOwner);
            emit(state, ArbOwner::ChainOwnerAdded { owner: c.newOwner }.encode_log_data());
        }
        Calls::removeChainOwner(c) => {
            if !arbos::remove_chain_owner(state, c.ownerToRemove) {
                return None; // nitro: "tried to remove non-owner"
            }
            emit(state, ArbOwner::ChainOwnerRemoved { owner: c.ownerToRemove }.encode_log_data());
        }
        Calls::isChainOwner(c) => return Some(ArbOwner::isChainOwnerCall::abi_encode_returns(&arbos::is_chain_owner(state, c.addr))),
        Calls::getAllChainOwners(_) => return Some(ArbOwner::getAllChainOwnersCall::abi_encode_returns(&arbos::chain_owners(state))),
        Calls::setNetworkFeeAccount(c) => arbos::set_network_fee_account(state, c.newNetworkFeeAccount),
        Calls::getNetworkFeeAccount(_) => {
            return Some(ArbOwner::getNetworkFeeAccountCall::abi_encode_returns(&arbos::network_fee_account(state)))
        }
        Calls::setL1PricePerUnit(c) => arbos::set_l1_price_per_unit(state, c.pricePerUnit),
        Calls::setBrotliCompressionLevel(c) => {
            if c.level > MAX_BROTLI_LEVEL {
                return None; // nitro: "invalid brotli compression level"
            }
            arbos::set_brotli_level(state, c.level);
        }
        Calls::scheduleArbOSUpgrade(c) => arbos::schedule_upgrade(state, c.newVersion, c.timestamp),
        Calls::setMaxStylusContractFragments(c) => arbos::set_max_fragments(state, c.maxFragments),
        Calls::addWasmCacheManager(c) => arbos::add_cache_manager(state, c.manager),
        Calls::removeWasmCacheManager(c) => {
            if !arbos::remove_cache_manager(state, c.manager) {
                return None; // nitro: "tried to remove non-manager"
            }
        }
    }
    Some(Vec::new())
}

/// Logs `data` as ArbOwner.
fn emit(state: &mut State, data: LogData) {
    state.push_log(Log { address: ARB_OWNER, data });
}
