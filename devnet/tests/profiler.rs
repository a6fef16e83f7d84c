//! The `keelProfiler` tracer: ink by WASM function, per Stylus frame, from
//! the profiling build of each program. Profiling changes no gas; every
//! unit of a frame's ink is charged to a function or a host call.

mod common;
mod support;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use common::*;
use keel_devnet::trace::Profiler;
use keel_devnet::{Chain, Receipt, Tx};
use serde_json::{json, Value};
use std::path::PathBuf;

/// `user_entrypoint` calls `$outer`, which reads slot 0 and calls `$inner`
/// (a loop of 10 rounds) twice. Named, so the deployed module carries its names.
const NESTED: &str = r#"(module
    (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
    (memory (export "memory") 1)
    (func $inner (local $i i32)
        (loop $again
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $again (i32.lt_u (local.get $i) (i32.const 10)))))
    (func $outer (result i32)
        (call $load (i32.const 0) (i32.const 32))
        (call $inner)
        (call $inner)
        (if (i32.eqz (i32.load8_u (i32.const 63))) (then (return (i32.const 0))))
        (i32.const 1))
    (func (export "user_entrypoint") (param i32) (result i32)
        (call $outer)))"#;

fn profile(chain: &mut Chain, tx: Tx) -> (Receipt, Value) {
    chain.trace(tx, Box::new(Profiler::default()), false).expect("traced")
}

fn function<'a>(frame: &'a Value, name: &str) -> &'a Value {
    frame["functions"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap_or_else(|| panic!("no {name} in {frame:#}"))
}

fn ink(value: &Value) -> u64 {
    value.as_u64().unwrap()
}

/// Self ink of every function of `frame` adds up to the frame's ink.
fn assert_self_ink_adds_up(frame: &Value) {
    let sum: u64 = frame["functions"].as_array().unwrap().iter().map(|f| ink(&f["selfInk"])).sum();
    assert_eq!(sum, ink(&frame["ink"]), "{frame:#}");
}

#[test]
fn a_profile_charges_every_unit_of_ink_to_named_functions_and_changes_no_gas() {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1));
    let program = install_wat(&mut chain, NESTED);
    let plain = chain.call(Tx::call(OWNER, program, vec![])).unwrap();
    let (traced, trace) = profile(&mut chain, Tx::call(OWNER, program, vec![]));
    assert_eq!((traced.gas_used, traced.status), (plain.gas_used, plain.status), "the profiling build meters the same ink");

    let frames = trace["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 1);
    let frame = &frames[0];
    assert_eq!(frame["address"], json!(program));
    assert_self_ink_adds_up(frame);
    // Every unit of the frame's gas is its entry costs or its ink.
    let entry = chain.program_entry_costs(program).unwrap().init_gas() + chain.program_entry_costs(program).unwrap().cached_gas();
    let gas_used = ink(&frame["gasUsed"]);
    assert!(gas_used.abs_diff(entry + ink(&frame["ink"]) / 10_000) <= 1, "{gas_used} vs {entry} + {}", frame["ink"]);

    let (entrypoint, outer, inner) = (function(frame, "user_entrypoint"), function(frame, "outer"), function(frame, "inner"));
    let load = function(frame, "[storage_load_bytes32]");
    assert_eq!(entrypoint["totalInk"], frame["ink"], "everything runs under the entry point");
    assert_eq!((inner["calls"].as_u64(), outer["calls"].as_u64()), (Some(2), Some(1)));
    assert_eq!(load["index"], Value::Null, "a host call is not a WASM function");
    assert_eq!(ink(&outer["totalInk"]), ink(&outer["selfInk"]) + ink(&inner["totalInk"]) + ink(&load["totalInk"]));
    assert_eq!(inner["selfInk"], inner["totalInk"], "inner calls nothing");
    assert!(ink(&inner["selfInk"]) > ink(&outer["selfInk"]), "two loops of ten rounds cost more than outer's own blocks");
    // A storage read of a cold slot: 2,100 gas plus the host call's ink.
    assert!(ink(&load["selfInk"]) > 2_100 * 10_000, "{load}");

    let folded: Vec<&str> = trace["folded"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let line = format!("{program};user_entrypoint;outer;inner {}", inner["selfInk"]);
    assert!(folded.contains(&line.as_str()), "{line} in {folded:?}");
    assert!(folded.iter().any(|l| l.starts_with(&format!("{program};[entry] "))), "{folded:?}");
}

#[test]
fn a_nested_frame_is_profiled_apart_and_continues_its_callers_stack() {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1));
    let program = install_wat(&mut chain, NESTED);
    let proxy = install_wat(&mut chain, PROXY);
    let tx = || Tx::call(OWNER, proxy, via_proxy(1, program, &[]));
    let plain = chain.call(tx()).unwrap();
    let (traced, trace) = profile(&mut chain, tx());
    assert_eq!(traced.gas_used, plain.gas_used);
    let frames = trace["frames"].as_array().unwrap();
    assert_eq!(frames.iter().map(|f| f["address"].clone()).collect::<Vec<_>>(), [json!(proxy), json!(program)]);
    assert_eq!((frames[0]["depth"].as_u64(), frames[1]["depth"].as_u64()), (Some(0), Some(1)));
    frames.iter().for_each(assert_self_ink_adds_up);
    // The call's host ink excludes the nested frame's gas.
    let call = function(&frames[0], "[call_contract]");
    assert!(ink(&call["selfInk"]) < ink(&frames[1]["gasUsed"]) * 10_000, "{call}");
    let folded: Vec<&str> = trace["folded"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let prefix = format!("{proxy};user_entrypoint;{program};user_entrypoint;outer;inner ");
    assert!(folded.iter().any(|l| l.starts_with(&prefix)), "{prefix} in {folded:?}");
}

/// `target/wasm-names`: `make wasm`'s copies of the modules with their names.
fn named_wasm(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm-names").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {} ({e}): run `make wasm` first", path.display()))
}

#[test]
fn a_keel_deposit_profile_names_the_contracts_functions() {
    let mut keel = Keel::new();
    for name in ["keel-strategy-manager", "keel-test-token"] {
        let hash = keel.chain.register_wasm_names(&named_wasm(name)).unwrap();
        assert_eq!(hash, alloy_primitives::keccak256(contract_wasm(name)), "names stripped give the deployed module");
    }
    let deposit = ISM::depositIntoStrategyCall { token: keel.token, amount: U256::from(10u64.pow(18)) }.abi_encode();
    let tx = || Tx::call(ALICE, keel.sm, deposit.clone());
    let plain = keel.chain.call(tx()).unwrap();
    let (traced, trace) = profile(&mut keel.chain, tx());
    assert!(plain.status);
    assert_eq!(traced.gas_used, plain.gas_used, "profiling changes no gas");

    let frames = trace["frames"].as_array().unwrap();
    let addresses: Vec<Address> = frames.iter().map(|f| serde_json::from_value(f["address"].clone()).unwrap()).collect();
    assert_eq!(addresses[0], keel.sm);
    assert!(addresses.contains(&keel.token), "the token's transferFrom is a frame of its own");
    frames.iter().for_each(assert_self_ink_adds_up);
    let names: Vec<&str> = frames[0]["functions"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(names.iter().any(|n| n.contains("deposit")), "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with("func[")), "every function is named: {names:?}");
}
