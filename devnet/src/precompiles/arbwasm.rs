//! The ArbWasm precompile: activation of Stylus programs, their lifetime,
//! version, size and entry-cost queries, ArbOS's Stylus parameters, with
//! Arbitrum's error signatures.

use crate::exec::{Machine, Message, Outcome};
use crate::gas::{words, COLD_ACCOUNT_GAS, COPY_WORD_GAS, INK_PER_GAS, WARM_ACCESS_GAS};
use crate::meter::EntryCosts;
use crate::program::STYLUS_VERSION;
use crate::state::State;
use crate::ActivationError;
use alloy_primitives::{address, keccak256, Address, Log, B256};
use alloy_sol_types::{Revert, SolCall, SolError, SolEvent, SolInterface};
use keel_wasm::{DecodeError, FragmentLimits};

/// Address of the ArbWasm precompile.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
/// Days after its activation that a program stops running on Arbitrum (the
/// default of ArbOS's `expiryDays`); the devnet applies it only when asked
/// ([`crate::Chain::set_program_expiry_days`], `--program-expiry-days`).
pub const EXPIRY_DAYS: u16 = 365;
/// Gas of a version query.
const QUERY_GAS: u64 = 800;
const DAY: u64 = 24 * 60 * 60;

alloy_sol_types::sol! {
    /// The subset of Arbitrum's ArbWasm precompile this devnet provides.
    #[sol(all_derives)]
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function programVersion(address program) external view returns (uint16 version);
        function programTimeLeft(address program) external view returns (uint64 secs);
        /// 65535 when programs never expire (the devnet's default).
        function expiryDays() external view returns (uint16 _days);
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function cachedCostScalar() external view returns (uint64 percent);
        function blockCacheSize() external view returns (uint16 count);
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
}

use ArbWasm::{ArbWasmCalls, ArbWasmErrors};

/// Whether the program with `code_hash` can run at `now`: its version, or
/// the error Arbitrum reverts with (not activated, needs an upgrade, expired).
pub(crate) fn program_status(state: &State, code_hash: B256, now: u64) -> Result<u16, ArbWasmErrors> {
    let program = state.program(code_hash).ok_or(ArbWasmErrors::ProgramNotActivated(ArbWasm::ProgramNotActivated {}))?;
    if program.version != STYLUS_VERSION {
        let error = ArbWasm::ProgramNeedsUpgrade { version: program.version, stylusVersion: STYLUS_VERSION };
        return Err(ArbWasmErrors::ProgramNeedsUpgrade(error));
    }
    let age = now.saturating_sub(program.activated_at);
    if age > lifetime(state) {
        return Err(ArbWasmErrors::ProgramExpired(ArbWasm::ProgramExpired { ageInSeconds: age }));
    }
    Ok(program.version)
}

/// Seconds a program runs after its activation.
fn lifetime(state: &State) -> u64 {
    state.program_expiry_days().map_or(u64::MAX, |days| u64::from(days) * DAY)
}

/// The limits an activation checks, from ArbOS's parameters.
pub(crate) fn activation_limits(state: &State) -> FragmentLimits {
    FragmentLimits { max_wasm: keel_wasm::MAX_DECOMPRESSED_WASM, max_fragments: crate::arbos::max_fragments(state) }
}

