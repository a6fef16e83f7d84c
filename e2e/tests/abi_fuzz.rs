//! ABI fuzzing of every deployed contract on the devnet, with the real WASM.
//!
//! Random and mutated calldata goes to the StrategyManager, the
//! DelegationManager, the AVS registry, the RewardsCoordinator, both test
//! tokens, the LRT vault (whose ABI includes its admin extension's, reached
//! through its fallback) and the extension itself: unknown selectors (and the constructor's, after deployment),
//! calldata shorter than a selector, known selectors with truncated
//! arguments, with dynamic offsets pointing outside the calldata, and with
//! ETH attached. Each is sent as a transaction and must revert cleanly (empty
//! revert data, or one of the contract's own custom errors); the whole chain
//! state (every account's balance, nonce, code and storage, except the
//! sender's nonce and gas and the sequencer's fee) must be unchanged after
//! the batch, and the node must keep serving. Known selectors with random
//! well-formed arguments go through `eth_call` (they may succeed; a failure
//! must be clean too). The extension must refuse every call made to it
//! directly: each of its functions, with valid arguments, reverts with
//! `NotViaVault`.
//!
//! `ABI_FUZZ_CASES` (default 3) sets the cases per kind and contract.

use alloy::{
    network::TransactionBuilder,
    primitives::{keccak256, Address, Bytes, U256},
    providers::Provider,
    rpc::types::TransactionRequest,
};
use keel_cli::client::Client;
use keel_e2e::Net;
use keel_testinputs::calldata::{outside_offset, set_word, well_formed as arguments, Param, Rng};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// The `stylus_constructor()` selector: deployed programs must refuse it.
const CONSTRUCTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];

/// One function of a contract's ABI.
struct Function {
    signature: String,
    selector: [u8; 4],
    /// The shapes of its parameters.
    params: Vec<Param>,
    /// Head size of the arguments (32 bytes per parameter).
    head: usize,
    /// Indices of the dynamic parameters.
    dynamic: Vec<usize>,
}

/// A contract's published ABI: its functions and its custom errors' selectors.
struct Abi {
    functions: Vec<Function>,
    errors: HashSet<[u8; 4]>,
}

fn selector(signature: &str) -> [u8; 4] {
    keccak256(signature.as_bytes())[..4].try_into().unwrap()
}

