//! The ArbWasm precompile: activation of Stylus programs and version queries.

use crate::exec::{Machine, Message, Outcome};
use crate::program::STYLUS_VERSION;
use alloy_primitives::{address, keccak256, Address, Log};
use alloy_sol_types::{Revert, SolCall, SolError, SolEvent, SolInterface};

/// Address of the ArbWasm precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Gas of a version query.
const QUERY_GAS: u64 = 800;

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbWasm precompile this devnet provides.
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        error ProgramNotActivated();
        error ProgramUpToDate();
        error ProgramInsufficientValue(uint256 have, uint256 want);
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
    }
}

use ArbWasm::ArbWasmCalls;

/// Handles a call to ArbWasm.
pub(super) fn run(machine: &mut Machine, msg: &Message) -> Outcome {
    let Ok(call) = ArbWasmCalls::abi_decode(&msg.input) else {
        return Outcome::revert(Vec::new(), msg.gas);
    };
    if !matches!(call, ArbWasmCalls::activateProgram(_)) && !msg.value.is_zero() {
        return Outcome::revert(Vec::new(), msg.gas);
    }
    if msg.gas < QUERY_GAS {
        return Outcome::failure();
    }
    let gas_left = msg.gas - QUERY_GAS;
    match call {
        ArbWasmCalls::activateProgram(call) => activate(machine, msg, call.program, gas_left),
        ArbWasmCalls::stylusVersion(_) => {
            Outcome::success(ArbWasm::stylusVersionCall::abi_encode_returns(&STYLUS_VERSION), gas_left)
        }
        ArbWasmCalls::codehashVersion(call) => match machine.state.program_version(call.codehash) {
            Some(version) => Outcome::success(ArbWasm::codehashVersionCall::abi_encode_returns(&version), gas_left),
            None => Outcome::revert(ArbWasm::ProgramNotActivated {}.abi_encode(), gas_left),
        },
    }
}

/// Compiles the program at `program` and records it as activated; the data
/// fee goes to the coinbase and any excess value back to the caller.
fn activate(machine: &mut Machine, msg: &Message, program: Address, gas: u64) -> Outcome {
    if msg.is_static {
        return Outcome::failure();
    }
    let code = machine.state.code(program);
    let code_hash = keccak256(&code);
    if machine.state.program_version(code_hash) == Some(STYLUS_VERSION) {
        return Outcome::revert(ArbWasm::ProgramUpToDate {}.abi_encode(), gas);
    }
    let compiled = match machine.programs.compile(&code) {
        Ok(compiled) => compiled,
        Err(error) => return Outcome::revert(Revert::from(format!("activation failed: {error}")).abi_encode(), gas),
    };
    let Some(gas_left) = gas.checked_sub(compiled.activation_gas()) else {
        return Outcome::failure();
    };
    let data_fee = compiled.data_fee();
    if msg.value < data_fee {
        let error = ArbWasm::ProgramInsufficientValue { have: msg.value, want: data_fee };
        return Outcome::revert(error.abi_encode(), gas_left);
    }
    let coinbase = machine.block.coinbase;
    let refund = msg.value - data_fee;
    let paid = machine.state.transfer(ARB_WASM, coinbase, data_fee).and_then(|_| machine.state.transfer(ARB_WASM, msg.caller, refund));
    paid.expect("the value sent to ArbWasm covers the fee and the refund");
    machine.state.set_activated(code_hash, STYLUS_VERSION);
    let event = ArbWasm::ProgramActivated {
        codehash: code_hash,
        moduleHash: compiled.module_hash,
        program,
        dataFee: data_fee,
        version: STYLUS_VERSION,
    };
    machine.state.push_log(Log { address: ARB_WASM, data: event.encode_log_data() });
    let returns = ArbWasm::activateProgramReturn { version: STYLUS_VERSION, dataFee: data_fee };
    Outcome::success(ArbWasm::activateProgramCall::abi_encode_returns(&returns), gas_left)
}

