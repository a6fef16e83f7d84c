//! `keel stake`: deposits, delegation, withdrawals and reward claims.

use super::Session;
use alloy::primitives::{Address, B256, U256};
use anyhow::Result;
use clap::Subcommand;
use keel_cli::units;

/// `keel stake`: staker transactions.
#[derive(Subcommand)]
pub enum StakeCommand {
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
    /// Move the whole deposit in each token to the successor deployment, in one transaction (undelegated stakers).
    Migrate {
        /// Strategy tokens to move (comma-separated).
        #[arg(long, value_delimiter = ',', required = true)]
        tokens: Vec<Address>,
    },
    /// Complete queued withdrawals after their delay (several: one batched transaction).
    CompleteWithdrawal {
        /// The withdrawal root (comma-separated roots complete together, all or none).
        #[arg(long, value_delimiter = ',', required = true)]
        root: Vec<B256>,
        /// Re-delegate as shares instead of receiving tokens.
        #[arg(long)]
        as_shares: bool,
    },
}

impl StakeCommand {
    /// Sends the command's transactions as the session's signer.
    pub async fn run(self, session: &Session) -> Result<()> {
        let me = session.client.from;
        match self {
            Self::Deposit { token, amount, permit: false } => {
                session.keel()?.deposit(token, amount).await?;
            }
            Self::Deposit { token, amount, permit: true } => {
                session.keel()?.deposit_with_permit(token, amount).await?;
            }
            Self::Delegate { operator } => {
                session.keel()?.delegate(operator).await?;
            }
            Self::Undelegate { staker } => {
                session.keel()?.undelegate(staker.unwrap_or(me)).await?;
            }
            Self::QueueWithdrawal { token, shares } => {
                session.keel()?.queue_withdrawal(token, shares).await?;
            }
            Self::CompleteWithdrawal { root, as_shares } => match root.as_slice() {
                [one] => {
                    session.keel()?.complete_withdrawal(*one, !as_shares).await?;
                }
                roots => {
                    session.keel()?.complete_withdrawals(roots, !as_shares).await?;
                }
            },
            Self::Migrate { tokens } => {
                session.keel()?.migrate(tokens).await?;
            }
            Self::ClaimRewards { earner, operators, tokens, reward_tokens, recipient } => {
                let pools: Vec<(Address, Address)> = operators.into_iter().zip(tokens).collect();
                session.rewards()?.claim(earner.unwrap_or(me), &pools, reward_tokens, recipient.unwrap_or(me)).await?;
            }
        }
        Ok(())
    }
}
