//! `keel app`: serves the web app for a deployment; with `--devnet`, first
//! starts an embedded devnet, deploys Keel and plays the demo's story on it.

use super::Connection;
use alloy::{primitives::Address, providers::Provider};
use anyhow::{Context, Result};
use clap::Args;
use keel_cli::history::{Contracts, History};
use keel_cli::{app, client::Client, demo, deployments::Deployments, fmt, stake::Keel, units};
use keel_devnet::node::NodeHandle;
use std::path::PathBuf;
use std::sync::Arc;

/// The dev account the page starts with on a devnet: the one the story leaves free.
const VISITOR: usize = 9;

/// `keel app` options.
#[derive(Args)]
pub struct AppArgs {
    /// Start an embedded devnet, deploy Keel and play the demo's story first.
    #[arg(long)]
    devnet: bool,
    /// With --devnet: deploy only, without the story.
    #[arg(long, requires = "devnet")]
    no_story: bool,
    /// With --devnet: the node's port (0 picks a free one).
    #[arg(long, default_value_t = 8547, requires = "devnet")]
    node_port: u16,
    /// Folder of the validated WASM built by `make wasm` (with --devnet).
    #[arg(long, default_value = "target/wasm")]
    wasm_dir: PathBuf,
    /// Folder of the built app (`make app-build`).
    #[arg(long, default_value = "app/dist")]
    dir: PathBuf,
    /// Interface to serve on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to serve on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
}

impl AppArgs {
    /// Serves the app until the process is stopped.
    pub async fn run(self, connection: &Connection) -> Result<()> {
        let listener = app::bind(&self.host, self.port)?;
        let (config, history, _node) = if self.devnet { self.devnet().await? } else { self.existing(connection).await? };
        let mut site = app::Site::new(self.dir.clone(), config)?;
        let follower = history.clone();
        tokio::spawn(async move { follower.follow().await });
        site.history = Some(history);
        println!("Keel app at http://{}/ (stop with Ctrl-C)", listener.local_addr()?);
        tokio::task::spawn_blocking(move || site.serve(listener)).await?;
        Ok(())
    }

    /// The config of the deployment recorded for `connection`'s chain; the
    /// dev wallet offers the accounts the node signs for (none on real networks).
    async fn existing(&self, connection: &Connection) -> Result<(Vec<u8>, Arc<History>, Option<NodeHandle>)> {
        let client = Client::read_only(&connection.rpc_url).await?;
        let record = Deployments::load(&connection.deployments, client.chain_id)?;
        record.address("StrategyManager")?;
        let accounts = client.provider.get_accounts().await.unwrap_or_default();
        let history = Arc::new(History::new(Client::read_only(&connection.rpc_url).await?, contracts(&record)?, &accounts));
        Ok((app::config_json(&connection.rpc_url, &record, &accounts, accounts.first().copied()), history, None))
    }

    /// Starts the embedded devnet, deploys, plays the story (unless
    /// `--no-story`) and gives the visitor's dev account 100 test tokens.
    async fn devnet(&self) -> Result<(Vec<u8>, Arc<History>, Option<NodeHandle>)> {
        let node = keel_devnet::node::spawn(keel_devnet::node::Config { port: self.node_port, ..Default::default() })
            .with_context(|| format!("cannot start the devnet on port {}", self.node_port))?;
        let url = node.url();
        println!("== An embedded Keel devnet at {url} (chain 412346)");
        let (story, record) = demo::cast(&url, &self.wasm_dir).await?;
        let accounts: Vec<Address> = node.accounts().iter().map(|a| a.address).collect();
        let history = Arc::new(History::new(Client::read_only(&url).await?, contracts(&record)?, &accounts));
        if !self.no_story {
            demo::play_recorded(&story, &history).await?;
        }
        let visitor = *accounts.get(VISITOR).context("the devnet has too few dev accounts")?;
        let amount = units::parse("100")?;
        Keel { client: story.owner.clone(), sm: story.sm, dm: story.dm }.mint(story.token, visitor, amount).await?;
        println!("\n== Dev account {VISITOR} ({visitor}) holds {} test tokens to stake from the page", fmt::amount(amount));
        Ok((app::config_json(&url, &record, &accounts, Some(visitor)), history, Some(node)))
    }
}

/// The contracts a position is made of, from the deployment record.
fn contracts(record: &Deployments) -> Result<Contracts> {
    Ok(Contracts {
        sm: record.address("StrategyManager")?,
        dm: record.address("DelegationManager")?,
        rewards: record.address("RewardsCoordinator")?,
        vault: record.address("LrtVault").ok(),
        from_block: record.contracts.get("StrategyManager").map_or(0, |d| d.block),
    })
}
