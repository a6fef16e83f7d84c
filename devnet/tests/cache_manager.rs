//! The devnode's CacheManager (`devnet/solidity/CacheManager.sol`), which
//! `--devnode` deploys and registers as the last cache manager, as
//! cargo-stylus's `cache bid` and `cache status` find and call it: bids
//! cache programs through ArbWasmCache, a bid that needs room evicts lower
//! bids, and only the owner resizes or pauses.

mod support;

use alloy_primitives::{aliases::U192, Address, Bytes};
use alloy_sol_types::{SolCall, SolError};
use keel_devnet::precompiles::{ArbWasm, ArbWasmCache, ARB_WASM, ARB_WASM_CACHE};
use serde_json::{json, Value};
use support::{dev_accounts, Node};

alloy_sol_types::sol! {
    /// The CacheManager's functions and errors the tests use (cargo-stylus uses the same).
    interface CacheManager {
        struct Entry { bytes32 code; uint64 size; uint192 bid; }
        function cacheSize() external view returns (uint64);
        function queueSize() external view returns (uint64);
        function isPaused() external view returns (bool);
        function placeBid(address program) external payable;
        function getMinBid(address program) external view returns (uint192 min);
        function getEntries() external view returns (Entry[] memory);
        function setCacheSize(uint64 size) external;
        function setPaused(bool paused) external;
        error AlreadyCached(bytes32 codehash);
        error BidTooSmall(uint192 bid, uint192 min);
        error BidsArePaused();
        error ProgramNotActivated();
        error NotOwner(address caller);
    }
}

fn read<C: SolCall>(node: &Node, to: Address, call: &C) -> C::Return {
    let returned: Bytes =
        serde_json::from_value(node.ok("eth_call", json!([{ "to": to, "data": Bytes::from(call.abi_encode()) }, "latest"]))).unwrap();
    C::abi_decode_returns(&returned).unwrap()
}

/// The revert data of `call` from `from` with `value`, as `eth_call` reports it.
fn revert_data<C: SolCall>(node: &Node, from: Address, to: Address, call: &C, value: u64) -> Bytes {
    let request = json!({ "from": from, "to": to, "data": Bytes::from(call.abi_encode()), "value": format!("{value:#x}") });
    let (_, _, data) = node.err("eth_call", json!([request, "latest"]));
    serde_json::from_value(data.expect("revert data")).unwrap()
}

fn send<C: SolCall>(node: &Node, from: Address, to: Address, call: &C, value: u64) -> Value {
    node.send(json!({ "from": from, "to": to, "data": Bytes::from(call.abi_encode()), "value": format!("{value:#x}"), "gas": "0x1000000" }))
}

fn wasm(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/wasm").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make wasm`)", path.display()))
}

fn asm_size(node: &Node, program: Address) -> u64 {
    let code: Bytes = serde_json::from_value(node.ok("eth_getCode", json!([program, "latest"]))).unwrap();
    read(node, ARB_WASM, &ArbWasm::codehashAsmSizeCall { codehash: alloy_primitives::keccak256(&code) }).into()
}

fn is_cached(node: &Node, program: Address) -> bool {
    let code: Bytes = serde_json::from_value(node.ok("eth_getCode", json!([program, "latest"]))).unwrap();
    read(node, ARB_WASM_CACHE, &ArbWasmCache::codehashIsCachedCall { codehash: alloy_primitives::keccak256(&code) })
}

/// A devnode with its CacheManager; returns the node and the manager's address.
fn devnode() -> (Node, Address) {
    let node = Node::new();
    let manager = node.0.lock().configure_as_devnode().unwrap();
    (node, manager)
}

#[test]
fn the_devnode_registers_its_cache_manager_last_as_cargo_stylus_looks_it_up() {
    let (node, manager) = devnode();
    let dev = dev_accounts()[0].address;
    assert_eq!(read(&node, ARB_WASM_CACHE, &ArbWasmCache::allCacheManagersCall {}), vec![dev, manager]);
    assert_eq!(read(&node, manager, &CacheManager::cacheSizeCall {}), keel_devnet::node::genesis::CACHE_MANAGER_SIZE);
    assert_eq!(read(&node, manager, &CacheManager::queueSizeCall {}), 0);
    assert!(!read(&node, manager, &CacheManager::isPausedCall {}));
}

#[test]
fn a_bid_caches_the_program_once_and_a_non_program_is_refused() {
    let (node, manager) = devnode();
    let dev = dev_accounts()[0].address;
    let program = node.deploy_wasm(&wasm("keel-test-token"));
    assert!(!is_cached(&node, program));
    assert_eq!(read(&node, manager, &CacheManager::getMinBidCall { program }), U192::ZERO);

    assert_eq!(send(&node, dev, manager, &CacheManager::placeBidCall { program }, 0)["status"], "0x1");
    assert!(is_cached(&node, program));
    let entries = read(&node, manager, &CacheManager::getEntriesCall {});
    assert_eq!(entries.len(), 1);
    assert_eq!(read(&node, manager, &CacheManager::queueSizeCall {}), entries[0].size);
    assert!(entries[0].size > 0);

    let again = revert_data(&node, dev, manager, &CacheManager::placeBidCall { program }, 0);
    assert_eq!(&again[..4], CacheManager::AlreadyCached::SELECTOR);
    let not_a_program = revert_data(&node, dev, manager, &CacheManager::placeBidCall { program: dev }, 0);
    assert_eq!(&not_a_program[..4], CacheManager::ProgramNotActivated::SELECTOR);
}

#[test]
fn a_bid_that_needs_room_must_beat_the_bids_it_evicts() {
    let (node, manager) = devnode();
    let dev = dev_accounts()[0].address;
    let (first, second) = (node.deploy_wasm(&wasm("keel-test-token")), node.deploy_wasm(&wasm("keel-strategy-manager")));
    assert_eq!(send(&node, dev, manager, &CacheManager::placeBidCall { program: first }, 5)["status"], "0x1");
    let (a, b) = (asm_size(&node, first), asm_size(&node, second));
    // Room for either program alone, not for both.
    let room = a.max(b) + a.min(b) / 2;
    assert_eq!(send(&node, dev, manager, &CacheManager::setCacheSizeCall { size: room }, 0)["status"], "0x1");
    assert!(is_cached(&node, first), "the first program still fits");

    assert_eq!(read(&node, manager, &CacheManager::getMinBidCall { program: second }), U192::from(5));
    let low = revert_data(&node, dev, manager, &CacheManager::placeBidCall { program: second }, 4);
    assert_eq!(&low[..4], CacheManager::BidTooSmall::SELECTOR);
    assert_eq!(send(&node, dev, manager, &CacheManager::placeBidCall { program: second }, 5)["status"], "0x1");
    assert!(is_cached(&node, second));
    assert!(!is_cached(&node, first), "evicted by the equal, newer bid");
    assert_eq!(read(&node, manager, &CacheManager::queueSizeCall {}), b);

    let stranger = dev_accounts()[1].address;
    let refused = revert_data(&node, stranger, manager, &CacheManager::setPausedCall { paused: true }, 0);
    assert_eq!(&refused[..4], CacheManager::NotOwner::SELECTOR);
    assert_eq!(send(&node, dev, manager, &CacheManager::setPausedCall { paused: true }, 0)["status"], "0x1");
    let paused = revert_data(&node, dev, manager, &CacheManager::placeBidCall { program: first }, 10);
    assert_eq!(&paused[..4], CacheManager::BidsArePaused::SELECTOR);
}
