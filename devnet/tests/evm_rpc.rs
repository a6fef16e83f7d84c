//! A Solidity contract through the JSON-RPC node: deployed code as compiled,
//! custom errors in `eth_call`'s error data, `eth_estimateGas` as a limit.

mod common;
mod support;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use common::solidity::{self, ISolidityToken as IToken};
use serde_json::json;
use support::*;

/// The compiled runtime code with the immutable `minter` (PUSH32 of zeros) filled in.
fn expected_runtime_code(minter: Address) -> Bytes {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/solidity/SolidityToken.json");
    let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let placeholder = format!("7f{}", "0".repeat(64));
    let filled = format!("7f{}", hex(minter.into_word().as_slice()));
    fixture["deployedBytecode"].as_str().unwrap().replace(&placeholder, &filled).parse().unwrap()
}

#[test]
fn a_solidity_token_over_json_rpc() {
    let node = Node::new();
    let (minter, holder) = (dev_accounts()[0].address, dev_accounts()[1].address);
    let init = [solidity::init_code("SolidityToken"), ("Wrapped stETH".to_string(), "wstETH".to_string()).abi_encode_params()].concat();
    let receipt = node.send(json!({ "from": minter, "data": Bytes::from(init) }));
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    let token: Address = serde_json::from_value(receipt["contractAddress"].clone()).unwrap();
    let code: Bytes = serde_json::from_value(node.ok("eth_getCode", json!([token, "latest"]))).unwrap();
    assert_eq!(code, expected_runtime_code(minter), "the runtime code solc compiled");

    let mint = IToken::mintCall { to: holder, value: ether(3) }.abi_encode();
    assert_eq!(node.send(json!({ "from": minter, "to": token, "data": Bytes::from(mint) }))["status"], "0x1");

    let too_much = IToken::transferCall { to: minter, value: ether(5) }.abi_encode();
    let (code, _, data) = node.err("eth_call", json!([{ "from": holder, "to": token, "data": Bytes::from(too_much) }, "latest"]));
    assert_eq!(code, 3, "a revert with data");
    let data: Bytes = serde_json::from_value(data.expect("revert data")).unwrap();
    let error = IToken::ERC20InsufficientBalance::abi_decode(&data).unwrap();
    assert_eq!((error.sender, error.balance, error.needed), (holder, ether(3), ether(5)));

    let transfer = Bytes::from(IToken::transferCall { to: minter, value: ether(1) }.abi_encode());
    let estimate = quantity(&node.ok("eth_estimateGas", json!([{ "from": holder, "to": token, "data": transfer }])));
    let sent = node.send(json!({ "from": holder, "to": token, "data": transfer, "gas": format!("{estimate:#x}") }));
    assert_eq!(sent["status"], "0x1", "the estimate is enough as a limit: {sent}");
    let balance = node
        .ok("eth_call", json!([{ "to": token, "data": Bytes::from(IToken::balanceOfCall { account: minter }.abi_encode()) }, "latest"]));
    assert_eq!(balance.as_str().unwrap().parse::<U256>().unwrap(), ether(1));
}
