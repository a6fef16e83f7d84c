//! `keel`: deploy, operate, inspect and demo the Keel restaking protocol over
//! JSON-RPC (a local `keel-devnet`, or Arbitrum Sepolia by URL).

use alloy::primitives::{Address, B256, U256};
use keel_cli::{avs, client, config, demo, deploy, deployments, fmt, lrt, profile, rewards, stake, status, units};
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
    /// Show amounts with every decimal instead of rounded to two places.
    #[arg(long, global = true)]
    exact: bool,
}

#[derive(Subcommand)]
enum Command {
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
    /// Staker transactions.
    #[command(subcommand)]
    Stake(StakeCommand),
    /// Operator transactions.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// AVS transactions: registration, operator sets, slashing conditions, slashes.
    #[command(subcommand)]
    Avs(AvsCommand),
    /// LRT holder transactions on the LRT vault.
    #[command(subcommand)]
    Lrt(LrtCommand),
    /// Start an embedded devnet, deploy Keel and play the restaking story (checked).
    Demo {
        /// Folder of the validated WASM built by `make wasm`.
        #[arg(long, default_value = "target/wasm")]
        wasm_dir: PathBuf,
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

#[derive(Subcommand)]
enum StakeCommand {
    /// Deposit tokens into a strategy (approving the StrategyManager if needed).
    Deposit {
        /// Strategy token.
        #[arg(long)]
        token: Address,
        /// Amount in token units (e.g. 32 or 1.5).
        #[arg(long, value_parser = units::parse)]
        amount: U256,
        /// Sign an EIP-2612 permit instead of sending an approval (one transaction).
        #[arg(long)]
        permit: bool,
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
        #[arg(long, value_parser = units::parse)]
        shares: U256,
    },
    /// Claim rewards earned in operator pools.
    ClaimRewards {
        /// Earner (default: the signer; a claimer set by the earner may claim for it).
        #[arg(long)]
        earner: Option<Address>,
        /// The operator of each pool to settle.
        #[arg(long, value_delimiter = ',', required = true)]
        operators: Vec<Address>,
        /// The strategy token of each pool.
        #[arg(long, value_delimiter = ',', required = true)]
        tokens: Vec<Address>,
        /// Reward tokens to claim.
        #[arg(long, value_delimiter = ',', required = true)]
        reward_tokens: Vec<Address>,
        /// Recipient (default: the signer).
        #[arg(long)]
        recipient: Option<Address>,
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
enum LrtCommand {
    /// Deposit assets for LRT (approving the vault if needed).
    Deposit {
        /// Amount in token units.
        #[arg(long, value_parser = units::parse)]
        amount: U256,
    },
    /// Request redemption of LRT (paid after the withdrawal delay, slashes included).
    RequestRedeem {
        /// LRT in units.
        #[arg(long, value_parser = units::parse)]
        shares: U256,
    },
    /// Claim redemptions whose delay has passed.
    Claim {
        /// LRT in units (default: everything claimable).
        #[arg(long, value_parser = units::parse)]
        shares: Option<U256>,
    },
    /// Redeem at once from the idle buffer, for a fee.
    InstantRedeem {
        /// LRT in units.
        #[arg(long, value_parser = units::parse)]
        shares: U256,
        /// Least assets to receive, in units.
        #[arg(long, default_value = "0", value_parser = units::parse)]
        min_assets: U256,
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
    /// Set the delay before new allocations become slashable (needed once before allocating).
    SetAllocationDelay {
        /// Seconds.
        #[arg(long)]
        seconds: u64,
    },
    /// Opt in to an AVS's operator sets, accepting the listed slashing conditions.
    OptIn {
        /// The AVS.
        #[arg(long)]
        avs: Address,
        /// Operator set ids.
        #[arg(long, value_delimiter = ',', required = true)]
        sets: Vec<u64>,
        /// Slashing condition ids accepted.
        #[arg(long, value_delimiter = ',')]
        conditions: Vec<u64>,
    },
    /// Set the operator's reward commission (basis points, effective after 7 days).
    SetCommission {
        /// Basis points (1,000 = 10%).
        #[arg(long)]
        bps: u64,
    },
    /// Allocate a fraction of the signer's stake in a strategy to an operator set.
    Allocate {
        /// The AVS.
        #[arg(long)]
        avs: Address,
        /// Operator set id.
        #[arg(long)]
        set: u64,
        /// Strategy token.
        #[arg(long)]
        token: Address,
        /// Fraction in percent (e.g. 50 or 12.5).
        #[arg(long, value_parser = units::percent_wad)]
        percent: u64,
    },
}

#[derive(Subcommand)]
enum AvsCommand {
    /// Register the signer as an AVS.
    Register {
        /// Metadata URI.
        #[arg(long, default_value = "")]
        metadata_uri: String,
    },
    /// Create an operator set over strategy tokens.
    CreateSet {
        /// Set id.
        #[arg(long)]
        set: u64,
        /// Strategy tokens.
        #[arg(long, value_delimiter = ',', required = true)]
        tokens: Vec<Address>,
    },
    /// Publish a slashing condition (immutable; retire it to stop new slashes).
    AddCondition {
        /// Operator set id.
        #[arg(long)]
        set: u64,
        /// Largest slash per incident, in percent of an allocation.
        #[arg(long, value_parser = units::percent_wad)]
        max_slash_percent: u64,
        /// Who may slash (default: the signer).
        #[arg(long)]
        slasher: Option<Address>,
        /// Veto window in seconds (0: slashes execute at once).
        #[arg(long, default_value_t = 0)]
        veto_window: u64,
        /// Who may veto during the window.
        #[arg(long, default_value_t = Address::ZERO)]
        resolver: Address,
        /// Who receives slashed funds (default: burned).
        #[arg(long, default_value_t = Address::ZERO)]
        redistribution_recipient: Address,
        /// The rules, in words.
        #[arg(long, default_value = "")]
        description_uri: String,
        /// Hash of the evidence format.
        #[arg(long, default_value_t = B256::ZERO)]
        evidence_schema_hash: B256,
    },
    /// Retire a slashing condition.
    RetireCondition {
        /// Condition id.
        #[arg(long)]
        condition: u64,
    },
    /// Slash an operator at once (conditions without a veto window).
    Slash(SlashArgs),
    /// Request a slash (conditions with a veto window).
    RequestSlash(SlashArgs),
    /// Veto a requested slash (the condition's resolver).
    Veto {
        /// Slash id.
        #[arg(long)]
        id: u64,
    },
    /// Stream (or pay at once) rewards to operators' pools of one strategy.
    SubmitRewards {
        /// Operators paid.
        #[arg(long, value_delimiter = ',', required = true)]
        operators: Vec<Address>,
        /// Amount for each operator, in token units.
        #[arg(long, value_delimiter = ',', required = true, value_parser = units::parse)]
        amounts: Vec<U256>,
        /// The strategy token whose stakers earn.
        #[arg(long)]
        token: Address,
        /// The (whitelisted) token paid.
        #[arg(long)]
        reward_token: Address,
        /// Stream start, unix seconds (a multiple of 3,600, not in the past).
        #[arg(long)]
        start: u64,
        /// Stream length in seconds (a multiple of 3,600; 0 pays at once).
        #[arg(long, default_value_t = 0)]
        duration: u64,
    },
    /// Execute a requested slash after its veto window (anyone).
    ExecuteSlash {
        /// Slash id.
        #[arg(long)]
        id: u64,
        /// Strategy token (as requested).
        #[arg(long)]
        token: Address,
        /// Percent of the allocation (as requested).
        #[arg(long, value_parser = units::percent_wad)]
        percent: u64,
    },
}

/// Which operator, condition, strategy and fraction a slash takes.
#[derive(Args)]
struct SlashArgs {
    /// The operator.
    #[arg(long)]
    operator: Address,
    /// Condition id.
    #[arg(long)]
    condition: u64,
    /// Strategy token.
    #[arg(long)]
    token: Address,
    /// Percent of the operator's allocation to the set.
    #[arg(long, value_parser = units::percent_wad)]
    percent: u64,
    /// Hash of the evidence.
    #[arg(long, default_value_t = B256::ZERO)]
    evidence: B256,
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
    fmt::set_exact(c.exact);
    match &cli.command {
        Command::Demo { wasm_dir } => return demo::demo(wasm_dir).await,
        Command::Profile { tx, top, folded, svg, names_dir } => {
            let client = client::Client::read_only(&c.rpc_url).await?;
            if let Err(error) = profile::register_names(&client.provider, names_dir).await {
                eprintln!("warning: functions unnamed: {error:#}");
            }
            let report = profile::fetch(&client.provider, *tx).await?;
            let labels = deployments::Deployments::load(&c.deployments, client.chain_id)
                .map(|record| record.contracts.into_iter().map(|(name, deployed)| (deployed.address, name)).collect())
                .unwrap_or_default();
            print!("{}", profile::tables(&report, *top, &labels));
            if let Some(path) = folded {
                profile::write_folded(&report, path)?;
            }
            if let Some(path) = svg {
                profile::write_svg(&report, path, &format!("keel profile {tx}"))?;
            }
            return Ok(());
        }
        Command::Status { address, json } => {
            let client = client::Client::read_only(&c.rpc_url).await?;
            let record = deployments::Deployments::load(&c.deployments, client.chain_id)?;
            return status::status(&client, &record, *address, *json).await;
        }
        _ => {}
    }
    let signer = client::signer(c.private_key.as_deref(), c.dev_account)?;
    let client = client::Client::connect(&c.rpc_url, signer).await?;
    match cli.command {
        Command::Deploy { config, wasm_dir } => {
            let config = config::Config::load(&config)?;
            let started = std::time::Instant::now();
            let record = deploy::deploy(&client, &config, &wasm_dir, &c.deployments).await?;
            println!("deployed and configured in {:.1} s", started.elapsed().as_secs_f64());
            println!("\n{:<20} {:<44} block", "contract", "address");
            for (name, deployed) in &record.contracts {
                println!("{name:<20} {:<44} {}", deployed.address.to_string(), deployed.block);
            }
            println!("recorded in {}", deployments::Deployments::path(&c.deployments, client.chain_id).display());
        }
        Command::Lrt(command) => {
            let record = deployments::Deployments::load(&c.deployments, client.chain_id)?;
            let vault = lrt::Lrt { at: record.address("LrtVault")?, client };
            match command {
                LrtCommand::Deposit { amount } => {
                    vault.deposit(amount).await?;
                }
                LrtCommand::RequestRedeem { shares } => {
                    vault.request_redeem(shares).await?;
                }
                LrtCommand::Claim { shares } => {
                    vault.claim(shares).await?;
                }
                LrtCommand::InstantRedeem { shares, min_assets } => {
                    vault.instant_redeem(shares, min_assets).await?;
                }
            }
        }
        Command::Stake(StakeCommand::ClaimRewards { earner, operators, tokens, reward_tokens, recipient }) => {
            let rewards = rewards(client, &c.deployments)?;
            let pools: Vec<(Address, Address)> = operators.into_iter().zip(tokens).collect();
            let me = rewards.client.from;
            rewards.claim(earner.unwrap_or(me), &pools, reward_tokens, recipient.unwrap_or(me)).await?;
        }
        Command::Operator(OperatorCommand::SetCommission { bps }) => rewards(client, &c.deployments)?.set_commission(bps).await?,
        Command::Avs(AvsCommand::SubmitRewards { operators, amounts, token, reward_token, start, duration }) => {
            let submission = rewards::Submission { operators, amounts, strategy: token, reward_token, start, duration };
            rewards(client, &c.deployments)?.submit(&submission).await?;
        }
        Command::Stake(command) => {
            let keel = keel(client, &c.deployments)?;
            match command {
                StakeCommand::ClaimRewards { .. } => unreachable!("handled above"),
                StakeCommand::Deposit { token, amount, permit: false } => {
                    keel.deposit(token, amount).await?;
                }
                StakeCommand::Deposit { token, amount, permit: true } => {
                    keel.deposit_with_permit(token, amount).await?;
                }
                StakeCommand::Delegate { operator } => {
                    keel.delegate(operator).await?;
                }
                StakeCommand::Undelegate { staker } => {
                    keel.undelegate(staker.unwrap_or(keel.client.from)).await?;
                }
                StakeCommand::QueueWithdrawal { token, shares } => {
                    keel.queue_withdrawal(token, shares).await?;
                }
                StakeCommand::CompleteWithdrawal { root, as_shares } => {
                    keel.complete_withdrawal(root, !as_shares).await?;
                }
            }
        }
        Command::Demo { .. } | Command::Status { .. } | Command::Profile { .. } => unreachable!("handled before connecting"),
        Command::Mint { token, to, amount } => {
                    keel(client, &c.deployments)?.mint(token, to, amount).await?;
                }
        Command::Operator(OperatorCommand::Register { approver, metadata_uri }) => {
            keel(client, &c.deployments)?.register_operator(approver, metadata_uri).await?;
        }
        Command::Operator(command) => {
            let registry = registry(client, &c.deployments)?;
            match command {
                OperatorCommand::Register { .. } | OperatorCommand::SetCommission { .. } => unreachable!("handled above"),
                OperatorCommand::SetAllocationDelay { seconds } => registry.set_allocation_delay(seconds).await?,
                OperatorCommand::OptIn { avs, sets, conditions } => {
                    registry.opt_in(avs, sets, conditions).await?;
                }
                OperatorCommand::Allocate { avs, set, token, percent } => {
                    registry.allocate(avs, set, vec![token], vec![percent]).await?;
                }
            }
        }
        Command::Avs(command) => {
            let registry = registry(client, &c.deployments)?;
            match command {
                AvsCommand::SubmitRewards { .. } => unreachable!("handled above"),
                AvsCommand::Register { metadata_uri } => registry.register_avs(&metadata_uri).await?,
                AvsCommand::CreateSet { set, tokens } => registry.create_set(set, tokens).await?,
                AvsCommand::AddCondition { set, max_slash_percent, slasher, veto_window, resolver, redistribution_recipient, description_uri, evidence_schema_hash } => {
                    let condition = avs::Condition {
                        set_id: set,
                        max_slash_wad: max_slash_percent,
                        slasher: slasher.unwrap_or(registry.client.from),
                        veto_window,
                        resolver,
                        redistribution_recipient,
                        description_uri,
                        evidence_schema_hash,
                    };
                    registry.add_condition(&condition).await?;
                }
                AvsCommand::RetireCondition { condition } => registry.retire_condition(condition).await?,
                AvsCommand::Slash(a) => {
                    registry.slash(a.operator, a.condition, vec![a.token], vec![a.percent], a.evidence).await?;
                }
                AvsCommand::RequestSlash(a) => {
                    registry.request_slash(a.operator, a.condition, vec![a.token], vec![a.percent], a.evidence).await?;
                }
                AvsCommand::Veto { id } => registry.veto(id).await?,
                AvsCommand::ExecuteSlash { id, token, percent } => registry.execute_slash(id, vec![token], vec![percent]).await?,
            }
        }
    }
    Ok(())
}

/// The RewardsCoordinator on the client's chain.
fn rewards(client: client::Client, deployments: &std::path::Path) -> Result<rewards::Rewards> {
    let record = deployments::Deployments::load(deployments, client.chain_id)?;
    Ok(rewards::Rewards { at: record.address("RewardsCoordinator")?, client })
}

/// The AVS registry on the client's chain.
fn registry(client: client::Client, deployments: &std::path::Path) -> Result<avs::Registry> {
    let record = deployments::Deployments::load(deployments, client.chain_id)?;
    Ok(avs::Registry { at: record.address("AvsRegistry")?, client })
}

/// The deployed protocol on the client's chain.
fn keel(client: client::Client, deployments: &std::path::Path) -> Result<stake::Keel> {
    let record = deployments::Deployments::load(deployments, client.chain_id)?;
    Ok(stake::Keel { sm: record.address("StrategyManager")?, dm: record.address("DelegationManager")?, client })
}
