//! Helpers for the node tests: a devnet driven through the JSON-RPC handler,
//! transaction signers for every envelope type, and a plain HTTP client.
#![allow(dead_code)]

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_rlp::{Encodable, Header};
use k256::ecdsa::SigningKey;
use keel_devnet::node::accounts::{self, DevAccount};
use keel_devnet::node::devnet::Devnet;
use keel_devnet::node::rpc;
use keel_devnet::node::shared::Shared;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::sync::OnceLock;

pub const CHAIN_ID: u64 = 412_346;
pub const ARB_WASM: &str = "0x0000000000000000000000000000000000000071";

/// The ten dev accounts (derived once: PBKDF2 is slow in debug builds).
pub fn dev_accounts() -> Vec<DevAccount> {
    static ACCOUNTS: OnceLock<Vec<DevAccount>> = OnceLock::new();
    ACCOUNTS.get_or_init(|| accounts::derive(accounts::TEST_MNEMONIC, 10).unwrap()).clone()
}

/// 1e18 × `n`.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18u64))
}

/// A JSON-RPC error as (code, message, data).
pub type Error = (i64, String, Option<Value>);

/// A fresh devnet behind the JSON-RPC handler.
pub struct Node(pub Shared);

impl Node {
    pub fn new() -> Self {
        Self(Shared::new(Devnet::new(CHAIN_ID, dev_accounts(), ether(10_000))))
    }

    /// Sends a raw body; returns the parsed response (None for no response).
    pub fn raw(&self, body: &str) -> Option<Value> {
        rpc::handle(&self.0, body.as_bytes()).map(|reply| serde_json::from_slice(&reply).expect("replies are JSON"))
    }

    /// Calls `method`; `Ok(result)` or `Err((code, message, data))`.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
        let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let reply = self.raw(&request.to_string()).expect("a request with an id gets a reply");
        assert_eq!(reply["id"], 1);
        assert_eq!(reply["jsonrpc"], "2.0");
        match reply.get("error") {
            Some(e) => Err((e["code"].as_i64().unwrap(), e["message"].as_str().unwrap().to_string(), e.get("data").cloned())),
            None => Ok(reply["result"].clone()),
        }
    }

    /// Calls `method` and expects success.
    pub fn ok(&self, method: &str, params: Value) -> Value {
        self.call(method, params).unwrap_or_else(|e| panic!("{method} failed: {e:?}"))
    }

    /// Calls `method` and expects an error.
    pub fn err(&self, method: &str, params: Value) -> Error {
        match self.call(method, params) {
            Ok(v) => panic!("{method} succeeded with {v}"),
            Err(e) => e,
        }
    }

    /// Sends a raw transaction and returns its receipt.
    pub fn send_raw(&self, raw: &[u8]) -> Value {
        let hash = self.ok("eth_sendRawTransaction", json!([Bytes::copy_from_slice(raw)]));
        self.ok("eth_getTransactionReceipt", json!([hash]))
    }

    /// `eth_sendTransaction` and the receipt.
    pub fn send(&self, tx: Value) -> Value {
        let hash = self.ok("eth_sendTransaction", json!([tx]));
        self.ok("eth_getTransactionReceipt", json!([hash]))
    }

    pub fn nonce(&self, who: Address) -> u64 {
        quantity(&self.ok("eth_getTransactionCount", json!([who, "latest"])))
    }

    pub fn balance(&self, who: Address) -> U256 {
        self.ok("eth_getBalance", json!([who])).as_str().unwrap().parse().unwrap()
    }

    /// Deploys `code` with a signed creation transaction from dev account 0.
    pub fn deploy_code(&self, code: &[u8]) -> Address {
        let key = &dev_accounts()[0];
        let init = keel_wasm::init_code(code);
        let raw = sign(2, &key.key, self.nonce(key.address), None, U256::ZERO, 30_000_000, &init);
        let receipt = self.send_raw(&raw);
        assert_eq!(receipt["status"], "0x1", "{receipt}");
        serde_json::from_value(receipt["contractAddress"].clone()).unwrap()
    }

    /// Deploys `wasm` with signed creation transactions from dev account 0
    /// (a module above 24 KiB compressed as fragments, then the root) and
    /// activates it through ArbWasm; returns the program address.
    pub fn deploy_wasm(&self, wasm: &[u8]) -> Address {
        let key = &dev_accounts()[0];
        let program = match keel_wasm::deployment(wasm) {
            keel_wasm::Deployment::Single(code) => self.deploy_code(&code),
            keel_wasm::Deployment::Fragmented(fragmented) => {
                let addresses: Vec<[u8; 20]> = fragmented.fragments.iter().map(|f| self.deploy_code(f).into_array()).collect();
                self.deploy_code(&fragmented.root_code(&addresses))
            }
        };
        let activate = format!("0x58c780c2{}", hex(program.into_word().as_slice()));
        let fee_call = json!({ "from": key.address, "to": ARB_WASM, "data": activate, "value": "0x3635c9adc5dea00000" });
        let returned = self.ok("eth_call", json!([fee_call, "latest"]));
        let fee = &returned.as_str().unwrap()[66..];
        let receipt = self.send(json!({ "from": key.address, "to": ARB_WASM, "data": activate, "value": format!("0x{fee}") }));
        assert_eq!(receipt["status"], "0x1", "{receipt}");
        program
    }
}

/// Lower-case hex without prefix.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A JSON hex quantity as u64.
pub fn quantity(value: &Value) -> u64 {
    let s = value.as_str().unwrap_or_else(|| panic!("{value} is not a quantity"));
    u64::from_str_radix(s.strip_prefix("0x").unwrap(), 16).unwrap()
}

fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
    let payload_length = items.iter().map(Vec::len).sum();
    let mut out = Vec::new();
    Header { list: true, payload_length }.encode(&mut out);
    items.iter().for_each(|i| out.extend_from_slice(i));
    out
}

/// Signs a transaction of `tx_type` (0 = legacy EIP-155, 1 = EIP-2930,
/// 2 = EIP-1559 with a zero tip) paying `fee` per gas (base fee if `None`).
pub fn sign(tx_type: u8, key: &SigningKey, nonce: u64, to: Option<Address>, value: U256, gas: u64, input: &[u8]) -> Vec<u8> {
    sign_for(CHAIN_ID, tx_type, key, nonce, to, value, gas, input, U256::from(keel_devnet::BASE_FEE))
}

/// [`sign`] with any chain id and fee.
#[allow(clippy::too_many_arguments)]
pub fn sign_for(
    chain_id: u64,
    tx_type: u8,
    key: &SigningKey,
    nonce: u64,
    to: Option<Address>,
    value: U256,
    gas: u64,
    input: &[u8],
    fee: U256,
) -> Vec<u8> {
    sign_with_tip(chain_id, tx_type, key, nonce, to, value, gas, input, fee, U256::ZERO)
}

/// [`sign_for`] with a priority fee `tip` (type 2 only).
#[allow(clippy::too_many_arguments)]
pub fn sign_with_tip(
    chain_id: u64,
    tx_type: u8,
    key: &SigningKey,
    nonce: u64,
    to: Option<Address>,
    value: U256,
    gas: u64,
    input: &[u8],
    fee: U256,
    tip: U256,
) -> Vec<u8> {
    let e = |x: &dyn Encodable| alloy_rlp::encode(x);
    let to = to.map(|a| e(&a)).unwrap_or_else(|| vec![0x80]);
    let input = Bytes::copy_from_slice(input);
    let empty_list: Vec<Vec<u8>> = Vec::new();
    let mut fields = match tx_type {
        0 => vec![e(&nonce), e(&fee), e(&gas), to, e(&value), e(&input)],
        1 => vec![e(&chain_id), e(&nonce), e(&fee), e(&gas), to, e(&value), e(&input), e(&empty_list)],
        _ => vec![e(&chain_id), e(&nonce), e(&tip), e(&fee), e(&gas), to, e(&value), e(&input), e(&empty_list)],
    };
    let prefix: Vec<u8> = if tx_type == 0 { vec![] } else { vec![tx_type] };
    let mut payload = prefix.clone();
    if tx_type == 0 {
        let mut with_chain = fields.clone();
        with_chain.extend([e(&chain_id), e(&0u8), e(&0u8)]);
        payload.extend(rlp_list(&with_chain));
    } else {
        payload.extend(rlp_list(&fields));
    }
    let (sig, recid) = key.sign_prehash_recoverable(keccak256(&payload).as_slice()).unwrap();
    let parity = u64::from(recid.is_y_odd());
    let v = if tx_type == 0 { chain_id * 2 + 35 + parity } else { parity };
    let (r, s) = (U256::from_be_slice(&sig.r().to_bytes()), U256::from_be_slice(&sig.s().to_bytes()));
    fields.extend([e(&v), e(&r), e(&s)]);
    let mut raw = prefix;
    raw.extend(rlp_list(&fields));
    raw
}

/// A Stylus program returning storage slot (calldata[0..32]) of itself.
pub const SLOT_READER: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 0))
        (call $load (i32.const 0) (i32.const 32))
        (call $write_result (i32.const 32) (i32.const 32))
        (i32.const 0)))"#;

/// Reverts with its calldata as the revert data.
pub const REVERTER: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 0))
        (call $write_result (i32.const 0) (local.get $len))
        (i32.const 1)))"#;

/// Stores calldata[32..64] at slot calldata[0..32].
pub const STORER: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
    (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 0))
        (call $cache (i32.const 0) (i32.const 32))
        (call $flush (i32.const 1))
        (i32.const 0)))"#;

/// Calls the address in calldata[0..20] with the rest of the calldata and
/// all its gas (the host keeps back 1/64); reverts if the call fails.
pub const FORWARDER: &str = r#"(module
    (import "vm_hooks" "read_args" (func $read_args (param i32)))
    (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
    (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $read_args (i32.const 0))
        (call $call (i32.const 0) (i32.const 20) (i32.sub (local.get $len) (i32.const 20)) (i32.const 8192) (call $gas_left) (i32.const 8256))))"#;

/// Creates an empty contract with create1 and returns its address.
pub const CREATOR: &str = r#"(module
    (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
    (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
    (memory (export "memory") 1 1)
    (func (export "user_entrypoint") (param $len i32) (result i32)
        (call $create1 (i32.const 0) (i32.const 0) (i32.const 64) (i32.const 128) (i32.const 160))
        (call $write_result (i32.const 128) (i32.const 20))
        (i32.const 0)))"#;

/// keccak256 as a JSON value.
pub fn hash_json(data: &[u8]) -> Value {
    json!(keccak256(data))
}

/// A 32-byte word with last byte `b`.
pub fn word(b: u8) -> B256 {
    B256::with_last_byte(b)
}

/// POSTs `body` to `url` (`http://host:port`) on a fresh connection;
/// returns the status line and the body.
pub fn http_post(url: &str, body: &str) -> (String, String) {
    let address = url.strip_prefix("http://").unwrap();
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

/// A JSON-RPC call over HTTP; returns the whole response object.
pub fn http_rpc(url: &str, method: &str, params: Value) -> Value {
    let (status, body) = http_post(url, &json!({ "jsonrpc": "2.0", "id": 7, "method": method, "params": params }).to_string());
    assert!(status.contains("200"), "{status}: {body}");
    serde_json::from_str(&body).unwrap()
}
