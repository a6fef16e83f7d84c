//! The `keel` binary as a person runs it, against one devnet with one
//! deployment shared by every case: reads without a key, rounded figures
//! (exact with `--exact`), JSON for scripts, and pre-flight refusals that
//! say what is wrong in one line and send nothing; a hot key acting for
//! its operator with `--as`.

use alloy::{
    primitives::{Address, U256},
    providers::Provider,
};
use keel_cli::{
    bindings::avs_registry::IAvsRegistry,
    client::{dev_signer, Client},
    config::Config,
    deploy::deploy,
    stake::Keel,
    units::parse,
};
use std::{path::Path, process::Output};

/// Runs `keel` with `args` against `url` and the deployments in `dir`, with no key in the environment.
fn keel(url: &str, dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_keel"))
        .args(["--rpc-url", url, "--deployments"])
        .arg(dir)
        .args(args)
        .env_remove("KEEL_PRIVATE_KEY")
        .env_remove("KEEL_RPC_URL")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A fresh devnet with Keel deployed, its record in a folder named after `name`.
async fn deployed(name: &str) -> (keel_devnet::node::NodeHandle, String, Client, std::path::PathBuf, keel_cli::deployments::Deployments) {
    let node = keel_devnet::node::spawn(keel_devnet::node::Config { port: 0, ..Default::default() }).unwrap();
    let url = node.url();
    let owner = Client::connect(&url, dev_signer(0).unwrap()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let wasm = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/wasm");
    let record = deploy(&owner, &Config::devnet(), &wasm, &dir).await.unwrap();
    (node, url, owner, dir, record)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_reads_without_a_key_rounds_figures_and_refuses_before_sending() {
    let (node, url, owner, dir, record) = deployed("keel-cli-test").await;
    let (sm, dm, token) =
        (record.address("StrategyManager").unwrap(), record.address("DelegationManager").unwrap(), record.address("TestToken").unwrap());
    let staker = Client::connect(&url, dev_signer(1).unwrap()).await.unwrap();
    Keel { client: owner.clone(), sm, dm }.mint(token, staker.from, parse("69.23456789").unwrap()).await.unwrap();
    let (token_arg, staker_arg) = (token.to_string(), staker.from.to_string());
    let nonce = || async { owner.provider.get_transaction_count(staker.from).await.unwrap() };
    let nonce_before = nonce().await;

    // Reads need no key: the protocol without an address, positions with one.
    let protocol = keel(&url, &dir, &["status"]);
    assert!(protocol.status.success(), "{}", stderr(&protocol));
    assert!(stdout(&protocol).contains("Strategies") && stdout(&protocol).contains("kstETH"), "{}", stdout(&protocol));
    let positions = keel(&url, &dir, &["status", &staker_arg]);
    assert!(positions.status.success(), "{}", stderr(&positions));
    assert!(stdout(&positions).contains(&format!("{}: delegated to nobody", staker.from)), "{}", stdout(&positions));

    // A deposit above the balance is refused in one line, nothing sent.
    let above = keel(&url, &dir, &["--dev-account", "1", "stake", "deposit", "--token", &token_arg, "--amount", "1000"]);
    assert_eq!(above.status.code(), Some(1));
    assert_eq!(stderr(&above), "error: balance 69.23 kstETH is below 1,000\n");
    // A token address without code: one line naming the chain, nothing sent.
    let no_code =
        keel(&url, &dir, &["--dev-account", "1", "stake", "deposit", "--token", &Address::with_last_byte(1).to_string(), "--amount", "1"]);
    assert_eq!(no_code.status.code(), Some(1));
    assert_eq!(stderr(&no_code), format!("error: {} is not a contract on chain {}\n", Address::with_last_byte(1), owner.chain_id));
    // A malformed amount: clap's usage error naming the flag and the format.
    let malformed = keel(&url, &dir, &["--dev-account", "1", "stake", "deposit", "--token", &token_arg, "--amount", "abc"]);
    assert_eq!(malformed.status.code(), Some(2));
    let first = stderr(&malformed).lines().next().unwrap().to_string();
    assert!(
        first.contains("'abc'") && first.contains("--amount") && first.contains("expected a number of tokens such as 32 or 1.5"),
        "{first}"
    );
    assert_eq!(nonce().await, nonce_before, "a refused command sent a transaction");

    // A deposit that can succeed: rounded figures with the symbol, and no
    // spinner on stderr when stdout is not a terminal.
    let deposit = keel(&url, &dir, &["--dev-account", "1", "stake", "deposit", "--token", &token_arg, "--amount", "69.23456789"]);
    assert!(deposit.status.success(), "{}", stderr(&deposit));
    assert!(stdout(&deposit).starts_with("deposited 69.23 kstETH into the"), "{}", stdout(&deposit));
    assert_eq!(stderr(&deposit), "");
    let rounded = stdout(&keel(&url, &dir, &["status"]));
    let exact = stdout(&keel(&url, &dir, &["--exact", "status"]));
    assert!(rounded.contains("69.23 kstETH") && !rounded.contains("69.23456789"), "{rounded}");
    assert!(exact.contains("69.23456789 kstETH"), "{exact}");

    // `--json` round-trips through a JSON parser with exact wei.
    let json = keel(&url, &dir, &["status", "--json", &staker_arg]);
    assert!(json.status.success(), "{}", stderr(&json));
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed["chainId"], owner.chain_id);
    assert_eq!(parsed["contracts"]["StrategyManager"], sm.to_string());
    assert_eq!(parsed["strategies"][0]["token"], token_arg);
    assert_eq!(parsed["strategies"][0]["symbol"], "kstETH");
    let wei = parse("69.23456789").unwrap().to_string();
    assert_eq!(parsed["strategies"][0]["tvlWei"], wei);
    assert_eq!(parsed["account"]["address"], staker_arg);
    assert_eq!(parsed["account"]["delegatedTo"], serde_json::Value::Null);
    assert_eq!(
        parsed["account"]["positions"][0]["depositSharesWei"].as_str().unwrap().parse::<U256>().unwrap(),
        parse("69.23456789").unwrap()
    );
    assert_eq!(parsed["lrtVault"]["address"], record.address("LrtVault").unwrap().to_string());
    assert_eq!(
        (&parsed["lrtVault"]["symbol"], &parsed["lrtVault"]["rateWad"]),
        (&serde_json::json!("kETH"), &serde_json::json!(parse("1").unwrap().to_string()))
    );
    assert_eq!(parsed["lrtVault"]["holder"]["balanceWei"], "0");
    std::fs::remove_dir_all(&dir).ok();
    node.shutdown().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hot_key_acts_for_its_operator_with_as_and_nothing_else() {
    let (node, url, owner, dir, record) = deployed("keel-cli-appointee").await;
    let registry = IAvsRegistry::new(record.address("AvsRegistry").unwrap(), owner.provider.clone());
    let (operator, hot) = (dev_signer(2).unwrap().address(), dev_signer(3).unwrap().address());
    let (operator_arg, hot_arg) = (operator.to_string(), hot.to_string());

    let appoint =
        keel(&url, &dir, &["--dev-account", "2", "operator", "appoint", "--appointee", &hot_arg, "--function", "setAllocationDelay"]);
    assert!(appoint.status.success(), "{}", stderr(&appoint));
    assert_eq!(stdout(&appoint), format!("{hot} may now call setAllocationDelay for {operator}\n"));
    let acted = keel(&url, &dir, &["--dev-account", "3", "operator", "--as", &operator_arg, "set-allocation-delay", "--seconds", "9"]);
    assert!(acted.status.success(), "{}", stderr(&acted));
    assert_eq!(stdout(&acted), format!("allocation delay of {operator} set to 9 s\n"));
    assert_eq!(registry.pendingAllocationDelay(operator).call().await.unwrap()._0, 9, "the operator's delay, set by its hot key");
    assert_eq!(registry.pendingAllocationDelay(hot).call().await.unwrap()._0, 0);

    // Refused before sending: a function no one can appoint, and `--as` for
    // anything but the registry's appointable functions.
    let slash = keel(&url, &dir, &["--dev-account", "2", "operator", "appoint", "--appointee", &hot_arg, "--function", "slash"]);
    assert_eq!(slash.status.code(), Some(1));
    assert!(stderr(&slash).starts_with("error: `slash` cannot be appointed; the appointable functions are: updateAVSMetadataURI,"));
    let register = keel(&url, &dir, &["--dev-account", "3", "operator", "--as", &operator_arg, "register"]);
    assert_eq!(register.status.code(), Some(1));
    assert!(stderr(&register).starts_with(&format!("error: --as {operator}: only the AVS registry's appointable functions")));
    // The operator's commission lives on the RewardsCoordinator: the same two steps.
    let appoint =
        keel(&url, &dir, &["--dev-account", "2", "operator", "appoint", "--appointee", &hot_arg, "--function", "setOperatorCommission"]);
    assert!(appoint.status.success(), "{}", stderr(&appoint));
    let commission = keel(&url, &dir, &["--dev-account", "3", "operator", "--as", &operator_arg, "set-commission", "--bps", "5"]);
    assert!(commission.status.success(), "{}", stderr(&commission));
    assert!(stdout(&commission).starts_with(&format!("operator {operator} commission set to")), "{}", stdout(&commission));
    // Refused on chain: a function the operator did not appoint the key to.
    let opt_in = keel(&url, &dir, &["--dev-account", "3", "operator", "--as", &operator_arg, "opt-in", "--avs", &hot_arg, "--sets", "1"]);
    assert_eq!(opt_in.status.code(), Some(1));
    assert!(stderr(&opt_in).contains("NotAppointed"), "{}", stderr(&opt_in));

    let revoke = keel(
        &url,
        &dir,
        &["--dev-account", "2", "operator", "appoint", "--appointee", &hot_arg, "--function", "setAllocationDelay", "--revoke"],
    );
    assert!(revoke.status.success(), "{}", stderr(&revoke));
    let after = keel(&url, &dir, &["--dev-account", "3", "operator", "--as", &operator_arg, "set-allocation-delay", "--seconds", "1"]);
    assert!(stderr(&after).contains("NotAppointed"), "{}", stderr(&after));
    std::fs::remove_dir_all(&dir).ok();
    node.shutdown().unwrap();
}
