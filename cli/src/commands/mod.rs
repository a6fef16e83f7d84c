//! The `keel` commands: one module per command group (`stake`, `operator`,
//! `avs`, `lrt`, `owner`), each enum running itself; the commands that need no key
//! (`status`, `profile`, `demo`, `app`) run before any signer is loaded.

mod app;
mod avs;
mod lrt;
mod operator;
mod owner;
mod stake;

use alloy::primitives::{Address, B256, U256};
use anyhow::Result;
use clap::{Args, Subcommand};
use keel_cli::{client, config, demo, deploy, deployments, profile, units};
use std::path::PathBuf;

/// Where to send transactions and who signs them.
#[derive(Args)]
pub struct Connection {
    /// JSON-RPC endpoint.
    #[arg(long, global = true, env = "KEEL_RPC_URL", default_value = "http://127.0.0.1:8547")]
    pub rpc_url: String,
    /// Hex private key of the signing account.
    #[arg(long, global = true, env = "KEEL_PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
    /// Sign with dev account N of the test mnemonic (devnets only).
    #[arg(long, global = true)]
    pub dev_account: Option<u32>,
    /// Folder of deployments/<chainId>.json.
    #[arg(long, global = true, default_value = "deployments")]
    pub deployments: PathBuf,
    /// Show amounts with every decimal instead of rounded to two places.
    #[arg(long, global = true)]
    pub exact: bool,
}

/// The `keel` commands.
#[derive(Subcommand)]
pub enum Command {
    /// Deploy every contract, wire them and whitelist the configured strategies (resumable).
    Deploy {
        /// Network configuration.
        #[arg(long, default_value = "cli/devnet.toml")]
        config: PathBuf,
        /// Folder of the validated WASM built by `make wasm`.
        #[arg(long, default_value = "target/wasm")]
        wasm_dir: PathBuf,
    },
    /// Show strategies, operators and (with an address) its positions; needs no key.
    Status {
        /// Account to show positions of.
        address: Option<Address>,
        /// Print one JSON document (exact amounts in wei) instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Where a transaction's Stylus ink went, by WASM function (keel-devnet only).
    Profile {
        /// The transaction.
        tx: B256,
        /// Functions to show per frame.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Write folded stacks (`frame;fn_a;fn_b ink`) for flame-graph tools.
        #[arg(long)]
        folded: Option<PathBuf>,
        /// Render a flame graph SVG.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Named WASM (`make wasm`) registered with the devnet for function names.
        #[arg(long, default_value = "target/wasm-names")]
        names_dir: PathBuf,
    },
    /// Staker transactions.
    #[command(subcommand)]
    Stake(stake::StakeCommand),
    /// Operator transactions.
    Operator {
        /// Act for an operator as its appointee.
        #[command(flatten)]
        acting: Acting,
        /// The transaction.
        #[command(subcommand)]
        command: operator::OperatorCommand,
    },
    /// AVS transactions: registration, operator sets, slashing conditions, slashes.
    Avs {
        /// Act for an AVS as its appointee.
        #[command(flatten)]
        acting: Acting,
        /// The transaction.
        #[command(subcommand)]
        command: avs::AvsCommand,
    },
    /// LRT holder transactions on the LRT vault.
    #[command(subcommand)]
    Lrt(lrt::LrtCommand),
    /// Start an embedded devnet, deploy Keel and play the restaking story (checked).
    Demo {
        /// Folder of the validated WASM built by `make wasm`.
        #[arg(long, default_value = "target/wasm")]
        wasm_dir: PathBuf,
    },
    /// Serve the web app for the deployment (`--devnet`: on a fresh devnet with the demo's story).
    App(app::AppArgs),
    /// The deployment owner's settings: the migration successor, the slash escrow.
    #[command(subcommand)]
    Owner(owner::OwnerCommand),
    /// Mint test tokens (the test token's owner; devnets and testnets).
    Mint {
        /// The test token.
        #[arg(long)]
        token: Address,
        /// Recipient.
        #[arg(long)]
        to: Address,
        /// Amount in token units.
        #[arg(long, value_parser = units::parse)]
        amount: U256,
    },
}

/// `--as ACCOUNT`: the operator or AVS the signer acts for.
#[derive(Args)]
pub struct Acting {
    /// Act for this operator or AVS as its appointee: the registry's `callAs`,
    /// for a function the account appointed the signer to (`appoint`).
    #[arg(long = "as", global = true, value_name = "ACCOUNT")]
    pub account: Option<Address>,
}

/// `appoint`: let another address call one of the signer's registry
/// functions for it, or stop letting it.
#[derive(Args)]
pub struct AppointArgs {
    /// The appointee (a hot key, a bot).
    #[arg(long)]
    pub appointee: Address,
    /// The function, by Solidity name: one of the AVS registry's (e.g.
    /// modifyAllocations) or the operator's commission and reward tokens
    /// (setOperatorCommission, acceptRewardToken).
    #[arg(long)]
    pub function: String,
    /// Revoke the right instead of granting it.
    #[arg(long)]
    pub revoke: bool,
}

impl AppointArgs {
    /// Sends the grant (or revocation) as the session's signer.
    pub async fn run(self, session: &Session) -> Result<()> {
        let on_coordinator = keel_cli::rewards::APPOINTABLE.iter().find(|(name, _)| *name == self.function);
        match on_coordinator {
            Some((name, selector)) => session.rewards()?.appoint(self.appointee, name, *selector, !self.revoke).await,
            None => session.registry()?.appoint(self.appointee, &self.function, !self.revoke).await,
        }
    }
}

/// A signing client and the deployment record of its chain.
pub struct Session {
    /// The signing client.
    pub client: client::Client,
    /// The chain's deployments.
    record: deployments::Deployments,
    /// The operator or AVS the signer acts for as its appointee (`--as`).
    acting: Option<Address>,
}

impl Session {
    /// Refuses `--as` for a contract without appointees.
    fn as_signer(&self) -> Result<()> {
        match self.acting {
            Some(account) => anyhow::bail!(
                "--as {account}: only the AVS registry's appointable functions ({}), and an operator's commission and reward tokens, can be called for another account",
                keel_cli::avs::APPOINTABLE.map(|(name, _)| name).join(", ")
            ),
            None => Ok(()),
        }
    }

