//! StylusDeployer, implemented natively at its canonical address: deploys
//! Stylus code, activates it if needed and runs its constructor, all in one
//! transaction.

use crate::create::create;
use crate::exec::{execute, CallKind, Machine, Message, Outcome};
use crate::precompiles::arbwasm::{ArbWasm, ARB_WASM};
use alloy_primitives::{address, keccak256, Address, Bytes, Log, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};

/// Address of the StylusDeployer.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

alloy_sol_types::sol! {
    /// The StylusDeployer interface.
    interface StylusDeployer {
        /// Creates `bytecode` (CREATE, or CREATE2 when `salt` is not zero),
        /// activates it with part of `msg.value` if needed, then calls it with
        /// `initData` and `initValue`; the rest of the value is refunded.
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        /// Creation failed (the init code reverted or the address is taken).
        error ContractDeploymentError(bytes bytecode);
        /// The constructor call reverted.
        error ContractInitializationError(address newContract, bytes data);
        /// `initValue` exceeds `msg.value`.
        error InitValueTooHigh(uint256 initValue, uint256 value);
        /// Activation reverted.
        error ActivationFailed(bytes data);
        event ContractDeployed(address deployedContract);
    }
}

/// Handles a call to the deployer; returns the machine with the frame's outcome.
pub(crate) fn run(machine: Machine, msg: Message) -> (Machine, Outcome) {
    let Ok(call) = StylusDeployer::deployCall::abi_decode(&msg.input) else {
        return (machine, Outcome::revert(Bytes::new(), msg.gas));
    };
    if msg.is_static || msg.kind != CallKind::Call {
        return (machine, Outcome::failure());
    }
    if call.initValue > msg.value {
        return (
            machine,
            Outcome::revert(StylusDeployer::InitValueTooHigh { initValue: call.initValue, value: msg.value }.abi_encode(), msg.gas),
        );
    }
    let held_before = machine.state.balance(STYLUS_DEPLOYER) - msg.value;
    let salt =
        (!call.salt.is_zero()).then(|| keccak256([call.salt.as_slice(), &call.initData, &call.initValue.to_be_bytes::<32>()].concat()));
    let (mut machine, created) = create(machine, STYLUS_DEPLOYER, &call.bytecode, U256::ZERO, salt, msg.gas);
    let mut gas = created.gas_left;
    let Some(program) = created.address else {
        return (machine, Outcome::revert(StylusDeployer::ContractDeploymentError { bytecode: created.output }.abi_encode(), gas));
    };
    let code_hash = keccak256(machine.state.code(program));
    if super::program_status(&machine.state, code_hash, machine.block.timestamp).is_err() {
        let activation = ArbWasm::activateProgramCall { program }.abi_encode();
        let (m, outcome) = nested(machine, ARB_WASM, activation.into(), msg.value - call.initValue, &mut gas);
        machine = m;
        if !outcome.success {
            return (machine, Outcome::revert(StylusDeployer::ActivationFailed { data: outcome.output }.abi_encode(), gas));
        }
    }
    if !call.initData.is_empty() || !call.initValue.is_zero() {
        let (m, outcome) = nested(machine, program, call.initData, call.initValue, &mut gas);
        machine = m;
        if !outcome.success {
            let error = StylusDeployer::ContractInitializationError { newContract: program, data: outcome.output };
            return (machine, Outcome::revert(error.abi_encode(), gas));
        }
    }
    let refund = machine.state.balance(STYLUS_DEPLOYER) - held_before;
    machine.state.transfer(STYLUS_DEPLOYER, msg.caller, refund).expect("the deployer holds the refund");
    let event = StylusDeployer::ContractDeployed { deployedContract: program };
    machine.state.push_log(Log { address: STYLUS_DEPLOYER, data: event.encode_log_data() });
    (machine, Outcome::success(StylusDeployer::deployCall::abi_encode_returns(&program), gas))
}

/// Calls `to` from the deployer with all but 1/64 of `gas`, which is updated.
fn nested(machine: Machine, to: Address, input: Bytes, value: U256, gas: &mut u64) -> (Machine, Outcome) {
    let passed = *gas - *gas / 64;
    let msg = Message {
        kind: CallKind::Call,
        caller: STYLUS_DEPLOYER,
        address: to,
        code_address: to,
        value,
        input,
        gas: passed,
        is_static: false,
    };
    let (machine, outcome) = execute(machine, msg);
    *gas = *gas - passed + outcome.gas_left;
    (machine, outcome)
}
