//! nitro-devnode's setup performed over JSON-RPC, as its script does with
//! `cast send`: the dev account becomes a chain owner through ArbDebug, sets
//! the L1 price per unit to 0 and schedules an ArbOS upgrade through
//! ArbOwner; anyone reads the results from ArbOwnerPublic and ArbGasInfo.

mod support;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use keel_devnet::precompiles::{ArbDebug, ArbGasInfo, ArbOwner, ArbOwnerPublic, ARB_DEBUG, ARB_GAS_INFO, ARB_OWNER, ARB_OWNER_PUBLIC};
use serde_json::json;
use support::{dev_accounts, Node};

fn read<C: SolCall>(node: &Node, to: Address, call: &C) -> C::Return {
    let returned: Bytes = serde_json::from_value(node.ok("eth_call", json!([{ "to": to, "data": Bytes::from(call.abi_encode()) }, "latest"]))).unwrap();
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
    let stranger = json!([{ "from": other, "to": ARB_OWNER, "data": Bytes::from(ArbOwner::getAllChainOwnersCall {}.abi_encode()) }, "latest"]);
    assert_eq!(node.err("eth_call", stranger).0, -32000, "ArbOwner answers owners only");
}