    /// The StrategyManager and DelegationManager, as the signer.
    pub fn keel(&self) -> Result<keel_cli::stake::Keel> {
        self.as_signer()?;
        let (sm, dm) = (self.record.address("StrategyManager")?, self.record.address("DelegationManager")?);
        Ok(keel_cli::stake::Keel { sm, dm, client: self.client.clone() })
    }

    /// The AVS registry, as the signer (acting for `--as`'s account, if given).
    pub fn registry(&self) -> Result<keel_cli::avs::Registry> {
        Ok(keel_cli::avs::Registry { at: self.record.address("AvsRegistry")?, client: self.client.clone(), acting: self.acting })
    }

    /// The RewardsCoordinator, as the signer.
    pub fn rewards(&self) -> Result<keel_cli::rewards::Rewards> {
        self.as_signer()?;
        Ok(keel_cli::rewards::Rewards { at: self.record.address("RewardsCoordinator")?, client: self.client.clone(), acting: None })
    }

    /// The RewardsCoordinator for an operator's commission and reward
    /// tokens, as the signer (acting for `--as`'s operator, if given).
    pub fn operator_rewards(&self) -> Result<keel_cli::rewards::Rewards> {
        Ok(keel_cli::rewards::Rewards { at: self.record.address("RewardsCoordinator")?, client: self.client.clone(), acting: self.acting })
    }

