//! `keel profile` over JSON-RPC: a StrategyManager deposit on the devnet
//! by a delegated staker (with its token and DelegationManager calls),
//! profiled by function with the names `make wasm` keeps in
//! `target/wasm-names`.

use alloy::primitives::{Address, U256};
use alloy::providers::Provider;
use keel_cli::bindings::{delegation_manager::IDelegationManager, strategy_manager::IStrategyManager, test_token::ITestToken};
use keel_cli::profile::{fetch, register_names, tables, write_folded, write_svg};
use keel_e2e::{wasm_dir, Net};
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread")]
async fn a_deposit_profile_names_keel_functions_and_adds_up() {
    let net = Net::start().await.unwrap();
    let staker = net.account(1).await.unwrap();
    let amount = U256::from(10u64.pow(18));
    net.keel(&net.owner).mint(net.token, staker.from, amount).await.unwrap();
    let token = ITestToken::new(net.token, staker.provider.clone());
    token.approve(net.sm, U256::MAX).send().await.unwrap().get_receipt().await.unwrap();
    // A staker that never delegated is not reported to the DelegationManager:
    // registering as an operator delegates the staker to itself.
    let dm = IDelegationManager::new(net.dm, staker.provider.clone());
    dm.registerAsOperator(Address::ZERO, String::new()).send().await.unwrap().get_receipt().await.unwrap();
    let sm = IStrategyManager::new(net.sm, staker.provider.clone());
    let receipt = sm.depositIntoStrategy(net.token, amount).send().await.unwrap().get_receipt().await.unwrap();
    assert!(receipt.status());

    let names = wasm_dir().with_file_name("wasm-names");
    assert_eq!(register_names(&net.owner.provider, &names).await.unwrap(), 7, "every contract's named module");
    let profile = fetch(&net.owner.provider, receipt.transaction_hash).await.unwrap();
    let frames: Vec<Address> = profile.frames.iter().map(|f| f.address).collect();
    assert_eq!(frames, [net.sm, net.token, net.token, net.token, net.dm], "balance, transferFrom, balance, delegated shares");
    for frame in &profile.frames {
        assert_eq!(frame.functions.iter().map(|f| f.self_ink).sum::<u64>(), frame.ink, "self ink adds up to the frame's");
        assert!(frame.functions.iter().all(|f| !f.name.starts_with("func[")), "all named");
    }
    let sm_frame = &profile.frames[0];
    assert!(sm_frame.functions.iter().any(|f| f.name.ends_with("StrategyManager>::deposit")), "{:?}", sm_frame.functions);
    // The folded stacks hold every unit of the deposit's execution gas.
    let folded_ink: u64 = profile.folded.iter().map(|l| l.rsplit_once(' ').unwrap().1.parse::<u64>().unwrap()).sum();
    assert_eq!(folded_ink / 10_000, sm_frame.gas_used, "the transaction's frame, nested frames and entry costs included");
    let trace: serde_json::Value = net
        .owner
        .provider
        .raw_request("debug_traceTransaction".into(), (receipt.transaction_hash, serde_json::json!({"tracer": "callTracer"})))
        .await
        .unwrap();
    let calls = trace["calls"].as_array().unwrap();
    let gas = |call: &serde_json::Value| u64::from_str_radix(call["gasUsed"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
    let nested: Vec<u64> = profile.frames[1..].iter().map(|f| f.gas_used).collect();
    assert_eq!(nested, calls.iter().map(gas).collect::<Vec<_>>(), "each nested frame's gas is the call tracer's");

    let labels = HashMap::from([(net.sm, "StrategyManager".to_string())]);
    let text = tables(&profile, 5, &labels);
    assert!(text.contains("StrategyManager") && text.contains("self gas"), "{text}");
    let dir = std::env::temp_dir().join(format!("keel-e2e-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    write_folded(&profile, &dir.join("deposit.folded")).unwrap();
    write_svg(&profile, &dir.join("deposit.svg"), "deposit").unwrap();
    println!("{text}");
}
