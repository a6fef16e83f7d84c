//! Rewards: AVSs submit them, operators set their commission, stakers and
//! operators claim.

use crate::{
    bindings::{rewards_coordinator::IAppointees, IRewardsCoordinator, ITestToken},
    client::Client,
    fmt,
    revert::explain,
    stake::{act, send},
};
use alloy::{
    primitives::{Address, U256},
    providers::DynProvider,
};
use anyhow::Result;

/// The RewardsCoordinator as seen by one account.
pub struct Rewards {
    /// The signing account.
    pub client: Client,
    /// The RewardsCoordinator address.
    pub at: Address,
    /// The operator the signer acts for as its appointee (`callAs`), for
    /// commission and reward tokens; `None`: the signer acts as itself.
    pub acting: Option<Address>,
}

/// The coordinator functions an operator can appoint others to call, by Solidity name.
pub const APPOINTABLE: [(&str, [u8; 4]); 2] = {
    use alloy::sol_types::SolCall;
    [
        ("setOperatorCommission", IRewardsCoordinator::setOperatorCommissionCall::SELECTOR),
        ("acceptRewardToken", IRewardsCoordinator::acceptRewardTokenCall::SELECTOR),
    ]
};

/// What an AVS pays: per-operator amounts to one strategy's pools.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Operators paid.
    pub operators: Vec<Address>,
    /// Amount for each operator's pool (stakers and commission), in wei.
    pub amounts: Vec<U256>,
    /// The strategy whose stakers earn.
    pub strategy: Address,
    /// The token paid (whitelisted).
    pub reward_token: Address,
    /// Stream start (epoch-aligned, not in the past).
    pub start: u64,
    /// Stream length in seconds (at least a day; 0: at once, streamed from now over a day).
    pub duration: u64,
}

impl Rewards {
    fn coordinator(&self) -> IRewardsCoordinator::IRewardsCoordinatorInstance<DynProvider> {
        IRewardsCoordinator::new(self.at, self.client.provider.clone())
    }

    /// The signer grants (`allowed`) or revokes `appointee` the right to call
    /// its coordinator function `function` (one of [`APPOINTABLE`]) for it.
    pub async fn appoint(&self, appointee: Address, function: &str, selector: [u8; 4], allowed: bool) -> Result<()> {
        crate::avs::set_appointee(&self.client, self.at, appointee, function, selector, allowed).await
    }

    fn appointees(&self) -> IAppointees::IAppointeesInstance<DynProvider> {
        IAppointees::new(self.at, self.client.provider.clone())
    }

    /// AVS: approves the coordinator if needed and submits `s`.
    pub async fn submit(&self, s: &Submission) -> Result<U256> {
        let total = s.amounts.iter().fold(U256::ZERO, |a, b| a + b);
        let token = ITestToken::new(s.reward_token, self.client.provider.clone());
        if token.allowance(self.client.from, self.at).call().await.map_err(explain)? < total {
            send!(token.approve(self.at, U256::MAX), "approve")?;
        }
        let coordinator = self.coordinator();
        let call = coordinator.submitRewards(s.operators.clone(), s.amounts.clone(), s.strategy, s.reward_token, s.start, s.duration);
        send!(call, "submitRewards")?;
        println!(
            "AVS {} streams {} reward tokens to {} operator(s) from {} for {} days",
            self.client.from,
            fmt::amount(total),
            s.operators.len(),
            s.start,
            s.duration / 86_400
        );
        Ok(total)
    }

    /// Operator: accepts `token` as a reward token of its pools (an AVS can
    /// pay a pool only in tokens it carries or its operator accepted).
    pub async fn accept_token(&self, token: Address) -> Result<()> {
        act!(self, coordinator, acceptRewardToken(token, true), "acceptRewardToken")?;
        println!("operator {} accepts reward token {token}", self.acting.unwrap_or(self.client.from));
        Ok(())
    }

    /// Operator: sets its commission (basis points; takes effect after the delay).
    pub async fn set_commission(&self, bps: u64) -> Result<()> {
        act!(self, coordinator, setOperatorCommission(U256::from(bps)), "setOperatorCommission")?;
        println!(
            "operator {} commission set to {}, effective after the commission delay",
            self.acting.unwrap_or(self.client.from),
            fmt::percent(U256::from(bps) * U256::from(10u64.pow(14)))
        );
        Ok(())
    }

    /// Claims `earner`'s rewards in `reward_tokens` after settling its pools
    /// `(operators[i], strategies[i])`; returns the amounts paid to `recipient`.
    pub async fn claim(
        &self,
        earner: Address,
        pools: &[(Address, Address)],
        reward_tokens: Vec<Address>,
        recipient: Address,
    ) -> Result<Vec<U256>> {
        let (operators, strategies): (Vec<Address>, Vec<Address>) = pools.iter().copied().unzip();
        let coordinator = self.coordinator();
        let call = coordinator.claim(earner, operators, strategies, reward_tokens.clone(), recipient);
        let paid = call.call().await.map_err(explain)?;
        send!(call, "claim")?;
        for (token, amount) in reward_tokens.iter().zip(&paid) {
            let symbol = ITestToken::new(*token, self.client.provider.clone()).symbol().call().await.unwrap_or_else(|_| "tokens".into());
            println!("claimed {} ({token}) for {earner} to {recipient}", fmt::tokens(*amount, &symbol));
        }
        Ok(paid)
    }
}