    /// The LRT vault, as the signer.
    pub fn lrt(&self) -> Result<keel_cli::lrt::Lrt> {
        self.as_signer()?;
        Ok(keel_cli::lrt::Lrt { at: self.record.address("LrtVault")?, client: self.client.clone() })
    }
}

impl Command {
    /// Runs the command over `connection`.
    pub async fn run(self, connection: &Connection) -> Result<()> {
        let c = connection;
        match self {
            Self::Demo { wasm_dir } => return demo::demo(&wasm_dir).await,
            Self::App(args) => return args.run(c).await,
            Self::Status { address, json } => {
                let client = client::Client::read_only(&c.rpc_url).await?;
                let record = deployments::Deployments::load(&c.deployments, client.chain_id)?;
                return keel_cli::status::status(&client, &record, address, json).await;
            }
            Self::Profile { tx, top, folded, svg, names_dir } => {
                let client = client::Client::read_only(&c.rpc_url).await?;
                return run_profile(&client, tx, top, folded, svg, &names_dir, &c.deployments).await;
            }
            _ => {}
        }
        let signer = client::signer(c.private_key.as_deref(), c.dev_account)?;
        let client = client::Client::connect(&c.rpc_url, signer).await?;
        if let Self::Deploy { config, wasm_dir } = self {
            return run_deploy(&client, &config, &wasm_dir, &c.deployments).await;
        }
        let record = deployments::Deployments::load(&c.deployments, client.chain_id)?;
        let acting = match &self {
            Self::Operator { acting, .. } | Self::Avs { acting, .. } => acting.account,
            _ => None,
        };
        let session = Session { client, record, acting };
        match self {
            Self::Stake(command) => command.run(&session).await,
            Self::Operator { command, .. } => command.run(&session).await,
            Self::Avs { command, .. } => command.run(&session).await,
            Self::Lrt(command) => command.run(&session).await,
            Self::Mint { token, to, amount } => session.keel()?.mint(token, to, amount).await.map(|_| ()),
            Self::Owner(command) => command.run(&session).await,
            Self::Demo { .. } | Self::App(_) | Self::Status { .. } | Self::Profile { .. } | Self::Deploy { .. } => Ok(()),
        }
    }
}

/// `keel deploy`: deploys and configures the protocol, then prints where.
async fn run_deploy(
    client: &client::Client,
    config: &std::path::Path,
    wasm_dir: &std::path::Path,
    deployments: &std::path::Path,
) -> Result<()> {
    let config = config::Config::load(config)?;
    let started = std::time::Instant::now();
    let record = deploy::deploy(client, &config, wasm_dir, deployments).await?;
    println!("deployed and configured in {:.1} s", started.elapsed().as_secs_f64());
    println!("\n{:<20} {:<44} block", "contract", "address");
    for (name, deployed) in &record.contracts {
        println!("{name:<20} {:<44} {}", deployed.address.to_string(), deployed.block);
    }
    println!("recorded in {}", deployments::Deployments::path(deployments, client.chain_id).display());
    Ok(())
}

/// `keel profile`: registers the function names, then prints (and writes)
/// where the transaction's ink went, contracts labelled from the deployments.
async fn run_profile(
    client: &client::Client,
    tx: B256,
    top: usize,
    folded: Option<PathBuf>,
    svg: Option<PathBuf>,
    names_dir: &std::path::Path,
    deployments: &std::path::Path,
) -> Result<()> {
    if let Err(error) = profile::register_names(&client.provider, names_dir).await {
        eprintln!("warning: functions unnamed: {error:#}");
    }
    let report = profile::fetch(&client.provider, tx).await?;
    let labels = deployments::Deployments::load(deployments, client.chain_id)
        .map(|record| record.contracts.into_iter().map(|(name, deployed)| (deployed.address, name)).collect())
        .unwrap_or_default();
    print!("{}", profile::tables(&report, top, &labels));
    if let Some(path) = folded {
        profile::write_folded(&report, &path)?;
    }
    if let Some(path) = svg {
        profile::write_svg(&report, &path, &format!("keel profile {tx}"))?;
    }
    Ok(())
}
