//! `make bench-devnet`: keel-devnet (release build) against anvil from npm,
//! in the same run, with the same client code. Prints a Markdown table:
//! startup (process start to first successful `eth_chainId`), `eth_getBalance`,
//! `eth_getStorageAt` and `eth_call` per second, transactions per second
//! (signed EIP-1559, sent and mined; the last receipt of each connection
//! awaited), and `eth_getLogs` over the chain they made, over one
//! keep-alive connection and over several at once. keel-devnet runs Keel's
//! Stylus ERC-20 (`balanceOf`, `transfer`); anvil an EVM `BALANCE` read and
//! plain ETH transfers. Both also run the same EVM `BALANCE` read, the one
//! `eth_call` row with the same work on each. No figure is asserted: this
//! only measures.

mod client;
mod nodes;
mod workload;

use client::Client;
use keel_devnet::node::accounts::{self, DevAccount};
use nodes::{Kind, Node};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use workload::receipt;

/// Node starts timed per node (the median is reported).
const STARTS: usize = 7;
/// Connections of the concurrent rows (one sender account each).
const CONNECTIONS: usize = 4;
/// Reads per row.
const READS: usize = 4_000;
/// Transactions per row.
const TRANSACTIONS: usize = 800;
/// `eth_getLogs` requests per row (each scans every block).
const LOG_READS: usize = 400;

/// One node's figures: startup, then per row (1 connection, [`CONNECTIONS`]).
struct Figures {
    startup: Duration,
    balances: [f64; 2],
    storage: [f64; 2],
    calls: [f64; 2],
    evm_calls: [f64; 2],
    transactions: [f64; 2],
    logs: [f64; 2],
}

/// Picks one row's figures (1 connection, [`CONNECTIONS`]) out of [`Figures`].
type Row = fn(&Figures) -> [f64; 2];

fn main() {
    for kind in [Kind::Keel, Kind::Anvil] {
        assert!(kind.binary().exists(), "{} is missing: run `make tools` (and build keel-devnet)", kind.binary().display());
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let accounts = accounts::derive(accounts::TEST_MNEMONIC, 1 + CONNECTIONS as u32).expect("dev accounts");
    let keel = measure(Kind::Keel, &accounts);
    let anvil = measure(Kind::Anvil, &accounts);
    let load_after = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("\n{cores} cores; load average (1, 5, 15 min) before: {}; after: {}\n", first3(&load), first3(&load_after));
    println!("| | keel-devnet (Stylus ERC-20) | anvil 1.7.1 (ETH) |\n|---|---:|---:|");
    let ms = |f: &Figures| format!("{:.1} ms", f.startup.as_secs_f64() * 1e3);
    println!("| startup to first `eth_chainId` (median of {STARTS}) | {} | {} |", ms(&keel), ms(&anvil));
    let rows: [(&str, Row); 6] = [
        ("`eth_getBalance`/s", |f| f.balances),
        ("`eth_getStorageAt`/s", |f| f.storage),
        ("`eth_call`/s (`balanceOf` / EVM `BALANCE`)", |f| f.calls),
        ("`eth_call`/s (EVM `BALANCE` on both)", |f| f.evm_calls),
        ("transactions/s (`transfer` / ETH), mined", |f| f.transactions),
        ("`eth_getLogs`/s (every block, no match; after the transactions)", |f| f.logs),
    ];
    for (name, get) in rows {
        for (i, connections) in [1, CONNECTIONS].into_iter().enumerate() {
            println!(
                "| {name}, {connections} connection{} | {:.0} | {:.0} |",
                if connections > 1 { "s" } else { "" },
                get(&keel)[i],
                get(&anvil)[i]
            );
        }
    }
}

/// The first three fields of `/proc/loadavg`.
fn first3(loadavg: &str) -> String {
    loadavg.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

/// Starts `kind` [`STARTS`] times and measures the last one.
fn measure(kind: Kind, accounts: &[DevAccount]) -> Figures {
    eprintln!("measuring {kind:?}...");
    let mut startups = Vec::new();
    let mut node = None;
    for _ in 0..STARTS {
        drop(node.take());
        let (started, took) = Node::start(kind);
        startups.push(took);
        node = Some(started);
    }
    startups.sort();
    let node = node.expect("started");
    let (owner, senders) = (&accounts[0], &accounts[1..]);
    let mut client = Client::connect(node.address).expect("connects");
    let work = workload::prepare(kind, &mut client, owner, senders);
    let reads = |params: &Value, connections: usize| vec![vec![params.clone(); READS / connections]; connections];
    let balances = [1, CONNECTIONS].map(|c| rate(node.address, "eth_getBalance", reads(&work.balance(), c)));
    let storage = [1, CONNECTIONS].map(|c| rate(node.address, "eth_getStorageAt", reads(&work.storage(), c)));
    let calls = [1, CONNECTIONS].map(|c| rate(node.address, "eth_call", reads(&work.call, c)));
    let evm_calls = [1, CONNECTIONS].map(|c| rate(node.address, "eth_call", reads(&work.evm_call, c)));
    let transactions = [1, CONNECTIONS].map(|c| {
        let signed = senders[..c].iter().map(|s| work.transfers(&mut client, s, TRANSACTIONS / c)).collect();
        rate(node.address, "eth_sendRawTransaction", signed)
    });
    let log_reads = |connections: usize| vec![vec![work.logs(); LOG_READS / connections]; connections];
    let logs = [1, CONNECTIONS].map(|c| rate(node.address, "eth_getLogs", log_reads(c)));
    let credited = client.ok("eth_call", work.call.clone());
    assert_eq!(
        credited.as_str().map(|s| s.trim_start_matches("0x").trim_start_matches('0')),
        Some(format!("{:x}", 2 * TRANSACTIONS).as_str()),
        "every transfer was mined and credited"
    );
    Figures { startup: startups[STARTS / 2], balances, storage, calls, evm_calls, transactions, logs }
}

/// Sends each list of `method` requests on its own connection, all lists at
/// once; returns requests per second. For transactions, each connection then
/// waits for the receipt of its last one (nonces are consecutive, so all are
/// mined by then).
fn rate(address: SocketAddr, method: &'static str, lists: Vec<Vec<Value>>) -> f64 {
    let total: usize = lists.iter().map(Vec::len).sum();
    let barrier = Arc::new(Barrier::new(lists.len() + 1));
    let threads: Vec<_> = lists
        .into_iter()
        .map(|list| {
            let barrier = barrier.clone();
            let mut client = Client::connect(address).expect("connects");
            std::thread::spawn(move || {
                barrier.wait();
                let last = list.into_iter().map(|params| client.ok(method, params)).last().expect("requests");
                if method == "eth_sendRawTransaction" {
                    let mined = receipt(&mut client, &last);
                    assert_eq!(mined["status"], "0x1", "{mined}");
                }
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    threads.into_iter().for_each(|t| t.join().expect("a benchmark connection failed"));
    total as f64 / started.elapsed().as_secs_f64()
}
