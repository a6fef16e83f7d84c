//! nitro-devnode's setup performed over JSON-RPC, as its script does with
//! `cast send`: the dev account becomes a chain owner through ArbDebug, sets
//! the L1 price per unit to 0 and schedules an ArbOS upgrade through
//! ArbOwner; anyone reads the results from ArbOwnerPublic and ArbGasInfo.
//! The CREATE2 factory it deploys is there from genesis; the cache managers
//! it adds and `--devnode`'s preset state.

mod support;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use keel_devnet::node::genesis::{CREATE2_FACTORY, CREATE2_FACTORY_CODE};
use keel_devnet::precompiles::{
    ArbDebug, ArbGasInfo, ArbOwner, ArbOwnerPublic, ArbWasmCache, ARB_DEBUG, ARB_GAS_INFO, ARB_OWNER, ARB_OWNER_PUBLIC, ARB_WASM_CACHE,
};
use serde_json::json;
use support::{dev_accounts, Node};

fn read<C: SolCall>(node: &Node, to: Address, call: &C) -> C::Return {
    let returned: Bytes =
        serde_json::from_value(node.ok("eth_call", json!([{ "to": to, "data": Bytes::from(call.abi_encode()) }, "latest"]))).unwrap();
    C::abi_decode_returns(&returned).unwrap()
}

fn send<C: SolCall>(node: &Node, from: Address, to: Address, call: &C) -> serde_json::Value {
    node.send(json!({ "from": from, "to": to, "data": Bytes::from(call.abi_encode()), "gas": "0x100000" }))
}

#[test]
fn the_devnode_setup_runs_over_json_rpc() {
    let node = Node::new();
    let (dev, other) = (dev_accounts()[0].address, dev_accounts()[1].address);
    let early = send(&node, dev, ARB_OWNER, &ArbOwner::setL1PricePerUnitCall { pricePerUnit: U256::ZERO });
    assert_eq!(early["status"], "0x0", "not an owner yet");

    assert_eq!(send(&node, dev, ARB_DEBUG, &ArbDebug::becomeChainOwnerCall {})["status"], "0x1");
    assert_eq!(send(&node, dev, ARB_OWNER, &ArbOwner::setL1PricePerUnitCall { pricePerUnit: U256::ZERO })["status"], "0x1");
    let upgrade = ArbOwner::scheduleArbOSUpgradeCall { newVersion: 61, timestamp: 0 };
    assert_eq!(send(&node, dev, ARB_OWNER, &upgrade)["status"], "0x1");

    assert_eq!(read(&node, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}), vec![dev]);
    assert_eq!(read(&node, ARB_GAS_INFO, &ArbGasInfo::getL1BaseFeeEstimateCall {}), U256::ZERO);
    assert_eq!(read(&node, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getScheduledUpgradeCall {}).arbosVersion, 61);
    let stranger =
        json!([{ "from": other, "to": ARB_OWNER, "data": Bytes::from(ArbOwner::getAllChainOwnersCall {}.abi_encode()) }, "latest"]);
    assert_eq!(node.err("eth_call", stranger).0, -32000, "ArbOwner answers owners only");
}

/// The keyless, pre-EIP-155 transaction that deploys the CREATE2 factory on
/// every chain (signer 0x3fab…5362, 100 gwei, 100,000 gas); nitro-devnode's
/// script publishes it.
const KEYLESS_FACTORY_TX: &str = "f8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf31ba02222222222222222222222222222222222222222222222222222222222222222a02222222222222222222222222222222222222222222222222222222222222222";

fn code(node: &Node, at: Address) -> Bytes {
    serde_json::from_value(node.ok("eth_getCode", json!([at, "latest"]))).unwrap()
}

