//! `keel avs`: an AVS's registration, operator sets, slashing conditions,
//! slashes and reward submissions.

use super::Session;
use alloy::primitives::{Address, B256, U256};
use anyhow::Result;
use clap::{Args, Subcommand};
use keel_cli::{avs, rewards, units};

/// `keel avs`: AVS transactions: registration, operator sets, slashing conditions, slashes, rewards.
#[derive(Subcommand)]
pub enum AvsCommand {
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
    /// Let another address (a hot key) call one of the AVS's registry
    /// functions for it (`--as`), or stop letting it.
    Appoint(super::AppointArgs),
    /// Pay slashed shares out to their recipient once their escrow is over (anyone).
    PaySlashed {
        /// Strategy token.
        #[arg(long)]
        token: Address,
        /// The recipient (default: the burn address).
        #[arg(long, default_value_t = keel_cli::stake::BURN_ADDRESS)]
        recipient: Address,
        /// The AVS whose slashes owe them (needed for a redistribution
        /// recipient, whose shares are kept per AVS; burns share one record).
        #[arg(long)]
        avs: Option<Address>,
    },
}

/// Which operator, condition, strategy and fraction a slash takes.
#[derive(Args)]
pub struct SlashArgs {
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

impl AvsCommand {
    /// Sends the command's transactions as the session's signer.
    pub async fn run(self, session: &Session) -> Result<()> {
        match self {
            Self::Register { metadata_uri } => {
                session.registry()?.register_avs(&metadata_uri).await?;
            }
            Self::CreateSet { set, tokens } => {
                session.registry()?.create_set(set, tokens).await?;
            }
            Self::AddCondition {
                set,
                max_slash_percent,
                slasher,
                veto_window,
                resolver,
                redistribution_recipient,
                description_uri,
                evidence_schema_hash,
            } => {
                let condition = avs::Condition {
                    set_id: set,
                    max_slash_wad: max_slash_percent,
                    slasher: slasher.unwrap_or(session.client.from),
                    veto_window,
                    resolver,
                    redistribution_recipient,
                    description_uri,
                    evidence_schema_hash,
                };
                session.registry()?.add_condition(&condition).await?;
            }
            Self::RetireCondition { condition } => {
                session.registry()?.retire_condition(condition).await?;
            }
            Self::Slash(a) => {
                session.registry()?.slash(a.operator, a.condition, vec![a.token], vec![a.percent], a.evidence).await?;
            }
            Self::RequestSlash(a) => {
                session.registry()?.request_slash(a.operator, a.condition, vec![a.token], vec![a.percent], a.evidence).await?;
            }
            Self::Veto { id } => {
                session.registry()?.veto(id).await?;
            }
            Self::ExecuteSlash { id, token, percent } => {
                session.registry()?.execute_slash(id, vec![token], vec![percent]).await?;
            }
            Self::PaySlashed { token, recipient, avs } => {
                let avs = match avs {
                    Some(avs) => avs,
                    None if recipient == keel_cli::stake::BURN_ADDRESS => Address::ZERO,
                    None => anyhow::bail!(
                        "name the AVS whose slashes owe {recipient} (--avs): a redistribution recipient's shares are kept per AVS"
                    ),
                };
                session.keel()?.pay_slashed(token, recipient, avs).await?;
            }
            Self::Appoint(args) => args.run(session).await?,
            Self::SubmitRewards { operators, amounts, token, reward_token, start, duration } => {
                let submission = rewards::Submission { operators, amounts, strategy: token, reward_token, start, duration };
                session.rewards()?.submit(&submission).await?;
            }
        }
        Ok(())
    }
}
