//! The JSON-RPC envelope: malformed requests, batches, notifications, and a
//! property test feeding arbitrary input to the handler.

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};
use support::*;

fn error_code(reply: &Value) -> i64 {
    reply["error"]["code"].as_i64().unwrap_or_else(|| panic!("not an error: {reply}"))
}

#[test]
fn malformed_requests_get_the_standard_error_codes() {
    let node = Node::new();
    let parse = node.raw("{\"jsonrpc\": \"2.0\",").unwrap();
    assert_eq!((error_code(&parse), parse["id"].clone()), (-32700, Value::Null));
    assert!(parse["error"]["message"].as_str().unwrap().starts_with("parse error"));
    assert_eq!(error_code(&node.raw("42").unwrap()), -32600);
    assert_eq!(error_code(&node.raw(r#"{"id":1,"method":"eth_chainId"}"#).unwrap()), -32600, "jsonrpc missing");
    assert_eq!(error_code(&node.raw(r#"{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}"#).unwrap()), -32600);
    assert_eq!(error_code(&node.raw(r#"{"jsonrpc":"2.0","id":1,"method":7}"#).unwrap()), -32600);
    assert_eq!(error_code(&node.raw(r#"{"jsonrpc":"2.0","id":[1],"method":"eth_chainId"}"#).unwrap()), -32600);
    let unknown = node.raw(r#"{"jsonrpc":"2.0","id":"x","method":"eth_frobnicate"}"#).unwrap();
    assert_eq!((error_code(&unknown), unknown["id"].clone()), (-32601, json!("x")));
    assert_eq!(unknown["error"]["message"], "method not found: eth_frobnicate");
    let named = node.raw(r#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{"address":"0x"}}"#).unwrap();
    assert_eq!(error_code(&named), -32602);
    assert_eq!(error_code(&node.raw("[]").unwrap()), -32600, "empty batch");
}

#[test]
fn batches_answer_each_request_in_order_and_skip_notifications() {
    let node = Node::new();
    let batch = r#"[
        {"jsonrpc":"2.0","id":1,"method":"eth_chainId"},
        {"jsonrpc":"2.0","method":"evm_mine"},
        {"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"},
        {"jsonrpc":"2.0","id":3,"method":"nope"},
        5
    ]"#;
    let replies = node.raw(batch).unwrap();
    let replies = replies.as_array().unwrap();
    assert_eq!(replies.len(), 4, "the notification gets no reply");
    assert_eq!(replies[0]["result"], "0x64aba");
    assert_eq!(replies[1]["result"], "0x1", "the notification was executed");
    assert_eq!(error_code(&replies[2]), -32601);
    assert_eq!(error_code(&replies[3]), -32600);
    assert!(node.raw(r#"{"jsonrpc":"2.0","method":"evm_mine"}"#).is_none());
    assert!(node.raw(r#"[{"jsonrpc":"2.0","method":"evm_mine"}]"#).is_none());
}

/// Methods the property test calls with random parameters.
const METHODS: &[&str] = &[
    "eth_getBalance",
    "eth_getCode",
    "eth_getStorageAt",
    "eth_call",
    "eth_estimateGas",
    "eth_sendRawTransaction",
    "eth_sendTransaction",
    "eth_getTransactionByHash",
    "eth_getTransactionReceipt",
    "eth_getBlockByNumber",
    "eth_getBlockByHash",
    "eth_getLogs",
    "eth_feeHistory",
    "evm_increaseTime",
    "evm_setNextBlockTimestamp",
    "evm_revert",
    "anvil_setCode",
    "anvil_setBalance",
    "anvil_impersonateAccount",
    "eth_getTransactionCount",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "(0x)?[0-9a-fA-F]{0,70}".prop_map(Value::String),
        Just(json!("latest")),
        Just(json!("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![Just("to".to_string()), Just("from".to_string()), Just("data".to_string()), "[a-z]{1,6}"],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_get_a_json_error_and_the_node_keeps_serving(body in prop::collection::vec(any::<u8>(), 0..200)) {
        let node = Node::new();
        if let Some(reply) = rpc_reply(&node, &body) {
            prop_assert!(reply.is_object() || reply.is_array());
        }
        prop_assert_eq!(node.ok("eth_chainId", json!([])), json!("0x64aba"));
    }

    #[test]
    fn arbitrary_params_get_a_result_or_a_well_formed_error(method in prop::sample::select(METHODS), params in prop::collection::vec(json_value(), 0..4)) {
        let node = Node::new();
        match node.call(method, Value::Array(params)) {
            Ok(_) => {}
            Err((code, message, _)) => {
                prop_assert!([-32602, -32000, 3].contains(&code), "{} gave {} {}", method, code, message);
                prop_assert!(!message.is_empty());
            }
        }
        prop_assert_eq!(node.ok("eth_chainId", json!([])), json!("0x64aba"));
    }
}

fn rpc_reply(node: &Node, body: &[u8]) -> Option<Value> {
    keel_devnet::node::rpc::handle(&node.0, body).map(|reply| serde_json::from_slice(&reply).expect("replies are JSON"))
}
