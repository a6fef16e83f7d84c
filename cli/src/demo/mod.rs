//! `keel demo`: an embedded devnet, Keel deployed on it, and the restaking
//! story played with real transactions against the real WASM. Every figure
//! the story states is checked; a figure that is off ends the demo with an
//! error (non-zero exit).

mod chapters;

use crate::{
    avs::Registry,
    client::{dev_signer, Client},
    config::Config,
    deploy::deploy,
    deployments::Deployments,
    fmt,
    lrt::Lrt,
    rewards::Rewards,
    stake::Keel,
};
use alloy::primitives::{Address, U256};
use anyhow::{ensure, Result};
use std::path::Path;

/// 1e18.
pub const WAD: u64 = 1_000_000_000_000_000_000;
/// The withdrawal delay of the demo chain: 7 days.
pub const WITHDRAWAL_DELAY: u64 = 7 * 24 * 3_600;

/// The people of the story (dev accounts of the test mnemonic) and the
/// deployed contracts.
pub struct Story {
    /// Deployer and owner of every contract; also mints the test token.
    pub owner: Client,
    /// Restakes 32 tokens and keeps them restaked.
    pub staker: Client,
    /// Restakes 10 tokens and queues a withdrawal just before the slash.
    pub leaver: Client,
    /// Runs the nodes for three AVSs.
    pub operator: Client,
    /// An oracle AVS (slashes at once for wrong reports).
    pub oracle: Client,
    /// A bridge AVS (slashes through a veto window).
    pub bridge: Client,
    /// A data-availability AVS.
    pub da: Client,
    /// The bridge's security council: may veto its slashes.
    pub council: Client,
    /// Holds the liquid restaking token (kETH) through the slash.
    pub holder: Client,
    /// StrategyManager.
    pub sm: Address,
    /// DelegationManager.
    pub dm: Address,
    /// AvsRegistry.
    pub registry: Address,
    /// RewardsCoordinator.
    pub rewards: Address,
    /// The stETH-like strategy token.
    pub token: Address,
    /// The token AVSs pay rewards in.
    pub reward_token: Address,
    /// The LRT vault.
    pub vault: Address,
}

impl Story {
    /// `client` acting on the core contracts.
    pub fn keel(&self, client: &Client) -> Keel {
        Keel { client: client.clone(), sm: self.sm, dm: self.dm }
    }

    /// `client` acting on the LRT vault.
    pub fn lrt(&self, client: &Client) -> Lrt {
        Lrt { client: client.clone(), at: self.vault }
    }

    /// `client` acting on the RewardsCoordinator.
    pub fn rewards(&self, client: &Client) -> Rewards {
        Rewards { client: client.clone(), at: self.rewards, acting: None }
    }

    /// `client` acting on the AVS registry.
    pub fn registry(&self, client: &Client) -> Registry {
        Registry { client: client.clone(), at: self.registry, acting: None }
    }
}

/// Runs the story on a fresh embedded devnet with the WASM in `wasm_dir`.
pub async fn demo(wasm_dir: &Path) -> Result<()> {
    let node = keel_devnet::node::spawn(keel_devnet::node::Config { port: 0, ..Default::default() })?;
    let url = node.url();
    println!("== An embedded Keel devnet at {url} (chain 412346), running the contracts' real WASM\n");
    let (story, record) = cast(&url, wasm_dir).await?;
    chapters::run(&story, None).await?;
    println!("\n== Where everything stands: `keel status {}`\n", story.staker.from);
    print!("{}", crate::status::report(&story.staker, &record, Some(story.staker.from)).await?);
    node.shutdown()?;
    println!("\nDemo complete: every figure checked.");
    Ok(())
}

/// Plays every chapter of the story on `story`'s chain (`keel app` plays it
/// to give its pages something to show).
pub async fn play(story: &Story) -> Result<()> {
    chapters::run(story, None).await
}

/// Plays the story as [`play`] does, recording every position in `history` after each chapter.
pub async fn play_recorded(story: &Story, history: &crate::history::History) -> Result<()> {
    chapters::run(story, Some(history)).await
}

/// Deploys Keel (the story's configuration: a 7-day withdrawal delay) on the
/// devnet at `url` as dev account 0 and connects the story's people (dev
/// accounts 0 to 8); returns them and the deployment record.
pub async fn cast(url: &str, wasm_dir: &Path) -> Result<(Story, Deployments)> {
    let connect = |index| async move { Client::connect(url, dev_signer(index)?).await };
    let owner = connect(0).await?;
    let config = Config { withdrawal_delay_seconds: WITHDRAWAL_DELAY, ..Config::devnet() };
    let deployments = std::env::temp_dir().join(format!("keel-demo-{}", std::process::id()));
    let record = deploy(&owner, &config, wasm_dir, &deployments).await?;
    std::fs::remove_dir_all(&deployments).ok();
    let story = Story {
        sm: record.address("StrategyManager")?,
        dm: record.address("DelegationManager")?,
        registry: record.address("AvsRegistry")?,
        token: record.address("TestToken")?,
        rewards: record.address("RewardsCoordinator")?,
        reward_token: record.address("RewardToken")?,
        vault: record.address("LrtVault")?,
        staker: connect(1).await?,
        operator: connect(2).await?,
        oracle: connect(3).await?,
        bridge: connect(4).await?,
        da: connect(5).await?,
        council: connect(6).await?,
        leaver: connect(7).await?,
        holder: connect(8).await?,
        owner,
    };
    Ok((story, record))
}

/// Fails the demo unless `actual` is `expected` within one millionth of a token.
pub fn check(what: &str, actual: U256, expected: U256) -> Result<()> {
    let tolerance = U256::from(WAD / 1_000_000);
    let off = if actual > expected { actual - expected } else { expected - actual };
    ensure!(off <= tolerance, "{what}: expected {}, got {}", fmt::exact(expected), fmt::exact(actual));
    println!("  ✓ {what}: {}", fmt::amount(actual));
    Ok(())
}