/// Charges the reads of a root's fragments, as nitro's activation does
/// (`arbos/programs/programs.go`: `fragmentReadCharger`, `fragmentReadGasCost`):
/// per fragment, in order, it needs gas for a maximal read (account access +
/// copying 24 KiB), then pays the access (cold 2,600 or warm 100, warming the
/// fragment) plus 3 gas per word of the fragment's code. Stops at the first
/// code that is not a fragment (activation then fails). `None`: out of gas.
/// Code other than a root within `limits` costs nothing here.
fn charge_fragment_reads(state: &mut State, code: &[u8], limits: FragmentLimits, mut gas: u64) -> Option<u64> {
    let Ok(root) = keel_wasm::parse_root(code) else { return Some(gas) };
    if keel_wasm::check_root(&root, Some(limits)).is_err() {
        return Some(gas);
    }
    for fragment in root.fragments {
        let fragment = Address::from(fragment);
        let access = |cold: bool| if cold { COLD_ACCOUNT_GAS } else { WARM_ACCESS_GAS };
        let max = access(!state.is_warm_account(fragment)) + COPY_WORD_GAS * words(keel_wasm::MAX_DEPLOYED_CODE);
        if gas < max {
            return None;
        }
        let cold = state.warm_account(fragment);
        let fragment_code = state.code(fragment);
        gas -= access(cold) + COPY_WORD_GAS * words(fragment_code.len());
        if !keel_wasm::is_fragment(&fragment_code) {
            break;
        }
    }
    Some(gas)
}

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
    let now = machine.block.timestamp;
    let version_of = |code_hash: B256| match program_status(&machine.state, code_hash, now) {
        Ok(version) => Outcome::success(ArbWasm::codehashVersionCall::abi_encode_returns(&version), gas_left),
        Err(error) => Outcome::revert(error.abi_encode(), gas_left),
    };
    match call {
        ArbWasmCalls::activateProgram(call) => activate(machine, msg, call.program, gas_left),
        ArbWasmCalls::stylusVersion(_) => Outcome::success(ArbWasm::stylusVersionCall::abi_encode_returns(&STYLUS_VERSION), gas_left),
        ArbWasmCalls::codehashVersion(call) => version_of(call.codehash),
        ArbWasmCalls::programVersion(call) => version_of(machine.state.code_hash(call.program)),
        ArbWasmCalls::programTimeLeft(call) => {
            let code_hash = machine.state.code_hash(call.program);
            match program_status(&machine.state, code_hash, now) {
                Ok(_) => {
                    let activated_at = machine.state.program(code_hash).expect("status checked").activated_at;
                    let left = activated_at.saturating_add(lifetime(&machine.state)).saturating_sub(now);
                    Outcome::success(ArbWasm::programTimeLeftCall::abi_encode_returns(&left), gas_left)
                }
                Err(error) => Outcome::revert(error.abi_encode(), gas_left),
            }
        }
        ArbWasmCalls::expiryDays(_) => {
            let days = machine.state.program_expiry_days().unwrap_or(u16::MAX);
            Outcome::success(ArbWasm::expiryDaysCall::abi_encode_returns(&days), gas_left)
        }
        ArbWasmCalls::codehashAsmSize(call) => {
            costs_query(machine, call.codehash, gas_left, |costs| ArbWasm::codehashAsmSizeCall::abi_encode_returns(&costs.asm_size()))
        }
        ArbWasmCalls::programInitGas(call) => {
            let code_hash = machine.state.code_hash(call.program);
            costs_query(machine, code_hash, gas_left, |costs| {
                // Stylus version 2: a program that is not cached pays both (programs.go `ProgramInitGas`).
                let returns = ArbWasm::programInitGasReturn { gas: costs.entry_gas(false), gasWhenCached: costs.cached_gas() };
                ArbWasm::programInitGasCall::abi_encode_returns(&returns)
            })
        }
        ArbWasmCalls::programMemoryFootprint(call) => {
            let code_hash = machine.state.code_hash(call.program);
            costs_query(machine, code_hash, gas_left, |costs| ArbWasm::programMemoryFootprintCall::abi_encode_returns(&costs.footprint))
        }
        parameter_call => match parameter(parameter_call) {
            Some(output) => Outcome::success(output, gas_left),
            None => Outcome::revert(Vec::new(), gas_left),
        },
    }
}

/// Answers a query about the active program with `code_hash` from the
/// costs stored at its activation, or reverts with why it cannot run.
fn costs_query(machine: &Machine, code_hash: B256, gas: u64, answer: impl Fn(&EntryCosts) -> Vec<u8>) -> Outcome {
    match program_status(&machine.state, code_hash, machine.block.timestamp) {
        Ok(_) => Outcome::success(answer(&machine.state.program(code_hash).expect("status checked").costs), gas),
        Err(error) => Outcome::revert(error.abi_encode(), gas),
    }
}

/// ArbOS's Stylus parameters, the values the meter charges by; `None` for
/// a call that is not a parameter query.
fn parameter(call: ArbWasmCalls) -> Option<Vec<u8>> {
    use crate::meter::pricing::*;
    let percent = |scalar: u64| scalar * COST_SCALAR_PERCENT;
    Some(match call {
        ArbWasmCalls::inkPrice(_) => ArbWasm::inkPriceCall::abi_encode_returns(&(INK_PER_GAS as u32)),
        ArbWasmCalls::maxStackDepth(_) => ArbWasm::maxStackDepthCall::abi_encode_returns(&MAX_STACK_DEPTH),
        ArbWasmCalls::freePages(_) => ArbWasm::freePagesCall::abi_encode_returns(&FREE_PAGES),
        ArbWasmCalls::pageGas(_) => ArbWasm::pageGasCall::abi_encode_returns(&(PAGE_GAS as u16)),
        ArbWasmCalls::minInitGas(_) => {
            let returns =
                ArbWasm::minInitGasReturn { gas: MIN_INIT_GAS * MIN_INIT_GAS_UNITS, cached: MIN_CACHED_INIT_GAS * MIN_CACHED_GAS_UNITS };
            ArbWasm::minInitGasCall::abi_encode_returns(&returns)
        }
        ArbWasmCalls::initCostScalar(_) => ArbWasm::initCostScalarCall::abi_encode_returns(&percent(INIT_COST_SCALAR)),
        ArbWasmCalls::cachedCostScalar(_) => ArbWasm::cachedCostScalarCall::abi_encode_returns(&percent(CACHED_COST_SCALAR)),
        ArbWasmCalls::blockCacheSize(_) => ArbWasm::blockCacheSizeCall::abi_encode_returns(&(BLOCK_CACHE_SIZE as u16)),
        _ => return None,
    })
}

