//! nitro's program entry costs on the devnet: every Stylus frame pays the
//! cached cost; a program not cached (ArbWasmCache) that has not yet run in
//! the block also pays the init cost.

mod common;

use alloy_primitives::Address;
use alloy_sol_types::SolCall;
use common::*;
use keel_devnet::precompiles::{ArbDebug, ArbWasmCache, ARB_DEBUG, ARB_WASM_CACHE};
use keel_devnet::{Chain, Receipt, Tx};

fn funded_chain() -> Chain {
    let mut chain = Chain::new(CHAIN_ID);
    chain.set_balance(OWNER, ether(1_000));
    chain.set_balance(ALICE, ether(1_000));
    chain
}

/// PROXY in mode 2: returns `msg_reentrant`, one frame.
fn ask_reentrant(chain: &mut Chain, proxy: Address) -> Receipt {
    chain.transact(Tx::call(OWNER, proxy, vec![2])).unwrap()
}

#[test]
fn a_program_not_cached_pays_init_gas_on_top_of_the_cached_cost() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let costs = chain.program_entry_costs(proxy).unwrap();
    assert!(costs.init_gas() > 8_832 && costs.cached_gas() > 352, "nitro's minimums plus the module's costs: {costs:?}");
    let uncached = ask_reentrant(&mut chain, proxy).gas_used;
    assert_eq!(ask_reentrant(&mut chain, proxy).gas_used, uncached, "each transaction is a new block: init gas again");
    assert!(chain.set_program_cached(proxy, true));
    let cached = ask_reentrant(&mut chain, proxy).gas_used;
    assert_eq!(uncached - cached, costs.init_gas());
    assert!(chain.set_program_cached(proxy, false));
    assert_eq!(ask_reentrant(&mut chain, proxy).gas_used, uncached);
    chain.set_cache_all_programs(true);
    assert_eq!(ask_reentrant(&mut chain, proxy).gas_used, cached, "--cache-all-programs");
}

#[test]
fn a_program_called_again_in_the_same_block_pays_only_the_cached_cost() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let init = chain.program_entry_costs(proxy).unwrap().init_gas();
    // The proxy calls itself: two frames of one program in one transaction.
    let reenter = via_proxy(1, proxy, &[2]);
    let uncached = chain.transact(Tx::call(OWNER, proxy, reenter.clone())).unwrap();
    assert_eq!(uncached.output.as_ref(), &[0, 1], "the inner frame ran (re-entrant)");
    chain.set_cache_all_programs(true);
    let cached = chain.transact(Tx::call(OWNER, proxy, reenter)).unwrap();
    assert_eq!(uncached.gas_used - cached.gas_used, init, "only the first frame paid init gas");
}

#[test]
fn arb_wasm_cache_lets_only_cache_managers_cache_and_evict() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let code_hash = alloy_primitives::keccak256(chain.code(proxy));
    let is_cached = |chain: &mut Chain| {
        let data = ArbWasmCache::codehashIsCachedCall { codehash: code_hash }.abi_encode();
        chain.call(Tx::call(OWNER, ARB_WASM_CACHE, data)).unwrap().output[31] == 1
    };
    let cache = ArbWasmCache::cacheProgramCall { addr: proxy }.abi_encode();
    let refused = chain.transact(Tx::call(ALICE, ARB_WASM_CACHE, cache.clone()).with_gas(100_000)).unwrap();
    assert!(!refused.status && refused.gas_used == 100_000, "a stranger burns all gas, as in nitro");
    assert!(!is_cached(&mut chain));

    let uncached = ask_reentrant(&mut chain, proxy).gas_used;
    chain.add_cache_manager(ALICE);
    let receipt = chain.transact(Tx::call(ALICE, ARB_WASM_CACHE, cache)).unwrap();
    assert!(receipt.status);
    let event = ArbWasmCache::UpdateProgramCache { manager: ALICE, codehash: code_hash, cached: true };
    assert_eq!(receipt.logs[0].data, alloy_sol_types::SolEvent::encode_log_data(&event));
    assert!(is_cached(&mut chain));
    let init = chain.program_entry_costs(proxy).unwrap().init_gas();
    assert_eq!(uncached - ask_reentrant(&mut chain, proxy).gas_used, init);

    let evict = ArbWasmCache::evictCodehashCall { codehash: code_hash }.abi_encode();
    assert!(chain.transact(Tx::call(ALICE, ARB_WASM_CACHE, evict)).unwrap().status);
    assert!(!is_cached(&mut chain));
    assert_eq!(ask_reentrant(&mut chain, proxy).gas_used, uncached);
}

