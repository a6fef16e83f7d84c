//! `keel demo`: an embedded devnet, Keel deployed on it, and the restaking
//! story played with real transactions against the real WASM. Every figure
//! the story states is checked; a figure that is off ends the demo with an
//! error (non-zero exit).

use crate::{
    bindings::{IDelegationManager, IStrategyManager, ITestToken},
    client::{dev_signer, Client},
    config::{Config, TestToken},
    deploy::deploy,
    revert::explain,
    stake::Keel,
    units::{parse, show},
};
use alloy::primitives::{Address, U256};
use anyhow::{ensure, Result};
use std::path::Path;

/// One year, in seconds.
const YEAR: u64 = 365 * 24 * 3_600;
/// 1e18.
const WAD: u64 = 1_000_000_000_000_000_000;

/// The demo's accounts (dev accounts of the test mnemonic).
struct Cast {
    deployer: Client,
    staker: Client,
    operator: Client,
}

/// Runs the story on a fresh embedded devnet with the WASM in `wasm_dir`.
pub async fn demo(wasm_dir: &Path) -> Result<()> {
    let node = keel_devnet::node::spawn(keel_devnet::node::Config { port: 0, ..Default::default() })?;
    let url = node.url();
    println!("== An embedded Keel devnet at {url} (chain 412346), running the contracts' real WASM\n");
    let connect = |index| {
        let url = url.clone();
        async move { Client::connect(&url, dev_signer(index)?).await }
    };
    let cast = Cast { deployer: connect(0).await?, staker: connect(1).await?, operator: connect(2).await? };
    let config = Config {
        withdrawal_delay_seconds: 7 * 24 * 3_600,
        test_token: Some(TestToken { name: "Keel Staked Ether".into(), symbol: "kstETH".into() }),
        strategies: Vec::new(),
        pausers: Vec::new(),
    };
    let deployments = std::env::temp_dir().join(format!("keel-demo-{}", std::process::id()));
    let record = deploy(&cast.deployer, &config, wasm_dir, &deployments).await?;
    std::fs::remove_dir_all(&deployments).ok();
    let (sm, dm, token) = (record.address("StrategyManager")?, record.address("DelegationManager")?, record.address("TestToken")?);
    let as_keel = |client: &Client| Keel { client: client.clone(), sm, dm };

    println!("\n== 1. A staker restakes 32 stETH-like tokens through an operator");
    as_keel(&cast.operator).register_operator(Address::ZERO, "https://operator.keel.example/meta.json".into()).await?;
    as_keel(&cast.deployer).mint(token, cast.staker.from, parse("32")?).await?;
    let staker = as_keel(&cast.staker);
    let shares = staker.deposit(token, parse("32")?).await?;
    staker.delegate(cast.operator.from).await?;
    let delegated = IDelegationManager::new(dm, cast.staker.provider.clone()).operatorStake(cast.operator.from, token).call().await.map_err(explain)?._0;
    check("operator's delegated shares", delegated, shares)?;

    println!("\n== 2. A year passes; the staked token's base yield of 3.5% accrues by rebase");
    cast.deployer.travel(YEAR).await?;
    let rebase = U256::from(WAD) + U256::from(WAD) * U256::from(35) / U256::from(1_000);
    crate::stake::send!(ITestToken::new(token, cast.deployer.provider.clone()).rebase(rebase), "rebase")?;
    let value = IStrategyManager::new(sm, cast.staker.provider.clone()).sharesToUnderlying(token, shares).call().await.map_err(explain)?;
    println!("  the staker's 32 restaked tokens are now worth {} (base staking yield)", show(value));
    check("value after the base yield", value, parse("33.12")?)?;
    node.shutdown()?;
    println!("\nDemo complete: every figure checked.");
    Ok(())
}

/// Fails the demo unless `actual` is `expected` within one millionth of a token.
fn check(what: &str, actual: U256, expected: U256) -> Result<()> {
    let tolerance = U256::from(WAD / 1_000_000);
    let off = if actual > expected { actual - expected } else { expected - actual };
    ensure!(off <= tolerance, "{what}: expected {}, got {}", show(expected), show(actual));
    println!("  ✓ {what}: {}", show(actual));
    Ok(())
}
