//! The ArbWasmCache precompile (0x72, nitro's precompiles/ArbWasmCache.go):
//! cache managers mark programs cached, so their frames skip the init cost.

use crate::exec::{Machine, Message, Outcome};
use crate::precompiles::arbwasm::program_status;
use crate::state::State;
use alloy_primitives::{address, Address, Log, B256};
use alloy_sol_types::{SolCall, SolEvent, SolInterface};

/// Address of the ArbWasmCache precompile.
pub const ARB_WASM_CACHE: Address = address!("0000000000000000000000000000000000000072");
/// Gas of a call (the devnet's flat precompile price, as for ArbWasm's queries).
const CALL_GAS: u64 = 800;

alloy_sol_types::sol! {
    /// Arbitrum's ArbWasmCache precompile (without the retired `cacheCodehash`).
    #[sol(all_derives)]
    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);
        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }
}

use ArbWasmCache::ArbWasmCacheCalls;

/// Handles a call to ArbWasmCache.
pub(super) fn run(machine: &mut Machine, msg: &Message) -> Outcome {
    let Ok(call) = ArbWasmCacheCalls::abi_decode(&msg.input) else {
        return Outcome::revert(Vec::new(), msg.gas);
    };
    let Some(gas_left) = msg.gas.checked_sub(CALL_GAS).filter(|_| msg.value.is_zero()) else {
        return Outcome::failure();
    };
    let state = &machine.state;
    match call {
        ArbWasmCacheCalls::isCacheManager(call) => {
            let is = crate::arbos::is_cache_manager(state, call.manager);
            Outcome::success(ArbWasmCache::isCacheManagerCall::abi_encode_returns(&is), gas_left)
        }
        ArbWasmCacheCalls::allCacheManagers(_) => {
            let all = crate::arbos::cache_managers(state);
            Outcome::success(ArbWasmCache::allCacheManagersCall::abi_encode_returns(&all), gas_left)
        }
        ArbWasmCacheCalls::codehashIsCached(call) => {
            let cached = state.program(call.codehash).is_some_and(|program| program.cached);
            Outcome::success(ArbWasmCache::codehashIsCachedCall::abi_encode_returns(&cached), gas_left)
        }
        ArbWasmCacheCalls::cacheProgram(call) => {
            let code_hash = state.code_hash(call.addr);
            set_cached(machine, msg, code_hash, true, gas_left)
        }
        ArbWasmCacheCalls::evictCodehash(call) => set_cached(machine, msg, call.codehash, false, gas_left),
    }
}

/// Whether `who` may cache and evict programs (nitro's `hasAccess`: a cache
/// manager or a chain owner).
fn has_access(state: &State, who: Address) -> bool {
    crate::arbos::is_cache_manager(state, who) || crate::arbos::is_chain_owner(state, who)
}

/// nitro's `setProgramCached` / `SetProgramCached`: only a cache manager or
/// a chain owner may (anyone else burns all gas); caching needs a current,
/// unexpired program; a change emits `UpdateProgramCache` and burns the
/// program's init cost in gas.
fn set_cached(machine: &mut Machine, msg: &Message, code_hash: B256, cached: bool, gas: u64) -> Outcome {
    if msg.is_static || !has_access(&machine.state, msg.caller) {
        return Outcome::failure();
    }
    let status = program_status(&machine.state, code_hash, machine.block.timestamp);
    let program = match (machine.state.program(code_hash), status) {
        (None, status) => return Outcome::revert(status.expect_err("no program").abi_encode(), gas),
        // Caching needs a current program; evicting an expired one is fine.
        (Some(_), Err(error)) if cached => return Outcome::revert(error.abi_encode(), gas),
        (Some(program), _) => program,
    };
    if program.cached == cached {
        return Outcome::success(Vec::new(), gas);
    }
    let init_cost = machine.programs.cached(code_hash).map_or(0, |compiled| u64::from(compiled.costs.init_cost));
    let Some(gas) = gas.checked_sub(init_cost) else {
        return Outcome::failure();
    };
    machine.state.set_program_cached(code_hash, cached);
    let event = ArbWasmCache::UpdateProgramCache { manager: msg.caller, codehash: code_hash, cached };
    machine.state.push_log(Log { address: ARB_WASM_CACHE, data: event.encode_log_data() });
    Outcome::success(Vec::new(), gas)
}
