//! foundry's `cast` against the node: Keel's test token deployed by a raw
//! signed creation transaction (sent as plain JSON over HTTP), activated,
//! constructed and used with `cast send`, `call`, `receipt`, `logs`,
//! `balance` and `code`; a second copy deployed through the StylusDeployer
//! with `cast send`. Skipped, loudly, when `make tools` has not installed cast.

mod support;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol_data, SolType};
use keel_devnet::node::{self, Config};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use support::*;

const BOB: &str = "0x00000000000000000000000000000000000000b0";
const STYLUS_DEPLOYER: &str = "0xcEcba2F1DC234f70Dd89F2041029807F8D03A990";

fn cast_binary() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/node_modules/@foundry-rs/cast-linux-amd64/bin/cast");
    path.exists().then_some(path)
}

struct Cast {
    binary: PathBuf,
    url: String,
    key: String,
}

impl Cast {
    /// Runs `cast args... --rpc-url URL`; returns stdout, or stderr as the error.
    fn run(&self, args: &[&str]) -> Result<String, String> {
        let output = Command::new(&self.binary).args(args).args(["--rpc-url", &self.url]).output().expect("cast runs");
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_string();
        if output.status.success() {
            Ok(text(&output.stdout))
        } else {
            Err(text(&output.stderr))
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        self.run(args).unwrap_or_else(|e| panic!("cast {args:?} failed: {e}"))
    }

    /// `cast send` with dev account 0's key; returns the receipt as JSON.
    fn send(&self, args: &[&str]) -> Value {
        let mut all = vec!["send", "--private-key", &self.key, "--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("cast send --json prints the receipt")
    }
}

/// The first number cast prints on a line ("123 [1.23e2]" -> 123).
fn number(line: &str) -> U256 {
    line.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn cast_deploys_calls_and_reads_keel_s_test_token() {
    let Some(binary) = cast_binary() else {
        eprintln!("\n!!!!!!!! SKIPPED: cast is not installed; run `make tools` (npm ci --prefix tools) !!!!!!!!\n");
        return;
    };
    let wasm_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm/keel-test-token.wasm");
    let wasm = std::fs::read(&wasm_path).unwrap_or_else(|e| panic!("{} ({e}): run `make wasm` first", wasm_path.display()));
    let node = node::spawn(Config { port: 0, ..Config::default() }).unwrap();
    let alice = dev_accounts()[0].clone();
    let cast = Cast { binary, url: node.url(), key: alice.private_key().to_string() };

    // Standard deployment transaction, signed here and sent as plain JSON.
    let init = keel_wasm::init_code(&keel_wasm::deployed_code(&wasm));
    let raw = sign(2, &alice.key, 0, None, U256::ZERO, 30_000_000, &init);
    let sent = http_rpc(&node.url(), "eth_sendRawTransaction", json!([Bytes::from(raw)]));
    let receipt = http_rpc(&node.url(), "eth_getTransactionReceipt", json!([sent["result"]]))["result"].clone();
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    let token: Address = serde_json::from_value(receipt["contractAddress"].clone()).unwrap();
    let token_hex = token.to_string();
    assert!(cast.ok(&["code", &token_hex]).starts_with("0xeff00000"));

    // Activation: the fee from a simulated call, then `cast send` with it.
    let quote = cast.ok(&[
        "call",
        ARB_WASM,
        "activateProgram(address)(uint16,uint256)",
        &token_hex,
        "--value",
        "1ether",
        "--from",
        &alice.address.to_string(),
    ]);
    let fee = number(quote.lines().nth(1).unwrap()).to_string();
    let activation = cast.send(&[ARB_WASM, "activateProgram(address)", &token_hex, "--value", &fee]);
    assert_eq!(activation["status"], "0x1", "{activation}");

    // Constructor: stylus_constructor() selector + (name, symbol, decimals, owner).
    type Args = (sol_data::String, sol_data::String, sol_data::Uint<8>, sol_data::Address);
    let mut constructor = vec![0x55, 0x85, 0x25, 0x8d];
    let args: (String, String, u8, Address) = ("Keel Test".into(), "KT".into(), 18, alice.address);
    constructor.extend(Args::abi_encode_params(&args));
    let constructed = cast.send(&[&token_hex, &Bytes::from(constructor).to_string()]);
    assert_eq!(constructed["status"], "0x1", "{constructed}");
    assert_eq!(cast.ok(&["call", &token_hex, "symbol()(string)"]), "\"KT\"");

    // Writes (EIP-1559 and legacy), reads and receipts.
    let minted = cast.send(&[&token_hex, "mint(address,uint256)", BOB, "1000"]);
    assert_eq!(minted["status"], "0x1", "{minted}");
    let hash = minted["transactionHash"].as_str().unwrap();
    let receipt: Value = serde_json::from_str(&cast.ok(&["receipt", hash, "--json"])).unwrap();
    assert_eq!(
        (receipt["status"].as_str(), receipt["logs"][0]["address"].as_str()),
        (Some("0x1"), Some(token_hex.to_lowercase().as_str()))
    );
    assert_eq!(cast.ok(&["receipt", hash, "status"]), "true");
    let legacy = cast.send(&["--legacy", &token_hex, "mint(address,uint256)", BOB, "1"]);
    assert_eq!((legacy["status"].as_str(), legacy["type"].as_str()), (Some("0x1"), Some("0x0")));
    assert_eq!(number(&cast.ok(&["call", &token_hex, "balanceOf(address)(uint256)", BOB])), U256::from(1_001));

    // Logs by event signature and indexed recipient.
    let logs = cast.ok(&[
        "logs",
        "--from-block",
        "0",
        "--address",
        &token_hex,
        "--json",
        "Transfer(address indexed,address indexed,uint256)",
        "0x0000000000000000000000000000000000000000",
        BOB,
    ]);
    let logs: Value = serde_json::from_str(&logs).unwrap();
    assert_eq!(logs.as_array().unwrap().len(), 2, "{logs}");
    assert_eq!(logs[0]["transactionHash"], hash);

    // Balances and a revert carrying a custom error.
    let bob_eth = cast.ok(&["balance", BOB]);
    assert_eq!(bob_eth, "0");
    let alice_eth = number(&cast.ok(&["balance", &alice.address.to_string()]));
    assert!(alice_eth < ether(10_000) && alice_eth > ether(9_999));
    let error = cast.run(&["call", &token_hex, "transfer(address,uint256)", BOB, "5", "--from", &alice.address.to_string()]).unwrap_err();
    assert!(error.contains("execution reverted"), "{error}");
    let selector = alloy_primitives::keccak256("InsufficientBalance(address,uint256,uint256)");
    assert!(error.contains(&hex(&selector[..4])), "revert data reaches cast: {error}");

    // StylusDeployer: create + activate + constructor in one `cast send`.
    let bytecode = Bytes::from(init).to_string();
    let mut init_data = vec![0x55, 0x85, 0x25, 0x8d];
    let args: (String, String, u8, Address) = ("Second".into(), "TWO".into(), 6, alice.address);
    init_data.extend(Args::abi_encode_params(&args));
    let deploy_sig = "deploy(bytes,bytes,uint256,bytes32)";
    let salt = format!("{}", alloy_primitives::B256::with_last_byte(1));
    let deployed =
        cast.send(&[STYLUS_DEPLOYER, deploy_sig, &bytecode, &Bytes::from(init_data).to_string(), "0", &salt, "--value", "1ether"]);
    assert_eq!(deployed["status"], "0x1", "{deployed}");
    let event = deployed["logs"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(event["address"].as_str().map(str::to_lowercase), Some(STYLUS_DEPLOYER.to_lowercase()));
    let second = format!("0x{}", &event["data"].as_str().unwrap()[26..]);
    assert_eq!(cast.ok(&["call", &second, "symbol()(string)"]), "\"TWO\"");
    assert_eq!(cast.ok(&["call", &second, "decimals()(uint8)"]), "6");
    assert_eq!(cast.ok(&["balance", STYLUS_DEPLOYER]), "0", "the deployer refunds what activation did not use");
    node.shutdown().unwrap();
}

/// Deploys `wat` with a signed creation transaction sent as plain JSON;
/// returns the (not yet activated) program address.
fn deploy_over_http(url: &str, wat: &str) -> Address {
    let alice = dev_accounts()[0].clone();
    let nonce = http_rpc(url, "eth_getTransactionCount", json!([alice.address, "pending"]))["result"].clone();
    let init = keel_wasm::init_code(&keel_wasm::deployed_code(&wat::parse_str(wat).unwrap()));
    let raw = sign(2, &alice.key, quantity(&nonce), None, U256::ZERO, 5_000_000, &init);
    let sent = http_rpc(url, "eth_sendRawTransaction", json!([Bytes::from(raw)]));
    let receipt = http_rpc(url, "eth_getTransactionReceipt", json!([sent["result"]]))["result"].clone();
    serde_json::from_value(receipt["contractAddress"].clone()).unwrap()
}

fn u256_of(value: &Value) -> U256 {
    value.as_str().unwrap().parse().unwrap()
}

#[test]
fn cast_sees_arbitrum_s_fees_errors_estimates_pending_state_and_overrides() {
    let Some(binary) = cast_binary() else {
        eprintln!("\n!!!!!!!! SKIPPED: cast is not installed; run `make tools` (npm ci --prefix tools) !!!!!!!!\n");
        return;
    };
    let node = node::spawn(Config { port: 0, ..Config::default() }).unwrap();
    let alice = dev_accounts()[0].clone();
    let cast = Cast { binary, url: node.url(), key: alice.private_key().to_string() };
    let from = alice.address.to_string();
    let balance = |who: &str| number(&cast.ok(&["balance", who]));
    let base_fee = U256::from(keel_devnet::BASE_FEE);
    assert_eq!(number(&cast.ok(&["gas-price"])), base_fee);
    assert_eq!(number(&cast.ok(&["base-fee"])), base_fee);

    // Activation with 1 ether: the fee quoted by a call is kept, the rest refunded.
    let (storer, forwarder, reverter, reader, creator) = (
        deploy_over_http(&node.url(), STORER).to_string(),
        deploy_over_http(&node.url(), FORWARDER).to_string(),
        deploy_over_http(&node.url(), REVERTER).to_string(),
        deploy_over_http(&node.url(), SLOT_READER).to_string(),
        deploy_over_http(&node.url(), CREATOR).to_string(),
    );
    for program in [&storer, &forwarder, &reverter, &reader, &creator] {
        let quote = cast.ok(&["call", ARB_WASM, "activateProgram(address)(uint16,uint256)", program, "--value", "1ether", "--from", &from]);
        let fee = number(quote.lines().nth(1).unwrap());
        let before = balance(&from);
        let receipt = cast.send(&[ARB_WASM, "activateProgram(address)", program, "--value", "1ether"]);
        assert_eq!(receipt["status"], "0x1", "{receipt}");
        let gas = u256_of(&receipt["gasUsed"]) * u256_of(&receipt["effectiveGasPrice"]);
        assert_eq!(before - balance(&from), fee + gas, "only the data fee and the gas are kept");
    }

    // A tip is dropped: gas used x base fee, to the wei.
    let before = (balance(&from), balance(BOB));
    let tipped = cast.send(&[BOB, "--value", "1234", "--priority-gas-price", "1gwei", "--gas-price", "3gwei"]);
    assert_eq!(u256_of(&tipped["effectiveGasPrice"]), base_fee);
    assert_eq!(before.0 - balance(&from), U256::from(1234) + u256_of(&tipped["gasUsed"]) * base_fee);
    assert_eq!(balance(BOB) - before.1, U256::from(1234));

    // Reverts: code 3 with the data (and the decoded reason), or -32000 without data.
    let reason = format!("0x{}", hex(&alloy_sol_types::SolError::abi_encode(&alloy_sol_types::Revert::from("not today"))));
    for command in ["call", "estimate"] {
        let error = cast.run(&[command, &reverter, &reason, "--from", &from]).unwrap_err();
        assert!(error.contains("error code 3: execution reverted: not today") && error.contains(&reason[2..]), "{command}: {error}");
        let error = cast.run(&[command, &reverter, "0x123456789a", "--from", &from]).unwrap_err();
        assert!(error.contains("error code 3: execution reverted") && error.contains("0x123456789a"), "{command}: {error}");
        let error = cast.run(&[command, &reverter, "--from", &from]).unwrap_err();
        assert!(error.contains("error code -32000: execution reverted"), "{command}: {error}");
    }
    let again = cast.run(&["call", ARB_WASM, "activateProgram(address)", &storer, "--value", "1ether", "--from", &from]).unwrap_err();
    assert!(again.contains("execution reverted: error ProgramUpToDate()"), "{again}");

    // The estimate is the limit to use: one gas less fails.
    let input = format!("{storer}{}{}", hex(word(1).as_slice()), hex(word(2).as_slice()));
    let estimate: u64 = cast.ok(&["estimate", &forwarder, &input, "--from", &from]).parse().unwrap();
    let short = cast.send(&[&forwarder, &input, "--gas-limit", &(estimate - 1).to_string()]);
    assert_eq!(short["status"], "0x0", "{short}");
    let exact = cast.send(&[&forwarder, &input, "--gas-limit", &estimate.to_string()]);
    assert_eq!(exact["status"], "0x1", "{exact}");
    assert_eq!(cast.ok(&["storage", &storer, "1"]), word(2).to_string());

    // Blocks and transactions as signed; the pending tag.
    let hash = exact["transactionHash"].as_str().unwrap();
    assert_eq!(cast.ok(&["tx", hash, "input"]), input.to_lowercase());
    let block: Value = serde_json::from_str(&cast.ok(&["block", "latest", "--full", "--json"])).unwrap();
    assert_eq!(u256_of(&block["baseFeePerGas"]), base_fee);
    assert_eq!(block["transactions"][0]["hash"], hash);
    assert_eq!(block["transactions"][0]["input"], json!(input.to_lowercase()));
    assert_eq!(cast.ok(&["nonce", &from, "--block", "pending"]), cast.ok(&["nonce", &from]));
    assert_eq!(cast.ok(&["balance", BOB, "--block", "pending"]), "1234");
    assert_eq!(cast.ok(&["call", &reader, &word(1).to_string(), "--block", "pending"]), word(0).to_string());

    // Call overrides: storage (diff and whole), code, balance and nonce.
    let read = |slot: u8, flags: &[&str]| {
        let mut args = vec!["call", reader.as_str()];
        let slot = word(slot).to_string();
        args.push(&slot);
        args.extend_from_slice(flags);
        cast.ok(&args)
    };
    let diff = format!("{reader}:1:{}", word(9));
    node_write_slot(&node.url(), &reader, 2, 22);
    assert_eq!(read(1, &["--override-state-diff", &diff]), word(9).to_string());
    assert_eq!(read(2, &["--override-state-diff", &diff]), word(22).to_string());
    let whole = format!("{reader}:1:{}", word(9));
    assert_eq!(read(2, &["--override-state", &whole]), word(0).to_string(), "state replaces every slot");
    let elsewhere = "0x00000000000000000000000000000000000000e5";
    let code = cast.ok(&["code", &reader]);
    let moved = cast.ok(&[
        "call",
        elsewhere,
        &word(1).to_string(),
        "--override-code",
        &format!("{elsewhere}:{code}"),
        "--override-state-diff",
        &format!("{elsewhere}:1:{}", word(5)),
    ]);
    assert_eq!(moved, word(5).to_string());
    let rich = ["call", elsewhere, "--from", BOB, "--value", "1ether"];
    assert!(cast.run(&rich).unwrap_err().contains("insufficient funds"));
    cast.ok(&[&rich[..], &["--override-balance", &format!("{BOB}:2000000000000000000")]].concat());
    let renonced = cast.ok(&["call", &creator, "--override-nonce", &format!("{creator}:7")]);
    assert_eq!(renonced, Bytes::copy_from_slice(creator.parse::<Address>().unwrap().create(7).as_slice()).to_string());
    node.shutdown().unwrap();
}

/// Sets storage slot `slot` of `address` to `value` with `anvil_setStorageAt`.
fn node_write_slot(url: &str, address: &str, slot: u8, value: u8) {
    let reply = http_rpc(url, "anvil_setStorageAt", json!([address, format!("{slot:#x}"), word(value)]));
    assert_eq!(reply["result"], true, "{reply}");
}