#[test]
fn arb_wasm_cache_lets_chain_owners_cache_as_nitro_does() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let cache = ArbWasmCache::cacheProgramCall { addr: proxy }.abi_encode();
    assert!(!chain.transact(Tx::call(ALICE, ARB_WASM_CACHE, cache.clone())).unwrap().status, "not yet an owner");
    let become_owner = ArbDebug::becomeChainOwnerCall {}.abi_encode();
    assert!(chain.transact(Tx::call(ALICE, ARB_DEBUG, become_owner)).unwrap().status);
    assert!(chain.transact(Tx::call(ALICE, ARB_WASM_CACHE, cache)).unwrap().status);
    let is_manager = ArbWasmCache::isCacheManagerCall { manager: ALICE }.abi_encode();
    assert_eq!(chain.call(Tx::call(OWNER, ARB_WASM_CACHE, is_manager)).unwrap().output[31], 0, "an owner is not a manager");
    let code_hash = alloy_primitives::keccak256(chain.code(proxy));
    let is_cached = ArbWasmCache::codehashIsCachedCall { codehash: code_hash }.abi_encode();
    assert_eq!(chain.call(Tx::call(OWNER, ARB_WASM_CACHE, is_cached)).unwrap().output[31], 1);
}

#[test]
fn a_frame_without_gas_for_its_entry_cost_fails() {
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let entry = chain.program_entry_costs(proxy).unwrap().entry_gas(false);
    let intrinsic = keel_devnet::gas::intrinsic_gas(&[2]);
    let short = chain.transact(Tx::call(OWNER, proxy, vec![2]).with_gas(intrinsic + entry - 1)).unwrap();
    assert!(!short.status);
    let enough = ask_reentrant(&mut chain, proxy).gas_used;
    assert!(chain.transact(Tx::call(OWNER, proxy, vec![2]).with_gas(enough)).unwrap().status);
}

/// Calls ArbWasm's view `call`; its decoded answer, or the revert data.
fn ask_arb_wasm<C: SolCall>(chain: &mut Chain, call: &C) -> Result<C::Return, Vec<u8>> {
    let receipt = chain.call(Tx::call(OWNER, keel_devnet::precompiles::ARB_WASM, call.abi_encode())).unwrap();
    if receipt.status {
        Ok(C::abi_decode_returns(&receipt.output).unwrap())
    } else {
        Err(receipt.output.to_vec())
    }
}

#[test]
fn arb_wasm_reports_the_size_and_entry_costs_the_meter_charges() {
    use keel_devnet::precompiles::ArbWasm;
    let mut chain = funded_chain();
    let proxy = install_wat(&mut chain, PROXY);
    let costs = chain.program_entry_costs(proxy).unwrap();
    let code_hash = alloy_primitives::keccak256(chain.code(proxy));

    let init = ask_arb_wasm(&mut chain, &ArbWasm::programInitGasCall { program: proxy }).unwrap();
    assert_eq!((init.gas, init.gasWhenCached), (costs.entry_gas(false), costs.entry_gas(true)));
    let uncached = ask_reentrant(&mut chain, proxy).gas_used;
    chain.set_cache_all_programs(true);
    assert_eq!(uncached - ask_reentrant(&mut chain, proxy).gas_used, init.gas - init.gasWhenCached, "what a frame is charged");

    let size = ask_arb_wasm(&mut chain, &ArbWasm::codehashAsmSizeCall { codehash: code_hash }).unwrap();
    assert!(
        size.is_multiple_of(1024) && size >= costs.asm_estimate && size - costs.asm_estimate < 1024,
        "{size} vs {}",
        costs.asm_estimate
    );
    let footprint = ask_arb_wasm(&mut chain, &ArbWasm::programMemoryFootprintCall { program: proxy }).unwrap();
    assert_eq!(footprint, costs.footprint);
    assert_eq!(ask_arb_wasm(&mut chain, &ArbWasm::inkPriceCall {}).unwrap(), 10_000);
    let minimums = ask_arb_wasm(&mut chain, &ArbWasm::minInitGasCall {}).unwrap();
    assert_eq!((minimums.gas, minimums.cached), (69 * 128, 11 * 32));

    let unknown = ask_arb_wasm(&mut chain, &ArbWasm::codehashAsmSizeCall { codehash: alloy_primitives::B256::repeat_byte(1) });
    assert_eq!(unknown.unwrap_err(), alloy_sol_types::SolError::abi_encode(&ArbWasm::ProgramNotActivated {}));
}