impl Abi {
    fn load(name: &str) -> Self {
        let path = format!("{}/../abi/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let items: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let signature = |item: &Value| {
            let types: Vec<&str> = item["inputs"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
            (format!("{}({})", item["name"].as_str().unwrap(), types.join(",")), types.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        };
        let mut abi = Abi { functions: Vec::new(), errors: HashSet::new() };
        for item in &items {
            match item["type"].as_str() {
                Some("function") => {
                    let (signature, types) = signature(item);
                    let params: Vec<Param> =
                        types.iter().map(|t| Param::of(t).unwrap_or_else(|| panic!("{signature}: {t} is not fuzzed"))).collect();
                    let dynamic = params.iter().enumerate().filter(|(_, p)| p.is_dynamic()).map(|(i, _)| i).collect();
                    abi.functions.push(Function { selector: selector(&signature), head: 32 * params.len(), params, dynamic, signature });
                }
                Some("error") => {
                    abi.errors.insert(selector(&signature(item).0));
                }
                _ => {}
            }
        }
        abi
    }

    /// The ABI of a contract that also answers `other`'s functions (a
    /// delegating fallback): both sets of functions and errors.
    fn with(mut self, other: Abi) -> Self {
        self.functions.extend(other.functions);
        self.errors.extend(other.errors);
        self
    }

    /// A selector none of the functions has.
    fn unknown_selector(&self, rng: &mut Rng) -> [u8; 4] {
        loop {
            let s: [u8; 4] = rng.bytes(4).try_into().unwrap();
            if self.functions.iter().all(|f| f.selector != s) {
                return s;
            }
        }
    }
}

/// One fuzz case: calldata, value, and what it is.
struct Case {
    data: Vec<u8>,
    value: U256,
    what: String,
}

/// `f`'s selector and well-formed arguments (the shared generator's:
/// random words, sometimes with dirty high bits, and short random tails).
fn well_formed(f: &Function, rng: &mut Rng) -> Vec<u8> {
    [f.selector.to_vec(), arguments(&f.params, rng).data].concat()
}

/// `f`'s selector with every argument zero or empty: always decodable.
fn zero_arguments(f: &Function) -> Vec<u8> {
    let params = f.head / 32;
    let mut data = f.selector.to_vec();
    for i in 0..params {
        // Every dynamic argument points at the same zero length word after the head.
        let word = if f.dynamic.contains(&i) { U256::from(f.head) } else { U256::ZERO };
        data.extend(word.to_be_bytes::<32>());
    }
    if !f.dynamic.is_empty() {
        data.extend([0u8; 32]);
    }
    data
}

/// Calls every function of the extension directly: each must revert with `NotViaVault`.
async fn extension_refuses_direct_calls(client: &Client, extension: Address) -> usize {
    let abi = Abi::load("LrtVaultAdmin");
    let refusal = selector("NotViaVault()");
    for f in &abi.functions {
        let request = TransactionRequest::default().with_from(client.from).with_to(extension).with_input(zero_arguments(f));
        let data = revert_data(client, request).await.unwrap_or_else(|| panic!("the extension ran {} called directly", f.signature));
        assert_eq!(data.as_ref(), refusal.as_slice(), "the extension's {} called directly", f.signature);
    }
    abi.functions.len()
}

/// Cases that must revert, `n` of each kind.
fn reverting_cases(abi: &Abi, n: usize, rng: &mut Rng) -> Vec<Case> {
    let mut cases = vec![
        Case { data: Vec::new(), value: U256::ZERO, what: "empty calldata".into() },
        Case { data: CONSTRUCTOR.to_vec(), value: U256::ZERO, what: "the constructor again".into() },
    ];
    let with_args: Vec<&Function> = abi.functions.iter().filter(|f| f.head > 0).collect();
    let with_dynamic: Vec<&Function> = abi.functions.iter().filter(|f| !f.dynamic.is_empty()).collect();
    for _ in 0..n {
        let len = rng.below(4);
        cases.push(Case { data: rng.bytes(len), value: U256::ZERO, what: format!("{len} bytes of calldata") });
        let mut data = abi.unknown_selector(rng).to_vec();
        let tail = rng.below(100);
        data.extend(rng.bytes(tail));
        cases.push(Case { data, value: U256::ZERO, what: "unknown selector".into() });

        let f = with_args[rng.below(with_args.len())];
        let cut = rng.below(f.head);
        let mut data = well_formed(f, rng);
        data.truncate(4 + cut);
        cases.push(Case { data, value: U256::ZERO, what: format!("{} truncated to {cut} argument bytes", f.signature) });

        if let Some(f) = with_dynamic.get(rng.below(with_dynamic.len())) {
            let mut data = well_formed(f, rng);
            let at = 4 + 32 * f.dynamic[rng.below(f.dynamic.len())];
            let offset = outside_offset(rng, data.len());
            set_word(&mut data, at, offset);
            cases.push(Case { data, value: U256::ZERO, what: format!("{} with a dynamic offset outside the calldata", f.signature) });
        }

        let f = &abi.functions[rng.below(abi.functions.len())];
        let value = U256::from(1 + rng.below(1_000_000));
        cases.push(Case { data: well_formed(f, rng), value, what: format!("{} with {value} wei attached", f.signature) });
    }
    cases
}

/// The revert data of `request` through `eth_call`, or `None` if it succeeds.
async fn revert_data(client: &Client, request: TransactionRequest) -> Option<Bytes> {
    match client.provider.call(request).await {
        Ok(_) => None,
        Err(e) => {
            let payload = e.as_error_resp().unwrap_or_else(|| panic!("not a JSON-RPC error: {e}"));
            assert!(payload.message.contains("reverted"), "not a revert: {payload:?}");
            Some(payload.as_revert_data().unwrap_or_default())
        }
    }
}

/// Whether `data` is an empty revert or one of the ABI's custom errors (selector and 32-byte words).
fn clean(abi: &Abi, data: &[u8]) -> bool {
    data.is_empty()
        || (data.len() >= 4 && (data.len() - 4).is_multiple_of(32) && abi.errors.contains(&<[u8; 4]>::try_from(&data[..4]).unwrap()))
}

/// Every account of the saved chain state, except `skip`.
fn accounts(net: &Net, file: &std::path::Path, skip: &[Address]) -> BTreeMap<Address, Value> {
    net.node.save_state().unwrap();
    let state: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let accounts = state["chain"]["state"]["accounts"].as_object().expect("accounts in the state file");
    accounts.iter().map(|(k, v)| (k.parse::<Address>().unwrap(), v.clone())).filter(|(a, _)| !skip.contains(a)).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_calldata_reverts_cleanly_and_changes_nothing() {
    let cases_per_kind = std::env::var("ABI_FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let file = std::env::temp_dir().join(format!("keel-abi-fuzz-{}.json", std::process::id()));
    let net = Net::start_with(Some(file.clone())).await.unwrap();
    let fuzzer = net.account(3).await.unwrap();
    let targets = [
        ("StrategyManager", net.sm, Abi::load("StrategyManager")),
        ("DelegationManager", net.dm, Abi::load("DelegationManager")),
        ("AvsRegistry", net.registry, Abi::load("AvsRegistry")),
        ("RewardsCoordinator", net.rewards, Abi::load("RewardsCoordinator")),
        ("TestToken", net.token, Abi::load("TestToken")),
        ("TestToken", net.reward_token, Abi::load("TestToken")),
        ("LrtVault", net.vault, Abi::load("LrtVault").with(Abi::load("LrtVaultAdmin"))),
        ("LrtVaultAdmin", net.extension, Abi::load("LrtVaultAdmin")),
    ];
    let coinbase = keel_devnet::COINBASE;
    let before = accounts(&net, &file, &[fuzzer.from, coinbase]);
    let head = net.owner.provider.get_block_number().await.unwrap();
    let mut rng = Rng(0x6b65_656c);
    let (mut sent, mut called) = (0, 0);
    for (name, at, abi) in targets {
        for case in reverting_cases(&abi, cases_per_kind, &mut rng) {
            let request =
                TransactionRequest::default().with_from(fuzzer.from).with_to(at).with_input(case.data.clone()).with_value(case.value);
            let data = revert_data(&fuzzer, request.clone()).await.unwrap_or_else(|| panic!("{name}: {} succeeded in eth_call", case.what));
            assert!(clean(&abi, &data), "{name}: {} reverted with unknown data {data}", case.what);
            let receipt = fuzzer.provider.send_transaction(request.with_gas_limit(3_000_000)).await.unwrap().get_receipt().await.unwrap();
            assert!(!receipt.status(), "{name}: {} succeeded as a transaction", case.what);
            sent += 1;
        }
        for _ in 0..3 * cases_per_kind {
            let f = &abi.functions[rng.below(abi.functions.len())];
            let request = TransactionRequest::default().with_from(fuzzer.from).with_to(at).with_input(well_formed(f, &mut rng));
            if let Some(data) = revert_data(&fuzzer, request).await {
                assert!(clean(&abi, &data), "{name}: {} reverted with unknown data {data}", f.signature);
            }
            called += 1;
        }
    }
    let refused = extension_refuses_direct_calls(&fuzzer, net.extension).await;
    let after = accounts(&net, &file, &[fuzzer.from, coinbase]);
    for (address, account) in &before {
        assert_eq!(Some(account), after.get(address), "account {address} changed");
    }
    assert_eq!(before.len(), after.len(), "accounts were created");
    // The node still serves: one block per transaction, views and a real deposit work.
    assert_eq!(net.owner.provider.get_block_number().await.unwrap(), head + sent);
    let staker = net.account(4).await.unwrap();
    net.keel(&net.owner).mint(net.token, staker.from, U256::from(10u64.pow(18))).await.unwrap();
    assert_eq!(net.keel(&staker).deposit(net.token, U256::from(10u64.pow(18))).await.unwrap(), U256::from(10u64.pow(18)));
    println!("ABI fuzzing: {sent} reverting transactions, {called} random eth_calls, {refused} extension functions refused directly, state unchanged");
    std::fs::remove_file(&file).ok();
}
