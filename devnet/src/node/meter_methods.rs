//! JSON-RPC methods for the Stylus meter: which programs count as cached
//! (nitro charges init gas only to programs that are not), and the function
//! names of the profiler.

use super::devnet::Devnet;
use super::params::Params;
use super::rpc::RpcError;
use alloy_primitives::{Address, Bytes};
use serde_json::{json, Value};

/// Handles the `keel_*` meter methods; `None` for any other method.
pub fn dispatch(devnet: &mut Devnet, method: &str, p: &Params) -> Option<Result<Value, RpcError>> {
    Some(match method {
        // [address, bool] -> bool: marks the program at `address` cached (or
        // not), as ArbWasmCache does; false if no activated program is there.
        "keel_setProgramCached" => (|| {
            let (address, cached): (Address, bool) = (p.get(0, "address")?, p.get(1, "cached")?);
            p.at_most(2)?;
            Ok(json!(devnet.chain_mut().set_program_cached(address, cached)))
        })(),
        // [bool]: treat every program as cached (`--cache-all-programs`).
        "keel_setCacheAllPrograms" => (|| {
            let on: bool = p.get(0, "on")?;
            p.at_most(1)?;
            devnet.chain_mut().set_cache_all_programs(on);
            Ok(Value::Null)
        })(),
        // [address]: lets `address` call ArbWasmCache's cacheProgram / evictCodehash.
        "keel_addWasmCacheManager" => (|| {
            let manager: Address = p.get(0, "manager")?;
            p.at_most(1)?;
            devnet.chain_mut().add_cache_manager(manager);
            Ok(Value::Null)
        })(),
        // [bytes] -> bytes32: function names for profiles (`keelProfiler`)
        // from a module that keeps its name section; answers the hash of
        // the module deployed from it (without custom sections).
        "keel_registerWasmNames" => (|| {
            let wasm: Bytes = p.get(0, "wasm")?;
            p.at_most(1)?;
            devnet.chain_mut().register_wasm_names(&wasm).map(|hash| json!(hash)).map_err(RpcError::invalid_params)
        })(),
        _ => return None,
    })
}
