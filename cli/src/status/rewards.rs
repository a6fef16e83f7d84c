//! The rewards part of `keel status ADDRESS`: per reward token, what the
//! account can claim now and what its pools have earned but not settled.

use crate::{
    bindings::{rewards_coordinator::IRewardsCoordinator::RewardTokenSet, IRewardsCoordinator, ITestToken},
    client::Client,
    fmt,
    revert::explain,
};
use alloy::primitives::{Address, U256};
use anyhow::Result;

/// Appends the rewards table of `account`, whose stake sits in `pools`
/// (operator, strategy): claimable (settled) and pending (unsettled) wei.
pub async fn section(
    out: &mut String,
    client: &Client,
    coordinator: Address,
    account: Address,
    pools: &[(Address, Address)],
) -> Result<()> {
    let rc = IRewardsCoordinator::new(coordinator, client.provider.clone());
    let mut reward_tokens: Vec<Address> = Vec::new();
    for set in client.history::<RewardTokenSet>(coordinator, None).await? {
        if set.whitelisted && !reward_tokens.contains(&set.token) {
            reward_tokens.push(set.token);
        }
    }
    let mut table = super::table::new(&["reward token", "symbol", "claimable", "pending"], 2);
    for token in reward_tokens {
        let claimable = rc.claimable(account, token).call().await.map_err(explain)?;
        let mut pending = U256::ZERO;
        for (operator, strategy) in pools {
            pending += rc.pendingRewards(account, *operator, *strategy, token).call().await.map_err(explain)?;
        }
        let symbol = ITestToken::new(token, client.provider.clone()).symbol().call().await.unwrap_or_else(|_| "?".into());
        table.add_row(vec![token.to_string(), symbol.clone(), fmt::tokens(claimable, &symbol), fmt::tokens(pending, &symbol)]);
    }
    out.push_str(&super::table::section(&format!("{account}: rewards"), &table));
    Ok(())
}
