//! `keel operator`: registration, AVS opt-ins, allocations, reward settings.

use super::Session;
use alloy::primitives::Address;
use anyhow::Result;
use clap::Subcommand;
use keel_cli::units;

/// `keel operator`: operator transactions.
#[derive(Subcommand)]
pub enum OperatorCommand {
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
    /// Accept an ERC-20 as a reward token of the signer's pools (AVSs may then pay in it).
    AcceptRewardToken {
        /// The reward token.
        #[arg(long)]
        token: Address,
    },
    /// Set the operator's reward commission (basis points, effective after 7 days).
    SetCommission {
        /// Basis points (1,000 = 10%).
        #[arg(long)]
        bps: u64,
    },
    /// Let another address (a hot key) call one of the operator's registry
    /// functions for it (`--as`), or stop letting it.
    Appoint(super::AppointArgs),
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

impl OperatorCommand {
    /// Sends the command's transactions as the session's signer.
    pub async fn run(self, session: &Session) -> Result<()> {
        match self {
            Self::Register { approver, metadata_uri } => {
                session.keel()?.register_operator(approver, metadata_uri).await?;
            }
            Self::SetAllocationDelay { seconds } => {
                session.registry()?.set_allocation_delay(seconds).await?;
            }
            Self::OptIn { avs, sets, conditions } => {
                session.registry()?.opt_in(avs, sets, conditions).await?;
            }
            Self::AcceptRewardToken { token } => {
                session.operator_rewards()?.accept_token(token).await?;
            }
            Self::SetCommission { bps } => {
                session.operator_rewards()?.set_commission(bps).await?;
            }
            Self::Allocate { avs, set, token, percent } => {
                session.registry()?.allocate(avs, set, vec![token], vec![percent]).await?;
            }
            Self::Appoint(args) => args.run(session).await?,
        }
        Ok(())
    }
}