/// Compiles the program at `program` and records it as activated; the data
/// fee goes to the coinbase and any excess value back to the caller.
fn activate(machine: &mut Machine, msg: &Message, program: Address, gas: u64) -> Outcome {
    if msg.is_static {
        return Outcome::failure();
    }
    let code = machine.state.code(program);
    let code_hash = keccak256(&code);
    if program_status(&machine.state, code_hash, machine.block.timestamp).is_ok() {
        return Outcome::revert(ArbWasmErrors::ProgramUpToDate(ArbWasm::ProgramUpToDate {}).abi_encode(), gas);
    }
    let limits = activation_limits(&machine.state);
    let Some(gas) = charge_fragment_reads(&mut machine.state, &code, limits, gas) else {
        return Outcome::failure();
    };
    let compiled = match machine.programs.compile(&machine.state, &code, limits) {
        Ok(compiled) => compiled,
        Err(ActivationError::Decode(DecodeError::NotStylus)) => {
            return Outcome::revert(ArbWasmErrors::ProgramNotWasm(ArbWasm::ProgramNotWasm {}).abi_encode(), gas)
        }
        // nitro fails these in `getWasm` with plain Go errors, which a precompile turns into a revert without data.
        Err(ActivationError::Fragment | ActivationError::Decode(_)) if keel_wasm::is_root(&code) || keel_wasm::is_fragment(&code) => {
            return Outcome::revert(Vec::new(), gas)
        }
        Err(error) => return Outcome::revert(Revert::from(format!("activation failed: {error}")).abi_encode(), gas),
    };
    let Some(gas_left) = gas.checked_sub(compiled.activation_gas) else {
        return Outcome::failure();
    };
    let data_fee = machine.state.price_activation(compiled.costs.asm_estimate, machine.block.timestamp);
    if msg.value < data_fee {
        let error = ArbWasm::ProgramInsufficientValue { have: msg.value, want: data_fee };
        return Outcome::revert(ArbWasmErrors::ProgramInsufficientValue(error).abi_encode(), gas_left);
    }
    let coinbase = machine.block.coinbase;
    let refund = msg.value - data_fee;
    let paid = machine.state.transfer(ARB_WASM, coinbase, data_fee).and_then(|_| machine.state.transfer(ARB_WASM, msg.caller, refund));
    paid.expect("the value sent to ArbWasm covers the fee and the refund");
    machine.state.set_activated(code_hash, STYLUS_VERSION, machine.block.timestamp, compiled.costs);
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

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: B256 = B256::with_last_byte(7);

    #[test]
    fn status_names_arbitrums_error_for_each_unrunnable_program() {
        let mut state = State::default();
        let not_activated = program_status(&state, HASH, 0).unwrap_err();
        assert_eq!(not_activated.abi_encode(), ArbWasm::ProgramNotActivated::SELECTOR.to_vec());
        state.set_activated(HASH, STYLUS_VERSION - 1, 100, EntryCosts::default());
        let error = program_status(&state, HASH, 100).unwrap_err();
        let want = ArbWasm::ProgramNeedsUpgrade { version: STYLUS_VERSION - 1, stylusVersion: STYLUS_VERSION };
        assert_eq!(error, ArbWasmErrors::ProgramNeedsUpgrade(want));
        state.set_activated(HASH, STYLUS_VERSION, 100, EntryCosts::default());
        assert_eq!(program_status(&state, HASH, u64::MAX), Ok(STYLUS_VERSION), "no expiry unless configured");
        state.set_program_expiry_days(Some(EXPIRY_DAYS));
        let last_day = 100 + u64::from(EXPIRY_DAYS) * DAY;
        assert_eq!(program_status(&state, HASH, last_day), Ok(STYLUS_VERSION));
        let age = last_day + 1 - 100;
        assert_eq!(
            program_status(&state, HASH, last_day + 1),
            Err(ArbWasmErrors::ProgramExpired(ArbWasm::ProgramExpired { ageInSeconds: age }))
        );
    }

    #[test]
    fn error_selectors_are_arbitrums() {
        assert_eq!(ArbWasm::ProgramNeedsUpgrade::SIGNATURE, "ProgramNeedsUpgrade(uint16,uint16)");
        assert_eq!(ArbWasm::ProgramExpired::SIGNATURE, "ProgramExpired(uint64)");
        assert_eq!(ArbWasm::ProgramInsufficientValue::SIGNATURE, "ProgramInsufficientValue(uint256,uint256)");
        assert_eq!(ArbWasm::ProgramUpToDate::SELECTOR, keccak256("ProgramUpToDate()")[..4]);
    }
}
