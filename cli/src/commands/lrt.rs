//! `keel lrt`: deposits and redemptions on the LRT vault.

use super::Session;
use alloy::primitives::{Address, U256};
use anyhow::Result;
use clap::Subcommand;
use keel_cli::units;

/// `keel lrt`: LRT holder transactions on the LRT vault.
#[derive(Subcommand)]
pub enum LrtCommand {
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
        /// Claim for this controller, paid to it (the signer must be its approved operator).
        #[arg(long = "for")]
        controller: Option<Address>,
    },
    /// Approve an ERC-7540 operator, who may then request, claim and redeem for you.
    ApproveOperator {
        /// The operator's address.
        #[arg(long)]
        operator: Address,
        /// Revoke the approval instead.
        #[arg(long)]
        revoke: bool,
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

impl LrtCommand {
    /// Sends the command's transactions as the session's signer.
    pub async fn run(self, session: &Session) -> Result<()> {
        let vault = session.lrt()?;
        match self {
            Self::Deposit { amount } => {
                vault.deposit(amount).await?;
            }
            Self::RequestRedeem { shares } => {
                vault.request_redeem(shares).await?;
            }
            Self::Claim { shares, controller } => {
                vault.claim(controller.unwrap_or(vault.client.from), shares).await?;
            }
            Self::ApproveOperator { operator, revoke } => {
                vault.approve_operator(operator, !revoke).await?;
            }
            Self::InstantRedeem { shares, min_assets } => {
                vault.instant_redeem(shares, min_assets).await?;
            }
        }
        Ok(())
    }
}
