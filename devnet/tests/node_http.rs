//! The node over HTTP: spawned in-process on a free port, keep-alive
//! connections, non-POST requests, and `--state` persistence.

mod support;

use keel_devnet::node::{self, Config};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use support::*;

fn spawn(state_file: Option<std::path::PathBuf>) -> node::NodeHandle {
    node::spawn(Config { port: 0, state_file, ..Config::default() }).unwrap()
}

#[test]
fn serves_json_rpc_over_http_with_keep_alive() {
    let node = spawn(None);
    assert_eq!(http_rpc(&node.url(), "eth_chainId", json!([]))["result"], "0x64aba");

    let mut stream = std::net::TcpStream::connect(node.address()).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for id in 1..=3 {
        let body = json!({ "jsonrpc": "2.0", "id": id, "method": "eth_blockNumber" }).to_string();
        write!(stream, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut reply = vec![0; length];
        reader.read_exact(&mut reply).unwrap();
        let reply: serde_json::Value = serde_json::from_slice(&reply).unwrap();
        assert_eq!(reply["id"], id, "three requests on one connection");
    }

    let (status, _) = http_post(&node.url(), "{not json");
    assert!(status.contains("200"), "JSON-RPC errors travel in 200 responses: {status}");
    let mut stream = std::net::TcpStream::connect(node.address()).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 405"), "{reply}");
    assert_eq!(http_rpc(&node.url(), "eth_chainId", json!([]))["result"], "0x64aba", "still serving");
    node.shutdown().unwrap();
}

#[test]
fn interval_mining_adds_blocks_without_transactions() {
    let node = node::spawn(Config { port: 0, block_time: Some(1), ..Config::default() }).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2_300));
    let number = quantity(&http_rpc(&node.url(), "eth_blockNumber", json!([]))["result"]);
    assert!((2..=3).contains(&number), "{number} blocks after 2.3 s");
}

#[test]
fn the_state_file_keeps_the_chain_across_restarts() {
    let dir = std::env::temp_dir().join(format!("keel-devnet-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("chain.json");
    let _ = std::fs::remove_file(&path);
    let alice = dev_accounts()[0].address;
    let carol = "0x00000000000000000000000000000000000000ca";

    let node = spawn(Some(path.clone()));
    assert!(!node.restored());
    let sent = http_rpc(&node.url(), "eth_sendTransaction", json!([{ "from": alice, "to": carol, "value": "0x7" }]));
    let hash = sent["result"].clone();
    http_rpc(&node.url(), "anvil_setCode", json!([ARB_WASM.replace("71", "72"), "0xeff00000"]));
    http_rpc(&node.url(), "evm_increaseTime", json!([1_000]));
    node.shutdown().unwrap();
    assert!(path.exists());

    let node = spawn(Some(path.clone()));
    assert!(node.restored());
    let url = node.url();
    assert_eq!(http_rpc(&url, "eth_blockNumber", json!([]))["result"], "0x1");
    assert_eq!(http_rpc(&url, "eth_getBalance", json!([carol]))["result"], "0x7");
    assert_eq!(http_rpc(&url, "eth_getCode", json!([ARB_WASM.replace("71", "72")]))["result"], "0xeff00000");
    assert_eq!(http_rpc(&url, "eth_getTransactionCount", json!([alice]))["result"], "0x1");
    assert_eq!(http_rpc(&url, "eth_getTransactionReceipt", json!([hash]))["result"]["status"], "0x1");
    let resent = http_rpc(&url, "eth_sendTransaction", json!([{ "from": alice, "to": carol, "value": "0x1" }]));
    assert!(resent.get("error").is_none(), "{resent}");
    let receipt = http_rpc(&url, "eth_getTransactionReceipt", json!([resent["result"]]))["result"].clone();
    assert_eq!(receipt["blockNumber"], "0x2");
    drop(node); // dropping saves too
    std::fs::write(&path, "not json").unwrap();
    let error = node::spawn(Config { port: 0, state_file: Some(path.clone()), ..Config::default() }).err().unwrap();
    assert!(error.to_string().contains("not a devnet state file"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}
