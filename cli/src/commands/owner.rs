//! `keel owner`: the deployment owner's settings that have a command: the
//! successor stakers may migrate to, and the slash escrow.

use super::Session;
use alloy::primitives::Address;
use anyhow::Result;
use clap::Subcommand;

/// `keel owner`: transactions only the deployment's owner may send.
#[derive(Subcommand)]
pub enum OwnerCommand {
    /// Name the StrategyManager this deployment's stakers may migrate to (once).
    NameSuccessor {
        /// The successor deployment's StrategyManager (deployed with `predecessor` set to this one's).
        #[arg(long)]
        strategy_manager: Address,
    },
    /// Set how long slashed shares wait in escrow before they can be paid (1 to 30 days).
    SetSlashEscrow {
        /// Seconds.
        #[arg(long)]
        seconds: u64,
    },
}

impl OwnerCommand {
    /// Sends the command's transaction as the session's signer.
    pub async fn run(self, session: &Session) -> Result<()> {
        match self {
            Self::NameSuccessor { strategy_manager } => session.keel()?.name_successor(strategy_manager).await.map(|_| ()),
            Self::SetSlashEscrow { seconds } => session.keel()?.set_slash_escrow(seconds).await.map(|_| ()),
        }
    }
}
