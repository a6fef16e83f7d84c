//! `keel`: deploy, operate, inspect and demo the Keel restaking protocol over
//! JSON-RPC (a local `keel-devnet`, or Arbitrum Sepolia by URL).

use alloy::primitives::{Address, B256};
use keel_cli::{client, config, demo, deploy, deployments, stake, status, units};
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "keel", version, about = "Deploy, operate and inspect the Keel restaking protocol")]
struct Cli {
    #[command(flatten)]
    connection: Connection,
    #[command(subcommand)]
    command: Command,
}

/// Where to send transactions and who signs them.
#[derive(Args)]
struct Connection {
    /// JSON-RPC endpoint.
    #[arg(long, global = true, env = "KEEL_RPC_URL", default_value = "http://127.0.0.1:8547")]
    rpc_url: String,
    /// Hex private key of the signing account.
    #[arg(long, global = true, env = "KEEL_PRIVATE_KEY", hide_env_values = true)]
    private_key: Option<String>,
    /// Sign with dev account N of the test mnemonic (devnets only).
    #[arg(long, global = true)]
    dev_account: Option<u32>,
    /// Folder of deployments/<chainId>.json.
    #[arg(long, global = true, default_value = "deployments")]
    deployments: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Deploy every contract, wire them and whitelist the configured strategies (resumable).
    Deploy {
        /// Network configuration.
        #[arg(long, default_value = "deploy/devnet.toml")]
        config: PathBuf,
        /// Folder of the validated WASM built by `make wasm`.
        #[arg(long, default_value = "target/wasm")]
        wasm_dir: PathBuf,
    },
    /// Show strategies, operators and (with an address) its positions.
    Status {
        /// Account to show positions of.
        address: Option<Address>,
    },
    /// Staker transactions.
    #[command(subcommand)]
    Stake(StakeCommand),
    /// Operator transactions.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Start an embedded devnet, deploy Keel and play the restaking story (checked).
    Demo {
        /// Folder of the validated WASM built by `make wasm`.
        #[arg(long, default_value = "target/wasm")]
        wasm_dir: PathBuf,
    },
    /// Mint test tokens (the test token's owner; devnets and testnets).
    Mint {
        /// The test token.
        #[arg(long)]
        token: Address,
        /// Recipient.
        #[arg(long)]
        to: Address,
        /// Amount in token units.
        #[arg(long)]
        amount: String,
    },
}

#[derive(Subcommand)]
enum StakeCommand {
    /// Deposit tokens into a strategy (approving the StrategyManager if needed).
    Deposit {
        /// Strategy token.
        #[arg(long)]
        token: Address,
        /// Amount in token units (e.g. 32 or 1.5).
        #[arg(long)]
        amount: String,
    },
    /// Delegate all shares to an operator.
    Delegate {
        /// The operator.
        #[arg(long)]
        operator: Address,
    },
    /// Undelegate (queues all shares for withdrawal).
    Undelegate {
        /// The staker (default: the signer).
        #[arg(long)]
        staker: Option<Address>,
    },
    /// Queue a withdrawal of deposit shares.
    QueueWithdrawal {
        /// Strategy token.
        #[arg(long)]
        token: Address,
        /// Deposit shares in units.
        #[arg(long)]
        shares: String,
    },
    /// Complete a queued withdrawal after its delay.
    CompleteWithdrawal {
        /// The withdrawal root.
        #[arg(long)]
        root: B256,
        /// Re-delegate as shares instead of receiving tokens.
        #[arg(long)]
        as_shares: bool,
    },
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Register the signer as an operator.
    Register {
        /// Delegation approver (default: none, open to all).
        #[arg(long, default_value_t = Address::ZERO)]
        approver: Address,
        /// Metadata URI.
        #[arg(long, default_value = "")]
        metadata_uri: String,
    },
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<()> {
    let c = &cli.connection;
    if let Command::Demo { wasm_dir } = &cli.command {
        return demo::demo(wasm_dir).await;
    }
    let signer = client::signer(c.private_key.as_deref(), c.dev_account)?;
    let client = client::Client::connect(&c.rpc_url, signer).await?;
    match cli.command {
        Command::Deploy { config, wasm_dir } => {
            let config = config::Config::load(&config)?;
            let record = deploy::deploy(&client, &config, &wasm_dir, &c.deployments).await?;
            println!("\n{:<20} {:<44} block", "contract", "address");
            for (name, deployed) in &record.contracts {
                println!("{name:<20} {:<44} {}", deployed.address.to_string(), deployed.block);
            }
            println!("recorded in {}", deployments::Deployments::path(&c.deployments, client.chain_id).display());
        }
        Command::Status { address } => {
            let record = deployments::Deployments::load(&c.deployments, client.chain_id)?;
            status::status(&client, &record, address).await?;
        }
        Command::Stake(command) => {
            let keel = keel(client, &c.deployments)?;
            match command {
                StakeCommand::Deposit { token, amount } => drop(keel.deposit(token, units::parse(&amount)?).await?),
                StakeCommand::Delegate { operator } => drop(keel.delegate(operator).await?),
                StakeCommand::Undelegate { staker } => drop(keel.undelegate(staker.unwrap_or(keel.client.from)).await?),
                StakeCommand::QueueWithdrawal { token, shares } => drop(keel.queue_withdrawal(token, units::parse(&shares)?).await?),
                StakeCommand::CompleteWithdrawal { root, as_shares } => drop(keel.complete_withdrawal(root, !as_shares).await?),
            }
        }
        Command::Demo { .. } => unreachable!("handled before connecting"),
        Command::Mint { token, to, amount } => drop(keel(client, &c.deployments)?.mint(token, to, units::parse(&amount)?).await?),
        Command::Operator(OperatorCommand::Register { approver, metadata_uri }) => {
            drop(keel(client, &c.deployments)?.register_operator(approver, metadata_uri).await?);
        }
    }
    Ok(())
}

/// The deployed protocol on the client's chain.
fn keel(client: client::Client, deployments: &std::path::Path) -> Result<stake::Keel> {
    let record = deployments::Deployments::load(deployments, client.chain_id)?;
    Ok(stake::Keel { sm: record.address("StrategyManager")?, dm: record.address("DelegationManager")?, client })
}