#[test]
fn the_create2_factory_is_there_from_genesis_as_its_keyless_transaction_deploys_it() {
    let node = Node::new();
    let genesis = code(&node, CREATE2_FACTORY);
    assert_eq!(genesis.as_ref(), CREATE2_FACTORY_CODE.as_slice());

    // On a chain without it, the standard keyless transaction deploys the same code there.
    node.ok("anvil_setCode", json!([CREATE2_FACTORY, "0x"]));
    let signer: Address = "0x3fab184622dc19b6109349b94811493bf2a45362".parse().unwrap();
    let funded = node.send(json!({ "from": dev_accounts()[0].address, "to": signer, "value": "0xde0b6b3a7640000" }));
    assert_eq!(funded["status"], "0x1");
    let receipt = node.send_raw(&alloy_primitives::hex::decode(KEYLESS_FACTORY_TX).unwrap());
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    assert_eq!(receipt["contractAddress"], json!(CREATE2_FACTORY));
    assert_eq!(code(&node, CREATE2_FACTORY), genesis);

    // salt ++ init code: the child lands at CREATE2's address and its address is returned.
    let salt = B256::repeat_byte(7);
    let init = alloy_primitives::hex::decode("600a600c600039600a6000f3602a60005260206000f3").unwrap();
    let call = json!({ "from": dev_accounts()[1].address, "to": CREATE2_FACTORY, "data": Bytes::from([salt.as_slice(), &init].concat()), "gas": "0x100000" });
    let returned: Bytes = serde_json::from_value(node.ok("eth_call", json!([call.clone(), "latest"]))).unwrap();
    let child = CREATE2_FACTORY.create2(salt, keccak256(&init));
    assert_eq!(returned.as_ref(), child.as_slice());
    assert_eq!(node.send(call.clone())["status"], "0x1");
    assert_eq!(code(&node, child).as_ref(), alloy_primitives::hex::decode("602a60005260206000f3").unwrap().as_slice());
    assert_eq!(node.send(call)["status"], "0x0", "the same salt and code collide");
}

#[test]
fn chain_owners_add_and_remove_cache_managers_through_arb_owner() {
    let node = Node::new();
    let (dev, manager) = (dev_accounts()[0].address, dev_accounts()[1].address);
    let add = ArbOwner::addWasmCacheManagerCall { manager };
    assert_eq!(send(&node, manager, ARB_OWNER, &add)["status"], "0x0", "owners only");
    assert_eq!(send(&node, dev, ARB_DEBUG, &ArbDebug::becomeChainOwnerCall {})["status"], "0x1");
    assert_eq!(send(&node, dev, ARB_OWNER, &add)["status"], "0x1");
    assert!(read(&node, ARB_WASM_CACHE, &ArbWasmCache::isCacheManagerCall { manager }));
    assert_eq!(read(&node, ARB_WASM_CACHE, &ArbWasmCache::allCacheManagersCall {}), vec![manager]);

    let remove = ArbOwner::removeWasmCacheManagerCall { manager };
    assert_eq!(send(&node, dev, ARB_OWNER, &remove)["status"], "0x1");
    assert_eq!(send(&node, dev, ARB_OWNER, &remove)["status"], "0x0", "not a manager any more");
    assert!(!read(&node, ARB_WASM_CACHE, &ArbWasmCache::isCacheManagerCall { manager }));
}

#[test]
fn a_devnode_start_leaves_the_state_the_setup_script_does() {
    let node = Node::new();
    let dev = dev_accounts()[0].address;
    assert!(read(&node, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}).is_empty());
    assert_ne!(read(&node, ARB_GAS_INFO, &ArbGasInfo::getL1BaseFeeEstimateCall {}), U256::ZERO);
    let cache_manager = node.0.lock().configure_as_devnode().unwrap();
    assert_eq!(read(&node, ARB_OWNER_PUBLIC, &ArbOwnerPublic::getAllChainOwnersCall {}), vec![dev]);
    assert_eq!(read(&node, ARB_WASM_CACHE, &ArbWasmCache::allCacheManagersCall {}), vec![dev, cache_manager]);
    assert_eq!(read(&node, ARB_GAS_INFO, &ArbGasInfo::getL1BaseFeeEstimateCall {}), U256::ZERO);
    assert_eq!(send(&node, dev, ARB_OWNER, &ArbOwner::setL1PricePerUnitCall { pricePerUnit: U256::from(1) })["status"], "0x1");
}

#[test]
fn arbos_precompiles_have_nitros_placeholder_code_so_solidity_can_call_them() {
    let node = Node::new();
    for precompile in keel_devnet::precompiles::ARBOS_PRECOMPILES {
        assert_eq!(code(&node, precompile), Bytes::from_static(&[0xfe]), "{precompile}");
    }
    assert_eq!(code(&node, Address::with_last_byte(1)), Bytes::new(), "Ethereum's precompiles have none");
    // A call still runs the precompile, not the code.
    assert!(!read(&node, ARB_WASM_CACHE, &ArbWasmCache::allCacheManagersCall {}).iter().any(|m| m.is_zero()));
}
